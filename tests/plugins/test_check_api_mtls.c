/* check_api against an nginx that asks for client certificates (mutual
 * TLS) and presents a chain whose intermediate expires before its leaf.
 * The certificates and keys are made here: a server CA with a 20-day
 * intermediate, a client CA with a client certificate, an encrypted copy
 * of its key, one from another CA, one expired. The key's passphrase is
 * searched for in every output mode. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLUGIN     "plugins/check_api"
#define PASSPHRASE "key-pass-8c2e4a6f0b1d"

static char *dir, *url, *ca, *pin;
static int port;
static pid_t nginx;

static char *path(const char *name)
{
	return rp_xasprintf("%s/%s", dir, name);
}

/* dir/NAME.key written again, encrypted with the passphrase. */
static void encrypt_key(const char *name, const char *to)
{
	char *in = rp_xasprintf("%s/%s.key", dir, name), *out = path(to);
	FILE *f = fopen(in, "r");
	ck_assert_ptr_nonnull(f);
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	f = fopen(out, "w");
	ck_assert(k && f);
	ck_assert(PEM_write_PrivateKey(f, k, EVP_aes_256_cbc(), (unsigned char *)PASSPHRASE,
	                               (int)strlen(PASSPHRASE), NULL, NULL) == 1);
	fclose(f);
	chmod(out, 0600);
	EVP_PKEY_free(k);
	free(in), free(out);
}

static void concat(const char *to, const char *a, const char *b)
{
	char *pa = path(a), *pb = path(b), *pt = path(to);
	char *cmd = rp_xasprintf("cat '%s' '%s' > '%s'", pa, pb, pt);
	ck_assert_int_eq(system(cmd), 0);
	free(pa), free(pb), free(pt), free(cmd);
}

static void up(void)
{
	dir = h_tempdir();
	h_make_ca(dir, "ca", NULL, "readiness server root", -1, 3650);
	h_make_ca(dir, "inter", "ca", "readiness intermediate", -1, 20);
	h_make_cert(dir, "srv", "inter", "localhost", -1, 300);
	concat("srv-chain.crt", "srv.crt", "inter.crt");
	h_make_ca(dir, "cca", NULL, "readiness client root", -1, 3650);
	h_make_cert(dir, "cli", "cca", "monitoring", -1, 40);
	h_make_cert(dir, "old", "cca", "monitoring-old", -30, -2);
	h_make_cert(dir, "rogue", "ca", "rogue", -1, 40);
	encrypt_key("cli", "cli-enc.key");
	char *pw = h_write_file(dir, "pass", PASSPHRASE "\n", strlen(PASSPHRASE) + 1);
	chmod(pw, 0600);
	free(pw);
	char *servers = rp_xasprintf(
	        "  server { listen 127.0.0.1:PORT ssl; server_name localhost;\n"
	        "    ssl_certificate %1$s/srv-chain.crt; ssl_certificate_key %1$s/srv.key;\n"
	        "    ssl_client_certificate %1$s/cca.crt; ssl_verify_client on;\n"
	        "    location / { default_type application/json; return 200 '{\"ok\":true}'; } }\n",
	        dir);
	nginx = h_nginx(dir, servers, &port);
	url = rp_xasprintf("https://localhost:%d/", port);
	pin = rp_xasprintf("localhost:%d:127.0.0.1", port);
	ca = path("ca.crt");
	free(servers);
}

static void down(void)
{
	h_stop(nginx);
	h_rmrf(dir);
	free(dir), free(url), free(ca), free(pin);
}

static void run(struct h_run *r, const char *first, ...)
{
	const char *args[40] = { "-u", url, "--cacert", ca, "--resolve", pin };
	size_t n = 6;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 39; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	const char *secrets[] = { PASSPHRASE, NULL };
	h_run_modes(r, PLUGIN, "API", NULL, secrets, args);
}

#define CERT(name) "--client-cert", (name)

START_TEST(test_client_certificates)
{
	char *cli = path("cli.crt"), *key = path("cli.key"), *enc = path("cli-enc.key");
	char *old = path("old.crt"), *oldkey = path("old.key"), *rogue = path("rogue.crt");
	char *roguekey = path("rogue.key"), *pass = path("pass");
	struct h_run r;
	run(&r, CERT(cli), "--client-key", key, NULL);
	h_assert_state(&r, 0, "HTTP 200 OK from https://localhost:");
	ck_assert(h_perf(&r, "client_cert_days") > 39 && h_perf(&r, "client_cert_days") <= 40);
	ck_assert(h_perf(&r, "cert_days") > 299);
	/* the intermediate, not the leaf, ends first */
	ck_assert(h_perf(&r, "chain_days") > 19 && h_perf(&r, "chain_days") <= 20);
	h_run_free(&r);
	run(&r, CERT(cli), "--client-key", key, "-w", "chain_days=30:", "-w",
	    "client_cert_days=60:", NULL);
	h_assert_state(&r, 1, "a certificate of the chain the server presents expires in ");
	ck_assert_msg(strstr(r.out, "our client certificate ") && strstr(r.out, "expires in "),
	              "%s", r.out);
	h_run_free(&r);
	/* no client certificate, or one the server does not trust */
	run(&r, NULL);
	h_assert_state(&r, 2, "HTTP 400 Bad Request");
	ck_assert_msg(strstr(r.out, "a client certificate"), "%s", r.out);
	h_run_free(&r);
	run(&r, CERT(rogue), "--client-key", roguekey, NULL);
	h_assert_state(&r, 2, "HTTP 400 Bad Request");
	h_run_free(&r);
	/* an encrypted key: with its passphrase, without, with the wrong one */
	run(&r, CERT(cli), "--client-key", enc, "--client-key-pass-file", pass, NULL);
	h_assert_state(&r, 0, "HTTP 200 OK");
	h_run_free(&r);
	run(&r, CERT(cli), "--client-key", enc, NULL);
	h_assert_state(&r, 3, "is encrypted: give --client-key-pass-file or --client-key-pass-env");
	h_run_free(&r);
	char *env[] = { (char *)"KEYPASS=not-the-passphrase", NULL };
	const char *args[] = { "-u",
		               url,
		               "--cacert",
		               ca,
		               "--resolve",
		               pin,
		               "--client-cert",
		               cli,
		               "--client-key",
		               enc,
		               "--client-key-pass-env",
		               "KEYPASS",
		               NULL };
	h_run_modes(&r, PLUGIN, "API", env, NULL, args);
	h_assert_state(&r, 3, "cannot be decrypted with the passphrase given");
	h_run_free(&r);
	/* a key of another certificate; an expired certificate of ours */
	run(&r, CERT(cli), "--client-key", roguekey, NULL);
	h_assert_state(&r, 3, "does not belong to the certificate");
	h_run_free(&r);
	run(&r, CERT(old), "--client-key", oldkey, NULL);
	h_assert_state(&r, 2, "");
	ck_assert_msg(strstr(r.out, "our client certificate ") && strstr(r.out, "expired "), "%s",
	              r.out);
	h_run_free(&r);
	free(cli), free(key), free(enc), free(old), free(oldkey), free(rogue), free(roguekey);
	free(pass);
}
END_TEST

/* check_services' tls:// and https:// with ?client-cert=: the same
 * server, the same certificates. */
START_TEST(test_services)
{
	char *q = rp_xasprintf("cacert=%1$s/ca.crt&client-cert=%1$s/cli.crt&client-key=%1$s/"
	                       "cli-enc.key&client-key-pass-file=%1$s/pass",
	                       dir);
	char *tls = rp_xasprintf("edge=tls://127.0.0.1:%d?%s", port, q);
	char *https = rp_xasprintf("api=https://127.0.0.1:%d/?%s", port, q);
	char *bare = rp_xasprintf("anon=https://127.0.0.1:%d/?cacert=%s/ca.crt", port, dir);
	const char *secrets[] = { PASSPHRASE, NULL };
	struct h_run r;
	const char *args[] = { "-s", tls, "-s", https, "-w", "chain_days=30:", NULL };
	h_run_modes(&r, "plugins/check_services", "SERVICES", NULL, secrets, args);
	h_assert_state(&r, 1, "");
	ck_assert_msg(strstr(r.out, "a certificate of the chain expires in "), "%s", r.out);
	ck_assert(h_perf(&r, "chain_days.edge") > 19 && h_perf(&r, "chain_days.edge") <= 20);
	ck_assert(h_perf(&r, "cert_days.api") > 299);
	ck_assert(h_perf(&r, "client_cert_days.api") > 39 &&
	          h_perf(&r, "client_cert_days.api") <= 40);
	h_run_free(&r);
	/* without a client certificate nginx answers 400 */
	const char *args2[] = { "-s", bare, NULL };
	h_run_modes(&r, "plugins/check_services", "SERVICES", NULL, secrets, args2);
	h_assert_state(&r, 2, "anon");
	ck_assert_msg(strstr(r.out, "400"), "%s", r.out);
	h_run_free(&r);
	/* wss:// presents it too: nginx serves no WebSocket here, so the
	 * upgrade is refused, but past the client check (200, not 400) */
	char *wss = rp_xasprintf("ws=wss://127.0.0.1:%d/?%s", port, q);
	char *wss_bare = rp_xasprintf("ws=wss://127.0.0.1:%d/?cacert=%s/ca.crt", port, dir);
	const char *args4[] = { "-s", wss, NULL };
	h_run_modes(&r, "plugins/check_services", "SERVICES", NULL, secrets, args4);
	ck_assert_msg(strstr(r.out, "200") && !strstr(r.out, "400"), "%s", r.out);
	h_run_free(&r);
	const char *args5[] = { "-s", wss_bare, NULL };
	h_run_modes(&r, "plugins/check_services", "SERVICES", NULL, secrets, args5);
	ck_assert_msg(strstr(r.out, "400"), "%s", r.out);
	h_run_free(&r);
	free(wss), free(wss_bare);
	/* the passphrase missing: the check's own setup, not the service */
	char *nopass = rp_xasprintf("edge=tls://127.0.0.1:%1$d?cacert=%2$s/ca.crt&client-cert=%2$s/"
	                            "cli.crt&client-key=%2$s/cli-enc.key",
	                            port, dir);
	const char *args3[] = { "-s", nopass, NULL };
	h_run_modes(&r, "plugins/check_services", "SERVICES", NULL, secrets, args3);
	h_assert_state(&r, 3, "the client key cannot be read (encrypted? give its passphrase)");
	h_run_free(&r);
	free(q), free(tls), free(https), free(bare), free(nopass);
}
END_TEST

START_TEST(test_usage)
{
	struct h_run r;
	h_run(&r, PLUGIN, "-u", "https://127.0.0.1:1/", "--client-key", "/k.pem", NULL);
	h_assert_state(&r, 3, "--client-key and its passphrase go with --client-cert");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-u", "https://127.0.0.1:1/", "--client-cert", "/nonexistent.crt", NULL);
	h_assert_state(&r, 3, "the client certificate /nonexistent.crt does not exist");
	h_run_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check_api_mtls");
	TCase *tc = tcase_create("mtls");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, up, down);
	tcase_add_test(tc, test_client_certificates);
	tcase_add_test(tc, test_services);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(suite)
