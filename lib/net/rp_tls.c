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
	X(crypto, ERR_clear_error)                                                                 \
	X(ssl, SSL_use_certificate_chain_file)                                                     \
	X(ssl, SSL_use_PrivateKey_file)                                                            \
	X(ssl, SSL_check_private_key)                                                              \
	X(ssl, SSL_set_default_passwd_cb)                                                          \
	X(ssl, SSL_set_default_passwd_cb_userdata)                                                 \
	X(ssl, SSL_get_certificate)                                                                \
	X(ssl, SSL_get_peer_cert_chain)                                                            \
	X(crypto, OPENSSL_sk_num)                                                                  \
	X(crypto, OPENSSL_sk_value)

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

static bool not_after(X509 *x, double *when)
{
	struct tm tm;
	if (!x || ossl.ASN1_TIME_to_tm(ossl.X509_get0_notAfter(x), &tm) != 1)
		return false;
	*when = rp_timestamp_from_tm_utc(&tm);
	return true;
}

bool rp_tls_chain_not_after(struct rp_tls *t, double *when)
{
	const STACK_OF(X509) *chain = ossl.SSL_get_peer_cert_chain(t->ssl);
	int n = chain ? ossl.OPENSSL_sk_num((const OPENSSL_STACK *)chain) : 0;
	bool any = false;
	for (int i = 0; i < n; i++) {
		double at;
		if (not_after(ossl.OPENSSL_sk_value((const OPENSSL_STACK *)chain, i), &at) &&
		    (!any || at < *when)) {
			*when = at;
			any = true;
		}
	}
	return any;
}

int rp_tls_passphrase_cb(char *buf, int size, int rwflag, void *u)
{
	(void)rwflag;
	const char *p = u;
	if (!p)
		return -1;
	int n = (int)strlen(p);
	if (n > size)
		n = size;
	memcpy(buf, p, (size_t)n);
	return n;
}

bool rp_tls_use_client_cert(struct rp_tls *t, const char *cert, const char *key,
                            const char *password, double *when)
{
	ossl.SSL_set_default_passwd_cb(t->ssl, rp_tls_passphrase_cb);
	ossl.SSL_set_default_passwd_cb_userdata(t->ssl, (void *)password);
	bool ok = false;
	if (ossl.SSL_use_certificate_chain_file(t->ssl, cert) != 1)
		openssl_error(t, "the client certificate cannot be used");
	else if (ossl.SSL_use_PrivateKey_file(t->ssl, key ? key : cert, SSL_FILETYPE_PEM) != 1)
		openssl_error(t, password
		                         ? "the client key cannot be read with the passphrase given"
		                         : "the client key cannot be read (encrypted? give its "
		                           "passphrase)");
	else if (ossl.SSL_check_private_key(t->ssl) != 1)
		openssl_error(t, "the client key does not belong to the certificate");
	else
		ok = true;
	/* the passphrase is the caller's to wipe: no pointer to it stays */
	ossl.SSL_set_default_passwd_cb_userdata(t->ssl, NULL);
	if (ok && when && !not_after(ossl.SSL_get_certificate(t->ssl), when))
		*when = 0;
	return ok;
}

bool rp_tls_check_client_cert(const char *cert, const char *key, const char *password, double *when,
                              char *err, size_t errlen)
{
	if (!rp_tls_available(err, errlen))
		return false;
	struct rp_tls *t = rp_xcalloc(1, sizeof *t);
	t->ctx = ossl.SSL_CTX_new(ossl.TLS_client_method());
	t->ssl = t->ctx ? ossl.SSL_new(t->ctx) : NULL;
	bool ok = t->ssl && rp_tls_use_client_cert(t, cert, key, password, when);
	if (!ok)
		snprintf(err, errlen, "%s", t->ssl ? t->error : "cannot start TLS");
	rp_tls_free(t);
	return ok;
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
