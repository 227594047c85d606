/* The Docker Engine API's replies as Docker and Podman write them: the
 * container list, an inspection (state, health, restarts, environment
 * names only), the framed log stream; and the error line a log ends on. */
#include "rp_docker.h"
#include "rp_test.h"
#include "rp_text.h"

#include <string.h>

START_TEST(test_list)
{
	const char *body =
	        "[{\"Id\":\"95f9dc\",\"Names\":[\"/web\"],\"Image\":\"localhost/rp-bb:1\","
	        "\"State\":\"running\",\"Status\":\"Up 2 minutes\",\"Labels\":{"
	        "\"com.docker.compose.project\":\"platform\",\"com.docker.compose.service\":"
	        "\"api-gateway\"}},"
	        "{\"Id\":\"ae78f8\",\"Names\":[\"bad\"],\"State\":\"exited\",\"Labels\":null},"
	        "{\"Id\":\"00\",\"Names\":[]}, 7]";
	struct rp_docker_summary *s;
	size_t n;
	char err[256];
	ck_assert(rp_docker_parse_list(body, strlen(body), &s, &n, err, sizeof err));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(s[0].name, "web");
	ck_assert_str_eq(s[0].state, "running");
	ck_assert_str_eq(s[0].project, "platform");
	ck_assert_str_eq(s[0].service, "api-gateway");
	ck_assert_str_eq(s[1].name, "bad");
	ck_assert_ptr_null(s[1].project);
	ck_assert_ptr_null(s[2].name);
	rp_docker_summaries_free(s, n);
	ck_assert(!rp_docker_parse_list("{\"message\":\"x\"}", 15, &s, &n, err, sizeof err));
	ck_assert_msg(strstr(err, "not a JSON array"), "%s", err);
	ck_assert(!rp_docker_parse_list("[", 1, &s, &n, err, sizeof err));
}
END_TEST

START_TEST(test_inspect)
{
	const char *body =
	        "{\"Id\":\"ae78f8\",\"State\":{\"Status\":\"exited\",\"Running\":false,"
	        "\"Restarting\":false,\"OOMKilled\":true,\"Dead\":false,\"Pid\":0,\"ExitCode\":137,"
	        "\"Error\":\"\",\"StartedAt\":\"2026-11-30T22:36:12.1Z\",\"FinishedAt\":"
	        "\"2026-11-30T22:36:14.5Z\",\"Health\":{\"Status\":\"unhealthy\",\"FailingStreak\":"
	        "3,"
	        "\"Log\":[{\"ExitCode\":0,\"Output\":\"ok\"},{\"ExitCode\":1,\"Output\":"
	        "\"cat: can't open '/ready'\"}]}},\"RestartCount\":4,\"Config\":{\"Tty\":false,"
	        "\"Env\":[\"PATH=/bin\",\"REDIS_PASSWORD=s3cr3t\",\"EMPTY=\",\"BARE\",\"=x\"]}}";
	struct rp_docker_inspect c;
	char err[256];
	ck_assert_msg(rp_docker_parse_inspect(body, strlen(body), &c, err, sizeof err), "%s", err);
	ck_assert_str_eq(c.status, "exited");
	ck_assert(!c.running && c.oom_killed && !c.tty);
	ck_assert_int_eq(c.exit_code, 137);
	ck_assert_int_eq(c.restart_count, 4);
	ck_assert_str_eq(c.health, "unhealthy");
	ck_assert_str_eq(c.health_output, "cat: can't open '/ready'");
	ck_assert_int_eq(c.health_exit, 1);
	ck_assert_ptr_null(c.error);
	ck_assert_str_eq(c.finished_at, "2026-11-30T22:36:14.5Z");
	ck_assert_uint_eq(c.nenv, 4);
	ck_assert_str_eq(c.env[1].name, "REDIS_PASSWORD");
	ck_assert(!c.env[1].empty && c.env[2].empty && c.env[3].empty);
	rp_docker_inspect_free(&c);
	/* Podman without a health check: Health with an empty status */
	const char *plain = "{\"State\":{\"Status\":\"running\",\"Running\":true,\"Health\":"
	                    "{\"Status\":\"\",\"Log\":null}},\"Config\":{\"Tty\":true}}";
	ck_assert(rp_docker_parse_inspect(plain, strlen(plain), &c, err, sizeof err));
	ck_assert(c.running && c.tty);
	ck_assert_ptr_null(c.health);
	ck_assert_uint_eq(c.nenv, 0);
	rp_docker_inspect_free(&c);
	ck_assert(!rp_docker_parse_inspect("[]", 2, &c, err, sizeof err));
	rp_docker_inspect_free(&c);
}
END_TEST

START_TEST(test_logs)
{
	/* what podman sent for a container that printed to stdout, then stderr */
	const char framed[] = "\001\0\0\0\0\0\0\043Traceback (most recent call last):\n"
	                      "\002\0\0\0\0\0\0\054ModuleNotFoundError: No module named config\n";
	struct rp_buf b;
	rp_buf_init(&b);
	rp_docker_logs_text(framed, sizeof framed - 1, false, &b);
	rp_buf_putc(&b, '\0');
	ck_assert_str_eq(b.data, "Traceback (most recent call last):\n"
	                         "ModuleNotFoundError: No module named config\n");
	rp_buf_reset(&b);
	/* cut inside a frame: what it holds; a length past the end: the rest */
	rp_docker_logs_text(framed, 20, false, &b);
	ck_assert_uint_eq(b.len, 12);
	rp_buf_reset(&b);
	rp_docker_logs_text("plain text\n", 11, false, &b);
	ck_assert_uint_eq(b.len, 11);
	rp_buf_reset(&b);
	rp_docker_logs_text("\001\0\0\0\0\0\0\005ab", 10, true, &b);
	ck_assert_uint_eq(b.len, 10);
	rp_buf_free(&b);
}
END_TEST

START_TEST(test_error_line)
{
	const char *line;
	size_t n;
	const char *log = "Starting server\nTraceback (most recent call last):\n"
	                  "  File \"app.py\", line 1, in <module>\n"
	                  "ModuleNotFoundError: No module named 'config'\n\n";
	ck_assert(rp_text_last_error_line(log, strlen(log), &line, &n));
	ck_assert_int_eq((int)n, 45);
	ck_assert(strncmp(line, "ModuleNotFoundError: No module named 'config'", n) == 0);
	const char *crlf = "redis: connection REFUSED\r\nretrying\r\n";
	ck_assert(rp_text_last_error_line(crlf, strlen(crlf), &line, &n));
	ck_assert(strncmp(line, "redis: connection REFUSED", n) == 0 && n == 25);
	ck_assert(!rp_text_last_error_line("all good\nlistening on :8000\n", 28, &line, &n));
	ck_assert(!rp_text_last_error_line("", 0, &line, &n));
}
END_TEST

START_TEST(test_error_message)
{
	char out[64];
	const char *podman = "{\"cause\":\"no such process\",\"message\":\"read "
	                     "/proc/23038/cgroup: no such process\",\"response\":500}\n";
	rp_docker_error_message(podman, strlen(podman), out, sizeof out);
	ck_assert_str_eq(out, "read /proc/23038/cgroup: no such process");
	rp_docker_error_message("Bad Gateway\r\nmore", 18, out, sizeof out);
	ck_assert_str_eq(out, "Bad Gateway");
	rp_docker_error_message("{\"message\":\"\"}", 14, out, sizeof out);
	ck_assert_str_eq(out, "{\"message\":\"\"}");
	rp_docker_error_message("", 0, out, sizeof out);
	ck_assert_str_eq(out, "");
	/* the length bounds what is read, not a terminator */
	rp_docker_error_message("no-nul-here", 5, out, sizeof out);
	ck_assert_str_eq(out, "no-nu");
}
END_TEST

static Suite *docker_suite(void)
{
	Suite *s = suite_create("docker");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_inspect);
	tcase_add_test(tc, test_logs);
	tcase_add_test(tc, test_error_line);
	tcase_add_test(tc, test_error_message);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(docker_suite)
