/* rp_judge.h: the runtime's last word on metrics.
 *
 * After a plugin's evaluate step, every perfdata item in the result tree
 * is judged the same way: a value in the alert zone of the thresholds in
 * force (the ones shown in its warn/crit fields) makes the check that holds
 * it at least that bad. The plugin may word such a finding itself
 * (rp_check_metric); otherwise, or when its words did not carry the state,
 * a finding is added from the metric's declaration (its noun, else its
 * label), value and range ("time is 0.0007 s, above the critical threshold
 * 0.00001 s"); specs may be NULL. There is no way to
 * record a metric and drop its state.
 *
 * A threshold on a metric the run did not measure (no item, or only 'U')
 * decides nothing; a note in the long output says so. */
#ifndef RP_JUDGE_H
#define RP_JUDGE_H

#include "rp_check.h"
#include "rp_thresholds.h"

#include <stddef.h>

/* Judges every item in the tree under root; returns how many findings it
 * added. When they make the run worse than the plugin's own verdict, their
 * words go first on line 1. */
size_t rp_judge_metrics(struct rp_check *root, const struct rp_thresholds *t,
                        const struct rp_metric_spec *specs);

/* "is 12 s, above the critical threshold 10 s" for a value that alerts in
 * range r (which: 'w' or 'c'), with the perfdata unit uom. */
void rp_judge_describe(struct rp_buf *out, double value, const char *uom, const struct rp_range *r,
                       char which);

#endif
