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
/* The earliest notAfter of every certificate the peer presented (the
 * leaf and its chain); false when unknown. */
bool rp_tls_chain_not_after(struct rp_tls *t, double *when);
/* Mutual TLS, before the handshake: our PEM certificate (a chain may
 * follow it), its key (NULL: in the certificate's file) and the key's
 * passphrase (NULL: none; never prompted for). *when (may be NULL) gets
 * the certificate's notAfter. False with rp_tls_error set. */
bool rp_tls_use_client_cert(struct rp_tls *t, const char *cert, const char *key,
                            const char *password, double *when);
/* The same, read on its own before any connection, to say what is wrong
 * with them as the check's setup. False with err. */
bool rp_tls_check_client_cert(const char *cert, const char *key, const char *password, double *when,
                              char *err, size_t errlen);
/* OpenSSL's passphrase callback (pem_password_cb) for a key: u is the
 * passphrase, or NULL for none; never a prompt on a terminal. */
int rp_tls_passphrase_cb(char *buf, int size, int rwflag, void *u);
/* The last failure in words. */
const char *rp_tls_error(const struct rp_tls *t);
void rp_tls_free(struct rp_tls *t);

#endif
