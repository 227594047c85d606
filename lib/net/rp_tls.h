/* rp_tls.h: client TLS for check_services, with OpenSSL loaded only when a
 * probe needs it.
 *
 * A plugin that links libssl pays for loading it on every run, TLS or not
 * (docs/design.md: dynamic loading dominates a small plugin's cost). So libssl
 * and libcrypto are opened with dlopen the first time a tls://, https://
 * or wss:// probe starts, and a run of plain probes never maps them.
 *
 * Handshakes are non-blocking. The peer's certificate is verified against
 * the system's CAs (or a CA file) and the host name or address, and the
 * verdict is read after the handshake, so a failure is named in OpenSSL's
 * words ("certificate has expired", "self-signed certificate") rather than
 * as a bare handshake alert. */
#ifndef RP_TLS_H
#define RP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct rp_tls;

enum rp_tls_io {
	RP_TLS_OK,         /* done (handshake) or bytes moved (read, write) */
	RP_TLS_WANT_READ,  /* poll for POLLIN, then call again */
	RP_TLS_WANT_WRITE, /* poll for POLLOUT, then call again */
	RP_TLS_CLOSED,     /* the peer closed the connection */
	RP_TLS_FAILED,     /* see rp_tls_error */
};

/* Loads OpenSSL (once); false with err when it is not installed. */
bool rp_tls_available(char *err, size_t errlen);

/* A client session on connected socket fd for host (SNI and the name the
 * certificate must carry; an IP address is checked as one). cacert may
 * be NULL (the system's CAs). NULL with err on failure. */
struct rp_tls *rp_tls_new(int fd, const char *host, const char *cacert, char *err, size_t errlen);
enum rp_tls_io rp_tls_handshake(struct rp_tls *t);
enum rp_tls_io rp_tls_read(struct rp_tls *t, void *buf, size_t len, size_t *got);
enum rp_tls_io rp_tls_write(struct rp_tls *t, const void *buf, size_t len, size_t *put);
/* After the handshake: NULL when the chain and the name verified, else
 * why not. */
const char *rp_tls_verify_error(struct rp_tls *t);
/* The leaf certificate's notAfter as unix seconds; false when unknown. */
bool rp_tls_not_after(struct rp_tls *t, double *when);
/* The last failure in words. */
const char *rp_tls_error(const struct rp_tls *t);
void rp_tls_free(struct rp_tls *t);

#endif
