/* check_readiness.h: what check_readiness ran and saw, shared by the
 * plugin and its pure scoring step (readiness_eval.c). */
#ifndef CHECK_READINESS_H
#define CHECK_READINESS_H

#include "rp_check.h"
#include "rp_deadline.h"
#include "rp_manifest.h"
#include "rp_plugin_output.h"
#include "rp_spawn.h"
#include "rp_thresholds.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct readiness_opts {
	double warning_score; /* what a WARNING check scores; default 50 */
	double unknown_score; /* what an UNKNOWN check scores; default 0 */
};

/* One check's run: its state and a line that says why. */
struct rd_result {
	const struct rp_mf_check *def;
	const struct rp_mf_category *cat;
	char *program; /* argv[0] resolved, or NULL when not found */
	bool ran;
	struct rp_spawn_result raw;
	struct rp_plugin_output parsed;
	enum rp_state state;
	char *summary; /* the child's first line, or why it has no state of its own */
	/* requires: the results (indexes in the run) this one waits for; when
	 * one is not met, this one is skipped (not run, state UNKNOWN, left
	 * out of the score) and cause is the failure behind it */
	size_t *needs;
	size_t nneeds;
	bool skipped;
	const struct rd_result *cause;
};

/* Whether r meets a requirement: run and OK (or WARNING when warning_ok). */
bool readiness_met(const struct rd_result *r, bool warning_ok);
/* Marks r skipped because of need (a requirement not met), naming the
 * failure behind it: "requires database/schema (CRITICAL)". */
void readiness_skip(struct rd_result *r, const struct rd_result *need);

/* How a round of checks runs: jobs at a time, under deadline. */
struct readiness_round {
	int jobs;
	const struct rp_deadline *deadline;
	enum rp_state timeout_state;
	bool warning_ok; /* requires-state = warning */
};

/* Kept back from the run's deadline: after SIGTERM a child has
 * READINESS_KILL_GRACE before SIGKILL, and the report needs its margin. */
#define READINESS_KILL_GRACE    0.3
#define READINESS_REPORT_MARGIN 0.15

/* Runs the checks (all, or those not OK: forgotten first), each once what
 * it requires is decided; a check whose requirement is not met is skipped. */
void readiness_rerun(struct rd_result *res, size_t n, bool all, const struct readiness_round *o);

/* --discover: the ports a compose file's services publish (a bounded,
 * line-based reading; readiness_compose.c). */
struct rd_compose_port {
	char *service;
	char *image; /* NULL: none given */
	char host[64];
	int port;
};

struct rd_compose {
	struct rd_compose_port *ports;
	size_t n;
	size_t nservices;
	char **notes; /* what could not be read ("api: port ${PORT} ...") */
	size_t nnotes;
};

void readiness_compose_scan(const char *text, size_t len, struct rd_compose *out);
void readiness_compose_free(struct rd_compose *c);

/* --discover: a URL from a .env value, its secrets apart. */
struct rd_url {
	char scheme[16];
	char user[64]; /* a user name is not a secret; its password is */
	char host[256];
	int port; /* 0: none given */
	char path[512];
	bool creds, query, secret_path;
};

/* SCHEME://[USER[:PASSWORD]@]HOST[:PORT][/PATH][?QUERY]: false when v is
 * not one (sqlite:// may have no host). The password is not kept. */
bool readiness_url_parse(const char *v, struct rd_url *u);

/* --discover DIR: a starter manifest for the deployment in dir, appended
 * to out; false with why when dir is not a directory or holds nothing to
 * check. Runs nothing; no secret value reaches out. */
bool readiness_discover(const char *dir, struct rp_buf *out, char *why, size_t whylen);

/* Decides a result from its run (exit code, signal, timeout, output);
 * r->ran must be set unless r->program is NULL. */
void readiness_judge(struct rd_result *r, double timeout, enum rp_state timeout_state);

/* The score, state and report of a run. Pure. */
struct rp_check *readiness_evaluate(const struct rp_manifest *m, const struct rd_result *res,
                                    size_t n, const struct readiness_opts *o,
                                    const struct rp_thresholds *t);

/* --history: records the run in path (created if need be) and adds a note
 * to root of what changed since the previous run, and, with series, the
 * score over time (for the HTML report; other formats do not read it);
 * runs older than
 * keep_days (0: keep all) are pruned. A history that cannot be written is
 * a note, not a failure of the run; a locked one is waited for within the
 * deadline only; a database with other tables is never written to. */
void readiness_history(struct rp_check *root, const char *path, double keep_days, time_t now,
                       double score, const struct rd_result *res, size_t n,
                       const struct rp_deadline *deadline, bool series);

/* The overall score readiness_evaluate put on root ("score" perfdata). */
double readiness_score_of(const struct rp_check *root);

/* A check's score under o: OK 100, WARNING o->warning_score, CRITICAL 0,
 * UNKNOWN o->unknown_score. */
double readiness_check_score(enum rp_state st, const struct readiness_opts *o);
/* A result's score: its state's, or in a category with score = sub-checks
 * the mean of its own top-level long-output lines' states. */
double readiness_result_score(const struct rd_result *r, const struct readiness_opts *o);

#endif
