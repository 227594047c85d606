/* check_api against our test server on loopback: statuses (F1, F15),
 * challenges, credentials from files and the environment, redirects to a
 * login page, slow answers (F16), silence, dripping and endless bodies,
 * garbage, refused connections. Every run, in every output mode, is
 * searched for the secrets it used. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLUGIN   "plugins/check_api"
#define TOKEN    "tok-5f2b9c1e7a3d4b6f8e0c2a4d6b8f0e1c"
#define PASSWORD "pw-9a8b7c6d5e4f3a2b1c0d"
#define API_KEY  "key-0a1b2c3d4e5f6a7b8c9d"

static char *dir;
static pid_t server;
static int port;

static void setup(void)
{
	dir = h_tempdir();
	server = h_testserver(&port, "--bearer", TOKEN, "--basic", "ops:" PASSWORD, NULL);
}

static void teardown(void)
{
	h_stop(server);
	h_rmrf(dir);
	free(dir);
}

static char *url(const char *path)
{
	return rp_xasprintf("http://127.0.0.1:%d%s", port, path);
}

/* Runs with env (may be NULL) three ways: JSON, -vvv, text; r keeps text;
 * no secret may appear in any. */
#define run_env(r, envp, ...)                                                                      \
	h_run_modes((r), PLUGIN, "API", (envp), secrets, (const char *const[]){ __VA_ARGS__ })

static const char *const secrets[] = { TOKEN, PASSWORD, API_KEY, NULL };

#define run(r, ...) run_env((r), NULL, __VA_ARGS__)

START_TEST(test_ok_and_timings)
{
	char *u = url("/ok");
	struct h_run r;
	run(&r, "-u", u, NULL);
	h_assert_state(&r, 0, "HTTP 200 OK from http://127.0.0.1:");
	const char *labels[] = { "time", "time_connect", "time_tls", "time_firstbyte", "size" };
	for (size_t i = 0; i < 5; i++)
		ck_assert(h_has_perf(&r, labels[i]));
	ck_assert(h_perf(&r, "size") == 3);
	h_run_free(&r);
	free(u);
}
END_TEST

START_TEST(test_slow_gateway)
{
	char *u = url("/status/200?delay=700");
	struct h_run r;
	run(&r, "-u", u, "-w", "300ms", "-c", "5s", NULL);
	h_assert_state(&r, 1, "response time");
	ck_assert(h_perf(&r, "time") >= 0.7);
	h_run_free(&r);
	run(&r, "-u", u, "-w", "time=100ms", "-c", "time=500ms", NULL);
	h_assert_state(&r, 2, NULL);
	h_run_free(&r);
	free(u);
}
END_TEST

/* Every phase time the plugin shows with a threshold decides the state. */
START_TEST(test_phase_thresholds_judged)
{
	char *u = url("/ok");
	struct h_run r;
	run(&r, "-u", u, "-c", "time_connect=0.0000001", NULL);
	h_assert_state(&r, 2, "time_connect is ");
	h_run_free(&r);
	run(&r, "-u", u, "-w", "time_firstbyte=0.0000001", NULL);
	h_assert_state(&r, 1, "time_firstbyte is ");
	h_run_free(&r);
	run(&r, "-u", u, "-c", "cert_days=30:", NULL);
	h_assert_state(&r, 0, "HTTP 200");
	ck_assert(strstr(r.out, "cert_days: not measured in this run") != NULL);
	h_run_free(&r);
	free(u);
}
END_TEST

/* The URL reached after redirects is shown without its credentials. */
START_TEST(test_final_url_redacted)
{
	/* the secrets only in the server's Location, so percent-encoded here */
	char *u = rp_xasprintf("http://127.0.0.1:%d/redirect?to=http%%3A%%2F%%2Fops%%3A"
	                       "%%68%%75%%6e%%74%%65%%72%%32%%2d%%70%%77" /* hunter2-pw */
	                       "%%40127.0.0.1%%3A%d%%2Fok%%3Fapi_key%%3D"
	                       "%%6b%%65%%79%%2d%%73%%33%%63%%72%%33%%74", /* key-s3cr3t */
	                       port, port);
	const char *args[] = { "-u", u, "--follow", "-v", NULL };
	const char *const no[] = { "hunter2-pw", "key-s3cr3t", NULL };
	struct h_run r;
	h_run_modes(&r, PLUGIN, "API", NULL, no, args);
	h_assert_state(&r, 0, "HTTP 200");
	ck_assert_msg(strstr(r.out, "followed 1 redirect to http://127.0.0.1:") != NULL, "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "/ok?api_key=[redacted]") != NULL, "%s", r.out);
	h_run_free(&r);
	free(u);
}
END_TEST

/* A status line without a reason phrase: "HTTP 500 from", one space. */
START_TEST(test_status_without_reason)
{
	int p;
	pid_t bare =
	        h_testserver(&p, "--mode", "banner", "--banner",
	                     "HTTP/1.1 500 \r\nContent-Length: 0\r\nConnection: close\r\n", NULL);
	char *u = rp_xasprintf("http://127.0.0.1:%d/", p);
	struct h_run r;
	run(&r, "-u", u, NULL);
	h_assert_state(&r, 2, "HTTP 500 from http://127.0.0.1:");
	ck_assert_msg(strstr(r.out, "500  from") == NULL, "%s", r.out);
	h_run_free(&r);
	free(u);
	h_stop(bare);
}
END_TEST

START_TEST(test_unauthorized)
{
	char *u = url("/need-bearer");
	struct h_run r;
	run(&r, "-u", u, NULL);
	h_assert_state(&r, 2, "HTTP 401 Unauthorized from");
	ck_assert(strstr(r.out, "no credentials were sent") != NULL);
	ck_assert(strstr(r.out, "the server asks for: Bearer realm=\"api\"") != NULL);
	h_run_free(&r);

	char *good = h_write_file(dir, "token", TOKEN "\n", strlen(TOKEN) + 1);
	chmod(good, 0600);
	run(&r, "-u", u, "--token-file", good, NULL);
	h_assert_state(&r, 0, "HTTP 200");
	h_run_free(&r);
	char *bad = h_write_file(dir, "wrong", "not-the-token", 13);
	chmod(bad, 0600);
	run(&r, "-u", u, "--token-file", bad, NULL);
	h_assert_state(&r, 2, "credentials were sent and refused");
	h_run_free(&r);
	/* a token file others can read still works, with a warning */
	chmod(good, 0644);
	run(&r, "-u", u, "--token-file", good, NULL);
	h_assert_state(&r, 1, "readable by others (mode 0644)");
	h_run_free(&r);
	char *envp[] = { (char *)"API_TOKEN=" TOKEN, (char *)"EMPTY=", NULL };
	run_env(&r, envp, "-u", u, "--token-env", "API_TOKEN", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	run_env(&r, envp, "-u", u, "--token-env", "EMPTY", NULL);
	h_assert_state(&r, 3, "is empty");
	h_run_free(&r);
	run_env(&r, envp, "-u", u, "--token-env", "NOT_SET", NULL);
	h_assert_state(&r, 3, "the token variable NOT_SET is not set");
	h_run_free(&r);
	char *missing = rp_xasprintf("%s/none", dir);
	run(&r, "-u", u, "--token-file", missing, NULL);
	h_assert_state(&r, 3, "cannot read the token file");
	h_run_free(&r);
	free(missing);
	free(u);

	u = url("/need-basic");
	char *pw = h_write_file(dir, "pw", PASSWORD, strlen(PASSWORD));
	chmod(pw, 0600);
	run(&r, "-u", u, "--user", "ops", "--password-file", pw, NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	char *envp2[] = { (char *)"PW=wrong", NULL };
	run_env(&r, envp2, "-u", u, "--user", "ops", "--password-env", "PW", NULL);
	h_assert_state(&r, 2, "the server asks for: Basic realm=\"admin\"");
	h_run_free(&r);
	/* credentials in the URL are sent too, and never shown */
	char *with_user =
	        rp_xasprintf("http://ops:%s@127.0.0.1:%d/need-bearer", "wrong-" PASSWORD, port);
	run(&r, "-u", with_user, NULL);
	h_assert_state(&r, 2, "credentials were sent and refused");
	ck_assert(strstr(r.out, "wrong-") == NULL);
	h_run_free(&r);
	free(with_user);
	free(pw);
	free(u);
	free(good);
	free(bad);
}
END_TEST

START_TEST(test_statuses_and_expect)
{
	struct {
		const char *path;
		int state;
		const char *text;
	} cases[] = {
		{ "/status/404", 2, "HTTP 404 Not Found" },
		{ "/status/500", 2, "HTTP 500 Internal Server Error" },
		{ "/status/503", 2, "HTTP 503 Service Unavailable" },
		{ "/status/204", 0, "HTTP 204" },
		{ "/redirect?to=/login", 1, "redirecting to /login (a login page" },
		{ "/redirect?to=/elsewhere&code=301", 1, "(--follow to judge the final answer)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *u = url(cases[i].path);
		struct h_run r;
		run(&r, "-u", u, NULL);
		ck_assert_msg(r.exit_code == cases[i].state, "%s: %s", cases[i].path, r.out);
		ck_assert_msg(strstr(r.out, cases[i].text) != NULL, "%s: %s", cases[i].path, r.out);
		h_run_free(&r);
		free(u);
	}
	char *u = url("/status/404");
	struct h_run r;
	run(&r, "-u", u, "--expect", "200,404", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	free(u);
	u = url("/status/204");
	run(&r, "-u", u, "--expect", "200", NULL);
	h_assert_state(&r, 2, "HTTP 204");
	h_run_free(&r);
	free(u);
	u = url("/redirect?to=/status/200");
	run(&r, "-u", u, "--follow", "-v", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert(strstr(r.out, "followed 1 redirect to") != NULL);
	h_run_free(&r);
	run(&r, "-u", u, "--expect", "302", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	free(u);
}
END_TEST

START_TEST(test_hostile_and_broken_peers)
{
	struct h_run r;
	/* a challenge and a Location with '|' cannot forge perfdata */
	char *u = url("/status/401?h=WWW-Authenticate:Bearer%20x%7C'time'%3D0");
	run(&r, "-u", u, NULL);
	h_assert_state(&r, 2, NULL);
	ck_assert_uint_eq(r.parsed.perf.n, 5); /* ours only */
	ck_assert(strstr(r.out, "Bearer x\\x7c'time'=0") != NULL);
	h_run_free(&r);
	free(u);
	u = url("/silence");
	run(&r, "-u", u, "-t", "1", NULL);
	h_assert_state(&r, 2, "no complete response within 1 s");
	ck_assert_msg(r.raw.elapsed < 2.0, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	run(&r, "-u", u, "-t", "500ms", "--timeout-state", "unknown", NULL);
	h_assert_state(&r, 3, NULL);
	h_run_free(&r);
	free(u);
	u = url("/drip?bytes=100&interval=300");
	run(&r, "-u", u, "-t", "1", NULL);
	h_assert_state(&r, 2, "no complete response within 1 s");
	ck_assert(r.raw.elapsed < 2.0);
	h_run_free(&r);
	free(u);
	u = url("/endless");
	run(&r, "-u", u, "--max-body", "64KiB", "-v", "-t", "5", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert(strstr(r.out, "body cut at 65536 bytes") != NULL);
	h_run_free(&r);
	free(u);
	u = url("/garbage");
	run(&r, "-u", u, NULL);
	h_assert_state(&r, 2, "the reply is not HTTP");
	h_run_free(&r);
	free(u);
	/* a TLS peer that accepts and never speaks: the handshake waits for
	 * nothing past the deadline */
	int silent_port;
	pid_t silent = h_testserver(&silent_port, "--mode", "silent", NULL);
	char *hs = rp_xasprintf("https://127.0.0.1:%d/", silent_port);
	run(&r, "-u", hs, "-t", "1", NULL);
	h_assert_state(&r, 2, "no complete response within 1 s");
	ck_assert_msg(r.raw.elapsed < 2.0, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	free(hs);
	h_stop(silent);
	/* a peer that answers a TLS hello with junk */
	int junk_port;
	pid_t junk = h_testserver(&junk_port, "--mode", "garbage", NULL);
	hs = rp_xasprintf("https://127.0.0.1:%d/", junk_port);
	run(&r, "-u", hs, "-t", "3", NULL);
	h_assert_state(&r, 2, "the TLS handshake failed");
	h_run_free(&r);
	free(hs);
	h_stop(junk);
	char *closed = rp_xasprintf("http://127.0.0.1:%d/", h_free_port());
	run(&r, "-u", closed, NULL);
	h_assert_state(&r, 2, "connection refused");
	h_run_free(&r);
	free(closed);
}
END_TEST

START_TEST(test_body_headers_and_data)
{
	struct h_run r;
	char *u = url("/json?body=%7B%22status%22%3A%22ok%22%7D");
	run(&r, "-u", u, "--contains", "\"status\":\"ok\"", "--regex", "^\\{.*\\}$", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	run(&r, "-u", u, "--contains", "degraded", NULL);
	h_assert_state(&r, 2, "body lacks 'degraded'");
	h_run_free(&r);
	run(&r, "-u", u, "--regex", "^x", NULL);
	h_assert_state(&r, 2, "body does not match /^x/");
	h_run_free(&r);
	free(u);
	/* headers reach the server; those from a file stay out of the trace */
	u = url("/echo");
	char *hf = h_write_file(dir, "headers", "X-Api-Key: " API_KEY "\n# comment\n",
	                        strlen("X-Api-Key: " API_KEY "\n# comment\n"));
	chmod(hf, 0600);
	run(&r, "-u", u, "--header", "X-Trace: visible", "--header-file", hf, "--regex",
	    "X-Api-Key: key-[0-9a-f]{20}", "-vvv", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert(strstr(r.out, "> X-Trace: visible") != NULL);
	ck_assert(strstr(r.out, "> X-Api-Key: [redacted]") != NULL);
	h_run_free(&r);
	/* --follow keeps the secret headers with their origin: sent after a
	 * redirect to the same origin, withheld from another (localhost is
	 * another host than 127.0.0.1), the plain ones sent to both */
	char *same = rp_xasprintf("http://127.0.0.1:%d/redirect?to=/echo", port);
	run(&r, "-u", same, "--follow", "--header-file", hf, "--header", "X-Trace: visible",
	    "--regex", "X-Api-Key: key-[0-9a-f]{20}", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	char *other = rp_xasprintf("http://127.0.0.1:%d/redirect?to=http%%3A%%2F%%2Flocalhost%%3A%d"
	                           "%%2Fecho",
	                           port, port);
	run(&r, "-u", other, "--follow", "--header-file", hf, "--header", "X-Trace: visible",
	    "--contains", "X-Trace: visible", "--regex", "X-Api-Key", NULL);
	h_assert_state(&r, 2, "body does not match /X-Api-Key/");
	ck_assert(strstr(r.out, "followed 1 redirect") != NULL || r.exit_code == 2);
	h_run_free(&r);
	free(same);
	free(other);
	run(&r, "-u", u, "--data", "a=1", "--contains", "POST /echo", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	char *df = h_write_file(dir, "body", "{}", 2);
	run(&r, "-u", u, "--data-file", df, "--method", "PUT", "--contains", "PUT /echo", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	run(&r, "-u", u, "--method", "HEAD", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	free(df);
	free(hf);
	free(u);
	/* credentials and secret query values in the URL are not shown */
	char *cred = rp_xasprintf("http://ops:%s@127.0.0.1:%d/status/404?api_key=%s&page=2",
	                          PASSWORD, port, API_KEY);
	run(&r, "-u", cred, NULL);
	h_assert_state(&r, 2, "/status/404?api_key=[redacted]&page=2");
	h_run_free(&r);
	free(cred);
}
END_TEST

/* /status/CODE answering body (percent-encoded here) as content type ctype */
static char *doc_url(int code, const char *ctype, const char *body)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "http://127.0.0.1:%d/status/%d?ctype=%s&body=", port, code, ctype);
	for (const unsigned char *p = (const unsigned char *)body; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9'))
			rp_buf_putc(&b, (char)*p);
		else
			rp_buf_printf(&b, "%%%02X", *p);
	}
	return rp_buf_steal(&b);
}

START_TEST(test_health_documents)
{
	struct {
		int code;
		const char *ctype, *body;
		int state;
		const char *text;
	} cases[] = {
		/* F14: 200 with a degraded body */
		{ 200, "application/json", "{\"status\":\"degraded\"}", 1,
		  "health \"degraded\" from" },
		{ 200, "application/json", "{\"status\":\"healthy\"}", 0, "health \"healthy\"" },
		{ 200, "application/json",
		  "{\"status\":\"ok\",\"services\":{\"websocket\":\"down\",\"db\":\"up\"}}", 2,
		  "health \"ok\" but services.websocket down (yet HTTP said success)" },
		{ 200, "application/json",
		  "{\"status\":\"ok\",\"checks\":[{\"name\":\"redis\",\"status\":\"error\","
		  "\"error\":\"NOAUTH\"}]}",
		  2, "redis error (NOAUTH)" },
		/* IETF health+json: the document's own words and each failing check */
		{ 200, "application/health+json",
		  "{\"status\":\"fail\",\"checks\":{\"db:responseTime\":[{\"status\":\"fail\","
		  "\"output\":\"timeout after 5s\"}],\"uptime\":[{\"status\":\"pass\"}]}}",
		  2, "health \"fail\": db:responseTime fail (timeout after 5s)" },
		{ 200, "application/health+json",
		  "{\"status\":\"warn\",\"checks\":{\"disk:utilization\":[{\"status\":\"warn\"}]}}",
		  1, "disk:utilization warn" },
		{ 200, "application/health+json", "{\"status\":\"pass\"}", 0, "health \"pass\"" },
		/* Spring Boot Actuator: 503 with DOWN, components named */
		{ 503, "application/vnd.spring-boot.actuator.v3+json",
		  "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\",\"details\":"
		  "{\"error\":\"Connection refused\"}},\"diskSpace\":{\"status\":\"UP\"}}}",
		  2, "health \"DOWN\": db DOWN (Connection refused)" },
		{ 200, "application/json", "{\"status\":\"OUT_OF_SERVICE\"}", 2, "OUT_OF_SERVICE" },
		{ 200, "application/json", "{\"status\":\"UNKNOWN\"}", 3, "UNKNOWN" },
		{ 200, "application/json", "{\"version\":\"1.2\"}", 3, "no status I can read" },
		{ 200, "text/html", "<html>Welcome</html>", 2,
		  "the body is not JSON (content type text/html, 20 bytes: "
		  "'<html>Welcome</html>')" },
		/* the body says healthy, HTTP says not */
		{ 500, "application/json", "{\"status\":\"up\"}", 2, "HTTP 500" },
		/* each format's own aggregation: Actuator's UP with an UNKNOWN
		 * component is UP; IETF's pass with warn checks is pass; the
		 * components not healthy are named either way */
		{ 200, "application/json",
		  "{\"status\":\"UP\",\"components\":{\"discovery\":{\"status\":\"UNKNOWN\"}}}", 0,
		  "health \"UP\"; not healthy: discovery UNKNOWN" },
		{ 200, "application/health+json",
		  "{\"status\":\"pass\",\"checks\":{\"cpu:utilization\":[{\"status\":\"warn\"}]}}",
		  0, "health \"pass\"; not healthy: cpu:utilization warn" },
		/* a member in words we do not know is named, not dropped */
		{ 200, "application/json",
		  "{\"status\":\"degraded\",\"services\":{\"db\":\"ok\",\"fire22_api\":"
		  "\"unauthorized\"}}",
		  2, "services.fire22_api unauthorized" },
		/* plain-text health bodies */
		{ 200, "text/plain", "ok", 0, "health \"ok\"" },
		{ 200, "text/plain", "Degraded", 1, "health \"Degraded\"" },
		{ 503, "text/plain", "Unhealthy", 2, "health \"Unhealthy\"" },
		{ 500, "text/plain",
		  "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n", 2,
		  "health \"failed\": etcd failed (reason withheld)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *u = doc_url(cases[i].code, cases[i].ctype, cases[i].body);
		struct h_run r;
		run(&r, "-u", u, "--health", NULL);
		ck_assert_msg(r.exit_code == cases[i].state, "case %zu: %s", i, r.out);
		ck_assert_msg(strstr(r.out, cases[i].text) != NULL, "case %zu: %s", i, r.out);
		h_run_free(&r);
		free(u);
	}
	/* -v lists every component and names the format */
	char *u = doc_url(200, "application/health+json",
	                  "{\"status\":\"pass\",\"checks\":{\"db:ping\":[{\"status\":\"pass\"}]}}");
	struct h_run r;
	run(&r, "-u", u, "--health", "-v", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert(strstr(r.out, "IETF health check") != NULL);
	ck_assert(strstr(r.out, "component db:ping: pass") != NULL);
	h_run_free(&r);
	free(u);
}
END_TEST

START_TEST(test_json_assertions)
{
	const char *body =
	        "{\"status\":\"ok\",\"version\":\"2.4.1\",\"queue\":{\"depth\":42,"
	        "\"lag\":1.5},\"items\":[{\"id\":1},{\"id\":2},{\"name\":\"x\"}],"
	        "\"checks\":{\"db:responseTime\":[{\"status\":\"pass\"}]},\"maint\":false}";
	char *u = doc_url(200, "application/json", body);
	struct h_run r;
	run(&r, "-u", u, "--json", ".status == \"ok\"", "--json", ".queue.depth < 100", "--json",
	    ".version ~ \"^2\\\\.\"", "--json",
	    ".checks[\"db:responseTime\"][0].status == \"pass\"", "--json", ".items[0].id exists",
	    "--json", ".error !exists", "--json", ".maint == false", "--json-perf", ".queue.depth",
	    "--json-perf", ".queue.lag=lag", "-w", "lag=1", NULL);
	h_assert_state(&r, 1, "lag is 1.5");
	ck_assert(h_perf(&r, "queue.depth") == 42);
	ck_assert(h_perf(&r, "lag") == 1.5);
	h_run_free(&r);
	run(&r, "-u", u, "--json", ".status == \"healthy\"", NULL);
	h_assert_state(&r, 2, "json .status is \"ok\", expected == \"healthy\"");
	h_run_free(&r);
	run(&r, "-u", u, "--json-warn", ".queue.depth <= 10", NULL);
	h_assert_state(&r, 1, "json .queue.depth is 42, expected <= 10");
	h_run_free(&r);
	/* every element must have it: the third item is named */
	run(&r, "-u", u, "--json", ".items[*].id exists", NULL);
	h_assert_state(&r, 2, "json .items[2].id is missing");
	h_run_free(&r);
	run(&r, "-u", u, "--json", ".uptime > 5", NULL);
	h_assert_state(&r, 2, "json .uptime is missing, expected > 5");
	h_run_free(&r);
	run(&r, "-u", u, "--json", ".status > 5", NULL);
	h_assert_state(&r, 2, "(not comparable with a number)");
	h_run_free(&r);
	run(&r, "-u", u, "--json-perf", ".status", NULL);
	h_assert_state(&r, 3, "--json-perf .status: not one number (found \"ok\")");
	h_run_free(&r);
	free(u);
	/* a hostile JSON string cannot add a line, a state or perfdata */
	u = doc_url(200, "application/json",
	            "{\"status\":\"x|'forged'=1;2;3\\n[OK] all good\\nSQLITE OK\"}");
	run(&r, "-u", u, "--json", ".status == \"ok\"", NULL);
	h_assert_state(&r, 2, "json .status is");
	ck_assert(!h_has_perf(&r, "forged"));
	ck_assert(strstr(r.out, "\n[OK] all good") == NULL);
	ck_assert(strstr(r.out, "\nSQLITE OK") == NULL);
	h_run_free(&r);
	run(&r, "-u", u, "--health", NULL);
	h_assert_state(&r, 1, NULL);
	ck_assert(!h_has_perf(&r, "forged"));
	ck_assert(strstr(r.out, "\n[OK] all good") == NULL);
	h_run_free(&r);
	free(u);
	/* the body that is not JSON, and an empty one */
	u = url("/status/200?body=%3Chtml%3E");
	run(&r, "-u", u, "--json", ".status exists", "--json-perf", ".n", NULL);
	h_assert_state(&r, 2, "the body is not JSON (content type text/plain, 6 bytes: '<html>')");
	ck_assert(h_has_perf(&r, "n"));
	h_run_free(&r);
	free(u);
	u = url("/status/204");
	run(&r, "-u", u, "--json", ".status exists", NULL);
	h_assert_state(&r, 2, "the body is not JSON (content type");
	h_run_free(&r);
	free(u);
}
END_TEST

/* ---------------------------------------------------- nginx, with TLS */

static char *tls_dir;
static pid_t nginx_pid;
static int tls_port, plain_port;

/* A CA, and leaf certificates signed by it: good for a year, 3 days from
 * expiry, expired yesterday, for another name; and one self-signed. */
static void tls_setup(void)
{
	tls_dir = h_tempdir();
	h_make_cert(tls_dir, "ca", NULL, "readiness test CA", -1, 3650);
	h_make_cert(tls_dir, "good", "ca", "api.test", -1, 365);
	h_make_cert(tls_dir, "soon", "ca", "soon.test", -1, 3);
	h_make_cert(tls_dir, "expired", "ca", "old.test", -30, -1);
	h_make_cert(tls_dir, "self", NULL, "self.test", -1, 365);
	const char *health =
	        "{\"status\":\"pass\",\"checks\":{\"db:ping\":[{\"status\":\"pass\"}]}}\n";
	free(h_write_file(tls_dir, "health.json", health, strlen(health)));
	const char *degraded = "{\"status\":\"degraded\",\"redis\":\"down\"}\n";
	free(h_write_file(tls_dir, "degraded.json", degraded, strlen(degraded)));
	/* one port, the certificate chosen by SNI (server_name) */
	char *servers = rp_xasprintf(
	        "  server { listen 127.0.0.1:PORT ssl default_server; server_name api.test;\n"
	        "    ssl_certificate %1$s/good.crt; ssl_certificate_key %1$s/good.key;\n"
	        "    root %1$s;\n"
	        "    location = /health { default_type application/health+json;\n"
	        "      try_files /health.json =404; } }\n"
	        "  server { listen 127.0.0.1:PORT ssl; server_name soon.test;\n"
	        "    ssl_certificate %1$s/soon.crt; ssl_certificate_key %1$s/soon.key; root %1$s; "
	        "}\n"
	        "  server { listen 127.0.0.1:PORT ssl; server_name old.test;\n"
	        "    ssl_certificate %1$s/expired.crt; ssl_certificate_key %1$s/expired.key;\n"
	        "    root %1$s; }\n"
	        "  server { listen 127.0.0.1:PORT ssl; server_name self.test;\n"
	        "    ssl_certificate %1$s/self.crt; ssl_certificate_key %1$s/self.key; root %1$s; "
	        "}\n",
	        tls_dir);
	nginx_pid = h_nginx(tls_dir, servers, &tls_port);
	free(servers);
	plain_port = 0;
}

static void tls_teardown(void)
{
	h_stop(nginx_pid);
	h_rmrf(tls_dir);
	free(tls_dir);
}

/* https://NAME:PORT/PATH pinned to 127.0.0.1 */
static void run_tls(struct h_run *r, const char *name, const char *path, const char *a1,
                    const char *a2, const char *a3, const char *a4)
{
	char *u = rp_xasprintf("https://%s:%d%s", name, tls_port, path);
	char *pin = rp_xasprintf("%s:%d:127.0.0.1", name, tls_port);
	char *ca = rp_xasprintf("%s/ca.crt", tls_dir);
	run(r, "-u", u, "--resolve", pin, "--cacert", ca, a1 ? a1 : "-v", a2 ? a2 : "-v",
	    a3 ? a3 : "-v", a4 ? a4 : "-v", NULL);
	free(u);
	free(pin);
	free(ca);
}

START_TEST(test_tls)
{
	struct h_run r;
	run_tls(&r, "api.test", "/health", "--health", "-w", "cert_days=30:", NULL);
	h_assert_state(&r, 0, "health \"pass\"");
	double days = h_perf(&r, "cert_days");
	ck_assert_msg(days > 363 && days < 366, "cert_days %f", days);
	ck_assert(h_perf(&r, "time_tls") > 0);
	h_run_free(&r);
	/* a static health file that says degraded, over TLS */
	run_tls(&r, "api.test", "/degraded.json", "--health", NULL, NULL, NULL);
	h_assert_state(&r, 2, "health \"degraded\": redis down");
	h_run_free(&r);
	/* 3 days left */
	run_tls(&r, "soon.test", "/health.json", "-w", "cert_days=30:", "-c", "cert_days=7:");
	h_assert_state(&r, 2, "the TLS certificate expires in ");
	ck_assert(h_perf(&r, "cert_days") <= 3 && h_perf(&r, "cert_days") > 2.9);
	h_run_free(&r);
	run_tls(&r, "soon.test", "/health.json", "-w", "cert_days=30:", NULL, NULL);
	h_assert_state(&r, 1, "expires in");
	h_run_free(&r);
	/* expired: verification refuses it, and says why */
	run_tls(&r, "old.test", "/health.json", NULL, NULL, NULL, NULL);
	h_assert_state(&r, 2, "the TLS certificate is not trusted");
	ck_assert_msg(strstr(r.out, "expired") != NULL, "%s", r.out);
	h_run_free(&r);
	/* --insecure reads it anyway: a WARNING for that, CRITICAL for the date */
	run_tls(&r, "old.test", "/health.json", "--insecure", NULL, NULL, NULL);
	h_assert_state(&r, 2, "the TLS certificate expired 1");
	ck_assert(strstr(r.out, "TLS verification is off (--insecure)") != NULL);
	ck_assert(h_perf(&r, "cert_days") < 0);
	h_run_free(&r);
	/* self-signed, not in the CA file */
	run_tls(&r, "self.test", "/health.json", NULL, NULL, NULL, NULL);
	h_assert_state(&r, 2, "the TLS certificate is not trusted");
	h_run_free(&r);
	run_tls(&r, "self.test", "/health.json", "--insecure", NULL, NULL, NULL);
	h_assert_state(&r, 1, "TLS verification is off");
	h_run_free(&r);
	/* by address: the name does not match the certificate's api.test */
	char *u = rp_xasprintf("https://localhost:%d/health.json", tls_port);
	char *ca = rp_xasprintf("%s/ca.crt", tls_dir);
	run(&r, "-u", u, "--cacert", ca, NULL);
	h_assert_state(&r, 2, "not trusted");
	h_run_free(&r);
	/* without --cacert the system's store does not know our CA */
	char *u2 = rp_xasprintf("https://api.test:%d/health.json", tls_port);
	char *pin = rp_xasprintf("api.test:%d:127.0.0.1", tls_port);
	run(&r, "-u", u2, "--resolve", pin, NULL);
	h_assert_state(&r, 2, "--cacert FILE names the CA");
	h_run_free(&r);
	char *missing = rp_xasprintf("%s/no-such-ca.crt", tls_dir);
	/* a CA file that is not there: the check cannot verify, UNKNOWN */
	run(&r, "-u", u2, "--resolve", pin, "--cacert", missing, NULL);
	h_assert_state(&r, 3, "no-such-ca.crt: it does not exist");
	h_run_free(&r);
	free(missing);
	free(pin);
	free(u2);
	free(ca);
	free(u);
}
END_TEST

START_TEST(test_usage)
{
	const char *bad[][4] = {
		{ "--expect", "200", NULL },
		{ "-u", "ftp://x/", NULL },
		{ "-u", "http://x/", "--expect", "abc" },
		{ "-u", "http://x/", "--expect", "99" },
		{ "-u", "http://x/", "--follow=0" },
		{ "-u", "http://x/", "--password-env", "X" },
		{ "-u", "http://x/", "--header", "nocolon" },
		{ "-u", "http://x/", "--method", "get" },
		{ "-u", "http://x/", "--max-body", "0" },
		{ "-u", "http://x/", "--regex", "(" },
		{ "-u", "http://x/", "--json", ".status == ok" },
		{ "-u", "http://x/", "--json", ".status" },
		{ "-u", "http://x/", "--json", "status..x exists" },
		{ "-u", "http://x/", "--json", ".a ~ (" },
		{ "-u", "http://x/", "--json-perf", ".a=time" },
		{ "-u", "http://x/", "--json-perf", ".a=x y" },
		{ "-u", "http://x/", "--resolve", "host:80" },
		{ "-u", "http://x/", "--resolve", "host:99999:127.0.0.1" },
		{ "-u", "http://x/", "-w", "nosuch=1" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct h_run r;
		h_run(&r, PLUGIN, bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL);
		ck_assert_msg(r.exit_code == 3, "%s %s: %s", bad[i][0], bad[i][1], r.out);
		h_assert_contract(&r, "API");
		h_run_free(&r);
	}
	struct h_run r;
	h_run(&r, PLUGIN, "-u", "http://x/", "--token-env", "A", "--token-file", "B", NULL);
	h_assert_state(&r, 3, "not both");
	h_run_free(&r);
	/* a FIFO as --cacert is named at once, never waited on */
	char *fifo = rp_xasprintf("%s/ca.fifo", dir);
	ck_assert(mkfifo(fifo, 0600) == 0);
	h_run(&r, PLUGIN, "-u", "https://127.0.0.1:1/", "--cacert", fifo, NULL);
	h_assert_state(&r, 3, "cannot use the --cacert file ");
	ck_assert(strstr(r.out, "ca.fifo: it is not a regular file") != NULL);
	ck_assert_msg(r.raw.elapsed < 1, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	free(fifo);
	/* a refused URL's password is not echoed in the usage error */
	h_run(&r, PLUGIN, "-u", "ftp://ops:hunter2-secret@x/?token=abc123secret", NULL);
	h_assert_state(&r, 3, "ftp://x/?token=[redacted]");
	ck_assert(strstr(r.out, "hunter2") == NULL && strstr(r.out, "abc123") == NULL);
	h_run_free(&r);
	/* nor a malformed header's value: only its first word is named */
	h_run(&r, PLUGIN, "-u", "http://x/", "--header", "X-Auth-Token hdr-s3cr3t", NULL);
	h_assert_state(&r, 3, "--header 'X-Auth-Token...': write 'Name: value' on one line");
	ck_assert_msg(strstr(r.out, "hdr-s3cr3t") == NULL, "%s", r.out);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", "http://x/", "--header", "Authorization: Bearer a\nb-s3cr3t",
	      "--output-format", "json", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_msg(strstr(r.out, "s3cr3t") == NULL && strstr(r.out, "Bearer") == NULL, "%s",
	              r.out);
	h_run_free(&r);
	h_run(&r, PLUGIN, "--help", NULL);
	const char *opts[] = { "--url",    "--method",       "--header",        "--header-file",
		               "--data",   "--data-file",    "--token-env",     "--token-file",
		               "--user",   "--password-env", "--password-file", "--expect",
		               "--follow", "--contains",     "--regex",         "--max-body",
		               "--json",   "--json-warn",    "--json-perf",     "--health",
		               "--cacert", "--insecure",     "--resolve" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		ck_assert_msg(strstr(r.out, opts[i]) != NULL, "--help lacks %s", opts[i]);
	h_run_free(&r);
}
END_TEST

static Suite *check_api_suite(void)
{
	Suite *s = suite_create("check_api");
	TCase *tc = tcase_create("testserver");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ok_and_timings);
	tcase_add_test(tc, test_slow_gateway);
	tcase_add_test(tc, test_phase_thresholds_judged);
	tcase_add_test(tc, test_final_url_redacted);
	tcase_add_test(tc, test_status_without_reason);
	tcase_add_test(tc, test_unauthorized);
	tcase_add_test(tc, test_statuses_and_expect);
	tcase_add_test(tc, test_hostile_and_broken_peers);
	tcase_add_test(tc, test_body_headers_and_data);
	tcase_add_test(tc, test_health_documents);
	tcase_add_test(tc, test_json_assertions);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	TCase *tls = tcase_create("nginx-tls");
	tcase_set_timeout(tls, 120);
	tcase_add_checked_fixture(tls, setup, teardown);
	tcase_add_checked_fixture(tls, tls_setup, tls_teardown);
	tcase_add_test(tls, test_tls);
	suite_add_tcase(s, tls);
	return s;
}

RP_TEST_MAIN(check_api_suite)
