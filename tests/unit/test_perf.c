/* Perfdata: quoting, labels made safe, units, U, locale, and parsing back. */
#include "rp_perf.h"
#include "rp_test.h"

#include <locale.h>
#include <math.h>
#include <string.h>

static char *format_one(const char *label, double v, const char *uom, const char *w, const char *c,
                        double min, double max)
{
	struct rp_perf p;
	struct rp_buf b;
	memset(&p, 0, sizeof p);
	p.label = (char *)label;
	p.value = v;
	p.unknown = isnan(v);
	strcpy(p.uom, uom);
	p.warn = (char *)w;
	p.crit = (char *)c;
	p.has_min = !isnan(min);
	p.min = min;
	p.has_max = !isnan(max);
	p.max = max;
	rp_buf_init(&b);
	rp_perf_format(&p, &b);
	return rp_buf_steal(&b);
}

START_TEST(test_format)
{
	char *s = format_one("time", 0.012, "s", "1", "5", 0, NAN);
	ck_assert_str_eq(s, "'time'=0.012s;1;5;0");
	free(s);
	/* no quote, '=', '|' or invalid UTF-8 in a label we write */
	s = format_one("it's", 3, "", NULL, NULL, NAN, NAN);
	ck_assert_str_eq(s, "'it_s'=3");
	free(s);
	s = format_one("a|b=c\xff\n", 1, "", NULL, NULL, NAN, NAN);
	ck_assert_str_eq(s, "'a_b_c__'=1");
	free(s);
	s = format_one("t\xc3\xa4"
	               "ble",
	               1, "", NULL, NULL, NAN, NAN);
	ck_assert_str_eq(s, "'t\xc3\xa4"
	                    "ble'=1");
	free(s);
	s = format_one("rows in table", 12030, "", NULL, "100:", NAN, NAN);
	ck_assert_str_eq(s, "'rows in table'=12030;;100:");
	free(s);
	s = format_one("a=b", NAN, "s", "1", NULL, NAN, NAN);
	ck_assert_str_eq(s, "'a_b'=U;1");
	free(s);
	s = format_one("pct", 99.5, "%", NULL, NULL, 0, 100);
	ck_assert_str_eq(s, "'pct'=99.5%;;;0;100");
	free(s);
	s = format_one("big", 1e15, "B", NULL, NULL, NAN, NAN);
	ck_assert_str_eq(s, "'big'=1000000000000000B");
	free(s);
}
END_TEST

START_TEST(test_format_german_locale)
{
	ck_assert_msg(setlocale(LC_ALL, "de_DE.UTF-8") != NULL,
	              "locale de_DE.UTF-8 is missing: run tools/bootstrap");
	char *s = format_one("time", 0.25, "s", "0.5", "1.5", NAN, NAN);
	ck_assert_str_eq(s, "'time'=0.25s;0.5;1.5");
	free(s);
	setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(test_parse)
{
	struct rp_perf_list l;
	char err[256];
	const char *text =
	        "'time'=0.012s;1;5;0; 'it''s'=3 rows=12030;;100: 'x y'=U 'e'=1.5e-05 c=5c";
	rp_perf_list_init(&l);
	ck_assert_msg(rp_perf_parse(text, strlen(text), &l, err, sizeof err), "%s", err);
	ck_assert_uint_eq(l.n, 6);
	ck_assert_str_eq(l.items[0].label, "time");
	ck_assert(l.items[0].value == 0.012);
	ck_assert_str_eq(l.items[0].uom, "s");
	ck_assert_str_eq(l.items[0].warn, "1");
	ck_assert_str_eq(l.items[0].crit, "5");
	ck_assert(l.items[0].has_min && l.items[0].min == 0);
	ck_assert(!l.items[0].has_max);
	ck_assert_str_eq(l.items[1].label, "it's");
	ck_assert_str_eq(l.items[2].label, "rows");
	ck_assert_ptr_null(l.items[2].warn);
	ck_assert_str_eq(l.items[2].crit, "100:");
	ck_assert_str_eq(l.items[3].label, "x y");
	ck_assert(l.items[3].unknown);
	ck_assert(l.items[4].value == 1.5e-05);
	ck_assert_str_eq(l.items[5].uom, "c");
	rp_perf_list_free(&l);
}
END_TEST

static const char *const bad_perf[] = {
	"'unterminated=1", "=1", "label", "a=", "a=x", "a=1;2;3;x", "a=1zzzzzzzzzz", "'a'b=1",
};

START_TEST(test_parse_bad)
{
	struct rp_perf_list l;
	char err[256] = "";
	rp_perf_list_init(&l);
	ck_assert_msg(!rp_perf_parse(bad_perf[_i], strlen(bad_perf[_i]), &l, err, sizeof err),
	              "'%s' should not parse", bad_perf[_i]);
	ck_assert(err[0] != '\0');
	rp_perf_list_free(&l);
}
END_TEST

START_TEST(test_roundtrip)
{
	struct rp_perf_list l, back;
	struct rp_buf b;
	char err[256];
	const char *labels[] = { "time", "it_s", "with space", "rows.events", "__", "ünïcode" };
	rp_perf_list_init(&l);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		struct rp_perf p;
		memset(&p, 0, sizeof p);
		p.label = (char *)labels[i];
		p.value = (double)i * 1.25 - 2;
		strcpy(p.uom, i % 2 ? "s" : "B");
		p.warn = (char *)"~:10";
		p.has_max = true;
		p.max = 100;
		rp_perf_list_add(&l, &p);
	}
	rp_buf_init(&b);
	rp_perf_list_format(&l, &b);
	rp_perf_list_init(&back);
	ck_assert_msg(rp_perf_parse(b.data, b.len, &back, err, sizeof err), "%s: %s", b.data, err);
	ck_assert_uint_eq(back.n, l.n);
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_str_eq(back.items[i].label, l.items[i].label);
		ck_assert(back.items[i].value == l.items[i].value);
		ck_assert_str_eq(back.items[i].uom, l.items[i].uom);
		ck_assert_str_eq(back.items[i].warn, "~:10");
		ck_assert(back.items[i].has_max && back.items[i].max == 100);
	}
	rp_buf_free(&b);
	rp_perf_list_free(&l);
	rp_perf_list_free(&back);
}
END_TEST

static Suite *perf_suite(void)
{
	Suite *s = suite_create("perf");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_german_locale);
	tcase_add_test(tc, test_parse);
	tcase_add_loop_test(tc, test_parse_bad, 0, (int)(sizeof bad_perf / sizeof bad_perf[0]));
	tcase_add_test(tc, test_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(perf_suite)
