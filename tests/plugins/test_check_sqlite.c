/* check_sqlite against real SQLite files built here with the C API: every
 * failure of INCIDENTS.md F7-F11, every option, and the promise that a
 * check changes nothing (a digest of the directory before and after). */
#include "harness.h"
#include "rp_deadline.h"
#include "rp_test.h"
#include "rp_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLUGIN "plugins/check_sqlite"

static char *dir;

static void setup(void)
{
	dir = h_tempdir();
	chmod(dir, 0755); /* the permission test runs the plugin as nobody */
}

static void teardown(void)
{
	h_rmrf(dir);
	free(dir);
}

static char *path_of(const char *name)
{
	return rp_xasprintf("%s/%s", dir, name);
}

/* Creates dir/name and runs the SQL in it; returns the path. */
static char *make_db(const char *name, const char *sql)
{
	char *path = path_of(name);
	sqlite3 *db;
	ck_assert(sqlite3_open(path, &db) == SQLITE_OK);
	char *err = NULL;
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(db);
	return path;
}

static void make_dir(const char *name)
{
	char *p = path_of(name);
	ck_assert(mkdir(p, 0755) == 0);
	free(p);
}

static void write_text(const char *name, const char *text)
{
	free(h_write_file(dir, name, text, strlen(text)));
}

/* Runs the plugin with the given arguments and checks the contract. */
static void run(struct h_run *r, const char *first, ...)
{
	char *argv[64];
	size_t n = 0;
	argv[n++] = (char *)PLUGIN;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	h_run_argv(r, argv, NULL, 30);
	h_assert_contract(r, "SQLITE");
}

static unsigned long long fnv(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	unsigned char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
	close(fd);
	return h;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names, types, sizes, mtimes and content hashes of everything in dir. */
static char *digest(void)
{
	DIR *d = opendir(dir);
	ck_assert(d != NULL);
	char *lines[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 256) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *p = path_of(e->d_name);
		struct stat st;
		lstat(p, &st);
		lines[n++] = rp_xasprintf("%s %o %lld %lld.%09ld %llx", e->d_name, st.st_mode,
		                          (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		                          st.st_mtim.tv_nsec, S_ISREG(st.st_mode) ? fnv(p) : 0ULL);
		free(p);
	}
	closedir(d);
	qsort(lines, n, sizeof lines[0], cmp_str);
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		rp_buf_printf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	return rp_buf_steal(&b);
}

/* Runs and asserts the directory is the same afterwards. */
#define RUN_UNCHANGED(r, ...)                                                                      \
	do {                                                                                       \
		char *before_ = digest();                                                          \
		run((r), __VA_ARGS__);                                                             \
		char *after_ = digest();                                                           \
		ck_assert_msg(strcmp(before_, after_) == 0,                                        \
		              "the check changed the directory:\n%s\n--\n%s", before_, after_);    \
		free(before_);                                                                     \
		free(after_);                                                                      \
	} while (0)

static const char *const app_schema =
        "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER, kind TEXT);"
        "CREATE INDEX events_ts ON events(ts);"
        "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);"
        "CREATE TABLE price_comparisons(id INTEGER PRIMARY KEY, price REAL);";

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

/* ------------------------------------------------- integrity and query */

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
		double end = rp_now_monotonic() + 20;
		while (rp_now_monotonic() < end)
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
	tcase_add_test(tc, test_not_a_database);
	tcase_add_test(tc, test_truncated_and_corrupt);
	tcase_add_test(tc, test_not_regular_files);
	tcase_add_test(tc, test_permission_denied);
	tcase_add_test(tc, test_path_with_spaces_and_ok);
	tcase_add_test(tc, test_every_metric_judged);
	tcase_add_test(tc, test_d1_pending);
	tcase_add_test(tc, test_prisma_rolled_back);
	tcase_add_test(tc, test_other_ledgers);
	tcase_add_test(tc, test_not_empty_and_rows);
	tcase_add_test(tc, test_fresh_formats);
	tcase_add_test(tc, test_fresh_edge_cases);
	tcase_add_test(tc, test_schema_file);
	tcase_add_test(tc, test_integrity_and_query);
	tcase_add_test(tc, test_locked_by_writer);
	tcase_add_test(tc, test_wal_live_writer);
	tcase_add_test(tc, test_wal_busy_writer);
	tcase_add_test(tc, test_integrity_stopped_at_deadline);
	tcase_add_test(tc, test_hot_journal);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_sqlite_suite)
