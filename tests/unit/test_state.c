/* States: names, parsing and the worst-of order CRITICAL > UNKNOWN > WARNING > OK. */
#include "rp_state.h"
#include "rp_test.h"

START_TEST(test_text)
{
	ck_assert_str_eq(rp_state_text(RP_OK), "OK");
	ck_assert_str_eq(rp_state_text(RP_WARNING), "WARNING");
	ck_assert_str_eq(rp_state_text(RP_CRITICAL), "CRITICAL");
	ck_assert_str_eq(rp_state_text(RP_UNKNOWN), "UNKNOWN");
	ck_assert_int_eq(RP_OK, 0);
	ck_assert_int_eq(RP_WARNING, 1);
	ck_assert_int_eq(RP_CRITICAL, 2);
	ck_assert_int_eq(RP_UNKNOWN, 3);
}
END_TEST

START_TEST(test_worst)
{
	ck_assert_int_eq(rp_state_worst(RP_OK, RP_WARNING), RP_WARNING);
	ck_assert_int_eq(rp_state_worst(RP_WARNING, RP_UNKNOWN), RP_UNKNOWN);
	ck_assert_int_eq(rp_state_worst(RP_UNKNOWN, RP_CRITICAL), RP_CRITICAL);
	ck_assert_int_eq(rp_state_worst(RP_CRITICAL, RP_UNKNOWN), RP_CRITICAL);
	ck_assert_int_eq(rp_state_worst(RP_CRITICAL, RP_OK), RP_CRITICAL);
	ck_assert_int_eq(rp_state_worst(RP_UNKNOWN, RP_WARNING), RP_UNKNOWN);
	ck_assert_int_eq(rp_state_worst(RP_OK, RP_OK), RP_OK);
}
END_TEST

START_TEST(test_parse)
{
	enum rp_state s;
	ck_assert(rp_state_parse("critical", &s) && s == RP_CRITICAL);
	ck_assert(rp_state_parse("WARNING", &s) && s == RP_WARNING);
	ck_assert(rp_state_parse("3", &s) && s == RP_UNKNOWN);
	ck_assert(rp_state_parse("Ok", &s) && s == RP_OK);
	ck_assert(!rp_state_parse("crit", &s));
	ck_assert(!rp_state_parse("4", &s));
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_worst);
	tcase_add_test(tc, test_parse);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(state_suite)
