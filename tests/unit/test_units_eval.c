/* check_units' evaluate step, driven with observations built by hand:
 * every verdict without a systemd, and the times no test can wait for (a
 * timer late by hours). */
#include "check_units.h"
#include "rp_render.h"
#include "rp_test.h"
#include "rp_test_render.h"
#include "rp_util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW     1800000000.0
#define USEC(s) ((uint64_t)((s)*1e6))

static struct units_config cfg;
static struct units_observed obs;
static struct rp_thresholds th;

static const struct rp_metric_spec specs[] = {
	{ "active", RP_UNIT_NONE, false, NULL, NULL },
	{ "failed", RP_UNIT_NONE, false, NULL, NULL },
	{ "restarts", RP_UNIT_NONE, true, NULL, NULL },
	{ "age", RP_UNIT_SECONDS, true, NULL, NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static void setup(void)
{
	memset(&cfg, 0, sizeof cfg);
	memset(&obs, 0, sizeof obs);
	cfg.timer_factor = 2;
	cfg.nunits = 1;
	obs.reached = true;
	obs.now = NOW;
	rp_thresholds_init(&th);
}

static void teardown(void)
{
	units_observed_free(&obs);
	rp_thresholds_free(&th);
}

/* A loaded unit in active/sub. */
static struct unit_obs *unit(const char *name, const char *active, const char *sub)
{
	obs.u = rp_xreallocarray(obs.u, obs.n + 1, sizeof *obs.u);
	struct unit_obs *c = &obs.u[obs.n++];
	memset(c, 0, sizeof *c);
	c->name = rp_xstrdup(name);
	c->read = true;
	c->u.id = rp_xstrdup(name);
	c->u.load_state = rp_xstrdup("loaded");
	c->u.active_state = rp_xstrdup(active);
	c->u.sub_state = rp_xstrdup(sub);
	c->u.unit_file_state = rp_xstrdup("enabled");
	c->u.type = rp_xstrdup("simple");
	c->u.result = rp_xstrdup("success");
	return c;
}

/* A timer that last triggered `ago` seconds before NOW (never: < 0),
 * repeating every `every` seconds (OnUnitActiveSec; 0: none). */
static struct unit_obs *timer(const char *name, double ago, double every)
{
	struct unit_obs *c = unit(name, "active", "waiting");
	c->role = ROLE_TIMER;
	free(c->u.type), c->u.type = NULL;
	c->u.active_enter = USEC(NOW - 86400);
	if (ago >= 0)
		c->u.last_trigger = USEC(NOW - ago);
	if (every) {
		c->u.schedule = rp_xcalloc(1, sizeof *c->u.schedule);
		c->u.schedule[0].base = rp_xstrdup("OnUnitActiveUSec");
		c->u.schedule[0].usec = USEC(every);
		c->u.nschedule = 1;
		c->u.next_elapse = USEC(NOW + 10);
	}
	return c;
}

static void expect(enum rp_state want, const char *first)
{
	enum rp_state st;
	char *out = rp_test_render(units_evaluate(&cfg, &obs, &th), "check_units", "UNITS", 1, &st);
	ck_assert_msg(st == want, "state %d, want %d:\n%s", st, want, out);
	ck_assert_msg(strstr(out, first) != NULL, "no '%s' in:\n%s", first, out);
	free(out);
}

START_TEST(test_active_failed_and_why)
{
	unit("web.service", "active", "running");
	expect(RP_OK, "UNITS OK - 1 unit active |");
	struct unit_obs *api = unit("api.service", "failed", "failed");
	free(api->u.result), api->u.result = rp_xstrdup("exit-code");
	api->u.exec_main_code = 1, api->u.exec_main_status = 1;
	api->u.inactive_enter = USEC(NOW - 300);
	api->error_line = rp_xstrdup("ModuleNotFoundError: No module named 'config'");
	api->log = rp_xstrdup("Traceback (most recent call last):\n"
	                      "ModuleNotFoundError: No module named 'config'\n");
	expect(RP_CRITICAL, "UNITS CRITICAL - api.service failed (exit 1) 5 min ago: "
	                    "ModuleNotFoundError: No module named 'config'");
	expect(RP_CRITICAL, "  Traceback (most recent call last):");
	/* killed by a signal, with a core */
	free(api->u.result), api->u.result = rp_xstrdup("core-dump");
	api->u.exec_main_code = 3, api->u.exec_main_status = SIGSEGV;
	expect(RP_CRITICAL, "api.service failed (core dumped (SIGSEGV))");
	/* a result that is not the main process's exit */
	free(api->u.result), api->u.result = rp_xstrdup("timeout");
	api->u.exec_main_code = 2, api->u.exec_main_status = SIGTERM;
	expect(RP_CRITICAL, "api.service failed (timeout, signal TERM)");
	free(api->u.result), api->u.result = rp_xstrdup("start-limit-hit");
	api->u.exec_main_code = 0;
	expect(RP_CRITICAL, "api.service failed (start limit hit: restarted too often)");
}
END_TEST

START_TEST(test_loops_and_transitions)
{
	struct unit_obs *w = unit("worker.service", "activating", "auto-restart");
	w->u.n_restarts = 7;
	w->u.exec_main_code = 1, w->u.exec_main_status = 3;
	expect(RP_CRITICAL, "worker.service restarting in a loop (exit 3, 7 restarts)");
	/* caught while up again for a moment */
	free(w->u.active_state), w->u.active_state = rp_xstrdup("active");
	free(w->u.sub_state), w->u.sub_state = rp_xstrdup("running");
	w->u.active_enter = USEC(NOW - 2);
	expect(RP_CRITICAL, "worker.service restarting in a loop");
	w->u.n_restarts = 1;
	expect(RP_CRITICAL, "worker.service restarting in a loop (exit 3, 1 restart)");
	/* restarted once, long ago: history, not a loop */
	w->u.active_enter = USEC(NOW - 3600);
	w->u.n_restarts = 1;
	expect(RP_OK, "1 unit active");
	free(w->u.active_state), w->u.active_state = rp_xstrdup("activating");
	free(w->u.sub_state), w->u.sub_state = rp_xstrdup("start-pre");
	w->u.n_restarts = 0;
	expect(RP_WARNING, "worker.service starting (activating/start-pre)");
	free(w->u.active_state), w->u.active_state = rp_xstrdup("deactivating");
	free(w->u.sub_state), w->u.sub_state = rp_xstrdup("stop-sigterm");
	expect(RP_CRITICAL, "worker.service stopping (deactivating/stop-sigterm)");
}
END_TEST

START_TEST(test_restart_threshold)
{
	struct unit_obs *w = unit("worker.service", "active", "running");
	w->u.n_restarts = 4;
	w->u.active_enter = USEC(NOW - 3600);
	char err[128];
	ck_assert(rp_thresholds_add(&th, specs, NULL, 'c', "restarts=3", err, sizeof err));
	expect(RP_CRITICAL, "worker.service restarted 4 times");
}
END_TEST

START_TEST(test_inactive_oneshot_enabled)
{
	struct unit_obs *j = unit("job.service", "inactive", "dead");
	free(j->u.type), j->u.type = rp_xstrdup("oneshot");
	j->u.exec_main_code = 1, j->u.exec_main_exit = USEC(NOW - 60);
	j->u.inactive_enter = USEC(NOW - 60);
	expect(RP_CRITICAL, "job.service inactive (dead) 60 s ago");
	cfg.oneshot_ok = true;
	expect(RP_OK, "UNITS OK - 0 units active, 1 oneshot done");
	expect(RP_OK, "job.service exited successfully 60 s ago");
	/* a oneshot that failed is not fine, --oneshot-ok or not */
	j->u.exec_main_status = 4;
	expect(RP_CRITICAL, "job.service inactive (dead), last run exit 4 60 s ago");
	j->u.exec_main_status = 0;
	cfg.enabled = true;
	free(j->u.unit_file_state), j->u.unit_file_state = rp_xstrdup("disabled");
	expect(RP_CRITICAL, "job.service is not enabled (disabled): it does not start at boot");
	free(j->u.unit_file_state), j->u.unit_file_state = rp_xstrdup("static");
	expect(RP_OK, "1 oneshot done");
}
END_TEST

START_TEST(test_not_loaded)
{
	struct unit_obs *c = unit("ghost.service", "inactive", "dead");
	free(c->u.load_state), c->u.load_state = rp_xstrdup("not-found");
	expect(RP_CRITICAL, "UNITS CRITICAL - ghost.service: no such unit");
	free(c->u.load_state), c->u.load_state = rp_xstrdup("bad-setting");
	c->u.load_error =
	        rp_xstrdup("Unit configuration has fatal error, unit will not be started");
	expect(RP_CRITICAL, "ghost.service cannot be loaded (bad-setting): Unit configuration has "
	                    "fatal error");
	c->read = false;
	c->error = rp_xstrdup("reading the unit's properties: Access denied");
	expect(RP_UNKNOWN, "ghost.service: cannot read it: reading the unit's properties: Access");
}
END_TEST

START_TEST(test_timer_schedule)
{
	timer("sync.timer", 300, 600);
	expect(RP_OK, "1 timer on schedule");
	expect(RP_OK, "sync.timer triggered 5 min ago (every 10 min)");
	obs.u[0].u.last_trigger = USEC(NOW - 1300); /* more than 2 x 10 min */
	expect(RP_CRITICAL, "sync.timer last triggered 21.7 min ago, expected every 10 min");
	cfg.timer_factor = 3;
	expect(RP_OK, "sync.timer triggered");
}
END_TEST

/* OnCalendar: the period is the span from the last trigger to the next. */
/* a timer must start at boot: a disabled one is a finding without
 * --enabled */
START_TEST(test_timer_enabled)
{
	struct unit_obs *t = timer("sync.timer", 60, 600);
	free(t->u.unit_file_state), t->u.unit_file_state = rp_xstrdup("disabled");
	expect(RP_CRITICAL, "sync.timer is not enabled (disabled): it does not start at boot");
	free(t->u.unit_file_state), t->u.unit_file_state = rp_xstrdup("static");
	expect(RP_OK, "1 timer on schedule");
}
END_TEST

START_TEST(test_timer_calendar_and_never)
{
	struct unit_obs *t = timer("daily.timer", 3600, 0);
	t->u.next_elapse = USEC(NOW + 86400 - 3600);
	expect(RP_OK, "daily.timer triggered 60 min ago (every 24 h)");
	struct unit_obs *n = timer("never.timer", -1, 600);
	expect(RP_CRITICAL, "never.timer never triggered in 24 h (every 10 min)");
	n->u.active_enter = USEC(NOW - 60);
	expect(RP_OK, "never.timer not triggered yet (next in 10 s)");
	n->u.next_elapse = 0;
	expect(RP_CRITICAL, "never.timer never triggered and has nothing planned");
}
END_TEST

START_TEST(test_timer_service_result)
{
	struct unit_obs *t = timer("sync.timer", 60, 600);
	t->service.id = rp_xstrdup("sync.service");
	t->service.load_state = rp_xstrdup("loaded");
	t->service.active_state = rp_xstrdup("failed");
	t->service.result = rp_xstrdup("exit-code");
	t->service.exec_main_code = 1, t->service.exec_main_status = 2;
	t->service.exec_main_exit = USEC(NOW - 60);
	t->error_line = rp_xstrdup("fetch failed: 401 Unauthorized");
	expect(RP_CRITICAL, "sync.timer: its last run of sync.service failed (exit 2) 60 s ago: "
	                    "fetch failed: 401 Unauthorized");
	free(t->service.load_state), t->service.load_state = rp_xstrdup("not-found");
	expect(RP_CRITICAL, "sync.timer starts sync.service, which is not installed");
	char err[128];
	free(t->service.load_state), t->service.load_state = rp_xstrdup("loaded");
	free(t->service.active_state), t->service.active_state = rp_xstrdup("inactive");
	free(t->service.result), t->service.result = rp_xstrdup("success");
	t->service.exec_main_status = 0;
	ck_assert(rp_thresholds_add(&th, specs, NULL, 'w', "age.sync.timer=30", err, sizeof err));
	expect(RP_WARNING, "sync.timer last triggered 60 s ago");
}
END_TEST

START_TEST(test_unreached_and_failed)
{
	obs.reached = false;
	snprintf(obs.error, sizeof obs.error, "cannot reach systemd: no system bus: No such file");
	expect(RP_UNKNOWN, "UNITS UNKNOWN - cannot reach systemd: no system bus");
	obs.reached = true;
	cfg.failed = true;
	cfg.nunits = 0;
	expect(RP_OK, "UNITS OK - no failed unit");
}
END_TEST

START_TEST(test_exit_words)
{
	char w[64];
	rp_systemd_exit_words(1, 0, w, sizeof w);
	ck_assert_str_eq(w, "");
	rp_systemd_exit_words(1, 127, w, sizeof w);
	ck_assert_str_eq(w, "exit 127");
	rp_systemd_exit_words(2, SIGKILL, w, sizeof w);
	ck_assert_str_eq(w, "signal KILL");
	rp_systemd_exit_words(2, 999, w, sizeof w);
	ck_assert_str_eq(w, "signal ?");
	rp_systemd_exit_words(0, 0, w, sizeof w);
	ck_assert_str_eq(w, "");
}
END_TEST

static Suite *units_eval_suite(void)
{
	Suite *s = suite_create("units_eval");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_active_failed_and_why);
	tcase_add_test(tc, test_loops_and_transitions);
	tcase_add_test(tc, test_restart_threshold);
	tcase_add_test(tc, test_inactive_oneshot_enabled);
	tcase_add_test(tc, test_not_loaded);
	tcase_add_test(tc, test_timer_schedule);
	tcase_add_test(tc, test_timer_enabled);
	tcase_add_test(tc, test_timer_calendar_and_never);
	tcase_add_test(tc, test_timer_service_result);
	tcase_add_test(tc, test_unreached_and_failed);
	tcase_add_test(tc, test_exit_words);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(units_eval_suite)
