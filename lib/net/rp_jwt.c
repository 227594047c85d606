/* rp_jwt.c: JSON Web Tokens taken apart and verified (OpenSSL 3). */
#include "rp_jwt.h"
#include "rp_digest.h"
#include "rp_json.h"
#include "rp_secret.h"
#include "rp_strv.h"
#include "rp_util.h"
#include "rp_value.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- decode */

/* part [p, p + n) base64url-decoded into a new buffer; NULL when it is not
 * base64url. */
static uint8_t *part(const char *p, size_t n, size_t *outlen)
{
	uint8_t *buf = rp_xmalloc(n * 3 / 4 + 2);
	if (!rp_digest_base64url_decode(p, n, buf, outlen)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static struct rp_value *json_part(const char *p, size_t n, const char *what, char *err,
                                  size_t errlen)
{
	size_t len;
	uint8_t *raw = part(p, n, &len);
	if (!raw) {
		snprintf(err, errlen, "the token's %s is not base64url", what);
		return NULL;
	}
	char jerr[128];
	struct rp_value *v = rp_json_parse_any((const char *)raw, len, jerr, sizeof jerr);
	rp_secret_wipe(raw, len);
	free(raw);
	if (!v || v->type != RP_V_TABLE) {
		snprintf(err, errlen, "the token's %s is not a JSON object", what);
		rp_value_free(v);
		return NULL;
	}
	return v;
}

static const struct rp_value *get(const struct rp_value *t, const char *key)
{
	return rp_value_table_get(t, key, strlen(key));
}

static bool number(const struct rp_value *v, double *out)
{
	if (v && v->type == RP_V_INTEGER)
		*out = (double)v->i;
	else if (v && v->type == RP_V_FLOAT)
		*out = v->f;
	else
		return false;
	return true;
}

static void claims(struct rp_jwt *j, const struct rp_value *body)
{
	j->has_exp = number(get(body, "exp"), &j->exp);
	j->has_nbf = number(get(body, "nbf"), &j->nbf);
	const struct rp_value *iss = get(body, "iss");
	if (iss && iss->type == RP_V_STRING)
		j->iss = rp_xstrndup(iss->s, iss->len);
	const struct rp_value *aud = get(body, "aud");
	if (aud && aud->type == RP_V_STRING)
		rp_strv_pushn(&j->aud, &j->naud, aud->s, aud->len);
	for (size_t i = 0; aud && aud->type == RP_V_ARRAY && i < aud->n && i < RP_JWT_CLAIMS_MAX;
	     i++)
		if (aud->items[i]->type == RP_V_STRING)
			rp_strv_pushn(&j->aud, &j->naud, aud->items[i]->s, aud->items[i]->len);
	for (size_t i = 0; i < body->n && i < RP_JWT_CLAIMS_MAX; i++)
		rp_strv_pushn(&j->claims, &j->nclaims, body->keys[i].s, body->keys[i].len);
}

static bool header(struct rp_jwt *j, const struct rp_value *h, char *err, size_t errlen)
{
	const struct rp_value *alg = get(h, "alg");
	if (!alg || alg->type != RP_V_STRING || !alg->len || alg->len >= sizeof j->alg) {
		snprintf(err, errlen, "the token's header has no \"alg\"");
		return false;
	}
	snprintf(j->alg, sizeof j->alg, "%.*s", (int)alg->len, alg->s);
	const struct rp_value *kid = get(h, "kid");
	if (kid && kid->type == RP_V_STRING && kid->len < sizeof j->kid)
		snprintf(j->kid, sizeof j->kid, "%.*s", (int)kid->len, kid->s);
	return true;
}

/* The token without surrounding space and a "Bearer " prefix. */
static const char *trimmed(const char *t, size_t *len)
{
	while (*len && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n'))
		t++, (*len)--;
	while (*len && strchr(" \t\r\n", t[*len - 1]))
		(*len)--;
	if (*len > 7 && !strncasecmp(t, "Bearer ", 7)) {
		t += 7, *len -= 7;
		while (*len && *t == ' ')
			t++, (*len)--;
	}
	return t;
}

bool rp_jwt_decode(const char *token, size_t len, struct rp_jwt *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *t = trimmed(token, &len);
	if (len > RP_JWT_MAX) {
		snprintf(err, errlen, "the token is longer than %d bytes", RP_JWT_MAX);
		return false;
	}
	const char *dot1 = memchr(t, '.', len);
	const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - t)) : NULL;
	if (!dot1 || !dot2 || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - t))) {
		snprintf(err, errlen, "a JWT has three parts separated by dots");
		return false;
	}
	struct rp_value *h = json_part(t, (size_t)(dot1 - t), "header", err, errlen);
	struct rp_value *body =
	        h ? json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), "payload", err, errlen) : NULL;
	bool ok = body && header(out, h, err, errlen);
	if (ok) {
		claims(out, body);
		out->signing_input = rp_xstrndup(t, (size_t)(dot2 - t));
		out->signing_len = (size_t)(dot2 - t);
		out->sig = part(dot2 + 1, len - (size_t)(dot2 + 1 - t), &out->siglen);
		if (!out->sig) {
			snprintf(err, errlen, "the token's signature is not base64url");
			ok = false;
		}
	}
	rp_value_free(h);
	rp_value_free(body);
	if (!ok)
		rp_jwt_free(out);
	return ok;
}

void rp_jwt_free(struct rp_jwt *j)
{
	if (j->signing_input)
		rp_secret_wipe(j->signing_input, j->signing_len);
	free(j->signing_input);
	if (j->sig)
		rp_secret_wipe(j->sig, j->siglen);
	free(j->sig);
	free(j->iss);
	rp_strv_free(j->aud, j->naud);
	rp_strv_free(j->claims, j->nclaims);
	memset(j, 0, sizeof *j);
}

/* ---------------------------------------------------------------- verify */

const char *rp_jwt_family(const char *alg)
{
	static const char *const families[] = { "HS", "RS", "PS", "ES" };
	for (size_t i = 0; i < 4; i++)
		if (!strncmp(alg, families[i], 2) &&
		    (!strcmp(alg + 2, "256") || !strcmp(alg + 2, "384") || !strcmp(alg + 2, "512")))
			return families[i];
	return NULL;
}

static const EVP_MD *digest(const char *alg)
{
	return !strcmp(alg + 2, "256")   ? EVP_sha256()
	       : !strcmp(alg + 2, "384") ? EVP_sha384()
	                                 : EVP_sha512();
}

enum rp_jwt_verdict rp_jwt_verify_secret(const struct rp_jwt *j, const void *secret, size_t len,
                                         char *err, size_t errlen)
{
	const char *family = rp_jwt_family(j->alg);
	if (!family || strcmp(family, "HS") != 0) {
		snprintf(err, errlen, "a shared secret verifies HS256/384/512, not %s", j->alg);
		return family ? RP_JWT_KEY_MISMATCH : RP_JWT_UNSUPPORTED;
	}
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	if (!HMAC(digest(j->alg), secret, (int)len, (const uint8_t *)j->signing_input,
	          j->signing_len, mac, &maclen)) {
		snprintf(err, errlen, "HMAC failed");
		return RP_JWT_BAD_KEY;
	}
	bool same = maclen == j->siglen && CRYPTO_memcmp(mac, j->sig, maclen) == 0;
	rp_secret_wipe(mac, sizeof mac);
	return same ? RP_JWT_VALID : RP_JWT_BAD_SIGNATURE;
}

/* JWS's ECDSA signature is r || s, each the curve's size; OpenSSL takes
 * DER. NULL when the size is not the curve's. */
static uint8_t *ecdsa_der(const struct rp_jwt *j, size_t half, size_t *derlen)
{
	if (j->siglen != 2 * half)
		return NULL;
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(j->sig, (int)half, NULL),
	       *s = BN_bin2bn(j->sig + half, (int)half, NULL);
	uint8_t *der = NULL;
	int n = -1;
	if (es && r && s && ECDSA_SIG_set0(es, r, s)) {
		r = s = NULL; /* owned by es now */
		n = i2d_ECDSA_SIG(es, &der);
	}
	BN_free(r), BN_free(s);
	ECDSA_SIG_free(es);
	if (n <= 0)
		return NULL;
	*derlen = (size_t)n;
	return der;
}

/* The key fits the alg: its type, and for ES its curve. */
static bool key_fits(const char *alg, EVP_PKEY *key)
{
	const char *family = rp_jwt_family(alg);
	if (!family)
		return false;
	if (!strcmp(family, "RS") || !strcmp(family, "PS"))
		return EVP_PKEY_is_a(key, "RSA") ||
		       (!strcmp(family, "PS") && EVP_PKEY_is_a(key, "RSA-PSS"));
	if (strcmp(family, "ES") != 0 || !EVP_PKEY_is_a(key, "EC"))
		return false;
	int bits = EVP_PKEY_get_bits(key);
	return (!strcmp(alg, "ES256") && bits == 256) || (!strcmp(alg, "ES384") && bits == 384) ||
	       (!strcmp(alg, "ES512") && bits == 521);
}

static enum rp_jwt_verdict verify_key(const struct rp_jwt *j, EVP_PKEY *key, char *err,
                                      size_t errlen)
{
	const char *family = rp_jwt_family(j->alg);
	if (!family || !strcmp(family, "HS")) {
		snprintf(err, errlen, "a public key verifies RS*, PS* and ES*, not %s", j->alg);
		return family ? RP_JWT_KEY_MISMATCH : RP_JWT_UNSUPPORTED;
	}
	if (!key_fits(j->alg, key)) {
		snprintf(err, errlen, "the key cannot verify %s (a %s key)", j->alg,
		         EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "?");
		return RP_JWT_KEY_MISMATCH;
	}
	const uint8_t *sig = j->sig;
	size_t siglen = j->siglen;
	uint8_t *der = NULL;
	if (!strcmp(family, "ES")) {
		der = ecdsa_der(j, (size_t)(EVP_PKEY_get_bits(key) + 7) / 8, &siglen);
		if (!der)
			return RP_JWT_BAD_SIGNATURE;
		sig = der;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int r = ctx ? EVP_DigestVerifyInit(ctx, &pctx, digest(j->alg), NULL, key) : 0;
	if (r == 1 && !strcmp(family, "PS"))
		r = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
	if (r == 1)
		r = EVP_DigestVerify(ctx, sig, siglen, (const uint8_t *)j->signing_input,
		                     j->signing_len);
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	return r == 1 ? RP_JWT_VALID : RP_JWT_BAD_SIGNATURE;
}

enum rp_jwt_verdict rp_jwt_verify_pem(const struct rp_jwt *j, const char *pem, size_t len,
                                      char *err, size_t errlen)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	if (!key && bio) {
		(void)BIO_reset(bio);
		X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		key = cert ? X509_get_pubkey(cert) : NULL;
		X509_free(cert);
	}
	BIO_free(bio);
	if (!key) {
		snprintf(err, errlen, "no PEM public key or certificate in it");
		return RP_JWT_BAD_KEY;
	}
	enum rp_jwt_verdict v = verify_key(j, key, err, errlen);
	EVP_PKEY_free(key);
	return v;
}

/* ------------------------------------------------------------------ JWKS */

/* A base64url member of a JWK as a big-endian number. */
static BIGNUM *jwk_bn(const struct rp_value *k, const char *name)
{
	const struct rp_value *v = get(k, name);
	if (!v || v->type != RP_V_STRING || !v->len || v->len > 2048)
		return NULL;
	size_t n;
	uint8_t *raw = part(v->s, v->len, &n);
	BIGNUM *bn = raw && n ? BN_bin2bn(raw, (int)n, NULL) : NULL;
	free(raw);
	return bn;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *key = NULL;
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return key;
}

static EVP_PKEY *jwk_rsa(const struct rp_value *k)
{
	BIGNUM *n = jwk_bn(k, "n"), *e = jwk_bn(k, "e");
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *key = NULL;
	if (n && e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		key = from_params("RSA", bld);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n), BN_free(e);
	return key;
}

static EVP_PKEY *jwk_ec(const struct rp_value *k)
{
	const struct rp_value *crv = get(k, "crv");
	static const char *const curves[][3] = { { "P-256", "prime256v1", "32" },
		                                 { "P-384", "secp384r1", "48" },
		                                 { "P-521", "secp521r1", "66" } };
	size_t c = 0;
	while (c < 3 && !(crv && crv->type == RP_V_STRING && !strcmp(crv->s, curves[c][0])))
		c++;
	const struct rp_value *x = get(k, "x"), *y = get(k, "y");
	if (c == 3 || !x || !y || x->type != RP_V_STRING || y->type != RP_V_STRING)
		return NULL;
	size_t size = (size_t)atoi(curves[c][2]), nx = 0, ny = 0;
	uint8_t *bx = x->len < 200 ? part(x->s, x->len, &nx) : NULL;
	uint8_t *by = y->len < 200 ? part(y->s, y->len, &ny) : NULL;
	EVP_PKEY *key = NULL;
	if (bx && by && nx == size && ny == size) {
		uint8_t point[1 + 2 * 66];
		point[0] = 4; /* uncompressed: 04 || x || y */
		memcpy(point + 1, bx, size), memcpy(point + 1 + size, by, size);
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		if (bld &&
		    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curves[c][1],
		                                    0) &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
		                                     1 + 2 * size))
			key = from_params("EC", bld);
		OSSL_PARAM_BLD_free(bld);
	}
	free(bx), free(by);
	return key;
}

/* The key kind an alg needs in a JWK's "kty". */
static const char *kty_for(const char *alg)
{
	const char *family = rp_jwt_family(alg);
	return !family ? NULL : !strcmp(family, "ES") ? "EC" : !strcmp(family, "HS") ? NULL : "RSA";
}

/* One JWK tried: NO_KEY when it is not one for this token. */
static enum rp_jwt_verdict try_jwk(const struct rp_jwt *j, const struct rp_value *k, char *err,
                                   size_t errlen)
{
	const struct rp_value *kty = get(k, "kty"), *kid = get(k, "kid");
	const char *want = kty_for(j->alg);
	if (!want || !kty || kty->type != RP_V_STRING || strcmp(kty->s, want) != 0)
		return RP_JWT_NO_KEY;
	if (j->kid[0] && (!kid || kid->type != RP_V_STRING || strcmp(kid->s, j->kid) != 0))
		return RP_JWT_NO_KEY;
	EVP_PKEY *key = !strcmp(want, "EC") ? jwk_ec(k) : jwk_rsa(k);
	if (!key) {
		snprintf(err, errlen, "a %s key in the JWKS cannot be read", want);
		return RP_JWT_BAD_KEY;
	}
	enum rp_jwt_verdict v = verify_key(j, key, err, errlen);
	EVP_PKEY_free(key);
	return v;
}

enum rp_jwt_verdict rp_jwt_verify_jwks(const struct rp_jwt *j, const char *json, size_t len,
                                       char *err, size_t errlen)
{
	if (!kty_for(j->alg)) {
		snprintf(err, errlen, "a JWKS verifies RS*, PS* and ES*, not %s", j->alg);
		return rp_jwt_family(j->alg) ? RP_JWT_KEY_MISMATCH : RP_JWT_UNSUPPORTED;
	}
	char jerr[128];
	struct rp_value *doc = rp_json_parse_any(json, len, jerr, sizeof jerr);
	const struct rp_value *keys = doc && doc->type == RP_V_TABLE ? get(doc, "keys") : NULL;
	if (!keys || keys->type != RP_V_ARRAY) {
		snprintf(err, errlen, "not a JWKS: no \"keys\" array");
		rp_value_free(doc);
		return RP_JWT_BAD_KEY;
	}
	enum rp_jwt_verdict best = RP_JWT_NO_KEY;
	for (size_t i = 0; i < keys->n && best != RP_JWT_VALID; i++) {
		if (keys->items[i]->type != RP_V_TABLE)
			continue;
		enum rp_jwt_verdict v = try_jwk(j, keys->items[i], err, errlen);
		if (v != RP_JWT_NO_KEY)
			best = v == RP_JWT_VALID || best == RP_JWT_NO_KEY ? v : best;
	}
	if (best == RP_JWT_NO_KEY)
		snprintf(err, errlen, "no key in the JWKS for %s%s%s", j->alg,
		         j->kid[0] ? " with kid " : "", j->kid[0] ? j->kid : "");
	rp_value_free(doc);
	return best;
}
