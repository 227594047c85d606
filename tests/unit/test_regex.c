/* Command-line regexes: accepted as POSIX ERE, refused before regcomp when
 * their compilation would cost seconds and gigabytes. */
#include "rp_regex.h"
#include "rp_test.h"

#include <string.h>
#include <time.h>

START_TEST(test_accepted)
{
	const char *ok[] = { "^ok$",
		             "a{3}",
		             "a{2,5}b+c*d?",
		             "(ab|cd){10}",
		             "[{}+*]+",
		             "x\\{1000\\}",
		             "[[:digit:]]{1,30}",
		             "(a{10})(b{10})",
		             "((a{10}){10}){10}",
		             "a{1,}",
		             "" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		regex_t re;
		char err[200] = "";
		ck_assert_msg(rp_regex_compile(&re, ok[i], REG_NOSUB, err, sizeof err), "'%s': %s",
		              ok[i], err);
		regfree(&re);
	}
}
END_TEST

START_TEST(test_refused_fast)
{
	char plus[300], big[600];
	memset(plus, '+', sizeof plus - 1);
	plus[0] = 'x';
	plus[sizeof plus - 1] = '\0';
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const char *bad[] = { plus,          big,      "a{256}", "((a{100}){100}){20}",
		              "(a{40}){40}", "a**",    "a+?",    "a{2}{3}",
		              "(",           "a{2,1}", "[z-a]" };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		regex_t re;
		char err[200] = "";
		ck_assert_msg(!rp_regex_compile(&re, bad[i], REG_NOSUB, err, sizeof err),
		              "'%.40s' accepted", bad[i]);
		ck_assert(err[0] != '\0');
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* a refusal is cheap: regcomp never saw the costly ones */
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(s < 1.0, "took %f s", s);
}
END_TEST

START_TEST(test_messages)
{
	regex_t re;
	char err[200];
	ck_assert(!rp_regex_compile(&re, "x{300}", REG_NOSUB, err, sizeof err));
	ck_assert_str_eq(err, "a count over 255");
	ck_assert(!rp_regex_compile(&re, "(a{50}){50}", REG_NOSUB, err, sizeof err));
	ck_assert(strstr(err, "over 1000 times") != NULL);
	ck_assert(!rp_regex_compile(&re, "ab++", REG_NOSUB, err, sizeof err));
	ck_assert(strstr(err, "two repetition operators in a row") != NULL);
}
END_TEST

static Suite *regex_suite(void)
{
	Suite *s = suite_create("regex");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_accepted);
	tcase_add_test(tc, test_refused_fast);
	tcase_add_test(tc, test_messages);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(regex_suite)
