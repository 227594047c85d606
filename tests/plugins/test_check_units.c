/* check_units against a real systemd booted in systemd-nspawn (volatile
 * root, private network): a healthy service, a missing unit, one never
 * started, one failed with exit 1 and a real Python traceback in its
 * journal (a secret in the same lines must never show), a restart loop
 * whose NRestarts climbs, a masked unit, a unit that cannot load, a
 * oneshot that ran, a unit not enabled; timers: one on schedule, one
 * whose service fails each time, one that can never trigger, one
 * disabled; --failed; no bus. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLUGIN "plugins/check_units"
#define SECRET "Unit-S3cret-T0ken-4417"
#define URL_PW "urlpassw0rd-unit"

static struct h_systemd sd;

static void units(void)
{
	h_systemd_unit(&sd, "web.service",
	               "[Unit]\nDescription=web\nWants=wghost.service\n[Service]\n"
	               "ExecStart=/bin/sleep infinity\n"
	               "[Install]\nWantedBy=multi-user.target\n");
	h_systemd_link(&sd, "multi-user.target.wants/web.service", "../web.service");
	/* a real traceback: python3 cannot import the module named config */
	h_systemd_unit(&sd, "api.service",
	               "[Service]\nEnvironment=API_TOKEN=" SECRET "\n"
	               "ExecStart=/usr/bin/python3 -c \"import sys; print('using ' + "
	               "sys.argv[1] + ' for postgres://app:" URL_PW "@db/app', "
	               "file=sys.stderr, flush=True); import config\" ${API_TOKEN}\n");
	h_systemd_link(&sd, "multi-user.target.wants/api.service", "../api.service");
	h_systemd_unit(&sd, "loop.service",
	               "[Unit]\nStartLimitIntervalSec=0\n[Service]\nRestart=always\n"
	               "RestartSec=300ms\nExecStart=/bin/sh -c "
	               "'echo \"Error: redis refused the password\" >&2; exit 3'\n");
	h_systemd_link(&sd, "multi-user.target.wants/loop.service", "../loop.service");
	h_systemd_unit(&sd, "idle.service", "[Service]\nExecStart=/bin/sleep infinity\n");
	h_systemd_link(&sd, "masked.service", "/dev/null");
	h_systemd_unit(&sd, "broken.service", "[Service]\nExecStart=relative/path\n");
	h_systemd_unit(&sd, "job.service", "[Service]\nType=oneshot\nExecStart=/bin/true\n");
	h_systemd_link(&sd, "multi-user.target.wants/job.service", "../job.service");
	/* timers */
	h_systemd_unit(&sd, "tick.timer",
	               "[Timer]\nOnActiveSec=1s\nOnUnitActiveSec=2s\nAccuracySec=1ms\n");
	h_systemd_unit(&sd, "tick.service", "[Service]\nType=oneshot\nExecStart=/bin/true\n");
	h_systemd_link(&sd, "timers.target.wants/tick.timer", "../tick.timer");
	h_systemd_unit(&sd, "sync.timer",
	               "[Timer]\nOnActiveSec=1s\nOnUnitActiveSec=2s\nAccuracySec=1ms\n");
	h_systemd_unit(&sd, "sync.service",
	               "[Service]\nType=oneshot\nExecStart=/bin/sh -c "
	               "'echo \"fetch failed: 401 Unauthorized\" >&2; exit 2'\n");
	h_systemd_link(&sd, "timers.target.wants/sync.timer", "../sync.timer");
	/* a job that fails every time and runs most of the time: caught
	 * while it runs again, its last finished run still decides */
	h_systemd_unit(&sd, "slow.timer",
	               "[Timer]\nOnActiveSec=1s\nOnUnitActiveSec=1s\nAccuracySec=1ms\n");
	h_systemd_unit(&sd, "slow.service",
	               "[Service]\nType=oneshot\nExecStart=/bin/sh -c "
	               "'echo \"fetch failed: 503\" >&2; sleep 2; exit 4'\n");
	h_systemd_link(&sd, "timers.target.wants/slow.timer", "../slow.timer");
	/* relative to a unit that never ran: it can never elapse */
	h_systemd_unit(&sd, "never.timer", "[Timer]\nOnUnitActiveSec=10min\n");
	h_systemd_unit(&sd, "never.service", "[Service]\nExecStart=/bin/true\n");
	h_systemd_link(&sd, "timers.target.wants/never.timer", "../never.timer");
	h_systemd_unit(&sd, "off.timer",
	               "[Timer]\nOnCalendar=hourly\n[Install]\nWantedBy=timers.target\n");
	h_systemd_unit(&sd, "off.service", "[Service]\nExecStart=/bin/true\n");
}

static void up(void)
{
	if (!h_have_nspawn("test_check_units"))
		return;
	h_systemd_prepare(&sd);
	units();
	h_systemd_boot(&sd);
	sleep(4); /* restarts of loop, triggers of tick and sync, two runs of slow */
}

static void down(void)
{
	h_systemd_down(&sd);
}

/* check_units with the container's bus, then the arguments; the contract
 * kept and no secret shown, in every output mode. */
static void run(struct h_run *r, const char *first, ...)
{
	const char *args[40];
	size_t n = 0;
	args[n++] = "--journal-dir";
	args[n++] = sd.journal;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 39; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	char *envp[] = { sd.bus_address, (char *)"PATH=/usr/bin:/bin", NULL };
	const char *secrets[] = { SECRET, URL_PW, NULL };
	h_run_modes(r, PLUGIN, "UNITS", envp, secrets, args);
}

START_TEST(test_services)
{
	if (!sd.dir)
		return;
	struct h_run r;
	run(&r, "--unit", "web", NULL);
	h_assert_state(&r, 0, "1 unit active");
	ck_assert(h_perf(&r, "active") == 1 && h_perf(&r, "restarts.web.service") == 0);
	h_run_free(&r);
	run(&r, "--unit", "ghost.service", NULL);
	h_assert_state(&r, 2, "ghost.service: no such unit");
	h_run_free(&r);
	run(&r, "--unit", "idle", NULL);
	h_assert_state(&r, 2, "idle.service inactive, never started");
	h_run_free(&r);
	run(&r, "--unit", "api", "-v", NULL);
	h_assert_state(&r, 2, "api.service failed (exit 1)");
	ck_assert_msg(strstr(r.out, "ago: ModuleNotFoundError: No module named 'config'"), "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "using [redacted] for postgres://db/app"), "%s", r.out);
	h_run_free(&r);
	run(&r, "--unit", "loop", NULL);
	/* caught waiting to restart (with its exit) or starting again */
	h_assert_state(&r, 2, "loop.service restarting in a loop (");
	ck_assert_msg(strstr(r.out, " restarts): Error: redis refused the password"), "%s", r.out);
	ck_assert(h_perf(&r, "restarts.loop.service") >= 2);
	h_run_free(&r);
	run(&r, "--unit", "web", "-c", "restarts.loop.service=1", "--unit", "loop", NULL);
	h_assert_state(&r, 2, "2 findings on 2 units: loop.service restarting in a loop");
	ck_assert_msg(strstr(r.out, "loop.service restarted "), "%s", r.out);
	h_run_free(&r);
	run(&r, "--unit", "masked", NULL);
	h_assert_state(&r, 2, "masked.service is masked");
	h_run_free(&r);
	run(&r, "--unit", "broken", NULL);
	h_assert_state(&r, 2, "broken.service cannot be loaded (bad-setting)");
	h_run_free(&r);
	/* --user speaks to the manager on the session bus: here the
	 * container's, given as the session bus */
	char *session = rp_xasprintf("DBUS_SESSION_BUS_ADDRESS=unix:path=%s", sd.bus_socket);
	char *envp[] = { session, (char *)"PATH=/usr/bin:/bin", NULL };
	const char *args[] = { "--user", "--unit", "web", NULL };
	h_run_modes(&r, PLUGIN, "UNITS", envp, NULL, args);
	h_assert_state(&r, 0, "1 unit active");
	h_run_free(&r);
	free(session);
}
END_TEST

START_TEST(test_oneshot_enabled_globs)
{
	if (!sd.dir)
		return;
	struct h_run r;
	run(&r, "--unit", "job", NULL);
	h_assert_state(&r, 2, "job.service inactive (dead)");
	h_run_free(&r);
	run(&r, "--unit", "job", "--oneshot-ok", NULL);
	h_assert_state(&r, 0, "0 units active, 1 oneshot done");
	ck_assert_msg(strstr(r.out, "job.service exited successfully"), "%s", r.out);
	h_run_free(&r);
	run(&r, "--unit", "web", "--enabled", NULL);
	h_assert_state(&r, 0, "1 unit active");
	h_run_free(&r);
	run(&r, "--timer", "off", "--enabled", NULL);
	h_assert_state(&r, 2, "2 findings on 1 unit: off.timer is not enabled (disabled)");
	h_run_free(&r);
	/* w* is web.service, not wghost.service that web only wants */
	run(&r, "--unit", "w*", "--unit", "nothing-*", NULL);
	h_assert_state(&r, 2, "no unit matches 'nothing-*.service'");
	ck_assert_msg(strstr(r.out, "web.service active (running)"), "%s", r.out);
	h_run_free(&r);
}
END_TEST

START_TEST(test_timers)
{
	if (!sd.dir)
		return;
	struct h_run r;
	run(&r, "--timer", "tick", NULL);
	h_assert_state(&r, 0, "0 units active, 1 timer on schedule");
	ck_assert(h_perf(&r, "age.tick.timer") >= 0 && h_perf(&r, "age.tick.timer") < 10);
	h_run_free(&r);
	run(&r, "--timer", "tick", "-c", "age.tick.timer=0.001", NULL);
	h_assert_state(&r, 2, "tick.timer last triggered ");
	h_run_free(&r);
	run(&r, "--timer", "sync", "-v", NULL);
	h_assert_state(&r, 2, "sync.timer: its last run of sync.service failed (exit 2)");
	ck_assert_msg(strstr(r.out, "ago: fetch failed: 401 Unauthorized"), "%s", r.out);
	h_run_free(&r);
	run(&r, "--timer", "slow", NULL);
	h_assert_state(&r, 2, "slow.timer: its last run of slow.service failed (exit 4) ");
	ck_assert_msg(strstr(r.out, ": fetch failed: 503, running again now"), "%s", r.out);
	h_run_free(&r);
	run(&r, "--timer", "never", NULL);
	h_assert_state(&r, 2, "never.timer never triggered and has nothing planned");
	h_run_free(&r);
	/* a timer must be enabled, --enabled or not */
	run(&r, "--timer", "off", NULL);
	h_assert_state(&r, 2,
	               "2 findings on 1 unit: off.timer is not enabled (disabled): it does "
	               "not start at boot; off.timer inactive (dead): it triggers nothing");
	h_run_free(&r);
}
END_TEST

START_TEST(test_failed)
{
	if (!sd.dir)
		return;
	struct h_run r;
	run(&r, "--failed", NULL);
	h_assert_state(&r, 2, "api.service failed (exit 1)");
	ck_assert(h_perf(&r, "failed") >= 1);
	h_run_free(&r);
}
END_TEST

START_TEST(test_no_bus)
{
	struct h_run r;
	char *envp[] = { (char *)"DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus",
		         (char *)"PATH=/usr/bin:/bin", NULL };
	const char *args[] = { "--unit", "web", NULL };
	h_run_modes(&r, PLUGIN, "UNITS", envp, NULL, args);
	h_assert_state(&r, 3, "cannot reach systemd: no system bus at unix:path=/nonexistent/bus");
	h_run_free(&r);
	char *bare[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	const char *user[] = { "--user", "--unit", "web", NULL };
	h_run_modes(&r, PLUGIN, "UNITS", bare, NULL, user);
	h_assert_state(&r, 3,
	               "cannot reach systemd: no user bus: neither DBUS_SESSION_BUS_ADDRESS nor "
	               "XDG_RUNTIME_DIR is set");
	h_run_free(&r);
	h_run(&r, PLUGIN, NULL);
	h_assert_state(
	        &r, 3,
	        "say what must run: --unit NAME, --timer NAME, --failed or --unit-file PATH");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--unit", "/etc/passwd", NULL);
	h_assert_state(&r, 3, "--unit '/etc/passwd': a unit name, not a path");
	h_run_free(&r);
}
END_TEST

/* A unit file deployment never installed, checked on its own: no
 * manager needed. */
START_TEST(test_unit_file)
{
	char *dir = h_tempdir();
	const char *bad = "[Unit]\nDescription=broadcaster\n[Service]\n"
	                  "Environment=WS_TOKEN=" SECRET "\n"
	                  "ExecStart=/opt/app/venv/bin/python -m broadcaster\n"
	                  "[Install]\nWantedBy=multi-user.target\n";
	char *path = h_write_file(dir, "websocket.service", bad, strlen(bad));
	const char *args[] = { "--unit-file", path, NULL };
	const char *secrets[] = { SECRET, NULL };
	struct h_run r;
	h_run_modes(&r, PLUGIN, "UNITS", NULL, secrets, args);
	char *want = rp_xasprintf("%s: ExecStart program /opt/app/venv/bin/python does not exist "
	                          "(line 5)",
	                          path);
	h_assert_state(&r, 2, want);
	h_run_free(&r);
	const char *good = "[Service]\nExecStart=sleep 1\nUser=root\nWorkingDirectory=/\n";
	char *sound = h_write_file(dir, "ok.service", good, strlen(good));
	h_run(&r, PLUGIN, "--unit-file", sound, NULL);
	h_assert_state(&r, 0, "1 unit file sound");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--unit-file", "/nonexistent/x.service", NULL);
	h_assert_state(&r, 2, "unit file /nonexistent/x.service does not exist");
	h_run_free(&r);
	h_rmrf(dir);
	free(want), free(path), free(sound), free(dir);
}
END_TEST

static Suite *check_units_suite(void)
{
	Suite *s = suite_create("check_units");
	TCase *tc = tcase_create("nspawn");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, up, down);
	tcase_add_test(tc, test_services);
	tcase_add_test(tc, test_oneshot_enabled_globs);
	tcase_add_test(tc, test_timers);
	tcase_add_test(tc, test_failed);
	tcase_add_test(tc, test_no_bus);
	tcase_add_test(tc, test_unit_file);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_units_suite)
