/* rp_histogram.h: a histogram of every recorded value with a bounded
 * relative error, for percentiles that come from all samples rather than
 * from averages (HdrHistogram's log-linear layout, written for our needs).
 *
 * Values are unsigned integers (check_latency records nanoseconds). Values
 * below 2^RP_HIST_SUB_BITS have a bucket each; above, each power of two is
 * cut into 2^RP_HIST_SUB_BITS equal buckets, so a bucket is never wider
 * than 1/128 of its lowest value. A percentile is its bucket's midpoint,
 * kept within the exact minimum and maximum: at most 1/256 (0.39 %) from
 * the true sample at that rank. Count, minimum, maximum and sum are exact.
 * Values from 2^44 (about 4.9 hours in nanoseconds) share the last bucket. */
#ifndef RP_HISTOGRAM_H
#define RP_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define RP_HIST_SUB_BITS 7
#define RP_HIST_MAX_BITS 44
/* The stated bound on a percentile's relative error. */
#define RP_HIST_REL_ERROR (1.0 / 256.0)

struct rp_histogram {
	uint64_t *counts; /* RP_HIST_BUCKETS of them */
	uint64_t total;
	uint64_t min, max;
	long double sum;
};

#define RP_HIST_BUCKETS ((size_t)(RP_HIST_MAX_BITS - RP_HIST_SUB_BITS + 1) << RP_HIST_SUB_BITS)

void rp_histogram_init(struct rp_histogram *h);
void rp_histogram_free(struct rp_histogram *h);
void rp_histogram_record(struct rp_histogram *h, uint64_t value);

/* The value at percentile p (0 < p <= 100) by the nearest-rank rule: the
 * smallest recorded value with at least p % of the samples at or below it.
 * 0 when nothing was recorded. */
uint64_t rp_histogram_percentile(const struct rp_histogram *h, double p);
double rp_histogram_mean(const struct rp_histogram *h);

/* The bucket a value falls in, and the values a bucket holds [low, high]. */
size_t rp_histogram_bucket(uint64_t value);
uint64_t rp_histogram_bucket_low(size_t bucket);
uint64_t rp_histogram_bucket_high(size_t bucket);

/* How many recorded values lie in the buckets of low to high, inclusive
 * (so within the stated error of [low, high]). */
uint64_t rp_histogram_count_between(const struct rp_histogram *h, uint64_t low, uint64_t high);

#endif
