/* The dotenv dialect, line by line. */
#include "rp_dotenv.h"
#include "rp_test.h"
#include "rp_util.h"

#include <string.h>

static struct rp_value *parse(const char *src, struct rp_dotenv_notes *d, char *err)
{
	return rp_dotenv_parse(src, strlen(src), d, err, 256);
}

static const char *get(const struct rp_value *t, const char *key)
{
	const struct rp_value *v = rp_value_table_get(t, key, strlen(key));
	return v ? v->s : NULL;
}

START_TEST(test_dialect)
{
	const char *src = "\xef\xbb\xbf# comment\r\n"
	                  "\r\n"
	                  "PLAIN=value\r\n"
	                  "export EXPORTED=yes\n"
	                  "  SPACED  =  padded value  \n"
	                  "COMMENTED=value # a comment\n"
	                  "HASH=a#b\n"
	                  "EMPTY=\n"
	                  "DQ=\"a \\\"quoted\\\" \\n line \\t tab \\$HOME\"\n"
	                  "SQ='literal $HOME \\n'\n"
	                  "DQ_COMMENT=\"x\" # after\n"
	                  "MULTI=\"line1\nline2\"\n"
	                  "DOTTED.KEY-1=ok\n"
	                  "REF=${OTHER}\n";
	struct rp_dotenv_notes d;
	char err[256];
	struct rp_value *t = parse(src, &d, err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(get(t, "PLAIN"), "value");
	ck_assert_str_eq(get(t, "EXPORTED"), "yes");
	ck_assert_str_eq(get(t, "SPACED"), "padded value");
	ck_assert_str_eq(get(t, "COMMENTED"), "value");
	ck_assert_str_eq(get(t, "HASH"), "a#b");
	ck_assert_str_eq(get(t, "EMPTY"), "");
	ck_assert_str_eq(get(t, "DQ"), "a \"quoted\" \n line \t tab $HOME");
	ck_assert_str_eq(get(t, "SQ"), "literal $HOME \\n");
	ck_assert_str_eq(get(t, "DQ_COMMENT"), "x");
	ck_assert_str_eq(get(t, "MULTI"), "line1\nline2");
	ck_assert_str_eq(get(t, "DOTTED.KEY-1"), "ok");
	ck_assert_str_eq(get(t, "REF"), "${OTHER}");
	ck_assert_int_eq(rp_value_table_get(t, "PLAIN", 5)->line, 3);
	ck_assert_int_eq(rp_value_table_get(t, "MULTI", 5)->line, 12);
	ck_assert_int_eq(rp_value_table_get(t, "DOTTED.KEY-1", 12)->line, 14);
	ck_assert_uint_eq(d.ndups, 0);
	ck_assert_uint_eq(d.nskipped, 0);
	rp_dotenv_notes_free(&d);
	rp_value_free(t);
}
END_TEST

START_TEST(test_duplicates)
{
	struct rp_dotenv_notes d;
	char err[256];
	struct rp_value *t = parse("A=1\nB=2\nA=3\nA=4\nB=5\n", &d, err);
	ck_assert(t != NULL);
	ck_assert_str_eq(get(t, "A"), "4");
	ck_assert_str_eq(get(t, "B"), "5");
	ck_assert_uint_eq(d.ndups, 2);
	ck_assert_str_eq(d.dups[0], "A");
	ck_assert_str_eq(d.dups[1], "B");
	rp_dotenv_notes_free(&d);
	rp_value_free(t);
}
END_TEST

START_TEST(test_errors)
{
	struct rp_dotenv_notes d;
	char err[256];
	/* a line that is not KEY=VALUE is skipped and named, as compose skips
	 * it ("456 = ABC"); the rest of the file is read */
	const struct {
		const char *src, *msg;
	} skipped[] = {
		{ "A=1\nnot a pair\nC=3\n", "line 2, column 5: expected '=' after the key" },
		{ "A=1\n=x\nC=3\n", "line 2, column 1: expected KEY=VALUE" },
		{ "A=1\nB\nC=3\n", "line 2, column 2: expected '=' after the key" },
		{ "A=1\nB=\"x\" y\nC=3\n",
		  "line 2, column 7: unexpected text after the closing quote" },
		{ "A=1\n456 = ABC\nC=3\n", "line 2, column 1: expected KEY=VALUE" },
	};
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
		struct rp_value *t = parse(skipped[i].src, &d, err);
		ck_assert_msg(t != NULL, "%s: %s", skipped[i].src, err);
		ck_assert_str_eq(get(t, "A"), "1");
		ck_assert_str_eq(get(t, "C"), "3");
		ck_assert_uint_eq(d.nskipped, 1);
		ck_assert_msg(strcmp(d.skipped[0], skipped[i].msg) == 0, "%s", d.skipped[0]);
		rp_dotenv_notes_free(&d);
		rp_value_free(t);
	}
	/* only what takes the rest of the file refuses it */
	const struct {
		const char *src, *msg;
	} cases[] = {
		{ "A=\"open\n", "line 1, column 3: a double quote never closed" },
		{ "A='open\n", "line 1, column 3: a single quote never closed" },
		/* where it opened, not the end of the file it ran to */
		{ "A=1\nTOKEN=\"sk_x\nB=2\nC=3\n",
		  "line 2, column 7: a double quote never closed" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_ptr_null(parse(cases[i].src, &d, err));
		ck_assert_msg(strstr(err, cases[i].msg) != NULL, "%s: %s", cases[i].src, err);
	}
	const char nul[] = "A=1\0B=2\n";
	ck_assert_ptr_null(rp_dotenv_parse(nul, sizeof nul - 1, &d, err, sizeof err));
}
END_TEST

/* The dialect of compose, godotenv and python-dotenv: a lone CR ends a
 * line; KEY: value is a pair. */
START_TEST(test_peers_dialect)
{
	struct rp_dotenv_notes d;
	char err[256];
	struct rp_value *t = parse("A=1\rB=2\rC: three\nD:4\n", &d, err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(get(t, "A"), "1");
	ck_assert_str_eq(get(t, "B"), "2");
	ck_assert_str_eq(get(t, "C"), "three");
	ck_assert_int_eq(rp_value_table_get(t, "C", 1)->line, 3);
	/* D:4 (no space) is not YAML's colon: skipped */
	ck_assert_uint_eq(d.nskipped, 1);
	rp_dotenv_notes_free(&d);
	rp_value_free(t);
}
END_TEST

/* A template marks keys optional with a comment: a block that a comment
 * saying "optional" opens and a blank line closes, or a key's own. */
START_TEST(test_optional_keys)
{
	struct rp_dotenv_notes d;
	char err[256];
	struct rp_value *t = parse("APP_KEY=your-key\n\n# Optional: webhooks\nWEBHOOK_URL=\n"
	                           "WEBHOOK_SECRET=\n\nSENTRY_DSN= # optional\nDB_URL=\n"
	                           "# required from here\nREDIS=\n",
	                           &d, err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_uint_eq(d.noptional, 3);
	ck_assert_str_eq(d.optional[0], "WEBHOOK_URL");
	ck_assert_str_eq(d.optional[1], "WEBHOOK_SECRET");
	ck_assert_str_eq(d.optional[2], "SENTRY_DSN");
	rp_dotenv_notes_free(&d);
	rp_value_free(t);
}
END_TEST

static Suite *dotenv_suite(void)
{
	Suite *s = suite_create("dotenv");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_dialect);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_peers_dialect);
	tcase_add_test(tc, test_optional_keys);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(dotenv_suite)
