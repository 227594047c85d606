/* check_containers' evaluate step, driven with observations built by
 * hand: every verdict without a container engine. */
#include "check_containers.h"
#include "rp_render.h"
#include "rp_test.h"
#include "rp_test_render.h"
#include "rp_util.h"

#include <stdlib.h>
#include <string.h>

static struct containers_config cfg;
static struct containers_observed obs;
static struct rp_thresholds th;

static const struct rp_metric_spec specs[] = {
	{ "running", RP_UNIT_NONE, false, NULL, NULL },
	{ "unhealthy", RP_UNIT_NONE, false, NULL, NULL },
	{ "restarts", RP_UNIT_NONE, true, NULL, NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static void setup(void)
{
	memset(&cfg, 0, sizeof cfg);
	memset(&obs, 0, sizeof obs);
	cfg.socket = "/var/run/docker.sock";
	cfg.start_grace = 300;
	obs.now = 1800000000;
	rp_thresholds_init(&th);
}

static void teardown(void)
{
	containers_observed_free(&obs);
	rp_thresholds_free(&th);
}

/* A container the engine has, inspected, in status. */
static struct container_obs *container(const char *name, const char *status, bool running)
{
	obs.c = rp_xreallocarray(obs.c, obs.n + 1, sizeof *obs.c);
	struct container_obs *c = &obs.c[obs.n++];
	memset(c, 0, sizeof *c);
	c->name = rp_xstrdup(name);
	c->found = c->inspected = true;
	c->in.status = rp_xstrdup(status);
	c->in.running = running;
	return c;
}

static char *eval(enum rp_state *st, int verbosity)
{
	return rp_test_render(containers_evaluate(&cfg, &obs, &th), "check_containers",
	                      "CONTAINERS", verbosity, st);
}

static void expect(enum rp_state want, const char *first)
{
	enum rp_state st;
	char *out = eval(&st, 1);
	ck_assert_msg(st == want, "state %d, want %d:\n%s", st, want, out);
	ck_assert_msg(strstr(out, first) != NULL, "no '%s' in:\n%s", first, out);
	free(out);
}

START_TEST(test_running_and_health)
{
	container("api", "running", true)->in.health = rp_xstrdup("healthy");
	container("worker", "running", true);
	expect(RP_OK, "CONTAINERS OK - 2 containers running, 1 healthy");
	struct container_obs *w = container("web", "running", true);
	w->in.health = rp_xstrdup("unhealthy");
	w->in.health_output = rp_xstrdup("curl: (7) Failed to connect\n");
	expect(RP_CRITICAL, "CONTAINERS CRITICAL - web unhealthy: curl: (7) Failed to connect");
}
END_TEST

/* A crash loop caught while the container runs for a moment; a restart
 * long ago is history, not a loop. */
START_TEST(test_loop_while_running)
{
	struct container_obs *c = container("loop", "running", true);
	c->in.restart_count = 41;
	c->started = obs.now - 2;
	c->error_line = rp_xstrdup("Error: redis refused the password");
	expect(RP_CRITICAL,
	       "CONTAINERS CRITICAL - loop restarting in a loop (41 restarts, up 2 s): "
	       "Error: redis refused the password");
	c->started = obs.now - 3600;
	expect(RP_OK, "CONTAINERS OK - 1 container running");
}
END_TEST

START_TEST(test_starting_and_grace)
{
	struct container_obs *c = container("api", "running", true);
	c->in.health = rp_xstrdup("starting");
	c->started = obs.now - 30;
	expect(RP_WARNING, "api starting (health check not passed yet)");
	c->started = obs.now - 600;
	expect(RP_CRITICAL, "api still starting after 10 min");
}
END_TEST

START_TEST(test_stopped)
{
	struct container_obs *c = container("bad", "exited", false);
	c->in.exit_code = 1;
	c->finished = obs.now - 120;
	c->error_line = rp_xstrdup("ModuleNotFoundError: No module named 'config'");
	c->log = rp_xstrdup("Traceback (most recent call last):\nModuleNotFoundError: x\n");
	expect(RP_CRITICAL, "CONTAINERS CRITICAL - bad exited (exit 1) 2 min ago: "
	                    "ModuleNotFoundError: No module named 'config'");
	enum rp_state st;
	char *out = eval(&st, 1);
	ck_assert_msg(strstr(out, "its last log lines:") && strstr(out, "Traceback (most recent"),
	              "%s", out);
	free(out);
	c->in.oom_killed = true;
	c->in.exit_code = 137;
	expect(RP_CRITICAL, "bad was killed for lack of memory (OOM, exit 137) 2 min ago");
	c->in.oom_killed = false;
	c->in.restart_count = 12;
	expect(RP_CRITICAL, "bad restarting in a loop (exit 137, 12 restarts): ModuleNotFound");
	c->in.restart_count = 1;
	expect(RP_CRITICAL, "bad restarting in a loop (exit 137, 1 restart): ModuleNotFound");
	free(c->in.status);
	c->in.status = rp_xstrdup("created");
	c->in.restart_count = 0;
	expect(RP_CRITICAL, "bad created, never started");
	free(c->in.status);
	c->in.status = rp_xstrdup("paused");
	expect(RP_WARNING, "bad paused");
}
END_TEST

START_TEST(test_missing_and_environment)
{
	obs.c = rp_xcalloc(3, sizeof *obs.c);
	obs.n = 3;
	obs.c[0].name = rp_xstrdup("ghost");
	obs.c[1].name = rp_xstrdup("worker-*");
	obs.c[1].pattern = true;
	obs.c[2].name = rp_xstrdup("scheduler");
	obs.c[2].service = rp_xstrdup("scheduler");
	expect(RP_CRITICAL, "3 findings on 3 containers: ghost: no such container; no container "
	                    "matches 'worker-*'; service scheduler: not created (no container)");
	containers_observed_free(&obs);
	struct container_obs *c = container("api", "running", true);
	c->in.env = rp_xcalloc(2, sizeof *c->in.env);
	c->in.nenv = 2;
	c->in.env[0] = (struct rp_docker_env){ rp_xstrdup("REDIS_HOST"), false };
	c->in.env[1] = (struct rp_docker_env){ rp_xstrdup("REDIS_PASSWORD"), true };
	char need0[] = "REDIS_HOST", need1[] = "REDIS_PASSWORD", need2[] = "JWT_SECRET_KEY";
	char *need[] = { need0, need1, need2 };
	cfg.require_env = need;
	cfg.nrequire_env = 3;
	expect(RP_CRITICAL, "api: REDIS_PASSWORD is empty in its environment; api: JWT_SECRET_KEY "
	                    "is not in its environment");
	cfg.nrequire_env = 1;
	expect(RP_OK, "1 container running");
	/* one container's own: another's name leaves this one alone */
	char mine[] = "api*:JWT_SECRET_KEY", theirs[] = "worker:JWT_SECRET_KEY";
	char *scoped[] = { theirs, mine };
	cfg.require_env = scoped;
	cfg.nrequire_env = 1;
	expect(RP_OK, "1 container running");
	cfg.nrequire_env = 2;
	expect(RP_CRITICAL, "api: JWT_SECRET_KEY is not in its environment");
	cfg.nrequire_env = 0;
}
END_TEST

START_TEST(test_restart_threshold_and_engine)
{
	struct container_obs *c = container("api", "running", true);
	c->in.restart_count = 5;
	char err[200];
	ck_assert(rp_thresholds_add(&th, specs, NULL, 'c', "restarts=3", err, sizeof err));
	expect(RP_CRITICAL, "CONTAINERS CRITICAL - api restarted 5 times");
	containers_observed_free(&obs);
	obs.reach = REACH_DENIED;
	expect(RP_UNKNOWN, "no permission on /var/run/docker.sock: add the user to the docker "
	                   "group, or use podman's socket");
	obs.reach = REACH_FAILED;
	strcpy(obs.error, "Couldn't connect to server");
	expect(RP_UNKNOWN, "the engine at /var/run/docker.sock: Couldn't connect to server");
}
END_TEST

static Suite *containers_eval_suite(void)
{
	Suite *s = suite_create("containers_eval");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_running_and_health);
	tcase_add_test(tc, test_starting_and_grace);
	tcase_add_test(tc, test_loop_while_running);
	tcase_add_test(tc, test_stopped);
	tcase_add_test(tc, test_missing_and_environment);
	tcase_add_test(tc, test_restart_threshold_and_engine);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(containers_eval_suite)
