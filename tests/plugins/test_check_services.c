/* check_services against real peers on loopback: redis-server with and
 * without requirepass (no, wrong and right passwords), PostgreSQL made
 * with initdb, our test server's HTTP and WebSocket endpoints (a correct
 * upgrade, a 200 instead, a wrong accept key), closed ports, a listener
 * that never speaks, a peer that sends garbage, and ten silent peers at
 * once under one deadline (F12, F13, F18). The password never appears in
 * any output mode. */
#include "harness.h"
#include "rp_deadline.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLUGIN   "plugins/check_services"
#define PASSWORD "rds-7c1e9a2b4d6f8e0a1c3b5d7f"

static char *dir;
static pid_t web, redis_auth, redis_open;
static int web_port, auth_port, open_port;

static void setup(void)
{
	dir = h_tempdir();
	web = h_testserver(&web_port, NULL);
	redis_auth = h_redis(dir, PASSWORD, &auth_port);
	redis_open = h_redis(dir, NULL, &open_port);
}

static void teardown(void)
{
	h_stop(web);
	h_stop(redis_auth);
	h_stop(redis_open);
	h_rmrf(dir);
	free(dir);
}

/* Runs three ways (JSON, -vvv, text; r keeps the text), holding each to
 * the contract and searching each for the password. */
#define run_env(r, envp, ...)                                                                      \
	h_run_modes((r), PLUGIN, "SERVICES", (envp), secrets, (const char *const[]){ __VA_ARGS__ })

static const char *const secrets[] = { PASSWORD, NULL };

#define run(r, ...) run_env((r), NULL, __VA_ARGS__)

static char *svc(const char *name, const char *fmt, ...) RP_PRINTF(2, 3);

static char *svc(const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "%s=", name);
	rp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return rp_buf_steal(&b);
}

START_TEST(test_redis_passwords)
{
	char *envp[] = { (char *)"REDIS_PASSWORD=" PASSWORD, (char *)"WRONG=not-the-password",
		         NULL };
	char *good = svc("cache", "redis://127.0.0.1:%d?password-env=REDIS_PASSWORD", auth_port);
	char *none = svc("cache", "redis://127.0.0.1:%d", auth_port);
	char *wrong = svc("cache", "redis://127.0.0.1:%d?password-env=WRONG", auth_port);
	char *extra = svc("cache", "redis://127.0.0.1:%d?password-env=REDIS_PASSWORD", open_port);
	struct h_run r;
	run_env(&r, envp, "-s", good, NULL);
	h_assert_state(&r, 0, "all 1 service up");
	ck_assert(h_has_perf(&r, "time.cache"));
	ck_assert(h_perf(&r, "up") == 1 && h_perf(&r, "down") == 0);
	h_run_free(&r);
	/* F13: the port is open, the service is not usable */
	run_env(&r, envp, "-s", none, NULL);
	h_assert_state(&r, 2, "1 of 1 down: cache 127.0.0.1:");
	ck_assert(strstr(r.out, "NOAUTH: password required but none configured") != NULL);
	h_run_free(&r);
	run_env(&r, envp, "-s", wrong, NULL);
	h_assert_state(&r, 2, "wrong credentials");
	h_run_free(&r);
	run_env(&r, envp, "-s", extra, NULL);
	h_assert_state(&r, 1, "a password was sent to a server that has none configured");
	h_run_free(&r);
	/* from a file; an unreadable one is UNKNOWN for that service */
	char *pwfile = h_write_file(dir, "redis.pw", PASSWORD "\n", strlen(PASSWORD) + 1);
	char *byfile = svc("cache", "redis://127.0.0.1:%d?password-file=%s", auth_port, pwfile);
	chmod(pwfile, 0600);
	run(&r, "-s", byfile, NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	/* the same loader as every plugin: a file others may read is said */
	chmod(pwfile, 0644);
	run(&r, "-s", byfile, NULL);
	h_assert_state(&r, 1, "cache: the password file");
	ck_assert(strstr(r.out, "is readable by others (mode 0644); chmod 600 it") != NULL);
	h_run_free(&r);
	char *nofile = svc("cache", "redis://127.0.0.1:%d?password-file=%s/none", auth_port, dir);
	run(&r, "-s", nofile, NULL);
	h_assert_state(&r, 3, "the password file");
	ck_assert(strstr(r.out, "does not exist") != NULL);
	h_run_free(&r);
	char *unset = svc("cache", "redis://127.0.0.1:%d?password-env=UNSET_VAR", auth_port);
	run_env(&r, envp, "-s", unset, NULL);
	h_assert_state(&r, 3, "the password variable UNSET_VAR is not set");
	h_run_free(&r);
	free(unset);
	free(nofile);
	free(byfile);
	free(pwfile);
	free(good);
	free(none);
	free(wrong);
	free(extra);
}
END_TEST

START_TEST(test_http_ws_and_broken_peers)
{
	int closed = h_free_port();
	int silent_port, junk_port;
	pid_t silent = h_testserver(&silent_port, "--mode", "silent", NULL);
	pid_t junk = h_testserver(&junk_port, "--mode", "garbage", NULL);
	char *s[] = {
		svc("api", "http://127.0.0.1:%d/ok", web_port),
		svc("health", "http://127.0.0.1:%d/status/503", web_port),
		svc("created", "http://127.0.0.1:%d/status/201?expect=201", web_port),
		svc("ws", "ws://127.0.0.1:%d/ws", web_port),
		svc("ws-200", "ws://127.0.0.1:%d/status/200", web_port),
		svc("ws-key", "ws://127.0.0.1:%d/ws-bad-accept", web_port),
		svc("gateway", "tcp://127.0.0.1:%d", closed),
		svc("mute", "tcp://127.0.0.1:%d?expect=SSH-", silent_port),
		svc("junk", "http://127.0.0.1:%d/", junk_port),
	};
	struct h_run r;
	run(&r, "-s", s[0], "-s", s[1], "-s", s[2], "-s", s[3], "-s", s[4], "-s", s[5], "-s", s[6],
	    "-s", s[7], "-s", s[8], "-t", "2", NULL);
	h_assert_state(&r, 2, "6 of 9 down: health 127.0.0.1:");
	const char *lines[] = {
		"[OK] api 127.0.0.1:",
		"[OK] created 127.0.0.1:",
		"[OK] ws 127.0.0.1:",
		"up, 101 Switching Protocols, accept key verified",
		"down, HTTP 503 Service Unavailable",
		"ws-200 127.0.0.1:",
		"no 101 upgrade (HTTP 200 OK)",
		"101 with a wrong Sec-WebSocket-Accept",
		"gateway 127.0.0.1:",
		"connection refused",
		"mute 127.0.0.1:",
		"connected, but no answer within 2 s",
		"not HTTP: ",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(strstr(r.out, lines[i]) != NULL, "lacks '%s':\n%s", lines[i], r.out);
	ck_assert(h_perf(&r, "down") == 6);
	ck_assert(h_perf(&r, "time.mute") >= 1.9);
	ck_assert_msg(r.raw.elapsed < 3.0, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	/* --optional: that one being down is a WARNING */
	run(&r, "-s", s[0], "-s", s[6], "--optional", "gateway", NULL);
	h_assert_state(&r, 1, "1 of 2 down: gateway");
	ck_assert(strstr(r.out, "down (optional)") != NULL);
	h_run_free(&r);
	/* the count decides with -w/-c down= */
	run(&r, "-s", s[0], "-s", s[6], "-w", "down=1", "-c", "down=2", NULL);
	h_assert_state(&r, 0, "1 of 2 down");
	h_run_free(&r);
	run(&r, "-s", s[0], "-s", s[6], "-w", "down=0", "-c", "down=5", NULL);
	h_assert_state(&r, 1, NULL);
	h_run_free(&r);
	/* slow: -w time= applies to each service */
	char *slow = svc("slow", "http://127.0.0.1:%d/status/200?delay=400", web_port);
	run(&r, "-s", s[0], "-s", slow, "-w", "time=200ms", "-c", "time=5s", NULL);
	h_assert_state(&r, 1, "slow 127.0.0.1:");
	ck_assert(strstr(r.out, "up, slow: 0.4") != NULL);
	h_run_free(&r);
	free(slow);
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(s[i]);
	h_stop(silent);
	h_stop(junk);
}
END_TEST

START_TEST(test_banners_and_files)
{
	int ssh_port, smtp_port, bad_smtp;
	pid_t ssh = h_testserver(&ssh_port, "--mode", "banner", "--banner", "SSH-2.0-OpenSSH_9.2",
	                         NULL);
	pid_t smtp = h_testserver(&smtp_port, "--mode", "banner", "--banner",
	                          "220 mail.test ESMTP ready", NULL);
	pid_t nosmtp = h_testserver(&bad_smtp, "--mode", "banner", "--banner",
	                            "554 5.3.2 no service here", NULL);
	char *text = rp_xasprintf("# services of the demo stack\n\n"
	                          "ssh=tcp://127.0.0.1:%d?expect=SSH-2.0\n"
	                          "  mail = smtp://127.0.0.1:%d  \n"
	                          "relay smtp://127.0.0.1:%d\r\n"
	                          "echo=tcp://127.0.0.1:%d?send=hello%%0D%%0A&expect=SSH\n",
	                          ssh_port, smtp_port, bad_smtp, ssh_port);
	/* "  mail = smtp" is fine (white space around '=' does not count);
	 * "relay smtp" has no '=': refused with its line */
	char *bad = h_write_file(dir, "bad-services", text, strlen(text));
	struct h_run r;
	run(&r, "--services-file", bad, NULL);
	h_assert_state(&r, 3, "bad-services, line 5: ");
	h_run_free(&r);
	free(text);
	text = rp_xasprintf("# services of the demo stack\n\n"
	                    "ssh=tcp://127.0.0.1:%d?expect=SSH-2.0\n"
	                    "  mail=smtp://127.0.0.1:%d  \n"
	                    "relay=smtp://127.0.0.1:%d\r\n"
	                    "wrongbanner=tcp://127.0.0.1:%d?expect=220\n",
	                    ssh_port, smtp_port, bad_smtp, ssh_port);
	char *good = h_write_file(dir, "services", text, strlen(text));
	run(&r, "--services-file", good, NULL);
	h_assert_state(&r, 2, "2 of 4 down: relay");
	ck_assert(strstr(r.out, "banner SSH-2.0-OpenSSH_9.2") != NULL);
	ck_assert(strstr(r.out, "refuses service: 554 5.3.2 no service here") != NULL);
	ck_assert(strstr(r.out, "expected it to start with '220'") != NULL);
	ck_assert(strstr(r.out, "[OK] mail 127.0.0.1:") != NULL);
	h_run_free(&r);
	free(text);
	free(good);
	free(bad);
	h_stop(ssh);
	h_stop(smtp);
	h_stop(nosmtp);
}
END_TEST

/* True when the running process pid has a library whose name holds lib
 * mapped. */
static bool maps_library(pid_t pid, const char *lib)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, lib) != NULL;
	fclose(f);
	return found;
}

/* Runs check_services on spec against a silent peer and reads its maps
 * while it waits. */
static bool maps_libssl_while_probing(const char *spec)
{
	char *prog = h_build_path(PLUGIN);
	char *argv[] = { prog, (char *)"-s", (char *)spec, (char *)"-t", (char *)"5", NULL };
	pid_t pid = h_start(argv, NULL);
	double until = rp_deadline_now() + 3;
	bool mapped = false;
	/* the TLS library, when it is loaded, is loaded before the handshake */
	while (rp_deadline_now() < until && !mapped) {
		usleep(100 * 1000);
		mapped = maps_library(pid, "libssl");
	}
	h_stop(pid);
	free(prog);
	return mapped;
}

/* A plain probe maps no libssl; a TLS probe loads it (docs/design.md). */
START_TEST(test_libssl_only_for_tls)
{
	int p;
	pid_t silent = h_testserver(&p, "--mode", "silent", NULL);
	char *tcp = svc("plain", "tcp://127.0.0.1:%d?expect=SSH-", p);
	char *tls = svc("secure", "tls://127.0.0.1:%d", p);
	ck_assert_msg(!maps_libssl_while_probing(tcp), "a tcp:// probe mapped libssl");
	ck_assert_msg(maps_libssl_while_probing(tls), "a tls:// probe did not load libssl");
	free(tcp);
	free(tls);
	h_stop(silent);
}
END_TEST

START_TEST(test_concurrent_deadline)
{
	/* F12: ten services that never answer end at the deadline together */
	pid_t servers[10];
	char *args[32];
	size_t n = 0;
	args[n++] = (char *)PLUGIN;
	for (int i = 0; i < 10; i++) {
		int p;
		servers[i] = h_testserver(&p, "--mode", "silent", NULL);
		char name[8];
		snprintf(name, sizeof name, "s%d", i);
		args[n++] = (char *)"-s";
		args[n++] = svc(name, "http://127.0.0.1:%d/", p);
	}
	args[n++] = (char *)"-t";
	args[n++] = (char *)"2";
	args[n] = NULL;
	struct h_run r;
	h_run_argv(&r, args, NULL, 30);
	h_assert_contract(&r, "SERVICES");
	h_assert_state(&r, 2, "10 of 10 down");
	ck_assert_msg(r.raw.elapsed >= 1.9 && r.raw.elapsed < 3.0, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	for (size_t i = 2; i < n - 2; i += 2)
		free(args[i]);
	for (int i = 0; i < 10; i++)
		h_stop(servers[i]);
}
END_TEST

START_TEST(test_postgres)
{
	if (!h_have_postgres()) {
		fprintf(stderr, "PostgreSQL is not installed: test_postgres SKIPPED\n");
		ck_assert_msg(getenv("CI") == NULL, "PostgreSQL must be installed in CI");
		return;
	}
	char *pgdir = h_tempdir();
	int pg_port;
	pid_t pg = h_postgres(pgdir, &pg_port);
	char *db = svc("db", "postgres://127.0.0.1:%d", pg_port);
	char *nodb = svc("db2", "postgres://127.0.0.1:%d?user=nobody&dbname=missing", pg_port);
	char *down = svc("old", "postgres://127.0.0.1:%d", h_free_port());
	char *notpg = svc("web", "postgres://127.0.0.1:%d", web_port);
	struct h_run r;
	run(&r, "-s", db, "-s", nodb, NULL);
	h_assert_state(&r, 0, "all 2 services up");
	ck_assert(strstr(r.out, "accepting connections (authentication requested)") ||
	          strstr(r.out, "accepting connections (it answered"));
	h_run_free(&r);
	run(&r, "-s", db, "-s", down, "-s", notpg, "-t", "3", NULL);
	h_assert_state(&r, 2, "2 of 3 down: old");
	ck_assert(strstr(r.out, "connection refused") != NULL);
	h_run_free(&r);
	free(db);
	free(nodb);
	free(down);
	free(notpg);
	h_stop(pg);
	h_rmrf(pgdir);
	free(pgdir);
}
END_TEST

/* ---------------------------------------------------- TLS, with nginx */

static char *tls_dir;
static pid_t nginx_pid;
static int good_port, soon_port, old_port, self_port;

/* nginx with four TLS listeners, one certificate each (good for a year, 3
 * days left, expired, self-signed), static files, and /ws proxied to the
 * test server's WebSocket endpoint, as a TLS front end does. */
static void tls_setup(void)
{
	tls_dir = h_tempdir();
	h_make_cert(tls_dir, "ca", NULL, "readiness test CA", -1, 3650);
	h_make_cert(tls_dir, "good", "ca", "api.test", -1, 365);
	h_make_cert(tls_dir, "soon", "ca", "soon.test", -1, 3);
	h_make_cert(tls_dir, "expired", "ca", "old.test", -30, -1);
	h_make_cert(tls_dir, "self", NULL, "self.test", -1, 365);
	free(h_write_file(tls_dir, "health.json", "{\"status\":\"ok\"}\n", 16));
	soon_port = h_free_port();
	old_port = h_free_port();
	self_port = h_free_port();
	char *servers = rp_xasprintf(
	        "  server { listen 127.0.0.1:PORT ssl; root %1$s;\n"
	        "    ssl_certificate %1$s/good.crt; ssl_certificate_key %1$s/good.key;\n"
	        "    location /ws { proxy_pass http://127.0.0.1:%2$d/ws; proxy_http_version 1.1;\n"
	        "      proxy_set_header Upgrade $http_upgrade;\n"
	        "      proxy_set_header Connection upgrade; } }\n"
	        "  server { listen 127.0.0.1:%3$d ssl; root %1$s;\n"
	        "    ssl_certificate %1$s/soon.crt; ssl_certificate_key %1$s/soon.key; }\n"
	        "  server { listen 127.0.0.1:%4$d ssl; root %1$s;\n"
	        "    ssl_certificate %1$s/expired.crt; ssl_certificate_key %1$s/expired.key; }\n"
	        "  server { listen 127.0.0.1:%5$d ssl; root %1$s;\n"
	        "    ssl_certificate %1$s/self.crt; ssl_certificate_key %1$s/self.key; }\n",
	        tls_dir, web_port, soon_port, old_port, self_port);
	nginx_pid = h_nginx(tls_dir, servers, &good_port);
	free(servers);
	ck_assert(h_wait_port("127.0.0.1", self_port, 10));
}

static void tls_teardown(void)
{
	h_stop(nginx_pid);
	h_rmrf(tls_dir);
	free(tls_dir);
}

START_TEST(test_tls)
{
	char *ca = rp_xasprintf("%s/ca.crt", tls_dir);
	char *good = svc("edge", "tls://127.0.0.1:%d?cacert=%s", good_port, ca);
	char *site = svc("web", "https://127.0.0.1:%d/health.json?cacert=%s", good_port, ca);
	char *ws = svc("stream", "wss://127.0.0.1:%d/ws?cacert=%s", good_port, ca);
	struct h_run r;
	run(&r, "-s", good, "-s", site, "-s", ws, "-w", "cert_days=30:", NULL);
	h_assert_state(&r, 0, "all 3 services up");
	ck_assert(h_perf(&r, "cert_days.edge") > 363 && h_perf(&r, "cert_days.edge") < 366);
	ck_assert(strstr(r.out, "TLS handshake complete") != NULL);
	ck_assert(strstr(r.out, "HTTP 200 OK") != NULL);
	ck_assert(strstr(r.out, "101 Switching Protocols, accept key verified") != NULL);
	h_run_free(&r);
	char *soon = svc("soon", "tls://127.0.0.1:%d?cacert=%s", soon_port, ca);
	run(&r, "-s", soon, "-w", "cert_days=30:", "-c", "cert_days=7:", NULL);
	h_assert_state(&r, 2, "soon 127.0.0.1:");
	ck_assert(strstr(r.out, "the certificate expires in") != NULL);
	h_run_free(&r);
	char *old = svc("old", "tls://127.0.0.1:%d?cacert=%s", old_port, ca);
	run(&r, "-s", old, NULL);
	h_assert_state(&r, 2, "1 of 1 down: old");
	ck_assert(strstr(r.out, "the TLS certificate is not trusted: certificate has expired"));
	h_run_free(&r);
	char *old_insecure = svc("old", "tls://127.0.0.1:%d?insecure=1", old_port);
	run(&r, "-s", old_insecure, NULL);
	h_assert_state(&r, 2, NULL);
	ck_assert(strstr(r.out, "the certificate expired 1") != NULL);
	ck_assert(h_perf(&r, "cert_days.old") < 0);
	h_run_free(&r);
	char *self = svc("self", "tls://127.0.0.1:%d?cacert=%s", self_port, ca);
	run(&r, "-s", self, NULL);
	h_assert_state(&r, 2, "not trusted: self");
	h_run_free(&r);
	char *self_insecure = svc("self", "tls://127.0.0.1:%d?insecure=1", self_port);
	run(&r, "-s", self_insecure, NULL);
	h_assert_state(&r, 1, NULL);
	ck_assert(strstr(r.out, "certificate not verified (?insecure=1): self") != NULL);
	h_run_free(&r);
	/* the system's CAs do not know ours; the name must match too */
	char *nosys = svc("edge", "tls://127.0.0.1:%d", good_port);
	char *byname = svc("byname", "https://localhost:%d/health.json?cacert=%s", good_port, ca);
	run(&r, "-s", nosys, "-s", byname, NULL);
	h_assert_state(&r, 2, "2 of 2 down");
	ck_assert(strstr(r.out, "unable to get local issuer certificate") != NULL);
	ck_assert(strstr(r.out, "hostname mismatch") != NULL);
	h_run_free(&r);
	/* TLS to something that does not speak it, and to a silent peer */
	int junk_port, mute_port;
	pid_t junk = h_testserver(&junk_port, "--mode", "garbage", NULL);
	pid_t mute = h_testserver(&mute_port, "--mode", "silent", NULL);
	char *tj = svc("junk", "tls://127.0.0.1:%d", junk_port);
	char *tm = svc("mute", "tls://127.0.0.1:%d", mute_port);
	run(&r, "-s", tj, "-s", tm, "-t", "2", NULL);
	h_assert_state(&r, 2, "2 of 2 down");
	ck_assert(strstr(r.out, "the TLS handshake failed") != NULL);
	ck_assert(strstr(r.out, "connected, but no TLS handshake within 2 s") != NULL);
	ck_assert(r.raw.elapsed < 3.0);
	h_run_free(&r);
	h_stop(junk);
	h_stop(mute);
	char *strs[] = { ca,   good,          site,  ws,     soon, old, old_insecure,
		         self, self_insecure, nosys, byname, tj,   tm };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(strs[i]);
}
END_TEST

/* A threshold on a count the plugin does not word itself still decides. */
START_TEST(test_count_thresholds_judged)
{
	char *ok = svc("api", "http://127.0.0.1:%d/ok", web_port);
	struct h_run r;
	run(&r, "-s", ok, "-c", "up=2:", NULL);
	h_assert_state(&r, 2, "up is 1, below the critical threshold 2");
	h_run_free(&r);
	run(&r, "-s", ok, "-w", "time=10s", NULL);
	h_assert_state(&r, 0, "all 1 service up");
	h_run_free(&r);
	free(ok);
}
END_TEST

START_TEST(test_usage)
{
	const char *bad[][4] = {
		{ "-s", "nouri", NULL },
		{ "-s", "x=ftp://h:1", NULL },
		{ "-s", "x=tcp://h", NULL },
		{ "-s", "x=tcp://h:0", NULL },
		{ "-s", "x=tcp://h:70000", NULL },
		{ "-s", "x=redis://user:pw@h:6379", NULL },
		{ "-s", "x=redis://h:6379?password=inline", NULL },
		{ "-s", "x=http://h:80/?expect=abc", NULL },
		{ "-s", "bad name=tcp://h:1", NULL },
		{ "-s", "x=tcp://h:1", "-s", "x=tcp://h:2" },
		{ "-s", "x=tcp://h:1", "--optional", "y" },
		{ "-s", "x=tcp://h:1", "-w", "nosuch=1" },
		{ "--services-file", "/nonexistent", NULL },
		{ "-t", "1", NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct h_run r;
		h_run(&r, PLUGIN, bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL);
		ck_assert_msg(r.exit_code == 3, "%s %s: %s", bad[i][0], bad[i][1], r.out);
		h_assert_contract(&r, "SERVICES");
		h_run_free(&r);
	}
	struct h_run r;
	h_run(&r, PLUGIN, "-s", "x=redis://h:6379?password=inline", NULL);
	h_assert_state(&r, 3, "redis:// takes no ?password= (it takes: password-env");
	h_run_free(&r);
	/* a FIFO as ?cacert= is named at once, never waited on */
	char *fifo = rp_xasprintf("%s/ca.fifo", dir);
	ck_assert(mkfifo(fifo, 0600) == 0);
	char *spec = rp_xasprintf("x=tls://127.0.0.1:1?cacert=%s", fifo);
	h_run(&r, PLUGIN, "-s", spec, NULL);
	h_assert_state(&r, 3, "x: cannot use the CA file ");
	ck_assert_msg(r.raw.elapsed < 1, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	free(spec);
	free(fifo);
	/* a refused URI's password never reaches the usage error */
	h_run(&r, PLUGIN, "-s", "x=redis://user:hunter2-secret@h:6379", NULL);
	h_assert_state(&r, 3, NULL);
	ck_assert_msg(strstr(r.out, "hunter2") == NULL, "%s", r.out);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-s", "x=ftp://user:hunter2-secret@h:1?token=abc123secret", NULL);
	h_assert_state(&r, 3, NULL);
	ck_assert_msg(strstr(r.out, "hunter2") == NULL && strstr(r.out, "abc123") == NULL, "%s",
	              r.out);
	h_run_free(&r);
	h_run(&r, PLUGIN, "--help", NULL);
	const char *opts[] = {
		"--service", "--services-file", "--optional", "tcp://",  "http://",
		"redis://",  "postgres://",     "ws://",      "smtp://", "mysql://"
	};
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		ck_assert_msg(strstr(r.out, opts[i]) != NULL, "--help lacks %s", opts[i]);
	h_run_free(&r);
}
END_TEST

static Suite *check_services_suite(void)
{
	Suite *s = suite_create("check_services");
	TCase *tc = tcase_create("peers");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_redis_passwords);
	tcase_add_test(tc, test_http_ws_and_broken_peers);
	tcase_add_test(tc, test_banners_and_files);
	tcase_add_test(tc, test_concurrent_deadline);
	tcase_add_test(tc, test_libssl_only_for_tls);
	tcase_add_test(tc, test_postgres);
	tcase_add_test(tc, test_count_thresholds_judged);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	TCase *tls = tcase_create("nginx-tls");
	tcase_set_timeout(tls, 120);
	tcase_add_checked_fixture(tls, setup, teardown);
	tcase_add_checked_fixture(tls, tls_setup, tls_teardown);
	tcase_add_test(tls, test_tls);
	suite_add_tcase(s, tls);
	return s;
}

RP_TEST_MAIN(check_services_suite)
