/* The latency histogram: its bucket layout, and percentiles from known
 * distributions against the exact nearest-rank answer, within the stated
 * error (RP_HIST_REL_ERROR). */
#include "rp_histogram.h"
#include "rp_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* The exact nearest-rank percentile of sorted values. */
static uint64_t exact(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void assert_close(uint64_t got, uint64_t want, double p)
{
	double err = fabs((double)got - (double)want);
	ck_assert_msg(err <= (double)want * RP_HIST_REL_ERROR,
	              "p%g: %llu, the exact answer is %llu (error %.4f %%)", p,
	              (unsigned long long)got, (unsigned long long)want,
	              want ? 100.0 * err / (double)want : 0.0);
}

START_TEST(test_buckets_cover_every_value_once)
{
	size_t last = 0;
	for (uint64_t v = 0; v < 3000000; v += 1 + v / 1000) {
		size_t b = rp_histogram_bucket(v);
		ck_assert_uint_le(rp_histogram_bucket_low(b), v);
		ck_assert_uint_ge(rp_histogram_bucket_high(b), v);
		ck_assert_uint_ge(b, last);
		/* a bucket is never wider than 1/128 of its lowest value */
		uint64_t lo = rp_histogram_bucket_low(b), hi = rp_histogram_bucket_high(b);
		ck_assert_uint_le((hi - lo) * 128, lo);
		last = b;
	}
	for (size_t b = 0; b + 1 < RP_HIST_BUCKETS; b++)
		ck_assert_uint_eq(rp_histogram_bucket_high(b) + 1, rp_histogram_bucket_low(b + 1));
	/* beyond the range: the last bucket */
	ck_assert_uint_eq(rp_histogram_bucket(UINT64_MAX), RP_HIST_BUCKETS - 1);
}
END_TEST

START_TEST(test_uniform)
{
	struct rp_histogram h;
	rp_histogram_init(&h);
	for (uint64_t v = 1; v <= 10000; v++)
		rp_histogram_record(&h, v * 1000);
	static const double ps[] = { 1, 10, 50, 90, 95, 99, 99.9 };
	for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
		assert_close(rp_histogram_percentile(&h, ps[i]),
		             (uint64_t)ceil(ps[i] / 100 * 10000) * 1000, ps[i]);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 100), 10000000);
	ck_assert_uint_eq(h.min, 1000);
	ck_assert_uint_eq(h.max, 10000000);
	ck_assert_uint_eq(h.total, 10000);
	ck_assert(fabs(rp_histogram_mean(&h) - 5000500.0) < 1e-6);
	rp_histogram_free(&h);
}
END_TEST

/* One slow request in a hundred is the maximum, not the 99th percentile. */
START_TEST(test_one_outlier)
{
	struct rp_histogram h;
	rp_histogram_init(&h);
	for (int i = 0; i < 99; i++)
		rp_histogram_record(&h, 1000000); /* 1 ms */
	rp_histogram_record(&h, 1000000000);      /* 1 s */
	assert_close(rp_histogram_percentile(&h, 99), 1000000, 99);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 99.5), 1000000000);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 100), 1000000000);
	/* two in a hundred reach p99 */
	rp_histogram_record(&h, 1000000000);
	assert_close(rp_histogram_percentile(&h, 99), 1000000000, 99);
	rp_histogram_free(&h);
}
END_TEST

START_TEST(test_empty_and_single)
{
	struct rp_histogram h;
	rp_histogram_init(&h);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 50), 0);
	ck_assert(rp_histogram_mean(&h) == 0);
	rp_histogram_record(&h, 123456789);
	/* one value: every percentile is that value, exactly (min and max bound it) */
	ck_assert_uint_eq(rp_histogram_percentile(&h, 0.1), 123456789);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 50), 123456789);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 100), 123456789);
	rp_histogram_free(&h);
}
END_TEST

/* A long-tailed distribution (exponential, deterministic generator) over
 * six decades, every percentile within the stated error. */
START_TEST(test_exponential)
{
	enum { N = 20000 };
	uint64_t *v = malloc(N * sizeof *v);
	struct rp_histogram h;
	rp_histogram_init(&h);
	uint64_t x = 88172645463325252ULL;
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double u = ((double)(x >> 11) + 0.5) / 9007199254740992.0;
		v[i] = (uint64_t)(-log(u) * 2e6) + 1; /* mean 2 ms, in ns */
		rp_histogram_record(&h, v[i]);
	}
	qsort(v, N, sizeof *v, by_value);
	for (double p = 0.5; p <= 100; p += 0.5)
		assert_close(rp_histogram_percentile(&h, p), exact(v, N, p), p);
	assert_close(rp_histogram_percentile(&h, 99.99), exact(v, N, 99.99), 99.99);
	ck_assert_uint_eq(h.min, v[0]);
	ck_assert_uint_eq(h.max, v[N - 1]);
	ck_assert_uint_eq(rp_histogram_count_between(&h, 0, UINT64_MAX), N);
	free(v);
	rp_histogram_free(&h);
}
END_TEST

START_TEST(test_huge_values)
{
	struct rp_histogram h;
	rp_histogram_init(&h);
	rp_histogram_record(&h, UINT64_MAX);
	rp_histogram_record(&h, 5);
	ck_assert_uint_eq(h.max, UINT64_MAX);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 50), 5);
	ck_assert_uint_eq(rp_histogram_percentile(&h, 100), UINT64_MAX);
	rp_histogram_free(&h);
}
END_TEST

static Suite *histogram_suite(void)
{
	Suite *s = suite_create("histogram");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_buckets_cover_every_value_once);
	tcase_add_test(tc, test_uniform);
	tcase_add_test(tc, test_one_outlier);
	tcase_add_test(tc, test_empty_and_single);
	tcase_add_test(tc, test_exponential);
	tcase_add_test(tc, test_huge_values);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(histogram_suite)
