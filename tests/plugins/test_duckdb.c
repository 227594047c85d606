/* lib/db/rp_duckdb against DuckDB's real library and real DuckDB files
 * made by it: loaded at run time, read-only, nothing but the file, one
 * statement, stopped at the deadline, a writer's lock in words; and
 * check_sqlite naming a real DuckDB file. */
#include "rp_duckdb.h"
#include "sqlite_fixture.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct rp_duckdb *load(void)
{
	char why[512];
	struct rp_duckdb *lib = rp_duckdb_load(h_libduckdb(), why, sizeof why);
	ck_assert_msg(lib != NULL, "%s", why);
	return lib;
}

static const char *const prices =
        "CREATE TABLE prices (id INTEGER, ts TIMESTAMP, price DOUBLE);"
        "INSERT INTO prices SELECT i, TIMESTAMP '2026-11-30 12:00:00' + to_seconds(i), i * 1.5 "
        "FROM range(1000) t(i);"
        "CREATE TABLE empty_one (x INTEGER);";

START_TEST(test_load)
{
	char why[512];
	ck_assert_ptr_null(rp_duckdb_load("/nonexistent/libduckdb.so", why, sizeof why));
	ck_assert_msg(strstr(why, "cannot load DuckDB's library /nonexistent/libduckdb.so") != NULL,
	              "%s", why);
	/* a library that is not DuckDB's */
	ck_assert_ptr_null(rp_duckdb_load("libm.so.6", why, sizeof why));
	ck_assert_msg(strstr(why, "libm.so.6 is not a usable DuckDB library: no duckdb_") != NULL,
	              "%s", why);
	if (!h_have_duckdb("test_load"))
		return;
	struct rp_duckdb *lib = load();
	ck_assert_msg(strncmp(rp_duckdb_version(lib), "v1.", 3) == 0, "%s", rp_duckdb_version(lib));
	rp_duckdb_unload(lib);
}
END_TEST

static enum rp_db_status query(struct rp_duckdb_db *db, const char *sql, struct rp_db_rows *rows,
                               char *err, size_t errlen)
{
	struct rp_deadline dl;
	rp_deadline_start(&dl, 10);
	return rp_duckdb_query(db, sql, &dl, 100, rows, err, errlen);
}

START_TEST(test_read_only_queries)
{
	if (!h_have_duckdb("test_read_only_queries"))
		return;
	char *path = path_of("utxoracle.db");
	h_duckdb_make(path, prices);
	struct rp_duckdb *lib = load();
	char why[512];
	struct rp_duckdb_db *db = rp_duckdb_open(lib, path, why, sizeof why);
	ck_assert_msg(db != NULL, "%s", why);
	char *before = digest();
	struct rp_db_rows rows;
	ck_assert_int_eq(query(db,
	                       "SELECT table_name FROM information_schema.tables WHERE "
	                       "table_schema = 'main' ORDER BY 1",
	                       &rows, why, sizeof why),
	                 RP_DB_OK);
	ck_assert_uint_eq(rows.nrows, 2);
	ck_assert_str_eq(rp_db_cell(&rows, 0, 0), "empty_one");
	ck_assert_str_eq(rp_db_cell(&rows, 1, 0), "prices");
	rp_db_rows_free(&rows);
	ck_assert_int_eq(query(db, "SELECT count(*), max(ts), max(price), NULL FROM prices", &rows,
	                       why, sizeof why),
	                 RP_DB_OK);
	ck_assert_str_eq(rp_db_cell(&rows, 0, 0), "1000");
	ck_assert_str_eq(rp_db_cell(&rows, 0, 1), "2026-11-30 12:16:39");
	ck_assert_str_eq(rp_db_cell(&rows, 0, 2), "1498.5");
	ck_assert_ptr_null(rp_db_cell(&rows, 0, 3));
	rp_db_rows_free(&rows);
	/* max_rows keeps the first ones and says so */
	struct rp_deadline dl;
	rp_deadline_start(&dl, 10);
	ck_assert_int_eq(rp_duckdb_query(db, "SELECT id FROM prices ORDER BY id", &dl, 3, &rows,
	                                 why, sizeof why),
	                 RP_DB_OK);
	ck_assert(rows.truncated && rows.nrows == 3);
	rp_db_rows_free(&rows);

	/* no write, no second statement, no other file */
	const char *refused[][2] = {
		{ "CREATE TABLE x (i INTEGER)", "read-only" },
		{ "DELETE FROM prices", "read-only" },
		{ "SELECT 1; DROP TABLE prices", "" },
		{ "SELECT * FROM read_csv('/etc/passwd')", "" },
		{ "ATTACH '/tmp/rp-other.duckdb' AS other", "" },
		{ "SET access_mode = 'READ_WRITE'", "" },
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		ck_assert_msg(query(db, refused[i][0], &rows, why, sizeof why) == RP_DB_ERROR,
		              "%s ran", refused[i][0]);
		ck_assert_msg(strstr(why, refused[i][1]) != NULL && why[0], "%s: %s", refused[i][0],
		              why);
		rp_db_rows_free(&rows);
	}
	ck_assert(access("/tmp/rp-other.duckdb", F_OK) != 0);
	char *after = digest();
	ck_assert_str_eq(before, after);
	free(before), free(after);
	rp_duckdb_close(db);
	rp_duckdb_unload(lib);
	free(path);
}
END_TEST

START_TEST(test_deadline)
{
	if (!h_have_duckdb("test_deadline"))
		return;
	char *path = path_of("big.db");
	h_duckdb_make(path, "CREATE TABLE t (i INTEGER)");
	struct rp_duckdb *lib = load();
	char why[512];
	struct rp_duckdb_db *db = rp_duckdb_open(lib, path, why, sizeof why);
	ck_assert_msg(db != NULL, "%s", why);
	struct rp_deadline dl;
	rp_deadline_start(&dl, 0.3);
	struct rp_db_rows rows;
	double t0 = rp_deadline_now();
	ck_assert_int_eq(rp_duckdb_query(db, "SELECT count(*) FROM range(100000000000)", &dl, 10,
	                                 &rows, why, sizeof why),
	                 RP_DB_INTERRUPTED);
	ck_assert_msg(rp_deadline_now() - t0 < 2.0, "stopped after %.2f s", rp_deadline_now() - t0);
	rp_db_rows_free(&rows);
	/* the connection still answers */
	ck_assert_int_eq(query(db, "SELECT 42", &rows, why, sizeof why), RP_DB_OK);
	ck_assert_str_eq(rp_db_cell(&rows, 0, 0), "42");
	rp_db_rows_free(&rows);
	rp_duckdb_close(db);
	rp_duckdb_unload(lib);
	free(path);
}
END_TEST

START_TEST(test_files_it_cannot_open)
{
	if (!h_have_duckdb("test_files_it_cannot_open"))
		return;
	struct rp_duckdb *lib = load();
	char why[512];
	/* missing: not created */
	char *missing = path_of("missing.db");
	ck_assert_ptr_null(rp_duckdb_open(lib, missing, why, sizeof why));
	ck_assert(why[0] != '\0');
	ck_assert(access(missing, F_OK) != 0);
	/* a SQLite file */
	char *sqlite = make_db("app.sqlite", app_schema);
	ck_assert_ptr_null(rp_duckdb_open(lib, sqlite, why, sizeof why));
	ck_assert(why[0] != '\0'); /* DuckDB's words: its SQLite reader is not loaded */
	/* held by a writer, as the running application holds it */
	char *held = path_of("held.db");
	h_duckdb_make(held, prices);
	pid_t writer = h_duckdb_writer(held);
	ck_assert_ptr_null(rp_duckdb_open(lib, held, why, sizeof why));
	ck_assert_msg(strstr(why, "lock") != NULL, "%s", why);
	h_stop(writer);
	struct rp_duckdb_db *db = rp_duckdb_open(lib, held, why, sizeof why);
	ck_assert_msg(db != NULL, "after the writer: %s", why);
	rp_duckdb_close(db);
	rp_duckdb_unload(lib);
	free(missing), free(sqlite), free(held);
}
END_TEST

/* The Python API's store: an empty DuckDB database is 12288 bytes; both
 * it and a populated one are named as DuckDB by check_sqlite. */
START_TEST(test_check_sqlite_names_real_duckdb)
{
	if (!h_have_duckdb("test_check_sqlite_names_real_duckdb"))
		return;
	char *empty = path_of("empty.db"), *full = path_of("utxoracle.db");
	h_duckdb_make(empty, "");
	h_duckdb_make(full, prices);
	struct stat st;
	ck_assert(stat(empty, &st) == 0);
	ck_assert_int_eq(st.st_size, 12288);
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", empty, NULL);
	h_assert_state(&r, 3, "empty.db is a DuckDB database, not SQLite");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", full, "--table", "prices", NULL);
	h_assert_state(&r, 3, "utxoracle.db is a DuckDB database, not SQLite");
	h_run_free(&r);
	free(empty), free(full);
}
END_TEST

static Suite *duckdb_suite(void)
{
	Suite *s = suite_create("duckdb");
	TCase *tc = tcase_create("library");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_read_only_queries);
	tcase_add_test(tc, test_deadline);
	tcase_add_test(tc, test_files_it_cannot_open);
	tcase_add_test(tc, test_check_sqlite_names_real_duckdb);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(duckdb_suite)
