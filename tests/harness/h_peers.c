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
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

static void make_cert(const char *dir, const char *name, const char *issuer, const char *cn,
                      double from_days, double to_days, bool ca);

void h_make_cert(const char *dir, const char *name, const char *issuer, const char *cn,
                 double from_days, double to_days)
{
	make_cert(dir, name, issuer, cn, from_days, to_days, false);
}

void h_make_ca(const char *dir, const char *name, const char *issuer, const char *cn,
               double from_days, double to_days)
{
	make_cert(dir, name, issuer, cn, from_days, to_days, true);
}

static void make_cert(const char *dir, const char *name, const char *issuer, const char *cn,
                      double from_days, double to_days, bool ca)
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
		if (ca) {
			/* an intermediate CA: it signs, it serves no name */
			add_ext(cert, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
			add_ext(cert, issuer_cert, NID_key_usage,
			        "critical,digitalSignature,keyCertSign,cRLSign");
		} else {
			char *san = rp_xasprintf("DNS:%s,IP:127.0.0.1", cn);
			add_ext(cert, issuer_cert, NID_subject_alt_name, san);
			free(san);
			add_ext(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
		}
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

pid_t h_redis(const char *dir, const char *password, int *port)
{
	*port = h_free_port();
	char portbuf[16];
	snprintf(portbuf, sizeof portbuf, "%d", *port);
	char *argv[20];
	size_t n = 0;
	argv[n++] = (char *)"/usr/bin/redis-server";
	argv[n++] = (char *)"--port";
	argv[n++] = portbuf;
	argv[n++] = (char *)"--bind";
	argv[n++] = (char *)"127.0.0.1";
	argv[n++] = (char *)"--save";
	argv[n++] = (char *)"";
	argv[n++] = (char *)"--appendonly";
	argv[n++] = (char *)"no";
	argv[n++] = (char *)"--dir";
	argv[n++] = (char *)dir;
	char *log = rp_xasprintf("%s/redis-%d.log", dir, *port);
	argv[n++] = (char *)"--logfile";
	argv[n++] = log;
	argv[n++] = (char *)"--loglevel";
	argv[n++] = (char *)"warning";
	if (password) {
		argv[n++] = (char *)"--requirepass";
		argv[n++] = (char *)password;
	}
	argv[n] = NULL;
	pid_t pid = h_start(argv, NULL);
	free(log);
	ck_assert_msg(h_wait_port("127.0.0.1", *port, 10), "redis-server did not start");
	return pid;
}

/* The newest PostgreSQL server binaries Debian installed. */
static char *pg_bindir(void)
{
	glob_t g;
	char *dir = NULL;
	if (glob("/usr/lib/postgresql/*/bin/postgres", 0, NULL, &g) == 0 && g.gl_pathc > 0) {
		dir = rp_xstrdup(g.gl_pathv[g.gl_pathc - 1]);
		*strrchr(dir, '/') = '\0';
	}
	globfree(&g);
	return dir;
}

bool h_have_postgres(void)
{
	char *d = pg_bindir();
	bool ok = d && getpwnam("postgres") != NULL;
	free(d);
	return ok;
}

pid_t h_start_as(char *const argv[], char *const envp[], const char *user)
{
	struct passwd *pw = getpwnam(user);
	ck_assert_msg(pw != NULL, "no user %s", user);
	return h_spawn_peer(argv, envp, pw, true);
}

pid_t h_postgres(const char *dir, int *port)
{
	char *bin = pg_bindir();
	ck_assert_msg(bin != NULL, "PostgreSQL is not installed (tools/bootstrap)");
	struct passwd *pw = getpwnam("postgres");
	ck_assert(pw != NULL);
	/* the postgres user must reach the data directory */
	ck_assert(chmod(dir, 0755) == 0);
	char *data = rp_xasprintf("%s/pgdata", dir);
	ck_assert(mkdir(data, 0700) == 0);
	ck_assert(chown(data, pw->pw_uid, pw->pw_gid) == 0);
	char *initdb = rp_xasprintf("%s/initdb", bin);
	char *init_argv[] = { initdb,
		              (char *)"-D",
		              data,
		              (char *)"-A",
		              (char *)"trust",
		              (char *)"-U",
		              (char *)"postgres",
		              (char *)"--no-sync",
		              NULL };
	pid_t ipid = h_start_as(init_argv, NULL, "postgres");
	int status = 0;
	ck_assert(waitpid(ipid, &status, 0) == ipid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "initdb failed (%d)", status);
	*port = h_free_port();
	char portbuf[16];
	snprintf(portbuf, sizeof portbuf, "%d", *port);
	char *server = rp_xasprintf("%s/postgres", bin);
	char *argv[] = { server,
		         (char *)"-D",
		         data,
		         (char *)"-p",
		         portbuf,
		         (char *)"-k",
		         data,
		         (char *)"-c",
		         (char *)"listen_addresses=127.0.0.1",
		         (char *)"-c",
		         (char *)"fsync=off",
		         (char *)"-c",
		         (char *)"logging_collector=off",
		         NULL };
	pid_t pid = h_start_as(argv, NULL, "postgres");
	ck_assert_msg(h_wait_port("127.0.0.1", *port, 30), "postgres did not start");
	free(server);
	free(initdb);
	free(data);
	free(bin);
	return pid;
}
