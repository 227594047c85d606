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

bool rp_spawn(char *const argv[], const struct rp_spawn_opts *o, struct rp_spawn_result *r)
{
	int outp[2], errp[2], statp[2], in_fd;
	memset(r, 0, sizeof *r);
	if (o->stdin_data) {
		if (write_stdin_pipe(o->stdin_data, &in_fd) != 0)
			return false;
	} else {
		in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (in_fd < 0)
			return false;
	}
	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0 ||
	    pipe2(statp, O_CLOEXEC) != 0) {
		close(in_fd);
		return false;
	}
	double start = rp_now_monotonic();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in_fd);
		close(outp[0]), close(outp[1]), close(errp[0]), close(errp[1]);
		close(statp[0]), close(statp[1]);
		errno = e;
		return false;
	}
	if (pid == 0)
		child_exec(argv, o, outp[1], errp[1], in_fd, statp[1]);
	/* Also from the parent, so the group exists before any kill. */
	setpgid(pid, pid);
	close(in_fd);
	close(outp[1]);
	close(errp[1]);
	close(statp[1]);

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

	int proc_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct capture cap[2] = {
		{ outp[0], { NULL, 0, 0, false }, o->cap, false },
		{ errp[0], { NULL, 0, 0, false }, o->cap, false },
	};
	double deadline = start + o->timeout;
	double grace = o->kill_grace > 0 ? o->kill_grace : 1.0;
	bool exited = false, timed_out = false, termed = false;
	double exited_at = 0, term_at = 0;
	int status = 0;

	for (;;) {
		if (!exited) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid) {
				exited = true;
				exited_at = rp_now_monotonic();
			}
		}
		if (exited && cap[0].fd < 0 && cap[1].fd < 0)
			break;
		double now = rp_now_monotonic();
		if (exited && now - exited_at > ORPHAN_PIPE_GRACE) {
			/* A descendant holds the pipe: the check is over. */
			kill_group(pid, SIGKILL);
			break;
		}
		if (!timed_out && now >= deadline) {
			timed_out = true;
			termed = true;
			term_at = now;
			kill_group(pid, SIGTERM);
		}
		if (termed && now - term_at >= grace) {
			kill_group(pid, SIGKILL);
			termed = false;
		}
		struct pollfd pfd[3];
		nfds_t n = 0;
		for (int i = 0; i < 2; i++) {
			if (cap[i].fd >= 0) {
				pfd[n].fd = cap[i].fd;
				pfd[n].events = POLLIN;
				pfd[n].revents = 0;
				n++;
			}
		}
		/* The child's exit wakes poll through its pidfd, so a check that
		 * ends is reaped at once; without one (old kernels) short polls
		 * keep waitpid and the deadline responsive. */
		if (!exited && proc_fd >= 0) {
			pfd[n].fd = proc_fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
		double next = timed_out ? term_at + grace : deadline;
		if (exited)
			next = exited_at + ORPHAN_PIPE_GRACE;
		int wait_ms = proc_fd >= 0 ? (int)((next - now) * 1000) + 1 : 5;
		if (wait_ms < 1)
			wait_ms = 1;
		if (n > 0) {
			int pr = poll(pfd, n, wait_ms);
			if (pr > 0) {
				for (nfds_t j = 0; j < n; j++) {
					if (!pfd[j].revents || pfd[j].fd == proc_fd)
						continue;
					for (int i = 0; i < 2; i++)
						if (cap[i].fd == pfd[j].fd)
							read_some(&cap[i]);
				}
			}
		} else {
			usleep((useconds_t)wait_ms * 1000);
		}
	}
	if (proc_fd >= 0)
		close(proc_fd);
	for (int i = 0; i < 2; i++)
		if (cap[i].fd >= 0)
			close(cap[i].fd);
	if (!exited) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	r->elapsed = rp_now_monotonic() - start;
	if (r->outcome != RP_SPAWN_EXEC_FAILED) {
		if (timed_out) {
			r->outcome = RP_SPAWN_TIMED_OUT;
		} else if (WIFSIGNALED(status)) {
			r->outcome = RP_SPAWN_SIGNALED;
			r->term_signal = WTERMSIG(status);
		} else {
			r->outcome = RP_SPAWN_EXITED;
			r->exit_code = WEXITSTATUS(status);
		}
	}
	r->out_len = cap[0].buf.len;
	r->out = rp_buf_steal(&cap[0].buf);
	r->out_truncated = cap[0].truncated;
	r->err_len = cap[1].buf.len;
	r->err = rp_buf_steal(&cap[1].buf);
	r->err_truncated = cap[1].truncated;
	return true;
}

void rp_spawn_result_free(struct rp_spawn_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}
