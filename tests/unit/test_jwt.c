/* rp_jwt: tokens made here with OpenSSL (HS256 with a secret, RS256 and
 * PS256 with a generated RSA key, ES256 and ES384 with generated EC keys),
 * taken apart and verified against the secret, PEM public keys and a
 * JWKS built from the same keys; and what is refused, in words. */
#include "rp_digest.h"
#include "rp_jwt.h"
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "a-long-random-jwt-secret-for-tests-0123456789"

static void decode(const char *token, struct rp_jwt *j)
{
	char err[128];
	ck_assert_msg(rp_jwt_decode(token, strlen(token), j, err, sizeof err), "%s", err);
}

START_TEST(test_decode_claims)
{
	char *t = h_jwt_hs256(
	        "{\"sub\":\"u1\",\"iss\":\"https://auth.example\",\"aud\":[\"api\",\"web\"],"
	        "\"exp\":1900000000,\"nbf\":1800000000.5,\"iat\":1800000000,\"role\":\"x\"}",
	        SECRET);
	char *bearer = rp_xasprintf("  Bearer %s\n", t);
	struct rp_jwt j;
	decode(bearer, &j);
	ck_assert_str_eq(j.alg, "HS256");
	ck_assert(j.has_exp && j.exp == 1900000000 && j.has_nbf && j.nbf == 1800000000.5);
	ck_assert_str_eq(j.iss, "https://auth.example");
	ck_assert_uint_eq(j.naud, 2);
	ck_assert_str_eq(j.aud[1], "web");
	ck_assert_uint_eq(j.nclaims, 7);
	ck_assert_str_eq(j.claims[6], "role");
	ck_assert_int_eq(rp_jwt_verify_secret(&j, SECRET, strlen(SECRET), NULL, 0), RP_JWT_VALID);
	char err[128];
	ck_assert_int_eq(rp_jwt_verify_secret(&j, "changeme", 8, err, sizeof err),
	                 RP_JWT_BAD_SIGNATURE);
	rp_jwt_free(&j);
	free(bearer), free(t);
}
END_TEST

START_TEST(test_refused)
{
	struct rp_jwt j;
	char err[128];
	ck_assert(!rp_jwt_decode("abc.def", 7, &j, err, sizeof err));
	ck_assert_str_eq(err, "a JWT has three parts separated by dots");
	ck_assert(!rp_jwt_decode("a.b.c.d", 7, &j, err, sizeof err));
	ck_assert(!rp_jwt_decode("!!.e30.", 7, &j, err, sizeof err));
	ck_assert_str_eq(err, "the token's header is not base64url");
	char *t = h_jwt_signing_input("{\"typ\":\"JWT\"}", "{}");
	char *tok = rp_xasprintf("%s.", t);
	ck_assert(!rp_jwt_decode(tok, strlen(tok), &j, err, sizeof err));
	ck_assert_str_eq(err, "the token's header has no \"alg\"");
	free(tok), free(t);
	t = h_jwt_signing_input("{\"alg\":\"HS256\"}", "[1,2]");
	tok = rp_xasprintf("%s.", t);
	ck_assert(!rp_jwt_decode(tok, strlen(tok), &j, err, sizeof err));
	ck_assert_str_eq(err, "the token's payload is not a JSON object");
	free(tok), free(t);
	/* alg none: taken apart, never verified */
	t = h_jwt_signing_input("{\"alg\":\"none\"}", "{\"sub\":\"admin\"}");
	tok = rp_xasprintf("%s.", t);
	decode(tok, &j);
	ck_assert_str_eq(j.alg, "none");
	ck_assert_uint_eq(j.siglen, 0);
	ck_assert_int_eq(rp_jwt_verify_secret(&j, "", 0, err, sizeof err), RP_JWT_UNSUPPORTED);
	ck_assert_int_eq(rp_jwt_verify_jwks(&j, "{\"keys\":[]}", 11, err, sizeof err),
	                 RP_JWT_UNSUPPORTED);
	rp_jwt_free(&j);
	free(tok), free(t);
}
END_TEST

START_TEST(test_rsa)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	ck_assert_ptr_nonnull(key);
	char *pub = h_jwt_pem(key);
	const char *payload = "{\"sub\":\"u1\",\"exp\":1900000000}";
	const char *algs[] = { "RS256", "PS256", "RS384", "PS384" };
	for (size_t i = 0; i < 4; i++) {
		char *t = h_jwt_sign(key, algs[i], "k1", payload);
		struct rp_jwt j;
		char err[128];
		decode(t, &j);
		ck_assert_msg(rp_jwt_verify_pem(&j, pub, strlen(pub), err, sizeof err) ==
		                      RP_JWT_VALID,
		              "%s: %s", algs[i], err);
		/* a token whose payload was changed */
		j.signing_input[j.signing_len - 3] ^= 1;
		ck_assert_int_eq(rp_jwt_verify_pem(&j, pub, strlen(pub), err, sizeof err),
		                 RP_JWT_BAD_SIGNATURE);
		ck_assert_int_eq(rp_jwt_verify_secret(&j, SECRET, 10, err, sizeof err),
		                 RP_JWT_KEY_MISMATCH);
		rp_jwt_free(&j);
		free(t);
	}
	/* the same key as a JWKS: found by kid; another kid is no key */
	char *n = h_jwt_bn(key, OSSL_PKEY_PARAM_RSA_N, 0);
	char *e = h_jwt_bn(key, OSSL_PKEY_PARAM_RSA_E, 0);
	char *jwks = rp_xasprintf("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\"},"
	                          "{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"%s\",\"e\":\"%s\"}]}",
	                          n, e);
	char *t = h_jwt_sign(key, "RS256", "k1", payload);
	char *other = h_jwt_sign(key, "RS256", "k2", payload);
	struct rp_jwt j;
	char err[128];
	decode(t, &j);
	ck_assert_msg(rp_jwt_verify_jwks(&j, jwks, strlen(jwks), err, sizeof err) == RP_JWT_VALID,
	              "%s", err);
	rp_jwt_free(&j);
	decode(other, &j);
	ck_assert_int_eq(rp_jwt_verify_jwks(&j, jwks, strlen(jwks), err, sizeof err),
	                 RP_JWT_NO_KEY);
	ck_assert_str_eq(err, "no key in the JWKS for RS256 with kid k2");
	ck_assert_int_eq(rp_jwt_verify_jwks(&j, "{\"k\":1}", 7, err, sizeof err), RP_JWT_BAD_KEY);
	ck_assert_int_eq(rp_jwt_verify_pem(&j, "junk", 4, err, sizeof err), RP_JWT_BAD_KEY);
	rp_jwt_free(&j);
	free(t), free(other), free(jwks), free(n), free(e), free(pub);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(test_ec)
{
	const char *curves[][3] = { { "P-256", "ES256", "P-256" }, { "P-384", "ES384", "P-384" } };
	for (size_t c = 0; c < 2; c++) {
		EVP_PKEY *key = EVP_EC_gen(curves[c][0]);
		ck_assert_ptr_nonnull(key);
		char *pub = h_jwt_pem(key);
		char *t = h_jwt_sign(key, curves[c][1], "ec", "{\"sub\":\"u\"}");
		struct rp_jwt j;
		char err[128];
		decode(t, &j);
		ck_assert_msg(rp_jwt_verify_pem(&j, pub, strlen(pub), err, sizeof err) ==
		                      RP_JWT_VALID,
		              "%s: %s", curves[c][1], err);
		int size = c ? 48 : 32;
		char *x = h_jwt_bn(key, OSSL_PKEY_PARAM_EC_PUB_X, size);
		char *y = h_jwt_bn(key, OSSL_PKEY_PARAM_EC_PUB_Y, size);
		char *jwks =
		        rp_xasprintf("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"%s\","
		                     "\"x\":\"%s\",\"y\":\"%s\"}]}",
		                     curves[c][2], x, y);
		ck_assert_msg(rp_jwt_verify_jwks(&j, jwks, strlen(jwks), err, sizeof err) ==
		                      RP_JWT_VALID,
		              "%s", err);
		j.sig[0] ^= 1;
		ck_assert_int_eq(rp_jwt_verify_pem(&j, pub, strlen(pub), err, sizeof err),
		                 RP_JWT_BAD_SIGNATURE);
		rp_jwt_free(&j);
		free(t), free(pub), free(x), free(y), free(jwks);
		EVP_PKEY_free(key);
	}
	/* an RS256 token against an EC key */
	EVP_PKEY *rsa = EVP_RSA_gen(2048), *ec = EVP_EC_gen("P-256");
	char *t = h_jwt_sign(rsa, "RS256", "k", "{}"), *ecpub = h_jwt_pem(ec);
	struct rp_jwt j;
	char err[128];
	decode(t, &j);
	ck_assert_int_eq(rp_jwt_verify_pem(&j, ecpub, strlen(ecpub), err, sizeof err),
	                 RP_JWT_KEY_MISMATCH);
	ck_assert_str_eq(err, "the key cannot verify RS256 (a EC key)");
	rp_jwt_free(&j);
	free(t), free(ecpub);
	EVP_PKEY_free(rsa), EVP_PKEY_free(ec);
}
END_TEST

START_TEST(test_base64url)
{
	uint8_t out[16];
	size_t n;
	ck_assert(rp_digest_base64url_decode("eyJhIjoxfQ", 10, out, &n));
	ck_assert_uint_eq(n, 7);
	ck_assert(memcmp(out, "{\"a\":1}", 7) == 0);
	ck_assert(rp_digest_base64url_decode("-_8=", 4, out, &n) && n == 2 && out[0] == 0xfb &&
	          out[1] == 0xff);
	ck_assert(!rp_digest_base64url_decode("a+b/", 4, out, &n));  /* plain base64 */
	ck_assert(!rp_digest_base64url_decode("abcde", 5, out, &n)); /* one left over */
	ck_assert(!rp_digest_base64url_decode("ab=c", 4, out, &n));
	ck_assert(rp_digest_base64url_decode("", 0, out, &n) && n == 0);
}
END_TEST

static Suite *jwt_suite(void)
{
	Suite *s = suite_create("jwt");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_decode_claims);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_rsa);
	tcase_add_test(tc, test_ec);
	tcase_add_test(tc, test_base64url);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(jwt_suite)
