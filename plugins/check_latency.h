/* check_latency.h: configuration and observations of check_latency,
 * shared by the plugin and its pure evaluate step (latency_eval.c). */
#ifndef CHECK_LATENCY_H
#define CHECK_LATENCY_H

#include "rp_check.h"
#include "rp_http_options.h"
#include "rp_load.h"
#include "rp_status.h"
#include "rp_thresholds.h"

#include <stdbool.h>
#include <stddef.h>

#define LATENCY_DEFAULT_REQUESTS    50
#define LATENCY_DEFAULT_CONCURRENCY 4

struct latency_config {
	struct rp_http_options http; /* the request (rp_http_options.h) */
	struct rp_status_range *expect;
	size_t nexpect;
	size_t requests;
	bool requests_given;
	unsigned concurrency;
	double rate;            /* 0: closed loop */
	double duration;        /* 0: none */
	double request_timeout; /* 0: the run's deadline */
	size_t warmup;
	bool no_reuse;
	/* from the standard options */
	double timeout;
	enum rp_state timeout_state;
};

struct latency_observed {
	char *url_shown;          /* the URL without credentials or secret query values */
	struct rp_http_loaded in; /* credentials and body; in.error: UNKNOWN */
	char *start_error;        /* libcurl could not start: UNKNOWN */
	bool ran;
	struct rp_load_stats stats;
};

struct rp_check *latency_evaluate(const struct latency_config *cfg,
                                  const struct latency_observed *o, const struct rp_thresholds *t);

/* A latency for people, three significant digits: "0.105 ms", "12.3 ms",
 * "5.03 s". buf needs RP_NUMBUF bytes. */
char *latency_format(double seconds, char *buf);

#endif
