/* Rendering: the nagios layout (worst first, perfdata on line 1, hostile
 * text contained) and JSON that json-c parses back with the same fields. */
#include "rp_render.h"
#include "rp_test.h"

#include <json-c/json.h>
#include <string.h>

static struct rp_check *sample_tree(void)
{
	struct rp_check *root = rp_check_new();
	rp_check_set_text(root, "2 tables missing");
	rp_check_add(root, RP_OK, "table price_comparisons: present, 12030 rows");
	rp_check_add(root, RP_CRITICAL, "table whale_transactions: missing");
	rp_check_add(root, RP_WARNING, "slow");
	rp_check_add(root, RP_CRITICAL, "table correlation_tracking: missing");
	rp_check_detail(root, 1, "sqlite version 3.40");
	struct rp_check *g = rp_check_add_group(root, "migrations");
	rp_check_add(g, RP_OK, "0001_init.sql applied");
	rp_check_add_perf(root, "tables", 1, RP_UNIT_NONE, NULL);
	rp_check_add_perf(g, "pending", 0, RP_UNIT_NONE, NULL);
	return root;
}

static char *render(const struct rp_check *root, enum rp_output_format f, int verbosity)
{
	struct rp_render_opts o = { "check_test", "TEST", verbosity, f, 0 };
	struct rp_buf b;
	rp_buf_init(&b);
	rp_render(root, &o, &b);
	return rp_buf_steal(&b);
}

START_TEST(test_nagios_layout)
{
	struct rp_check *root = sample_tree();
	char *out = render(root, RP_FORMAT_NAGIOS, 0);
	ck_assert_str_eq(out, "TEST CRITICAL - 2 tables missing | 'tables'=1 'pending'=0\n"
	                      "[CRITICAL] table whale_transactions: missing\n"
	                      "[CRITICAL] table correlation_tracking: missing\n"
	                      "[WARNING] slow\n"
	                      "[OK] table price_comparisons: present, 12030 rows\n"
	                      "[OK] migrations\n"
	                      "  [OK] 0001_init.sql applied\n");
	free(out);
	out = render(root, RP_FORMAT_NAGIOS, 1);
	ck_assert(strstr(out, "[OK] sqlite version 3.40\n") != NULL);
	free(out);
	rp_check_free(root);
}
END_TEST

START_TEST(test_hostile_text_contained)
{
	struct rp_check *root = rp_check_new();
	rp_check_set_text(root, "peer said: ok | 'x'=1\nTEST OK - fake");
	rp_check_add(root, RP_CRITICAL, "reply: a|b\n[OK] forged line");
	char *out = render(root, RP_FORMAT_NAGIOS, 0);
	/* exactly two lines, and no perfdata at all */
	ck_assert_str_eq(out, "TEST CRITICAL - peer said: ok \\x7c 'x'=1\\nTEST OK - fake\n"
	                      "[CRITICAL] reply: a\\x7cb\\n[OK] forged line\n");
	free(out);
	rp_check_free(root);
}
END_TEST

START_TEST(test_summary_fallbacks)
{
	struct rp_check *root = rp_check_new();
	char *out = render(root, RP_FORMAT_NAGIOS, 0);
	ck_assert_str_eq(out, "TEST UNKNOWN - no checks were performed\n");
	free(out);
	rp_check_add(root, RP_WARNING, "disk slow");
	out = render(root, RP_FORMAT_NAGIOS, 0);
	ck_assert_str_eq(out, "TEST WARNING - disk slow\n[WARNING] disk slow\n");
	free(out);
	rp_check_free(root);
}
END_TEST

START_TEST(test_summary_bounded)
{
	struct rp_check *root = rp_check_new();
	char big[1000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	rp_check_set_text(root, "%s", big);
	rp_check_set_state(root, RP_OK);
	char *out = render(root, RP_FORMAT_NAGIOS, 0);
	/* the whole of line 1 (no perfdata here) */
	ck_assert_uint_le(strlen(out) - 1, RP_SUMMARY_MAX);
	free(out);
	rp_check_free(root);
}
END_TEST

START_TEST(test_json_parses_back)
{
	struct rp_check *root = sample_tree();
	rp_check_add_perf_unknown(root, "time", RP_UNIT_SECONDS, NULL);
	char *out = render(root, RP_FORMAT_JSON, 0);
	json_object *j = json_tokener_parse(out);
	ck_assert_msg(j != NULL, "not JSON: %s", out);
	json_object *v;
	ck_assert(json_object_object_get_ex(j, "schema_version", &v));
	ck_assert_int_eq(json_object_get_int(v), RP_JSON_SCHEMA_VERSION);
	ck_assert(json_object_object_get_ex(j, "state", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert(json_object_object_get_ex(j, "state_text", &v));
	ck_assert_str_eq(json_object_get_string(v), "CRITICAL");
	ck_assert(json_object_object_get_ex(j, "summary", &v));
	ck_assert_str_eq(json_object_get_string(v), "2 tables missing");
	ck_assert(json_object_object_get_ex(j, "plugin", &v));
	ck_assert_str_eq(json_object_get_string(v), "check_test");

	json_object *checks;
	ck_assert(json_object_object_get_ex(j, "checks", &checks));
	ck_assert_uint_eq(json_object_array_length(checks), 6);
	json_object *first = json_object_array_get_idx(checks, 0);
	ck_assert(json_object_object_get_ex(first, "text", &v));
	ck_assert_str_eq(json_object_get_string(v), "table whale_transactions: missing");
	ck_assert(json_object_object_get_ex(first, "state", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	json_object *group = json_object_array_get_idx(checks, 5);
	json_object *nested;
	ck_assert(json_object_object_get_ex(group, "checks", &nested));
	ck_assert_uint_eq(json_object_array_length(nested), 1);
	json_object *detail = json_object_array_get_idx(checks, 4);
	ck_assert(json_object_object_get_ex(detail, "detail", &v));

	json_object *perf;
	ck_assert(json_object_object_get_ex(j, "perfdata", &perf));
	ck_assert_uint_eq(json_object_array_length(perf), 3);
	json_object *p0 = json_object_array_get_idx(perf, 0);
	ck_assert(json_object_object_get_ex(p0, "label", &v));
	ck_assert_str_eq(json_object_get_string(v), "tables");
	ck_assert(json_object_object_get_ex(p0, "value", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	const char *keys[] = { "uom", "warn", "crit", "min", "max" };
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(json_object_object_get_ex(p0, keys[i], &v), "perfdata has %s",
		              keys[i]);
	json_object *p2 = json_object_array_get_idx(perf, 1);
	ck_assert(json_object_object_get_ex(p2, "value", &v));
	ck_assert(json_object_get_type(v) == json_type_null);
	ck_assert(json_object_object_get_ex(p2, "uom", &v));
	ck_assert_str_eq(json_object_get_string(v), "s");
	json_object_put(j);
	free(out);
	rp_check_free(root);
}
END_TEST

START_TEST(test_json_hostile)
{
	struct rp_check *root = rp_check_new();
	rp_check_add(root, RP_OK, "quote \" backslash \\ ctl \x01 bad \xff");
	char *out = render(root, RP_FORMAT_JSON, 0);
	json_object *j = json_tokener_parse(out);
	ck_assert_msg(j != NULL, "not JSON: %s", out);
	json_object *checks, *v;
	ck_assert(json_object_object_get_ex(j, "checks", &checks));
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(checks, 0), "text", &v));
	ck_assert_str_eq(json_object_get_string(v), "quote \" backslash \\ ctl \\x01 bad \\xff");
	json_object_put(j);
	free(out);
	rp_check_free(root);
}
END_TEST

/* The long output stops at RP_LONG_LINES_MAX lines and says how many were
 * left out; JSON likewise. */
START_TEST(test_long_output_bounded)
{
	struct rp_check *root = rp_check_new();
	for (int i = 0; i < 1500; i++)
		rp_check_add(root, RP_CRITICAL, "finding %d", i);
	rp_check_set_text(root, "1500 findings");
	struct rp_render_opts o = { "check_x", "X", 0, RP_FORMAT_NAGIOS, 0 };
	struct rp_buf b;
	rp_buf_init(&b);
	rp_render(root, &o, &b);
	size_t lines = 0;
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	ck_assert_uint_eq(lines, 1 + RP_LONG_LINES_MAX + 1);
	ck_assert_ptr_nonnull(
	        strstr(b.data, "... and 500 more lines (the long output stops at 1000)"));
	rp_buf_reset(&b);
	o.format = RP_FORMAT_JSON;
	rp_render(root, &o, &b);
	ck_assert_ptr_nonnull(strstr(b.data, "\"checks_left_out\":500"));
	ck_assert_ptr_null(strstr(b.data, "finding 1000\""));
	rp_buf_free(&b);
	rp_check_free(root);
}
END_TEST

/* Markdown for CI summaries: a table of the top-level checks, a table per
 * group, worst first; cells cannot add columns, links or HTML. */
START_TEST(test_markdown)
{
	struct rp_check *root = sample_tree();
	char *out = render(root, RP_FORMAT_MARKDOWN, 0);
	const char *head = "### TEST CRITICAL\n\n2 tables missing\n\n"
	                   "| check | state | summary |\n|---|---|---|\n"
	                   "|  | **CRITICAL** | table whale\\_transactions: missing |\n";
	ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s", out);
	ck_assert(strstr(out, "|  | OK | migrations |\n") != NULL);
	ck_assert(strstr(out, "#### migrations: OK\n\n| check | state | summary |\n|---|---|---|\n"
	                      "|  | OK | 0001\\_init.sql applied |\n") != NULL);
	/* details are not checks */
	ck_assert(strstr(out, "sqlite version") == NULL);
	free(out);
	rp_check_free(root);

	root = rp_check_new();
	struct rp_check *cat = rp_check_add_group(root, "db: score 50/100");
	rp_check_set_name(cat, "db");
	struct rp_check *k =
	        rp_check_add(cat, RP_WARNING, "x: <script>alert(1)</script> [a](http://e) | *b*");
	rp_check_set_name(k, "x");
	out = render(root, RP_FORMAT_MARKDOWN, 0);
	ck_assert_msg(strstr(out, "| db | **WARNING** | score 50/100 |\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "| x | **WARNING** | &lt;script&gt;alert(1)&lt;/script&gt; "
	                          "\\[a\\](http://e) \\\\x7c \\*b\\* |\n") != NULL,
	              "%s", out);
	free(out);
	rp_check_free(root);
}
END_TEST

/* Prometheus and OpenMetrics: base units, names made safe, duplicates and
 * 'U' left out, the reason escaped as a label value. */
START_TEST(test_prometheus)
{
	struct rp_check *root = rp_check_new();
	rp_check_set_text(root, "db \"main\" down\\ now\nreally");
	rp_check_add(root, RP_CRITICAL, "db down");
	rp_check_add_perf(root, "time", 0.25, RP_UNIT_SECONDS, NULL);
	rp_check_add_perf(root, "size", 2048, RP_UNIT_BYTES, NULL);
	rp_check_add_perf(root, "score", 37.5, RP_UNIT_PERCENT, NULL);
	rp_check_add_perf(root, "restarts", 3, RP_UNIT_COUNTER, NULL);
	rp_check_add_perf(root, "Age.Events", 12, RP_UNIT_SECONDS, NULL);
	rp_check_add_perf(root, "age_events", 99, RP_UNIT_SECONDS, NULL);
	rp_check_add_perf_unknown(root, "p95", RP_UNIT_SECONDS, NULL);
	char *out = render(root, RP_FORMAT_PROMETHEUS, 0);
	ck_assert_msg(strstr(out, "readiness_state{plugin=\"check_test\",reason=\"db \\\"main\\\" "
	                          "down\\\\ now\\\\nreally\"} 2\n"),
	              "%s", out);
	ck_assert(strstr(out, "readiness_up{plugin=\"check_test\"} 0\n"));
	ck_assert(strstr(out, "readiness_time_seconds{plugin=\"check_test\"} 0.25\n"));
	ck_assert(strstr(out, "readiness_size_bytes{plugin=\"check_test\"} 2048\n"));
	ck_assert(strstr(out, "readiness_score_ratio{plugin=\"check_test\"} 0.375\n"));
	ck_assert(strstr(out, "# TYPE readiness_restarts_total counter\n"
	                      "readiness_restarts_total{plugin=\"check_test\"} 3\n"));
	ck_assert(strstr(out, "readiness_age_events_seconds{plugin=\"check_test\"} 12\n"));
	ck_assert(!strstr(out, "} 99\n")); /* the same name again */
	ck_assert(!strstr(out, "p95"));    /* unmeasured */
	ck_assert(!strstr(out, "# UNIT") && !strstr(out, "# EOF"));
	free(out);
	out = render(root, RP_FORMAT_OPENMETRICS, 0);
	ck_assert(strstr(out, "# TYPE readiness_time_seconds gauge\n"
	                      "# UNIT readiness_time_seconds seconds\n"));
	ck_assert(strstr(out, "# TYPE readiness_restarts counter\n"
	                      "readiness_restarts_total{plugin=\"check_test\"} 3\n"));
	size_t n = strlen(out);
	ck_assert(n > 6 && strcmp(out + n - 6, "# EOF\n") == 0);
	free(out);
	rp_check_free(root);
}
END_TEST

/* A skipped check: left out of its parent's state, last in every list,
 * and said to be skipped in each format's own words. */
START_TEST(test_skipped)
{
	struct rp_check *root = rp_check_new();
	struct rp_check *g = rp_check_add_group(root, "api");
	rp_check_set_name(g, "api");
	struct rp_check *s = rp_check_skipped(g, "login: skipped: requires db/schema (CRITICAL)");
	rp_check_set_name(s, "login");
	struct rp_check *ok = rp_check_add(g, RP_OK, "health: fine");
	rp_check_set_name(ok, "health");
	ck_assert_int_eq(rp_check_state(s), RP_UNKNOWN);
	ck_assert_int_eq(rp_check_state(g), RP_OK); /* the skipped one is left out */
	ck_assert_uint_eq(rp_check_count(g, RP_UNKNOWN), 0);
	char *out = render(root, RP_FORMAT_NAGIOS, 0);
	ck_assert_msg(strstr(out, "\n[OK] api\n  [OK] health: fine\n"
	                          "  [SKIPPED] login: skipped: requires db/schema (CRITICAL)\n"),
	              "%s", out);
	free(out);
	out = render(root, RP_FORMAT_JSON, 0);
	ck_assert_msg(strstr(out, "\"name\":\"login\",\"text\":\"login: skipped: requires "
	                          "db/schema (CRITICAL)\",\"skipped\":true}"),
	              "%s", out);
	free(out);
	out = render(root, RP_FORMAT_JUNIT, 0);
	ck_assert_msg(strstr(out, "tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\""), "%s",
	              out);
	ck_assert(strstr(out, "<testcase classname=\"api\" name=\"login\">\n      <skipped "
	                      "message=\"login: skipped: requires db/schema (CRITICAL)\"/>\n"));
	free(out);
	out = render(root, RP_FORMAT_TAP, 0);
	ck_assert_msg(
	        strstr(out, "ok 1 - api/login: skipped: requires db/schema (CRITICAL) # SKIP\n"),
	        "%s", out);
	free(out);
	out = render(root, RP_FORMAT_MARKDOWN, 0);
	ck_assert(strstr(out, "| login | skipped | skipped: requires db/schema (CRITICAL) |\n"));
	free(out);
	/* a group of skipped checks only: nothing says OK */
	struct rp_check *all = rp_check_add_group(root, "web");
	rp_check_skipped(all, "front: skipped");
	ck_assert_int_eq(rp_check_state(all), RP_UNKNOWN);
	rp_check_free(root);
}
END_TEST

/* HTML: a page that needs nothing else, whose texts cannot add markup,
 * with a chart when the run has a history. */
START_TEST(test_html)
{
	struct rp_check *root = rp_check_new();
	rp_check_set_text(root, "score 40/100, 1 blocker: db/x");
	struct rp_check *g = rp_check_add_group(root, "db");
	rp_check_set_name(g, "db");
	struct rp_check *x = rp_check_add(g, RP_CRITICAL,
	                                  "x: <script>alert(1)</script><img src=http://e/p.png>");
	rp_check_set_name(x, "x");
	x->blocker = true;
	rp_check_skipped(g, "y: skipped: requires db/x (CRITICAL)");
	rp_check_note(root, "since the previous run: score 80 -> 40");
	char *out = render(root, RP_FORMAT_HTML, 0);
	ck_assert(strncmp(out, "<!DOCTYPE html>\n", 16) == 0);
	ck_assert(strstr(out, "content=\"default-src 'none'; style-src 'unsafe-inline'\""));
	ck_assert(!strstr(out, "<script") && !strstr(out, "<img"));
	ck_assert(
	        strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=http://e/p.png&gt;"));
	ck_assert(strstr(out, "<h1>TEST CRITICAL</h1>"));
	ck_assert(strstr(out, "<section id=\"blockers\"><h2>Blockers</h2>"));
	ck_assert(strstr(out, "<tr><td>db/x</td><td><span class=\"badge st-critical\">"));
	ck_assert(strstr(out,
	                 "<p>1 check skipped: not run, because what it requires is not OK.</p>"));
	ck_assert(strstr(out, "<li>since the previous run: score 80 -&gt; 40</li>"));
	ck_assert(!strstr(out, "<svg")); /* no history, no chart */
	ck_assert(strstr(out, "</html>\n"));
	free(out);
	struct rp_series *s = rp_check_series_new("score", 0, 100);
	s->warn_at = 90;
	rp_check_series_add(s, 1700000000, 40, RP_CRITICAL);
	rp_check_series_add(s, 1700086400, 100, RP_OK);
	rp_check_set_series(root, s);
	out = render(root, RP_FORMAT_HTML, 0);
	/* 40 at the left edge, 100 at the right and top; the threshold at 90 */
	ck_assert_msg(strstr(out, "<polyline class=\"line\" points=\"48.0,138.8 742.0,14.0\"/>"),
	              "%s", out);
	ck_assert(strstr(out, "<title>2023-11-14 22:13:20 UTC: score 40 (CRITICAL)</title>"));
	ck_assert(strstr(out, "<line class=\"warn\" x1=\"48\" x2=\"742\" y1=\"34.8\""));
	ck_assert(!strstr(out, "class=\"crit\""));
	ck_assert(strstr(out, "2 runs recorded, from 2023-11-14 22:13 UTC to 2023-11-15 22:13 UTC; "
	                      "now 100, lowest 40, highest 100."));
	free(out);
	rp_check_free(root);
}
END_TEST

static Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_nagios_layout);
	tcase_add_test(tc, test_hostile_text_contained);
	tcase_add_test(tc, test_summary_fallbacks);
	tcase_add_test(tc, test_summary_bounded);
	tcase_add_test(tc, test_json_parses_back);
	tcase_add_test(tc, test_json_hostile);
	tcase_add_test(tc, test_long_output_bounded);
	tcase_add_test(tc, test_markdown);
	tcase_add_test(tc, test_prometheus);
	tcase_add_test(tc, test_skipped);
	tcase_add_test(tc, test_html);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(render_suite)
