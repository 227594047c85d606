/* Sanitising untrusted text and JSON strings. */
#include "rp_test.h"
#include "rp_text.h"

#include <string.h>

static char *san(const char *s, size_t max)
{
	return rp_text_sanitize(s, strlen(s), max);
}

START_TEST(test_pipe_and_newline_cannot_escape)
{
	char *s = san("ok | 'forged'=1;2;3\nSQLITE OK - forged", 200);
	ck_assert(strchr(s, '|') == NULL);
	ck_assert(strchr(s, '\n') == NULL);
	ck_assert_str_eq(s, "ok \\x7c 'forged'=1;2;3\\nSQLITE OK - forged");
	free(s);
}
END_TEST

START_TEST(test_control_bytes)
{
	char *s = san("a\x1b[31mred\r\x7f\tb", 200);
	ck_assert_str_eq(s, "a\\x1b[31mred\\x0d\\x7f\\tb");
	free(s);
	const char with_nul[] = { 'a', '\0', 'b' };
	s = rp_text_sanitize(with_nul, 3, 200);
	ck_assert_str_eq(s, "a\\x00b");
	free(s);
}
END_TEST

START_TEST(test_utf8)
{
	char *s = san("größe ✓", 200);
	ck_assert_str_eq(s, "größe ✓");
	free(s);
	s = san("bad \xff\xfe end \xc3", 200);
	ck_assert_str_eq(s, "bad \\xff\\xfe end \\xc3");
	free(s);
	s = san("\xed\xa0\x80 surrogate \xc0\xaf overlong", 200);
	ck_assert_str_eq(s, "\\xed\\xa0\\x80 surrogate \\xc0\\xaf overlong");
	free(s);
}
END_TEST

START_TEST(test_bounded)
{
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *s = san(big, 100);
	ck_assert_uint_le(strlen(s), 103);
	ck_assert(strcmp(s + strlen(s) - 3, "...") == 0);
	free(s);
	/* never cut inside a multi-byte character */
	s = san("ééééé", 5);
	ck_assert_str_eq(s, "éé...");
	free(s);
	s = san("||||", 9);
	ck_assert_str_eq(s, "\\x7c\\x7c...");
	free(s);
}
END_TEST

START_TEST(test_json_string)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_text_json_string(&b, "q\"b\\n\n\x01\xff é");
	ck_assert_str_eq(b.data, "\"q\\\"b\\\\n\\n\\u0001\\ufffd é\"");
	rp_buf_reset(&b);
	rp_text_json_number(&b, 1.0 / 0.0);
	ck_assert_str_eq(b.data, "null");
	rp_buf_reset(&b);
	rp_text_json_number(&b, 0.5);
	ck_assert_str_eq(b.data, "0.5");
	rp_buf_free(&b);
}
END_TEST

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_pipe_and_newline_cannot_escape);
	tcase_add_test(tc, test_control_bytes);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_json_string);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(text_suite)
