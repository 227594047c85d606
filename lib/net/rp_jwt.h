/* rp_jwt.h: JSON Web Tokens (RFC 7519) in compact form, taken apart and
 * their signatures verified with OpenSSL: HS256/384/512 against a shared
 * secret, RS*, PS* and ES* against a PEM public key or a JWKS document
 * (RFC 7517). Users link $(CRYPTO_LIBS) and $(JSONC_LIBS).
 *
 * A token is a credential: nothing here prints it or its signature; the
 * decoded header and the standard claims a check may name (iss, aud, exp,
 * nbf, and the names of the others) are all that is kept. */
#ifndef RP_JWT_H
#define RP_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A token longer than this is refused (real ones are a few KiB). */
#define RP_JWT_MAX (64 * 1024)
/* Claim names kept (their values are not). */
#define RP_JWT_CLAIMS_MAX 64

struct rp_jwt {
	char alg[16]; /* as the header says: "HS256", "none", ... */
	char kid[128];
	bool has_exp, has_nbf;
	double exp, nbf; /* NumericDate: unix seconds */
	char *iss;
	char **aud; /* "aud" as a string or an array */
	size_t naud;
	char **claims; /* every claim's name, in order */
	size_t nclaims;
	/* for verification: the signed part and the decoded signature */
	char *signing_input;
	size_t signing_len;
	uint8_t *sig;
	size_t siglen;
};

/* Takes the token apart: three base64url parts, a JSON object header with
 * a string "alg", a JSON object payload. Surrounding whitespace and a
 * "Bearer " prefix are tolerated. False with err in words (never the
 * token's text). */
bool rp_jwt_decode(const char *token, size_t len, struct rp_jwt *out, char *err, size_t errlen);
/* Frees and wipes what decode kept. */
void rp_jwt_free(struct rp_jwt *j);

enum rp_jwt_verdict {
	RP_JWT_VALID = 0,
	RP_JWT_BAD_SIGNATURE, /* the key is of the right kind; the signature does not match */
	RP_JWT_KEY_MISMATCH,  /* the key cannot verify this alg (an RSA key for ES256, ...) */
	RP_JWT_UNSUPPORTED,   /* alg none, or one this library does not verify */
	RP_JWT_NO_KEY,        /* a JWKS with no key that fits (kid, kty) */
	RP_JWT_BAD_KEY,       /* the key itself cannot be read: err says why */
};

/* HS256/384/512 with the shared secret. */
enum rp_jwt_verdict rp_jwt_verify_secret(const struct rp_jwt *j, const void *secret, size_t len,
                                         char *err, size_t errlen);
/* RS*, PS*, ES* with a PEM public key (SubjectPublicKeyInfo) or
 * certificate. */
enum rp_jwt_verdict rp_jwt_verify_pem(const struct rp_jwt *j, const char *pem, size_t len,
                                      char *err, size_t errlen);
/* The same with a JWKS document: the key whose "kid" matches the token's
 * (or, without a kid, each key of a fitting kty in turn). */
enum rp_jwt_verdict rp_jwt_verify_jwks(const struct rp_jwt *j, const char *json, size_t len,
                                       char *err, size_t errlen);

/* "HS", "RS", "PS", "ES", or NULL: the family of a supported alg. */
const char *rp_jwt_family(const char *alg);

#endif
