/* check_latency against real peers on loopback: nginx for a fast baseline,
 * connection reuse (counted in nginx's own log), warmup and duration; our
 * test server for slow answers, a fixed error ratio (the seed's 66.7 %), a
 * stall in the middle (seen under --rate, hidden by the closed loop),
 * resets, refusals, a server that stops answering mid-run, and the hard
 * caps. Credentials never appear in any output mode. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLUGIN "plugins/check_latency"
#define TOKEN  "tok-7c1e5a9b3d2f4e6a8b0c1d2e3f4a5b6c"

static char *dir;
static pid_t server;
static int port;

static void setup(void)
{
	dir = h_tempdir();
	server = h_testserver(&port, NULL);
}

static void teardown(void)
{
	h_stop(server);
	h_rmrf(dir);
	free(dir);
}

static char *url(int p, const char *path)
{
	return rp_xasprintf("http://127.0.0.1:%d%s", p, path);
}

static const char *const secrets[] = { TOKEN, NULL };

#define run_modes(r, ...)                                                                          \
	h_run_modes((r), PLUGIN, "LATENCY", NULL, secrets, (const char *const[]){ __VA_ARGS__ })
#define run(r, ...) h_run((r), PLUGIN, __VA_ARGS__)

/* F17: the seed measured 66.7 % errors under light concurrency. The test
 * server fails 67 % of requests, spread evenly. */
START_TEST(test_error_rate)
{
	char *u = url(port, "/error-rate/67");
	struct h_run r;
	run(&r, "-u", u, "-n", "51", "--concurrency", "1", NULL);
	h_assert_contract(&r, "LATENCY");
	h_assert_state(&r, 2, "errors 66.7% (34 of 51)");
	ck_assert(h_perf(&r, "requests") == 51);
	ck_assert(h_perf(&r, "errors") > 66.6 && h_perf(&r, "errors") < 66.7);
	h_run_free(&r);
	/* the admin's threshold replaces the default ones */
	run(&r, "-u", u, "-n", "51", "--concurrency", "1", "-c", "errors=70", NULL);
	h_assert_state(&r, 0, "errors 66.7% (34 of 51)");
	h_run_free(&r);
	run(&r, "-u", u, "-n", "51", "-w", "errors=50", "-c", "errors=80", NULL);
	h_assert_state(&r, 1, "errors 66.7% (34 of 51)");
	h_run_free(&r);
	/* --expect 500: the failures are the answers now */
	run(&r, "-u", u, "-n", "51", "--expect", "200,500", NULL);
	h_assert_state(&r, 0, "errors 0% (0 of 51)");
	h_run_free(&r);
	free(u);
}
END_TEST

/* F16: a slow gateway. p95 decides; a bare range is p95's. */
START_TEST(test_slow_answers)
{
	char *u = url(port, "/status/200?delay=300");
	struct h_run r;
	run(&r, "-u", u, "-n", "4", "--concurrency", "2", "-w", "100ms", "-c", "p95=200ms", NULL);
	h_assert_contract(&r, "LATENCY");
	h_assert_state(&r, 2, "p95 3");
	ck_assert(strstr(r.out, " over 200 ms; 4 requests in "));
	ck_assert(h_perf(&r, "p95") >= 0.3 && h_perf(&r, "min") >= 0.3);
	h_run_free(&r);
	run(&r, "-u", u, "-n", "4", "--concurrency", "4", "-w", "p50=100ms", "-c", "p50=5s", NULL);
	h_assert_state(&r, 1, "p50 3");
	h_run_free(&r);
	/* slower than --request-timeout: an error of kind timeout */
	run(&r, "-u", u, "-n", "4", "--request-timeout", "100ms", "-v", NULL);
	h_assert_state(&r, 2, "every request failed (4 of 4): no answer within --request-timeout");
	ck_assert(strstr(r.out, "errors timeout: 4"));
	h_run_free(&r);
	free(u);
}
END_TEST

static pid_t fresh_server(int *p)
{
	return h_testserver(p, NULL);
}

/* A 1 s stall of the whole server at the 50th request. One connection in a
 * closed loop waits it out once: one slow request of 150, the maximum and
 * not p99. Under --rate 100 every request due meanwhile waits: p99 shows
 * it (no coordinated omission). */
START_TEST(test_stall_closed_and_open_loop)
{
	int p1, p2;
	pid_t s1 = fresh_server(&p1), s2 = fresh_server(&p2);
	char *u1 = url(p1, "/stall?after=50&ms=1000"), *u2 = url(p2, "/stall?after=50&ms=1000");
	struct h_run r;
	run(&r, "-u", u1, "-n", "150", "--concurrency", "1", NULL);
	h_assert_contract(&r, "LATENCY");
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(h_perf(&r, "p99") < 0.5, "closed loop p99 %g", h_perf(&r, "p99"));
	ck_assert(h_perf(&r, "max") >= 1.0);
	h_run_free(&r);
	run(&r, "-u", u2, "-n", "150", "--concurrency", "1", "--rate", "100", "-c", "p99=500ms",
	    NULL);
	h_assert_state(&r, 2, "p99 ");
	ck_assert_msg(h_perf(&r, "p99") >= 0.9, "open loop p99 %g", h_perf(&r, "p99"));
	ck_assert(h_perf(&r, "requests") == 150);
	h_run_free(&r);
	h_stop(s1);
	h_stop(s2);
	free(u1);
	free(u2);
}
END_TEST

/* -v's phases are on the latency's clock: the first byte of a request
 * comes before its last, so the average first byte is within the average
 * latency (it was not: libcurl's own preparation counted in one only). */
START_TEST(test_phases_on_the_latency_clock)
{
	char *u = url(port, "/");
	struct h_run r;
	run(&r, "-u", u, "-n", "30", "-v", NULL);
	h_assert_state(&r, 0, "p95 ");
	const char *avg = strstr(r.out, "latency: min ");
	avg = avg ? strstr(avg, ", avg ") : NULL;
	const char *fb = strstr(r.out, ", first byte ");
	ck_assert_msg(avg && fb && strstr(avg, " ms,") && strstr(fb, " ms\n"), "%s", r.out);
	double a = strtod(avg + 6, NULL), f = strtod(fb + 13, NULL);
	ck_assert_msg(f <= a * 1.01, "average first byte %g ms after the average latency %g ms", f,
	              a);
	h_run_free(&r);
	free(u);
}
END_TEST

START_TEST(test_broken_peers)
{
	struct h_run r;
	char *u = url(port, "/reset");
	run(&r, "-u", u, "-n", "10", "-v", NULL);
	h_assert_state(&r, 2, "every request failed (10 of 10): connection reset");
	ck_assert(strstr(r.out, "errors reset: 10"));
	ck_assert(strstr(r.out, "'p95'=U"));
	h_run_free(&r);
	free(u);
	u = url(h_free_port(), "/");
	run(&r, "-u", u, "-n", "5", NULL);
	h_assert_state(&r, 2, "every request failed (5 of 5): connection refused");
	h_run_free(&r);
	free(u);
}
END_TEST

/* The server stops answering after 10 requests: -t ends the load, what
 * was measured is judged, and the cut is a finding in --timeout-state. */
START_TEST(test_stops_answering)
{
	int p;
	pid_t s = fresh_server(&p);
	char *u = url(p, "/stop-after/10");
	struct h_run r;
	run(&r, "-u", u, "-n", "30", "-t", "2", NULL);
	h_assert_contract(&r, "LATENCY");
	h_assert_state(
	        &r, 2,
	        "the load did not finish within 2 s (-t): 4 requests unanswered after up to");
	ck_assert(strstr(r.out, "16 never sent; 10 requests in "));
	ck_assert(h_perf(&r, "requests") == 10);
	ck_assert(h_perf(&r, "errors") == 0);
	h_run_free(&r);
	run(&r, "-u", u, "-n", "30", "-t", "1", "--timeout-state", "unknown", NULL);
	h_assert_state(&r, 3, "the load did not finish within 1 s (-t)");
	h_run_free(&r);
	/* now nothing answers at all: no request ended, so no error rate was
	 * measured (not 0 %), and no latency */
	run(&r, "-u", u, "-n", "8", "-t", "1", NULL);
	h_assert_state(&r, 2, "the load did not finish within 1 s (-t): 4 requests unanswered");
	ck_assert_msg(strstr(r.out, "'errors'=U") && strstr(r.out, "'p95'=U"), "%s", r.out);
	ck_assert(h_perf(&r, "requests") == 0);
	h_run_free(&r);
	h_stop(s);
	free(u);
}
END_TEST

START_TEST(test_hard_caps)
{
	char *u = url(port, "/");
	static const char *const bad[][8] = {
		{ "-n", "10001", NULL },
		{ "-n", "0", NULL },
		{ "--duration", "61s", "-t", "100", NULL },
		{ "--duration", "20s", NULL }, /* longer than the default -t 10 */
		{ "--rate", "1", "-n", "100", "-t", "30", NULL },
		{ "--rate", "1", "-n", "100", "-t", "300", NULL }, /* past the 60 s cap */
		{ "--rate", "1000", "--duration", "20s", "-t", "30", NULL },
		{ "-n", "9000", "--warmup", "2000", NULL },
		{ "--concurrency", "257", NULL },
		{ "--rate", "0", NULL },
		{ "--request-timeout", "0", NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *argv[12] = { PLUGIN, "-u", u };
		size_t n = 3;
		for (size_t j = 0; bad[i][j]; j++)
			argv[n++] = bad[i][j];
		struct h_run r;
		h_run_argv(&r, (char *const *)argv, NULL, 10);
		h_assert_contract(&r, "LATENCY");
		ck_assert_msg(r.exit_code == 3 && strstr(r.out, "LATENCY UNKNOWN - "),
		              "case %zu: %s", i, r.out);
		h_run_free(&r);
	}
	free(u);
}
END_TEST

/* A token from a file reaches the server on every request and no output
 * mode shows it; a wrong one makes every request a 401. */
START_TEST(test_credentials)
{
	char *tok = h_write_file(dir, "token", TOKEN "\n", strlen(TOKEN) + 1);
	ck_assert_int_eq(chmod(tok, 0600), 0);
	char *good = url(port, "/need-bearer/" TOKEN);
	char *bad = url(port, "/need-bearer/another");
	struct h_run r;
	run_modes(&r, "-u", good, "--token-file", tok, "-n", "8", NULL);
	h_assert_state(&r, 0, "errors 0% (0 of 8)");
	h_run_free(&r);
	run_modes(&r, "-u", bad, "--token-file", tok, "-n", "8", NULL);
	h_assert_state(&r, 2, "every request failed (8 of 8): HTTP 401 from");
	h_run_free(&r);
	free(tok);
	free(good);
	free(bad);
}
END_TEST

/* ------------------------------------------------------------ nginx */

static char *ngx_dir;
static pid_t ngx;
static int ngx_port;

static void nginx_setup(void)
{
	ngx_dir = h_tempdir();
	free(h_write_file(ngx_dir, "health.json", "{\"status\":\"ok\"}\n", 16));
	char *servers = rp_xasprintf("  log_format conn '$connection';\n"
	                             "  server { listen 127.0.0.1:PORT; root %1$s;\n"
	                             "    access_log %1$s/access.log conn; }\n",
	                             ngx_dir);
	ngx = h_nginx(ngx_dir, servers, &ngx_port);
	free(servers);
}

static void nginx_teardown(void)
{
	h_stop(ngx);
	h_rmrf(ngx_dir);
	free(ngx_dir);
}

/* Lines and distinct connections in nginx's log since the last call. */
static void log_since(size_t *lines, size_t *conns)
{
	char *path = rp_xasprintf("%s/access.log", ngx_dir);
	FILE *f = fopen(path, "r");
	char line[64];
	char seen[1000][64];
	*lines = *conns = 0;
	while (f && fgets(line, sizeof line, f)) {
		(*lines)++;
		line[strcspn(line, "\n")] = '\0';
		size_t i = 0;
		while (i < *conns && strcmp(seen[i], line) != 0)
			i++;
		if (i == *conns && *conns < 1000)
			snprintf(seen[(*conns)++], sizeof seen[0], "%s", line);
	}
	if (f)
		fclose(f);
	if (truncate(path, 0) != 0 && f)
		ck_abort_msg("cannot empty %s", path);
	free(path);
}

START_TEST(test_nginx_baseline_and_reuse)
{
	char *u = url(ngx_port, "/health.json");
	struct h_run r;
	size_t lines, conns;
	log_since(&lines, &conns);
	run(&r, "-u", u, "-n", "40", "--concurrency", "2", "-v", NULL);
	h_assert_contract(&r, "LATENCY");
	h_assert_state(&r, 0, "p95 ");
	ck_assert(strstr(r.out, "errors 0% (0 of 40); 40 requests in "));
	ck_assert(strstr(r.out, "statuses: 200 x 40"));
	ck_assert(strstr(r.out, "latency histogram:"));
	const char *labels[] = { "min", "avg", "p50", "p90", "p95", "p99", "max", "rps" };
	for (size_t i = 0; i < 8; i++)
		ck_assert_msg(h_perf(&r, labels[i]) > 0, "%s", labels[i]);
	ck_assert(h_perf(&r, "min") <= h_perf(&r, "p50"));
	ck_assert(h_perf(&r, "p50") <= h_perf(&r, "p95"));
	ck_assert(h_perf(&r, "p99") <= h_perf(&r, "max"));
	h_run_free(&r);
	log_since(&lines, &conns);
	ck_assert_uint_eq(lines, 40);
	ck_assert_msg(conns <= 2, "%zu connections for 40 requests kept alive", conns);
	/* --no-reuse: one connection a request */
	run(&r, "-u", u, "-n", "20", "--concurrency", "2", "--no-reuse", NULL);
	h_assert_state(&r, 0, "p95 ");
	h_run_free(&r);
	log_since(&lines, &conns);
	ck_assert_uint_eq(lines, 20);
	ck_assert_uint_eq(conns, 20);
	free(u);
}
END_TEST

START_TEST(test_nginx_warmup_and_duration)
{
	char *u = url(ngx_port, "/health.json");
	struct h_run r;
	size_t lines, conns;
	log_since(&lines, &conns);
	run(&r, "-u", u, "-n", "10", "--warmup", "5", NULL);
	h_assert_state(&r, 0, "errors 0% (0 of 10); 10 requests in ");
	h_run_free(&r);
	log_since(&lines, &conns);
	ck_assert_uint_eq(lines, 15);
	/* --duration alone: as many as fit, on schedule with --rate */
	run(&r, "-u", u, "--rate", "40", "--duration", "0.5s", NULL);
	h_assert_state(&r, 0, "errors 0% (0 of 20); 20 requests in 0.");
	h_run_free(&r);
	run(&r, "-u", u, "--duration", "300ms", "--concurrency", "1", NULL);
	h_assert_state(&r, 0, "p95 ");
	ck_assert(h_perf(&r, "requests") > 50);
	ck_assert(h_perf(&r, "time") >= 0.3 && h_perf(&r, "time") < 2);
	h_run_free(&r);
	free(u);
}
END_TEST

/* ------------------------------------------------------- nginx over TLS */

static char *tls_dir;
static pid_t tls_ngx;
static int tls_port;

static void tls_setup(void)
{
	tls_dir = h_tempdir();
	h_make_cert(tls_dir, "ca", NULL, "latency test CA", -1, 3650);
	h_make_cert(tls_dir, "good", "ca", "api.test", -1, 365);
	free(h_write_file(tls_dir, "health.json", "{\"status\":\"ok\"}\n", 16));
	char *servers = rp_xasprintf(
	        "  server { listen 127.0.0.1:PORT ssl; server_name api.test;\n"
	        "    ssl_certificate %1$s/good.crt; ssl_certificate_key %1$s/good.key;\n"
	        "    root %1$s; }\n",
	        tls_dir);
	tls_ngx = h_nginx(tls_dir, servers, &tls_port);
	free(servers);
}

static void tls_teardown(void)
{
	h_stop(tls_ngx);
	h_rmrf(tls_dir);
	free(tls_dir);
}

/* The TLS options are check_api's: --cacert and --resolve reach every
 * request; an untrusted certificate fails every request in its words;
 * --no-reuse pays the handshake each time and -v shows it. */
START_TEST(test_tls)
{
	char *u = rp_xasprintf("https://api.test:%d/health.json", tls_port);
	char *pin = rp_xasprintf("api.test:%d:127.0.0.1", tls_port);
	char *ca = rp_xasprintf("%s/ca.crt", tls_dir);
	struct h_run r;
	run(&r, "-u", u, "--resolve", pin, "--cacert", ca, "-n", "20", "-v", NULL);
	h_assert_contract(&r, "LATENCY");
	h_assert_state(&r, 0, "errors 0% (0 of 20)");
	h_run_free(&r);
	run(&r, "-u", u, "--resolve", pin, "-n", "5", NULL);
	h_assert_state(&r, 2, "every request failed (5 of 5): the TLS certificate is not trusted");
	h_run_free(&r);
	run(&r, "-u", u, "--resolve", pin, "--insecure", "-n", "5", NULL);
	h_assert_state(&r, 1, "TLS verification is off (--insecure)");
	h_run_free(&r);
	run(&r, "-u", u, "--resolve", pin, "--cacert", ca, "-n", "6", "--no-reuse", "-v", NULL);
	h_assert_state(&r, 0, "errors 0% (0 of 6)");
	ck_assert_msg(strstr(r.out, "a new one for every request") && !strstr(r.out, ", TLS 0 ms,"),
	              "%s", r.out);
	h_run_free(&r);
	free(u);
	free(pin);
	free(ca);
}
END_TEST

static Suite *check_latency_suite(void)
{
	Suite *s = suite_create("check_latency");
	TCase *tc = tcase_create("testserver");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_error_rate);
	tcase_add_test(tc, test_slow_answers);
	tcase_add_test(tc, test_stall_closed_and_open_loop);
	tcase_add_test(tc, test_broken_peers);
	tcase_add_test(tc, test_phases_on_the_latency_clock);
	tcase_add_test(tc, test_stops_answering);
	tcase_add_test(tc, test_hard_caps);
	tcase_add_test(tc, test_credentials);
	suite_add_tcase(s, tc);
	TCase *ng = tcase_create("nginx");
	tcase_set_timeout(ng, 120);
	tcase_add_checked_fixture(ng, nginx_setup, nginx_teardown);
	tcase_add_test(ng, test_nginx_baseline_and_reuse);
	tcase_add_test(ng, test_nginx_warmup_and_duration);
	suite_add_tcase(s, ng);
	TCase *tls = tcase_create("nginx-tls");
	tcase_set_timeout(tls, 120);
	tcase_add_checked_fixture(tls, tls_setup, tls_teardown);
	tcase_add_test(tls, test_tls);
	suite_add_tcase(s, tls);
	return s;
}

RP_TEST_MAIN(check_latency_suite)
