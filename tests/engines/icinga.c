#include "icinga.h"
#include "rp_test.h"
#include "rp_util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void icinga_dirs(const char *base)
{
	const char *dirs[] = { "",     "/etc", "/etc/zones.d", "/lib", "/lib/certs",
		               "/log", "/cache", "/spool",     "/run" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char *p = rp_xasprintf("%s%s", base, dirs[i]);
		ck_assert_msg(mkdir(p, 0755) == 0, "mkdir %s", p);
		free(p);
	}
}

static char *defines(const char *base)
{
	return rp_xasprintf("-DConfigDir=%1$s/etc -DZonesDir=%1$s/etc/zones.d -DDataDir=%1$s/lib "
	                    "-DLogDir=%1$s/log -DCacheDir=%1$s/cache -DSpoolDir=%1$s/spool "
	                    "-DInitRunDir=%1$s/run",
	                    base);
}

static void own(const char *base)
{
	char *cmd = rp_xasprintf("chown -R nagios:nagios '%s'", base);
	ck_assert(system(cmd) == 0);
	free(cmd);
}

int icinga_run(const char *base, const char *args, struct h_run *keep)
{
	char *d = defines(base);
	char *cmd =
	        rp_xasprintf("ICINGA2_USER=nagios ICINGA2_GROUP=nagios %s %s %s", ICINGA2, args, d);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	struct h_run r;
	h_run_argv(&r, argv, NULL, 60);
	int code = r.exit_code;
	if (keep)
		*keep = r;
	else
		h_run_free(&r);
	free(cmd);
	free(d);
	return code;
}

void icinga_new_ca(const char *ca_base)
{
	own(ca_base);
	struct h_run r;
	int rc = icinga_run(ca_base, "pki new-ca", &r);
	ck_assert_msg(rc == 0, "icinga2 pki new-ca: %d\n%s", rc, r.out);
	h_run_free(&r);
}

void icinga_cert(const char *ca_base, const char *base, const char *cn)
{
	own(base);
	char *cert = rp_xasprintf("pki new-cert --cn %1$s --key %2$s/lib/certs/%1$s.key "
	                          "--csr %2$s/lib/certs/%1$s.csr",
	                          cn, base);
	ck_assert_int_eq(icinga_run(base, cert, NULL), 0);
	char *sign = rp_xasprintf("pki sign-csr --csr %2$s/lib/certs/%1$s.csr --cert "
	                          "%2$s/lib/certs/%1$s.crt",
	                          cn, base);
	ck_assert_int_eq(icinga_run(ca_base, sign, NULL), 0);
	char *cp = rp_xasprintf("cp '%s/lib/ca/ca.crt' '%s/lib/certs/ca.crt'", ca_base, base);
	ck_assert(system(cp) == 0);
	own(base);
	free(cp);
	free(sign);
	free(cert);
}

pid_t icinga_start(const char *base, int port)
{
	char *d = defines(base);
	char *cmd = rp_xasprintf("exec env ICINGA2_USER=nagios ICINGA2_GROUP=nagios %s daemon -c "
	                         "%s/etc/icinga2.conf %s",
	                         ICINGA2, base, d);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	pid_t pid = h_start(argv, NULL);
	ck_assert_msg(h_wait_port("127.0.0.1", port, 30), "the Icinga 2 API on %d did not start",
	              port);
	free(cmd);
	free(d);
	return pid;
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	rp_buf_append(arg, data, size * n);
	return size * n;
}

json_object *icinga_api(const char *base, int port, const char *method, const char *path,
                        const char *body)
{
	CURL *h = curl_easy_init();
	ck_assert(h != NULL);
	char *url = rp_xasprintf("https://127.0.0.1:%d%s", port, path);
	char *ca = rp_xasprintf("%s/lib/certs/ca.crt", base);
	struct rp_buf out;
	rp_buf_init(&out);
	struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_USERPWD, "root:" ICINGA_PASSWORD);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L); /* the certificate names the node */
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	CURLcode rc = curl_easy_perform(h);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	json_object *doc = json_tokener_parse(out.data ? out.data : "");
	ck_assert_msg(doc != NULL, "%s %s: not JSON: %s", method, path, out.data);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	rp_buf_free(&out);
	free(ca);
	free(url);
	return doc;
}

json_object *icinga_get(json_object *o, const char *key)
{
	json_object *v = NULL;
	json_object_object_get_ex(o, key, &v);
	return v;
}

char *icinga_output(json_object *cr)
{
	const char *output = json_object_get_string(icinga_get(cr, "output"));
	json_object *perf = icinga_get(cr, "performance_data");
	size_t first = strcspn(output, "\n");
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_append(&b, output, first);
	for (size_t i = 0; perf && i < json_object_array_length(perf); i++)
		rp_buf_printf(&b, "%s%s", i ? " " : " | ",
		              json_object_get_string(json_object_array_get_idx(perf, i)));
	rp_buf_puts(&b, output + first);
	return rp_buf_steal(&b);
}
