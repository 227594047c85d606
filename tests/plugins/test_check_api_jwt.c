/* check_api --jwt against our test server, which accepts one Bearer
 * token: the tokens are made here (HS256 with a secret file, RS256 with
 * a PEM key, ES256 with a JWKS), valid, expired, unsigned (alg none), a
 * placeholder, signed with another secret, for another issuer or
 * audience. Every run, in every output mode, is searched for the tokens
 * and the secret. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define PLUGIN "plugins/check_api"
#define SECRET "jwt-secret-7c1e9a3b5d7f9b1d3f5a7c9e1b3d5f7a"

static char *dir;

/* A file of dir holding text, readable by its owner only. */
static char *secret_file(const char *name, const char *text)
{
	char *p = h_write_file(dir, name, text, strlen(text));
	chmod(p, 0600);
	return p;
}

static char *claims(long exp_in, const char *iss, const char *aud)
{
	long now = (long)time(NULL);
	return rp_xasprintf("{\"sub\":\"u-42\",\"iss\":\"%s\",\"aud\":\"%s\",\"iat\":%ld,"
	                    "\"exp\":%ld}",
	                    iss, aud, now, now + exp_in);
}

/* check_api -u (the server's /need-bearer) with the token in a file and
 * the arguments; none of the secrets shown in any output mode. */
static void run(struct h_run *r, int port, const char *token, char *const envp[],
                const char *const secrets[], const char *first, ...)
{
	char *u = rp_xasprintf("http://127.0.0.1:%d/need-bearer", port);
	char *tf = secret_file("token", token);
	const char *args[32] = { "-u", u, "--token-file", tf, "--jwt" };
	size_t n = 5;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 31; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	h_run_modes(r, PLUGIN, "API", envp, secrets, args);
	free(u), free(tf);
}

START_TEST(test_hs256)
{
	dir = h_tempdir();
	char *body = claims(3600, "https://auth.test", "api");
	char *token = h_jwt_hs256(body, SECRET);
	int port;
	pid_t server = h_testserver(&port, "--bearer", token, NULL);
	char *sf = secret_file("secret", SECRET "\n");
	char *wrong = secret_file("wrong", "changeme\n");
	const char *secrets[] = { token, SECRET, NULL };
	struct h_run r;
	run(&r, port, token, NULL, secrets, "--jwt-secret-file", sf, "--jwt-iss",
	    "https://auth.test", "--jwt-aud", "api", NULL);
	h_assert_state(&r, 0, "HTTP 200 OK from http://127.0.0.1:");
	ck_assert_msg(strstr(r.out, "the token's HS256 signature verifies with the secret from "),
	              "%s", r.out);
	ck_assert(h_perf(&r, "exp") > 3500 && h_perf(&r, "exp") <= 3600);
	h_run_free(&r);
	/* its expiry against a threshold */
	run(&r, port, token, NULL, secrets, "-w", "exp=2h:", NULL);
	h_assert_state(&r, 1, "the token expires in ");
	h_run_free(&r);
	/* the API's JWT_SECRET_KEY is not the key the token was signed with */
	run(&r, port, token, NULL, secrets, "--jwt-secret-file", wrong, NULL);
	h_assert_state(&r, 2, "the token's HS256 signature does not verify with the secret from ");
	h_run_free(&r);
	char *env = rp_xasprintf("JWT_SECRET_KEY=%s", SECRET);
	char *envp[] = { env, NULL };
	run(&r, port, token, envp, secrets, "--jwt-secret-env", "JWT_SECRET_KEY", NULL);
	h_assert_state(&r, 0,
	               "the token's HS256 signature verifies with the secret in "
	               "$JWT_SECRET_KEY");
	h_run_free(&r);
	run(&r, port, token, NULL, secrets, "--jwt-iss", "https://other", "--jwt-aud", "web", NULL);
	h_assert_state(&r, 2,
	               "the token's issuer is https://auth.test, not https://other; the token "
	               "is not for audience web (aud: api)");
	h_run_free(&r);
	h_stop(server);
	h_rmrf(dir);
	free(env), free(sf), free(wrong), free(token), free(body), free(dir);
}
END_TEST

/* Tokens the server refuses: the 401 first, then why. */
START_TEST(test_refused_tokens)
{
	dir = h_tempdir();
	char *good = h_jwt_hs256("{\"sub\":\"x\"}", SECRET);
	int port;
	pid_t server = h_testserver(&port, "--bearer", good, NULL);
	char *body = claims(-7200, "i", "a");
	char *expired = h_jwt_hs256(body, SECRET);
	char *head = h_jwt_signing_input("{\"alg\":\"none\"}", "{\"sub\":\"admin\"}");
	char *unsigned_token = rp_xasprintf("%s.", head);
	const char *placeholder = "your-api-token-here";
	const char *secrets[] = { good, expired, unsigned_token, SECRET, NULL };
	struct h_run r;
	run(&r, port, expired, NULL, secrets, NULL);
	/* the 401's cause first */
	h_assert_state(&r, 2, "API CRITICAL - the token expired 2 h ago");
	ck_assert_msg(strstr(r.out, "[CRITICAL] HTTP 401 Unauthorized"), "%s", r.out);
	ck_assert(h_perf(&r, "exp") < -7000);
	h_run_free(&r);
	run(&r, port, unsigned_token, NULL, secrets, NULL);
	h_assert_state(&r, 2, "the token is not signed (alg none): anyone can forge one");
	h_run_free(&r);
	run(&r, port, placeholder, NULL, secrets, NULL);
	h_assert_state(&r, 2, "the token is not a JWT (a JWT has three parts separated by dots)");
	h_run_free(&r);
	h_stop(server);
	h_rmrf(dir);
	free(good), free(body), free(expired), free(head), free(unsigned_token), free(dir);
}
END_TEST

/* RS256 with a PEM public key; ES256 with a JWKS, by kid. */
START_TEST(test_public_keys)
{
	dir = h_tempdir();
	EVP_PKEY *rsa = EVP_RSA_gen(2048), *ec = EVP_EC_gen("P-256");
	char *body = claims(600, "i", "a");
	char *rs = h_jwt_sign(rsa, "RS256", "r1", body), *es = h_jwt_sign(ec, "ES256", "e1", body);
	char *rsa_pem = h_jwt_pem(rsa), *ec_pem = h_jwt_pem(ec);
	char *rsa_file = h_write_file(dir, "rsa.pem", rsa_pem, strlen(rsa_pem));
	char *ec_file = h_write_file(dir, "ec.pem", ec_pem, strlen(ec_pem));
	char *x = h_jwt_bn(ec, OSSL_PKEY_PARAM_EC_PUB_X, 32);
	char *y = h_jwt_bn(ec, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
	char *jwks = rp_xasprintf("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"e1\",\"crv\":\"P-256\","
	                          "\"x\":\"%s\",\"y\":\"%s\"}]}",
	                          x, y);
	char *jwks_file = h_write_file(dir, "jwks.json", jwks, strlen(jwks));
	int port;
	pid_t server = h_testserver(&port, "--bearer", rs, NULL);
	const char *secrets[] = { rs, es, NULL };
	struct h_run r;
	run(&r, port, rs, NULL, secrets, "--jwt-key", rsa_file, NULL);
	h_assert_state(&r, 0, "the token's RS256 signature verifies with the key in ");
	h_run_free(&r);
	run(&r, port, rs, NULL, secrets, "--jwt-key", ec_file, NULL);
	h_assert_state(&r, 2, "the token cannot be verified with the key in ");
	ck_assert_msg(strstr(r.out, "the key cannot verify RS256 (a EC key)"), "%s", r.out);
	h_run_free(&r);
	run(&r, port, es, NULL, secrets, "--jwt-jwks", jwks_file, NULL);
	/* the server wants the RS256 one: its 401 stands, the key is right */
	h_assert_state(&r, 2, "HTTP 401 Unauthorized");
	ck_assert_msg(strstr(r.out, "[OK] the token's ES256 signature verifies with the JWKS in "),
	              "%s", r.out);
	h_run_free(&r);
	run(&r, port, rs, NULL, secrets, "--jwt-jwks", jwks_file, NULL);
	h_assert_state(&r, 2, "the token cannot be verified with the JWKS in ");
	ck_assert_msg(strstr(r.out, "no key in the JWKS for RS256 with kid r1"), "%s", r.out);
	h_run_free(&r);
	run(&r, port, rs, NULL, secrets, "--jwt-key", "/nonexistent/key.pem", NULL);
	h_assert_state(&r, 3, "the JWT key: /nonexistent/key.pem does not exist");
	h_run_free(&r);
	h_stop(server);
	h_rmrf(dir);
	EVP_PKEY_free(rsa), EVP_PKEY_free(ec);
	free(body), free(rs), free(es), free(rsa_pem), free(ec_pem), free(rsa_file), free(ec_file);
	free(x), free(y), free(jwks), free(jwks_file), free(dir);
}
END_TEST

START_TEST(test_usage)
{
	struct h_run r;
	h_run(&r, PLUGIN, "-u", "http://127.0.0.1:1/", "--jwt", NULL);
	h_assert_state(
	        &r, 3,
	        "--jwt judges the Bearer token: give --token-file, --token-env or --token-config");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", "http://127.0.0.1:1/", "--jwt-key", "/k.pem", NULL);
	h_assert_state(&r, 3, "the --jwt-... options judge the token with --jwt");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", "http://127.0.0.1:1/", "--token-env", "T", "--jwt", "--jwt-key",
	      "/k.pem", "--jwt-jwks", "/j.json", NULL);
	h_assert_state(&r, 3,
	               "give one key: a secret (file, env, config), --jwt-key or --jwt-jwks");
	h_run_free(&r);
}
END_TEST

static Suite *check_api_jwt_suite(void)
{
	Suite *s = suite_create("check_api_jwt");
	TCase *tc = tcase_create("jwt");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hs256);
	tcase_add_test(tc, test_refused_tokens);
	tcase_add_test(tc, test_public_keys);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_api_jwt_suite)
