/* check_duckdb against real DuckDB files made by DuckDB's own library:
 * the Python API's store empty (12288 bytes) and populated, stale data,
 * pending migrations (SQL files and Alembic), a schema file and drift from
 * it, a file held by a writer, a
 * SQLite file given instead, the library missing; and nothing written. */
#include "sqlite_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Runs check_duckdb with --duckdb-lib and the arguments; checks the
 * contract. */
static void duck(struct h_run *r, const char *first, ...)
{
	const char *pre[] = { "--duckdb-lib", h_libduckdb(), NULL };
	va_list ap;
	va_start(ap, first);
	run_plugin(r, "plugins/check_duckdb", "DUCKDB", pre, first, ap);
	va_end(ap);
}

#define DUCK_UNCHANGED(r, ...) UNCHANGED(duck((r), __VA_ARGS__))

/* "YYYY-MM-DD HH:MM:SS" (UTC) for ago seconds before now. */
static void utc_ago(char *buf, size_t len, long ago)
{
	time_t t = time(NULL) - ago;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* The Python API's store: prices written 2 h ago, trades (epoch seconds)
 * 30 s ago, an empty table. */
static char *store(const char *name)
{
	char two_hours[32], sql[1024];
	utc_ago(two_hours, sizeof two_hours, 7200);
	snprintf(sql, sizeof sql,
	         "CREATE TABLE prices (id INTEGER, ts TIMESTAMP, price DOUBLE);"
	         "INSERT INTO prices SELECT i, TIMESTAMP '%s' - to_seconds(i), i * 1.5 "
	         "FROM range(1000) t(i);"
	         "CREATE TABLE trades (id INTEGER, ts_unix BIGINT);"
	         "INSERT INTO trades VALUES (1, %lld);"
	         "CREATE TABLE whale_transactions (x INTEGER);",
	         two_hours, (long long)time(NULL) - 30);
	char *p = path_of(name);
	h_duckdb_make(p, sql);
	return p;
}

START_TEST(test_empty_and_populated)
{
	if (!h_have_duckdb("test_empty_and_populated"))
		return;
	char *empty = path_of("utxoracle.db");
	h_duckdb_make(empty, "");
	struct h_run r;
	DUCK_UNCHANGED(&r, "-d", empty, NULL);
	h_assert_state(&r, 2, "utxoracle.db has 0 tables (schema never initialised?)");
	ck_assert(h_perf(&r, "size") == 12288);
	h_run_free(&r);
	duck(&r, "-d", empty, "--table", "prices,trades", NULL);
	h_assert_state(&r, 2, "utxoracle.db has 0 tables; expected 2 (schema never initialised?)");
	h_run_free(&r);
	char *full = store("api.db");
	DUCK_UNCHANGED(&r, "-d", full, "--table", "prices,trades", "--rows", "prices", NULL);
	h_assert_state(&r, 0, "api.db: 3 tables");
	ck_assert(h_perf(&r, "rows.prices") == 1000);
	ck_assert(h_perf(&r, "missing") == 0);
	h_run_free(&r);
	duck(&r, "-d", full, "--table", "prices,correlation_tracking", "--not-empty",
	     "whale_transactions", NULL);
	h_assert_state(&r, 2, "table correlation_tracking: missing");
	ck_assert(strstr(r.out, "[CRITICAL] table whale_transactions: no rows") != NULL);
	h_run_free(&r);
	free(empty), free(full);
}
END_TEST

START_TEST(test_fresh)
{
	if (!h_have_duckdb("test_fresh"))
		return;
	char *db = store("api.db");
	struct h_run r;
	/* a TIMESTAMP column, read as epoch seconds */
	duck(&r, "-d", db, "--fresh", "prices.ts", "-w", "age=10m", "-c", "age=1h", NULL);
	h_assert_state(&r, 2, "prices.ts: newest row 2 h old");
	double age = h_perf(&r, "age.prices");
	ck_assert_msg(age >= 7190 && age < 7300, "%f", age);
	h_run_free(&r);
	/* epoch seconds in a BIGINT */
	duck(&r, "-d", db, "--fresh", "trades.ts_unix", "-w", "age=10m", "-c", "age=1h", NULL);
	h_assert_state(&r, 0, "trades.ts_unix: newest row");
	h_run_free(&r);
	duck(&r, "-d", db, "--fresh", "prices.nope", NULL);
	h_assert_state(&r, 2, "prices.nope: column missing");
	h_run_free(&r);
	free(db);
}
END_TEST

START_TEST(test_query)
{
	if (!h_have_duckdb("test_query"))
		return;
	char *db = store("api.db");
	struct h_run r;
	duck(&r, "-d", db, "--query", "SELECT count(*) FROM prices", "--label", "prices", "-w",
	     "2000", "-c", "5000", NULL);
	h_assert_state(&r, 0, "query prices: 1000");
	h_run_free(&r);
	duck(&r, "-d", db, "--query", "SELECT count(*) FROM prices", "-c", "500", NULL);
	h_assert_state(&r, 2, "query: 1000");
	h_run_free(&r);
	DUCK_UNCHANGED(&r, "-d", db, "--query", "DELETE FROM prices", NULL);
	h_assert_state(&r, 3, "refused, the statement is not read-only");
	h_run_free(&r);
	duck(&r, "-d", db, "--query", "SELECT 1; DROP TABLE prices", NULL);
	h_assert_state(&r, 3, "refused, more than one statement");
	h_run_free(&r);
	duck(&r, "-d", db, "--query", "SELECT count(*) FROM read_csv('/etc/passwd')", NULL);
	h_assert_state(&r, 2, "query failed: ");
	h_run_free(&r);
	free(db);
}
END_TEST

START_TEST(test_migrations)
{
	if (!h_have_duckdb("test_migrations"))
		return;
	char *db = path_of("api.db");
	h_duckdb_make(db, "CREATE TABLE users (id INTEGER);"
	                  "CREATE TABLE schema_migrations (version VARCHAR);"
	                  "INSERT INTO schema_migrations VALUES ('1');");
	make_dir("migrations");
	write_text("migrations/0001_users.sql", "CREATE TABLE users (id INTEGER);");
	write_text("migrations/0002_prices.sql", "CREATE TABLE prices (id INTEGER);");
	char *mig = path_of("migrations");
	struct h_run r;
	DUCK_UNCHANGED(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 2, "migrations: 1 of 2 pending (schema_migrations): 0002_prices.sql");
	h_run_free(&r);
	/* Alembic on DuckDB */
	char *adb = path_of("alembic.db");
	h_duckdb_make(adb, "CREATE TABLE alembic_version (version_num VARCHAR(32));"
	                   "INSERT INTO alembic_version VALUES ('a1');");
	make_dir("versions");
	write_text("versions/a1_init.py", "revision = 'a1'\ndown_revision = None\n");
	write_text("versions/b1_prices.py", "revision = 'b1'\ndown_revision = 'a1'\n");
	char *versions = path_of("versions");
	duck(&r, "-d", adb, "--migrations", versions, NULL);
	h_assert_state(&r, 2,
	               "database at a1, head is b1, 1 revision behind: b1 (alembic_version)");
	h_run_free(&r);
	free(db), free(mig), free(adb), free(versions);
}
END_TEST

/* The Python API's schema in DuckDB's dialect: the file DuckDB itself
 * ran to make the store is what check_duckdb reads; then the code moves
 * on (a column, a table) and the store does not. */
#define API_SCHEMA                                                                                 \
	"CREATE SEQUENCE price_ids START 1;\n"                                                     \
	"CREATE TABLE IF NOT EXISTS prices (\n"                                                    \
	"  id INTEGER PRIMARY KEY DEFAULT nextval('price_ids'),\n"                                 \
	"  ts TIMESTAMP NOT NULL,\n"                                                               \
	"  price DOUBLE CHECK (price > 0),\n"                                                      \
	"  \"source\" VARCHAR DEFAULT 'mempool, live',\n"                                          \
	"  UNIQUE (ts, \"source\")\n"                                                              \
	");\n"                                                                                     \
	"CREATE OR REPLACE TABLE trades (id BIGINT, ts_unix BIGINT, meta STRUCT(a INTEGER, b "     \
	"VARCHAR));\n"                                                                             \
	"ALTER TABLE trades ADD COLUMN side VARCHAR;\n"                                            \
	"CREATE VIEW latest AS SELECT * FROM prices ORDER BY ts DESC LIMIT 1;\n"                   \
	"CREATE TABLE snapshot AS SELECT * FROM prices;\n"

START_TEST(test_schema_file)
{
	if (!h_have_duckdb("test_schema_file"))
		return;
	char *db = path_of("api.db");
	h_duckdb_make(db, API_SCHEMA);
	write_text("schema.sql", API_SCHEMA);
	char *schema = path_of("schema.sql");
	struct h_run r;
	DUCK_UNCHANGED(&r, "-d", db, "--schema", schema, "-v", NULL);
	h_assert_state(&r, 0, "api.db: 3 tables");
	ck_assert_msg(strstr(r.out, "schema: all 3 tables and their columns present"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "table snapshot present; the file does not list its columns"),
	              "%s", r.out);
	h_run_free(&r);
	write_text("schema2.sql", API_SCHEMA "ALTER TABLE prices ADD COLUMN volume DOUBLE;\n"
	                                     "CREATE TABLE correlation_tracking (id INTEGER);\n"
	                                     "ALTER TABLE trades DROP COLUMN meta;\n");
	char *newer = path_of("schema2.sql");
	duck(&r, "-d", db, "--schema", newer, "-v", NULL);
	h_assert_state(&r, 2, "schema: table correlation_tracking missing");
	ck_assert_msg(strstr(r.out, "[CRITICAL] schema: column prices.volume missing"), "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "extra column trades.meta"), "%s", r.out);
	ck_assert(h_perf(&r, "missing") == 1);
	h_run_free(&r);
	/* a file with no table in it is not a schema this check can use */
	write_text("none.sql", "SELECT 1; -- CREATE TABLE x (a int)\n");
	char *none = path_of("none.sql");
	duck(&r, "-d", db, "--schema", none, NULL);
	h_assert_state(&r, 3, "declares no table of schema main");
	h_run_free(&r);
	free(db), free(schema), free(newer), free(none);
}
END_TEST

START_TEST(test_files_it_cannot_read)
{
	if (!h_have_duckdb("test_files_it_cannot_read"))
		return;
	struct h_run r;
	char *missing = path_of("missing.db");
	DUCK_UNCHANGED(&r, "-d", missing, NULL);
	h_assert_state(&r, 2, "missing.db does not exist (nothing was created)");
	ck_assert(access(missing, F_OK) != 0);
	h_run_free(&r);
	char *sqlite = make_db("app.sqlite", app_schema);
	duck(&r, "-d", sqlite, NULL);
	h_assert_state(&r, 3,
	               "app.sqlite is a SQLite database, not DuckDB (its header is SQLite's): "
	               "check it with check_sqlite");
	h_run_free(&r);
	/* the running application holds its store open for writing */
	char *held = store("held.db");
	pid_t writer = h_duckdb_writer(held);
	duck(&r, "-d", held, "--table", "prices", NULL);
	h_assert_state(&r, 3, "held.db is held open for writing by another process");
	h_run_free(&r);
	h_stop(writer);
	duck(&r, "-d", held, "--table", "prices", NULL);
	h_assert_state(&r, 0, "held.db: 3 tables");
	h_run_free(&r);
	free(missing), free(sqlite), free(held);
}
END_TEST

START_TEST(test_library)
{
	if (!h_have_duckdb("test_library"))
		return;
	char *db = store("api.db");
	struct h_run r;
	/* absent: said plainly, not a finding about the database */
	const char *none[] = {
		"plugins/check_duckdb", "--duckdb-lib", "/nonexistent/libduckdb.so", "-d", db, NULL
	};
	h_run_argv(&r, (char *const *)none, NULL, 30);
	h_assert_contract(&r, "DUCKDB");
	h_assert_state(&r, 3, "cannot load DuckDB's library /nonexistent/libduckdb.so");
	ck_assert(strstr(r.out, "(give --duckdb-lib PATH)") != NULL);
	h_run_free(&r);
	/* found on the usual library paths */
	char *libdir = rp_xstrdup(h_libduckdb());
	*strrchr(libdir, '/') = '\0';
	char *ld = rp_xasprintf("LD_LIBRARY_PATH=%s", libdir);
	char *envp[] = { ld, (char *)"PATH=/usr/bin:/bin", NULL };
	const char *plain[] = { "plugins/check_duckdb", "-d", db, NULL };
	h_run_argv(&r, (char *const *)plain, envp, 30);
	h_assert_state(&r, 0, "api.db: 3 tables");
	h_run_free(&r);
	free(ld), free(libdir), free(db);
}
END_TEST

START_TEST(test_output_modes)
{
	if (!h_have_duckdb("test_output_modes"))
		return;
	char *db = store("api.db");
	struct h_run r;
	const char *args[] = { "--duckdb-lib", h_libduckdb(), "-d",     db,  "--fresh",
		               "prices.ts",    "--rows",      "prices", NULL };
	h_run_modes(&r, "plugins/check_duckdb", "DUCKDB", NULL, NULL, args);
	h_assert_state(&r, 0, "api.db: 3 tables");
	h_run_free(&r);
	free(db);
}
END_TEST

static Suite *check_duckdb_suite(void)
{
	Suite *s = suite_create("check_duckdb");
	TCase *tc = tcase_create("files");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty_and_populated);
	tcase_add_test(tc, test_fresh);
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_migrations);
	tcase_add_test(tc, test_schema_file);
	tcase_add_test(tc, test_files_it_cannot_read);
	tcase_add_test(tc, test_library);
	tcase_add_test(tc, test_output_modes);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_duckdb_suite)
