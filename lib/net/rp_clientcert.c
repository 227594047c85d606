#include "rp_clientcert.h"
#include "rp_file.h"
#include "rp_secret.h"
#include "rp_text.h"
#include "rp_timestamp.h"
#include "rp_tls.h"
#include "rp_util.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PEM_MAX (1024 * 1024)

static char *read_pem(const char *path, const char *what, size_t *len, char *err, size_t errlen)
{
	char why[200];
	char *text = rp_file_read(path, PEM_MAX, len, NULL, why, sizeof why);
	if (!text) {
		char *f = rp_text_sanitize_str(path, 120);
		snprintf(err, errlen, "the %s %s %s", what, f, why);
		free(f);
	}
	return text;
}

static X509 *load_cert(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = read_pem(path, "client certificate", &len, err, errlen);
	if (!text)
		return NULL;
	BIO *b = BIO_new_mem_buf(text, (int)len);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	free(text);
	if (!x) {
		char *f = rp_text_sanitize_str(path, 120);
		snprintf(err, errlen, "the client certificate %s holds no PEM certificate", f);
		free(f);
	}
	ERR_clear_error();
	return x;
}

static EVP_PKEY *load_key(const char *path, const char *password, char *err, size_t errlen)
{
	size_t len;
	char *text = read_pem(path, "client key", &len, err, errlen);
	if (!text)
		return NULL;
	BIO *b = BIO_new_mem_buf(text, (int)len);
	EVP_PKEY *k =
	        b ? PEM_read_bio_PrivateKey(b, NULL, rp_tls_passphrase_cb, (void *)password) : NULL;
	BIO_free(b);
	bool encrypted = strstr(text, "ENCRYPTED") != NULL;
	rp_secret_wipe(text, len);
	free(text);
	ERR_clear_error();
	if (!k) {
		char *f = rp_text_sanitize_str(path, 120);
		if (encrypted && !password)
			snprintf(err, errlen,
			         "the client key %s is encrypted: give --client-key-pass-file or "
			         "--client-key-pass-env",
			         f);
		else if (encrypted)
			snprintf(err, errlen,
			         "the client key %s cannot be decrypted with the passphrase given",
			         f);
		else
			snprintf(err, errlen, "the client key %s holds no PEM private key", f);
		free(f);
	}
	return k;
}

bool rp_clientcert_check(const char *cert, const char *key, const char *password, double *not_after,
                         char *err, size_t errlen)
{
	X509 *x = load_cert(cert, err, errlen);
	if (!x)
		return false;
	EVP_PKEY *k = load_key(key ? key : cert, password, err, errlen);
	bool ok = k != NULL;
	if (ok && X509_check_private_key(x, k) != 1) {
		char *f = rp_text_sanitize_str(key ? key : cert, 120);
		snprintf(err, errlen, "the client key %s does not belong to the certificate", f);
		free(f);
		ok = false;
	}
	struct tm tm;
	if (ok && ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
		*not_after = rp_timestamp_from_tm_utc(&tm);
	ERR_clear_error();
	EVP_PKEY_free(k);
	X509_free(x);
	return ok;
}
