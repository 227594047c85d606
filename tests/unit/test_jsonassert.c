/* JSON assertions (check_api --json): parsing, every operator, [*], missing
 * paths, and the descriptions used in messages. */
#include "rp_json_assert.h"
#include "rp_json.h"
#include "rp_test.h"

#include <string.h>

static const char *doc_text =
        "{\"status\":\"ok\",\"n\":42,\"f\":1.5,\"t\":true,\"z\":null,\"v\":\"2.4.1\","
        "\"items\":[{\"id\":1},{\"id\":2}],\"mixed\":[{\"id\":1},{}],\"empty\":[],"
        "\"checks\":{\"db:responseTime\":[{\"status\":\"pass\"}]},\"obj\":{\"a\":[1,2]}}";

static struct rp_value *doc(void)
{
	char err[200];
	struct rp_value *d = rp_json_parse_any(doc_text, strlen(doc_text), err, sizeof err);
	ck_assert_msg(d != NULL, "%s", err);
	return d;
}

/* 1 holds, 0 fails, -1 does not parse */
static int outcome(const char *expr)
{
	struct rp_json_assert a;
	char err[300];
	if (!rp_json_assert_parse(expr, &a, err, sizeof err)) {
		ck_assert(err[0] != '\0');
		return -1;
	}
	struct rp_value *d = doc();
	struct rp_json_verdict v;
	rp_json_assert_eval(&a, d, &v);
	int r = v.ok ? 1 : 0;
	if (!v.ok) {
		ck_assert(v.path != NULL);
		ck_assert(v.found != NULL);
	}
	rp_json_assert_verdict_free(&v);
	rp_value_free(d);
	rp_json_assert_free(&a);
	return r;
}

/* Integers beyond 64 bits compare as numbers, not clamped. */
START_TEST(test_big_numbers)
{
	const char *text =
	        "{\"big\": 12345678901234567890, \"huge\": 123456789012345678901234567890, "
	        "\"low\": -92233720368547758090, \"s\": \"12345678901234567890\"}";
	char err[200];
	struct rp_value *d = rp_json_parse_any(text, strlen(text), err, sizeof err);
	ck_assert_msg(d != NULL, "%s", err);
	const char *holds[] = { ".big > 10000000000000000000", ".huge > 1e29", ".low < -1e19",
		                ".s == \"12345678901234567890\"" };
	const char *fails[] = { ".big < 10000000000000000000", ".big == 9223372036854775807" };
	for (size_t i = 0; i < 6; i++) {
		const char *e = i < 4 ? holds[i] : fails[i - 4];
		struct rp_json_assert a;
		ck_assert_msg(rp_json_assert_parse(e, &a, err, sizeof err), "%s: %s", e, err);
		struct rp_json_verdict v;
		rp_json_assert_eval(&a, d, &v);
		ck_assert_msg(v.ok == (i < 4), "%s", e);
		rp_json_assert_verdict_free(&v);
		rp_json_assert_free(&a);
	}
	rp_value_free(d);
}
END_TEST

START_TEST(test_operators)
{
	struct {
		const char *expr;
		int want;
	} cases[] = {
		{ ".status == \"ok\"", 1 },
		{ ".status==\"ok\"", 1 },
		{ "  .status   ==   \"ok\"  ", 1 },
		{ ".status != \"ok\"", 0 },
		{ ".status == \"OK\"", 0 },
		{ ".n == 42", 1 },
		{ ".n == 42.0", 1 },
		{ ".n != 41", 1 },
		{ ".n < 43", 1 },
		{ ".n < 42", 0 },
		{ ".n <= 42", 1 },
		{ ".n > 41.9", 1 },
		{ ".n >= 42", 1 },
		{ ".n >= 43", 0 },
		{ ".f > 1", 1 },
		{ ".f < -1", 0 },
		{ ".t == true", 1 },
		{ ".t == 1", 0 },
		{ ".z == null", 1 },
		{ ".z exists", 1 },
		{ ".nope exists", 0 },
		{ ".nope !exists", 1 },
		{ ".status !exists", 0 },
		{ ".nope == null", 0 }, /* missing is not null */
		{ ".nope != 1", 0 },    /* missing fails every comparison */
		{ ".v ~ \"^2\\\\.4\"", 1 },
		{ ".v ~ ^3", 0 },
		{ ".n ~ ^4", 1 },
		{ ".t ~ ^tr", 1 },
		{ ".obj ~ .", 0 },
		{ ".status > 5", 0 }, /* not comparable */
		{ ".status < \"p\"", 1 },
		{ ".items[*].id exists", 1 },
		{ ".items[*].id > 0", 1 },
		{ ".mixed[*].id exists", 0 },
		{ ".empty[*].id exists", 0 },
		{ ".empty[*].id !exists", 1 },
		{ ".items[1].id == 2", 1 },
		{ ".items[5].id exists", 0 },
		{ ".checks[\"db:responseTime\"][0].status == \"pass\"", 1 },
		{ ".obj == {\"a\":[1,2]}", 1 },
		{ ".obj.a == [1,2]", 1 },
		{ ".obj.a == [2,1]", 0 },
		{ ". exists", 1 },
		/* rejected */
		{ "", -1 },
		{ ".status", -1 },
		{ ".status ==", -1 },
		{ ".status == ok", -1 },
		{ ".status =~ \"x\"", -1 },
		{ ".status exists 1", -1 },
		{ "..status exists", -1 },
		{ ".a ~ (", -1 },
		{ ".a ~ \"unterminated", -1 },
		{ ".a == {", -1 },
		{ ".a == 1 2", -1 },
		{ "== 1", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(outcome(cases[i].expr) == cases[i].want, "'%s': want %d",
		              cases[i].expr, cases[i].want);
}
END_TEST

START_TEST(test_verdict_text)
{
	struct rp_json_assert a;
	char err[300];
	struct rp_value *d = doc();
	struct rp_json_verdict v;
	ck_assert(rp_json_assert_parse(".mixed[*].id exists", &a, err, sizeof err));
	rp_json_assert_eval(&a, d, &v);
	ck_assert(!v.ok);
	ck_assert_str_eq(v.path, ".mixed[1].id");
	ck_assert_str_eq(v.found, "missing");
	ck_assert_uint_eq(v.checked, 2);
	rp_json_assert_verdict_free(&v);
	rp_json_assert_free(&a);
	ck_assert(rp_json_assert_parse(".status > 5", &a, err, sizeof err));
	rp_json_assert_eval(&a, d, &v);
	ck_assert_str_eq(v.found, "\"ok\" (not comparable with a number)");
	rp_json_assert_verdict_free(&v);
	rp_json_assert_free(&a);
	ck_assert(!rp_json_assert_parse(".status == ok", &a, err, sizeof err));
	ck_assert_msg(strstr(err, "a string needs quotes: \"ok\"") != NULL, "%s", err);
	rp_value_free(d);
}
END_TEST

START_TEST(test_describe)
{
	const char *src =
	        "{\"s\":\"a|b\\nc\",\"o\":{\"x\":1,\"y\":2},\"a\":[1],\"f\":0.25,"
	        "\"big\":12345678901234,\"long\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}";
	char err[200];
	struct rp_value *d = rp_json_parse_any(src, strlen(src), err, sizeof err);
	ck_assert(d);
	struct {
		const char *key, *want;
	} cases[] = {
		{ "s", "\"a\\x7cb\\nc\"" },  { "o", "an object with 2 keys" },
		{ "a", "an array of 1" },    { "f", "0.25" },
		{ "big", "12345678901234" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *t = rp_json_assert_describe(
		        rp_value_table_get(d, cases[i].key, strlen(cases[i].key)), 60);
		ck_assert_str_eq(t, cases[i].want);
		free(t);
	}
	char *t = rp_json_assert_describe(rp_value_table_get(d, "long", 4), 20);
	ck_assert(strlen(t) <= 23);
	free(t);
	t = rp_json_assert_describe(NULL, 20);
	ck_assert_str_eq(t, "missing");
	free(t);
	rp_value_free(d);
}
END_TEST

START_TEST(test_parse_any)
{
	char err[200];
	const char *ok[] = { "42", "-1.5", "\"x\"", "true", "null", "[1,2]", " {} ", "[]\n" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct rp_value *v = rp_json_parse_any(ok[i], strlen(ok[i]), err, sizeof err);
		ck_assert_msg(v != NULL, "'%s': %s", ok[i], err);
		rp_value_free(v);
	}
	const char *bad[] = { "", "{", "[1,", "4 2", "nul", "{\"a\":}", "<html>", "\"open" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(rp_json_parse_any(bad[i], strlen(bad[i]), err, sizeof err) == NULL,
		              "'%s' accepted", bad[i]);
		ck_assert(strstr(err, "line 1") != NULL);
	}
	/* configuration files must still be objects */
	ck_assert(rp_json_parse_value("[1]", 3, err, sizeof err) == NULL);
	ck_assert(strstr(err, "not a JSON object") != NULL);
}
END_TEST

static Suite *jsonassert_suite(void)
{
	Suite *s = suite_create("jsonassert");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_operators);
	tcase_add_test(tc, test_big_numbers);
	tcase_add_test(tc, test_verdict_text);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_parse_any);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(jsonassert_suite)
