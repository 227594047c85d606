/* rp_unitfile: systemd's unit file syntax, and the program an Exec line
 * runs. */
#include "rp_test.h"
#include "rp_unitfile.h"

#include <stdlib.h>
#include <string.h>

static const char *value(const struct rp_unitfile *f, const char *section, const char *key)
{
	const struct rp_unitfile_entry *e = rp_unitfile_get(f, section, key);
	return e ? e->value : NULL;
}

START_TEST(test_parse)
{
	const char *text = "# a comment\n"
	                   "[Unit]\n"
	                   "Description = the API \n"
	                   "\n"
	                   "[Service]\n"
	                   "ExecStart=/usr/bin/python3 \\\n"
	                   "  # a comment inside is skipped\n"
	                   "  -m api\n"
	                   "User=app\n"
	                   "; another comment\n"
	                   "User=api\n"
	                   "Environment=\n"
	                   "stray line\n"
	                   "[Install]\r\n"
	                   "WantedBy=multi-user.target";
	struct rp_unitfile f;
	char err[128];
	ck_assert(rp_unitfile_parse(text, strlen(text), &f, err, sizeof err));
	ck_assert_str_eq(value(&f, "Unit", "Description"), "the API");
	ck_assert_str_eq(value(&f, "Service", "ExecStart"), "/usr/bin/python3  -m api");
	ck_assert_int_eq(rp_unitfile_get(&f, "Service", "ExecStart")->line, 6);
	ck_assert_str_eq(value(&f, "Service", "User"), "api"); /* the later wins */
	ck_assert_int_eq(rp_unitfile_get(&f, "Service", "User")->line, 11);
	ck_assert_str_eq(value(&f, "Service", "Environment"), "");
	ck_assert_str_eq(value(&f, "Install", "WantedBy"), "multi-user.target");
	ck_assert_ptr_null(rp_unitfile_get(&f, "Install", "User"));
	ck_assert_int_eq(f.bad_line, 13);
	rp_unitfile_free(&f);
}
END_TEST

START_TEST(test_refused)
{
	struct rp_unitfile f;
	char err[128];
	ck_assert(!rp_unitfile_parse("User=x\n[Service]\n", 17, &f, err, sizeof err));
	ck_assert_str_eq(err, "line 1: an assignment before any [Section]");
	ck_assert(!rp_unitfile_parse("\n[Service\nA=b\n", 14, &f, err, sizeof err));
	ck_assert_str_eq(err, "line 2: a section header not closed with ]");
	/* a value past the bound */
	size_t n = RP_UNITFILE_VALUE_MAX + 64;
	char *big = malloc(n);
	memcpy(big, "[S]\nK=", 6);
	memset(big + 6, 'a', n - 6);
	ck_assert(!rp_unitfile_parse(big, n, &f, err, sizeof err));
	ck_assert_str_eq(err, "line 2: past the bounds of a unit file");
	free(big);
	ck_assert(!rp_unitfile_parse("[S]\nK=a\n\0=b\n", 12, &f, err, sizeof err));
	ck_assert_str_eq(err, "line 3: a NUL byte: not a text file");
	ck_assert(rp_unitfile_parse("", 0, &f, err, sizeof err));
	ck_assert_uint_eq(f.n, 0);
	rp_unitfile_free(&f);
}
END_TEST

START_TEST(test_exec_program)
{
	bool optional;
	char *p = rp_unitfile_exec_program("/usr/bin/env python3 -m x", &optional);
	ck_assert_str_eq(p, "/usr/bin/env");
	ck_assert(!optional);
	free(p);
	p = rp_unitfile_exec_program("-@/opt/app/bin/api api-name --flag", &optional);
	ck_assert_str_eq(p, "/opt/app/bin/api");
	ck_assert(optional);
	free(p);
	p = rp_unitfile_exec_program("!!\"/opt/my app/run\" x", &optional);
	ck_assert_str_eq(p, "/opt/my app/run");
	ck_assert(!optional);
	free(p);
	p = rp_unitfile_exec_program("  +sleep 5", &optional);
	ck_assert_str_eq(p, "sleep");
	free(p);
	ck_assert_ptr_null(rp_unitfile_exec_program("", &optional));
	ck_assert_ptr_null(rp_unitfile_exec_program("-", &optional));
}
END_TEST

static Suite *unitfile_suite(void)
{
	Suite *s = suite_create("unitfile");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_exec_program);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(unitfile_suite)
