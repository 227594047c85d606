/* check_containers against real containers run by podman behind its
 * Docker-compatible API: healthy, exited 1 with a traceback in its log,
 * unhealthy, a restart loop, killed (exit 137), a compose project with a
 * service that has no container, an environment missing REDIS_PASSWORD, a
 * secret in a log that must never show, no socket, and a socket the user
 * may not use. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLUGIN "plugins/check_containers"
#define SECRET "Sup3r-S3cret-Db-Passw0rd-77"
#define URL_PW "urlpassw0rd-xyz"
#define TOKEN  "Leaky-T0ken-9988776655"

static struct h_podman pm;

/* podman run -d NAME, detached, no network, the limits runc needs here,
 * then the arguments (options, then the image and its command). */
static void start(const char *name, ...)
{
	char *argv[48];
	size_t n = 0;
	const char *pre[] = {
		"run",  "-d",       "--name",           name,       "--network",
		"none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"
	};
	for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
		argv[n++] = (char *)pre[i];
	va_list ap;
	va_start(ap, name);
	for (const char *a = va_arg(ap, const char *); a && n < 47; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	struct h_run r;
	h_podman_argv(&pm, &r, argv);
	ck_assert_msg(r.exit_code == 0, "podman run %s: %s", name, r.raw.err);
	h_run_free(&r);
}

static void podman_do(const char *a, const char *b, const char *c)
{
	struct h_run r;
	h_podman(&pm, &r, a, b, c, NULL);
	h_run_free(&r);
}

static void up(void)
{
	if (!h_have_podman("test_check_containers"))
		return;
	h_podman_up(&pm);
	start("web", "-e", "REDIS_HOST=cache", "-e", "REDIS_PASSWORD=", "--health-cmd",
	      "cat /ready", "--health-retries", "1", "--label",
	      "com.docker.compose.project=platform", "--label",
	      "com.docker.compose.service=api-gateway", H_PODMAN_IMAGE, "/bin/sh", "-c",
	      "touch /ready; exec sleep 600", NULL);
	start("sick", "--health-cmd", "cat /nope", "--health-retries", "1", H_PODMAN_IMAGE,
	      "/bin/sleep", "600", NULL);
	start("bad", "-e", "DB_PASSWORD=" SECRET, "--label", "com.docker.compose.project=platform",
	      "--label", "com.docker.compose.service=worker", H_PODMAN_IMAGE, "/bin/sh", "-c",
	      "echo 'connecting with " SECRET " to postgres://app:" URL_PW "@db/app'; "
	      "echo 'Traceback (most recent call last):'; "
	      "echo \"ModuleNotFoundError: No module named 'config'\" >&2; exit 1",
	      NULL);
	start("leaky", "-e", "API_TOKEN=" TOKEN, "--health-cmd",
	      "echo using $API_TOKEN at https://u:" URL_PW "@h/; exit 1", "--health-retries", "1",
	      H_PODMAN_IMAGE, "/bin/sleep", "600", NULL);
	start("loop", "--restart", "always", H_PODMAN_IMAGE, "/bin/sh", "-c",
	      "echo 'Error: redis refused the password'; exit 3", NULL);
	start("killed", H_PODMAN_IMAGE, "/bin/sh", "-c", "sleep 60 & kill -9 $!; wait $!", NULL);
	sleep(2);
	podman_do("healthcheck", "run", "web");
	podman_do("healthcheck", "run", "sick");
	podman_do("healthcheck", "run", "leaky");
}

static void down(void)
{
	h_podman_down(&pm);
}

/* check_containers --socket SOCK, then the arguments; the contract kept
 * and no secret shown, in every output mode. */
static void run(struct h_run *r, const char *first, ...)
{
	const char *args[40];
	size_t n = 0;
	args[n++] = "--socket";
	args[n++] = pm.sock;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 39; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	const char *secrets[] = { SECRET, URL_PW, TOKEN, NULL };
	h_run_modes(r, PLUGIN, "CONTAINERS", NULL, secrets, args);
}

START_TEST(test_ready_and_not)
{
	if (!pm.dir)
		return;
	struct h_run r;
	run(&r, "--container", "web", NULL);
	h_assert_state(&r, 0, "1 container running, 1 healthy");
	ck_assert(h_perf(&r, "running") == 1 && h_perf(&r, "restarts.web") == 0);
	h_run_free(&r);
	run(&r, "--container", "bad", "-v", NULL);
	h_assert_state(&r, 2, "bad exited (exit 1)");
	ck_assert_msg(strstr(r.out, "s ago: ModuleNotFoundError: No module named 'config'"), "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "connecting with [redacted] to postgres://db/app"), "%s",
	              r.out);
	h_run_free(&r);
	run(&r, "--container", "sick", NULL);
	h_assert_state(&r, 2, "sick unhealthy: cat: can't open '/nope'");
	ck_assert(h_perf(&r, "unhealthy") == 1);
	h_run_free(&r);
	/* a health check's output is redacted like the log */
	run(&r, "--container", "leaky", NULL);
	h_assert_state(&r, 2, "leaky unhealthy: using [redacted] at https://h/");
	h_run_free(&r);
	run(&r, "--container", "loop", NULL);
	/* caught between two runs or during one: a loop either way */
	h_assert_state(&r, 2, "loop restarting in a loop (");
	ck_assert_msg(strstr(r.out, " restart") &&
	                      strstr(r.out, "): Error: redis refused the password"),
	              "%s", r.out);
	ck_assert(h_perf(&r, "restarts.loop") >= 1);
	h_run_free(&r);
	run(&r, "--container", "killed", NULL);
	h_assert_state(&r, 2, "killed exited (exit 137: killed, out of memory or by force)");
	h_run_free(&r);
	run(&r, "--container", "web", "--container", "w*", "--container", "ghost", "--container",
	    "nothing-*", NULL);
	h_assert_state(&r, 2,
	               "2 findings on 3 containers: ghost: no such container; no "
	               "container matches 'nothing-*'");
	h_run_free(&r);
}
END_TEST

START_TEST(test_project_and_environment)
{
	if (!pm.dir)
		return;
	struct h_run r;
	run(&r, "--project", "platform", "--service", "api-gateway", "--service", "worker",
	    "--service", "scheduler", NULL);
	h_assert_state(&r, 2, "2 findings on 3 containers: bad exited (exit 1)");
	ck_assert_msg(strstr(r.out, "service scheduler: not created (no container)"), "%s", r.out);
	h_run_free(&r);
	run(&r, "--container", "web", "--require-env", "REDIS_HOST", "--require-env",
	    "REDIS_PASSWORD", "--require-env", "JWT_SECRET_KEY", NULL);
	h_assert_state(&r, 2,
	               "2 findings on 1 container: web: REDIS_PASSWORD is empty in its "
	               "environment; web: JWT_SECRET_KEY is not in its environment");
	h_run_free(&r);
	/* one container's own requirement */
	run(&r, "--project", "platform", "--service", "api-gateway", "--require-env",
	    "web:REDIS_HOST", "--require-env", "b*:DB_PASSWORD", "--require-env", "web:DB_PASSWORD",
	    NULL);
	h_assert_state(&r, 2, "2 findings on 2 containers: bad exited (exit 1)");
	ck_assert_msg(strstr(r.out, "web: DB_PASSWORD is not in its environment") &&
	                      !strstr(r.out, "bad: DB_PASSWORD") && !strstr(r.out, "REDIS_HOST is"),
	              "%s", r.out);
	h_run_free(&r);
	h_run(&r, PLUGIN, "--container", "x", "--require-env", "web:", NULL);
	h_assert_state(&r, 3, "--require-env 'web:': write NAME or CONTAINER:NAME");
	h_run_free(&r);
	/* a restart threshold the container keeps to: still OK */
	run(&r, "--container", "web", "-w", "restarts=0:0", NULL);
	h_assert_state(&r, 0, "1 container running");
	h_run_free(&r);
}
END_TEST

START_TEST(test_engine_unreachable)
{
	struct h_run r;
	h_run(&r, PLUGIN, "--socket", "/nonexistent/docker.sock", "--container", "x", NULL);
	h_assert_state(&r, 3,
	               "no container engine at /nonexistent/docker.sock (the socket does not "
	               "exist; give --socket PATH)");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--socket", "/etc/passwd", "--container", "x", NULL);
	h_assert_state(&r, 3, "the engine at /etc/passwd: not a socket");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--socket", "/tmp", NULL);
	h_assert_state(&r, 3, "say what must run: --container NAME or --project NAME");
	h_run_free(&r);
	if (!pm.dir)
		return;
	/* as a user who may not use the engine's socket */
	char *plugin = h_build_path(PLUGIN);
	const char *argv[] = { "/usr/bin/setpriv",
		               "--reuid=nobody",
		               "--regid=nogroup",
		               "--clear-groups",
		               plugin,
		               "--socket",
		               pm.sock,
		               "--container",
		               "web",
		               NULL };
	h_run_argv(&r, (char *const *)argv, NULL, 30);
	h_assert_state(&r, 3, "no permission on ");
	ck_assert_msg(strstr(r.out, "add the user to the docker group, or use podman's socket"),
	              "%s", r.out);
	h_run_free(&r);
	free(plugin);
}
END_TEST

/* An engine that answers 500 while a container changes state under the
 * call: asked again, the answer that follows decides; a 500 that stays is
 * UNKNOWN in the engine's own words. */
START_TEST(test_engine_transient_error)
{
	char *dir = h_tempdir();
	char *sock = rp_xasprintf("%s/engine.sock", dir);
	int port;
	pid_t engine =
	        h_testserver(&port, "--mode", "engine", "--unix", sock, "--fail-first", "1", NULL);
	struct h_run r;
	h_run(&r, PLUGIN, "--socket", sock, "--container", "web", NULL);
	h_assert_state(&r, 2, "web: no such container");
	h_run_free(&r);
	h_stop(engine);
	unlink(sock);
	engine = h_testserver(&port, "--mode", "engine", "--unix", sock, "--fail-first", "100",
	                      NULL);
	h_run(&r, PLUGIN, "--socket", sock, "--container", "web", NULL);
	char *want = rp_xasprintf("the engine at %s: HTTP 500: read /proc/4242/cgroup: no such "
	                          "process",
	                          sock);
	h_assert_state(&r, 3, want);
	free(want);
	h_run_free(&r);
	h_stop(engine);
	unlink(sock);
	rmdir(dir);
	free(sock);
	free(dir);
}
END_TEST

static Suite *check_containers_suite(void)
{
	Suite *s = suite_create("check_containers");
	TCase *tc = tcase_create("podman");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, up, down);
	tcase_add_test(tc, test_ready_and_not);
	tcase_add_test(tc, test_project_and_environment);
	tcase_add_test(tc, test_engine_unreachable);
	tcase_add_test(tc, test_engine_transient_error);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_containers_suite)
