/* rp_threshold.h: -w/--warning and -c/--critical, the same in every plugin.
 *
 *   -w RANGE            applies to the plugin's primary metric
 *   -w METRIC=RANGE     applies to the perfdata label METRIC, or to every
 *                       label METRIC.* when METRIC is a stem ("age" covers
 *                       "age.events"); repeatable
 *
 * A more specific name wins over a stem; among equals, the last one given. */
#ifndef RP_THRESHOLD_H
#define RP_THRESHOLD_H

#include "rp_range.h"
#include "rp_state.h"
#include "rp_unit.h"

#include <stdbool.h>
#include <stddef.h>

/* What a plugin measures: declared once, used for parsing and --help. */
struct rp_metric_spec {
	const char *name; /* perfdata label, or stem of "name.*" labels */
	enum rp_unit unit;
	bool is_stem; /* labels are "name.SOMETHING" */
	const char *help;
	/* How a finding names it ("response time"); NULL: the label. */
	const char *noun;
};

struct rp_threshold {
	char *metric;
	bool has_warn, has_crit;
	struct rp_range warn, crit;
};

struct rp_thresholds {
	struct rp_threshold *items;
	size_t n;
};

void rp_thresholds_init(struct rp_thresholds *t);
void rp_thresholds_free(struct rp_thresholds *t);

/* which is 'w' or 'c'. specs ends with a {NULL} entry; primary may be NULL
 * (then a bare RANGE is an error). */
bool rp_thresholds_add(struct rp_thresholds *t, const struct rp_metric_spec *specs,
                       const char *primary, char which, const char *arg, char *err, size_t errlen);

/* The range in force for a perfdata label, or NULL. */
const struct rp_range *rp_thresholds_get(const struct rp_thresholds *t, const char *label,
                                         char which);
/* True when a threshold was given for this metric or stem. */
bool rp_thresholds_has(const struct rp_thresholds *t, const char *label);

/* CRITICAL if the critical range alerts, else WARNING if the warning range
 * alerts, else OK. */
enum rp_state rp_thresholds_state(const struct rp_thresholds *t, const char *label, double value);

/* The spec that covers label (exact name, or stem of "stem.x"), or NULL. */
const struct rp_metric_spec *rp_thresholds_find_spec(const struct rp_metric_spec *specs,
                                                     const char *label);

#endif
