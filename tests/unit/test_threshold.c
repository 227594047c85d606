/* -w/-c parsing: bare RANGE for the primary metric, METRIC=RANGE, stems,
 * units per metric, and clear refusals. */
#include "rp_test.h"
#include "rp_thresholds.h"

#include <string.h>

static const struct rp_metric_spec specs[] = {
	{ "time", RP_UNIT_SECONDS, false, "response time", NULL },
	{ "rows", RP_UNIT_NONE, true, "row count", NULL },
	{ "age", RP_UNIT_SECONDS, true, "age of the newest row", NULL },
	{ "size", RP_UNIT_BYTES, false, "file size", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

START_TEST(test_bare_range_is_primary)
{
	struct rp_thresholds t;
	char err[512];
	rp_thresholds_init(&t);
	ck_assert(rp_thresholds_add(&t, specs, "time", 'w', "500ms", err, sizeof err));
	ck_assert(rp_thresholds_add(&t, specs, "time", 'c', "2", err, sizeof err));
	ck_assert_int_eq(rp_thresholds_state(&t, "time", 0.4), RP_OK);
	ck_assert_int_eq(rp_thresholds_state(&t, "time", 0.5), RP_OK);
	ck_assert_int_eq(rp_thresholds_state(&t, "time", 0.6), RP_WARNING);
	ck_assert_int_eq(rp_thresholds_state(&t, "time", 2.1), RP_CRITICAL);
	ck_assert_int_eq(rp_thresholds_state(&t, "size", 1e12), RP_OK);
	rp_thresholds_free(&t);
}
END_TEST

START_TEST(test_stems_and_specific)
{
	struct rp_thresholds t;
	char err[512];
	rp_thresholds_init(&t);
	ck_assert(rp_thresholds_add(&t, specs, NULL, 'c', "age=1h", err, sizeof err));
	ck_assert(rp_thresholds_add(&t, specs, NULL, 'c', "age.events=10m", err, sizeof err));
	ck_assert(rp_thresholds_add(&t, specs, NULL, 'w', "rows=100:", err, sizeof err));
	ck_assert_int_eq(rp_thresholds_state(&t, "age.events", 601), RP_CRITICAL);
	ck_assert_int_eq(rp_thresholds_state(&t, "age.events", 599), RP_OK);
	ck_assert_int_eq(rp_thresholds_state(&t, "age.other", 601), RP_OK);
	ck_assert_int_eq(rp_thresholds_state(&t, "age.other", 3601), RP_CRITICAL);
	ck_assert_int_eq(rp_thresholds_state(&t, "rows.users", 99), RP_WARNING);
	ck_assert_int_eq(rp_thresholds_state(&t, "rows.users", 100), RP_OK);
	ck_assert(rp_thresholds_has(&t, "rows.x"));
	ck_assert(!rp_thresholds_has(&t, "time"));
	ck_assert_ptr_null(rp_thresholds_get(&t, "rows.x", 'c'));
	/* the last value given for the same metric wins */
	ck_assert(rp_thresholds_add(&t, specs, NULL, 'c', "age=2h", err, sizeof err));
	ck_assert_int_eq(rp_thresholds_state(&t, "age.other", 3601), RP_OK);
	rp_thresholds_free(&t);
}
END_TEST

START_TEST(test_refusals)
{
	struct rp_thresholds t;
	char err[512];
	rp_thresholds_init(&t);
	ck_assert(!rp_thresholds_add(&t, specs, NULL, 'w', "10", err, sizeof err));
	ck_assert_msg(strstr(err, "no primary metric") && strstr(err, "rows[.NAME]"), "%s", err);
	ck_assert(!rp_thresholds_add(&t, specs, "time", 'w', "bogus=10", err, sizeof err));
	ck_assert_msg(strstr(err, "unknown metric 'bogus'"), "%s", err);
	ck_assert(!rp_thresholds_add(&t, specs, "time", 'c', "time=10:5", err, sizeof err));
	ck_assert_msg(strstr(err, "-c time") && strstr(err, "'10:5'"), "%s", err);
	ck_assert(!rp_thresholds_add(&t, specs, "time", 'c', "rows=10s", err, sizeof err));
	ck_assert(!rp_thresholds_add(&t, specs, "time", 'c', "size=1x", err, sizeof err));
	ck_assert(!rp_thresholds_add(&t, specs, "time", 'c', "time.x=1", err, sizeof err));
	ck_assert(!rp_thresholds_add(&t, specs, "time", 'c', "rows.=1", err, sizeof err));
	ck_assert(rp_thresholds_add(&t, specs, "time", 'c', "size=1GiB", err, sizeof err));
	ck_assert_int_eq(rp_thresholds_state(&t, "size", 1073741825.0), RP_CRITICAL);
	ck_assert_uint_eq(t.n, 1);
	rp_thresholds_free(&t);
}
END_TEST

START_TEST(test_spec_find)
{
	ck_assert_ptr_eq(rp_thresholds_find_spec(specs, "rows.events"), &specs[1]);
	ck_assert_ptr_eq(rp_thresholds_find_spec(specs, "rows"), &specs[1]);
	ck_assert_ptr_null(rp_thresholds_find_spec(specs, "rowsx"));
	ck_assert_ptr_null(rp_thresholds_find_spec(specs, "size.x"));
}
END_TEST

static Suite *threshold_suite(void)
{
	Suite *s = suite_create("threshold");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_bare_range_is_primary);
	tcase_add_test(tc, test_stems_and_specific);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_spec_find);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(threshold_suite)
