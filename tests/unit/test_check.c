/* The result tree: state from children, insertion order, metrics. */
#include "rp_check.h"
#include "rp_test.h"

#include <math.h>
#include <string.h>

START_TEST(test_state_from_children)
{
	struct rp_check *root = rp_check_new();
	ck_assert_int_eq(rp_check_state(root), RP_UNKNOWN); /* nothing decided */
	rp_check_add(root, RP_OK, "a");
	ck_assert_int_eq(rp_check_state(root), RP_OK);
	rp_check_add(root, RP_WARNING, "b");
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	struct rp_check *g = rp_check_add_group(root, "group");
	rp_check_add(g, RP_UNKNOWN, "c");
	ck_assert_int_eq(rp_check_state(g), RP_UNKNOWN);
	ck_assert_int_eq(rp_check_state(root), RP_UNKNOWN);
	rp_check_add(g, RP_CRITICAL, "d");
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	ck_assert_uint_eq(rp_check_count(root, RP_CRITICAL), 1);
	ck_assert_uint_eq(rp_check_count(root, RP_OK), 1);
	/* an own state combines with the children's */
	struct rp_check *h = rp_check_add(root, RP_WARNING, "h");
	rp_check_add(h, RP_OK, "fine");
	ck_assert_int_eq(rp_check_state(h), RP_WARNING);
	rp_check_free(root);
}
END_TEST

START_TEST(test_insertion_order_and_text)
{
	struct rp_check *root = rp_check_new();
	for (int i = 0; i < 50; i++)
		rp_check_add(root, RP_OK, "item %d", i);
	ck_assert_uint_eq(root->nkids, 50);
	ck_assert_str_eq(root->kids[0]->text, "item 0");
	ck_assert_str_eq(root->kids[49]->text, "item 49");
	rp_check_set_text(root, "summary %s", "here");
	rp_check_set_text(root, "summary %s", "replaced");
	ck_assert_str_eq(root->text, "summary replaced");
	rp_check_free(root);
}
END_TEST

START_TEST(test_worst_texts)
{
	struct rp_check *root = rp_check_new();
	rp_check_add(root, RP_OK, "fine");
	rp_check_add(root, RP_CRITICAL, "table a: missing");
	rp_check_add(root, RP_WARNING, "slow");
	rp_check_add(root, RP_CRITICAL, "table b: missing");
	char *s = rp_check_worst_texts(root, 200);
	ck_assert_str_eq(s, "table a: missing; table b: missing");
	free(s);
	s = rp_check_worst_texts(root, 20);
	ck_assert_str_eq(s, "table a: missing and 1 more");
	free(s);
	rp_check_free(root);
}
END_TEST

START_TEST(test_metric)
{
	static const struct rp_metric_spec specs[] = {
		{ "time", RP_UNIT_SECONDS, false, "time", NULL },
		{ NULL, RP_UNIT_NONE, false, NULL, NULL },
	};
	struct rp_thresholds t;
	char err[256];
	rp_thresholds_init(&t);
	ck_assert(rp_thresholds_add(&t, specs, "time", 'w', "1", err, sizeof err));
	ck_assert(rp_thresholds_add(&t, specs, "time", 'c', "2s", err, sizeof err));
	struct rp_check *root = rp_check_new();
	ck_assert_int_eq(rp_check_metric(root, "time", 1.5, RP_UNIT_SECONDS, &t), RP_WARNING);
	ck_assert_uint_eq(root->perf.n, 1);
	ck_assert_str_eq(root->perf.items[0].uom, "s");
	ck_assert_str_eq(root->perf.items[0].warn, "1");
	ck_assert_str_eq(root->perf.items[0].crit, "2");
	rp_check_add_perf_unknown(root, "time", RP_UNIT_SECONDS, &t);
	ck_assert(root->perf.items[1].unknown);
	rp_check_add_perf_minmax(root, "pct", 5, RP_UNIT_PERCENT, NULL, 0, 100);
	ck_assert(root->perf.items[2].has_min && root->perf.items[2].has_max);
	rp_check_add_perf_minmax(root, "x", 5, RP_UNIT_NONE, NULL, NAN, 10);
	ck_assert(!root->perf.items[3].has_min && root->perf.items[3].has_max);
	rp_check_free(root);
	rp_thresholds_free(&t);
}
END_TEST

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_state_from_children);
	tcase_add_test(tc, test_insertion_order_and_text);
	tcase_add_test(tc, test_worst_texts);
	tcase_add_test(tc, test_metric);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_suite)
