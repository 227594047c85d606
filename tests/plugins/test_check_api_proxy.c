/* check_api and check_latency through a proxy: our test server plays an
 * HTTP proxy (it answers a request for an absolute URL itself) in front
 * of an address nothing listens on, so an answer proves the proxy was
 * used. --proxy wins over the environment and over $no_proxy, --noproxy
 * turns the environment's proxy off, libcurl's own reading of
 * $http_proxy is what happens without either (and -v says so), and a
 * proxy's credentials never show. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLUGIN   "plugins/check_api"
#define PROXY_PW "proxy-pw-4d1c8e2b7a"
/* nothing listens on port 1: only a proxy can answer for it */
#define UNREACHABLE "http://127.0.0.1:1/status"

static const char *const secrets[] = { PROXY_PW, NULL };

START_TEST(test_proxy_options)
{
	int port;
	pid_t proxy = h_testserver(&port, NULL);
	char *via = rp_xasprintf("http://127.0.0.1:%d", port);
	char *env = rp_xasprintf("http_proxy=http://127.0.0.1:%d", port);
	char *dead = rp_xasprintf("http_proxy=http://127.0.0.1:1");
	char *with_pw = rp_xasprintf("http_proxy=http://ops:" PROXY_PW "@127.0.0.1:%d", port);
	struct h_run r;
	const char *named[] = { "-u", UNREACHABLE, "--proxy", via, NULL };
	h_run_modes(&r, PLUGIN, "API", NULL, secrets, named);
	h_assert_state(&r, 0, "HTTP 200 OK from " UNREACHABLE);
	h_run_free(&r);
	/* --proxy wins over the environment's proxy and its $no_proxy */
	char *envp1[] = { dead, (char *)"no_proxy=127.0.0.1", NULL };
	h_run_modes(&r, PLUGIN, "API", envp1, secrets, named);
	h_assert_state(&r, 0, "HTTP 200 OK");
	h_run_free(&r);
	/* libcurl reads $http_proxy by itself, and -v says so */
	char *envp2[] = { with_pw, NULL };
	const char *plain[] = { "-u", UNREACHABLE, "-v", NULL };
	h_run_modes(&r, PLUGIN, "API", envp2, secrets, plain);
	h_assert_state(&r, 0, "HTTP 200 OK");
	char *said = rp_xasprintf("through the proxy http://127.0.0.1:%d in $http_proxy", port);
	ck_assert_msg(strstr(r.out, said), "%s", r.out);
	h_run_free(&r);
	/* --noproxy: straight to the address, which refuses */
	char *envp3[] = { env, NULL };
	const char *direct[] = { "-u", UNREACHABLE, "--noproxy", "-v", NULL };
	h_run_modes(&r, PLUGIN, "API", envp3, secrets, direct);
	h_assert_state(&r, 2, UNREACHABLE ": connection refused");
	ck_assert_msg(strstr(r.out, "direct (--noproxy)"), "%s", r.out);
	h_run_free(&r);
	/* check_latency takes the same options */
	const char *load[] = { "-u", UNREACHABLE, "--proxy", via, "-n", "4", NULL };
	h_run_modes(&r, "plugins/check_latency", "LATENCY", NULL, secrets, load);
	h_assert_state(&r, 0, "errors 0% (0 of 4)");
	h_run_free(&r);
	h_stop(proxy);
	free(via), free(env), free(dead), free(with_pw), free(said);
}
END_TEST

START_TEST(test_proxy_usage)
{
	struct h_run r;
	h_run(&r, PLUGIN, "-u", "http://h/", "--proxy", "http://ops:" PROXY_PW "@proxy:3128", NULL);
	h_assert_state(&r, 3, "--proxy: no credentials on the command line");
	ck_assert_msg(!strstr(r.out, PROXY_PW), "%s", r.out);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", "http://h/", "--proxy", "proxy:3128", NULL);
	h_assert_state(&r, 3, "--proxy 'proxy:3128': a URL such as http://proxy:3128");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", "http://h/", "--proxy", "http://p:1", "--noproxy", NULL);
	h_assert_state(&r, 3, "give --proxy or --noproxy, not both");
	h_run_free(&r);
}
END_TEST

static Suite *check_api_proxy_suite(void)
{
	Suite *s = suite_create("check_api_proxy");
	TCase *tc = tcase_create("proxy");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_proxy_options);
	tcase_add_test(tc, test_proxy_usage);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_api_proxy_suite)
