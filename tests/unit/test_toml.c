/* The TOML reader beyond the conformance suite: where errors point, limits,
 * large tables, and the shapes check_config reads (wrangler.toml). */
#include "rp_test.h"
#include "rp_toml.h"
#include "rp_util.h"

#include <string.h>

static struct rp_value *parse(const char *src, char *err, size_t errlen)
{
	return rp_toml_parse(src, strlen(src), err, errlen);
}

START_TEST(test_wrangler_shape)
{
	const char *src = "name = \"tracker\"\n"
	                  "[vars]\nFIRE22_TOKEN = \"your-fire22-api-token\"\n"
	                  "[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"abc123\"\n"
	                  "[[kv_namespaces]]\nbinding = \"SESSIONS\"\n"
	                  "[env.production.vars]\nJWT_SECRET = 'x'\n";
	char err[256];
	struct rp_value *root = parse(src, err, sizeof err);
	ck_assert_msg(root != NULL, "%s", err);
	struct rp_value *vars = rp_value_table_get(root, "vars", 4);
	ck_assert(vars && vars->type == RP_V_TABLE);
	struct rp_value *tok = rp_value_table_get(vars, "FIRE22_TOKEN", 12);
	ck_assert(tok && tok->type == RP_V_STRING);
	ck_assert_str_eq(tok->s, "your-fire22-api-token");
	ck_assert_int_eq(tok->line, 3);
	struct rp_value *kv = rp_value_table_get(root, "kv_namespaces", 13);
	ck_assert(kv && kv->type == RP_V_ARRAY && kv->n == 2);
	ck_assert_ptr_null(rp_value_table_get(kv->items[1], "id", 2));
	struct rp_value *env = rp_value_table_get(root, "env", 3);
	struct rp_value *prod = rp_value_table_get(env, "production", 10);
	ck_assert_ptr_nonnull(
	        rp_value_table_get(rp_value_table_get(prod, "vars", 4), "JWT_SECRET", 10));
	rp_value_free(root);
}
END_TEST

START_TEST(test_errors_point_at_line_and_column)
{
	char err[256];
	ck_assert_ptr_null(parse("a = 1\nb = \"open\n", err, sizeof err));
	ck_assert_msg(strncmp(err, "line 2, column ", 15) == 0, "%s", err);
	ck_assert(strstr(err, "unterminated string") != NULL);
	/* an unclosed multi-line string: where it opened, not the file's end */
	ck_assert_ptr_null(parse("a = 1\nkey = '''open\nb = 2\nc = 3\n", err, sizeof err));
	ck_assert_str_eq(err, "line 2, column 7: a multi-line string never closed");
	ck_assert_ptr_null(parse("a = 1\n\n  b = 01\n", err, sizeof err));
	/* the key and the place, never the value (it may be a secret) */
	ck_assert_msg(strcmp(err, "line 3, column 7: the value of b is not valid TOML (a number, "
	                          "true, false, a date or a quoted string)") == 0,
	              "%s", err);
	ck_assert_ptr_null(parse("TOKEN = sk_live_abcdef123456\n", err, sizeof err));
	ck_assert_msg(strstr(err, "the value of TOKEN") && !strstr(err, "sk_live"), "%s", err);
	ck_assert_ptr_null(parse("[t]\nx=1\n[t]\n", err, sizeof err));
	ck_assert_msg(strstr(err, "line 3") && strstr(err, "defined twice"), "%s", err);
	ck_assert_ptr_null(parse("a = 1\na = 2\n", err, sizeof err));
	ck_assert_msg(strstr(err, "line 2, column 1: key 'a' is defined twice"), "%s", err);
	ck_assert_ptr_null(parse("a = \xff\n", err, sizeof err));
	ck_assert_msg(strstr(err, "invalid UTF-8"), "%s", err);
	ck_assert_ptr_null(parse("a = 1 b = 2\n", err, sizeof err));
	ck_assert_msg(strstr(err, "expected the end of the line"), "%s", err);
}
END_TEST

START_TEST(test_limits)
{
	/* nesting deeper than the limit is refused, not a stack overflow */
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, "a = ");
	for (int i = 0; i < 100000; i++)
		rp_buf_putc(&b, '[');
	char err[256];
	ck_assert_ptr_null(rp_toml_parse(b.data, b.len, err, sizeof err));
	ck_assert_msg(strstr(err, "nested deeper"), "%s", err);
	rp_buf_free(&b);
	/* integers at the edges of 64 bits */
	struct rp_value *r =
	        parse("a = 9223372036854775807\nb = -9223372036854775808\n", err, sizeof err);
	ck_assert(r != NULL);
	ck_assert(rp_value_table_get(r, "b", 1)->i == (-9223372036854775807LL - 1));
	rp_value_free(r);
	ck_assert_ptr_null(parse("a = 9223372036854775808\n", err, sizeof err));
	ck_assert_ptr_null(parse("a = 0x8000000000000000\n", err, sizeof err));
}
END_TEST

START_TEST(test_large_table)
{
	struct rp_buf b;
	rp_buf_init(&b);
	for (int i = 0; i < 20000; i++)
		rp_buf_printf(&b, "key_%d = \"value %d\"\n", i, i);
	char err[256];
	struct rp_value *r = rp_toml_parse(b.data, b.len, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_uint_eq(r->n, 20000);
	ck_assert_str_eq(rp_value_table_get(r, "key_12345", 9)->s, "value 12345");
	ck_assert_ptr_null(rp_value_table_get(r, "key_20000", 9));
	rp_value_free(r);
	/* a duplicate deep in a large table is still found */
	rp_buf_puts(&b, "key_777 = 1\n");
	ck_assert_ptr_null(rp_toml_parse(b.data, b.len, err, sizeof err));
	ck_assert_msg(strstr(err, "line 20001") && strstr(err, "key_777"), "%s", err);
	rp_buf_free(&b);
}
END_TEST

START_TEST(test_bom_crlf_and_nul)
{
	char err[256];
	struct rp_value *r = parse("\xef\xbb\xbf"
	                           "a = \"\"\"\r\nline1\r\nline2\"\"\"\r\nb = \"x\\u0000y\"\r\n",
	                           err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_str_eq(rp_value_table_get(r, "a", 1)->s, "line1\nline2");
	struct rp_value *bv = rp_value_table_get(r, "b", 1);
	ck_assert_uint_eq(bv->len, 3);
	ck_assert(memcmp(bv->s, "x\0y", 3) == 0);
	rp_value_free(r);
	ck_assert_ptr_null(parse("a = 1\rb = 2\n", err, sizeof err));
}
END_TEST

/* Every reader of the tree recurses: no value lies deeper than 256 below
 * the root, however it got there. 400,000 dotted parts crashed
 * check_config (the fuzzer found a 1,000-deep one). */
static char *nested(const char *head, const char *open, int n, const char *mid, const char *close)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, head);
	for (int i = 0; i < n; i++)
		rp_buf_puts(&b, open);
	rp_buf_puts(&b, mid);
	for (int i = 0; i < n; i++)
		rp_buf_puts(&b, close);
	rp_buf_puts(&b, "\n");
	return rp_buf_steal(&b);
}

START_TEST(test_depth_bounded)
{
	char err[256];
	struct {
		const char *head, *open;
		int n;
		const char *mid, *close;
		bool ok;
	} cases[] = {
		{ "a", ".a", 255, " = 1", "", true },     /* a value 256 deep */
		{ "a", ".a", 256, " = 1", "", false },    /* 257 */
		{ "a", ".a", 400000, " = 1", "", false }, /* the crash */
		{ "[a", ".a", 254, "]\nx = 1", "", true },
		{ "[a", ".a", 255, "]\nx = 1", "", false },
		{ "[[a", ".a", 254, "]]\nx = 1", "", false }, /* the element is one deeper */
		{ "x = ", "[", 255, "", "]", true },
		{ "x = ", "[", 256, "", "]", false },
		{ "[t]\nx = ", "[", 255, "", "]", false },
		{ "x = ", "{a.b = ", 127, "1", "}", true },  /* 255 */
		{ "x = ", "{a.b = ", 128, "1", "}", false }, /* 257 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *src = nested(cases[i].head, cases[i].open, cases[i].n, cases[i].mid,
		                   cases[i].close);
		struct rp_value *v = rp_toml_parse(src, strlen(src), err, sizeof err);
		if (cases[i].ok) {
			ck_assert_msg(v != NULL, "case %zu: %s", i, err);
		} else {
			ck_assert_msg(v == NULL, "case %zu accepted", i);
			ck_assert_msg(strstr(err, "nested deeper than 256") != NULL, "case %zu: %s",
			              i, err);
		}
		rp_value_free(v);
		free(src);
	}
}
END_TEST

static Suite *toml_suite(void)
{
	Suite *s = suite_create("toml");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_wrangler_shape);
	tcase_add_test(tc, test_errors_point_at_line_and_column);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_depth_bounded);
	tcase_add_test(tc, test_large_table);
	tcase_add_test(tc, test_bom_crlf_and_nul);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(toml_suite)
