/* check_config --secret-store against a real gnome-keyring-daemon on a
 * session bus of the test's own (dbus-daemon with no service directories,
 * so nothing is activated behind the test's back), items stored with
 * secret-tool: a strong secret, a placeholder, a weak one, an empty one,
 * none, a locked collection; no Secret Service at all; no session bus.
 * The stored values are searched for in every output mode. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLUGIN "plugins/check_config"
#define STRONG "Qm7Zt2Rk9VxW4nLp8Hs3Jd6Fb1Gc5Ya0Qm7Zt2Rk9VxW4n"
#define WEAK   "Zt2Rk9VxW4nL"

static char *dir, *env_home, *env_run, *env_bus;
static pid_t bus, keyring;
static bool have;

static char **session_env(void)
{
	static char *envp[5];
	envp[0] = env_home;
	envp[1] = env_run;
	envp[2] = env_bus;
	envp[3] = (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	envp[4] = NULL;
	return envp;
}

/* sh -c CMD in the session; fails the test unless it exits 0. */
static void in_session(const char *cmd)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)cmd, NULL };
	struct h_run r;
	h_run_argv(&r, argv, session_env(), 20);
	ck_assert_msg(r.exit_code == 0, "%s: %d %s", cmd, r.exit_code, r.out);
	h_run_free(&r);
}

static void up(void)
{
	have = h_have_program("dbus-daemon") && h_have_program("gnome-keyring-daemon") &&
	       h_have_program("secret-tool");
	if (!have) {
		fprintf(stderr, "*** dbus-daemon, gnome-keyring-daemon or secret-tool is missing "
		                "(tools/bootstrap): SKIPPED ***\n");
		return;
	}
	dir = h_tempdir();
	char *conf = rp_xasprintf(
	        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
	        "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
	        "<busconfig><type>session</type><listen>unix:path=%s/bus</listen>"
	        "<auth>EXTERNAL</auth><policy context=\"default\"><allow send_destination=\"*\" "
	        "eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy>"
	        "</busconfig>\n",
	        dir);
	char *conf_path = h_write_file(dir, "bus.conf", conf, strlen(conf));
	char *home = rp_xasprintf("%s/home", dir), *run = rp_xasprintf("%s/run", dir);
	mkdir(home, 0700);
	mkdir(run, 0700);
	env_home = rp_xasprintf("HOME=%s", home);
	env_run = rp_xasprintf("XDG_RUNTIME_DIR=%s", run);
	env_bus = rp_xasprintf("DBUS_SESSION_BUS_ADDRESS=unix:path=%s/bus", dir);
	char *cf = rp_xasprintf("--config-file=%s", conf_path);
	char *argv[] = { (char *)"/usr/bin/dbus-daemon", cf, (char *)"--nofork", NULL };
	bus = h_start(argv, session_env());
	char *sock = rp_xasprintf("%s/bus", dir);
	struct stat st;
	for (int i = 0; i < 100 && stat(sock, &st) != 0; i++)
		usleep(50000);
	ck_assert_msg(stat(sock, &st) == 0, "dbus-daemon did not start");
	free(conf), free(conf_path), free(home), free(run), free(cf), free(sock);
}

static void down(void)
{
	if (!have)
		return;
	if (keyring)
		h_stop(keyring);
	h_stop(bus);
	h_rmrf(dir);
	free(dir), free(env_home), free(env_run), free(env_bus);
}

static void start_keyring(void)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c",
		         (char *)"printf kr-pass-3e9a | exec gnome-keyring-daemon --foreground "
		                 "--unlock --components=secrets",
		         NULL };
	keyring = h_start(argv, session_env());
	/* up once it answers: an item can be stored */
	struct h_run r;
	char *sh[] = { (char *)"/bin/sh", (char *)"-c",
		       (char *)"printf x | secret-tool store --label=probe rp probe", NULL };
	for (int i = 0; i < 100; i++) {
		h_run_argv(&r, sh, session_env(), 10);
		int rc = r.exit_code;
		h_run_free(&r);
		if (rc == 0)
			return;
		usleep(100000);
	}
	ck_abort_msg("gnome-keyring-daemon did not start");
}

static void store(const char *account, const char *value)
{
	char *cmd = rp_xasprintf("printf '%%s' '%s' | secret-tool store --label=%s service fire22 "
	                         "account %s",
	                         value, account, account);
	in_session(cmd);
	free(cmd);
}

static void run(struct h_run *r, const char *account)
{
	char *spec = rp_xasprintf("service=fire22,account=%s", account);
	const char *args[] = { "--secret-store", spec, NULL };
	const char *secrets[] = { STRONG, WEAK, NULL };
	h_run_modes(r, PLUGIN, "CONFIG", session_env(), secrets, args);
	free(spec);
}

START_TEST(test_secret_store)
{
	ck_assert_msg(have || getenv("CI") == NULL, "gnome-keyring must run in CI");
	if (!have)
		return;
	struct h_run r;
	/* a bus with no Secret Service on it */
	run(&r, "api-token");
	h_assert_state(&r, 2,
	               "the secret store: service=fire22,account=api-token: no Secret Service on "
	               "the session bus");
	h_run_free(&r);
	start_keyring();
	store("api-token", STRONG);
	store("placeholder", "your-api-token-here");
	store("weak", WEAK);
	store("empty", "");
	run(&r, "api-token");
	h_assert_state(&r, 0, "CONFIG OK - ");
	h_run_free(&r);
	run(&r, "placeholder");
	h_assert_state(
	        &r, 2,
	        "1 placeholder secret in the secret store: service=fire22,account=placeholder");
	h_run_free(&r);
	run(&r, "weak");
	h_assert_state(&r, 1, "1 weak secret in the secret store");
	h_run_free(&r);
	run(&r, "empty");
	h_assert_state(&r, 2, "");
	ck_assert_msg(strstr(r.out, "secret is empty"), "%s", r.out);
	h_run_free(&r);
	run(&r, "nobody");
	h_assert_state(&r, 2,
	               "service=fire22,account=nobody: no item has these attributes (a lookup "
	               "such as Bun.secrets.get() returns null)");
	h_run_free(&r);
	/* locked: found, but nothing may read it (and nothing prompts) */
	in_session("dbus-send --session --print-reply --dest=org.freedesktop.secrets "
	           "/org/freedesktop/secrets org.freedesktop.Secret.Service.Lock "
	           "array:objpath:/org/freedesktop/secrets/collection/login >/dev/null");
	run(&r, "api-token");
	h_assert_state(&r, 2, "service=fire22,account=api-token: its collection is locked");
	h_run_free(&r);
}
END_TEST

START_TEST(test_no_session_bus)
{
	if (!have)
		return;
	char *empty = rp_xasprintf("XDG_RUNTIME_DIR=%s/home", dir);
	char *envp[] = { env_home, empty, (char *)"PATH=/usr/bin:/bin", NULL };
	const char *args[] = { "--secret-store", "service=fire22,account=api-token", NULL };
	struct h_run r;
	h_run_modes(&r, PLUGIN, "CONFIG", envp, NULL, args);
	h_assert_state(&r, 3,
	               "no session bus (no DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus)");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--secret-store", "service", NULL);
	h_assert_state(&r, 3, "--secret-store 'service': write KEY=VALUE");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--secret-store", "a=1,a=2", NULL);
	h_assert_state(&r, 3, "a key given twice");
	h_run_free(&r);
	free(empty);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check_config_secretstore");
	TCase *tc = tcase_create("keyring");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, up, down);
	tcase_add_test(tc, test_secret_store);
	tcase_add_test(tc, test_no_session_bus);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(suite)
