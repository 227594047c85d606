/* rp_digest.h: SHA-1 and base64, for the WebSocket handshake. */
#ifndef RP_DIGEST_H
#define RP_DIGEST_H

#include <stddef.h>
#include <stdint.h>

void rp_digest_sha1(const void *data, size_t len, uint8_t out[20]);
/* Standard base64 with padding; out holds 4 * ceil(len / 3) + 1 bytes. */
void rp_digest_base64(const uint8_t *data, size_t len, char *out);

#endif
