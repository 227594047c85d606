/* YAML as compose files write it (anchors, merge keys, nulls, errors with
 * their place, hostile nesting and aliases) and compose's interpolation. */
#include "rp_compose.h"
#include "rp_test.h"
#include "rp_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rp_value *yaml(const char *text, char *err)
{
	return rp_yaml_parse(text, strlen(text), err, 256);
}

static const char *str(const struct rp_value *t, const char *key)
{
	const struct rp_value *v = rp_value_table_get(t, key, strlen(key));
	return v && v->type == RP_V_STRING ? v->s : v ? "(not a string)" : "(absent)";
}

START_TEST(test_yaml_anchors_and_merges)
{
	char err[256];
	struct rp_value *v = yaml("base: &b {a: 1, b: two}\n"
	                          "more: &m {c: '3', a: other}\n"
	                          "one:\n  <<: *b\n  b: mine\n"
	                          "two:\n  x: ~\n  <<: [*m, *b]\n"
	                          "list: &l [yes, 'no', \"\", null]\n"
	                          "again: *l\n",
	                          err);
	ck_assert_msg(v != NULL, "%s", err);
	const struct rp_value *one = rp_value_table_get(v, "one", 3);
	ck_assert_str_eq(str(one, "a"), "1");
	ck_assert_str_eq(str(one, "b"), "mine"); /* explicit wins, whatever the order */
	const struct rp_value *two = rp_value_table_get(v, "two", 3);
	ck_assert_str_eq(str(two, "a"), "other"); /* the first merged mapping wins */
	ck_assert_str_eq(str(two, "c"), "3");
	ck_assert_str_eq(str(two, "b"), "two");
	ck_assert_int_eq(rp_value_table_get(two, "x", 1)->type, RP_V_NULL);
	const struct rp_value *again = rp_value_table_get(v, "again", 5);
	ck_assert_uint_eq(again->n, 4);
	ck_assert_str_eq(again->items[0]->s, "yes"); /* as written: no YAML 1.1 booleans */
	ck_assert_int_eq(again->items[2]->type, RP_V_STRING);
	ck_assert_int_eq(again->items[3]->type, RP_V_NULL);
	ck_assert_ptr_null(rp_value_table_get(v, "<<", 2));
	rp_value_free(v);
	/* "<<" quoted is a key like any other */
	v = yaml("m: {'<<': x}\n", err);
	ck_assert_str_eq(str(rp_value_table_get(v, "m", 1), "<<"), "x");
	rp_value_free(v);
	v = yaml("", err);
	ck_assert_int_eq(v->type, RP_V_NULL);
	rp_value_free(v);
}
END_TEST

START_TEST(test_yaml_refused)
{
	struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ "a: 1\na: 2\n", "line 2, column 1: the key 'a' is given twice" },
		{ "a: *nope\n", "alias *nope before its anchor" },
		{ "a: &x [1, *x]\n", "alias *x before its anchor (or inside it)" },
		{ "a: [1, 2\n", "line 2" },
		{ "? [a]\n: 1\n", "a mapping key that is not a plain value" },
		{ "a: {<<: 1}\n", "a merge key (<<) takes a mapping" },
		{ "a: \"\\x\"\n", "line 1" },
	};
	char err[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rp_value *v = yaml(cases[i].text, err);
		ck_assert_msg(v == NULL, "%s parsed", cases[i].text);
		ck_assert_msg(strstr(err, cases[i].why), "%s: %s", cases[i].text, err);
	}
	/* nesting past the bound, and an alias bomb, refused */
	char deep[400];
	size_t n = 0;
	for (int i = 0; i < RP_YAML_DEPTH_MAX + 5; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	ck_assert_ptr_null(yaml(deep, err));
	ck_assert_msg(strstr(err, "nested deeper than 64 levels"), "%s", err);
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	                   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	                   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	                   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	                   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
	ck_assert_ptr_null(yaml(bomb, err));
	ck_assert_msg(strstr(err, "nodes (aliases expanded): refused"), "%s", err);
}
END_TEST

struct interp_case {
	const char *in;
	const char *out; /* NULL: refused, err holds why */
	const char *why;
};

static const struct interp_case interp_cases[] = {
	{ "plain", "plain", NULL },
	{ "${SET}", "value", NULL },
	{ "$SET/x", "value/x", NULL },
	{ "a${UNSET}b", "ab", NULL },
	{ "${UNSET:-dflt}", "dflt", NULL },
	{ "${EMPTY:-dflt}", "dflt", NULL },
	{ "${EMPTY-dflt}", "", NULL },
	{ "${UNSET-dflt}", "dflt", NULL },
	{ "${SET:-dflt}", "value", NULL },
	{ "${SET:+alt}", "alt", NULL },
	{ "${EMPTY:+alt}", "", NULL },
	{ "${EMPTY+alt}", "alt", NULL },
	{ "${UNSET:-${SET}}", "value", NULL },
	{ "${UNSET:-${ALSO:-x${SET}y}}", "xvaluey", NULL },
	{ "$$SET costs $$5", "$SET costs $5", NULL },
	{ "5$ and $-x", "5$ and $-x", NULL },
	{ "${SET:?need it}", "value", NULL },
	{ "${UNSET:?need it}", NULL, "required variable UNSET is missing a value: need it" },
	{ "${EMPTY:?}", NULL, "required variable EMPTY is missing a value" },
	{ "${EMPTY?}", "", NULL },
	{ "${UNSET", NULL, "unclosed ${" },
	{ "${1X}", NULL, "invalid interpolation format" },
	{ "${SET:x}", NULL, "invalid interpolation format for SET" },
};

START_TEST(test_interpolate)
{
	const struct interp_case *c = &interp_cases[_i];
	struct rp_value *env = rp_value_new(RP_V_TABLE);
	rp_value_table_add(env, "SET", 3, rp_value_new_string("value", 5));
	rp_value_table_add(env, "EMPTY", 5, rp_value_new_string("", 0));
	char err[256] = "";
	char *out = rp_compose_interpolate(c->in, strlen(c->in), env, err, sizeof err);
	if (c->out) {
		ck_assert_msg(out != NULL, "%s: %s", c->in, err);
		ck_assert_str_eq(out, c->out);
	} else {
		ck_assert_msg(out == NULL, "%s gave %s", c->in, out);
		ck_assert_msg(strstr(err, c->why), "%s: %s", c->in, err);
	}
	free(out);
	rp_value_free(env);
}
END_TEST

static Suite *compose_suite(void)
{
	Suite *s = suite_create("compose");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_yaml_anchors_and_merges);
	tcase_add_test(tc, test_yaml_refused);
	tcase_add_loop_test(tc, test_interpolate, 0,
	                    (int)(sizeof interp_cases / sizeof interp_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(compose_suite)
