/* check_api --step/--flow against our test server's login: it issues real
 * JWTs (HS256 with a secret file, RS256 with a key the test makes) and a
 * session cookie, and protects /api/me (the token) and /api/session (the
 * cookie). The catalogue's failures: a token refused (expired, not valid
 * yet, unsigned), a login refused, a reply without the token. Every run,
 * in every output mode, is searched for the password, the JWT secret, the
 * token the server issues and the session cookie. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLUGIN   "plugins/check_api"
#define PASSWORD "pw-4f9c2e7a1b3d"
#define SECRET   "jwt-secret-9e1b3d5f7a7c1e9a3b5d7f9b1d3f5a7c"

struct server {
	char *dir;
	pid_t pid;
	int port;
	char *base;
	char *login_file;
	char *token;  /* what every login gets (the server's times are fixed) */
	char *cookie; /* the session cookie's value */
};

static char *secret_file(const char *dir, const char *name, const char *text)
{
	char *p = h_write_file(dir, name, text, strlen(text));
	chmod(p, 0600);
	return p;
}

static size_t keep(char *data, size_t size, size_t n, void *arg)
{
	rp_buf_append(arg, data, size * n);
	return size * n;
}

/* The token the server issues, asked once with libcurl. */
static char *issued_token(const char *base)
{
	char *url = rp_xasprintf("%sauth/login", base);
	struct rp_buf body;
	rp_buf_init(&body);
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS,
	                 "{\"username\":\"alice\",\"password\":\"" PASSWORD "\"}");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	ck_assert_int_eq(curl_easy_perform(h), CURLE_OK);
	curl_easy_cleanup(h);
	const char *at = strstr(body.data, "\"access_token\":\"");
	ck_assert_msg(at != NULL, "%s", body.data);
	at += 16;
	char *token = rp_xstrndup(at, strcspn(at, "\""));
	rp_buf_free(&body);
	free(url);
	return token;
}

static char *session_cookie(void)
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	const char *in = "session:alice:" PASSWORD;
	SHA256((const unsigned char *)in, strlen(in), d);
	char *hex = rp_xmalloc(25);
	for (int i = 0; i < 12; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

/* The server, HS256 (key NULL) or RS256 with key's private PEM. */
static void start(struct server *s, EVP_PKEY *key)
{
	memset(s, 0, sizeof *s);
	s->dir = h_tempdir();
	char *secret = secret_file(s->dir, "jwt.secret", SECRET "\n");
	s->login_file = secret_file(s->dir, "login.json",
	                            "{\"username\": \"alice\", \"password\": \"" PASSWORD "\"}");
	char *pem = NULL;
	if (key) {
		BIO *b = BIO_new(BIO_s_mem());
		ck_assert(PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) == 1);
		char *data;
		long len = BIO_get_mem_data(b, &data);
		pem = secret_file(s->dir, "key.pem", "");
		free(pem);
		pem = h_write_file(s->dir, "key.pem", data, (size_t)len);
		BIO_free(b);
	}
	s->pid = h_testserver(&s->port, "--login", "alice:" PASSWORD,
	                      key ? "--jwt-key" : "--jwt-secret-file", key ? pem : secret, NULL);
	s->base = rp_xasprintf("http://127.0.0.1:%d/", s->port);
	s->token = issued_token(s->base);
	s->cookie = session_cookie();
	free(secret), free(pem);
}

static void stop(struct server *s)
{
	h_stop(s->pid);
	h_rmrf(s->dir);
	free(s->dir), free(s->base), free(s->login_file), free(s->token), free(s->cookie);
}

/* check_api -u BASE and the arguments, in every output mode. */
static void run(struct h_run *r, const struct server *s, const char *first, ...)
{
	const char *args[48] = { "-u", s->base };
	size_t n = 2;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 47; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	/* the token's signature alone is what makes it a credential */
	const char *sig = strrchr(s->token, '.') + 1;
	const char *secrets[] = {
		PASSWORD, SECRET, s->token, *sig ? sig : PASSWORD, s->cookie, NULL
	};
	h_run_modes(r, PLUGIN, "API", NULL, secrets, args);
}

#define LOGIN(query)                                                                               \
	"--step", "login: POST /auth/login" query, "--data-file", s.login_file, "--header",        \
	        "Content-Type: application/json", "--capture", "token=.access_token"
#define ME "--step", "me: GET /api/me", "--header", "Authorization: Bearer {token}"

START_TEST(test_login_flow)
{
	struct server s;
	start(&s, NULL);
	struct h_run r;
	run(&r, &s, LOGIN(""), ME, "--json", ".price == 42", "--step", "/api/session", NULL);
	h_assert_state(&r, 0, "API OK - 3 steps passed: login, me, GET /api/session");
	ck_assert(h_perf(&r, "time.login") > 0 && h_perf(&r, "time.me") > 0 &&
	          h_perf(&r, "time.3") > 0);
	h_run_free(&r);
	/* a step's time against its own threshold */
	run(&r, &s, LOGIN(""), ME, "-w", "time.me=0:0.000001", NULL);
	h_assert_state(&r, 1, "API WARNING - ");
	ck_assert_msg(strstr(r.out, "time.me"), "%s", r.out);
	h_run_free(&r);
	/* the session cookie from the login goes with the next step */
	run(&r, &s, "--step", "login: POST /auth/login", "--data-file", s.login_file, "--step",
	    "GET /api/session", "--json", ".session == \"ok\"", NULL);
	h_assert_state(&r, 0, "API OK - 2 steps passed");
	h_run_free(&r);
	/* without the login the session is refused */
	run(&r, &s, "--step", "GET /api/session", NULL);
	h_assert_state(&r, 2, "API CRITICAL - step 1/1 (GET /api/session): HTTP 401 Unauthorized");
	h_run_free(&r);
	stop(&s);
}
END_TEST

/* The catalogue's "every call 401": a login that works and a token the
 * API refuses, named by the step that gave it. */
START_TEST(test_refused)
{
	struct server s;
	start(&s, NULL);
	struct h_run r;
	const char *cases[][2] = {
		{ "?ttl=-60", "the token has expired" },
		{ "?nbf=3600", "the token is not valid yet" },
		{ "?alg=none", "the signature does not verify" },
	};
	for (size_t i = 0; i < 3; i++) {
		char *step = rp_xasprintf("login: POST /auth/login%s", cases[i][0]);
		run(&r, &s, "--step", step, "--data-file", s.login_file, "--capture",
		    "token=.access_token", ME, "--step", "/api/session", NULL);
		h_assert_state(&r, 2,
		               "API CRITICAL - step 2/3 (GET /api/me): HTTP 401 Unauthorized with "
		               "the token from step 1 (login); the server asks for: Bearer");
		ck_assert_msg(strstr(r.out, cases[i][1]), "%s", r.out);
		ck_assert_msg(strstr(r.out, "step 3/3 (GET /api/session): not run, step 2 failed"),
		              "%s", r.out);
		ck_assert(!h_has_perf(&r, "time.3"));
		h_run_free(&r);
		free(step);
	}
	/* the login itself refused */
	char *wrong =
	        secret_file(s.dir, "wrong.json", "{\"username\":\"alice\",\"password\":\"x\"}");
	run(&r, &s, "--step", "login: POST /auth/login", "--data-file", wrong, "--capture",
	    "token=.access_token", ME, NULL);
	h_assert_state(&r, 2,
	               "step 1/2 (POST /auth/login): HTTP 401 Unauthorized; the credentials in "
	               "the request body were refused");
	h_run_free(&r);
	/* a reply without the value the next step needs */
	run(&r, &s, "--step", "login: POST /auth/login", "--data-file", s.login_file, "--capture",
	    "token=.token", ME, NULL);
	h_assert_state(&r, 2,
	               "step 1/2 (POST /auth/login): cannot capture token: the reply has no "
	               ".token");
	h_run_free(&r);
	free(wrong);
	stop(&s);
}
END_TEST

/* RS256 tokens from a key the test makes, read from a flow file. */
START_TEST(test_flow_file_rs256)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	struct server s;
	start(&s, key);
	ck_assert_msg(strncmp(s.token, "eyJhbGciOiJSUzI1NiIs", 20) == 0, "%s", s.token);
	char *text = rp_xasprintf("# log in, then use the token and the session\n"
	                          "step login: POST /auth/login\n"
	                          "  data-file %s\n"
	                          "  header Content-Type: application/json\n"
	                          "  expect 200\n"
	                          "  json .token_type == \"bearer\"\n"
	                          "  capture token=.access_token\n"
	                          "step prices: GET /api/me?t={token}\n"
	                          "  header Authorization: Bearer {token}\n"
	                          "  json .price > 0\n"
	                          "step session: /api/session\n",
	                          s.login_file);
	char *flow = h_write_file(s.dir, "login.flow", text, strlen(text));
	struct h_run r;
	run(&r, &s, "--flow", flow, NULL);
	h_assert_state(&r, 0, "API OK - 3 steps passed: login, prices, session");
	h_run_free(&r);
	char *bad = h_write_file(s.dir, "bad.flow", "step /a\n  method POST\n", 22);
	run(&r, &s, "--flow", bad, NULL);
	h_assert_state(&r, 3, "bad.flow line 2: 'method' is not a step's option");
	h_run_free(&r);
	free(text), free(flow), free(bad);
	stop(&s);
	EVP_PKEY_free(key);
}
END_TEST

/* The token a login issues, judged: verified with the JWT_SECRET_KEY the
 * API reads from its .env (the catalogue's "JWT_SECRET_KEY not
 * configured"), expired at issue; the Bearer token from a config key. */
START_TEST(test_jwt_from_flow_and_config)
{
	struct server s;
	start(&s, NULL);
	char *env = secret_file(s.dir, "app.env",
	                        "DEBUG=1\nJWT_SECRET_KEY=" SECRET "\nAPI_TOKEN=changeme\n");
	char *other = secret_file(s.dir, "other.env", "JWT_SECRET_KEY=not-the-apis-secret\n");
	char *key = rp_xasprintf("%s:JWT_SECRET_KEY", env);
	char *wrong = rp_xasprintf("%s:JWT_SECRET_KEY", other);
	struct h_run r;
	run(&r, &s, LOGIN(""), ME, "--jwt-capture", "token", "--jwt-secret-config", key, "-v",
	    NULL);
	h_assert_state(&r, 0, "API OK - 2 steps passed: login, me");
	ck_assert_msg(strstr(r.out, "the token's HS256 signature verifies with the secret "
	                            "JWT_SECRET_KEY in "),
	              "%s", r.out);
	ck_assert(h_perf(&r, "exp") > 3000);
	h_run_free(&r);
	run(&r, &s, LOGIN(""), ME, "--jwt-capture", "token", "--jwt-secret-config", wrong, NULL);
	h_assert_state(&r, 2,
	               "step 1/2 (POST /auth/login): the token's HS256 signature does not verify "
	               "with the secret JWT_SECRET_KEY in ");
	h_run_free(&r);
	/* the cause on the step that got the token, before the refusal */
	run(&r, &s, LOGIN("?ttl=-60"), ME, "--jwt-capture", "token", NULL);
	h_assert_state(&r, 2, "step 1/2 (POST /auth/login?ttl=-60): the token expired ");
	ck_assert_msg(strstr(r.out, "HTTP 401 Unauthorized with the token from step 1 (login)"),
	              "%s", r.out);
	h_run_free(&r);
	/* one request, its Bearer token from the application's .env */
	char *u = rp_xasprintf("%sneed-bearer", s.base);
	char *tok = rp_xasprintf("%s:API_TOKEN", env);
	h_run(&r, PLUGIN, "-u", u, "--token-config", tok, "--jwt", NULL);
	h_assert_state(&r, 2, "the token is not a JWT");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", s.base, "--step", "/a", "--jwt-capture", "token", NULL);
	h_assert_state(&r, 3, "--jwt-capture token: no step captures it");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--jwt-capture", "token", NULL);
	h_assert_state(&r, 3, "--jwt-capture judges a value a flow's step captures");
	h_run_free(&r);
	free(u), free(tok), free(env), free(other), free(key), free(wrong);
	stop(&s);
}
END_TEST

START_TEST(test_usage)
{
	struct h_run r;
	const char *u = "http://127.0.0.1:1/";
	h_run(&r, PLUGIN, "-u", u, "--capture", "t=.a", NULL);
	h_assert_state(&r, 3, "--capture belongs to a step: give it after its --step");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--json", ".a exists", "--step", "/a", NULL);
	h_assert_state(&r, 3, "--json comes before the first --step");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--step", "/a", "--header", "Authorization: Bearer {tokn}",
	      NULL);
	h_assert_state(&r, 3, "step 1 (1) uses {tokn}, which no step before it captures");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--step", "/a", NULL);
	h_assert_state(&r, 3, "step 1 (1): '/a' is relative: give -u URL");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--step", "a: /a", "--step", "a: /b", NULL);
	h_assert_state(&r, 3, "two steps are named a");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--step", "/a", "--flow", "/nonexistent.flow", NULL);
	h_assert_state(&r, 3, "give one --flow FILE, or --step options, not both");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--flow", "/nonexistent.flow", NULL);
	h_assert_state(&r, 3, "--flow /nonexistent.flow does not exist");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", u, "--health", "--step", "/a", NULL);
	h_assert_state(&r, 3, "--health, --json-perf and --jwt judge one request, not a flow");
	h_run_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check_api_flow");
	TCase *tc = tcase_create("flows");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_login_flow);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_flow_file_rs256);
	tcase_add_test(tc, test_jwt_from_flow_and_config);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(suite)
