/* rp_digest.h: SHA-1 and base64, for the WebSocket handshake; base64url
 * decoding, for JSON Web Tokens and keys. */
#ifndef RP_DIGEST_H
#define RP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void rp_digest_sha1(const void *data, size_t len, uint8_t out[20]);
/* Standard base64 with padding; out holds 4 * ceil(len / 3) + 1 bytes. */
void rp_digest_base64(const uint8_t *data, size_t len, char *out);
/* base64url (RFC 4648 section 5: '-' and '_', padding optional) into out,
 * which holds len * 3 / 4 + 1 bytes; the decoded length in *outlen. False
 * for any other character, a '=' before the end, or a length that no
 * encoding has (one character left over). */
bool rp_digest_base64url_decode(const char *in, size_t len, uint8_t *out, size_t *outlen);

#endif
