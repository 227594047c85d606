/* The harness and our test server, tested before any plugin relies on them:
 * each scripted behaviour of rp-testserver, stopping peers by PID (their
 * forked children included), and the contract assertions on a real run. */
#include "harness.h"
#include "rp_deadline.h"
#include "rp_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sends request to 127.0.0.1:port and returns what came back within
 * timeout seconds (NUL-terminated, at most cap bytes). */
static char *exchange(int port, const char *request, double timeout, size_t cap)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "connect: %s",
	              strerror(errno));
	if (request)
		ck_assert(write(fd, request, strlen(request)) == (ssize_t)strlen(request));
	char *buf = calloc(1, cap + 1);
	size_t len = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };
	while (len < cap && poll(&pfd, 1, (int)(timeout * 1000)) > 0) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}

static pid_t server_pid;
static int server_port;

static void start_server(void)
{
	server_pid = h_testserver(&server_port, NULL);
}

static void stop_server(void)
{
	h_stop(server_pid);
}

START_TEST(test_status_with_headers)
{
	char *r = exchange(server_port,
	                   "GET /status/401?h=WWW-Authenticate:Bearer%20realm%3D%22api%22&body=no "
	                   "HTTP/1.1\r\nHost: x\r\n\r\n",
	                   5, 4096);
	ck_assert_msg(strncmp(r, "HTTP/1.1 401 Unauthorized\r\n", 27) == 0, "%s", r);
	ck_assert(strstr(r, "WWW-Authenticate: Bearer realm=\"api\"\r\n") != NULL);
	ck_assert(strstr(r, "\r\n\r\nno") != NULL);
	free(r);
}
END_TEST

START_TEST(test_bearer_and_redirect)
{
	char *r = exchange(server_port, "GET /need-bearer/s3cret HTTP/1.1\r\n\r\n", 5, 4096);
	ck_assert(strncmp(r, "HTTP/1.1 401", 12) == 0);
	free(r);
	r = exchange(server_port,
	             "GET /need-bearer/s3cret HTTP/1.1\r\nAuthorization: Bearer s3cret\r\n\r\n", 5,
	             4096);
	ck_assert(strncmp(r, "HTTP/1.1 200", 12) == 0);
	free(r);
	r = exchange(server_port, "GET /redirect?to=/login HTTP/1.1\r\n\r\n", 5, 4096);
	ck_assert(strncmp(r, "HTTP/1.1 302", 12) == 0);
	ck_assert(strstr(r, "Location: /login\r\n") != NULL);
	free(r);
}
END_TEST

START_TEST(test_error_rate)
{
	int failures = 0;
	for (int i = 0; i < 30; i++) {
		char *r = exchange(server_port, "GET /error-rate/40 HTTP/1.1\r\n\r\n", 5, 4096);
		failures += strncmp(r, "HTTP/1.1 500", 12) == 0;
		free(r);
	}
	ck_assert_int_eq(failures, 12);
}
END_TEST

START_TEST(test_silence_and_slow)
{
	double t0 = rp_deadline_now();
	char *r = exchange(server_port, "GET /silence HTTP/1.1\r\n\r\n", 0.5, 4096);
	ck_assert_str_eq(r, "");
	ck_assert(rp_deadline_now() - t0 >= 0.45);
	free(r);
	t0 = rp_deadline_now();
	r = exchange(server_port, "GET /status/200?delay=300 HTTP/1.1\r\n\r\n", 5, 4096);
	ck_assert(strncmp(r, "HTTP/1.1 200", 12) == 0);
	ck_assert(rp_deadline_now() - t0 >= 0.29);
	free(r);
}
END_TEST

START_TEST(test_endless_and_drip)
{
	char *r = exchange(server_port, "GET /endless HTTP/1.1\r\n\r\n", 2, 200000);
	ck_assert_uint_eq(strlen(r), 200000);
	free(r);
	r = exchange(server_port, "GET /drip?bytes=3&interval=100 HTTP/1.1\r\n\r\n", 2, 4096);
	ck_assert(strstr(r, "\r\n\r\nxxx") != NULL);
	free(r);
}
END_TEST

START_TEST(test_websocket)
{
	/* RFC 6455's own example key and accept value */
	const char *req = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	                  "Sec-WebSocket-Version: 13\r\n\r\n";
	char *r = exchange(server_port, req, 0.5, 4096);
	ck_assert_msg(strncmp(r, "HTTP/1.1 101", 12) == 0, "%s", r);
	ck_assert(strstr(r, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") != NULL);
	free(r);
}
END_TEST

START_TEST(test_garbage_and_modes)
{
	char *r = exchange(server_port, "GET /garbage HTTP/1.1\r\n\r\n", 2, 4096);
	ck_assert((unsigned char)r[0] == 0xff);
	free(r);
	int port;
	pid_t pid = h_testserver(&port, "--mode", "banner", "--banner", "SSH-2.0-test", NULL);
	r = exchange(port, NULL, 0.3, 4096);
	ck_assert_str_eq(r, "SSH-2.0-test\r\n");
	free(r);
	h_stop(pid);
	pid = h_testserver(&port, "--mode", "silent", NULL);
	r = exchange(port, "hello\r\n", 0.3, 4096);
	ck_assert_str_eq(r, "");
	free(r);
	h_stop(pid);
	/* the stopped server's group, its silent child included, is gone */
	ck_assert_int_eq(kill(-pid, 0), -1);
	ck_assert(!h_wait_port("127.0.0.1", port, 0.2));
}
END_TEST

START_TEST(test_free_port_and_wait)
{
	int port = h_free_port();
	ck_assert_int_gt(port, 0);
	ck_assert(!h_wait_port("127.0.0.1", port, 0.1));
	ck_assert(h_wait_port("127.0.0.1", server_port, 1));
}
END_TEST

START_TEST(test_contract_on_a_real_run)
{
	struct h_run r;
	h_run(&r, "tests/unit/cli_prog", "--value", "2", "-w", "1", NULL);
	h_assert_contract(&r, "CLIPROG");
	h_assert_state(&r, 1, "value 2");
	ck_assert(h_perf(&r, "time") == 2);
	ck_assert(!h_has_perf(&r, "nope"));
	h_run_free(&r);
	h_run(&r, "tests/unit/cli_prog", "--output-format", "json", NULL);
	json_object *j = h_json(&r), *v;
	ck_assert(json_object_object_get_ex(j, "state_text", &v));
	ck_assert_str_eq(json_object_get_string(v), "OK");
	json_object_put(j);
	h_run_free(&r);
}
END_TEST

START_TEST(test_tempdir)
{
	char *dir = h_tempdir();
	char *f = h_write_file(dir, "a file", "x", 1);
	ck_assert(access(f, R_OK) == 0);
	h_rmrf(dir);
	ck_assert(access(dir, F_OK) != 0);
	free(f);
	free(dir);
}
END_TEST

static Suite *harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *tc = tcase_create("testserver");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, start_server, stop_server);
	tcase_add_test(tc, test_status_with_headers);
	tcase_add_test(tc, test_bearer_and_redirect);
	tcase_add_test(tc, test_error_rate);
	tcase_add_test(tc, test_silence_and_slow);
	tcase_add_test(tc, test_endless_and_drip);
	tcase_add_test(tc, test_websocket);
	tcase_add_test(tc, test_garbage_and_modes);
	tcase_add_test(tc, test_free_port_and_wait);
	suite_add_tcase(s, tc);
	TCase *tr = tcase_create("runs");
	tcase_add_test(tr, test_contract_on_a_real_run);
	tcase_add_test(tr, test_tempdir);
	suite_add_tcase(s, tr);
	return s;
}

RP_TEST_MAIN(harness_suite)
