/* rp_range.h: Nagios threshold ranges, exactly as the plugin development
 * guidelines define them (endpoints inclusive):
 *
 *   10      alert when x < 0 or x > 10
 *   10:     alert when x < 10
 *   ~:10    alert when x > 10
 *   10:20   alert when x < 10 or x > 20
 *   @10:20  alert when 10 <= x <= 20
 *
 * Also accepted, as other tools accept them: ":10" as "0:10" (as
 * monitoring-plugins does), white space around the range (" 10", from
 * quoting in command definitions) and a bare number with an exponent
 * ("1.5e3"). Rejected with a message naming the text: empty, "@", "~", "~"
 * as an end, text after the end, a second ':', inf/nan, and a start greater
 * than the end. */
#ifndef RP_RANGE_H
#define RP_RANGE_H

#include "rp_unit.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_range {
	double start; /* ignored when start_infinite */
	double end;   /* ignored when end_infinite */
	bool start_infinite;
	bool end_infinite;
	bool alert_inside; /* '@': alert inside the range instead of outside */
};

/* Parses text; endpoints may carry a suffix of unit u ("500ms:2s"), and are
 * stored in the base unit. On failure, err says what was wrong with which
 * text and shows a valid example. */
bool rp_range_parse(const char *text, enum rp_unit u, struct rp_range *out, char *err,
                    size_t errlen);

/* True when x is in the alert zone of r. */
bool rp_range_alerts(const struct rp_range *r, double x);

/* The range in guideline syntax, in base units, for perfdata ("10", "10:",
 * "~:10", "@10:20"). buf needs 2 * RP_NUMBUF + 3 bytes. */
#define RP_RANGEBUF (2 * 400 + 3)
char *rp_range_format(const struct rp_range *r, char buf[RP_RANGEBUF]);

#endif
