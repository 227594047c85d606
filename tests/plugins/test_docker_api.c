/* The Docker Engine API as real podman serves it on its unix socket,
 * spoken through rp_http and read by rp_docker: the list, a running
 * container with a failing health check and an environment, one exited 1
 * with a Python traceback in its log, a missing container, no socket. */
#include "harness.h"
#include "rp_deadline.h"
#include "rp_docker.h"
#include "rp_http.h"
#include "rp_test.h"
#include "rp_text.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_podman pm;

static void up(void)
{
	if (h_have_podman("test_docker_api"))
		h_podman_up(&pm);
}

static void down(void)
{
	h_podman_down(&pm);
}

/* GET path over sock; the response (caller frees). */
static void get(const char *sock, const char *path, struct rp_http_response *resp)
{
	struct rp_deadline dl;
	rp_deadline_start(&dl, 10);
	char *url = rp_xasprintf("http://podman" RP_DOCKER_API "%s", path);
	struct rp_http_request req = {
		.url = url, .unix_socket = sock, .max_body = 1 << 20, .deadline = &dl
	};
	rp_http_perform(&req, resp);
	free(url);
}

START_TEST(test_engine_replies)
{
	if (!pm.dir)
		return;
	struct h_run r;
	h_podman(&pm, &r, "run", "-d", "--name", "web", "--network", "none", "--ulimit",
	         "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "-e", "REDIS_HOST=cache", "-e",
	         "REDIS_PASSWORD=", "--health-cmd", "cat /ready", "--health-retries", "1",
	         H_PODMAN_IMAGE, "/bin/sleep", "600", NULL);
	ck_assert_msg(r.exit_code == 0, "podman run: %s", r.raw.err);
	h_run_free(&r);
	h_podman(&pm, &r, "healthcheck", "run", "web", NULL);
	h_run_free(&r);
	h_podman(&pm, &r, "run", "--name", "bad", "--network", "none", "--ulimit",
	         "nofile=1024:1024", "--ulimit", "nproc=1024:1024", H_PODMAN_IMAGE, "/bin/sh", "-c",
	         "echo 'Traceback (most recent call last):'; echo \"ModuleNotFoundError: No "
	         "module named 'config'\" >&2; exit 1",
	         NULL);
	ck_assert_int_eq(r.exit_code, 1);
	h_run_free(&r);

	struct rp_http_response resp;
	get(pm.sock, "/containers/json?all=true", &resp);
	ck_assert_msg(resp.completed && resp.status == 200, "%ld %s", resp.status, resp.error);
	struct rp_docker_summary *s;
	size_t n;
	char err[256];
	ck_assert_msg(rp_docker_parse_list(resp.body.data, resp.body.len, &s, &n, err, sizeof err),
	              "%s", err);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(s[i].state, strcmp(s[i].name, "web") == 0 ? "running" : "exited");
	rp_docker_summaries_free(s, n);
	rp_http_response_free(&resp);

	struct rp_docker_inspect c;
	get(pm.sock, "/containers/web/json", &resp);
	ck_assert(rp_docker_parse_inspect(resp.body.data, resp.body.len, &c, err, sizeof err));
	ck_assert(c.running && !c.tty);
	ck_assert_str_eq(c.health, "unhealthy");
	ck_assert_msg(c.health_output && strstr(c.health_output, "/ready"), "%s", c.health_output);
	bool host = false, pw_empty = false;
	for (size_t i = 0; i < c.nenv; i++) {
		host |= strcmp(c.env[i].name, "REDIS_HOST") == 0 && !c.env[i].empty;
		pw_empty |= strcmp(c.env[i].name, "REDIS_PASSWORD") == 0 && c.env[i].empty;
	}
	ck_assert(host && pw_empty);
	rp_docker_inspect_free(&c);
	rp_http_response_free(&resp);

	get(pm.sock, "/containers/bad/json", &resp);
	ck_assert(rp_docker_parse_inspect(resp.body.data, resp.body.len, &c, err, sizeof err));
	ck_assert(!c.running && !c.oom_killed);
	ck_assert_str_eq(c.status, "exited");
	ck_assert_int_eq(c.exit_code, 1);
	ck_assert_ptr_nonnull(c.finished_at);
	bool tty = c.tty;
	rp_docker_inspect_free(&c);
	rp_http_response_free(&resp);

	get(pm.sock, "/containers/bad/logs?stdout=true&stderr=true&tail=10", &resp);
	ck_assert_int_eq(resp.status, 200);
	struct rp_buf text;
	rp_buf_init(&text);
	rp_docker_logs_text(resp.body.data, resp.body.len, tty, &text);
	const char *line;
	size_t len;
	ck_assert(rp_text_last_error_line(text.data, text.len, &line, &len));
	ck_assert_msg(len == 45 && strncmp(line, "ModuleNotFoundError: No module named 'config'",
	                                   len) == 0,
	              "%.*s", (int)len, line);
	rp_buf_free(&text);
	rp_http_response_free(&resp);

	/* a container that does not exist: 404 with the engine's message */
	get(pm.sock, "/containers/ghost/json", &resp);
	ck_assert_int_eq(resp.status, 404);
	rp_http_response_free(&resp);
}
END_TEST

START_TEST(test_no_socket)
{
	char *dir = h_tempdir();
	char *sock = rp_xasprintf("%s/docker.sock", dir);
	struct rp_http_response resp;
	get(sock, "/containers/json", &resp);
	ck_assert(!resp.completed);
	ck_assert_msg(resp.error[0] != '\0', "no words for a missing socket");
	rp_http_response_free(&resp);
	h_rmrf(dir);
	free(sock), free(dir);
}
END_TEST

static Suite *docker_api_suite(void)
{
	Suite *s = suite_create("docker_api");
	TCase *tc = tcase_create("podman");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, up, down);
	tcase_add_test(tc, test_engine_replies);
	tcase_add_test(tc, test_no_socket);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(docker_api_suite)
