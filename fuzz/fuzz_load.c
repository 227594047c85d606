/* Fuzzes the load engine and its histogram: the input scripts a plan (loop,
 * slots, rate, duration, deadline, warmup) and a simulated server (each
 * request's service time, outcome and status) in virtual time. Whatever the
 * script, the books must balance: every counted request ended, was cut or
 * was never sent; the histogram holds exactly the requests with a latency;
 * percentiles rise with p and stay within [min, max]; nothing runs past
 * the deadline and every started request ends or is cancelled. */
#include "fuzz_common.h"
#include "rp_load.h"

#include <math.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SLOTS 16

struct script {
	const uint8_t *data;
	size_t size, pos;
	double t;
	bool busy[SLOTS];
	double ends[SLOTS], began[SLOTS];
	enum rp_load_kind kind[SLOTS];
	long status[SLOTS];
	size_t started, finished, cancelled;
};

static uint8_t next_byte(struct script *s)
{
	return s->pos < s->size ? s->data[s->pos++] : 0;
}

static double now(void *ctx)
{
	return ((struct script *)ctx)->t;
}

static bool start(void *ctx, unsigned slot, char *why, size_t whylen)
{
	struct script *s = ctx;
	if (slot >= SLOTS || s->busy[slot])
		abort(); /* the engine must only start free slots it owns */
	uint8_t b = next_byte(s);
	if (b == 255) {
		snprintf(why, whylen, "cannot start");
		return false;
	}
	s->busy[slot] = true;
	s->started++;
	s->began[slot] = s->t;
	/* service from 0 to about 2.5 s, on a log scale */
	s->ends[slot] = s->t + (b ? pow(10, (double)next_byte(s) / 64.0 - 3) : 0);
	s->kind[slot] = (enum rp_load_kind)(b % RP_LOAD_KINDS);
	if (s->kind[slot] == RP_LOAD_STATUS)
		s->kind[slot] = RP_LOAD_ANSWERED;
	s->status[slot] = 100 + (long)(next_byte(s) * 2);
	return true;
}

static size_t wait_for(void *ctx, double until, struct rp_load_reply *out, size_t max)
{
	struct script *s = ctx;
	double first = INFINITY;
	for (unsigned i = 0; i < SLOTS; i++)
		if (s->busy[i] && s->ends[i] < first)
			first = s->ends[i];
	if (first > until) {
		if (until > s->t)
			s->t = until;
		return 0;
	}
	if (first > s->t)
		s->t = first;
	size_t k = 0;
	for (unsigned i = 0; i < SLOTS && k < max; i++) {
		if (!s->busy[i] || s->ends[i] > first)
			continue;
		s->busy[i] = false;
		s->finished++;
		memset(&out[k], 0, sizeof out[k]);
		out[k].slot = i;
		out[k].kind = s->kind[i];
		out[k].status = s->status[i];
		out[k].service = s->ends[i] - s->began[i];
		snprintf(out[k].error, sizeof out[k].error, "failed");
		k++;
	}
	return k;
}

static void cancel(void *ctx, unsigned slot)
{
	struct script *s = ctx;
	if (slot >= SLOTS || !s->busy[slot])
		abort(); /* only what is in flight is cancelled */
	s->busy[slot] = false;
	s->cancelled++;
}

static void check_books(const struct rp_load_plan *p, const struct rp_load_stats *st,
                        const struct script *s)
{
	if (st->ended + st->cut + st->unsent > p->requests)
		abort();
	if (!st->deadline_hit && p->duration == 0 && st->ended != p->requests)
		abort();
	if (s->t > p->deadline + 1e-9)
		abort();
	if (s->started != s->finished + s->cancelled)
		abort();
	size_t errors = 0;
	for (int k = 0; k < RP_LOAD_KINDS; k++)
		errors += st->by_kind[k];
	if (errors != st->errors || st->errors > st->ended)
		abort();
	if (st->latency.total > st->ended)
		abort();
	uint64_t prev = 0;
	for (double q = 1; q <= 100; q += 7.5) {
		uint64_t v = rp_histogram_percentile(&st->latency, q);
		if (st->latency.total && (v < st->latency.min || v > st->latency.max || v < prev))
			abort();
		prev = v;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 6)
		return 0;
	struct script s = { .data = data, .size = size, .pos = 6 };
	struct rp_status_range expect = { 200, 200 + data[5] };
	struct rp_load_plan p = {
		.requests = 1 + data[0] % 200,
		.warmup = data[1] % 8,
		.concurrency = 1 + data[2] % SLOTS,
		.rate = data[3] % 4 ? 0 : 1 + data[3],
		.duration = data[4] % 3 ? 0 : (double)data[4] / 50.0,
		.deadline = 1 + (double)(data[5] % 64),
		.expect = data[5] % 2 ? &expect : NULL,
		.nexpect = data[5] % 2 ? 1 : 0,
	};
	struct rp_load_driver d = { &s, now, start, wait_for, cancel };
	struct rp_load_stats st;
	rp_load_stats_init(&st);
	rp_load_run(&p, &d, &st);
	check_books(&p, &st, &s);
	rp_load_stats_free(&st);
	return 0;
}
