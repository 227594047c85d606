/* check_sqlite against real SQLite files built here with the C API: files
 * that are missing, empty, not databases or unreadable (docs/incidents.md F7,
 * F8), judged metrics, data and freshness (F10, F11), schema files, usage;
 * and the promise that a check changes nothing (sqlite_fixture.h). */
#include "sqlite_fixture.h"
#include "rp_deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ F7, F8 */

START_TEST(test_missing_file_is_not_created)
{
	struct h_run r;
	char *p = path_of("utxo.db");
	RUN_UNCHANGED(&r, "--db", p, NULL);
	h_assert_state(&r, 2, "utxo.db does not exist");
	ck_assert(access(p, F_OK) != 0);
	h_run_free(&r);
	/* also with every check option */
	RUN_UNCHANGED(&r, "--db", p, "--table", "a", "--not-empty", "a", "--fresh", "a.b",
	              "--integrity", "quick", NULL);
	h_assert_state(&r, 2, "does not exist");
	ck_assert(access(p, F_OK) != 0);
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_zero_tables)
{
	struct h_run r;
	char *empty = h_write_file(dir, "empty.db", "", 0);
	RUN_UNCHANGED(&r, "-d", empty, NULL);
	h_assert_state(&r, 2, "has 0 tables: the file is empty");
	h_run_free(&r);
	/* a real database whose schema was never created */
	char *blank =
	        make_db("blank.db", "PRAGMA user_version = 0; CREATE TABLE t(x); DROP TABLE t;");
	RUN_UNCHANGED(&r, "-d", blank, NULL);
	h_assert_state(&r, 2, "has 0 tables (schema never initialised?)");
	ck_assert(h_perf(&r, "tables") == 0);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", blank, "--table", "whale_transactions,correlation_tracking",
	              "--table", "price_comparisons", NULL);
	h_assert_state(&r, 2, "has 0 tables; expected 3 (schema never initialised?)");
	ck_assert(h_perf(&r, "missing") == 3);
	ck_assert(strstr(r.out, "[CRITICAL] table whale_transactions: missing") != NULL);
	h_run_free(&r);
	free(empty);
	free(blank);
}
END_TEST

/* A D1 database recreated empty holds wrangler's _cf_METADATA: a
 * framework's table is not the application's (the seed's own failure). */
START_TEST(test_framework_tables_not_counted)
{
	char *p = make_db("d1-recreated.sqlite",
	                  "CREATE TABLE _cf_METADATA(key INTEGER PRIMARY KEY, value BLOB);");
	struct h_run r;
	run(&r, "-d", p, NULL);
	h_assert_state(&r, 2, "has 0 tables (schema never initialised?)");
	ck_assert_msg(strstr(r.out, "[CRITICAL] 0 application tables (schema never initialised?); "
	                            "not counted: _cf_METADATA (a framework's own)") != NULL,
	              "%s", r.out);
	ck_assert(h_perf(&r, "tables") == 0);
	h_run_free(&r);
	/* expected tables missing: no "[OK] 0 ... tables" under the CRITICAL */
	run(&r, "-d", p, "--table", "events", NULL);
	h_assert_state(&r, 2, "has 0 tables; expected 1");
	ck_assert_msg(strstr(r.out, "[OK] 0") == NULL, "%s", r.out);
	h_run_free(&r);
	free(p);
	/* -v lists the tables */
	p = make_db("app.sqlite", "CREATE TABLE _cf_METADATA(key INTEGER PRIMARY KEY);"
	                          "CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY, name TEXT);"
	                          "CREATE TABLE users(id INTEGER);");
	run(&r, "-d", p, "-v", NULL);
	h_assert_state(&r, 0, ": 1 table");
	ck_assert_msg(strstr(r.out, "[OK] 1 application table;") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "tables: _cf_METADATA, d1_migrations, users") != NULL, "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "not counted: _cf_METADATA, d1_migrations") != NULL, "%s",
	              r.out);
	h_run_free(&r);
	free(p);
}
END_TEST

/* A name from outside (a table called 'a|b\xff') cannot break line 1's
 * perfdata: its label holds no |, quote, = or invalid UTF-8. */
START_TEST(test_names_in_perfdata_labels)
{
	char *p =
	        make_db("odd.db",
	                "CREATE TABLE \"a|b'c=d\xff\"(x); INSERT INTO \"a|b'c=d\xff\" VALUES (1);");
	struct h_run r;
	run(&r, "-d", p, "--rows", "a|b'c=d\xff", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert_msg(strstr(r.out, "'rows.a_b_c_d_'=1") != NULL, "%s", r.out);
	ck_assert_uint_eq(r.parsed.perf.n, 4);
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_not_a_database)
{
	struct h_run r;
	char junk[8192];
	unsigned int seed = 42;
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(rand_r(&seed) & 0xff);
	char *p = h_write_file(dir, "random.db", junk, sizeof junk);
	RUN_UNCHANGED(&r, "-d", p, NULL);
	h_assert_state(&r, 2, "is not a SQLite database");
	h_run_free(&r);
	free(p);
	p = h_write_file(dir, "short.db", "SQLite format 3", 15);
	RUN_UNCHANGED(&r, "-d", p, NULL);
	h_assert_state(&r, 2, "is not a SQLite database");
	h_run_free(&r);
	free(p);
	/* a DuckDB store (the Python API's 12 KB utxoracle.db): named, and
	 * UNKNOWN, since this plugin cannot judge it */
	char duck[12288] = { 0 };
	memcpy(duck + 8, "DUCK", 4);
	p = h_write_file(dir, "utxoracle.db", duck, sizeof duck);
	RUN_UNCHANGED(&r, "-d", p, "--table", "prices", NULL);
	h_assert_state(&r, 3,
	               "utxoracle.db is a DuckDB database, not SQLite (its header is "
	               "DuckDB's): check it with check_duckdb");
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_truncated_and_corrupt)
{
	struct h_run r;
	char *p = make_db("big.db",
	                  "CREATE TABLE t(x TEXT); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
	                  "SELECT i+1 FROM c WHERE i < 2000) INSERT INTO t SELECT "
	                  "printf('%0100d', i) FROM c;");
	ck_assert(truncate(p, 8192) == 0);
	RUN_UNCHANGED(&r, "-d", p, NULL);
	h_assert_state(&r, 2, "is corrupt: truncated: the header says");
	h_run_free(&r);
	free(p);

	/* garbage over the pages after the header page: SQLite says malformed */
	p = make_db("bad.db",
	            "CREATE TABLE t(x TEXT); CREATE INDEX tx ON t(x); WITH RECURSIVE c(i) AS "
	            "(SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 2000) INSERT INTO t "
	            "SELECT printf('%0100d', i) FROM c;");
	int fd = open(p, O_WRONLY);
	char junk[4096];
	memset(junk, 0xa5, sizeof junk);
	for (off_t off = 4096; off < 40960; off += 4096)
		ck_assert(pwrite(fd, junk, sizeof junk, off) == (ssize_t)sizeof junk);
	close(fd);
	RUN_UNCHANGED(&r, "-d", p, "--integrity", "quick", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_msg(strstr(r.out, "malformed") || strstr(r.out, "integrity"), "%s", r.out);
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_not_regular_files)
{
	struct h_run r;
	char *fifo = path_of("pipe.db");
	ck_assert(mkfifo(fifo, 0644) == 0);
	RUN_UNCHANGED(&r, "-d", fifo, "-t", "5", NULL);
	h_assert_state(&r, 2, "pipe.db is a FIFO, not a database file");
	ck_assert_msg(r.raw.elapsed < 1.0, "a FIFO took %f s", r.raw.elapsed);
	h_run_free(&r);
	make_dir("adir.db");
	char *d = path_of("adir.db");
	RUN_UNCHANGED(&r, "-d", d, NULL);
	h_assert_state(&r, 2, "is a directory, not a database file");
	h_run_free(&r);
	run(&r, "-d", "/dev/null", NULL);
	h_assert_state(&r, 2, "is a character device");
	h_run_free(&r);
	free(fifo);
	free(d);
}
END_TEST

START_TEST(test_permission_denied)
{
	struct h_run r;
	char *p = make_db("secret.db", app_schema);
	chmod(p, 0600);
	if (geteuid() == 0) {
		/* root reads everything: ask as nobody */
		char *plugin = h_build_path(PLUGIN);
		char *argv[] = { (char *)"setpriv",
			         (char *)"--reuid=65534",
			         (char *)"--regid=65534",
			         (char *)"--clear-groups",
			         plugin,
			         (char *)"-d",
			         p,
			         NULL };
		h_run_argv(&r, argv, NULL, 30);
		free(plugin);
		h_assert_contract(&r, "SQLITE");
	} else {
		chmod(p, 0);
		run(&r, "-d", p, NULL);
	}
	h_assert_state(&r, 2, "permission denied");
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_path_with_spaces_and_ok)
{
	struct h_run r;
	char *p = make_db("my app #1 ?.db", app_schema);
	RUN_UNCHANGED(&r, "-d", p, NULL);
	h_assert_state(&r, 0, "3 tables");
	ck_assert(h_perf(&r, "tables") == 3);
	ck_assert(h_perf(&r, "size") > 0);
	ck_assert(h_has_perf(&r, "time"));
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--table", "events,users", "--output-format", "json", NULL);
	json_object *j = h_json(&r), *v;
	ck_assert(json_object_object_get_ex(j, "state", &v) && json_object_get_int(v) == 0);
	ck_assert(json_object_object_get_ex(j, "perfdata", &v));
	ck_assert_uint_ge(json_object_array_length(v), 4);
	json_object_put(j);
	h_run_free(&r);
	free(p);
}
END_TEST

/* Every threshold the plugin shows in its perfdata decides the state, also
 * on metrics it does not word itself (time, size), and a threshold on a
 * metric the run did not measure says so. */
START_TEST(test_every_metric_judged)
{
	struct h_run r;
	char *p = make_db("judged.db", app_schema);
	run(&r, "-d", p, "-c", "time=0.00001", NULL);
	h_assert_state(&r, 2, "time is ");
	ck_assert(strstr(r.parsed.first_line, "above the critical threshold 0.00001 s") != NULL);
	ck_assert(strstr(r.parsed.first_line, "3 tables") != NULL);
	h_run_free(&r);
	run(&r, "-d", p, "-w", "size=1", NULL);
	h_assert_state(&r, 1, "size is ");
	h_run_free(&r);
	run(&r, "-d", p, "-w", "size=1", "-c", "size=2", "--output-format", "json", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	h_run_free(&r);
	run(&r, "-d", p, "-c", "age=1h", "-w", "time=10s", NULL);
	h_assert_state(&r, 0, "3 tables");
	ck_assert(strstr(r.out, "[OK] age: not measured in this run, so its critical threshold "
	                        "was not applied") != NULL);
	h_run_free(&r);
	free(p);
}
END_TEST

/* ------------------------------------------------------ F10, F11: data */

START_TEST(test_not_empty_and_rows)
{
	char *p = make_db("data.db", app_schema);
	sqlite3 *db;
	sqlite3_open(p, &db);
	sqlite3_exec(db,
	             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 500) "
	             "INSERT INTO events(ts, kind) SELECT i, 'x' FROM c;",
	             NULL, NULL, NULL);
	sqlite3_close(db);
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--not-empty", "events", "--not-empty", "users", NULL);
	h_assert_state(&r, 2, "table users: no rows");
	ck_assert(strstr(r.out, "[OK] table events: has rows") != NULL);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--rows", "events,users", "-w", "rows.events=1000:", "-c",
	              "rows.users=1:", NULL);
	h_assert_state(&r, 2, "table users: 0 rows");
	ck_assert(h_perf(&r, "rows.events") == 500);
	ck_assert(h_perf(&r, "rows.users") == 0);
	ck_assert(strstr(r.out, "[WARNING] table events: 500 rows") != NULL);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--rows", "events", "-c", "rows=100:", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--not-empty", "nothere", NULL);
	h_assert_state(&r, 2, "table nothere: missing");
	h_run_free(&r);
	free(p);
}
END_TEST

static char *fresh_db(const char *name, const char *column_type, const char *value_sql)
{
	char *sql = rp_xasprintf("CREATE TABLE events(id INTEGER PRIMARY KEY, ts %s);"
	                         "CREATE INDEX events_ts ON events(ts);"
	                         "INSERT INTO events(ts) VALUES (%s);",
	                         column_type, value_sql);
	char *p = make_db(name, sql);
	free(sql);
	return p;
}

START_TEST(test_fresh_formats)
{
	struct {
		const char *name, *type, *value, *format, *age_text;
		int state;
	} cases[] = {
		{ "unix.db", "INTEGER", "strftime('%s','now') - 30", "unix", "30 s old", 0 },
		{ "ms.db", "INTEGER", "(strftime('%s','now') - 1800) * 1000", "unix-ms",
		  "30 min old", 1 },
		{ "iso.db", "TEXT", "datetime('now', '-3 hours')", "iso", "3 h old", 2 },
		{ "isoz.db", "TEXT", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 minutes')", "iso",
		  "2 min old", 0 },
		{ "offset.db", "TEXT",
		  "strftime('%Y-%m-%dT%H:%M:%S', 'now', '+2 hours', '-5 minutes') || '+02:00'",
		  "iso", "5 min old", 0 },
		{ "julian.db", "REAL", "julianday('now') - 2.0/24", "julian", "2 h old", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *p = fresh_db(cases[i].name, cases[i].type, cases[i].value);
		struct h_run r;
		RUN_UNCHANGED(&r, "-d", p, "--fresh", "events.ts", "-w", "age=10m", "-c", "age=1h",
		              "-v", NULL);
		ck_assert_msg(r.exit_code == cases[i].state, "%s: %s", cases[i].name, r.out);
		ck_assert_msg(strstr(r.out, cases[i].age_text) != NULL, "%s: %s", cases[i].name,
		              r.out);
		char *fmt = rp_xasprintf("values read as %s (detected)", cases[i].format);
		ck_assert_msg(strstr(r.out, fmt) != NULL, "%s: %s", cases[i].name, r.out);
		ck_assert(h_has_perf(&r, "age.events"));
		free(fmt);
		h_run_free(&r);
		free(p);
	}
}
END_TEST

START_TEST(test_fresh_edge_cases)
{
	struct h_run r;
	char *p = fresh_db("future.db", "INTEGER", "strftime('%s','now') + 7200");
	RUN_UNCHANGED(&r, "-d", p, "--fresh", "events.ts", "-c", "age=1d", NULL);
	h_assert_state(&r, 1, "newest row is 2 h in the future (clock skew?)");
	h_run_free(&r);
	free(p);
	p = make_db("empty_ev.db", "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER);");
	RUN_UNCHANGED(&r, "-d", p, "--fresh", "events.ts", "-c", "age=1d", "-v", NULL);
	h_assert_state(&r, 2, "events.ts: no rows");
	/* no index on ts: -v says the max() is a full scan */
	ck_assert(strstr(r.out, "no index on the column") != NULL);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--fresh", "events.nope", NULL);
	h_assert_state(&r, 2, "events.nope: column missing");
	h_run_free(&r);
	free(p);
	/* a value too small to detect, read with a forced format */
	p = fresh_db("small.db", "INTEGER", "12345");
	RUN_UNCHANGED(&r, "-d", p, "--fresh", "events.ts", NULL);
	h_assert_state(&r, 3, "does not look like a timestamp");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--fresh", "events.ts", "--fresh-format", "unix", "-c", "age=1d",
	              "-v", NULL);
	h_assert_state(&r, 2, NULL);
	ck_assert(strstr(r.out, "values read as unix (--fresh-format)") != NULL);
	h_run_free(&r);
	free(p);
	/* the rowid alias counts as indexed */
	p = make_db("rowid.db", "CREATE TABLE hb(t INTEGER PRIMARY KEY); INSERT INTO hb VALUES "
	                        "(strftime('%s','now'));");
	RUN_UNCHANGED(&r, "-d", p, "--fresh", "hb.t", "-v", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert(strstr(r.out, "no index") == NULL);
	h_run_free(&r);
	free(p);
}
END_TEST

/* -------------------------------------------------------------- schema */

/* Bounds: a schema that builds more than 16 MiB is refused, in time. */
START_TEST(test_schema_bounded)
{
	char *p = make_db("small.db", app_schema);
	write_text("huge.sql", "CREATE TABLE a(x);\n"
	                       "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	                       "LIMIT 10000000) INSERT INTO a SELECT randomblob(100) FROM c;\n");
	char *schema = path_of("huge.sql");
	struct h_run r;
	run(&r, "-d", p, "--schema", schema, NULL);
	h_assert_state(&r, 3, "builds a database over 16 MiB, refused");
	ck_assert_msg(r.raw.elapsed < 5, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	free(schema);
	free(p);
}
END_TEST

START_TEST(test_schema_file)
{
	char *p = make_db("app.db", "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER);"
	                            "CREATE TABLE legacy(x);");
	write_text("schema.sql", "-- expected\nCREATE TABLE events(id INTEGER PRIMARY KEY, ts "
	                         "INTEGER, payload TEXT);\n"
	                         "CREATE TABLE audit(id INTEGER, what TEXT);\n"
	                         "CREATE INDEX events_ts ON events(ts);\n"
	                         "INSERT INTO audit VALUES (1, 'seed');\n");
	char *schema = path_of("schema.sql");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--schema", schema, "-v", NULL);
	h_assert_state(&r, 2, NULL);
	ck_assert(strstr(r.out, "[CRITICAL] schema: table audit missing") != NULL);
	ck_assert(strstr(r.out, "[CRITICAL] schema: column events.payload missing") != NULL);
	ck_assert(strstr(r.out, "extra table legacy") != NULL);
	ck_assert(h_perf(&r, "missing") == 1);
	h_run_free(&r);

	write_text("bad.sql", "CREATE TABLE a(x);\n\nCREAT TABLE b(y);\n");
	char *bad = path_of("bad.sql");
	RUN_UNCHANGED(&r, "-d", p, "--schema", bad, NULL);
	h_assert_state(&r, 3, NULL);
	ck_assert_msg(strstr(r.out, "bad.sql line 3: near \"CREAT\": syntax error") != NULL, "%s",
	              r.out);
	h_run_free(&r);
	/* a schema file cannot reach outside its in-memory database */
	char *evil_target = path_of("created-by-schema.db");
	char *evil_sql = rp_xasprintf("ATTACH '%s' AS x; CREATE TABLE x.t(a);", evil_target);
	write_text("evil.sql", evil_sql);
	char *evil = path_of("evil.sql");
	run(&r, "-d", p, "--schema", evil, NULL);
	h_assert_state(&r, 3, "not authorized");
	ck_assert(access(evil_target, F_OK) != 0);
	h_run_free(&r);
	char *vac_sql = rp_xasprintf("CREATE TABLE a(x); VACUUM INTO '%s';", evil_target);
	write_text("vac.sql", vac_sql);
	char *vac = path_of("vac.sql");
	run(&r, "-d", p, "--schema", vac, NULL);
	h_assert_state(&r, 3, "VACUUM is not allowed");
	ck_assert(access(evil_target, F_OK) != 0);
	h_run_free(&r);
	free(vac_sql);
	free(vac);
	free(evil_sql);
	free(evil);
	free(evil_target);
	free(bad);
	free(schema);
	free(p);
}
END_TEST

/* --------------------------------------------------------------- usage */

START_TEST(test_usage)
{
	const char *bad[][4] = {
		{ "--table", "x", NULL },
		{ "-d", "x.db", "--fresh", "nodot" },
		{ "-d", "x.db", "--integrity", "medium" },
		{ "-d", "x.db", "--fresh-format", "ms" },
		{ "-d", "x.db", "--label", "x" },
		{ "-d", "x.db", "-w", "10" },
		{ "-d", "x.db", "--migrations-column", "c" },
		{ "-d", "x.db", "--table", "a,,b" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct h_run r;
		run(&r, bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL);
		ck_assert_msg(r.exit_code == 3, "%s %s: %s", bad[i][0], bad[i][2], r.out);
		ck_assert(strstr(r.out, "Usage: check_sqlite") != NULL);
		h_run_free(&r);
	}
	struct h_run r;
	h_run(&r, PLUGIN, "--help", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	for (const char *opt = "--db"; opt; opt = NULL)
		ck_assert(strstr(r.out, opt) != NULL);
	const char *opts[] = { "--table",
		               "--schema",
		               "--migrations",
		               "--migrations-table",
		               "--migrations-column",
		               "--not-empty",
		               "--rows",
		               "--fresh",
		               "--fresh-format",
		               "--integrity",
		               "--query",
		               "--label" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		ck_assert_msg(strstr(r.out, opts[i]) != NULL, "--help lacks %s", opts[i]);
	h_run_free(&r);
}
END_TEST

static Suite *check_sqlite_suite(void)
{
	Suite *s = suite_create("check_sqlite");
	TCase *tc = tcase_create("files");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_file_is_not_created);
	tcase_add_test(tc, test_zero_tables);
	tcase_add_test(tc, test_framework_tables_not_counted);
	tcase_add_test(tc, test_names_in_perfdata_labels);
	tcase_add_test(tc, test_not_a_database);
	tcase_add_test(tc, test_truncated_and_corrupt);
	tcase_add_test(tc, test_not_regular_files);
	tcase_add_test(tc, test_permission_denied);
	tcase_add_test(tc, test_path_with_spaces_and_ok);
	tcase_add_test(tc, test_every_metric_judged);
	tcase_add_test(tc, test_not_empty_and_rows);
	tcase_add_test(tc, test_fresh_formats);
	tcase_add_test(tc, test_fresh_edge_cases);
	tcase_add_test(tc, test_schema_file);
	tcase_add_test(tc, test_schema_bounded);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_sqlite_suite)
