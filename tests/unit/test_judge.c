/* The runtime's judgement of metrics: a threshold shown decides. */
#include "rp_judge.h"
#include "rp_test.h"

#include <math.h>
#include <string.h>

static const struct rp_metric_spec specs[] = {
	{ "time", RP_UNIT_SECONDS, false, "duration", "response time" },
	{ "rows", RP_UNIT_NONE, true, "rows of a table", NULL },
	{ "size", RP_UNIT_BYTES, false, "file size", NULL },
	{ "score", RP_UNIT_PERCENT, false, "score", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static void add(struct rp_thresholds *t, char which, const char *arg)
{
	char err[256];
	ck_assert_msg(rp_thresholds_add(t, specs, "time", which, arg, err, sizeof err), "%s", err);
}

static const struct rp_check *kid_with(const struct rp_check *c, const char *text)
{
	for (size_t i = 0; i < c->nkids; i++)
		if (c->kids[i]->text && strstr(c->kids[i]->text, text))
			return c->kids[i];
	return NULL;
}

START_TEST(test_unworded_metric_becomes_a_finding)
{
	struct rp_thresholds t;
	rp_thresholds_init(&t);
	add(&t, 'c', "size=1000");
	add(&t, 'w', "rows=10:");
	struct rp_check *root = rp_check_new();
	rp_check_add(root, RP_OK, "3 tables");
	rp_check_set_text(root, "app.db: 3 tables");
	rp_check_add_perf(root, "size", 8192, RP_UNIT_BYTES, &t);
	rp_check_add_perf(root, "rows.events", 4, RP_UNIT_NONE, &t);
	ck_assert_int_eq(rp_check_state(root), RP_OK); /* before the judge */
	ck_assert_uint_eq(rp_judge_metrics(root, &t, specs), 2);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	const struct rp_check *k = kid_with(root, "size is 8192 B");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->text, "size is 8192 B, above the critical threshold 1000 B");
	k = kid_with(root, "rows.events");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->text, "rows.events is 4, below the warning threshold 10");
	ck_assert_int_eq(rp_check_state(k), RP_WARNING);
	/* the worse news leads line 1, the plugin's own summary follows */
	ck_assert_str_eq(root->text,
	                 "size is 8192 B, above the critical threshold 1000 B; app.db: 3 tables");
	rp_check_free(root);
	rp_thresholds_free(&t);
}
END_TEST

START_TEST(test_worded_metric_is_trusted_only_when_carried)
{
	struct rp_thresholds t;
	rp_thresholds_init(&t);
	add(&t, 'w', "500ms");
	/* worded: the plugin added its finding in that state */
	struct rp_check *root = rp_check_new();
	enum rp_state st = rp_check_metric(root, "time", 0.7, RP_UNIT_SECONDS, &t);
	ck_assert_int_eq(st, RP_WARNING);
	rp_check_add(root, st, "response time 0.7 s");
	ck_assert_uint_eq(rp_judge_metrics(root, &t, specs), 0);
	ck_assert_uint_eq(root->nkids, 1);
	rp_check_free(root);
	/* worded, then dropped: the runtime adds it, with the metric's noun */
	root = rp_check_new();
	rp_check_metric(root, "time", 0.7, RP_UNIT_SECONDS, &t);
	rp_check_add(root, RP_OK, "HTTP 200");
	ck_assert_uint_eq(rp_judge_metrics(root, &t, specs), 1);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	ck_assert_ptr_nonnull(kid_with(root, "response time is 0.7 s, above the warning threshold "
	                                     "0.5 s"));
	rp_check_free(root);
	rp_thresholds_free(&t);
}
END_TEST

START_TEST(test_nested_decided_and_ranges)
{
	struct rp_thresholds t;
	rp_thresholds_init(&t);
	add(&t, 'c', "score=@10:20");
	add(&t, 'w', "rows=5:8");
	struct rp_check *root = rp_check_new();
	rp_check_decide(root, RP_OK); /* a rule of its own */
	rp_check_add_perf(root, "score", 15, RP_UNIT_PERCENT, &t);
	struct rp_check *g = rp_check_add_group(root, "group");
	rp_check_add(g, RP_OK, "fine");
	rp_check_add_perf(g, "rows.a", 9, RP_UNIT_NONE, &t);
	rp_judge_metrics(root, &t, specs);
	/* a deciding check's own state is raised, not only its children's */
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	ck_assert_ptr_nonnull(kid_with(root, "score is 15%, inside the critical range @10:20"));
	ck_assert_int_eq(rp_check_state(g), RP_WARNING);
	ck_assert_ptr_nonnull(kid_with(g, "rows.a is 9, above the warning threshold 8"));
	rp_check_free(root);
	rp_thresholds_free(&t);
}
END_TEST

START_TEST(test_unmeasured_and_unknown_values)
{
	struct rp_thresholds t;
	rp_thresholds_init(&t);
	add(&t, 'c', "size=1");
	add(&t, 'w', "rows=1:");
	add(&t, 'c', "rows=1:");
	struct rp_check *root = rp_check_new();
	rp_check_add(root, RP_OK, "ok");
	rp_check_add_perf_unknown(root, "size", RP_UNIT_BYTES, &t);
	ck_assert_uint_eq(rp_judge_metrics(root, &t, specs), 0);
	ck_assert_int_eq(rp_check_state(root), RP_OK);
	const struct rp_check *n = kid_with(root, "size: not measured in this run");
	ck_assert_ptr_nonnull(n);
	ck_assert(n->note);
	ck_assert_ptr_nonnull(kid_with(root, "rows: not measured in this run, so its warning and "
	                                     "critical thresholds were not applied"));
	rp_check_free(root);
	rp_thresholds_free(&t);
	/* no thresholds: nothing to judge, nothing added */
	root = rp_check_new();
	rp_check_add_perf(root, "size", 5, RP_UNIT_BYTES, NULL);
	rp_thresholds_init(&t);
	ck_assert_uint_eq(rp_judge_metrics(root, &t, specs), 0);
	ck_assert_uint_eq(root->nkids, 0);
	rp_check_free(root);
}
END_TEST

START_TEST(test_describe)
{
	struct rp_range r;
	char err[128];
	struct rp_buf b;
	rp_buf_init(&b);
	ck_assert(rp_range_parse("10:20", RP_UNIT_NONE, &r, err, sizeof err));
	rp_judge_describe(&b, 25, "", &r, 'c');
	ck_assert_str_eq(b.data, "is 25, above the critical threshold 20");
	rp_buf_reset(&b);
	rp_judge_describe(&b, 5, "", &r, 'w');
	ck_assert_str_eq(b.data, "is 5, below the warning threshold 10");
	rp_buf_reset(&b);
	ck_assert(rp_range_parse("~:2s", RP_UNIT_SECONDS, &r, err, sizeof err));
	rp_judge_describe(&b, 2.5, "s", &r, 'c');
	ck_assert_str_eq(b.data, "is 2.5 s, above the critical threshold 2 s");
	rp_buf_free(&b);
}
END_TEST

static Suite *judge_suite(void)
{
	Suite *s = suite_create("judge");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_unworded_metric_becomes_a_finding);
	tcase_add_test(tc, test_worded_metric_is_trusted_only_when_carried);
	tcase_add_test(tc, test_nested_decided_and_ranges);
	tcase_add_test(tc, test_unmeasured_and_unknown_values);
	tcase_add_test(tc, test_describe);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(judge_suite)
