/* rp_load.c: the load engine: scheduling, slots and the books. No I/O of
 * its own: the driver performs the requests (rp_load.h). */
#include "rp_load.h"
#include "rp_x.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define REPLIES_AT_ONCE 64

const char *rp_load_kind_name(enum rp_load_kind k)
{
	static const char *const names[RP_LOAD_KINDS] = {
		"answered", "status", "refused", "reset", "timeout", "tls", "other",
	};
	return (unsigned)k < RP_LOAD_KINDS ? names[k] : "other";
}

void rp_load_stats_init(struct rp_load_stats *st)
{
	memset(st, 0, sizeof *st);
	rp_histogram_init(&st->latency);
}

void rp_load_stats_free(struct rp_load_stats *st)
{
	rp_histogram_free(&st->latency);
	memset(st, 0, sizeof *st);
}

struct slot {
	bool busy;
	double due;     /* when its request was due (open loop) or started */
	double started; /* when it started */
};

/* One phase: the warmup (counted false) or the measured requests. */
struct phase {
	const struct rp_load_plan *plan;
	const struct rp_load_driver *d;
	struct rp_load_stats *st;
	struct slot *slots;
	bool counted;
	double rate; /* 0 in the warmup */
	size_t n;    /* requests to start; lowered when the duration is over */
	size_t next; /* requests started (or failed to start) */
	size_t inflight;
	double t0, last_end;
};

static void count_error(struct phase *ph, enum rp_load_kind kind, const char *why)
{
	struct rp_load_stats *st = ph->st;
	if (!ph->counted) {
		st->warmup_errors++;
		return;
	}
	st->errors++;
	st->by_kind[kind]++;
	if (!st->first_error[kind][0] && why)
		snprintf(st->first_error[kind], sizeof st->first_error[kind], "%s", why);
}

static uint64_t to_ns(double seconds)
{
	return seconds <= 0 ? 0 : (uint64_t)llround(seconds * 1e9);
}

static void book_reply(struct phase *ph, const struct rp_load_reply *r, double now)
{
	struct slot *s = &ph->slots[r->slot];
	struct rp_load_stats *st = ph->st;
	s->busy = false;
	ph->inflight--;
	ph->last_end = now;
	if (!ph->counted) {
		st->warmup_ended++;
		if (r->kind != RP_LOAD_ANSWERED ||
		    !rp_status_in(ph->plan->expect, ph->plan->nexpect, r->status, 200, 299))
			st->warmup_errors++;
		return;
	}
	st->ended++;
	enum rp_load_kind kind = r->kind;
	if (kind == RP_LOAD_ANSWERED) {
		if (r->status >= 100 && r->status <= 599)
			st->by_status[r->status]++;
		if (!rp_status_in(ph->plan->expect, ph->plan->nexpect, r->status, 200, 299)) {
			char why[40];
			snprintf(why, sizeof why, "HTTP %ld", r->status);
			count_error(ph, RP_LOAD_STATUS, why);
		}
		st->sum_connect += r->t_connect;
		st->sum_tls += r->t_tls;
		st->sum_firstbyte += r->t_firstbyte;
		st->nphases++;
	} else {
		count_error(ph, kind, r->error);
	}
	/* Latency: from when it was due, so a queue in front of a slow server
	 * counts; a failure before any reply has none to tell. */
	if (kind == RP_LOAD_ANSWERED || kind == RP_LOAD_TIMEOUT)
		rp_histogram_record(&st->latency, to_ns((s->started - s->due) + r->service));
}

static int free_slot(const struct phase *ph)
{
	for (unsigned i = 0; i < ph->plan->concurrency; i++)
		if (!ph->slots[i].busy)
			return (int)i;
	return -1;
}

static double due_time(const struct phase *ph, double now)
{
	return ph->rate > 0 ? ph->t0 + (double)ph->next / ph->rate : now;
}

/* Starts every request that is due while a slot is free. */
static void start_due(struct phase *ph)
{
	const struct rp_load_driver *d = ph->d;
	for (;;) {
		double now = d->now(d->ctx);
		/* the same sum wait_until waits for, so the two agree exactly */
		if (ph->counted && ph->plan->duration > 0 && now >= ph->t0 + ph->plan->duration &&
		    ph->next > 0)
			ph->n = ph->next; /* the duration is over: start nothing more */
		int slot = free_slot(ph);
		if (ph->next >= ph->n || slot < 0)
			return;
		double due = due_time(ph, now);
		if (due > now)
			return;
		struct slot *s = &ph->slots[slot];
		char why[256] = "";
		ph->next++;
		if (!d->start(d->ctx, (unsigned)slot, why, sizeof why)) {
			if (ph->counted)
				ph->st->ended++;
			count_error(ph, RP_LOAD_OTHER, why);
			continue;
		}
		*s = (struct slot){ true, due, now };
		ph->inflight++;
	}
}

/* The deadline came: what is in flight is abandoned, the rest unsent. */
static void cut_at_deadline(struct phase *ph, double now)
{
	struct rp_load_stats *st = ph->st;
	st->deadline_hit = true;
	for (unsigned i = 0; i < ph->plan->concurrency; i++) {
		struct slot *s = &ph->slots[i];
		if (!s->busy)
			continue;
		ph->d->cancel(ph->d->ctx, i);
		s->busy = false;
		if (ph->counted) {
			st->cut++;
			if (now - s->due > st->cut_oldest)
				st->cut_oldest = now - s->due;
		}
	}
	ph->inflight = 0;
	if (ph->counted)
		st->unsent += ph->n - ph->next;
	else
		st->unsent += ph->plan->requests;
	ph->n = ph->next;
}

/* How long to wait: until the next request is due, the duration ends or
 * the deadline comes, whichever is first. */
static double wait_until(const struct phase *ph)
{
	double until = ph->plan->deadline;
	if (ph->rate > 0 && ph->next < ph->n && free_slot(ph) >= 0)
		until = fmin(until, due_time(ph, 0));
	if (ph->counted && ph->plan->duration > 0 && ph->next < ph->n)
		until = fmin(until, ph->t0 + ph->plan->duration);
	return until;
}

/* Runs one phase; false when the deadline ended it. */
static bool run_phase(struct phase *ph)
{
	const struct rp_load_driver *d = ph->d;
	struct rp_load_reply replies[REPLIES_AT_ONCE];
	ph->t0 = ph->last_end = d->now(d->ctx);
	for (;;) {
		if (d->now(d->ctx) >= ph->plan->deadline) {
			cut_at_deadline(ph, d->now(d->ctx));
			return false;
		}
		start_due(ph);
		if (ph->inflight == 0 && ph->next >= ph->n)
			return true;
		size_t k = d->wait(d->ctx, wait_until(ph), replies, REPLIES_AT_ONCE);
		double now = d->now(d->ctx);
		for (size_t i = 0; i < k; i++)
			if (replies[i].slot < ph->plan->concurrency &&
			    ph->slots[replies[i].slot].busy)
				book_reply(ph, &replies[i], now);
	}
}

void rp_load_run(const struct rp_load_plan *plan, const struct rp_load_driver *d,
                 struct rp_load_stats *st)
{
	st->planned = plan->requests;
	struct slot *slots = rp_xcalloc(plan->concurrency, sizeof *slots);
	struct phase warm = { plan, d, st, slots, false, 0, plan->warmup, 0, 0, 0, 0 };
	if (plan->warmup == 0 || run_phase(&warm)) {
		struct phase ph = {
			plan, d, st, slots, true, plan->rate, plan->requests, 0, 0, 0, 0
		};
		run_phase(&ph);
		st->elapsed = ph.last_end - ph.t0;
	}
	free(slots);
}
