#include "harness.h"
#include "rp_range.h"
#include "rp_util.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <grp.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *tree_path(const char *env, const char *rel)
{
	const char *top = getenv(env);
	return rp_xasprintf("%s/%s", top && *top ? top : ".", rel);
}

char *h_build_path(const char *rel)
{
	return tree_path("RP_TOP_BUILDDIR", rel);
}

char *h_src_path(const char *rel)
{
	return tree_path("RP_TOP_SRCDIR", rel);
}

/* The state a threshold shown in perfdata demands of value: CRITICAL for
 * a critical range that alerts, WARNING (or worse) for a warning one. */
static void guard_one(const struct h_run *r, const char *label, double value, const char *warn,
                      const char *crit)
{
	struct rp_range range;
	char why[256];
	if (crit && *crit && rp_range_parse(crit, RP_UNIT_NONE, &range, why, sizeof why) &&
	    rp_range_alerts(&range, value))
		ck_assert_msg(r->exit_code == RP_CRITICAL,
		              "contract: '%s'=%g is in its critical range %s but the exit code is "
		              "%d:\n%s",
		              label, value, crit, r->exit_code, r->out);
	if (warn && *warn && rp_range_parse(warn, RP_UNIT_NONE, &range, why, sizeof why) &&
	    rp_range_alerts(&range, value))
		ck_assert_msg(r->exit_code != RP_OK,
		              "contract: '%s'=%g is in its warning range %s but the exit code is "
		              "0:\n%s",
		              label, value, warn, r->out);
}

static const char *json_text(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
	               ? json_object_get_string(v)
	               : NULL;
}

static void guard_json(const struct h_run *r)
{
	json_object *j = json_tokener_parse(r->out), *perf;
	if (!j)
		return;
	if (json_object_object_get_ex(j, "perfdata", &perf) &&
	    json_object_is_type(perf, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(perf); i++) {
			json_object *p = json_object_array_get_idx(perf, i), *v;
			if (!json_object_object_get_ex(p, "value", &v) || !v)
				continue;
			guard_one(r, json_text(p, "label"), json_object_get_double(v),
			          json_text(p, "warn"), json_text(p, "crit"));
		}
	}
	json_object_put(j);
}

/* The contract guard, on every run of one of our plugins in the tests: a
 * threshold an admin gave and the plugin shows decides the exit code. */
static void guard_thresholds(const struct h_run *r, const char *prog)
{
	const char *base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	if (strncmp(base, "check_", 6) != 0 || r->exit_code < 0)
		return;
	if (r->out[0] == '{') {
		guard_json(r);
		return;
	}
	for (size_t i = 0; i < r->parsed.perf.n; i++) {
		const struct rp_perf *p = &r->parsed.perf.items[i];
		if (!p->unknown)
			guard_one(r, p->label, p->value, p->warn, p->crit);
	}
}

void h_run_argv(struct h_run *r, char *const argv[], char *const envp[], double timeout)
{
	size_t n = 0;
	while (argv[n])
		n++;
	char **av = rp_xcalloc(n + 1, sizeof *av);
	for (size_t i = 0; i < n; i++)
		av[i] = argv[i];
	char *prog = NULL;
	if (strchr(argv[0], '/') && argv[0][0] != '/') {
		prog = h_build_path(argv[0]);
		av[0] = prog;
	}
	struct rp_spawn_opts o = { .timeout = timeout, .cap = 1 << 20, .envp = envp };
	memset(r, 0, sizeof *r);
	ck_assert_msg(rp_spawn(av, &o, &r->raw), "spawn %s: %s", av[0], strerror(errno));
	r->exit_code = r->raw.outcome == RP_SPAWN_EXITED ? r->raw.exit_code : -1;
	r->out = r->raw.out;
	rp_plugin_output_parse(r->raw.out, r->raw.out_len, &r->parsed);
	guard_thresholds(r, av[0]);
	free(prog);
	free(av);
}

void h_run(struct h_run *r, const char *prog, ...)
{
	char *argv[128];
	size_t n = 0;
	va_list ap;
	argv[n++] = (char *)prog;
	va_start(ap, prog);
	for (const char *a = va_arg(ap, const char *); a && n < 127; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	h_run_argv(r, argv, NULL, 30);
}

void h_run_free(struct h_run *r)
{
	rp_plugin_output_free(&r->parsed);
	rp_spawn_result_free(&r->raw);
}

void h_assert_contract(const struct h_run *r, const char *label)
{
	ck_assert_msg(r->raw.outcome == RP_SPAWN_EXITED,
	              "plugin did not exit normally (outcome %d, signal %d): %s",
	              (int)r->raw.outcome, r->raw.term_signal, r->out);
	ck_assert_msg(r->exit_code >= 0 && r->exit_code <= 3, "exit code %d outside 0-3",
	              r->exit_code);
	if (r->out[0] == '{') {
		/* --output-format json: one object whose state is the exit code */
		json_object *j = h_json(r), *v;
		ck_assert_msg(json_object_object_get_ex(j, "state", &v) &&
		                      json_object_get_int(v) == r->exit_code,
		              "JSON state differs from exit code %d: %s", r->exit_code, r->out);
		ck_assert(json_object_object_get_ex(j, "label", &v));
		ck_assert_str_eq(json_object_get_string(v), label);
		json_object_put(j);
		return;
	}
	ck_assert_msg(r->parsed.has_state, "no state word on line 1: %s", r->out);
	ck_assert_msg((int)r->parsed.state == r->exit_code,
	              "line 1 says %s but the exit code is %d: %s", rp_state_text(r->parsed.state),
	              r->exit_code, r->out);
	ck_assert_msg(strcmp(r->parsed.label, label) == 0, "label '%s', expected '%s'",
	              r->parsed.label, label);
	char expect[64];
	snprintf(expect, sizeof expect, "%s %s - ", label, rp_state_text(r->parsed.state));
	ck_assert_msg(strncmp(r->out, expect, strlen(expect)) == 0,
	              "line 1 does not start '%s': %s", expect, r->out);
	ck_assert_msg(strlen(r->parsed.first_line) <= 200, "line 1 over 200 characters: %s",
	              r->parsed.first_line);
	ck_assert_msg(r->parsed.perf_valid, "perfdata does not parse (%s): %s",
	              r->parsed.perf_error, r->out);
}

void h_assert_state(const struct h_run *r, int state, const char *text)
{
	ck_assert_msg(r->exit_code == state, "exit %d, expected %d; output:\n%s", r->exit_code,
	              state, r->out);
	if (text)
		ck_assert_msg(strstr(r->parsed.first_line, text) != NULL, "line 1 lacks '%s':\n%s",
		              text, r->out);
}

static const struct rp_perf *find_perf(const struct h_run *r, const char *label)
{
	for (size_t i = 0; i < r->parsed.perf.n; i++)
		if (strcmp(r->parsed.perf.items[i].label, label) == 0)
			return &r->parsed.perf.items[i];
	return NULL;
}

bool h_has_perf(const struct h_run *r, const char *label)
{
	return find_perf(r, label) != NULL;
}

double h_perf(const struct h_run *r, const char *label)
{
	const struct rp_perf *p = find_perf(r, label);
	ck_assert_msg(p != NULL, "no perfdata '%s' in: %s", label, r->out);
	return p->value;
}

json_object *h_json(const struct h_run *r)
{
	json_object *j = json_tokener_parse(r->out);
	ck_assert_msg(j != NULL, "output is not JSON: %s", r->out);
	return j;
}

int h_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert(fd >= 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	socklen_t sl = sizeof sa;
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	close(fd);
	return ntohs(sa.sin_port);
}

bool h_wait_port(const char *addr, int port, double timeout)
{
	struct timespec pause_ts = { 0, 50 * 1000000L };
	for (double waited = 0; waited < timeout; waited += 0.05) {
		int fd = socket(strchr(addr, ':') ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return false;
		int rc;
		if (strchr(addr, ':')) {
			struct sockaddr_in6 sa6;
			memset(&sa6, 0, sizeof sa6);
			sa6.sin6_family = AF_INET6;
			sa6.sin6_port = htons((uint16_t)port);
			inet_pton(AF_INET6, addr, &sa6.sin6_addr);
			rc = connect(fd, (struct sockaddr *)&sa6, sizeof sa6);
		} else {
			struct sockaddr_in sa;
			memset(&sa, 0, sizeof sa);
			sa.sin_family = AF_INET;
			sa.sin_port = htons((uint16_t)port);
			inet_pton(AF_INET, addr, &sa.sin_addr);
			rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
		}
		close(fd);
		if (rc == 0)
			return true;
		nanosleep(&pause_ts, NULL);
	}
	return false;
}

/* Peers' forked helpers are re-parented to us rather than to init, so
 * h_stop can reap them and know they are gone. */
static void become_subreaper(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* The peers this process started and has not stopped. A failing check
 * leaves the test's process by _exit, before its teardown and without
 * atexit handlers, and a peer that changes its own user (nagios4,
 * postgres, icinga2) loses PR_SET_PDEATHSIG. So a watchdog, forked with
 * the first peer, is told of every peer started (its process group) and
 * stopped, over a pipe only this process writes; when the pipe closes
 * (this process has ended, however it ended) it kills every group still
 * listed. Each forked test has its own. */
#define MAX_PEERS 64

static void watchdog(int in)
{
	pid_t groups[MAX_PEERS] = { 0 };
	pid_t pid;
	while (read(in, &pid, sizeof pid) == (ssize_t)sizeof pid) {
		for (size_t i = 0; i < MAX_PEERS; i++) {
			if (pid > 0 && groups[i] == 0) {
				groups[i] = pid;
				break;
			}
			if (pid < 0 && groups[i] == -pid)
				groups[i] = 0;
		}
	}
	for (size_t i = 0; i < MAX_PEERS; i++)
		if (groups[i] > 0)
			kill(-groups[i], SIGKILL);
	_exit(0);
}

static void remember_peer(pid_t pid, bool keep)
{
	static int out = -1;
	if (out < 0 && keep) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) != 0)
			return;
		pid_t w = fork();
		if (w == 0) {
			/* nothing of the test's held open here but the pipe */
			for (int fd = 3; fd < 1024; fd++)
				if (fd != p[0])
					close(fd);
			watchdog(p[0]);
		}
		close(p[0]);
		out = w > 0 ? p[1] : -1;
		if (w < 0)
			close(p[1]);
	}
	pid_t word = keep ? pid : -pid;
	if (out >= 0 && write(out, &word, sizeof word) != (ssize_t)sizeof word)
		return;
}

pid_t h_spawn_peer(char *const argv[], char *const envp[], const struct passwd *pw, bool quiet)
{
	become_subreaper();
	uid_t uid = pw ? pw->pw_uid : 0;
	gid_t gid = pw ? pw->pw_gid : 0;
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		/* a test that fails before its teardown still takes its peer along */
		prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, STDIN_FILENO);
		if (quiet)
			dup2(devnull, STDOUT_FILENO);
		if (pw && (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
			_exit(126);
		if (envp)
			execve(argv[0], argv, envp);
		else
			execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	remember_peer(pid, true);
	return pid;
}

pid_t h_start(char *const argv[], char *const envp[])
{
	return h_spawn_peer(argv, envp, NULL, false);
}

/* Reaps every process of group pgid, for at most timeout seconds. */
static void reap_group(pid_t pgid, double timeout)
{
	struct timespec ts = { 0, 20 * 1000000L };
	for (double waited = 0; waited < timeout; waited += 0.02) {
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			;
		if (kill(-pgid, 0) != 0 && errno == ESRCH)
			return;
		nanosleep(&ts, NULL);
	}
}

void h_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	remember_peer(pid, false);
	kill(-pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
	/* The leader is gone or stuck; its helpers go too. */
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, WNOHANG);
	reap_group(pid, 5);
}

pid_t h_testserver(int *port, ...)
{
	char *argv[32];
	size_t n = 0;
	char *prog = h_build_path("tests/servers/rp-testserver");
	argv[n++] = prog;
	va_list ap;
	va_start(ap, port);
	for (const char *a = va_arg(ap, const char *); a && n < 31; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;

	int p[2];
	ck_assert(pipe(p) == 0);
	become_subreaper();
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		/* a test that fails before its teardown still takes its peer along */
		prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(p[1]);
	char buf[32] = "";
	size_t len = 0;
	while (len < sizeof buf - 1) {
		ssize_t r = read(p[0], buf + len, 1);
		if (r <= 0 || buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	close(p[0]);
	free(prog);
	*port = atoi(buf);
	/* with --unix it listens on a socket file and says so */
	ck_assert_msg(*port > 0 || strcmp(buf, "unix") == 0, "rp-testserver did not report a port");
	return pid;
}

char *h_tempdir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = rp_xasprintf("%s/rp-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_msg(mkdtemp(tmpl) != NULL, "mkdtemp: %s", strerror(errno));
	return tmpl;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void h_rmrf(const char *dir)
{
	if (dir && *dir && strcmp(dir, "/") != 0)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *h_write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = rp_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert(fwrite(data, 1, len, f) == len);
	fclose(f);
	return path;
}

void h_run_modes(struct h_run *r, const char *plugin, const char *label, char *const envp[],
                 const char *const secrets[], const char *const args[])
{
	char *argv[64];
	size_t n = 0;
	argv[n++] = (char *)plugin;
	for (size_t i = 0; args[i]; i++) {
		ck_assert_msg(n < 60, "too many arguments");
		argv[n++] = (char *)args[i];
	}
	for (int mode = 2; mode >= 0; mode--) {
		size_t m = n;
		if (mode >= 1)
			argv[m++] = (char *)"-vvv";
		if (mode == 2) {
			argv[m++] = (char *)"--output-format";
			argv[m++] = (char *)"json";
		}
		argv[m] = NULL;
		h_run_argv(r, argv, envp, 30);
		h_assert_contract(r, label);
		for (size_t i = 0; secrets && secrets[i]; i++)
			ck_assert_msg(strstr(r->out, secrets[i]) == NULL, "secret printed: %s\n%s",
			              secrets[i], r->out);
		if (mode)
			h_run_free(r);
	}
	/* every other format (a usage error for the ones a plugin has not),
	 * at -vvv: no secret there either */
	static const char *const others[] = { "prometheus", "openmetrics", "junit",
		                              "tap",        "markdown",    "html" };
	for (size_t f = 0; f < sizeof others / sizeof others[0]; f++) {
		size_t m = n;
		argv[m++] = (char *)"-vvv";
		argv[m++] = (char *)"--output-format";
		argv[m++] = (char *)others[f];
		argv[m] = NULL;
		struct h_run o;
		h_run_argv(&o, argv, envp, 30);
		for (size_t i = 0; secrets && secrets[i]; i++)
			ck_assert_msg(strstr(o.out, secrets[i]) == NULL,
			              "secret printed (%s): %s\n%s", others[f], secrets[i], o.out);
		h_run_free(&o);
	}
}
