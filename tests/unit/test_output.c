/* Reading plugin output back: ours and other plugins' styles. */
#include "rp_plugin_output.h"
#include "rp_test.h"

#include <string.h>

static void parse(const char *text, struct rp_plugin_output *o)
{
	rp_plugin_output_parse(text, strlen(text), o);
}

START_TEST(test_ours)
{
	struct rp_plugin_output o;
	parse("SQLITE CRITICAL - 2 tables missing | 'tables'=1 'missing'=2\n"
	      "[CRITICAL] table a: missing\n[CRITICAL] table b: missing\n",
	      &o);
	ck_assert(o.has_state);
	ck_assert_int_eq(o.state, RP_CRITICAL);
	ck_assert_str_eq(o.label, "SQLITE");
	ck_assert_str_eq(o.summary, "2 tables missing");
	ck_assert_str_eq(o.first_line, "SQLITE CRITICAL - 2 tables missing");
	ck_assert(o.perf_valid);
	ck_assert_uint_eq(o.perf.n, 2);
	ck_assert_str_eq(o.perf.items[1].label, "missing");
	ck_assert_str_eq(o.long_output, "[CRITICAL] table a: missing\n[CRITICAL] table b: missing");
	ck_assert_uint_eq(o.nlines, 3);
	rp_plugin_output_free(&o);
}
END_TEST

START_TEST(test_other_styles)
{
	struct rp_plugin_output o;
	parse("HTTP OK: HTTP/1.1 200 OK - 612 bytes in 0.001 second response time |"
	      "time=0.000741s;;;0.000000;10.000000 size=612B;;;0",
	      &o);
	ck_assert(o.has_state && o.state == RP_OK);
	ck_assert_str_eq(o.label, "HTTP");
	ck_assert(strncmp(o.summary, "HTTP/1.1 200 OK", 15) == 0);
	ck_assert(o.perf_valid);
	ck_assert_uint_eq(o.perf.n, 2);
	rp_plugin_output_free(&o);

	parse("OK - load average: 0.1", &o);
	ck_assert(o.has_state && o.state == RP_OK);
	ck_assert_str_eq(o.label, "");
	ck_assert_str_eq(o.summary, "load average: 0.1");
	rp_plugin_output_free(&o);

	parse("something went wrong", &o);
	ck_assert(!o.has_state);
	ck_assert_str_eq(o.summary, "something went wrong");
	rp_plugin_output_free(&o);

	parse("", &o);
	ck_assert(!o.has_state);
	ck_assert_uint_eq(o.nlines, 0);
	rp_plugin_output_free(&o);
}
END_TEST

START_TEST(test_long_output_perfdata)
{
	struct rp_plugin_output o;
	parse("DISK OK - free space | /=2643MB;5948;5958;0;5968\n"
	      "/ 15272 MB (77%);\n/boot 68 MB (69%);\n| "
	      "/boot=68MB;88;93;0;98\n/home=69357MB;253404\n",
	      &o);
	ck_assert(o.perf_valid);
	ck_assert_uint_eq(o.perf.n, 3);
	ck_assert_str_eq(o.perf.items[2].label, "/home");
	ck_assert_str_eq(o.long_output, "/ 15272 MB (77%);\n/boot 68 MB (69%);");
	rp_plugin_output_free(&o);

	parse("X WARNING - bad perf | a=1 b=zz", &o);
	ck_assert(!o.perf_valid);
	ck_assert_uint_eq(o.perf.n, 1);
	ck_assert(strstr(o.perf_error, "'b'") != NULL);
	rp_plugin_output_free(&o);
}
END_TEST

static Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_ours);
	tcase_add_test(tc, test_other_styles);
	tcase_add_test(tc, test_long_output_perfdata);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(output_suite)
