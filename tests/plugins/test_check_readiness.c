/* check_readiness running manifests of real checks: our plugins against a
 * healthy and an empty SQLite database, a good and a placeholder .env, our
 * test server; and children that hang, fork a grandchild that holds the
 * pipe, exit 7, die by a signal, print nothing or print 10 MB; a manifest
 * with a syntax error; a program that does not exist (F19, F20). */
#include "readiness_fixture.h"
#include "rp_test.h"
#include "rp_util.h"

#include <libxml/parser.h>
#include <sqlite3.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>

static void run(struct h_run *r, const char *a, const char *b, const char *c, const char *d,
                const char *e)
{
	h_run(r, PLUGIN, a, b, c, d, e, NULL);
	h_assert_contract(r, "READINESS");
}

START_TEST(test_partly_ready_stack)
{
	make_stack();
	char *text = rp_xasprintf("[readiness]\nplugin-dir = %1$s\n"
	                          "[database]\nweight = 3\nblocking = yes\n"
	                          "check app = check_sqlite --db %2$s/app.db\n"
	                          "check recreated = check_sqlite --db %2$s/empty.db\n"
	                          "[auth]\nweight = 2\n"
	                          "check config = check_config --env-file %2$s/.env --require "
	                          "JWT_SECRET_KEY\n"
	                          "check staging = check_config --env-file %2$s/bad.env\n",
	                          plugins, dir);
	char *m = manifest("stack.ini", text);
	struct h_run r;
	run(&r, "-f", m, NULL, NULL, NULL);
	/* database 50 (w 3), auth 50 (w 2): 50; the empty database blocks */
	/* the blocker's reason, not the path its summary starts with */
	h_assert_state(&r, 2, "score 50/100, 1 blocker: database/recreated (has 0 tables");
	ck_assert(strstr(r.out, "0 tables") != NULL);
	ck_assert(h_perf(&r, "score") == 50);
	ck_assert(h_perf(&r, "database") == 50 && h_perf(&r, "auth") == 50);
	ck_assert(h_perf(&r, "ok") == 2 && h_perf(&r, "critical") == 2);
	ck_assert(
	        strstr(r.out, "[CRITICAL] database: score 50/100 (2 checks, weight 3, blocking)"));
	ck_assert(strstr(r.out, "  [CRITICAL] staging: CONFIG CRITICAL") != NULL);
	ck_assert(strstr(r.out, "your-jwt-secret") == NULL); /* a child's secret stays hidden */
	h_run_free(&r);
	/* --only the healthy part */
	h_run(&r, PLUGIN, "-f", m, "--only", "database", "-w", "40:", "-c", "10:", NULL);
	h_assert_state(&r, 2, "1 blocker");
	h_run_free(&r);
	/* JSON for a CI gate: the whole tree */
	run(&r, "-f", m, "--output-format", "json", NULL);
	json_object *j = h_json(&r);
	json_object *st, *checks;
	ck_assert(json_object_object_get_ex(j, "state", &st) && json_object_get_int(st) == 2);
	ck_assert(json_object_object_get_ex(j, "checks", &checks));
	ck_assert_uint_eq(json_object_array_length(checks), 2);
	json_object_put(j);
	h_run_free(&r);
	/* --list and --dry-run run nothing */
	h_run(&r, PLUGIN, "-f", m, "--list", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert(strstr(r.out, "database/recreated\n") != NULL);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "--dry-run", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert(strstr(r.out, "/plugins/check_sqlite --db ") != NULL);
	h_run_free(&r);
	free(m);
	free(text);
}
END_TEST

/* The commands check_readiness shows (-vv, JSON, --dry-run) are
 * shell-quoted and carry no secret: URL credentials, ?token=, NAME=VALUE
 * the value after --password and of an Authorization header are redacted. */
START_TEST(test_commands_shown_redacted)
{
	const char *text = "[api]\n"
	                   "check a = sh -c 'echo \"X OK - fine\"' "
	                   "https://ops:hunter2-pw@127.0.0.1:1/x?token=tok-s3cr3t "
	                   "API_TOKEN=env-s3cr3t --password pw-s3cr3t 'two words' "
	                   "--header 'Authorization: Bearer hdr-s3cr3t'\n";
	char *m = manifest("secrets.ini", text);
	const char *const modes[][3] = { { "-vv", NULL, NULL },
		                         { "--output-format", "json", NULL },
		                         { "--output-format", "json", "-vvv" },
		                         { "--output-format", "junit", NULL },
		                         { "--dry-run", NULL, NULL } };
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		struct h_run r;
		h_run(&r, PLUGIN, "-f", m, modes[i][0], modes[i][1], modes[i][2], NULL);
		const char *secrets[] = { "hunter2", "tok-s3cr3t", "env-s3cr3t", "pw-s3cr3t",
			                  "hdr-s3cr3t" };
		for (size_t k = 0; k < 5; k++)
			ck_assert_msg(strstr(r.out, secrets[k]) == NULL, "%s shows %s:\n%s",
			              modes[i][0], secrets[k], r.out);
		ck_assert_msg(strstr(r.out, "https://127.0.0.1:1/x?token=[redacted]") != NULL, "%s",
		              r.out);
		ck_assert_msg(strstr(r.out, "API_TOKEN=[redacted]") != NULL, "%s", r.out);
		ck_assert_msg(strstr(r.out, "--password [redacted]") != NULL, "%s", r.out);
		h_run_free(&r);
	}
	/* the reports that show no command show no secret either */
	const char *const reports[] = { "tap", "markdown" };
	for (size_t i = 0; i < 2; i++) {
		struct h_run r;
		h_run(&r, PLUGIN, "-f", m, "--output-format", reports[i], "-vvv", NULL);
		ck_assert_msg(!strstr(r.out, "s3cr3t") && !strstr(r.out, "hunter2"), "%s: %s",
		              reports[i], r.out);
		h_run_free(&r);
	}
	/* shell-quoted: a word with a space is one word */
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, "-vv", NULL);
	ck_assert_msg(strstr(r.out, "'two words'") != NULL, "%s", r.out);
	h_run_free(&r);
	free(m);
}
END_TEST

/* score = sub-checks: a check over eight services is scored by its own
 * lines, so two of them recovering moves the score. */
START_TEST(test_score_by_subchecks)
{
	const char *text =
	        "[services]\nscore = sub-checks\n"
	        "check all = sh -c 'printf \"S CRITICAL - 2 of 8 down\\n[CRITICAL] a: down\\n"
	        "[CRITICAL] b: down\\n[OK] c: up\\n[OK] d: up\\n[OK] e: up\\n[OK] f: up\\n"
	        "[OK] g: up\\n[OK] h: up\\n\"; exit 2'\n"
	        "[plain]\n"
	        "check all = sh -c 'printf \"S CRITICAL - 2 of 8 down\\n[CRITICAL] a: down\\n"
	        "[OK] c: up\\n\"; exit 2'\n";
	char *m = manifest("sub.ini", text);
	struct h_run r;
	run(&r, "-f", m, NULL, NULL, NULL);
	/* services: 6 of 8 lines OK: 75; plain: the exit code: 0 */
	ck_assert_msg(h_perf(&r, "services") == 75, "%s", r.out);
	ck_assert_msg(h_perf(&r, "plain") == 0, "%s", r.out);
	ck_assert(h_perf(&r, "score") == 37.5);
	h_run_free(&r);
	free(m);
	m = manifest("badscore.ini", "[x]\nscore = lines\ncheck a = true\n");
	run(&r, "-f", m, NULL, NULL, NULL);
	h_assert_state(&r, 3, "badscore.ini, line 2: score = lines: checks or sub-checks");
	h_run_free(&r);
	free(m);
}
END_TEST

/* A child's long-output lines keep their own states in -v and JSON; the
 * check's state stays its exit code. */
START_TEST(test_child_lines_keep_states)
{
	const char *text = "[db]\n"
	                   "check a = sh -c 'printf \"X WARNING - soft\\n[CRITICAL] table x: "
	                   "missing\\n[OK] table y: present\\nplain\\n\"; exit 1'\n";
	char *m = manifest("lines.ini", text);
	struct h_run r;
	run(&r, "-f", m, "-v", NULL, NULL);
	ck_assert_msg(strstr(r.out, "  [WARNING] a: X WARNING - soft\n"
	                            "    [CRITICAL] table x: missing\n") != NULL,
	              "%s", r.out);
	ck_assert(strstr(r.out, "    [OK] table y: present\n    [OK] said: plain") != NULL);
	ck_assert(strstr(r.out, "said: [") == NULL);
	h_run_free(&r);
	run(&r, "-f", m, "--output-format", "json", NULL);
	ck_assert_msg(strstr(r.out, "\"state\":2,\"state_text\":\"CRITICAL\",\"text\":\"table x: "
	                            "missing\"") != NULL,
	              "%s", r.out);
	json_object *j = h_json(&r), *v;
	ck_assert(json_object_object_get_ex(j, "state", &v));
	json_object_put(j);
	h_run_free(&r);
	free(m);
}
END_TEST

/* The manifest's timeouts govern unless -t is given; a check that runs out
 * of time is a finding (a blocker in a blocking category); a child that
 * ignores SIGTERM is killed in time for every other check to be reported. */
START_TEST(test_deadlines)
{
	const char *text = "[db]\nblocking = yes\ntimeout = 11\n"
	                   "check slow = sh -c 'sleep 10.6; echo \"X OK - slow but fine\"'\n"
	                   "[api]\ntimeout = 1\n"
	                   "check fast = sh -c 'echo \"X OK - fast\"'\n";
	char *m = manifest("slow.ini", text);
	struct h_run r;
	/* no -t: the category's 11 s holds (the plugins' default 10 s did) */
	run(&r, "-f", m, NULL, NULL, NULL);
	h_assert_state(&r, 0, "score 100/100");
	ck_assert(strstr(r.out, "[OK] slow: X OK - slow but fine") != NULL);
	h_run_free(&r);
	free(m);
	/* a hang in a blocking category is a blocker; one that ignores SIGTERM
	 * is killed, and the run still reports every check before -t */
	text = "[db]\nblocking = yes\n"
	       "check stuck = sh -c 'trap \"\" TERM; sleep 60'\n"
	       "[api]\n"
	       "check fast = sh -c 'echo \"X OK - fast\"'\n";
	m = manifest("stuck.ini", text);
	run(&r, "-f", m, "-t", "2", NULL);
	h_assert_state(&r, 2, "1 blocker: db/stuck (no answer within ");
	ck_assert_msg(strstr(r.out, "[OK] fast: X OK - fast") != NULL, "%s", r.out);
	ck_assert_msg(r.raw.elapsed < 2.5, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	/* --timeout-state chooses the state, as in every plugin */
	h_run(&r, PLUGIN, "-f", m, "-t", "1", "--timeout-state", "unknown", NULL);
	h_assert_contract(&r, "READINESS");
	ck_assert_msg(strstr(r.out, "[UNKNOWN] stuck: no answer within") != NULL, "%s", r.out);
	h_run_free(&r);
	free(m);
}
END_TEST

/* %1$s: the test directory */
#define MISC_MANIFEST                                                                              \
	"[misc]\ntimeout = 2\n"                                                                    \
	"check hang = sleep 60\n"                                                                  \
	"check grandchild = sh -c 'sleep 60 & echo \"X OK - parent done\"'\n"                      \
	"check seven = sh -c 'echo \"X OK - fine\"; exit 7'\n"                                     \
	"check segv = sh -c 'kill -SEGV $$'\n"                                                     \
	"check quiet = true\n"                                                                     \
	"check flood = sh -c 'echo \"X OK - big\"; head -c 10000000 /dev/zero | tr \"\\\\0\" x'\n" \
	"check missing = check_no_such_plugin_anywhere\n"                                          \
	"check denied = %1$s/not-executable\n"                                                     \
	"check shell127 = sh -c 'no_such_command_here'\n"                                          \
	"check fine = sh -c 'echo \"X WARNING - soft | t=1s;0.5\"; exit 1'\n"

START_TEST(test_misbehaving_children)
{
	free(h_write_file(dir, "not-executable", "#!/bin/sh\n", 10));
	char *text = rp_xasprintf(MISC_MANIFEST, dir);
	char *m = manifest("misc.ini", text);
	struct h_run r;
	run(&r, "-f", m, "-j", "10", NULL);
	h_assert_state(&r, 2, "score ");
	const char *lines[] = {
		"[CRITICAL] hang: no answer within 2 s (stopped)",
		"[OK] grandchild: X OK - parent done",
		"[UNKNOWN] seven: exited 7, outside 0-3: X OK - fine",
		"[UNKNOWN] segv: killed by signal 11",
		"[UNKNOWN] quiet: printed nothing (exit 0)",
		"[OK] flood: X OK - big",
		"[UNKNOWN] missing: cannot run check_no_such_plugin_anywhere: not found",
		"[UNKNOWN] denied: exited 127: cannot be executed: Permission denied",
		"[UNKNOWN] shell127: exited 127, outside 0-3; stderr: ",
		": 1: no_such_command_here: not found",
		"[WARNING] fine: X WARNING - soft",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(strstr(r.out, lines[i]) != NULL, "lacks '%s':\n%s", lines[i], r.out);
	/* in parallel, and the grandchild holding the pipe does not stall it */
	ck_assert_msg(r.raw.elapsed < 4.0, "took %f s", r.raw.elapsed);
	/* 2 OK, 1 WARNING (50), 6 UNKNOWN, 1 CRITICAL: 250 / 10 */
	ck_assert(h_perf(&r, "score") == 25);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "-j", "10", "--unknown-score", "100", NULL);
	ck_assert(h_perf(&r, "score") == 85);
	h_run_free(&r);
	/* -vv: each check's command, time and parsed perfdata */
	run(&r, "-f", m, "-j", "10", "-vv");
	ck_assert(strstr(r.out, "perfdata: 't'=1s;0.5") != NULL);
	ck_assert(strstr(r.out, "command: /usr/bin/sh -c ") ||
	          strstr(r.out, "command: /bin/sh -c "));
	ck_assert(strstr(r.out, "misc.ini, line ") != NULL);
	h_run_free(&r);
	free(m);
	free(text);
}
END_TEST

/* TAP as a TAP consumer reads it: a version, a plan, then exactly that
 * many numbered results in order. Returns how many were "not ok". */
static size_t parse_tap(const char *out, size_t *planned)
{
	ck_assert_msg(strncmp(out, "TAP version 13\n1..", 18) == 0, "%s", out);
	char *end;
	*planned = strtoul(out + 18, &end, 10);
	ck_assert(*end == '\n');
	size_t n = 0, bad = 0;
	for (const char *l = end + 1; *l; l = strchr(l, '\n') + 1) {
		bool not_ok = strncmp(l, "not ok ", 7) == 0;
		ck_assert_msg(not_ok || strncmp(l, "ok ", 3) == 0, "not a test line: %s", l);
		unsigned long num = strtoul(l + (not_ok ? 7 : 3), &end, 10);
		ck_assert_uint_eq(num, ++n);
		ck_assert(strncmp(end, " - ", 3) == 0);
		ck_assert(strchr(l, '\n') != NULL);
		bad += not_ok;
	}
	ck_assert_uint_eq(n, *planned);
	return bad;
}

static size_t count_elements(xmlNode *node, const char *name)
{
	size_t n = 0;
	for (xmlNode *c = node; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			n++;
		n += count_elements(c->children, name);
	}
	return n;
}

static xmlNode *first_element(xmlNode *node, const char *name)
{
	for (xmlNode *c = node; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
		xmlNode *in = first_element(c->children, name);
		if (in)
			return in;
	}
	return NULL;
}

/* JUnit as CI systems read it: the failure's text in its body (GitLab
 * ignores the message), a time per test case, the long output in
 * <system-out>, a timestamp on each suite. */
static void assert_junit_details(xmlNode *root)
{
	xmlNode *suite = first_element(root, "testsuite");
	xmlChar *ts = xmlGetProp(suite, (const xmlChar *)"timestamp");
	ck_assert_msg(ts && strlen((const char *)ts) == 19 && ts[10] == 'T', "timestamp %s", ts);
	xmlFree(ts);
	xmlNode *tc = first_element(root, "testcase");
	xmlChar *t = xmlGetProp(tc, (const xmlChar *)"time");
	ck_assert_msg(t && atof((const char *)t) > 0, "time %s", t);
	xmlFree(t);
	xmlNode *fail = first_element(root, "failure");
	xmlChar *body = xmlNodeGetContent(fail);
	xmlChar *msg = xmlGetProp(fail, (const xmlChar *)"message");
	ck_assert(body && msg && strlen((const char *)body) > 10);
	ck_assert_str_eq((const char *)body, (const char *)msg);
	xmlFree(body);
	xmlFree(msg);
	xmlNode *out = first_element(fail->parent, "system-out");
	xmlChar *lines = out ? xmlNodeGetContent(out) : NULL;
	ck_assert_msg(lines && strstr((const char *)lines, "took "), "system-out %s", lines);
	xmlFree(lines);
}

START_TEST(test_junit_and_tap)
{
	make_stack();
	char *text = rp_xasprintf("[readiness]\nplugin-dir = %1$s\n"
	                          "[database]\nblocking = yes\n"
	                          "check app = check_sqlite --db %2$s/app.db\n"
	                          "check recreated = check_sqlite --db %2$s/empty.db\n"
	                          "[misc]\ncheck odd = sh -c 'echo \"<&>\\\" # x\"; exit 9'\n"
	                          "check fine = sh -c 'echo \"F OK - fine\"'\n",
	                          plugins, dir);
	char *m = manifest("ci.ini", text);
	struct h_run r;
	h_run(&r, PLUGIN, "-f", m, "--output-format", "junit", NULL);
	ck_assert_int_eq(r.exit_code, 2); /* the exit code stays the state */
	xmlDoc *doc = xmlReadMemory(r.out, (int)strlen(r.out), "junit.xml", NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR);
	ck_assert_msg(doc != NULL, "not XML:\n%s", r.out);
	xmlNode *root = xmlDocGetRootElement(doc);
	ck_assert_str_eq((const char *)root->name, "testsuites");
	ck_assert_uint_eq(count_elements(root->children, "testsuite"), 2);
	ck_assert_uint_eq(count_elements(root->children, "testcase"), 4);
	ck_assert_uint_eq(count_elements(root->children, "failure"), 1);
	ck_assert_uint_eq(count_elements(root->children, "error"), 1);
	xmlChar *tests = xmlGetProp(root, (const xmlChar *)"tests");
	ck_assert_str_eq((const char *)tests, "4");
	xmlFree(tests);
	assert_junit_details(root);
	xmlFreeDoc(doc);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", m, "--output-format", "tap", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	size_t planned;
	ck_assert_uint_eq(parse_tap(r.out, &planned), 2);
	ck_assert_uint_eq(planned, 4);
	ck_assert(strstr(r.out, "not ok 2 - [CRITICAL] database/recreated: SQLITE CRITICAL") !=
	          NULL);
	h_run_free(&r);
	free(m);
	free(text);
}
END_TEST

static long long count_rows(const char *db, const char *sql)
{
	sqlite3 *h;
	ck_assert(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK);
	ck_assert(sqlite3_step(st) == SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/* --history: every change of state is said, UNKNOWN -> CRITICAL too. */
static void history_state_changes(void)
{
	struct h_run r;
	/* every change of state is said, UNKNOWN -> CRITICAL too */
	char *flag2 = rp_xasprintf("%s/crit-flag", dir);
	char *text2 = rp_xasprintf("[svc]\ncheck worse = sh -c 'if [ -e %1$s ]; then echo \"W "
	                           "CRITICAL - down\"; exit 2; else echo \"W UNKNOWN - no idea\"; "
	                           "exit 3; fi'\n",
	                           flag2);
	char *m2 = manifest("h2.ini", text2);
	char *db2 = rp_xasprintf("%s/history2.db", dir);
	run(&r, "-f", m2, "--history", db2, NULL);
	h_run_free(&r);
	free(h_write_file(dir, "crit-flag", "", 0));
	run(&r, "-f", m2, "--history", db2, NULL);
	ck_assert_msg(strstr(r.out, "; changed: svc/worse UNKNOWN -> CRITICAL") != NULL, "%s",
	              r.out);
	h_run_free(&r);
	run(&r, "-f", m2, "--history", db2, NULL);
	ck_assert_msg(strstr(r.out, "; no check changed state") != NULL, "%s", r.out);
	h_run_free(&r);
	free(db2);
	free(m2);
	free(text2);
	free(flag2);
}

/* --history: a database of something else is never written to; a locked
 * history is waited for within the deadline only. */
static void history_refuses_and_waits(const char *m, const char *db)
{
	struct h_run r;
	/* a database of something else is never written to: no table added,
	 * its journal mode kept */
	char *other = rp_xasprintf("%s/app.db", dir);
	char *mk = rp_xasprintf("sqlite3 '%s' 'CREATE TABLE users(id INTEGER)'", other);
	ck_assert(system(mk) == 0);
	run(&r, "-f", m, "--history", other, NULL);
	h_assert_state(&r, 2, "score 50/100");
	ck_assert_msg(strstr(r.out, "is not a readiness history (it has other tables: users)") !=
	                      NULL,
	              "%s", r.out);
	h_run_free(&r);
	ck_assert_int_eq(count_rows(other, "SELECT count(*) FROM sqlite_schema"), 1);
	ck_assert_int_eq(count_rows(other, "SELECT journal_mode = 'delete' FROM "
	                                   "pragma_journal_mode"),
	                 1);
	/* a locked history is waited for within the deadline only, then said */
	pid_t holder = fork();
	ck_assert(holder >= 0);
	if (holder == 0) {
		char *lock =
		        rp_xasprintf("sqlite3 '%s' 'BEGIN EXCLUSIVE; SELECT count(*) FROM runs;' "
		                     "'.shell sleep 6'",
		                     db);
		execl("/bin/sh", "sh", "-c", lock, (char *)NULL);
		_exit(127);
	}
	usleep(500 * 1000);
	h_run(&r, PLUGIN, "-f", m, "--history", db, "-t", "2", NULL);
	h_assert_contract(&r, "READINESS");
	h_assert_state(&r, 2, "score 50/100");
	ck_assert_msg(strstr(r.out, "history not recorded in ") != NULL, "%s", r.out);
	ck_assert_msg(r.raw.elapsed < 2.3, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	free(mk);
	free(other);
}

START_TEST(test_history)
{
	char *flag = rp_xasprintf("%s/ok-flag", dir);
	char *text = rp_xasprintf("[svc]\ncheck flip = sh -c 'if [ -e %1$s ]; then echo \"F OK - "
	                          "up\"; else echo \"F CRITICAL - down\"; exit 2; fi'\n"
	                          "check steady = sh -c 'echo \"S OK - fine\"'\n",
	                          flag);
	char *m = manifest("h.ini", text);
	char *db = rp_xasprintf("%s/history.db", dir);
	struct h_run r;
	run(&r, "-f", m, "--history", db, NULL);
	ck_assert(strstr(r.out, "history: the first recorded run") != NULL);
	h_run_free(&r);
	free(h_write_file(dir, "ok-flag", "", 0));
	run(&r, "-f", m, "--history", db, NULL);
	ck_assert_msg(strstr(r.out, "score 50 -> 100; recovered: svc/flip") != NULL, "%s", r.out);
	h_run_free(&r);
	remove(flag);
	run(&r, "-f", m, "--history", db, NULL);
	ck_assert(strstr(r.out, "score 100 -> 50; newly failing: svc/flip") != NULL);
	h_run_free(&r);
	ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM runs"), 3);
	ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM results"), 6);
	/* two runs at once: both are recorded */
	char *argv[] = { h_build_path(PLUGIN), (char *)"-f", m, (char *)"--history", db, NULL };
	pid_t a = h_start(argv, NULL), b = h_start(argv, NULL);
	int sa, sb;
	ck_assert(waitpid(a, &sa, 0) == a && waitpid(b, &sb, 0) == b);
	ck_assert(WIFEXITED(sa) && WEXITSTATUS(sa) == 2 && WIFEXITED(sb) && WEXITSTATUS(sb) == 2);
	ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM runs"), 5);
	free(argv[0]);
	/* --history-keep prunes what is older */
	char *cmd = rp_xasprintf(
	        "sqlite3 '%s' \"UPDATE runs SET at = at - 10 * 86400 WHERE id <= 2\"", db);
	ck_assert(system(cmd) == 0);
	h_run(&r, PLUGIN, "-f", m, "--history", db, "--history-keep", "7", NULL);
	h_run_free(&r);
	ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM runs"), 4);
	ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM results WHERE run <= 2"), 0);
	/* a history that cannot be written is said, and the run still counts */
	char *bad = rp_xasprintf("%s/no/such/dir/h.db", dir);
	run(&r, "-f", m, "--history", bad, NULL);
	h_assert_state(&r, 2, "score 50/100");
	ck_assert(strstr(r.out, "history not recorded in ") != NULL);
	h_run_free(&r);
	history_state_changes();
	history_refuses_and_waits(m, db);
	/* JUnit and TAP leave the note out */
	h_run(&r, PLUGIN, "-f", m, "--history", db, "--output-format", "tap", NULL);
	ck_assert(strstr(r.out, "1..2\n") != NULL);
	h_run_free(&r);
	free(bad);
	free(cmd);
	free(db);
	free(m);
	free(text);
	free(flag);
}
END_TEST

START_TEST(test_bad_manifests)
{
	char *m = manifest("broken.ini", "[db]\ncheck a = check_sqlite --db '/x\n");
	struct h_run r;
	run(&r, "-f", m, NULL, NULL, NULL);
	h_assert_state(&r, 3, "broken.ini, line 2: a ' quote is not closed");
	h_run_free(&r);
	char *missing = rp_xasprintf("%s/none.ini", dir);
	run(&r, "-f", missing, NULL, NULL, NULL);
	h_assert_state(&r, 3, "none.ini does not exist");
	h_run_free(&r);
	/* a usage error comes in the format asked for, whatever its place */
	run(&r, "--output-format", "json", "-f", missing, NULL);
	ck_assert_int_eq(r.exit_code, 3);
	json_object *j = h_json(&r), *v;
	ck_assert(json_object_object_get_ex(j, "state", &v) && json_object_get_int(v) == 3);
	ck_assert(json_object_object_get_ex(j, "summary", &v));
	ck_assert(strstr(json_object_get_string(v), "none.ini does not exist") != NULL);
	json_object_put(j);
	h_run_free(&r);
	h_run(&r, PLUGIN, "-f", missing, "--output-format=tap", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_msg(strncmp(r.out, "TAP version 13\n", 15) == 0 || strncmp(r.out, "1..", 3) == 0,
	              "%s", r.out);
	ck_assert(strstr(r.out, "not ok") != NULL);
	h_run_free(&r);
	h_run(&r, PLUGIN, "--bogus", "--output-format", "junit", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_msg(strncmp(r.out, "<?xml", 5) == 0, "%s", r.out);
	h_run_free(&r);
	char *a = manifest("a.ini", "include = b.ini\n");
	free(manifest("b.ini", "include = a.ini\n"));
	run(&r, "-f", a, NULL, NULL, NULL);
	h_assert_state(&r, 3, "includes itself");
	h_run_free(&r);
	char *inc = manifest("main.ini", "[db]\ncheck x = true\ninclude = more.ini\n");
	free(manifest("more.ini", "[db]\ncheck y = sh -c 'echo \"Y OK - y\"'\n"));
	h_run(&r, PLUGIN, "-f", inc, "--list", NULL);
	ck_assert(strstr(r.out, "db/x\ndb/y\n") != NULL);
	h_run_free(&r);
	run(&r, "-f", inc, "--only", "nosuch", NULL);
	h_assert_state(&r, 3, "--only nosuch: no such category");
	h_run_free(&r);
	char *empty = manifest("empty.ini", "# nothing yet\n");
	run(&r, "-f", empty, NULL, NULL, NULL);
	h_assert_state(&r, 3, "no check to run");
	h_run_free(&r);
	run(&r, NULL, NULL, NULL, NULL, NULL);
	h_assert_state(&r, 3, "-f MANIFEST is required");
	h_run_free(&r);
	run(&r, "-f", m, "-j", "0", NULL);
	h_assert_state(&r, 3, "--jobs");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--help", NULL);
	const char *opts[] = { "--manifest", "--jobs",          "--only",         "--list",
		               "--dry-run",  "--warning-score", "--unknown-score" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		ck_assert_msg(strstr(r.out, opts[i]) != NULL, "--help lacks %s", opts[i]);
	h_run_free(&r);
	free(m);
	free(missing);
	free(a);
	free(inc);
	free(empty);
}
END_TEST

/* A bare program name is looked up in PATH's absolute directories only: a
 * relative entry would make what runs depend on the scheduler's cwd. */
START_TEST(test_relative_path_entries_skipped)
{
	char *plugin_dir = rp_xasprintf("%s/relbin", dir);
	ck_assert_int_eq(mkdir(plugin_dir, 0755), 0);
	char *exe = rp_xasprintf("%s/rp_only_here", plugin_dir);
	FILE *f = fopen(exe, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\necho 'X OK - here'\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(exe, 0755), 0);
	char *m = manifest("relpath.ini", "[a]\ncheck x = rp_only_here\n");
	/* the same directory, as a path relative to our working directory */
	char cwd[4096];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	struct rp_buf rel;
	rp_buf_init(&rel);
	for (const char *c = cwd; *c; c++)
		if (*c == '/' && c[1])
			rp_buf_puts(&rel, "../");
	rp_buf_puts(&rel, plugin_dir + 1);
	char *prog = h_build_path("plugins/check_readiness");
	char *argv[] = { prog, (char *)"-f", m, (char *)"--dry-run", NULL };
	const char *dirs[] = { rel.data, plugin_dir };
	const char *want[] = { "a/x: rp_only_here   # not found", NULL };
	for (size_t i = 0; i < 2; i++) {
		char *path = rp_xasprintf("PATH=%s:/usr/bin:/bin", dirs[i]);
		char *envp[] = { path, NULL };
		struct h_run r;
		h_run_argv(&r, argv, envp, 10);
		if (want[i])
			ck_assert_msg(strstr(r.out, want[i]) != NULL, "%s", r.out);
		else
			ck_assert_msg(strstr(r.out, exe) != NULL, "%s", r.out);
		h_run_free(&r);
		free(path);
	}
	rp_buf_free(&rel);
	free(prog);
	ck_assert_int_eq(unlink(exe), 0);
	ck_assert_int_eq(rmdir(plugin_dir), 0);
	free(exe);
	free(plugin_dir);
	free(m);
}
END_TEST

static Suite *check_readiness_suite(void)
{
	Suite *s = suite_create("check_readiness");
	TCase *tc = tcase_create("runs");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_partly_ready_stack);
	tcase_add_test(tc, test_commands_shown_redacted);
	tcase_add_test(tc, test_misbehaving_children);
	tcase_add_test(tc, test_deadlines);
	tcase_add_test(tc, test_child_lines_keep_states);
	tcase_add_test(tc, test_score_by_subchecks);
	tcase_add_test(tc, test_junit_and_tap);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_bad_manifests);
	tcase_add_test(tc, test_relative_path_entries_skipped);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_readiness_suite)
