/* Podman with its Docker-compatible API, as ../shared/RECIPES.md found it
 * works here: runc, cgroupfs, vfs storage (no mounts left behind), files
 * events, storage of its own under a temporary directory, and an image
 * imported from a busybox root the harness makes (no registry). */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool h_have_podman(const char *test)
{
	if (access("/usr/bin/podman", X_OK) == 0 && h_have_program("runc") &&
	    access("/bin/busybox", X_OK) == 0)
		return true;
	fprintf(stderr, "*** podman, runc or busybox-static is missing: %s SKIPPED ***\n", test);
	ck_assert_msg(getenv("CI") == NULL, "podman must be installed in CI");
	return false;
}

/* podman with this harness's storage: the first words of argv. */
static size_t podman_prefix(const struct h_podman *p, char **argv)
{
	const char *pre[] = { "/usr/bin/podman",
		              "--root",
		              p->storage,
		              "--runroot",
		              p->run,
		              "--storage-driver",
		              "vfs",
		              "--runtime",
		              "runc",
		              "--cgroup-manager",
		              "cgroupfs",
		              "--events-backend",
		              "file" };
	for (size_t n = 0; n < sizeof pre / sizeof pre[0]; n++)
		argv[n] = (char *)pre[n];
	return sizeof pre / sizeof pre[0];
}

void h_podman_argv(const struct h_podman *p, struct h_run *r, char *const args[])
{
	char *argv[96];
	size_t n = podman_prefix(p, argv);
	for (size_t i = 0; args[i] && n + 1 < sizeof argv / sizeof argv[0]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char *envp[] = { (char *)"PATH=/usr/bin:/bin:/usr/sbin:/sbin", (char *)"HOME=/root", NULL };
	h_run_argv(r, argv, envp, 120);
}

void h_podman(const struct h_podman *p, struct h_run *r, ...)
{
	char *args[64];
	size_t n = 0;
	va_list ap;
	va_start(ap, r);
	for (const char *a = va_arg(ap, const char *); a && n + 1 < 64;
	     a = va_arg(ap, const char *))
		args[n++] = (char *)a;
	va_end(ap);
	args[n] = NULL;
	h_podman_argv(p, r, args);
}

static void must(const char *what, struct h_run *r)
{
	ck_assert_msg(r->exit_code == 0, "podman %s: %s%s", what, r->out, r->raw.err);
	h_run_free(r);
}

/* A root with busybox and the commands the tests' containers run. */
static void make_image(struct h_podman *p)
{
	char *bin = rp_xasprintf("%s/rootfs/bin", p->dir);
	char *root = rp_xasprintf("%s/rootfs", p->dir);
	mkdir(root, 0755);
	mkdir(bin, 0755);
	char *cp =
	        rp_xasprintf("cp /bin/busybox %s/ && cd %s && for a in sh sleep cat echo touch "
	                     "true false; do ln -s busybox $a; done && tar -C %s -cf %s/bb.tar .",
	                     bin, bin, root, p->dir);
	const char *argv[] = { "/bin/sh", "-c", cp, NULL };
	struct h_run r;
	h_run_argv(&r, (char *const *)argv, NULL, 60);
	ck_assert_msg(r.exit_code == 0, "making the image: %s", r.raw.err);
	h_run_free(&r);
	char *tar = rp_xasprintf("%s/bb.tar", p->dir);
	h_podman(p, &r, "import", tar, H_PODMAN_IMAGE, NULL);
	must("import", &r);
	free(tar), free(cp), free(root), free(bin);
}

void h_podman_up(struct h_podman *p)
{
	memset(p, 0, sizeof *p);
	p->dir = h_tempdir();
	p->storage = rp_xasprintf("%s/storage", p->dir);
	p->run = rp_xasprintf("%s/run", p->dir);
	p->sock = rp_xasprintf("%s/podman.sock", p->dir);
	make_image(p);
	char *url = rp_xasprintf("unix://%s", p->sock);
	char *argv[32];
	size_t n = podman_prefix(p, argv);
	argv[n++] = (char *)"system";
	argv[n++] = (char *)"service";
	argv[n++] = (char *)"--time=0";
	argv[n++] = url;
	argv[n] = NULL;
	char *envp[] = { (char *)"PATH=/usr/bin:/bin:/usr/sbin:/sbin", (char *)"HOME=/root", NULL };
	p->service = h_spawn_peer(argv, envp, NULL, true);
	for (int i = 0; i < 200 && access(p->sock, F_OK) != 0; i++)
		usleep(50000);
	ck_assert_msg(access(p->sock, F_OK) == 0, "podman's API socket never appeared");
	free(url);
}

void h_podman_down(struct h_podman *p)
{
	if (!p->dir)
		return;
	struct h_run r;
	h_podman(p, &r, "rm", "-f", "-t", "0", "-a", NULL);
	h_run_free(&r);
	h_stop(p->service);
	h_podman(p, &r, "rmi", "-a", "-f", NULL);
	h_run_free(&r);
	h_rmrf(p->dir);
	free(p->dir), free(p->storage), free(p->run), free(p->sock);
	memset(p, 0, sizeof *p);
}
