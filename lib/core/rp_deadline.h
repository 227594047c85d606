/* rp_deadline.h: one monotonic deadline per run, and the alarm backstop.
 *
 * Probes ask the deadline how long they may still wait (poll timeouts,
 * libcurl, SQLite busy handlers). The backstop is for the case a probe
 * cannot be interrupted: shortly after the deadline SIGALRM fires, and its
 * handler only write()s a line formatted in advance and _exit()s with the
 * timeout state, which is async-signal-safe. */
#ifndef RP_DEADLINE_H
#define RP_DEADLINE_H

#include "rp_state.h"

#include <stdbool.h>
#include <time.h>

struct rp_deadline {
	struct timespec start;
	struct timespec end;
	double seconds;
};

double rp_deadline_now(void);
void rp_deadline_start(struct rp_deadline *d, double seconds);
double rp_deadline_elapsed(const struct rp_deadline *d);
/* Seconds left, never negative. */
double rp_deadline_remaining(const struct rp_deadline *d);
/* Milliseconds left for poll(), rounded up so 0 only once it has passed. */
int rp_deadline_remaining_ms(const struct rp_deadline *d);
bool rp_deadline_expired(const struct rp_deadline *d);

/* Grace between the deadline and the backstop, so that a probe honouring
 * the deadline reports its own, more precise timeout first. */
#define RP_BACKSTOP_GRACE 0.5

/* exit_code: what the process exits with (the state under the run's
 * exit-code mapping). */
void rp_deadline_backstop_arm(double seconds, const char *label, enum rp_state timeout_state,
                              int exit_code);
void rp_deadline_backstop_disarm(void);

#endif
