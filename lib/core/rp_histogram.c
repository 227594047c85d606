#include "rp_histogram.h"
#include "rp_x.h"

#include <stdlib.h>
#include <string.h>

#define SUB ((uint64_t)1 << RP_HIST_SUB_BITS)
#define CAP (((uint64_t)1 << RP_HIST_MAX_BITS) - 1)

void rp_histogram_init(struct rp_histogram *h)
{
	memset(h, 0, sizeof *h);
	h->counts = rp_xcalloc(RP_HIST_BUCKETS, sizeof *h->counts);
}

void rp_histogram_free(struct rp_histogram *h)
{
	free(h->counts);
	memset(h, 0, sizeof *h);
}

static unsigned top_bit(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

/* Below SUB: the value itself. Above: with m its top bit and s = m - SUB_BITS,
 * the buckets (s + 1) * SUB ... hold v >> s in [SUB, 2 SUB). */
size_t rp_histogram_bucket(uint64_t v)
{
	if (v > CAP)
		v = CAP;
	if (v < SUB)
		return (size_t)v;
	unsigned s = top_bit(v) - RP_HIST_SUB_BITS;
	return (size_t)((uint64_t)(s + 1) * SUB + ((v >> s) - SUB));
}

uint64_t rp_histogram_bucket_low(size_t b)
{
	if (b < SUB)
		return b;
	uint64_t s = b / SUB - 1;
	uint64_t mantissa = SUB + b % SUB;
	return mantissa << s;
}

uint64_t rp_histogram_bucket_high(size_t b)
{
	if (b < SUB)
		return b;
	uint64_t s = b / SUB - 1;
	return rp_histogram_bucket_low(b) + ((uint64_t)1 << s) - 1;
}

void rp_histogram_record(struct rp_histogram *h, uint64_t v)
{
	h->counts[rp_histogram_bucket(v)]++;
	if (h->total == 0 || v < h->min)
		h->min = v;
	if (h->total == 0 || v > h->max)
		h->max = v;
	h->total++;
	h->sum += (long double)v;
}

uint64_t rp_histogram_percentile(const struct rp_histogram *h, double p)
{
	if (h->total == 0)
		return 0;
	if (p <= 0)
		return h->min;
	/* nearest rank: ceil(p/100 * n), at least 1 */
	long double want = (long double)p / 100.0L * (long double)h->total;
	uint64_t rank = (uint64_t)want;
	if ((long double)rank < want)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank >= h->total)
		return h->max;
	uint64_t seen = 0;
	for (size_t b = 0; b < RP_HIST_BUCKETS; b++) {
		seen += h->counts[b];
		if (seen < rank)
			continue;
		uint64_t lo = rp_histogram_bucket_low(b), hi = rp_histogram_bucket_high(b);
		uint64_t mid = lo + (hi - lo) / 2 + ((hi - lo) & 1);
		if (mid < h->min)
			mid = h->min;
		if (mid > h->max)
			mid = h->max;
		return mid;
	}
	return h->max;
}

double rp_histogram_mean(const struct rp_histogram *h)
{
	return h->total ? (double)(h->sum / (long double)h->total) : 0;
}

uint64_t rp_histogram_count_between(const struct rp_histogram *h, uint64_t low, uint64_t high)
{
	uint64_t n = 0;
	size_t last = rp_histogram_bucket(high);
	for (size_t b = rp_histogram_bucket(low); b <= last; b++)
		n += h->counts[b];
	return n;
}
