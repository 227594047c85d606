/* rp_load.h: a small, bounded load and what it measured.
 *
 * The engine schedules requests and keeps the books; a driver performs
 * them (rp_load_http.c: libcurl's multi interface over a pool of
 * connections; the unit tests: a simulated server in virtual time). Two
 * shapes:
 *
 *   closed loop (rate 0): `concurrency` requests in flight; each ends
 *     before the next starts on its slot. Latency runs from a request's
 *     start.
 *   open loop (rate R): request i is due at t0 + i/R whether or not the
 *     server kept up; it starts when due and a slot is free, and its
 *     latency runs from when it was due. A server that stalls delays every
 *     request due during the stall, and each of them shows it: no
 *     coordinated omission.
 *
 * Warmup requests run first (closed loop) and are not counted. Nothing
 * runs past plan->deadline: requests still in flight then are abandoned
 * and counted apart (cut), not as samples or errors. */
#ifndef RP_LOAD_H
#define RP_LOAD_H

#include "rp_histogram.h"
#include "rp_status.h"

#include <stdbool.h>
#include <stddef.h>

/* Hard caps no option lifts. */
#define RP_LOAD_MAX_REQUESTS    10000
#define RP_LOAD_MAX_SECONDS     60.0
#define RP_LOAD_MAX_CONCURRENCY 256

enum rp_load_kind {
	RP_LOAD_ANSWERED, /* a response with an expected status */
	RP_LOAD_STATUS,   /* a response with another status */
	RP_LOAD_REFUSED,  /* the connection was refused or unreachable */
	RP_LOAD_RESET,    /* the connection was reset or closed without a reply */
	RP_LOAD_TIMEOUT,  /* no answer within --request-timeout */
	RP_LOAD_TLS,      /* the TLS handshake or verification failed */
	RP_LOAD_OTHER,    /* anything else (name resolution, not HTTP...) */
	RP_LOAD_KINDS
};

/* "refused", "reset", "timeout"...: how errors are counted by kind. */
const char *rp_load_kind_name(enum rp_load_kind k);

/* One request's end, as the driver saw it. */
struct rp_load_reply {
	unsigned slot;
	enum rp_load_kind kind; /* ANSWERED for any response; the engine judges the status */
	long status;
	double service; /* seconds from its start to its end */
	double t_connect, t_tls, t_firstbyte;
	char error[256]; /* words for a failure other than a status */
};

struct rp_load_driver {
	void *ctx;
	double (*now)(void *ctx); /* seconds, monotonic */
	/* Starts a request on a free slot; false when it cannot (then *why). */
	bool (*start)(void *ctx, unsigned slot, char *why, size_t whylen);
	/* Waits until a request ends or the clock reaches until; returns how
	 * many replies it wrote to out (at most max). */
	size_t (*wait)(void *ctx, double until, struct rp_load_reply *out, size_t max);
	void (*cancel)(void *ctx, unsigned slot);
};

struct rp_load_plan {
	size_t requests; /* counted requests, 1..RP_LOAD_MAX_REQUESTS */
	size_t warmup;
	unsigned concurrency; /* slots, 1..RP_LOAD_MAX_CONCURRENCY */
	double rate;          /* requests a second; 0: closed loop */
	double duration;      /* stop starting requests after this; 0: none */
	double deadline;      /* the driver's clock: nothing runs past it */
	const struct rp_status_range *expect;
	size_t nexpect; /* 0: 200-299 */
};

struct rp_load_stats {
	struct rp_histogram latency; /* ns; every request that ended, except
	                                transport failures before a reply */
	size_t planned;              /* requests the plan wanted */
	size_t ended;                /* counted requests that ended (answered or failed) */
	size_t errors;
	size_t by_kind[RP_LOAD_KINDS];
	char first_error[RP_LOAD_KINDS][256];
	size_t by_status[600]; /* responses by status, 100-599 */
	double sum_connect, sum_tls, sum_firstbyte;
	size_t nphases;    /* replies with phase timings */
	double elapsed;    /* the counted phase, from its start to its last end */
	size_t cut;        /* in flight at the deadline, abandoned */
	double cut_oldest; /* seconds the oldest of them had waited */
	size_t unsent;     /* never started: the deadline came first */
	bool deadline_hit;
	size_t warmup_ended, warmup_errors;
};

void rp_load_stats_init(struct rp_load_stats *st);
void rp_load_stats_free(struct rp_load_stats *st);

void rp_load_run(const struct rp_load_plan *plan, const struct rp_load_driver *d,
                 struct rp_load_stats *st);

#endif
