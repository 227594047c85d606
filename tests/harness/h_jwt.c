/* JSON Web Tokens made for the tests with OpenSSL: HS256 with a secret,
 * RS/PS/ES with a key, the key's PEM and its JWK numbers. The tests make
 * their own tokens; nothing here is a fixture copied from elsewhere. */
#include "harness.h"
#include "rp_digest.h"
#include "rp_test.h"
#include "rp_util.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *h_jwt_b64url(const void *data, size_t len)
{
	char *out = rp_xmalloc(4 * ((len + 2) / 3) + 1);
	rp_digest_base64((const uint8_t *)data, len, out);
	size_t n = strlen(out);
	while (n && out[n - 1] == '=')
		out[--n] = '\0';
	for (char *p = out; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	return out;
}

/* "header.payload" for these JSON texts. Caller frees. */
char *h_jwt_signing_input(const char *header, const char *payload)
{
	char *h = h_jwt_b64url(header, strlen(header)), *p = h_jwt_b64url(payload, strlen(payload));
	char *s = rp_xasprintf("%s.%s", h, p);
	free(h), free(p);
	return s;
}

char *h_jwt_hs256(const char *payload, const char *secret)
{
	char *in = h_jwt_signing_input("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload);
	uint8_t mac[32];
	unsigned int n;
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (uint8_t *)in, strlen(in), mac, &n);
	char *sig = h_jwt_b64url(mac, n);
	char *t = rp_xasprintf("%s.%s", in, sig);
	free(in), free(sig);
	return t;
}

/* Signs with key as alg says (PS: PSS padding; ES: DER to r || s). */
char *h_jwt_sign(EVP_PKEY *key, const char *alg, const char *kid, const char *payload)
{
	char *header = rp_xasprintf("{\"alg\":\"%s\",\"kid\":\"%s\"}", alg, kid);
	char *in = h_jwt_signing_input(header, payload);
	const EVP_MD *md = strstr(alg, "384") ? EVP_sha384() : EVP_sha256();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	ck_assert(EVP_DigestSignInit(ctx, &pctx, md, NULL, key) == 1);
	if (alg[0] == 'P') {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
	}
	size_t n = 0;
	ck_assert(EVP_DigestSign(ctx, NULL, &n, (uint8_t *)in, strlen(in)) == 1);
	uint8_t *sig = rp_xmalloc(n);
	ck_assert(EVP_DigestSign(ctx, sig, &n, (uint8_t *)in, strlen(in)) == 1);
	EVP_MD_CTX_free(ctx);
	char *s;
	if (alg[0] == 'E') {
		size_t half = (size_t)(EVP_PKEY_get_bits(key) + 7) / 8;
		const uint8_t *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)n);
		uint8_t raw[132] = { 0 };
		BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, (int)half);
		BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + half, (int)half);
		ECDSA_SIG_free(es);
		s = h_jwt_b64url(raw, 2 * half);
	} else {
		s = h_jwt_b64url(sig, n);
	}
	char *t = rp_xasprintf("%s.%s", in, s);
	free(sig), free(s), free(in), free(header);
	return t;
}

char *h_jwt_pem(EVP_PKEY *key)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(b, key);
	char *data;
	long n = BIO_get_mem_data(b, &data);
	char *out = rp_xstrndup(data, (size_t)n);
	BIO_free(b);
	return out;
}

/* A key's number as a JWK holds it: big-endian, padded to size bytes
 * (EC coordinates have the curve's size, RFC 7518) or minimal (size 0). */
char *h_jwt_bn(EVP_PKEY *key, const char *name, int size)
{
	BIGNUM *bn = NULL;
	ck_assert(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
	uint8_t buf[600];
	int n = size ? BN_bn2binpad(bn, buf, size) : BN_bn2bin(bn, buf);
	BN_free(bn);
	return h_jwt_b64url(buf, (size_t)n);
}
