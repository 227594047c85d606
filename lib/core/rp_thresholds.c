#include "rp_thresholds.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_thresholds_init(struct rp_thresholds *t)
{
	t->items = NULL;
	t->n = 0;
}

void rp_thresholds_free(struct rp_thresholds *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->items[i].metric);
	free(t->items);
	rp_thresholds_init(t);
}

static size_t stem_length(const char *label)
{
	const char *dot = strchr(label, '.');
	return dot ? (size_t)(dot - label) : strlen(label);
}

const struct rp_metric_spec *rp_thresholds_find_spec(const struct rp_metric_spec *specs,
                                                     const char *label)
{
	size_t stem = stem_length(label);
	for (const struct rp_metric_spec *s = specs; s && s->name; s++) {
		if (strcmp(s->name, label) == 0)
			return s;
		if (s->is_stem && strlen(s->name) == stem && strncmp(s->name, label, stem) == 0 &&
		    label[stem] == '.' && label[stem + 1] != '\0')
			return s;
	}
	return NULL;
}

static void list_metrics(const struct rp_metric_spec *specs, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (const struct rp_metric_spec *s = specs; s && s->name && used < outlen; s++) {
		int n = snprintf(out + used, outlen - used, "%s%s%s", used ? ", " : "", s->name,
		                 s->is_stem ? "[.NAME]" : "");
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

bool rp_thresholds_add(struct rp_thresholds *t, const struct rp_metric_spec *specs,
                       const char *primary, char which, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char *metric;
	const char *range_text;

	if (eq) {
		metric = rp_xstrndup(arg, (size_t)(eq - arg));
		range_text = eq + 1;
	} else {
		if (!primary) {
			char names[512];
			list_metrics(specs, names, sizeof names);
			snprintf(err, errlen,
			         "-%c '%.64s': this plugin has no primary metric; write "
			         "METRIC=RANGE "
			         "with METRIC one of: %s",
			         which, arg, names);
			return false;
		}
		metric = rp_xstrdup(primary);
		range_text = arg;
	}
	const struct rp_metric_spec *spec = rp_thresholds_find_spec(specs, metric);
	if (!spec) {
		char names[512];
		list_metrics(specs, names, sizeof names);
		snprintf(err, errlen, "-%c '%.64s': unknown metric '%.64s'; known: %s", which, arg,
		         metric, names);
		free(metric);
		return false;
	}
	struct rp_range r;
	char why[400];
	if (!rp_range_parse(range_text, spec->unit, &r, why, sizeof why)) {
		snprintf(err, errlen, "-%c %.64s: %s", which, metric, why);
		free(metric);
		return false;
	}

	struct rp_threshold *th = NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->items[i].metric, metric) == 0) {
			th = &t->items[i];
			free(metric);
			break;
		}
	}
	if (!th) {
		t->items = rp_xreallocarray(t->items, t->n + 1, sizeof *t->items);
		th = &t->items[t->n++];
		memset(th, 0, sizeof *th);
		th->metric = metric;
	}
	if (which == 'w') {
		th->warn = r;
		th->has_warn = true;
	} else {
		th->crit = r;
		th->has_crit = true;
	}
	return true;
}

/* Exact label first, then its stem. */
static const struct rp_threshold *find_threshold(const struct rp_thresholds *t, const char *label,
                                                 char which)
{
	size_t stem = stem_length(label);
	const struct rp_threshold *by_stem = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct rp_threshold *th = &t->items[i];
		if (which == 'w' && !th->has_warn)
			continue;
		if (which == 'c' && !th->has_crit)
			continue;
		if (strcmp(th->metric, label) == 0)
			return th;
		if (strlen(th->metric) == stem && strncmp(th->metric, label, stem) == 0)
			by_stem = th;
	}
	return by_stem;
}

const struct rp_range *rp_thresholds_get(const struct rp_thresholds *t, const char *label,
                                         char which)
{
	const struct rp_threshold *th = find_threshold(t, label, which);
	if (!th)
		return NULL;
	return which == 'w' ? &th->warn : &th->crit;
}

bool rp_thresholds_has(const struct rp_thresholds *t, const char *label)
{
	return find_threshold(t, label, 'w') || find_threshold(t, label, 'c');
}

enum rp_state rp_thresholds_state(const struct rp_thresholds *t, const char *label, double value)
{
	const struct rp_range *c = rp_thresholds_get(t, label, 'c');
	if (c && rp_range_alerts(c, value))
		return RP_CRITICAL;
	const struct rp_range *w = rp_thresholds_get(t, label, 'w');
	if (w && rp_range_alerts(w, value))
		return RP_WARNING;
	return RP_OK;
}
