/* check_readiness' requires: real checks (check_sqlite on an empty and a
 * healthy database, check_config on a .env) with dependants that leave a
 * mark when they run, so "skipped" is proved by the mark's absence; a
 * chain of requirements; --wait that runs a dependant only once its
 * requirement is ready; cycles and --only. */
#include "readiness_fixture.h"
#include "rp_test.h"
#include "rp_file.h"
#include "rp_util.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool exists(const char *name)
{
	char *p = rp_xasprintf("%s/%s", dir, name);
	bool yes = access(p, F_OK) == 0;
	free(p);
	return yes;
}

static char *stack_manifest(void)
{
	char *text = rp_xasprintf(
	        "[readiness]\nplugin-dir = %1$s\n"
	        "[database]\nblocking = yes\n"
	        "check app = check_sqlite --db %2$s/app.db\n"
	        "check recreated = check_sqlite --db %2$s/empty.db\n"
	        "[auth]\nrequires = database/app\n"
	        "check config = check_config --env-file %2$s/.env --require JWT_SECRET_KEY\n"
	        "[api]\nrequires = database\n"
	        "check marker = sh -c 'touch %2$s/api-ran; echo \"M OK - ran\"'\n"
	        "[web]\nrequires front = api/marker\n"
	        "check front = sh -c 'touch %2$s/web-ran; echo \"W OK - ran\"'\n"
	        "check static = check_sqlite --db %2$s/app.db --table users\n",
	        plugins, dir);
	char *m = manifest("stack.ini", text);
	free(text);
	return m;
}

static long junit_skipped(const struct h_run *r)
{
	xmlDoc *doc =
	        xmlReadMemory(r->out, (int)strlen(r->out), "junit.xml", NULL, XML_PARSE_NONET);
	ck_assert(doc != NULL);
	xmlChar *v = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"skipped");
	long n = v ? strtol((const char *)v, NULL, 10) : -1;
	xmlFree(v);
	xmlFreeDoc(doc);
	return n;
}

/* The empty database is the one root cause: the checks that require it
 * do not run, are no second blocker, and the score leaves them out. */
START_TEST(test_requirement_not_met)
{
	make_stack();
	char *m = stack_manifest();
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, NULL);
	h_assert_contract(&r, "READINESS");
	/* database 50, auth 100, web 100 (its front skipped), api not scored */
	h_assert_state(&r, 2, "score 83.3/100, 1 blocker: database/recreated (has 0 tables");
	ck_assert_msg(strstr(r.out, "); 2 skipped (not checked) | "), "%s", r.out);
	ck_assert(!exists("api-ran") && !exists("web-ran"));
	ck_assert(h_perf(&r, "skipped") == 2 && h_perf(&r, "critical") == 1);
	ck_assert(h_perf(&r, "ok") == 3 && h_perf(&r, "unknown") == 0);
	ck_assert(strstr(r.out, "'api'=U "));
	ck_assert(strstr(r.out, "[SKIPPED] api: not scored (1 check, all skipped, weight 1)\n"
	                        "  [SKIPPED] marker: skipped: requires database/recreated "
	                        "(CRITICAL)\n"));
	ck_assert(strstr(r.out, "  [SKIPPED] front: skipped: requires api/marker, which requires "
	                        "database/recreated (CRITICAL)\n"));
	ck_assert(strstr(r.out, "[OK] auth: score 100/100"));
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "--output-format", "junit", NULL);
	ck_assert_int_eq(junit_skipped(&r), 2);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "--output-format", "tap", NULL);
	ck_assert(strstr(r.out, "ok 4 - api/marker: skipped: requires database/recreated "
	                        "(CRITICAL) # SKIP\n"));
	h_run_free(&r);
	/* --list says what each check requires */
	h_run(&r, PLUGIN, "-f", m, "--list", NULL);
	ck_assert(strstr(r.out, "api/marker   # requires database/app, database/recreated\n") ||
	          strstr(r.out, "api/marker   # requires database/recreated, database/app\n"));
	ck_assert(strstr(r.out, "web/front   # requires api/marker\n"));
	h_run_free(&r);

	/* the database repaired: everything runs, in order */
	char *cmd = rp_xasprintf("cp '%1$s/app.db' '%1$s/empty.db'", dir);
	ck_assert(system(cmd) == 0);
	h_run(&r, PLUGIN, "-f", m, NULL);
	h_assert_state(&r, 0, "score 100/100, 6 of 6 checks OK");
	ck_assert(exists("api-ran") && exists("web-ran"));
	ck_assert(h_perf(&r, "skipped") == 0);
	h_run_free(&r);
	free(cmd);
	free(m);
}
END_TEST

/* --wait: the dependant runs once, after its requirement got ready. */
START_TEST(test_wait_runs_dependants_once_ready)
{
	make_stack();
	char *text = rp_xasprintf(
	        "[readiness]\nplugin-dir = %1$s\n"
	        "[database]\ncheck late = check_sqlite --db %2$s/late.db --table users\n"
	        "[api]\nrequires = database\n"
	        "check marker = sh -c 'echo x >> %2$s/api.count; echo \"M OK - ran\"'\n",
	        plugins, dir);
	char *m = manifest("late.ini", text);
	char *cmd = rp_xasprintf("sleep 2; cp '%1$s/app.db' '%1$s/late.tmp' && "
	                         "mv '%1$s/late.tmp' '%1$s/late.db'",
	                         dir);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	pid_t later = h_start(argv, NULL);
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, "--wait", "20s", NULL);
	h_assert_contract(&r, "READINESS");
	h_assert_state(&r, 0, "score 100/100, 2 of 2 checks OK; ready after ");
	double t = h_perf(&r, "time");
	ck_assert_msg(t >= 2 && t < 12, "ready after %g s", t);
	char *count = rp_xasprintf("%s/api.count", dir);
	size_t len = 0;
	char *lines = rp_file_read(count, 4096, &len, NULL, NULL, 0);
	ck_assert_msg(lines && len == 2, "the dependant ran %zu times, not once", len / 2);
	free(lines);
	h_run_free(&r);
	h_stop(later);
	free(count);
	free(cmd);
	free(m);
	free(text);
}
END_TEST

/* A cycle is an error with its file and line; --only leaves a requirement
 * outside the run unchecked, and it holds nothing back. */
START_TEST(test_cycles_and_only)
{
	make_stack();
	char *text = rp_xasprintf("[a]\ncheck x = true\n[b]\nrequires = a\ncheck y = true\n"
	                          "[a]\nrequires x = b/y\n");
	char *m = manifest("cycle.ini", text);
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, NULL);
	h_assert_contract(&r, "READINESS");
	char *want = rp_xasprintf("READINESS UNKNOWN - %s, line 4: a cycle of requirements: "
	                          "a/x -> b/y -> a/x\n",
	                          m);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
	h_run_free(&r);
	free(want);
	free(m);
	free(text);

	m = stack_manifest();
	h_run(&r, PLUGIN, "-f", m, "--only", "api", NULL);
	h_assert_state(&r, 0, "score 100/100, 1 of 1 checks OK");
	ck_assert(exists("api-ran"));
	h_run_free(&r);
	free(m);
}
END_TEST

static Suite *readiness_requires_suite(void)
{
	Suite *s = suite_create("check_readiness_requires");
	TCase *tc = tcase_create("requires");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_requirement_not_met);
	tcase_add_test(tc, test_wait_runs_dependants_once_ready);
	tcase_add_test(tc, test_cycles_and_only);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(readiness_requires_suite)
