#include "rp_spawn.h"
#include "rp_deadline.h"
#include "rp_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* After the child itself has exited, how long to wait for a descendant
 * still holding the pipe before the group is killed. */
#define ORPHAN_PIPE_GRACE 0.2

struct capture {
	int fd;
	struct rp_buf buf;
	size_t cap;
	bool truncated;
};

static void child_exec(char *const argv[], const struct rp_spawn_opts *o, int out_fd, int err_fd,
                       int in_fd, int status_fd)
{
	setpgid(0, 0);
	/* The parent ignores SIGPIPE; the child starts with default dispositions. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	dup2(in_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(err_fd, STDERR_FILENO);
	if (o->envp)
		execvpe(argv[0], argv, o->envp);
	else
		execvp(argv[0], argv);
	int e = errno;
	ssize_t w = write(status_fd, &e, sizeof e);
	(void)w;
	_exit(127);
}

static bool read_some(struct capture *c)
{
	char chunk[8192];
	ssize_t n = read(c->fd, chunk, sizeof chunk);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return false;
	}
	size_t keep = (size_t)n;
	if (c->buf.len + keep > c->cap) {
		keep = c->cap > c->buf.len ? c->cap - c->buf.len : 0;
		c->truncated = true;
	}
	rp_buf_append(&c->buf, chunk, keep);
	return true;
}

static void kill_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) != 0)
		kill(pid, sig);
}

static int write_stdin_pipe(const char *data, int *fd_out)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	/* Small inputs only: the pipe buffer holds them without blocking. */
	size_t len = strlen(data);
	if (len > 60000)
		len = 60000;
	ssize_t w = write(p[1], data, len);
	(void)w;
	close(p[1]);
	*fd_out = p[0];
	return 0;
}

/* The child as the parent watches it. */
struct watch {
	pid_t pid;
	int proc_fd; /* its pidfd, or -1 on old kernels */
	struct capture cap[2];
	double start, deadline, grace;
	bool exited, timed_out, termed;
	double exited_at, term_at;
	int status;
};

static void close_pair(int p[2])
{
	close(p[0]);
	close(p[1]);
}

/* Forks and execs argv with its output on pipes; false with errno set. */
static bool start_child(char *const argv[], const struct rp_spawn_opts *o, struct watch *w,
                        struct rp_spawn_result *r)
{
	int outp[2], errp[2], statp[2], in_fd;
	if (o->stdin_data ? write_stdin_pipe(o->stdin_data, &in_fd) != 0
	                  : (in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0 ||
	    pipe2(statp, O_CLOEXEC) != 0) {
		close(in_fd);
		return false;
	}
	w->start = rp_deadline_now();
	w->pid = fork();
	if (w->pid < 0) {
		int e = errno;
		close(in_fd);
		close_pair(outp), close_pair(errp), close_pair(statp);
		errno = e;
		return false;
	}
	if (w->pid == 0)
		child_exec(argv, o, outp[1], errp[1], in_fd, statp[1]);
	/* Also from the parent, so the group exists before any kill. */
	setpgid(w->pid, w->pid);
	close(in_fd), close(outp[1]), close(errp[1]), close(statp[1]);
	/* exec succeeded when the status pipe closes with nothing in it */
	int exec_err = 0;
	ssize_t sn;
	do
		sn = read(statp[0], &exec_err, sizeof exec_err);
	while (sn < 0 && errno == EINTR);
	close(statp[0]);
	if (sn == (ssize_t)sizeof exec_err) {
		r->outcome = RP_SPAWN_EXEC_FAILED;
		r->exec_errno = exec_err;
	}
	w->cap[0].fd = outp[0];
	w->cap[1].fd = errp[0];
	return true;
}

/* Reaps the child when it has exited; SIGTERM at the deadline, SIGKILL a
 * grace later; the group killed when a descendant keeps the pipes. False
 * once the watch is over. */
static bool keep_watching(struct watch *w, double now)
{
	if (!w->exited && waitpid(w->pid, &w->status, WNOHANG) == w->pid) {
		w->exited = true;
		w->exited_at = now;
	}
	if (w->exited && w->cap[0].fd < 0 && w->cap[1].fd < 0)
		return false;
	if (w->exited && now - w->exited_at > ORPHAN_PIPE_GRACE) {
		/* A descendant holds the pipe: the check is over. */
		kill_group(w->pid, SIGKILL);
		return false;
	}
	if (!w->timed_out && now >= w->deadline) {
		w->timed_out = w->termed = true;
		w->term_at = now;
		kill_group(w->pid, SIGTERM);
	}
	if (w->termed && now - w->term_at >= w->grace) {
		kill_group(w->pid, SIGKILL);
		w->termed = false;
	}
	return true;
}

/* Waits for output, the child's exit or the next point in time. */
static void wait_and_read(struct watch *w, double now)
{
	struct pollfd pfd[3];
	nfds_t n = 0;
	for (int i = 0; i < 2; i++)
		if (w->cap[i].fd >= 0)
			pfd[n++] = (struct pollfd){ w->cap[i].fd, POLLIN, 0 };
	/* The child's exit wakes poll through its pidfd, so a check that
	 * ends is reaped at once; without one (old kernels) short polls
	 * keep waitpid and the deadline responsive. */
	if (!w->exited && w->proc_fd >= 0)
		pfd[n++] = (struct pollfd){ w->proc_fd, POLLIN, 0 };
	double next = w->exited      ? w->exited_at + ORPHAN_PIPE_GRACE
	              : w->timed_out ? w->term_at + w->grace
	                             : w->deadline;
	int wait_ms = w->proc_fd >= 0 ? (int)((next - now) * 1000) + 1 : 5;
	if (wait_ms < 1)
		wait_ms = 1;
	if (n == 0) {
		usleep((useconds_t)wait_ms * 1000);
		return;
	}
	if (poll(pfd, n, wait_ms) <= 0)
		return;
	for (nfds_t j = 0; j < n; j++) {
		if (!pfd[j].revents || pfd[j].fd == w->proc_fd)
			continue;
		for (int i = 0; i < 2; i++)
			if (w->cap[i].fd == pfd[j].fd)
				read_some(&w->cap[i]);
	}
}

static void finish(struct watch *w, struct rp_spawn_result *r)
{
	if (w->proc_fd >= 0)
		close(w->proc_fd);
	for (int i = 0; i < 2; i++)
		if (w->cap[i].fd >= 0)
			close(w->cap[i].fd);
	if (!w->exited)
		while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
			;
	r->elapsed = rp_deadline_now() - w->start;
	if (r->outcome != RP_SPAWN_EXEC_FAILED) {
		if (w->timed_out) {
			r->outcome = RP_SPAWN_TIMED_OUT;
		} else if (WIFSIGNALED(w->status)) {
			r->outcome = RP_SPAWN_SIGNALED;
			r->term_signal = WTERMSIG(w->status);
		} else {
			r->outcome = RP_SPAWN_EXITED;
			r->exit_code = WEXITSTATUS(w->status);
		}
	}
	r->out_len = w->cap[0].buf.len;
	r->out = rp_buf_steal(&w->cap[0].buf);
	r->out_truncated = w->cap[0].truncated;
	r->err_len = w->cap[1].buf.len;
	r->err = rp_buf_steal(&w->cap[1].buf);
	r->err_truncated = w->cap[1].truncated;
}

bool rp_spawn(char *const argv[], const struct rp_spawn_opts *o, struct rp_spawn_result *r)
{
	memset(r, 0, sizeof *r);
	struct watch w;
	memset(&w, 0, sizeof w);
	for (int i = 0; i < 2; i++) {
		rp_buf_init(&w.cap[i].buf);
		w.cap[i].cap = o->cap;
	}
	if (!start_child(argv, o, &w, r))
		return false;
	w.proc_fd = (int)syscall(SYS_pidfd_open, w.pid, 0);
	w.deadline = w.start + o->timeout;
	w.grace = o->kill_grace > 0 ? o->kill_grace : 1.0;
	for (;;) {
		double now = rp_deadline_now();
		if (!keep_watching(&w, now))
			break;
		wait_and_read(&w, now);
	}
	finish(&w, r);
	return true;
}

void rp_spawn_result_free(struct rp_spawn_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}
