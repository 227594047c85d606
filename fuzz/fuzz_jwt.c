/* fuzz_jwt: JSON Web Tokens taken apart (rp_jwt_decode), verified with a
 * secret, and JWKS documents read (rp_jwt_verify_jwks): no crash, no
 * leak, no verdict of valid for a token nobody signed. The input is
 * split at its first newline: a token, then a JWKS. */
#include "fuzz_common.h"
#include "rp_jwt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	size_t tlen = nl ? (size_t)(nl - text) : size;
	const char *jwks = nl ? nl + 1 : "";
	size_t jlen = nl ? size - tlen - 1 : 0;
	struct rp_jwt j;
	char err[256];
	if (!rp_jwt_decode(text, tlen, &j, err, sizeof err))
		return 0;
	if (j.nclaims > RP_JWT_CLAIMS_MAX || !j.alg[0])
		abort();
	/* a random input signed with this secret by chance is impossible */
	if (rp_jwt_verify_secret(&j, "fuzz-secret", 11, err, sizeof err) == RP_JWT_VALID &&
	    j.siglen < 32)
		abort();
	(void)rp_jwt_verify_jwks(&j, jwks, jlen, err, sizeof err);
	(void)rp_jwt_verify_pem(&j, jwks, jlen, err, sizeof err);
	rp_jwt_free(&j);
	return 0;
}
