/* latency_eval.c: check_latency's evaluate step. Pure: what the load
 * measured in, verdicts out. */
#include "check_latency.h"
#include "rp_number.h"
#include "rp_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* three significant digits */
static double sig3(double x)
{
	if (x == 0 || !isfinite(x))
		return x;
	double scale = pow(10, floor(log10(fabs(x))) - 2);
	return round(x / scale) * scale;
}

char *latency_format(double seconds, char *buf)
{
	char num[RP_NUMBUF];
	if (seconds < 1)
		snprintf(buf, RP_NUMBUF, "%s ms", rp_number_format(sig3(seconds * 1000), num));
	else
		snprintf(buf, RP_NUMBUF, "%s s", rp_number_format(sig3(seconds), num));
	return buf;
}

static const struct {
	const char *label;
	double pct; /* 0: min; -1: avg; 100: max */
} latency_metrics[] = {
	{ "min", 0 },  { "avg", -1 }, { "p50", 50 },  { "p90", 90 },
	{ "p95", 95 }, { "p99", 99 }, { "max", 100 },
};

static double latency_value(const struct rp_histogram *h, double pct)
{
	if (pct == 0)
		return (double)h->min / 1e9;
	if (pct < 0)
		return rp_histogram_mean(h) / 1e9;
	return (double)rp_histogram_percentile(h, pct) / 1e9;
}

/* "p95 5.03 s over 2 s"; "min 1 ms under 5 ms" for a range's lower end. */
static void word_latency(struct rp_check *root, enum rp_state st, const char *label, double v,
                         const struct rp_thresholds *t)
{
	const struct rp_range *r = rp_thresholds_get(t, label, st == RP_CRITICAL ? 'c' : 'w');
	char a[RP_NUMBUF], b[RP_NUMBUF];
	latency_format(v, a);
	if (r && !r->alert_inside && !r->end_infinite && v > r->end)
		rp_check_add(root, st, "%s %s over %s", label, a, latency_format(r->end, b));
	else if (r && !r->alert_inside && !r->start_infinite && v < r->start)
		rp_check_add(root, st, "%s %s under %s", label, a, latency_format(r->start, b));
	else
		rp_check_add(root, st, "%s %s, in the alert range", label, a);
}

static void judge_latency(struct rp_check *root, const struct rp_load_stats *s,
                          const struct rp_thresholds *t)
{
	for (size_t i = 0; i < sizeof latency_metrics / sizeof latency_metrics[0]; i++) {
		const char *label = latency_metrics[i].label;
		if (s->latency.total == 0) {
			rp_check_add_perf_unknown(root, label, RP_UNIT_SECONDS, t);
			continue;
		}
		double v = latency_value(&s->latency, latency_metrics[i].pct);
		enum rp_state st =
		        rp_check_metric_minmax(root, label, v, RP_UNIT_SECONDS, t, 0, NAN);
		if (st != RP_OK)
			word_latency(root, st, label, v, t);
	}
}

/* The kind most requests failed by, for "every request failed". */
static enum rp_load_kind main_error(const struct rp_load_stats *s)
{
	enum rp_load_kind best = RP_LOAD_STATUS;
	for (int k = RP_LOAD_STATUS; k < RP_LOAD_KINDS; k++)
		if (s->by_kind[k] > s->by_kind[best])
			best = (enum rp_load_kind)k;
	return best;
}

static void judge_errors(struct rp_check *root, const struct latency_observed *o,
                         const struct rp_thresholds *t)
{
	const struct rp_load_stats *s = &o->stats;
	if (s->ended == 0) {
		/* no request ended: no error rate was measured, not 0 % */
		rp_check_add_perf_unknown(root, "errors", RP_UNIT_PERCENT, t);
		return;
	}
	double pct = 100.0 * (double)s->errors / (double)s->ended;
	char num[RP_NUMBUF];
	rp_number_format(round(pct * 10) / 10, num);
	enum rp_state st = rp_check_metric_minmax(root, "errors", pct, RP_UNIT_PERCENT, t, 0, 100);
	if (s->errors == s->ended) {
		enum rp_load_kind k = main_error(s);
		const char *why =
		        k == RP_LOAD_REFUSED   ? "connection refused or unreachable"
		        : k == RP_LOAD_RESET   ? "connection reset or closed without a reply"
		        : k == RP_LOAD_TIMEOUT ? "no answer within --request-timeout"
		                               : rp_check_clean(root, s->first_error[k], 120);
		rp_check_add(root, RP_CRITICAL, "every request failed (%zu of %zu): %s from %s",
		             s->errors, s->ended, why, o->url_shown);
	} else if (st != RP_OK) {
		rp_check_add(root, st, "errors %s%% (%zu of %zu)", num, s->errors, s->ended);
	}
}

static void judge_cut(struct rp_check *root, const struct latency_config *cfg,
                      const struct rp_load_stats *s)
{
	if (!s->deadline_hit)
		return;
	char num[RP_NUMBUF], age[RP_NUMBUF];
	rp_number_format(fmin(cfg->timeout, RP_LOAD_MAX_SECONDS), num);
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "the load did not finish within %s s (-t): ", num);
	if (s->cut)
		rp_buf_printf(&b, "%zu request%s unanswered after up to %s", s->cut,
		              s->cut == 1 ? "" : "s", latency_format(s->cut_oldest, age));
	if (s->unsent)
		rp_buf_printf(&b, "%s%zu never sent", s->cut ? ", " : "", s->unsent);
	rp_check_add(root, cfg->timeout_state, "%s", b.data);
	rp_buf_free(&b);
}

static void add_counts(struct rp_check *root, const struct rp_load_stats *s,
                       const struct rp_thresholds *t)
{
	double rps = s->elapsed > 0 ? (double)s->ended / s->elapsed : 0;
	if (s->ended > 1 && s->elapsed > 0)
		rp_check_add_perf_minmax(root, "rps", round(rps * 100) / 100, RP_UNIT_NONE, t, 0,
		                         NAN);
	else
		rp_check_add_perf_unknown(root, "rps", RP_UNIT_NONE, t);
	rp_check_add_perf_minmax(root, "requests", (double)s->ended, RP_UNIT_NONE, t, 0, NAN);
}

/* ------------------------------------------------------- -v details */

static void detail_plan(struct rp_check *root, const struct latency_config *cfg,
                        const struct rp_load_stats *s)
{
	char num[RP_NUMBUF];
	struct rp_buf b;
	rp_buf_init(&b);
	if (cfg->rate > 0)
		rp_buf_printf(&b, "open loop at %s requests a second",
		              rp_number_format(cfg->rate, num));
	else
		rp_buf_puts(&b, "closed loop");
	rp_buf_printf(&b, ", %u connection%s%s, %zu of %zu requests counted", cfg->concurrency,
	              cfg->concurrency == 1 ? "" : "s",
	              cfg->no_reuse ? ", a new one for every request" : " kept alive", s->ended,
	              s->planned);
	if (s->warmup_ended)
		rp_buf_printf(&b, " after %zu warmup (%zu failed)", s->warmup_ended,
		              s->warmup_errors);
	rp_check_detail(root, 1, "%s", b.data);
	rp_buf_free(&b);
}

static void detail_latency(struct rp_check *root, const struct rp_load_stats *s)
{
	if (s->latency.total == 0)
		return;
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, "latency:");
	for (size_t i = 0; i < sizeof latency_metrics / sizeof latency_metrics[0]; i++) {
		char v[RP_NUMBUF];
		latency_format(latency_value(&s->latency, latency_metrics[i].pct), v);
		rp_buf_printf(&b, "%s %s %s", i ? "," : "", latency_metrics[i].label, v);
	}
	rp_check_detail(root, 1, "%s", b.data);
	if (s->nphases) {
		double n = (double)s->nphases;
		char c[RP_NUMBUF], tl[RP_NUMBUF], fb[RP_NUMBUF];
		rp_check_detail(root, 1, "average phases: connect %s, TLS %s, first byte %s",
		                latency_format(s->sum_connect / n, c),
		                latency_format(s->sum_tls / n, tl),
		                latency_format(s->sum_firstbyte / n, fb));
	}
	rp_buf_free(&b);
}

static void detail_statuses(struct rp_check *root, const struct rp_load_stats *s)
{
	struct rp_buf b;
	rp_buf_init(&b);
	for (int code = 100; code < 600; code++)
		if (s->by_status[code])
			rp_buf_printf(&b, "%s%d x %zu", b.len ? ", " : "", code,
			              s->by_status[code]);
	if (b.len)
		rp_check_detail(root, 1, "statuses: %s", b.data);
	rp_buf_free(&b);
	for (int k = RP_LOAD_STATUS; k < RP_LOAD_KINDS; k++) {
		if (!s->by_kind[k])
			continue;
		const char *why = rp_check_clean(root, s->first_error[k], 160);
		rp_check_detail(root, 1, "errors %s: %zu (first: %s)",
		                rp_load_kind_name((enum rp_load_kind)k), s->by_kind[k], why);
	}
}

#define HIST_ROWS 10
#define HIST_BAR  40

/* Row i of HIST_ROWS between lo and hi: even steps, or geometric ones
 * when the spread is wide (a long tail stays readable). */
static double row_edge(double lo, double hi, int i)
{
	if (hi > 4 * lo && lo > 0)
		return lo * pow(hi / lo, (double)i / HIST_ROWS);
	return lo + (hi - lo) * i / HIST_ROWS;
}

/* An ASCII latency histogram: a person would rather look than read. */
static void detail_histogram(struct rp_check *root, const struct rp_load_stats *s)
{
	const struct rp_histogram *h = &s->latency;
	if (h->total < 2 || h->max == h->min)
		return;
	double lo = (double)h->min, hi = (double)h->max;
	uint64_t counts[HIST_ROWS] = { 0 }, most = 1;
	size_t first = rp_histogram_bucket(h->min);
	for (int i = 0; i < HIST_ROWS; i++) {
		size_t last = i + 1 == HIST_ROWS
		                      ? rp_histogram_bucket(h->max)
		                      : rp_histogram_bucket((uint64_t)row_edge(lo, hi, i + 1));
		if (first <= last)
			counts[i] = rp_histogram_count_between(h, rp_histogram_bucket_low(first),
			                                       rp_histogram_bucket_low(last));
		first = last + 1;
		if (counts[i] > most)
			most = counts[i];
	}
	rp_check_detail(root, 1, "latency histogram:");
	for (int i = 0; i < HIST_ROWS; i++) {
		char a[RP_NUMBUF], b[RP_NUMBUF], bar[HIST_BAR + 1];
		size_t w = (size_t)((counts[i] * HIST_BAR + most - 1) / most);
		memset(bar, '#', w);
		memset(bar + w, '.', HIST_BAR - w);
		bar[HIST_BAR] = '\0';
		rp_check_detail(root, 1, "%10s - %-10s %s %llu",
		                latency_format(row_edge(lo, hi, i) / 1e9, a),
		                latency_format(row_edge(lo, hi, i + 1) / 1e9, b), bar,
		                (unsigned long long)counts[i]);
	}
}

static void latency_add_details(struct rp_check *root, const struct latency_config *cfg,
                                const struct rp_load_stats *s)
{
	detail_plan(root, cfg, s);
	detail_latency(root, s);
	detail_statuses(root, s);
	detail_histogram(root, s);
}

/* Line 1: the findings in the worst state, else p95 and errors; then the
 * size of the load. */
static void summarise(struct rp_check *root, const struct latency_observed *o)
{
	const struct rp_load_stats *s = &o->stats;
	enum rp_state worst = rp_check_state(root);
	struct rp_buf b;
	rp_buf_init(&b);
	if (worst != RP_OK) {
		for (size_t i = 0; i < root->nkids; i++) {
			const struct rp_check *k = root->kids[i];
			if (k->has_state && k->own_state == worst && !k->note)
				rp_buf_printf(&b, "%s%s", b.len ? ", " : "", k->text);
		}
	} else {
		char p95[RP_NUMBUF];
		latency_format(latency_value(&s->latency, 95), p95);
		char pct[RP_NUMBUF];
		double share = s->ended ? 100.0 * (double)s->errors / (double)s->ended : 0;
		rp_buf_printf(&b, "p95 %s, errors %s%% (%zu of %zu)", p95,
		              rp_number_format(round(share * 10) / 10, pct), s->errors, s->ended);
	}
	char secs[RP_NUMBUF];
	rp_number_format(sig3(s->elapsed), secs);
	rp_buf_printf(&b, "; %zu request%s in %s s", s->ended, s->ended == 1 ? "" : "s", secs);
	if (s->elapsed > 0 && s->ended > 1) {
		char rps[RP_NUMBUF];
		rp_buf_printf(&b, " (%s/s)",
		              rp_number_format(sig3((double)s->ended / s->elapsed), rps));
	}
	rp_check_set_text(root, "%s", b.data);
	rp_buf_free(&b);
}

struct rp_check *latency_evaluate(const struct latency_config *cfg,
                                  const struct latency_observed *o, const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	for (size_t i = 0; i < o->in.nnotes; i++)
		rp_check_add(root, RP_WARNING, "%s", o->in.notes[i]);
	if (o->in.error || o->start_error || !o->ran) {
		rp_check_add(root, RP_UNKNOWN, "%s",
		             o->in.error      ? o->in.error
		             : o->start_error ? o->start_error
		                              : "the load did not run");
		char *worst = rp_check_worst_texts(root, 180);
		rp_check_set_text(root, "%s", worst);
		free(worst);
		return root;
	}
	if (cfg->http.insecure)
		rp_check_add(root, RP_WARNING,
		             "TLS verification is off (--insecure): the peer is not authenticated");
	const struct rp_load_stats *s = &o->stats;
	judge_errors(root, o, t);
	judge_latency(root, s, t);
	judge_cut(root, cfg, s);
	if (s->ended == 0 && !s->deadline_hit)
		rp_check_add(root, RP_UNKNOWN, "no request was counted");
	add_counts(root, s, t);
	/* the load ran and was counted: OK unless a finding says otherwise */
	rp_check_set_state(root, RP_OK);
	summarise(root, o);
	latency_add_details(root, cfg, s);
	return root;
}
