/* Durations, sizes and percentages as admins write them. */
#include "rp_test.h"
#include "rp_unit.h"

#include <math.h>
#include <string.h>

struct unit_case {
	const char *text;
	enum rp_unit unit;
	double value;
};

static const struct unit_case good[] = {
	{ "250ms", RP_UNIT_SECONDS, 0.25 },   { "2s", RP_UNIT_SECONDS, 2 },
	{ "10m", RP_UNIT_SECONDS, 600 },      { "10min", RP_UNIT_SECONDS, 600 },
	{ "1h", RP_UNIT_SECONDS, 3600 },      { "1d", RP_UNIT_SECONDS, 86400 },
	{ "1w", RP_UNIT_SECONDS, 604800 },    { "1.5", RP_UNIT_SECONDS, 1.5 },
	{ "500us", RP_UNIT_SECONDS, 0.0005 }, { "512", RP_UNIT_BYTES, 512 },
	{ "512B", RP_UNIT_BYTES, 512 },       { "10KB", RP_UNIT_BYTES, 10000 },
	{ "10kB", RP_UNIT_BYTES, 10000 },     { "10K", RP_UNIT_BYTES, 10240 },
	{ "10KiB", RP_UNIT_BYTES, 10240 },    { "2MiB", RP_UNIT_BYTES, 2097152 },
	{ "2MB", RP_UNIT_BYTES, 2e6 },        { "1GiB", RP_UNIT_BYTES, 1073741824.0 },
	{ "1TB", RP_UNIT_BYTES, 1e12 },       { "10%", RP_UNIT_PERCENT, 10 },
	{ "99.5", RP_UNIT_PERCENT, 99.5 },    { "-2", RP_UNIT_NONE, -2 },
};

START_TEST(test_good)
{
	const struct unit_case *c = &good[_i];
	double v;
	char err[256];
	ck_assert_msg(rp_unit_parse_value(c->text, strlen(c->text), c->unit, &v, err, sizeof err),
	              "%s: %s", c->text, err);
	ck_assert_msg(fabs(v - c->value) <= 1e-9 * (fabs(c->value) + 1), "%s -> %f", c->text, v);
}
END_TEST

static const struct unit_case bad[] = {
	{ "", RP_UNIT_SECONDS, 0 },     { "ms", RP_UNIT_SECONDS, 0 },
	{ "10 s", RP_UNIT_SECONDS, 0 }, { "10S", RP_UNIT_SECONDS, 0 },
	{ "10y", RP_UNIT_SECONDS, 0 },  { "1e3s", RP_UNIT_SECONDS, 0 },
	{ "10%", RP_UNIT_SECONDS, 0 },  { "10Kb", RP_UNIT_BYTES, 0 },
	{ "10s", RP_UNIT_BYTES, 0 },    { "10%%", RP_UNIT_PERCENT, 0 },
	{ "10s", RP_UNIT_NONE, 0 },     { "abc", RP_UNIT_NONE, 0 },
};

START_TEST(test_bad)
{
	const struct unit_case *c = &bad[_i];
	double v;
	char err[256] = "";
	ck_assert_msg(!rp_unit_parse_value(c->text, strlen(c->text), c->unit, &v, err, sizeof err),
	              "'%s' should be refused", c->text);
	ck_assert_msg(strstr(err, "is not") != NULL, "%s", err);
}
END_TEST

START_TEST(test_wrappers)
{
	double v;
	char err[256];
	ck_assert(rp_unit_parse_duration("2m", &v, err, sizeof err) && v == 120);
	ck_assert(rp_unit_parse_size("1K", &v, err, sizeof err) && v == 1024);
	ck_assert(rp_unit_parse_percent("5%", &v, err, sizeof err) && v == 5);
	ck_assert(!rp_unit_parse_duration("2x", &v, err, sizeof err));
	ck_assert(strstr(err, "'2x' is not a duration") != NULL);
	ck_assert_str_eq(rp_unit_uom(RP_UNIT_SECONDS), "s");
	ck_assert_str_eq(rp_unit_uom(RP_UNIT_BYTES), "B");
	ck_assert_str_eq(rp_unit_uom(RP_UNIT_PERCENT), "%");
	ck_assert_str_eq(rp_unit_uom(RP_UNIT_COUNTER), "c");
	ck_assert_str_eq(rp_unit_uom(RP_UNIT_NONE), "");
}
END_TEST

static Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_wrappers);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(units_suite)
