/* A real systemd, booted as ../shared/RECIPES.md found it safe here: in
 * systemd-nspawn on a volatile root (a tmpfs; /usr read-only from the
 * host), so its boot can never empty the host's /tmp; a private network,
 * so its services take no host port. The test's units are its
 * /etc/systemd/system (read-only: first boot's presets enable nothing of
 * the host's); its system bus and its journal are bound out to the test's
 * directory, where the plugin reaches them. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NSPAWN "/usr/bin/systemd-nspawn"
/* booting takes about 15 s here; under a sanitizer build's load, more */
#define BOOT_SECONDS 120

bool h_have_nspawn(const char *test)
{
	if (access(NSPAWN, X_OK) == 0 && access("/usr/bin/busctl", X_OK) == 0 &&
	    access("/usr/bin/dbus-daemon", X_OK) == 0 && geteuid() == 0)
		return true;
	fprintf(stderr,
	        "*** systemd-nspawn (systemd-container), busctl, dbus or root is missing: %s "
	        "SKIPPED ***\n",
	        test);
	ck_assert_msg(getenv("CI") == NULL, "systemd-nspawn must run in CI");
	return false;
}

/* The manager's state over the bound-out bus: "running", "degraded", ...;
 * "" while it does not answer. Caller frees. */
static char *system_state(const struct h_systemd *s)
{
	char *address = rp_xasprintf("--address=unix:path=%s", s->bus_socket);
	const char *argv[] = { "/usr/bin/busctl",
		               address,
		               "get-property",
		               "org.freedesktop.systemd1",
		               "/org/freedesktop/systemd1",
		               "org.freedesktop.systemd1.Manager",
		               "SystemState",
		               NULL };
	struct h_run r;
	h_run_argv(&r, (char *const *)argv, NULL, 10);
	char *state = rp_xstrdup("");
	const char *q = strchr(r.out, '"');
	if (r.exit_code == 0 && q) {
		free(state);
		state = rp_xstrndup(q + 1, strcspn(q + 1, "\""));
	}
	h_run_free(&r);
	free(address);
	return state;
}

void h_systemd_unit(const struct h_systemd *s, const char *name, const char *text)
{
	char *path = h_write_file(s->units, name, text, strlen(text));
	free(path);
}

void h_systemd_link(const struct h_systemd *s, const char *link, const char *target)
{
	char *path = rp_xasprintf("%s/%s", s->units, link);
	char *dir = rp_xstrdup(path);
	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0755);
	ck_assert_msg(symlink(target, path) == 0, "symlink %s", path);
	free(dir), free(path);
}

void h_systemd_prepare(struct h_systemd *s)
{
	memset(s, 0, sizeof *s);
	s->dir = h_tempdir();
	s->units = rp_xasprintf("%s/units", s->dir);
	s->journal = rp_xasprintf("%s/journal", s->dir);
	char *bus = rp_xasprintf("%s/bus", s->dir);
	s->bus_socket = rp_xasprintf("%s/system_bus_socket", bus);
	s->bus_address = rp_xasprintf("DBUS_SYSTEM_BUS_ADDRESS=unix:path=%s", s->bus_socket);
	mkdir(s->units, 0755), mkdir(s->journal, 0755), mkdir(bus, 0755);
	free(bus);
}

void h_systemd_boot(struct h_systemd *s)
{
	char *machine = rp_xasprintf("--machine=rp-%d", (int)getpid());
	char *bind_bus = rp_xasprintf("--bind=%s/bus:/run/dbus", s->dir);
	char *bind_units = rp_xasprintf("--bind-ro=%s:/etc/systemd/system", s->units);
	char *bind_journal = rp_xasprintf("--bind=%s:/run/log/journal", s->journal);
	char *argv[] = { (char *)NSPAWN,
		         (char *)"--quiet",
		         (char *)"--keep-unit",
		         (char *)"--register=no",
		         (char *)"--volatile=yes",
		         (char *)"--private-network",
		         bind_bus,
		         bind_units,
		         bind_journal,
		         (char *)"-D",
		         (char *)"/",
		         machine,
		         (char *)"--boot",
		         (char *)"systemd.firstboot=off",
		         NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin:/usr/sbin:/sbin", NULL };
	s->nspawn = h_spawn_peer(argv, envp, NULL, true);
	free(machine), free(bind_bus), free(bind_units), free(bind_journal);
	/* booted: the manager says running or degraded (the tests' failing
	 * units make it degraded) */
	char *state = NULL;
	for (int i = 0; i < BOOT_SECONDS * 4; i++) {
		free(state);
		state = system_state(s);
		if (!strcmp(state, "running") || !strcmp(state, "degraded"))
			break;
		struct timespec ts = { 0, 250 * 1000000L };
		nanosleep(&ts, NULL);
	}
	ck_assert_msg(!strcmp(state, "running") || !strcmp(state, "degraded"),
	              "systemd in nspawn did not boot (state '%s')", state);
	free(state);
}

void h_systemd_down(struct h_systemd *s)
{
	if (!s->dir)
		return;
	h_stop(s->nspawn);
	/* nspawn's own directories on the host, when it left them empty */
	rmdir("/run/systemd/nspawn/propagate");
	rmdir("/run/systemd/nspawn");
	rmdir("/run/systemd/nspawn-root");
	h_rmrf(s->dir);
	free(s->dir), free(s->units), free(s->journal), free(s->bus_socket), free(s->bus_address);
	memset(s, 0, sizeof *s);
}
