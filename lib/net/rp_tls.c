#include "rp_tls.h"
#include "rp_timestamp.h"
#include "rp_util.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Every OpenSSL function used, resolved from the loaded libraries. */
#define RP_TLS_FUNCS(X)                                                                            \
	X(ssl, TLS_client_method)                                                                  \
	X(ssl, SSL_CTX_new)                                                                        \
	X(ssl, SSL_CTX_free)                                                                       \
	X(ssl, SSL_CTX_set_default_verify_paths)                                                   \
	X(ssl, SSL_CTX_load_verify_locations)                                                      \
	X(ssl, SSL_CTX_set_verify)                                                                 \
	X(ssl, SSL_new)                                                                            \
	X(ssl, SSL_free)                                                                           \
	X(ssl, SSL_set_fd)                                                                         \
	X(ssl, SSL_connect)                                                                        \
	X(ssl, SSL_get_error)                                                                      \
	X(ssl, SSL_read)                                                                           \
	X(ssl, SSL_write)                                                                          \
	X(ssl, SSL_ctrl)                                                                           \
	X(ssl, SSL_get_verify_result)                                                              \
	X(ssl, SSL_get1_peer_certificate)                                                          \
	X(ssl, SSL_set1_host)                                                                      \
	X(ssl, SSL_get0_param)                                                                     \
	X(crypto, X509_verify_cert_error_string)                                                   \
	X(crypto, X509_get0_notAfter)                                                              \
	X(crypto, ASN1_TIME_to_tm)                                                                 \
	X(crypto, X509_free)                                                                       \
	X(crypto, X509_VERIFY_PARAM_set1_ip_asc)                                                   \
	X(crypto, ERR_get_error)                                                                   \
	X(crypto, ERR_error_string_n)                                                              \
	X(crypto, ERR_clear_error)

static struct {
	bool tried, ok;
	char err[160];
#define RP_TLS_PTR(lib, name) __typeof__(name) *name;
	RP_TLS_FUNCS(RP_TLS_PTR)
#undef RP_TLS_PTR
} ossl;

struct rp_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	char error[200];
};

/* Loaded once per process; the libraries stay mapped until exit. */
static bool load(void)
{
	if (ossl.tried)
		return ossl.ok;
	ossl.tried = true;
	void *crypto = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_GLOBAL);
	void *ssl = crypto ? dlopen("libssl.so.3", RTLD_NOW) : NULL;
	if (!ssl) {
		snprintf(ossl.err, sizeof ossl.err, "OpenSSL 3 (libssl3) cannot be loaded: %s",
		         dlerror());
		return false;
	}
#define RP_TLS_SYM(lib, name)                                                                      \
	*(void **)&ossl.name = dlsym(lib, #name);                                                  \
	if (!ossl.name) {                                                                          \
		snprintf(ossl.err, sizeof ossl.err, "OpenSSL lacks %s", #name);                    \
		return false;                                                                      \
	}
	RP_TLS_FUNCS(RP_TLS_SYM)
#undef RP_TLS_SYM
	ossl.ok = true;
	return true;
}

bool rp_tls_available(char *err, size_t errlen)
{
	if (load())
		return true;
	snprintf(err, errlen, "%s", ossl.err);
	return false;
}

static void openssl_error(struct rp_tls *t, const char *what)
{
	unsigned long e = ossl.ERR_get_error();
	char buf[160] = "";
	if (e)
		ossl.ERR_error_string_n(e, buf, sizeof buf);
	snprintf(t->error, sizeof t->error, "%s%s%s", what, e ? ": " : "", buf);
	ossl.ERR_clear_error();
}

struct rp_tls *rp_tls_new(int fd, const char *host, const char *cacert, char *err, size_t errlen)
{
	if (!rp_tls_available(err, errlen))
		return NULL;
	struct rp_tls *t = rp_xcalloc(1, sizeof *t);
	t->ctx = ossl.SSL_CTX_new(ossl.TLS_client_method());
	if (!t->ctx)
		goto fail;
	/* verified after the handshake, to name the reason (see the header) */
	ossl.SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
	if (cacert ? ossl.SSL_CTX_load_verify_locations(t->ctx, cacert, NULL) != 1
	           : ossl.SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		openssl_error(t,
		              cacert ? "cannot use the CA file" : "cannot load the system's CAs");
		snprintf(err, errlen, "%s", t->error);
		rp_tls_free(t);
		return NULL;
	}
	t->ssl = ossl.SSL_new(t->ctx);
	if (!t->ssl || ossl.SSL_set_fd(t->ssl, fd) != 1)
		goto fail;
	unsigned char addr[16];
	bool is_ip = inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
	if (is_ip) {
		ossl.X509_VERIFY_PARAM_set1_ip_asc(ossl.SSL_get0_param(t->ssl), host);
	} else {
		/* SSL_set_tlsext_host_name is a macro over SSL_ctrl */
		ossl.SSL_ctrl(t->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
		              (void *)host);
		ossl.SSL_set1_host(t->ssl, host);
	}
	return t;
fail:
	openssl_error(t, "cannot start TLS");
	snprintf(err, errlen, "%s", t->error);
	rp_tls_free(t);
	return NULL;
}

static enum rp_tls_io outcome(struct rp_tls *t, int rc, const char *what)
{
	switch (ossl.SSL_get_error(t->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		return RP_TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return RP_TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return RP_TLS_CLOSED;
	case SSL_ERROR_SYSCALL:
		if (ossl.ERR_get_error() == 0) {
			snprintf(t->error, sizeof t->error, "%s: the peer closed the connection",
			         what);
			return RP_TLS_CLOSED;
		}
		/* fall through */
	default:
		openssl_error(t, what);
		return RP_TLS_FAILED;
	}
}

enum rp_tls_io rp_tls_handshake(struct rp_tls *t)
{
	int rc = ossl.SSL_connect(t->ssl);
	return rc == 1 ? RP_TLS_OK : outcome(t, rc, "the TLS handshake failed");
}

enum rp_tls_io rp_tls_read(struct rp_tls *t, void *buf, size_t len, size_t *got)
{
	int rc = ossl.SSL_read(t->ssl, buf, len > 65536 ? 65536 : (int)len);
	*got = rc > 0 ? (size_t)rc : 0;
	return rc > 0 ? RP_TLS_OK : outcome(t, rc, "reading over TLS failed");
}

enum rp_tls_io rp_tls_write(struct rp_tls *t, const void *buf, size_t len, size_t *put)
{
	int rc = ossl.SSL_write(t->ssl, buf, len > 65536 ? 65536 : (int)len);
	*put = rc > 0 ? (size_t)rc : 0;
	return rc > 0 ? RP_TLS_OK : outcome(t, rc, "writing over TLS failed");
}

const char *rp_tls_verify_error(struct rp_tls *t)
{
	long v = ossl.SSL_get_verify_result(t->ssl);
	return v == X509_V_OK ? NULL : ossl.X509_verify_cert_error_string(v);
}

bool rp_tls_not_after(struct rp_tls *t, double *when)
{
	X509 *leaf = ossl.SSL_get1_peer_certificate(t->ssl);
	if (!leaf)
		return false;
	struct tm tm;
	bool ok = ossl.ASN1_TIME_to_tm(ossl.X509_get0_notAfter(leaf), &tm) == 1;
	if (ok)
		*when = rp_timestamp_from_tm_utc(&tm);
	ossl.X509_free(leaf);
	return ok;
}

const char *rp_tls_error(const struct rp_tls *t)
{
	return t->error[0] ? t->error : "TLS failed";
}

void rp_tls_free(struct rp_tls *t)
{
	if (!t)
		return;
	if (t->ssl)
		ossl.SSL_free(t->ssl);
	if (t->ctx)
		ossl.SSL_CTX_free(t->ctx);
	free(t);
}
