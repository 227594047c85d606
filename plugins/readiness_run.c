/* readiness_run.c: check_readiness' runner: each check in its own
 * process group under its own deadline, jobs at a time, in waves so a
 * check runs only once what it requires is decided (and is skipped when
 * that is not met). */
#include "check_readiness.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* What a child may print; the rest is cut (rp_spawn says so). */
#define OUTPUT_CAP (64 * 1024)

/* --------------------------------------------------------------- running */

struct pool {
	pthread_mutex_t lock;
	size_t next;
	struct rd_result **items;
	size_t n;
	const struct rp_deadline *deadline;
	enum rp_state timeout_state;
};

static void run_one(struct rd_result *r, const struct rp_deadline *deadline,
                    enum rp_state timeout_state)
{
	/* a child that ignores SIGTERM is killed READINESS_KILL_GRACE later: both before
	 * the run's deadline, so every other check is still reported */
	double left =
	        rp_deadline_remaining(deadline) - READINESS_KILL_GRACE - READINESS_REPORT_MARGIN;
	double timeout = r->cat->timeout < left ? r->cat->timeout : left;
	if (r->program && timeout <= 0.01) {
		r->state = RP_UNKNOWN;
		r->summary = rp_xstrdup("not run: the whole run's timeout came first");
		return;
	}
	if (r->program) {
		struct rp_spawn_opts o = { .timeout = timeout,
			                   .cap = OUTPUT_CAP,
			                   .kill_grace = READINESS_KILL_GRACE };
		char **argv = rp_xcalloc(r->def->argc + 1, sizeof *argv);
		argv[0] = r->program;
		for (size_t i = 1; i < r->def->argc; i++)
			argv[i] = r->def->argv[i];
		r->ran = rp_spawn(argv, &o, &r->raw);
		free(argv);
		if (!r->ran) {
			r->state = RP_UNKNOWN;
			r->summary = rp_xasprintf("cannot start it: %s", strerror(errno));
			return;
		}
	}
	readiness_judge(r, timeout, timeout_state);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		run_one(p->items[i], p->deadline, p->timeout_state);
	}
}

/* Runs the n checks in items, jobs at a time. */
static void run_some(struct rd_result **items, size_t n, int jobs, const struct rp_deadline *d,
                     enum rp_state timeout_state)
{
	struct pool p = {
		.next = 0, .items = items, .n = n, .deadline = d, .timeout_state = timeout_state
	};
	pthread_mutex_init(&p.lock, NULL);
	size_t nt = (size_t)jobs < n ? (size_t)jobs : n;
	pthread_t *threads = rp_xcalloc(nt ? nt : 1, sizeof *threads);
	size_t started = 0;
	for (; started < nt; started++)
		if (pthread_create(&threads[started], NULL, worker, &p) != 0)
			break;
	if (started == 0)
		worker(&p); /* no thread to be had: one at a time, here */
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	pthread_mutex_destroy(&p.lock);
}

/* The first requirement of r not met, NULL when all are; *waiting when
 * one is still to run. */
static const struct rd_result *unmet_need(const struct rd_result *res, const struct rd_result *r,
                                          const bool *todo, bool warning_ok, bool *waiting)
{
	const struct rd_result *unmet = NULL;
	*waiting = false;
	for (size_t j = 0; j < r->nneeds; j++) {
		const struct rd_result *need = &res[r->needs[j]];
		if (todo[r->needs[j]]) {
			*waiting = true;
			return NULL;
		}
		if (!unmet && !readiness_met(need, warning_ok))
			unmet = need;
	}
	return unmet;
}

/* Runs the results marked todo, each once all it requires is decided: in
 * waves, every check whose requirements are decided at once (jobs at a
 * time); a check with a requirement not met is skipped, not run. */
static void run_in_order(struct rd_result *res, size_t n, bool *todo,
                         const struct readiness_round *o)
{
	struct rd_result **wave = rp_xcalloc(n ? n : 1, sizeof *wave);
	size_t *at = rp_xcalloc(n ? n : 1, sizeof *at);
	for (;;) {
		size_t k = 0, decided = 0;
		for (size_t i = 0; i < n; i++) {
			bool waiting;
			if (!todo[i])
				continue;
			const struct rd_result *unmet =
			        unmet_need(res, &res[i], todo, o->warning_ok, &waiting);
			if (waiting)
				continue;
			decided++;
			if (unmet) {
				readiness_skip(&res[i], unmet);
				todo[i] = false; /* decided now: its own dependants see it */
			} else {
				at[k] = i;
				wave[k++] = &res[i];
			}
		}
		if (decided == 0)
			break;
		run_some(wave, k, o->jobs, o->deadline, o->timeout_state);
		for (size_t j = 0; j < k; j++)
			todo[at[j]] = false;
	}
	/* rp_manifest_resolve refused cycles: this is a guard, not a path */
	for (size_t i = 0; i < n; i++)
		if (todo[i]) {
			res[i].state = RP_UNKNOWN;
			res[i].summary = rp_xstrdup("not run: its requirements never finished");
		}
	free(at);
	free(wave);
}

static void forget(struct rd_result *r)
{
	free(r->summary);
	if (r->ran)
		rp_spawn_result_free(&r->raw);
	rp_plugin_output_free(&r->parsed);
	r->summary = NULL;
	r->ran = false;
	r->skipped = false;
	r->cause = NULL;
	memset(&r->raw, 0, sizeof r->raw);
	memset(&r->parsed, 0, sizeof r->parsed);
}

/* The checks not yet ready (all of them on the first round), forgotten
 * and run again. */
void readiness_rerun(struct rd_result *res, size_t n, bool all, const struct readiness_round *o)
{
	bool *todo = rp_xcalloc(n ? n : 1, sizeof *todo);
	for (size_t i = 0; i < n; i++) {
		if (!all && res[i].state == RP_OK && !res[i].skipped)
			continue;
		if (!all)
			forget(&res[i]);
		todo[i] = true;
	}
	run_in_order(res, n, todo, o);
	free(todo);
}
