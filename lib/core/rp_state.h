/* rp_state.h: the four plugin states and how they combine.
 *
 * Severity, worst first: CRITICAL > UNKNOWN > WARNING > OK.
 * UNKNOWN ranks above WARNING because "could not check" must never be hidden
 * by a soft finding elsewhere, and below CRITICAL because a confirmed outage
 * is the more urgent news. The exit code is the state's Nagios number. */
#ifndef RP_STATE_H
#define RP_STATE_H

#include <stdbool.h>

enum rp_state {
	RP_OK = 0,
	RP_WARNING = 1,
	RP_CRITICAL = 2,
	RP_UNKNOWN = 3,
};

const char *rp_state_text(enum rp_state s);
/* 0 for OK up to 3 for CRITICAL: the order used by rp_state_worst. */
int rp_state_severity(enum rp_state s);
enum rp_state rp_state_worst(enum rp_state a, enum rp_state b);
/* "ok", "warning", "critical", "unknown" (any case) or 0-3. */
bool rp_state_parse(const char *text, enum rp_state *out);

#endif
