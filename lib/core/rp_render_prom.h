/* rp_render_prom.h: a run as Prometheus metrics, for node_exporter's
 * textfile collector or any scraper (--output-format prometheus), or in
 * OpenMetrics (--output-format openmetrics).
 *
 *   readiness_state{plugin="check_x",reason="..."} 2      0 OK .. 3 UNKNOWN
 *   readiness_up{plugin="check_x"} 1                      1 when OK
 *   readiness_<label>[_seconds|_bytes|_ratio|_total]{plugin="check_x"} value
 *
 * Every perfdata value in base units: a label in seconds gets _seconds, in
 * bytes _bytes, a percentage becomes a ratio (0-1) with _ratio, a counter
 * (uom c) a counter with _total; others are gauges. A label becomes a
 * metric name of [a-z0-9_] ("age.events" -> readiness_age_events_seconds);
 * a name already written is not written again. 'U' is left out. The
 * reason is the summary line, sanitised, at most 100 bytes, escaped as a
 * label value. OpenMetrics adds # UNIT lines and ends with # EOF. */
#ifndef RP_RENDER_PROM_H
#define RP_RENDER_PROM_H

#include "rp_check.h"
#include "rp_util.h"

#include <stdbool.h>

void rp_render_prom(const struct rp_check *root, const char *plugin, bool openmetrics,
                    struct rp_buf *out);

#endif
