#include "rp_judge.h"

#include <stdlib.h>
#include <string.h>

/* A value with its perfdata unit, as people read it: "0.5 s", "12%". */
static void put_value(struct rp_buf *out, double v, const char *uom)
{
	char num[RP_NUMBUF];
	rp_buf_puts(out, rp_number_format(v, num));
	if (!uom || !*uom)
		return;
	if (strcmp(uom, "%") != 0)
		rp_buf_putc(out, ' ');
	rp_buf_puts(out, uom);
}

void rp_judge_describe(struct rp_buf *out, double value, const char *uom, const struct rp_range *r,
                       char which)
{
	const char *level = which == 'c' ? "critical" : "warning";
	char text[RP_RANGEBUF];
	rp_buf_puts(out, "is ");
	put_value(out, value, uom);
	if (r->alert_inside) {
		rp_buf_printf(out, ", inside the %s range %s", level, rp_range_format(r, text));
	} else if (!r->end_infinite && value > r->end) {
		rp_buf_printf(out, ", above the %s threshold ", level);
		put_value(out, r->end, uom);
	} else if (!r->start_infinite && value < r->start) {
		rp_buf_printf(out, ", below the %s threshold ", level);
		put_value(out, r->start, uom);
	} else {
		rp_buf_printf(out, ", outside the %s range %s", level, rp_range_format(r, text));
	}
}

static bool covers(enum rp_state have, enum rp_state need)
{
	return rp_state_severity(have) >= rp_state_severity(need);
}

/* The finding for one item whose state its holder does not carry. */
static struct rp_check *add_finding(struct rp_check *c, const struct rp_perf *p,
                                    const struct rp_thresholds *t,
                                    const struct rp_metric_spec *specs)
{
	const struct rp_metric_spec *spec = rp_thresholds_find_spec(specs, p->label);
	char which = p->state == RP_CRITICAL ? 'c' : 'w';
	const struct rp_range *r = rp_thresholds_get(t, p->label, which);
	struct rp_buf b;
	rp_buf_init(&b);
	/* a stem's noun names the family; the label names the member */
	bool noun = spec && spec->noun && strcmp(spec->name, p->label) == 0;
	rp_buf_printf(&b, "%s ", noun ? spec->noun : p->label);
	if (r)
		rp_judge_describe(&b, p->value, p->uom, r, which);
	struct rp_check *k = rp_check_add(c, p->state, "%s", b.data);
	rp_buf_free(&b);
	if (c->decides)
		rp_check_decide(c, rp_state_worst(c->own_state, p->state));
	return k;
}

struct judged {
	const struct rp_thresholds *t;
	const struct rp_metric_spec *specs;
	struct rp_check **added;
	size_t n;
};

static void judge_tree(struct rp_check *c, struct judged *j)
{
	size_t nkids = c->nkids; /* findings added below need no judging */
	for (size_t i = 0; i < c->perf.n; i++) {
		const struct rp_perf *p = &c->perf.items[i];
		if (p->unknown || p->state == RP_OK)
			continue;
		if (p->worded && covers(rp_check_state(c), p->state))
			continue;
		j->added = rp_xreallocarray(j->added, j->n + 1, sizeof *j->added);
		j->added[j->n++] = add_finding(c, p, j->t, j->specs);
	}
	for (size_t i = 0; i < nkids; i++)
		judge_tree(c->kids[i], j);
}

/* True when some item in the tree measured the metric (or its stem). */
static bool measured(const struct rp_check *c, const char *metric)
{
	size_t len = strlen(metric);
	for (size_t i = 0; i < c->perf.n; i++) {
		const struct rp_perf *p = &c->perf.items[i];
		if (!p->unknown && strncmp(p->label, metric, len) == 0 &&
		    (p->label[len] == '\0' || p->label[len] == '.'))
			return true;
	}
	for (size_t i = 0; i < c->nkids; i++)
		if (measured(c->kids[i], metric))
			return true;
	return false;
}

static void note_unmeasured(struct rp_check *root, const struct rp_thresholds *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct rp_threshold *th = &t->items[i];
		if (measured(root, th->metric))
			continue;
		const char *which = th->has_warn && th->has_crit
		                            ? "warning and critical thresholds were"
		                    : th->has_crit ? "critical threshold was"
		                                   : "warning threshold was";
		rp_check_note(root, "%s: not measured in this run, so its %s not applied",
		              th->metric, which);
	}
}

/* The added findings in the run's new, worse state lead line 1. */
static void lead_summary(struct rp_check *root, const struct judged *j, enum rp_state before)
{
	enum rp_state now = rp_check_state(root);
	if (!root->text || covers(before, now))
		return;
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < j->n; i++) {
		if (rp_check_state(j->added[i]) != now)
			continue;
		if (b.len)
			rp_buf_puts(&b, "; ");
		rp_buf_puts(&b, j->added[i]->text);
	}
	if (*root->text)
		rp_buf_printf(&b, "; %s", root->text);
	free(root->text);
	root->text = rp_buf_steal(&b);
}

size_t rp_judge_metrics(struct rp_check *root, const struct rp_thresholds *t,
                        const struct rp_metric_spec *specs)
{
	if (!t || t->n == 0)
		return 0;
	enum rp_state before = rp_check_state(root);
	struct judged j = { t, specs, NULL, 0 };
	judge_tree(root, &j);
	lead_summary(root, &j, before);
	note_unmeasured(root, t);
	size_t n = j.n;
	free(j.added);
	return n;
}
