/* h_peers.c: stock servers and TLS material for the plugin tests: nginx on a
 * free loopback port with a configuration of the test's own, and
 * certificates made with OpenSSL's libcrypto (any validity window, expired
 * ones included, which the openssl 3.0 command line cannot make). */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static EVP_PKEY *read_key(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert(k != NULL);
	return k;
}

static X509 *read_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert(c != NULL);
	return c;
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ck_assert(ext != NULL);
	X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
}

void h_make_cert(const char *dir, const char *name, const char *issuer, const char *cn,
                 double from_days, double to_days)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	ck_assert(key != NULL);
	X509 *cert = X509_new();
	X509_set_version(cert, 2);
	static long serial = 1000;
	ASN1_INTEGER_set(X509_get_serialNumber(cert), (long)getpid() * 100 + serial++);
	X509_gmtime_adj(X509_getm_notBefore(cert), (long)(from_days * 86400));
	X509_gmtime_adj(X509_getm_notAfter(cert), (long)(to_days * 86400));
	X509_set_pubkey(cert, key);
	X509_NAME *subject = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
	                           0);
	EVP_PKEY *signer = key;
	X509 *issuer_cert = cert;
	if (issuer) {
		char *kp = rp_xasprintf("%s/%s.key", dir, issuer);
		char *cp = rp_xasprintf("%s/%s.crt", dir, issuer);
		signer = read_key(kp);
		issuer_cert = read_cert(cp);
		free(kp);
		free(cp);
		X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));
		char *san = rp_xasprintf("DNS:%s,IP:127.0.0.1", cn);
		add_ext(cert, issuer_cert, NID_subject_alt_name, san);
		free(san);
		add_ext(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
	} else {
		X509_set_issuer_name(cert, subject);
		add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(cert, cert, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
		add_ext(cert, cert, NID_subject_key_identifier, "hash");
	}
	ck_assert(X509_sign(cert, signer, EVP_sha256()) > 0);

	char *kp = rp_xasprintf("%s/%s.key", dir, name);
	char *cp = rp_xasprintf("%s/%s.crt", dir, name);
	FILE *f = fopen(kp, "w");
	ck_assert(f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	f = fopen(cp, "w");
	ck_assert(f && PEM_write_X509(f, cert));
	fclose(f);
	free(kp);
	free(cp);
	if (issuer) {
		EVP_PKEY_free(signer);
		X509_free(issuer_cert);
	}
	X509_free(cert);
	EVP_PKEY_free(key);
}

bool h_have_program(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = rp_xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	bool found = false;
	char *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p = rp_xasprintf("%s/%s", d, name);
		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	/* daemons live in sbin, which a test's PATH may lack */
	for (const char *d = "/usr/sbin"; !found && d; d = NULL) {
		char *p = rp_xasprintf("%s/%s", d, name);
		found = access(p, X_OK) == 0;
		free(p);
	}
	return found;
}

pid_t h_nginx(const char *dir, const char *servers, int *port)
{
	*port = h_free_port();
	char *conf =
	        rp_xasprintf("daemon off;\n"
	                     "master_process off;\n"
	                     "worker_processes 1;\n"
	                     "pid %s/nginx.pid;\n"
	                     "error_log %s/nginx-error.log warn;\n"
	                     "events { worker_connections 64; }\n"
	                     "http {\n"
	                     "  access_log off;\n"
	                     "  client_body_temp_path %s/ngx-body;\n"
	                     "  proxy_temp_path %s/ngx-proxy;\n"
	                     "  fastcgi_temp_path %s/ngx-fastcgi;\n"
	                     "  uwsgi_temp_path %s/ngx-uwsgi;\n"
	                     "  scgi_temp_path %s/ngx-scgi;\n"
	                     "  types { application/json json; text/html html; text/plain txt; }\n"
	                     "  default_type application/octet-stream;\n"
	                     "  keepalive_timeout 30;\n"
	                     "%s"
	                     "}\n",
	                     dir, dir, dir, dir, dir, dir, dir, servers);
	/* the configuration names the port as PORT */
	struct rp_buf b;
	rp_buf_init(&b);
	for (const char *p = conf; *p;) {
		if (strncmp(p, "PORT", 4) == 0) {
			rp_buf_printf(&b, "%d", *port);
			p += 4;
		} else {
			rp_buf_putc(&b, *p++);
		}
	}
	char *path = h_write_file(dir, "nginx.conf", b.data, b.len);
	rp_buf_free(&b);
	free(conf);
	char *argv[] = {
		(char *)"/usr/sbin/nginx", (char *)"-c", path, (char *)"-p", (char *)dir, NULL
	};
	pid_t pid = h_start(argv, NULL);
	free(path);
	ck_assert_msg(h_wait_port("127.0.0.1", *port, 10), "nginx did not start (see %s)", dir);
	return pid;
}
