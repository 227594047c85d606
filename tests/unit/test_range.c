/* Ranges: every row of the guideline table at, just inside and just outside
 * each endpoint, plus negative numbers, decimals, '~', '@', units, and the
 * inputs that must be rejected. Flipping any comparison in rp_range_alerts
 * makes at least one of these fail. */
#include "rp_range.h"
#include "rp_test.h"

#include <string.h>

struct alert_case {
	const char *range;
	double x;
	bool alert;
};

static const struct alert_case alert_cases[] = {
	/* "10": alert when x < 0 or x > 10 */
	{ "10", -0.001, true },
	{ "10", 0, false },
	{ "10", 0.001, false },
	{ "10", 5, false },
	{ "10", 9.999, false },
	{ "10", 10, false },
	{ "10", 10.001, true },
	{ "10", -5, true },
	/* "10:": alert when x < 10 */
	{ "10:", 9.999, true },
	{ "10:", 10, false },
	{ "10:", 10.001, false },
	{ "10:", 1e12, false },
	{ "10:", -10, true },
	/* "~:10": alert when x > 10 */
	{ "~:10", 10.001, true },
	{ "~:10", 10, false },
	{ "~:10", 9.999, false },
	{ "~:10", -1e12, false },
	/* "10:20": alert when x < 10 or x > 20 */
	{ "10:20", 9.999, true },
	{ "10:20", 10, false },
	{ "10:20", 10.001, false },
	{ "10:20", 15, false },
	{ "10:20", 19.999, false },
	{ "10:20", 20, false },
	{ "10:20", 20.001, true },
	/* "@10:20": alert when 10 <= x <= 20 */
	{ "@10:20", 9.999, false },
	{ "@10:20", 10, true },
	{ "@10:20", 10.001, true },
	{ "@10:20", 19.999, true },
	{ "@10:20", 20, true },
	{ "@10:20", 20.001, false },
	/* negatives and decimals */
	{ "-10:-5", -10.5, true },
	{ "-10:-5", -10, false },
	{ "-10:-5", -5, false },
	{ "-10:-5", -4.5, true },
	{ "0.5:1.5", 0.4999, true },
	{ "0.5:1.5", 0.5, false },
	{ "0.5:1.5", 1.5, false },
	{ "0.5:1.5", 1.5001, true },
	{ "~:-1", -1, false },
	{ "~:-1", -0.5, true },
	{ "@~:5", 5, true },
	{ "@~:5", 5.001, false },
	{ "@5:", 4.999, false },
	{ "@5:", 5, true },
	{ "@10", 0, true },
	{ "@10", -0.1, false },
	{ "@10", 10.1, false },
	{ ":10", 0, false },
	{ ":10", -1, true },
	{ "0", 0, false },
	{ "0", 0.1, true },
	{ "0:0", -0.1, true },
	{ "+5:+7", 6, false },
	{ ".5", 0.6, true },
	/* as other tools accept them: exponents, white space from quoting */
	{ "1e3", 999, false },
	{ "1e3", 1001, true },
	{ "1.5e-3:", 0.001, true },
	{ "10 ", 11, true },
	{ " 10", 5, false },
	{ " @10:20 ", 15, true },
};

START_TEST(test_alerts)
{
	const struct alert_case *c = &alert_cases[_i];
	struct rp_range r;
	char err[512];
	ck_assert_msg(rp_range_parse(c->range, RP_UNIT_NONE, &r, err, sizeof err),
	              "'%s' should parse: %s", c->range, err);
	ck_assert_msg(rp_range_alerts(&r, c->x) == c->alert, "range '%s' x=%g: expected %s",
	              c->range, c->x, c->alert ? "alert" : "no alert");
}
END_TEST

static const char *const rejected[] = {
	"",    "10:5", "abc",  "1:2:3", "@",   "~",   "1e400",  "1e",      "inf",  "-inf",
	"nan", "~:",   "@~:",  "10:~",  "   ", "1 0", "10:20x", "--1",     "1..2", "@@1",
	"1,5", "0x10", "10::", ":",     "+",   ".",   "-",      "5:4.999",
};

START_TEST(test_rejected)
{
	struct rp_range r;
	char err[512] = "";
	const char *text = rejected[_i];
	ck_assert_msg(!rp_range_parse(text, RP_UNIT_NONE, &r, err, sizeof err),
	              "'%s' should be rejected", text);
	ck_assert_msg(strstr(err, "invalid range") != NULL, "message for '%s': %s", text, err);
	ck_assert_msg(strstr(err, "10:20") != NULL, "message shows an example: %s", err);
}
END_TEST

/* A range longer than any range can be is refused, not cut. */
START_TEST(test_too_long)
{
	char text[1200];
	memset(text, '1', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	struct rp_range r;
	char err[512];
	ck_assert(!rp_range_parse(text, RP_UNIT_NONE, &r, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "too long"));
	/* the longest a range formats to parses back */
	ck_assert(rp_range_parse("1E0275", RP_UNIT_NONE, &r, err, sizeof err));
	char buf[RP_RANGEBUF];
	struct rp_range back;
	ck_assert_msg(
	        rp_range_parse(rp_range_format(&r, buf), RP_UNIT_NONE, &back, err, sizeof err),
	        "%s", err);
	ck_assert(back.end == r.end);
}
END_TEST

START_TEST(test_reject_names_text)
{
	struct rp_range r;
	char err[512];
	ck_assert(!rp_range_parse("10:5", RP_UNIT_NONE, &r, err, sizeof err));
	ck_assert_msg(strstr(err, "'10:5'") && strstr(err, "start 10 is greater than end 5"), "%s",
	              err);
	ck_assert(!rp_range_parse("abc", RP_UNIT_NONE, &r, err, sizeof err));
	ck_assert_msg(strstr(err, "'abc'") != NULL, "%s", err);
}
END_TEST

START_TEST(test_units_in_range)
{
	struct rp_range r;
	char err[512];
	ck_assert(rp_range_parse("500ms:2s", RP_UNIT_SECONDS, &r, err, sizeof err));
	ck_assert(!rp_range_alerts(&r, 0.5));
	ck_assert(rp_range_alerts(&r, 0.499));
	ck_assert(!rp_range_alerts(&r, 2.0));
	ck_assert(rp_range_alerts(&r, 2.001));
	ck_assert(rp_range_parse("~:10m", RP_UNIT_SECONDS, &r, err, sizeof err));
	ck_assert(!rp_range_alerts(&r, 600));
	ck_assert(rp_range_alerts(&r, 600.5));
	ck_assert(rp_range_parse("1d", RP_UNIT_SECONDS, &r, err, sizeof err));
	ck_assert(rp_range_alerts(&r, 86401));
	ck_assert(rp_range_parse("10%:", RP_UNIT_PERCENT, &r, err, sizeof err));
	ck_assert(rp_range_alerts(&r, 9.9));
	ck_assert(rp_range_parse("1KiB", RP_UNIT_BYTES, &r, err, sizeof err));
	ck_assert(rp_range_alerts(&r, 1025));
	ck_assert(!rp_range_alerts(&r, 1024));
	/* a unit the metric does not have is refused */
	ck_assert(!rp_range_parse("10s", RP_UNIT_NONE, &r, err, sizeof err));
	ck_assert(!rp_range_parse("10MB", RP_UNIT_SECONDS, &r, err, sizeof err));
	ck_assert(!rp_range_parse("2s:1s", RP_UNIT_SECONDS, &r, err, sizeof err));
}
END_TEST

struct format_case {
	const char *in;
	enum rp_unit unit;
	const char *out;
};

static const struct format_case format_cases[] = {
	{ "10", RP_UNIT_NONE, "10" },         { "10:", RP_UNIT_NONE, "10:" },
	{ "~:10", RP_UNIT_NONE, "~:10" },     { "10:20", RP_UNIT_NONE, "10:20" },
	{ "@10:20", RP_UNIT_NONE, "@10:20" }, { "0.5:1.25", RP_UNIT_NONE, "0.5:1.25" },
	{ "10m", RP_UNIT_SECONDS, "600" },    { "500ms:", RP_UNIT_SECONDS, "0.5:" },
	{ "@10", RP_UNIT_NONE, "@0:10" },     { "-3:-1", RP_UNIT_NONE, "-3:-1" },
};

START_TEST(test_format)
{
	const struct format_case *c = &format_cases[_i];
	struct rp_range r, again;
	char err[512], buf[RP_RANGEBUF];
	ck_assert(rp_range_parse(c->in, c->unit, &r, err, sizeof err));
	ck_assert_str_eq(rp_range_format(&r, buf), c->out);
	/* what we print parses back to the same range */
	ck_assert(rp_range_parse(buf, RP_UNIT_NONE, &again, err, sizeof err));
	ck_assert(memcmp(&r, &again, sizeof r) == 0);
}
END_TEST

static Suite *range_suite(void)
{
	Suite *s = suite_create("range");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_alerts, 0, (int)(sizeof alert_cases / sizeof alert_cases[0]));
	tcase_add_loop_test(tc, test_rejected, 0, (int)(sizeof rejected / sizeof rejected[0]));
	tcase_add_test(tc, test_reject_names_text);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_units_in_range);
	tcase_add_loop_test(tc, test_format, 0,
	                    (int)(sizeof format_cases / sizeof format_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(range_suite)
