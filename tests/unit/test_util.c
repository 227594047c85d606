/* Buffers, strict number parsing, locale-independent number formatting. */
#include "rp_test.h"
#include "rp_text.h"
#include "rp_util.h"

#include <locale.h>
#include <string.h>

START_TEST(test_buf)
{
	struct rp_buf b;
	rp_buf_init(&b);
	for (int i = 0; i < 1000; i++)
		rp_buf_printf(&b, "%d,", i);
	ck_assert_uint_eq(strlen(b.data), b.len);
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	rp_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	rp_buf_puts(&b, "x");
	char *s = rp_buf_steal(&b);
	ck_assert_str_eq(s, "x");
	ck_assert_ptr_null(b.data);
	free(s);
	s = rp_buf_steal(&b); /* an empty buffer gives "" */
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_parse_number)
{
	double v;
	ck_assert(rp_number_parse("12.5", 4, &v) && v == 12.5);
	ck_assert(rp_number_parse("-0.25", 5, &v) && v == -0.25);
	ck_assert(rp_number_parse("+3", 2, &v) && v == 3);
	ck_assert(rp_number_parse(".5", 2, &v) && v == 0.5);
	ck_assert(rp_number_parse("5.", 2, &v) && v == 5);
	ck_assert(!rp_number_parse("1e3", 3, &v));
	ck_assert(!rp_number_parse("inf", 3, &v));
	ck_assert(!rp_number_parse("nan", 3, &v));
	ck_assert(!rp_number_parse("", 0, &v));
	ck_assert(!rp_number_parse("1,5", 3, &v));
	ck_assert(!rp_number_parse(" 1", 2, &v));
	ck_assert(rp_number_parse_lenient("1.5e-05", 7, &v) && v == 1.5e-05);
	ck_assert(!rp_number_parse_lenient("1e400", 5, &v));
	ck_assert(!rp_number_parse_lenient("1e", 2, &v));
	/* 400 digits overflow a double */
	char big[402];
	memset(big, '9', 400);
	big[400] = '\0';
	ck_assert(!rp_number_parse(big, 400, &v));
	long long ll;
	ck_assert(rp_number_parse_ll("123", &ll) && ll == 123);
	ck_assert(!rp_number_parse_ll("-1", &ll));
	ck_assert(!rp_number_parse_ll("99999999999999999999", &ll));
}
END_TEST

START_TEST(test_format_number)
{
	char buf[RP_NUMBUF];
	ck_assert_str_eq(rp_number_format(12030, buf), "12030");
	ck_assert_str_eq(rp_number_format(0.0123, buf), "0.0123");
	ck_assert_str_eq(rp_number_format(-1.5, buf), "-1.5");
	ck_assert_str_eq(rp_number_format(1e20, buf), "100000000000000000000");
	/* small values keep their digits (they decide states) */
	ck_assert_str_eq(rp_number_format(1e-9, buf), "0.000000001");
	ck_assert_str_eq(rp_number_format(-1e-9, buf), "-0.000000001");
	ck_assert_str_eq(rp_number_format(0.00000015, buf), "0.00000015");
	ck_assert_str_eq(rp_number_format(0.0000123456, buf), "0.0000123456");
	ck_assert(strchr(rp_number_format(1e-300, buf), 'e') == NULL);
	ck_assert_str_eq(rp_number_format(0.1 + 0.2, buf), "0.3");
	ck_assert_str_eq(rp_number_format(1.0 / 0.0, buf), "U");
	ck_assert(strchr(rp_number_format(1e300, buf), 'e') == NULL);
}
END_TEST

/* Needs the de_DE.UTF-8 locale, which tools/bootstrap generates. */
START_TEST(test_format_number_german_locale)
{
	char buf[RP_NUMBUF];
	ck_assert_msg(setlocale(LC_ALL, "de_DE.UTF-8") != NULL,
	              "locale de_DE.UTF-8 is missing: run tools/bootstrap");
	ck_assert_str_eq(localeconv()->decimal_point, ",");
	ck_assert_str_eq(rp_number_format(0.25, buf), "0.25");
	double v;
	ck_assert(rp_number_parse("1.5", 3, &v) && v == 1.5);
	setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(test_strings)
{
	ck_assert(rp_text_caseeq("Critical", "CRITICAL"));
	ck_assert(!rp_text_caseeq("crit", "critical"));
	ck_assert(rp_text_has_prefix("check_sqlite", "check_"));
	char *s = rp_xasprintf("%s-%d", "a", 7);
	ck_assert_str_eq(s, "a-7");
	free(s);
	s = rp_xstrndup("abcdef", 3);
	ck_assert_str_eq(s, "abc");
	free(s);
}
END_TEST

START_TEST(test_bounded_ports_hex_strv)
{
	long long v;
	ck_assert(rp_number_parse_bounded("50", 1, 50, &v) && v == 50);
	ck_assert(!rp_number_parse_bounded("51", 1, 50, &v));
	ck_assert(!rp_number_parse_bounded("0", 1, 50, &v));
	ck_assert(!rp_number_parse_bounded("-1", 0, 50, &v));
	ck_assert(!rp_number_parse_bounded("1x", 0, 50, &v));
	ck_assert(!rp_number_parse_bounded("", 0, 50, &v));
	int port;
	ck_assert(rp_number_parse_port("65535", 5, &port) && port == 65535);
	ck_assert(rp_number_parse_port("80/x", 2, &port) && port == 80);
	ck_assert(!rp_number_parse_port("0", 1, &port));
	ck_assert(!rp_number_parse_port("65536", 5, &port));
	ck_assert(!rp_number_parse_port("", 0, &port));
	ck_assert(!rp_number_parse_port("123456789", 9, &port));
	ck_assert_int_eq(rp_number_hex_digit('0'), 0);
	ck_assert_int_eq(rp_number_hex_digit('f'), 15);
	ck_assert_int_eq(rp_number_hex_digit('F'), 15);
	ck_assert_int_eq(rp_number_hex_digit('g'), -1);
	ck_assert_int_eq(rp_number_hex_digit(-3), -1);
	char **list = NULL;
	size_t n = 0;
	rp_strv_push(&list, &n, "one");
	rp_strv_pushn(&list, &n, "twofold", 3);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0], "one");
	ck_assert_str_eq(list[1], "two");
	rp_strv_free(list, n);
}
END_TEST

/* A secret buffer grows by copy and erase and frees erased: its text is
 * intact while it grows. */
START_TEST(test_secret_buffer)
{
	struct rp_buf b;
	rp_buf_init_secret(&b);
	for (int i = 0; i < 1000; i++)
		rp_buf_puts(&b, "secret");
	ck_assert_uint_eq(b.len, 6000);
	ck_assert(strncmp(b.data + 5994, "secret", 6) == 0);
	rp_buf_free(&b);
	ck_assert(!b.secret && b.data == NULL);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_parse_number);
	tcase_add_test(tc, test_format_number);
	tcase_add_test(tc, test_format_number_german_locale);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_bounded_ports_hex_strv);
	tcase_add_test(tc, test_secret_buffer);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(util_suite)
