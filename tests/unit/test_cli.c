/* The shared command line, end to end through cli_prog: exit codes, usage
 * errors, --help, thresholds with units, JSON, and the timeout backstop. */
#include "rp_plugin_output.h"
#include "rp_spawn.h"
#include "rp_test.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char prog[4096];

static void find_prog(void)
{
	const char *top = getenv("RP_TOP_BUILDDIR");
	snprintf(prog, sizeof prog, "%s/tests/unit/cli_prog", top ? top : ".");
}

/* Runs cli_prog with the given arguments (NULL-terminated). */
static struct rp_spawn_result run(const char *first, ...)
{
	char *argv[32];
	int n = 0;
	va_list ap;
	argv[n++] = prog;
	va_start(ap, first);
	for (const char *a = first; a && n < 31; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	struct rp_spawn_opts o = { .timeout = 15, .cap = 65536 };
	struct rp_spawn_result r;
	ck_assert(rp_spawn(argv, &o, &r));
	ck_assert_msg(r.outcome == RP_SPAWN_EXITED, "cli_prog did not exit normally (%d)",
	              (int)r.outcome);
	return r;
}

START_TEST(test_ok_and_thresholds)
{
	struct rp_spawn_result r = run("--value", "0.5", "-w", "1", "-c", "2", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_str_eq(r.out, "CLIPROG OK - value 0.5 | 'time'=0.5s;1;2\n[OK] value 0.5\n");
	rp_spawn_result_free(&r);
	r = run("--value", "1500ms", "-w", "1", "-c", "2s", NULL);
	ck_assert_int_eq(r.exit_code, 1);
	rp_spawn_result_free(&r);
	r = run("--value", "3", "-w", "time=1", "--critical=time=2", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert(strncmp(r.out, "CLIPROG CRITICAL - value 3 | 'time'=3s;1;2", 42) == 0);
	rp_spawn_result_free(&r);
}
END_TEST

/* --exit-codes binary (container health checks) and --exit-ok: the same
 * output, another exit code; usage errors and the backstop follow. */
START_TEST(test_exit_code_modes)
{
	static const struct {
		const char *args[8];
		int code;
		const char *line;
	} cases[] = {
		{ { "--value", "0.5", "--exit-codes", "binary", NULL }, 0, "CLIPROG OK - " },
		{ { "--value", "0.5", "-w", "0.1", "--exit-codes", "binary", NULL },
		  0,
		  "CLIPROG WARNING - " },
		{ { "--value", "0.5", "-w", "0.1", "--exit-codes=binary", "--binary-warning",
		    "fail", NULL },
		  1,
		  "CLIPROG WARNING - " },
		{ { "--value", "0.5", "-c", "0.1", "--exit-codes", "binary", NULL },
		  1,
		  "CLIPROG CRITICAL - " },
		{ { "--value", "0.5", "-c", "0.1", "--exit-codes", "nagios", NULL },
		  2,
		  "CLIPROG CRITICAL - " },
		{ { "--value", "0.5", "-c", "0.1", "--exit-ok", NULL }, 0, "CLIPROG CRITICAL - " },
		/* a usage error before the option is read still maps */
		{ { "--bogus", "--exit-codes", "binary", NULL }, 1, "CLIPROG UNKNOWN - " },
		{ { "--bogus", "--exit-ok", NULL }, 0, "CLIPROG UNKNOWN - " },
		{ { "--exit-ok", "--exit-codes", "binary", NULL },
		  1,
		  "CLIPROG UNKNOWN - give --exit-ok" },
		{ { "--binary-warning", "ok", NULL },
		  3,
		  "CLIPROG UNKNOWN - --binary-warning goes" },
		{ { "--exit-codes", "docker", NULL },
		  3,
		  "CLIPROG UNKNOWN - --exit-codes 'docker'" },
		{ { "--exit-codes", "binary", "--binary-warning", "maybe", NULL },
		  1,
		  "CLIPROG UNKNOWN - --binary-warning 'maybe'" },
		/* the backstop's own exit */
		{ { "--block", "-t", "200ms", "--exit-codes", "binary", NULL },
		  1,
		  "CLIPROG CRITICAL - no result" },
		{ { "--block", "-t", "200ms", "--exit-ok", NULL },
		  0,
		  "CLIPROG CRITICAL - no result" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const *a = cases[i].args;
		struct rp_spawn_result r = run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
		ck_assert_msg(r.exit_code == cases[i].code &&
		                      strncmp(r.out, cases[i].line, strlen(cases[i].line)) == 0,
		              "case %zu: exit %d, expected %d: %s", i, r.exit_code, cases[i].code,
		              r.out);
		rp_spawn_result_free(&r);
	}
}
END_TEST

START_TEST(test_usage_errors)
{
	const char *cases[][4] = {
		{ "--bogus", NULL },
		{ "-w", NULL },
		{ "-w", "10:5", NULL },
		{ "-w", "nope=1", NULL },
		{ "-t", "0", NULL },
		{ "-t", "abc", NULL },
		{ "--output-format", "xml", NULL },
		{ "--timeout-state", "sad", NULL },
		{ "positional", NULL },
		{ "--value", "1x", NULL },
		{ "-Q", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rp_spawn_result r = run(cases[i][0], cases[i][1], cases[i][2], NULL);
		ck_assert_msg(r.exit_code == 3, "%s: exit %d", cases[i][0], r.exit_code);
		ck_assert_msg(strncmp(r.out, "CLIPROG UNKNOWN - ", 18) == 0, "%s", r.out);
		ck_assert_msg(strstr(r.out, "\nUsage: cli_prog ") != NULL, "%s", r.out);
		/* short: under 24 lines of at most 80 columns */
		int lines = 0;
		for (const char *p = r.out; *p; p++)
			lines += *p == '\n';
		ck_assert_int_lt(lines, 24);
		rp_spawn_result_free(&r);
	}
	struct rp_spawn_result r = run("-w", "10:5", NULL);
	ck_assert_msg(strstr(r.out, "'10:5'") != NULL, "%s", r.out);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_help_and_version)
{
	struct rp_spawn_result r = run("--help", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert(strstr(r.out, "Usage: cli_prog") != NULL);
	ck_assert(strstr(r.out, "--value N") != NULL);
	ck_assert(strstr(r.out, "--output-format") != NULL);
	ck_assert(strstr(r.out, "a bare RANGE means time") != NULL);
	ck_assert(strstr(r.out, "Examples:") != NULL);
	for (const char *line = r.out; *line;) {
		size_t len = strcspn(line, "\n");
		ck_assert_msg(len <= 80, "help line over 80 columns: %.*s", (int)len, line);
		line += len + (line[len] == '\n');
	}
	rp_spawn_result_free(&r);
	r = run("-V", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert(strstr(r.out, "cli_prog (readiness-plugins) ") == r.out);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_json_output)
{
	struct rp_spawn_result r =
	        run("--value", "3", "-c", "2", "--output-format", "json", "-n", "x|y", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	json_object *j = json_tokener_parse(r.out);
	ck_assert_msg(j != NULL, "not JSON: %s", r.out);
	json_object *v;
	ck_assert(json_object_object_get_ex(j, "state", &v) && json_object_get_int(v) == 2);
	ck_assert(json_object_object_get_ex(j, "summary", &v));
	ck_assert_str_eq(json_object_get_string(v), "name x\\x7cy");
	json_object_put(j);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_untrusted_name_cannot_forge)
{
	struct rp_spawn_result r = run("-n", "ok | 'forged'=1\nCLIPROG OK", NULL);
	struct rp_plugin_output o;
	rp_plugin_output_parse(r.out, r.out_len, &o);
	ck_assert_uint_eq(o.perf.n, 0);
	ck_assert_int_eq(o.state, RP_OK);
	ck_assert_uint_eq(o.nlines, 2);
	rp_plugin_output_free(&o);
	rp_spawn_result_free(&r);
}
END_TEST

/* The environment's locale never reaches the numbers we print. */
START_TEST(test_german_locale_environment)
{
	char *argv[] = {
		prog, (char *)"--value", (char *)"0.25", (char *)"-w", (char *)"1.5", NULL
	};
	char *envp[] = { (char *)"LC_ALL=de_DE.UTF-8", (char *)"LANG=de_DE.UTF-8", NULL };
	struct rp_spawn_opts o = { .timeout = 15, .cap = 65536, .envp = envp };
	struct rp_spawn_result r;
	ck_assert(rp_spawn(argv, &o, &r));
	ck_assert_str_eq(r.out, "CLIPROG OK - value 0.25 | 'time'=0.25s;1.5\n[OK] value 0.25\n");
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_timeout_backstop)
{
	struct rp_spawn_result r = run("--block", "-t", "1", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_msg(strncmp(r.out, "CLIPROG CRITICAL - no result within 1 s", 39) == 0, "%s",
	              r.out);
	ck_assert_msg(r.elapsed >= 1.0 && r.elapsed < 3.0, "took %f s", r.elapsed);
	rp_spawn_result_free(&r);
	r = run("--block", "-t", "300ms", "--timeout-state", "unknown", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert(strncmp(r.out, "CLIPROG UNKNOWN - no result within 0.3 s", 40) == 0);
	struct rp_plugin_output o;
	rp_plugin_output_parse(r.out, r.out_len, &o);
	ck_assert(o.has_state && o.state == RP_UNKNOWN);
	rp_plugin_output_free(&o);
	rp_spawn_result_free(&r);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, find_prog, NULL);
	tcase_add_test(tc, test_ok_and_thresholds);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_help_and_version);
	tcase_add_test(tc, test_json_output);
	tcase_add_test(tc, test_untrusted_name_cannot_forge);
	tcase_add_test(tc, test_german_locale_environment);
	tcase_add_test(tc, test_timeout_backstop);
	tcase_add_test(tc, test_exit_code_modes);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(cli_suite)
