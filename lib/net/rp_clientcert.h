/* rp_clientcert.h: a TLS client certificate and its key (mutual TLS), read
 * as the TLS library will read them, before any connection: so a key that
 * is encrypted with no passphrase given, a wrong passphrase, a key that
 * belongs to another certificate or an expired certificate is said in
 * words, as the check's own setup (UNKNOWN), rather than as a handshake
 * the server seems to refuse. Users link $(CRYPTO_LIBS). */
#ifndef RP_CLIENTCERT_H
#define RP_CLIENTCERT_H

#include <stdbool.h>
#include <stddef.h>

/* cert: a PEM certificate (a chain may follow it); key: its PEM private
 * key, or NULL when cert holds it too; password: the key's passphrase or
 * NULL. On success the certificate's notAfter (unix seconds) is set. The
 * files are read FIFO-safe; the key's text is wiped. False with err. */
bool rp_clientcert_check(const char *cert, const char *key, const char *password, double *not_after,
                         char *err, size_t errlen);

#endif
