/* rp_spawn.h: run a program with a deadline and capture its output.
 *
 * The child runs in its own process group. At the deadline the group gets
 * SIGTERM, then SIGKILL after a grace period, so a child that forked a
 * grandchild holding the pipe open cannot hang the caller. Output is
 * captured up to a cap; what is beyond it is read and dropped (so the child
 * never blocks on a full pipe) and reported as truncated. No shell runs. */
#ifndef RP_SPAWN_H
#define RP_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

enum rp_spawn_outcome {
	RP_SPAWN_EXITED,      /* exit_code is valid */
	RP_SPAWN_SIGNALED,    /* term_signal is valid */
	RP_SPAWN_TIMED_OUT,   /* killed at the deadline */
	RP_SPAWN_EXEC_FAILED, /* exec_errno is valid (127 from a shell's view) */
};

struct rp_spawn_opts {
	double timeout;         /* seconds */
	size_t cap;             /* bytes kept of stdout and of stderr each */
	char *const *envp;      /* NULL: inherit */
	const char *stdin_data; /* NULL: /dev/null */
	double kill_grace;      /* between SIGTERM and SIGKILL; 0 means 1 s */
};

struct rp_spawn_result {
	enum rp_spawn_outcome outcome;
	int exit_code;
	int term_signal;
	int exec_errno;
	char *out; /* NUL-terminated, owned */
	size_t out_len;
	bool out_truncated;
	char *err;
	size_t err_len;
	bool err_truncated;
	double elapsed;
};

/* argv[0] is looked up in PATH when it has no '/'. Returns false only when
 * the spawn machinery itself failed (pipe/fork), with errno set. */
bool rp_spawn(char *const argv[], const struct rp_spawn_opts *o, struct rp_spawn_result *r);
void rp_spawn_result_free(struct rp_spawn_result *r);

#endif
