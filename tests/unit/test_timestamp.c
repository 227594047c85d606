/* Timestamp detection and parsing for check_sqlite --fresh. */
#include "rp_test.h"
#include "rp_timestamp.h"

#include <math.h>
#include <string.h>

struct ts_case {
	const char *text;
	double unix_seconds;
	enum rp_timestamp_format format;
};

/* 2024-05-01T12:00:00Z is 1714564800. */
static const struct ts_case good[] = {
	{ "1714564800", 1714564800, RP_TS_UNIX },
	{ "1714564800000", 1714564800, RP_TS_UNIX_MS },
	{ "1714564800000000", 1714564800, RP_TS_UNIX_US },
	{ "1714564800.5", 1714564800.5, RP_TS_UNIX },
	{ "2460432.0", 1714564800, RP_TS_JULIAN },
	{ "2024-05-01 12:00:00", 1714564800, RP_TS_ISO },
	{ "2024-05-01T12:00:00", 1714564800, RP_TS_ISO },
	{ "2024-05-01T12:00:00Z", 1714564800, RP_TS_ISO },
	{ "2024-05-01T12:00:00.250Z", 1714564800.25, RP_TS_ISO },
	{ "2024-05-01T14:00:00+02:00", 1714564800, RP_TS_ISO },
	{ "2024-05-01T07:00:00-0500", 1714564800, RP_TS_ISO },
	{ "2024-05-01T14:00+02", 1714564800, RP_TS_ISO },
	{ "2024-05-01 12:00", 1714564800, RP_TS_ISO },
	{ "2024-05-01", 1714521600, RP_TS_ISO },
	{ "1970-01-01 00:00:00", 0, RP_TS_ISO },
	{ "2000-02-29", 951782400, RP_TS_ISO },
	{ " 2024-05-01 ", 1714521600, RP_TS_ISO },
};

START_TEST(test_good)
{
	const struct ts_case *c = &good[_i];
	double t;
	enum rp_timestamp_format f;
	char err[256];
	ck_assert_msg(rp_timestamp_from_text(c->text, strlen(c->text), RP_TS_AUTO, &t, &f, err,
	                                     sizeof err),
	              "%s: %s", c->text, err);
	ck_assert_msg(fabs(t - c->unix_seconds) < 1e-3, "%s -> %f", c->text, t);
	ck_assert_int_eq(f, c->format);
}
END_TEST

static const char *const bad[] = {
	"",
	"hello",
	"2024-13-01",
	"2024-02-30",
	"2023-02-29",
	"2024-05-01T25:00",
	"2024-05-01T12:60",
	"2024-05-01T12:00:00+24:00",
	"24-05-01",
	"2024/05/01",
	"2024-05-01T12",
	"2024-05-01 12:00:00 extra",
	"12345",
	"-1714564800",
	"1e10",
	"2024-05-01T12:00:00.",
};

START_TEST(test_bad)
{
	double t;
	enum rp_timestamp_format f;
	char err[256] = "";
	ck_assert_msg(!rp_timestamp_from_text(bad[_i], strlen(bad[_i]), RP_TS_AUTO, &t, &f, err,
	                                      sizeof err),
	              "'%s' should be refused", bad[_i]);
	ck_assert(err[0] != '\0');
}
END_TEST

START_TEST(test_forced_and_numbers)
{
	double t;
	enum rp_timestamp_format f;
	char err[256];
	/* 12345 is too small to detect, but a forced format reads it */
	ck_assert(rp_timestamp_from_number(12345, RP_TS_UNIX, &t, &f, err, sizeof err) &&
	          t == 12345);
	ck_assert(rp_timestamp_from_number(12345, RP_TS_UNIX_MS, &t, &f, err, sizeof err) &&
	          t == 12.345);
	ck_assert(!rp_timestamp_from_number(12345, RP_TS_AUTO, &t, &f, err, sizeof err));
	ck_assert(strstr(err, "--fresh-format") != NULL);
	ck_assert(!rp_timestamp_from_number(1714564800, RP_TS_ISO, &t, &f, err, sizeof err));
	ck_assert(!rp_timestamp_from_text("2024-05-01", 10, RP_TS_UNIX, &t, &f, err, sizeof err));
	ck_assert(rp_timestamp_from_text("2024-05-01", 10, RP_TS_ISO, &t, &f, err, sizeof err));
	ck_assert(!rp_timestamp_from_number(NAN, RP_TS_AUTO, &t, &f, err, sizeof err));
	enum rp_timestamp_format p;
	ck_assert(rp_timestamp_format_parse("unix-ms", &p) && p == RP_TS_UNIX_MS);
	ck_assert(!rp_timestamp_format_parse("ms", &p));
	ck_assert_str_eq(rp_timestamp_format_name(RP_TS_JULIAN), "julian");
}
END_TEST

static Suite *timestamp_suite(void)
{
	Suite *s = suite_create("timestamp");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_forced_and_numbers);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(timestamp_suite)
