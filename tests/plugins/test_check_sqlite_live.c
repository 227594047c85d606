/* check_sqlite on live databases: migration ledgers (docs/incidents.md F9),
 * integrity and queries, and databases other processes hold: locks, WAL
 * beside a writer, hot journals, a deadline in the middle of a check. */
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

/* ------------------------------------------------------ F9: migrations */

static void ship_migrations(const char *sub, const char *const *names, size_t n)
{
	make_dir(sub);
	for (size_t i = 0; i < n; i++) {
		char *rel = rp_xasprintf("%s/%s", sub, names[i]);
		write_text(rel, "SELECT 1;\n");
		free(rel);
	}
}

START_TEST(test_d1_pending)
{
	static const char *const files[] = { "0001_init.sql", "0002_users.sql",
		                             "0003_whale_transactions.sql" };
	ship_migrations("migrations", files, 3);
	char *m = path_of("migrations");
	char *p = make_db("d1.db", "CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY, name TEXT, "
	                           "applied_at TEXT);"
	                           "INSERT INTO d1_migrations(name) VALUES ('0001_init.sql'), "
	                           "('0002_users.sql');");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 2, "1 of 3 pending (d1_migrations): 0003_whale_transactions.sql");
	ck_assert(h_perf(&r, "pending") == 1);
	h_run_free(&r);
	free(p);

	/* recreated empty, never migrated (F9): everything pending */
	p = make_db("recreated.db", "CREATE TABLE t(x); DROP TABLE t;");
	RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 2, "has 0 tables");
	ck_assert(strstr(r.out, "all 3 pending, no ledger in the database") != NULL);
	ck_assert(h_perf(&r, "pending") == 3);
	h_run_free(&r);
	free(p);
	free(m);
}
END_TEST

/* A ledger that says applied over a database recreated or emptied behind
 * its back (F9 all the same): the tables the applied migrations create
 * are named; a migration that cannot be read makes no claim. */
START_TEST(test_ledger_ahead_of_tables)
{
	make_dir("mig");
	write_text("mig/0001_init.sql", "CREATE TABLE users(id INTEGER);\n"
	                                "CREATE TABLE events(id INTEGER, ts INTEGER);\n");
	write_text("mig/0002_prices.sql", "CREATE TABLE prices(ts INTEGER);\n");
	char *m = path_of("mig");
	/* D1's ledger: both applied; events dropped by hand since */
	char *p = make_db("d1.db",
	                  "CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY, name TEXT, "
	                  "applied_at TEXT);"
	                  "INSERT INTO d1_migrations(name) VALUES ('0001_init.sql'), "
	                  "('0002_prices.sql');"
	                  "CREATE TABLE users(id INTEGER); CREATE TABLE prices(ts INTEGER);");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 2,
	               "migrations: the ledger says 2 applied, yet 1 table they create is "
	               "missing (recreated or emptied behind the ledger?): events");
	h_run_free(&r);
	free(p);
	/* PRAGMA user_version says 1 applied; no table at all */
	p = make_db("uv.db", "PRAGMA user_version = 1; CREATE TABLE t(x); DROP TABLE t;");
	RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 2, "has 0 tables");
	ck_assert(strstr(r.out, "the ledger says 1 applied, yet 2 tables they create are missing "
	                        "(recreated or emptied behind the ledger?): events, users"));
	h_run_free(&r);
	/* a migration too large to read (over 1 MiB): it might drop or rename
	 * anything, so no table is claimed missing */
	char *big = rp_xcalloc(1, 1200 * 1024 + 1);
	memset(big, '-', 1200 * 1024);
	write_text("mig/0003_more.sql", big);
	free(big);
	RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 2, "has 0 tables");
	ck_assert(strstr(r.out, "2 of 3 pending (PRAGMA user_version)"));
	ck_assert(!strstr(r.out, "they create"));
	h_run_free(&r);
	free(p);
	free(m);
}
END_TEST

/* More migration files than are compared: said, never a random part. */
START_TEST(test_too_many_migrations)
{
	make_dir("many");
	for (int i = 0; i <= 10000; i++) {
		char name[64];
		snprintf(name, sizeof name, "many/V%05d__m.sql", i);
		write_text(name, "");
	}
	char *m = path_of("many");
	char *p = make_db("m.db", "CREATE TABLE t(x);");
	struct h_run r;
	run(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 3, "more than 10000 migration files: none compared");
	h_run_free(&r);
	free(p);
	free(m);
}
END_TEST

START_TEST(test_prisma_rolled_back)
{
	make_dir("prisma");
	make_dir("prisma/20240101000000_init");
	write_text("prisma/20240101000000_init/migration.sql", "CREATE TABLE a(x);");
	make_dir("prisma/20240201000000_users");
	write_text("prisma/20240201000000_users/migration.sql", "CREATE TABLE b(x);");
	char *m = path_of("prisma");
	char *p =
	        make_db("prisma.db",
	                "CREATE TABLE _prisma_migrations(id TEXT PRIMARY KEY, migration_name TEXT, "
	                "finished_at DATETIME, rolled_back_at DATETIME);"
	                "INSERT INTO _prisma_migrations VALUES ('1', '20240101000000_init', "
	                "'2024-01-01', NULL), ('2', '20240201000000_users', '2024-02-01', "
	                "'2024-02-02');");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
	h_assert_state(&r, 2, "1 of 2 pending (_prisma_migrations): 20240201000000_users");
	h_run_free(&r);
	free(p);
	free(m);
}
END_TEST

START_TEST(test_other_ledgers)
{
	static const char *const files[] = { "20230101000000_a.sql", "20230201000000_b.sql" };
	ship_migrations("m", files, 2);
	char *m = path_of("m");
	struct {
		const char *name, *sql, *expect;
		int state;
	} cases[] = {
		{ "rails.db",
		  "CREATE TABLE schema_migrations(version TEXT PRIMARY KEY);"
		  "INSERT INTO schema_migrations VALUES ('20230101000000'), ('20230201000000');",
		  "all 2 applied (schema_migrations)", 0 },
		{ "golang.db",
		  "CREATE TABLE schema_migrations(version INTEGER, dirty BOOLEAN);"
		  "INSERT INTO schema_migrations VALUES (20230201000000, 1);",
		  "dirty at version 20230201000000", 2 },
		{ "knex.db",
		  "CREATE TABLE knex_migrations(id INTEGER PRIMARY KEY, name TEXT);"
		  "INSERT INTO knex_migrations(name) VALUES ('20230101000000_a.js');",
		  "1 of 2 pending (knex_migrations): 20230201000000_b.sql", 2 },
		{ "goose.db",
		  "CREATE TABLE goose_db_version(id INTEGER PRIMARY KEY, version_id INTEGER, "
		  "is_applied "
		  "INTEGER); INSERT INTO goose_db_version(version_id, is_applied) VALUES (0, 1), "
		  "(20230101000000, 1), (20230201000000, 1), (20230201000000, 0);",
		  "1 of 2 pending (goose_db_version)", 2 },
		{ "drizzle.db",
		  "CREATE TABLE __drizzle_migrations(id INTEGER PRIMARY KEY, hash TEXT, "
		  "created_at);"
		  "INSERT INTO __drizzle_migrations(hash) VALUES ('x'), ('y');",
		  "all 2 applied (__drizzle_migrations)", 0 },
		{ "userversion.db", "CREATE TABLE t(x); PRAGMA user_version = 1;",
		  "1 of 2 pending (PRAGMA user_version): 20230201000000_b.sql", 2 },
		{ "orphan.db",
		  "CREATE TABLE d1_migrations(name TEXT);"
		  "INSERT INTO d1_migrations VALUES ('20230101000000_a.sql'), "
		  "('20230201000000_b.sql'), "
		  "('20230301000000_c.sql');",
		  "1 applied with no file", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *p = make_db(cases[i].name, cases[i].sql);
		struct h_run r;
		RUN_UNCHANGED(&r, "-d", p, "--migrations", m, NULL);
		ck_assert_msg(r.exit_code == cases[i].state, "%s: %s", cases[i].name, r.out);
		ck_assert_msg(strstr(r.out, cases[i].expect) != NULL, "%s: %s", cases[i].name,
		              r.out);
		h_run_free(&r);
		free(p);
	}
	/* flyway, with its own names */
	static const char *const fw[] = { "V1__init.sql", "V2__users.sql" };
	ship_migrations("fw", fw, 2);
	char *fwdir = path_of("fw");
	char *p = make_db(
	        "flyway.db",
	        "CREATE TABLE flyway_schema_history(installed_rank INT, version TEXT, script "
	        "TEXT, success BOOLEAN); INSERT INTO flyway_schema_history VALUES (1, '1', "
	        "'V1__init.sql', 1), (2, '2', 'V2__users.sql', 0);");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--migrations", fwdir, NULL);
	h_assert_state(&r, 2, "1 of 2 pending (flyway_schema_history): V2__users.sql");
	h_run_free(&r);
	/* an explicit ledger table and column */
	free(p);
	p = make_db("custom.db", "CREATE TABLE my_ledger(file TEXT); INSERT INTO my_ledger VALUES "
	                         "('V1__init.sql'), ('V2__users.sql');");
	RUN_UNCHANGED(&r, "-d", p, "--migrations", fwdir, "--migrations-table", "my_ledger",
	              "--migrations-column", "file", NULL);
	h_assert_state(&r, 0, "all 2 applied (my_ledger.file)");
	h_run_free(&r);
	free(p);
	free(fwdir);
	free(m);
}
END_TEST

/* ------------------------------------------------- integrity and query */

/* A value below 1e-6 prints with its digits: the perfdata shows what the
 * state was decided on (the contract guard checks the two agree). */
START_TEST(test_small_values_printed)
{
	char *p = make_db("small.db", "CREATE TABLE t(x);");
	struct h_run r;
	run(&r, "-d", p, "--query", "SELECT 0.00000015", "-w", "0", NULL);
	h_assert_state(&r, 1, NULL);
	ck_assert_msg(strstr(r.out, "'query'=0.00000015;0") != NULL, "%s", r.out);
	h_run_free(&r);
	run(&r, "-d", p, "--query", "SELECT 0.00000015", "-w", "0.0000002", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert_msg(strstr(r.out, "'query'=0.00000015;0.0000002") != NULL, "%s", r.out);
	h_run_free(&r);
	/* ranges as other tools write them: white space, exponents */
	run(&r, "-d", p, "--query", "SELECT 1500", "-w", " 1e3 ", "-c", "2e3", NULL);
	h_assert_state(&r, 1, NULL);
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_integrity_and_query)
{
	char *p = make_db("q.db", app_schema);
	sqlite3 *db;
	sqlite3_open(p, &db);
	sqlite3_exec(db, "INSERT INTO users(name) VALUES ('a'), ('b'), ('c');", NULL, NULL, NULL);
	sqlite3_close(db);
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--integrity", "quick", NULL);
	h_assert_state(&r, 0, "integrity (quick_check): ok");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--integrity", "full", NULL);
	h_assert_state(&r, 0, "integrity (integrity_check): ok");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--query", "SELECT count(*) FROM users", "-w", "2", "-c", "5",
	              NULL);
	h_assert_state(&r, 1, "query: 3");
	ck_assert(h_perf(&r, "query") == 3);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--query", "SELECT count(*) FROM users", "--label", "user_count",
	              "-c", "user_count=10:", NULL);
	h_assert_state(&r, 2, "query user_count: 3");
	ck_assert(h_perf(&r, "user_count") == 3);
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--query", "DELETE FROM users", NULL);
	h_assert_state(&r, 3, "not read-only");
	h_run_free(&r);
	/* only the first statement would run: a second is refused, whatever
	 * it is; empty statements and comments after the first are fine */
	RUN_UNCHANGED(&r, "-d", p, "--query", "SELECT count(*) FROM users; ; DELETE FROM users",
	              NULL);
	h_assert_state(&r, 3, "query: refused, more than one statement (give one SELECT)");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--query", "SELECT count(*) FROM users; -- users\n;", NULL);
	h_assert_state(&r, 0, "query: 3");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--query", "SELECT name FROM users", NULL);
	h_assert_state(&r, 3, "not a number");
	h_run_free(&r);
	RUN_UNCHANGED(&r, "-d", p, "--query", "SELECT x FROM nowhere", NULL);
	h_assert_state(&r, 2, "no such table: nowhere");
	h_run_free(&r);
	free(p);
}
END_TEST

/* ---------------------------------------------- locks, WAL, hot journal */

/* A child that holds an exclusive lock until killed. */
static pid_t hold_exclusive_lock(const char *path)
{
	int ready[2];
	ck_assert(pipe(ready) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db;
		sqlite3_open(path, &db);
		sqlite3_exec(db, "BEGIN EXCLUSIVE; INSERT INTO events(ts) VALUES (1);", NULL, NULL,
		             NULL);
		ssize_t w = write(ready[1], "x", 1);
		(void)w;
		pause();
		_exit(0);
	}
	char c;
	ck_assert(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	close(ready[1]);
	return pid;
}

START_TEST(test_locked_by_writer)
{
	char *p = make_db("locked.db", app_schema);
	pid_t writer = hold_exclusive_lock(p);
	struct h_run r;
	run(&r, "-d", p, "-t", "1", NULL);
	h_assert_state(&r, 2, "is locked by a writer for the whole 1 s deadline");
	ck_assert_msg(r.raw.elapsed < 2.5, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	run(&r, "-d", p, "-t", "500ms", "--timeout-state", "warning", NULL);
	h_assert_state(&r, 1, "locked by a writer");
	h_run_free(&r);
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	free(p);
}
END_TEST

START_TEST(test_wal_live_writer)
{
	char *p = path_of("wal.db");
	sqlite3 *w;
	ck_assert(sqlite3_open(p, &w) == SQLITE_OK);
	ck_assert(sqlite3_exec(w, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;", NULL,
	                       NULL, NULL) == SQLITE_OK);
	ck_assert(sqlite3_exec(w, app_schema, NULL, NULL, NULL) == SQLITE_OK);
	ck_assert(sqlite3_exec(w,
	                       "INSERT INTO events(ts) VALUES (strftime('%s','now'));"
	                       "INSERT INTO events(ts) VALUES (strftime('%s','now'));",
	                       NULL, NULL, NULL) == SQLITE_OK);
	/* the writer stays open: rows live in the WAL only, and the check
	 * leaves even the shared-memory index (-shm) byte for byte the same */
	char *before = digest();
	struct h_run r;
	run(&r, "-d", p, "--rows", "events", "--fresh", "events.ts", "-c", "age=1h", "-v", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert_msg(h_perf(&r, "rows.events") == 2, "%s", r.out);
	ck_assert(strstr(r.out, "journal mode: WAL (live") != NULL);
	h_run_free(&r);
	char *after = digest();
	ck_assert_msg(strcmp(before, after) == 0, "%s\n--\n%s", before, after);
	free(before);
	free(after);
	/* and the writer can still write */
	ck_assert(sqlite3_exec(w, "INSERT INTO events(ts) VALUES (1);", NULL, NULL, NULL) ==
	          SQLITE_OK);
	sqlite3_close(w);

	/* closed cleanly: no -wal, no -shm, and the check creates neither */
	char *shm = rp_xasprintf("%s-shm", p), *wal = rp_xasprintf("%s-wal", p);
	ck_assert(access(shm, F_OK) != 0 && access(wal, F_OK) != 0);
	RUN_UNCHANGED(&r, "-d", p, "--rows", "events", "-v", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert(h_perf(&r, "rows.events") == 3);
	ck_assert(strstr(r.out, "read as immutable") != NULL);
	ck_assert(access(shm, F_OK) != 0 && access(wal, F_OK) != 0);
	h_run_free(&r);
	free(shm);
	free(wal);
	free(p);
}
END_TEST

/* Nothing is ever opened for writing, or created: beside a live writer
 * (strace shows every open of the database's files), and where a -shm
 * lies without its -wal (no -wal may appear). */
START_TEST(test_wal_never_opened_for_writing)
{
	ck_assert_msg(h_have_program("strace"), "strace is missing (tools/bootstrap installs it)");
	char *p = path_of("live.db");
	sqlite3 *w;
	ck_assert(sqlite3_open(p, &w) == SQLITE_OK);
	ck_assert(sqlite3_exec(w, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;", NULL,
	                       NULL, NULL) == SQLITE_OK);
	ck_assert(sqlite3_exec(w, app_schema, NULL, NULL, NULL) == SQLITE_OK);
	char *trace = path_of("strace.out");
	char *plugin = h_build_path(PLUGIN);
	/* LeakSanitizer cannot run under ptrace: off for this one run */
	char *argv[] = { (char *)"strace",
		         (char *)"-f",
		         (char *)"-E",
		         (char *)"ASAN_OPTIONS=detect_leaks=0",
		         (char *)"-e",
		         (char *)"trace=open,openat",
		         (char *)"-o",
		         trace,
		         plugin,
		         (char *)"-d",
		         p,
		         NULL };
	struct h_run r;
	h_run_argv(&r, argv, NULL, 30);
	ck_assert_int_eq(r.exit_code, 0);
	h_run_free(&r);
	FILE *f = fopen(trace, "r");
	ck_assert(f != NULL);
	char line[4096];
	size_t opens = 0;
	while (fgets(line, sizeof line, f)) {
		if (!strstr(line, "live.db"))
			continue;
		opens++;
		ck_assert_msg(!strstr(line, "O_RDWR") && !strstr(line, "O_WRONLY") &&
		                      !strstr(line, "O_CREAT"),
		              "opened for writing: %s", line);
	}
	fclose(f);
	ck_assert_uint_ge(opens, 3); /* the database, its -wal and its -shm */
	sqlite3_close(w);
	/* a -shm without a -wal: read, and no -wal made */
	char *shm = rp_xasprintf("%s-shm", p), *wal = rp_xasprintf("%s-wal", p);
	free(h_write_file(dir, "live.db-shm", "", 0));
	ck_assert(access(wal, F_OK) != 0);
	run(&r, "-d", p, "--table", "events", NULL);
	h_assert_state(&r, 0, NULL);
	ck_assert_msg(access(wal, F_OK) != 0, "the check created %s", wal);
	h_run_free(&r);
	free(shm);
	free(wal);
	free(plugin);
	free(trace);
	free(p);
}
END_TEST

/* A link to a live WAL database (d1.sqlite -> .wrangler/state/.../HASH.sqlite)
 * is read where it points, WAL and all: its tables are there. */
START_TEST(test_symlink_to_live_wal)
{
	make_dir("state");
	char *p = path_of("state/0123abcd.sqlite");
	sqlite3 *w;
	ck_assert(sqlite3_open(p, &w) == SQLITE_OK);
	ck_assert(sqlite3_exec(w, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;", NULL,
	                       NULL, NULL) == SQLITE_OK);
	ck_assert(sqlite3_exec(w, app_schema, NULL, NULL, NULL) == SQLITE_OK);
	char *link = path_of("d1.sqlite");
	ck_assert(symlink(p, link) == 0);
	struct h_run r;
	run(&r, "-d", link, "--table", "events,users", NULL);
	h_assert_state(&r, 0, "3 tables");
	h_run_free(&r);
	sqlite3_close(w);
	free(link);
	free(p);
}
END_TEST

/* Beside a writer that connects, writes and disconnects all the time (its
 * -wal and -shm come and go), 300 checks give 300 OKs: no false state. */
START_TEST(test_wal_writer_comes_and_goes)
{
	char *p = make_db("churn.db", "PRAGMA journal_mode=WAL; CREATE TABLE t(a); CREATE TABLE "
	                              "u(b);");
	pid_t writer = fork();
	ck_assert(writer >= 0);
	if (writer == 0) {
		double end = rp_deadline_now() + 60;
		while (rp_deadline_now() < end) {
			sqlite3 *w;
			if (sqlite3_open(p, &w) == SQLITE_OK) {
				sqlite3_busy_timeout(w, 1000);
				sqlite3_exec(w, "INSERT INTO t VALUES (1)", NULL, NULL, NULL);
			}
			sqlite3_close(w);
		}
		_exit(0);
	}
	size_t bad = 0;
	char first_bad[512] = "";
	for (int i = 0; i < 300; i++) {
		struct h_run r;
		run(&r, "-d", p, "--table", "t,u", NULL);
		if (r.exit_code != 0 && bad++ == 0)
			snprintf(first_bad, sizeof first_bad, "%s", r.out);
		h_run_free(&r);
	}
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	ck_assert_msg(bad == 0, "%zu of 300 runs not OK, the first: %s", bad, first_bad);
	free(p);
}
END_TEST

/* A writer inserting all the time: every check still reads, and sees rows. */
START_TEST(test_wal_busy_writer)
{
	char *p = make_db("busy.db",
	                  "PRAGMA journal_mode=WAL; CREATE TABLE events(id INTEGER PRIMARY "
	                  "KEY, ts INTEGER); CREATE INDEX events_ts ON events(ts);");
	int ready[2];
	ck_assert(pipe(ready) == 0);
	pid_t writer = fork();
	if (writer == 0) {
		sqlite3 *db;
		sqlite3_open(p, &db);
		sqlite3_busy_timeout(db, 1000);
		sqlite3_exec(db, "INSERT INTO events(ts) VALUES (strftime('%s','now'))", NULL, NULL,
		             NULL);
		ssize_t w = write(ready[1], "x", 1); /* the first row is committed */
		(void)w;
		double end = rp_deadline_now() + 20;
		while (rp_deadline_now() < end)
			sqlite3_exec(db, "INSERT INTO events(ts) VALUES (strftime('%s','now'))",
			             NULL, NULL, NULL);
		_exit(0);
	}
	char c;
	ck_assert(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	close(ready[1]);
	for (int i = 0; i < 5; i++) {
		struct h_run r;
		run(&r, "-d", p, "--not-empty", "events", "--fresh", "events.ts", "-c", "age=1m",
		    "--rows", "events", "-t", "5", NULL);
		h_assert_state(&r, 0, NULL);
		ck_assert(h_perf(&r, "rows.events") >= 1);
		h_run_free(&r);
	}
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	free(p);
}
END_TEST

START_TEST(test_integrity_stopped_at_deadline)
{
	/* big enough that integrity_check takes longer than 50 ms */
	char *p = make_db("slow.db",
	                  "CREATE TABLE t(a TEXT, b TEXT, c TEXT); CREATE INDEX ta ON t(a); "
	                  "CREATE INDEX tb ON t(b); CREATE INDEX tc ON t(c); "
	                  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
	                  "WHERE i < 300000) INSERT INTO t SELECT hex(randomblob(8)), "
	                  "hex(randomblob(8)), hex(randomblob(8)) FROM n;");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, "--integrity", "full", "-t", "50ms", NULL);
	h_assert_state(&r, 2, "integrity (integrity_check): not finished within 0.05 s");
	ck_assert_msg(r.raw.elapsed < 1.0, "took %f s", r.raw.elapsed);
	h_run_free(&r);
	free(p);
}
END_TEST

START_TEST(test_hot_journal)
{
	char *p =
	        make_db("hot.db", "CREATE TABLE t(x TEXT); WITH RECURSIVE c(i) AS (SELECT 1 UNION "
	                          "ALL SELECT i+1 FROM c WHERE i < 3000) INSERT INTO t SELECT "
	                          "printf('%0200d', i) FROM c;");
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db;
		sqlite3_open(p, &db);
		/* a tiny cache makes the transaction spill into the file */
		sqlite3_exec(db, "PRAGMA cache_size=2; BEGIN; UPDATE t SET x = x || 'y';", NULL,
		             NULL, NULL);
		raise(SIGKILL); /* a writer that crashed mid-transaction */
	}
	waitpid(pid, NULL, 0);
	char *journal = rp_xasprintf("%s-journal", p);
	struct stat st;
	ck_assert_msg(stat(journal, &st) == 0 && st.st_size > 0, "no hot journal was left");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", p, NULL);
	h_assert_state(&r, 2, "hot journal needs recovery");
	h_run_free(&r);
	free(journal);
	free(p);
}
END_TEST

static Suite *check_sqlite_live_suite(void)
{
	Suite *s = suite_create("check_sqlite_live");
	TCase *tc = tcase_create("live");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_d1_pending);
	tcase_add_test(tc, test_ledger_ahead_of_tables);
	tcase_add_test(tc, test_too_many_migrations);
	tcase_add_test(tc, test_prisma_rolled_back);
	tcase_add_test(tc, test_other_ledgers);
	tcase_add_test(tc, test_small_values_printed);
	tcase_add_test(tc, test_integrity_and_query);
	tcase_add_test(tc, test_locked_by_writer);
	tcase_add_test(tc, test_wal_live_writer);
	tcase_add_test(tc, test_wal_never_opened_for_writing);
	tcase_add_test(tc, test_symlink_to_live_wal);
	tcase_add_test(tc, test_wal_writer_comes_and_goes);
	tcase_add_test(tc, test_wal_busy_writer);
	tcase_add_test(tc, test_integrity_stopped_at_deadline);
	tcase_add_test(tc, test_hot_journal);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_sqlite_live_suite)
