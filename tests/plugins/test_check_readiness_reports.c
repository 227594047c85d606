/* check_readiness as a deployment gate and a report people read: --wait
 * against a service that starts answering after 3 s and one that never
 * does (only the checks not yet OK run again), --wait-for warning, the
 * Markdown report on stdout and appended to --summary-file or
 * $GITHUB_STEP_SUMMARY, and a summary file that cannot take it. */
#include "readiness_fixture.h"
#include "rp_file.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t count_in(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The Markdown report for CI summaries: on stdout with --output-format
 * markdown, appended to --summary-file (or $GITHUB_STEP_SUMMARY), and a
 * file that cannot take it (a FIFO, a missing directory) is a WARNING,
 * never a hang. */
START_TEST(test_markdown_and_summary_file)
{
	make_stack();
	char *text = rp_xasprintf("[readiness]\nplugin-dir = %1$s\n"
	                          "[database]\nblocking = yes\n"
	                          "check app = check_sqlite --db %2$s/app.db\n"
	                          "check recreated = check_sqlite --db %2$s/empty.db\n"
	                          "[auth]\ncheck staging = check_config --env-file %2$s/bad.env\n",
	                          plugins, dir);
	char *m = manifest("md.ini", text);
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, "--output-format", "markdown", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_msg(strncmp(r.out, "### READINESS CRITICAL\n\nscore ", 30) == 0, "%s", r.out);
	ck_assert(strstr(r.out, "| category | state | summary |\n|---|---|---|\n"));
	ck_assert(strstr(r.out, "| database | **CRITICAL** | score 50/100"));
	ck_assert(strstr(r.out, "#### database: **CRITICAL**\n"));
	ck_assert(strstr(r.out, "| recreated | **CRITICAL** | SQLITE CRITICAL - "));
	ck_assert(strstr(r.out, "| app | OK | SQLITE OK - "));
	h_run_free(&r);

	/* appended, run after run; stdout keeps its own format */
	char *sum = rp_xasprintf("%s/summary.md", dir);
	for (int i = 0; i < 2; i++) {
		h_run(&r, PLUGIN, "-f", m, "--summary-file", sum, NULL);
		h_assert_contract(&r, "READINESS");
		h_assert_state(&r, 2, "score ");
		h_run_free(&r);
	}
	char *md = rp_file_read(sum, 1 << 20, NULL, NULL, NULL, 0);
	ck_assert(md != NULL);
	ck_assert_uint_eq(count_in(md, "### READINESS CRITICAL"), 2);
	free(md);

	/* $GITHUB_STEP_SUMMARY, for --output-format markdown */
	char *gh = rp_xasprintf("GITHUB_STEP_SUMMARY=%s/step.md", dir);
	char *path = rp_xasprintf("PATH=%s", getenv("PATH"));
	char *envp[] = { gh, path, NULL };
	const char *argv[] = { PLUGIN, "-f", m, "--output-format", "markdown", NULL };
	h_run_argv(&r, (char *const *)argv, envp, 20);
	ck_assert_int_eq(r.exit_code, 2);
	h_run_free(&r);
	char *step = rp_xasprintf("%s/step.md", dir);
	md = rp_file_read(step, 1 << 20, NULL, NULL, NULL, 0);
	ck_assert(md && strstr(md, "#### auth: **CRITICAL**"));
	free(md);

	char *fifo = rp_xasprintf("%s/fifo.md", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	h_run(&r, PLUGIN, "-f", m, "--summary-file", fifo, NULL);
	h_assert_contract(&r, "READINESS");
	ck_assert_msg(strstr(r.out, "[WARNING] cannot append the report to ") &&
	                      strstr(r.out, "fifo.md: not a regular file"),
	              "%s", r.out);
	h_run_free(&r);
	/* other plugins have no test reports and no summary file */
	h_run(&r, "plugins/check_sqlite", "--db", "x.db", "--summary-file", sum, NULL);
	h_assert_state(&r, 3, "--summary-file");
	h_run_free(&r);
	free(fifo);
	free(step);
	free(gh);
	free(path);
	free(sum);
	free(m);
	free(text);
}
END_TEST

/* --wait, the deployment gate: a service that starts answering after 3 s
 * makes the run ready then; a check already OK is not run again; one that
 * never gets ready ends the wait at its duration. */
START_TEST(test_wait_for_a_late_service)
{
	int port = h_free_port();
	char *server = h_build_path("tests/servers/rp-testserver");
	char *cmd = rp_xasprintf("sleep 3; exec '%s' --port %d >/dev/null", server, port);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	pid_t late = h_start(argv, NULL);
	char *text =
	        rp_xasprintf("[readiness]\nplugin-dir = %1$s\n"
	                     "[api]\nblocking = yes\ntimeout = 3\n"
	                     "check health = check_api -u http://127.0.0.1:%2$d/health --health\n"
	                     "check steady = sh -c 'echo x >> %3$s/steady.count; echo \"S OK - "
	                     "fine\"'\n",
	                     plugins, port, dir);
	char *m = manifest("gate.ini", text);
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, "--wait", "20s", NULL);
	h_assert_contract(&r, "READINESS");
	h_assert_state(&r, 0, "; ready after ");
	double t = h_perf(&r, "time");
	ck_assert_msg(t >= 3 && t < 12, "ready after %g s", t);
	ck_assert(strstr(r.out, "[OK] health: API OK - health \"pass\""));
	h_run_free(&r);
	char *count = rp_xasprintf("%s/steady.count", dir);
	size_t len = 0;
	char *lines = rp_file_read(count, 4096, &len, NULL, NULL, 0);
	ck_assert_msg(lines && len == 2, "the OK check ran %zu/2 times", len / 2);
	free(lines);
	h_stop(late);

	/* never ready: the wait ends on time, with the last round's verdict */
	h_run(&r, PLUGIN, "-f", m, "--wait", "1500ms", NULL);
	h_assert_state(&r, 2, "; not ready after waiting 1.");
	ck_assert(strstr(r.out, "[CRITICAL] health: API CRITICAL - "));
	t = h_perf(&r, "time");
	ck_assert_msg(t >= 1.4 && t < 6, "gave up after %g s", t);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "--wait-for", "warning", NULL);
	h_assert_state(&r, 3, "--wait-for goes with --wait");
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "--wait", "0", NULL);
	h_assert_state(&r, 3, "--wait");
	h_run_free(&r);
	free(count);
	free(m);
	free(text);
	free(cmd);
	free(server);
}
END_TEST

/* --wait-for warning: a WARNING run is ready at once. */
START_TEST(test_wait_for_warning)
{
	char *text = rp_xasprintf("[readiness]\n[misc]\n"
	                          "check soft = sh -c 'echo \"S WARNING - degraded\"; exit 1'\n");
	char *m = manifest("soft.ini", text);
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, "--wait", "10s", "--wait-for", "warning", "-w", "90:", "-c",
	      "40:", NULL);
	h_assert_contract(&r, "READINESS");
	h_assert_state(&r, 1, "; ready after 0");
	ck_assert(strstr(r.out, "(1 round)"));
	h_run_free(&r);
	free(m);
	free(text);
}
END_TEST

static Suite *readiness_reports_suite(void)
{
	Suite *s = suite_create("check_readiness_reports");
	TCase *tc = tcase_create("gate");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_markdown_and_summary_file);
	tcase_add_test(tc, test_wait_for_a_late_service);
	tcase_add_test(tc, test_wait_for_warning);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(readiness_reports_suite)
