/* check_sqlite's evaluate step, driven with observations built by hand:
 * every verdict without a database. */
#include "check_sqlite.h"
#include "rp_render.h"
#include "rp_test.h"
#include "rp_test_render.h"

#include <stdio.h>
#include <string.h>

/* Test data is written as string literals into the plugin's (mutable)
 * name lists; the evaluate step never writes to them. */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wincompatible-pointer-types-discards-qualifiers"
#else
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"
#endif

static struct sqlite_config cfg;
static struct sqlite_observed obs;
static struct rp_thresholds th;

static const struct rp_metric_spec specs[] = {
	{ "tables", RP_UNIT_NONE, false, NULL, NULL },
	{ "missing", RP_UNIT_NONE, false, NULL, NULL },
	{ "pending", RP_UNIT_NONE, false, NULL, NULL },
	{ "rows", RP_UNIT_NONE, true, NULL, NULL },
	{ "age", RP_UNIT_SECONDS, true, NULL, NULL },
	{ "size", RP_UNIT_BYTES, false, NULL, NULL },
	{ "time", RP_UNIT_SECONDS, false, NULL, NULL },
	{ "query", RP_UNIT_NONE, false, NULL, NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static char *names[] = { "events", "users" };

static void setup(void)
{
	memset(&cfg, 0, sizeof cfg);
	cfg.db = "/srv/app.db";
	cfg.timeout = 10;
	cfg.timeout_state = RP_CRITICAL;
	rp_thresholds_init(&th);
}

static void teardown(void)
{
	rp_thresholds_free(&th);
}

/* An opened database with the tables events and users. */
static void opened(void)
{
	sqlite_observed_init(&obs, &cfg);
	obs.reach = REACH_OPENED;
	obs.now = 1714564800;
	obs.file.size = 16384;
	obs.tables = names;
	obs.ntables = 2;
}

static void done(void)
{
	obs.tables = NULL;
	obs.ntables = 0;
	sqlite_observed_free(&obs, &cfg);
}

static void threshold(char which, const char *arg)
{
	char err[256];
	ck_assert_msg(rp_thresholds_add(&th, specs, NULL, which, arg, err, sizeof err), "%s", err);
}

/* Evaluates and renders; returns the text output. */
static char *verdict(enum rp_state *st)
{
	return rp_test_render(sqlite_evaluate(&cfg, &obs, &th), "check_sqlite", "SQLITE", 1, st);
}

#define EXPECT(state, text)                                                                        \
	do {                                                                                       \
		enum rp_state st_;                                                                 \
		char *out_ = verdict(&st_);                                                        \
		ck_assert_msg(st_ == (state), "state %s, expected %s:\n%s", rp_state_text(st_),    \
		              rp_state_text(state), out_);                                         \
		ck_assert_msg(strstr(out_, (text)) != NULL, "no '%s' in:\n%s", (text), out_);      \
		free(out_);                                                                        \
	} while (0)

START_TEST(test_file_failures)
{
	const struct {
		enum rp_sqlite_file_status status;
		const char *detail;
		const char *text;
	} cases[] = {
		{ RP_SQLITE_FILE_MISSING, "No such file",
		  "SQLITE CRITICAL - /srv/app.db does not exist" },
		{ RP_SQLITE_FILE_NOT_REGULAR, "is a FIFO",
		  "/srv/app.db is a FIFO, not a database file" },
		{ RP_SQLITE_FILE_PERMISSION, "Permission denied", "permission denied" },
		{ RP_SQLITE_FILE_EMPTY, "", "has 0 tables: the file is empty" },
		{ RP_SQLITE_FILE_NOT_DB, "no SQLite header", "is not a SQLite database" },
		{ RP_SQLITE_FILE_TRUNCATED, "truncated: x", "is corrupt: truncated" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sqlite_observed_init(&obs, &cfg);
		obs.reach = REACH_FILE;
		obs.file.status = cases[i].status;
		snprintf(obs.file.detail, sizeof obs.file.detail, "%s", cases[i].detail);
		EXPECT(RP_CRITICAL, cases[i].text);
		sqlite_observed_free(&obs, &cfg);
	}
	/* another engine's database: not a finding, a check this plugin cannot make */
	sqlite_observed_init(&obs, &cfg);
	obs.reach = REACH_FILE;
	obs.file.status = RP_SQLITE_FILE_DUCKDB;
	snprintf(obs.file.detail, sizeof obs.file.detail, "its header is DuckDB's");
	EXPECT(RP_UNKNOWN, "is a DuckDB database, not SQLite (its header is DuckDB's)");
	sqlite_observed_free(&obs, &cfg);
}
END_TEST

START_TEST(test_open_failures)
{
	sqlite_observed_init(&obs, &cfg);
	obs.reach = REACH_OPEN_FAILED;
	obs.rc = SQLITE_BUSY;
	EXPECT(RP_CRITICAL, "locked by a writer for the whole 10 s deadline");
	cfg.timeout_state = RP_WARNING;
	EXPECT(RP_WARNING, "locked by a writer");
	obs.rc = SQLITE_NOTADB;
	snprintf(obs.error, sizeof obs.error, "file is not a database");
	EXPECT(RP_CRITICAL, "/srv/app.db: file is not a database");
	sqlite_observed_free(&obs, &cfg);
}
END_TEST

START_TEST(test_default_needs_a_table)
{
	opened();
	EXPECT(RP_OK, "SQLITE OK - /srv/app.db: 2 tables |");
	obs.ntables = 0;
	EXPECT(RP_CRITICAL,
	       "SQLITE CRITICAL - /srv/app.db has 0 tables (schema never initialised?)");
	done();
}
END_TEST

START_TEST(test_tables)
{
	char *want[] = { "events", "orders", "whale_transactions" };
	cfg.tables = want;
	cfg.ntables = 3;
	opened();
	obs.table_checks[0].exists = true;
	EXPECT(RP_CRITICAL, "table orders: missing; table whale_transactions: missing");
	EXPECT(RP_CRITICAL, "'missing'=2");
	obs.ntables = 0;
	obs.table_checks[0].exists = false;
	EXPECT(RP_CRITICAL, "/srv/app.db has 0 tables; expected 3 (schema never initialised?)");
	done();
}
END_TEST

START_TEST(test_schema)
{
	cfg.schema_file = "schema.sql";
	opened();
	obs.schema.loaded = true;
	obs.schema.ntables = 2;
	obs.schema.tables = calloc(2, sizeof *obs.schema.tables);
	obs.schema.tables[0].name = strdup("events");
	obs.schema.tables[0].nmissing_columns = 1;
	obs.schema.tables[0].missing_columns = calloc(1, sizeof(char *));
	obs.schema.tables[0].missing_columns[0] = strdup("payload");
	obs.schema.tables[1].name = strdup("audit");
	obs.schema.tables[1].missing = true;
	EXPECT(RP_CRITICAL, "schema: table audit missing");
	EXPECT(RP_CRITICAL, "schema: column events.payload missing");
	EXPECT(RP_CRITICAL, "'missing'=1");
	done();

	opened();
	obs.schema.error = strdup("schema.sql line 3: near \"CREAT\": syntax error");
	EXPECT(RP_UNKNOWN, "schema file schema.sql line 3: near");
	done();
}
END_TEST

static void set_files(struct sqlite_migrations_obs *m, char **files, size_t n)
{
	m->files = calloc(n, sizeof *m->files);
	for (size_t i = 0; i < n; i++)
		m->files[i] = strdup(files[i]);
	m->nfiles = n;
}

static void set_applied(struct sqlite_migrations_obs *m, char **entries, size_t n)
{
	m->applied = calloc(n, sizeof *m->applied);
	for (size_t i = 0; i < n; i++)
		m->applied[i] = strdup(entries[i]);
	m->napplied = n;
}

START_TEST(test_migrations)
{
	char *files[] = { "0001_init.sql", "0002_users.sql", "0003_index.sql", "0004_more.sql",
		          "0005_last.sql" };
	cfg.migrations_dir = "/srv/migrations";
	opened();
	struct sqlite_migrations_obs *m = &obs.migrations;
	set_files(m, files, 5);
	m->kind = LEDGER_ROWS;
	m->ledger = strdup("d1_migrations");
	char *applied[] = { "0001_init.sql", "0002_users.sql", "0000_gone.sql" };
	set_applied(m, applied, 3);
	EXPECT(RP_CRITICAL, "migrations: 3 of 5 pending (d1_migrations): 0003_index.sql, "
	                    "0004_more.sql, 0005_last.sql");
	EXPECT(RP_CRITICAL, "'pending'=3");
	EXPECT(RP_CRITICAL, "[WARNING] migrations: 1 applied with no file in /srv/migrations: "
	                    "0000_gone.sql");
	/* a threshold replaces the default verdict */
	threshold('w', "pending=5");
	EXPECT(RP_WARNING, "migrations: 3 of 5 pending");
	done();
}
END_TEST

START_TEST(test_migration_ledgers)
{
	char *files[] = { "1_init.up.sql", "2_users.up.sql", "3_more.up.sql" };
	cfg.migrations_dir = "m";
	opened();
	struct sqlite_migrations_obs *m = &obs.migrations;
	set_files(m, files, 3);
	m->kind = LEDGER_UPTO;
	m->upto = strdup("2");
	m->ledger = strdup("schema_migrations (golang-migrate)");
	EXPECT(RP_CRITICAL, "1 of 3 pending (schema_migrations (golang-migrate)): 3_more.up.sql");
	free(m->upto);
	m->upto = strdup("3");
	m->dirty = true;
	EXPECT(RP_CRITICAL, "dirty at version 3");
	m->dirty = false;
	EXPECT(RP_OK, "migrations: all 3 applied");
	m->kind = LEDGER_COUNT;
	m->count = 4;
	EXPECT(RP_WARNING, "counts 4 applied, but only 3 files");
	m->kind = LEDGER_NONE;
	EXPECT(RP_CRITICAL, "all 3 pending, no ledger in the database");
	done();
}
END_TEST

/* Alembic: the branchy tree a1 <- (b1, c1) <- m1 <- d1, the versions the
 * database is at. */
static void alembic_tree(struct sqlite_migrations_obs *m)
{
	static const char *const scripts[] = {
		"revision = 'd1'\ndown_revision = 'm1'\n",
		"revision = 'm1'\ndown_revision = ('b1', 'c1')\n",
		"revision = 'b1'\ndown_revision = 'a1'\n",
		"revision = 'c1'\ndown_revision = 'a1'\n",
		"revision = 'a1'\ndown_revision = None\n",
	};
	m->layout = LAYOUT_ALEMBIC;
	for (size_t i = 0; i < 5; i++) {
		struct rp_alembic_rev r;
		ck_assert(rp_alembic_parse(scripts[i], strlen(scripts[i]), &r));
		rp_alembic_tree_add(&m->alembic, &r);
	}
	char err[200];
	ck_assert(rp_alembic_order(&m->alembic, err, sizeof err));
}

START_TEST(test_alembic)
{
	cfg.migrations_dir = "alembic";
	opened();
	struct sqlite_migrations_obs *m = &obs.migrations;
	alembic_tree(m);
	EXPECT(RP_CRITICAL, "migrations: all 5 pending, no ledger in the database (looked for "
	                    "alembic_version): a1, b1, c1 and 2 more");
	m->kind = LEDGER_ALEMBIC;
	m->ledger = strdup("alembic_version");
	EXPECT(RP_CRITICAL, "migrations: database at base (no row), head is d1, 5 revisions "
	                    "behind: a1, b1, c1 and 2 more (alembic_version)");
	char *at[] = { "b1" };
	set_applied(m, at, 1);
	EXPECT(RP_CRITICAL, "migrations: database at b1, head is d1, 3 revisions behind: c1, m1, "
	                    "d1 (alembic_version)");
	EXPECT(RP_CRITICAL, "'pending'=3");
	threshold('c', "pending=3");
	EXPECT(RP_OK, "3 revisions behind");
	rp_strv_free(m->applied, m->napplied);
	char *head[] = { "d1" };
	set_applied(m, head, 1);
	EXPECT(RP_OK, "migrations: at head d1 (alembic_version, 5 revisions)");
	rp_strv_free(m->applied, m->napplied);
	/* migrated by newer code: pending cannot be told, never a guess */
	char *newer[] = { "e7" };
	set_applied(m, newer, 1);
	EXPECT(RP_WARNING, "migrations: the database is at e7, which no script in alembic "
	                   "declares (migrated by newer code, or another branch's): pending not "
	                   "known");
	EXPECT(RP_WARNING, "'pending'=U");
	m->tree_error = strdup("the revisions form a cycle (down_revision or depends_on)");
	EXPECT(RP_UNKNOWN, "migrations: the revisions form a cycle");
	done();
}
END_TEST

/* Django: rows named app.migration, the framework's apps filtered out by
 * the probe. */
START_TEST(test_django)
{
	char *files[] = { "blog.0001_initial", "shop.0001_initial", "shop.0002_price" };
	cfg.migrations_dir = "site";
	opened();
	struct sqlite_migrations_obs *m = &obs.migrations;
	m->layout = LAYOUT_DJANGO;
	set_files(m, files, 3);
	EXPECT(RP_CRITICAL, "migrations: all 3 pending, no ledger in the database (looked for "
	                    "django_migrations)");
	m->kind = LEDGER_ROWS;
	m->ledger = strdup("django_migrations");
	char *applied[] = { "shop.0001_initial", "blog.0001_initial" };
	set_applied(m, applied, 2);
	EXPECT(RP_CRITICAL, "migrations: 1 of 3 pending (django_migrations): shop.0002_price");
	done();
}
END_TEST

START_TEST(test_not_empty_and_rows)
{
	char *ne[] = { "events", "users", "gone" };
	char *rows[] = { "events" };
	cfg.not_empty = ne;
	cfg.nnot_empty = 3;
	cfg.rows = rows;
	cfg.nrows = 1;
	opened();
	obs.not_empty[0] =
	        (struct sqlite_table_obs){ .exists = true, .done = true, .has_rows = true };
	obs.not_empty[1] = (struct sqlite_table_obs){ .exists = true, .done = true };
	obs.rows[0] = (struct sqlite_table_obs){ .exists = true, .done = true, .rows = 12030 };
	threshold('c', "rows=100000:");
	EXPECT(RP_CRITICAL, "table users: no rows");
	EXPECT(RP_CRITICAL, "table gone: missing");
	EXPECT(RP_CRITICAL, "[CRITICAL] table events: 12030 rows");
	EXPECT(RP_CRITICAL, "'rows.events'=12030;;100000:");
	obs.not_empty[1].rc = SQLITE_INTERRUPT;
	obs.not_empty[1].done = false;
	EXPECT(RP_CRITICAL, "table users: not finished within 10 s");
	done();
}
END_TEST

START_TEST(test_fresh)
{
	struct sqlite_fresh_spec fr[] = { { "events", "ts" } };
	cfg.fresh = fr;
	cfg.nfresh = 1;
	threshold('w', "age=10m");
	threshold('c', "age=1h");
	opened();
	struct sqlite_fresh_obs *f = &obs.fresh[0];
	*f = (struct sqlite_fresh_obs){ .table_exists = true,
		                        .column_exists = true,
		                        .indexed = true,
		                        .done = true,
		                        .has_rows = true,
		                        .has_value = true };
	f->num = obs.now - 30;
	EXPECT(RP_OK, "events.ts: newest row 30 s old");
	EXPECT(RP_OK, "values read as unix (detected)");
	f->num = (obs.now - 1800) * 1000.0;
	EXPECT(RP_WARNING, "events.ts: newest row 30 min old");
	EXPECT(RP_WARNING, "'age.events'=1800s;600;3600");
	f->is_text = true;
	f->text = strdup("2024-05-01T09:00:00Z");
	EXPECT(RP_CRITICAL, "events.ts: newest row 3 h old");
	EXPECT(RP_CRITICAL, "values read as iso");
	free(f->text);
	f->text = strdup("2024-05-01T16:00:00+02:00"); /* two hours ahead */
	EXPECT(RP_WARNING, "events.ts: newest row is 2 h in the future (clock skew?)");
	free(f->text);
	f->text = strdup("soon");
	EXPECT(RP_UNKNOWN, "newest value unreadable");
	f->has_value = false;
	EXPECT(RP_CRITICAL, "every row has NULL");
	f->has_rows = false;
	EXPECT(RP_CRITICAL, "events.ts: no rows");
	EXPECT(RP_CRITICAL, "'age.events'=U;600;3600");
	f->column_exists = false;
	EXPECT(RP_CRITICAL, "events.ts: column missing");
	f->table_exists = false;
	EXPECT(RP_CRITICAL, "table events: missing");
	done();
}
END_TEST

START_TEST(test_fresh_no_index_is_said)
{
	struct sqlite_fresh_spec fr[] = { { "events", "ts" } };
	cfg.fresh = fr;
	cfg.nfresh = 1;
	opened();
	obs.fresh[0] = (struct sqlite_fresh_obs){ .table_exists = true,
		                                  .column_exists = true,
		                                  .done = true,
		                                  .has_rows = true,
		                                  .has_value = true,
		                                  .num = obs.now };
	EXPECT(RP_OK, "no index on the column, max() is a full table scan");
	done();
}
END_TEST

START_TEST(test_integrity_and_query)
{
	cfg.integrity = INTEGRITY_QUICK;
	cfg.query = "SELECT 5";
	cfg.query_label = "jobs";
	char err[256];
	ck_assert(rp_thresholds_add(
	        &th,
	        (struct rp_metric_spec[]){ { "jobs", RP_UNIT_NONE, false, NULL, NULL },
	                                   { NULL, 0, false, NULL, NULL } },
	        "jobs", 'c', "3", err, sizeof err));
	opened();
	obs.integrity.ran = true;
	obs.integrity.finished = true;
	obs.integrity.nmessages = 1;
	obs.integrity.messages = calloc(1, sizeof(char *));
	obs.integrity.messages[0] = strdup("ok");
	obs.query = (struct sqlite_query_obs){
		.ran = true, .readonly = true, .has_row = true, .numeric = true, .value = 5
	};
	EXPECT(RP_CRITICAL, "query jobs: 5");
	EXPECT(RP_CRITICAL, "[OK] integrity (quick_check): ok");
	EXPECT(RP_CRITICAL, "'jobs'=5;;3");
	obs.query.value = 1;
	EXPECT(RP_OK, "integrity (quick_check): ok");
	free(obs.integrity.messages[0]);
	obs.integrity.messages[0] = strdup("row 5 missing from index ev_ts");
	EXPECT(RP_CRITICAL, "integrity (quick_check): 1 problems: row 5 missing from index ev_ts");
	obs.integrity.finished = false;
	obs.integrity.rc = SQLITE_INTERRUPT;
	EXPECT(RP_CRITICAL, "integrity (quick_check): not finished within 10 s");
	cfg.integrity = INTEGRITY_NONE;
	obs.query.readonly = false;
	EXPECT(RP_UNKNOWN, "refused, the statement is not read-only");
	obs.query.readonly = true;
	obs.query.numeric = false;
	obs.query.text = strdup("abc");
	EXPECT(RP_UNKNOWN, "returned 'abc', not a number");
	done();
}
END_TEST

START_TEST(test_framework_tables)
{
	const char *fw[] = { "_cf_METADATA",      "_cf_KV",
		             "d1_migrations",     "_prisma_migrations",
		             "schema_migrations", "alembic_version",
		             "django_migrations", "knex_migrations_lock",
		             "_litestream_seq" };
	for (size_t i = 0; i < sizeof fw / sizeof fw[0]; i++)
		ck_assert_msg(sqlite_framework_table(fw[i]), "%s", fw[i]);
	const char *app[] = { "users", "events", "migrations_log", "cf_data", "schema" };
	for (size_t i = 0; i < sizeof app / sizeof app[0]; i++)
		ck_assert_msg(!sqlite_framework_table(app[i]), "%s", app[i]);
}
END_TEST

static Suite *sqlite_eval_suite(void)
{
	Suite *s = suite_create("sqlite_eval");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_file_failures);
	tcase_add_test(tc, test_open_failures);
	tcase_add_test(tc, test_default_needs_a_table);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test_schema);
	tcase_add_test(tc, test_migrations);
	tcase_add_test(tc, test_migration_ledgers);
	tcase_add_test(tc, test_alembic);
	tcase_add_test(tc, test_django);
	tcase_add_test(tc, test_not_empty_and_rows);
	tcase_add_test(tc, test_fresh);
	tcase_add_test(tc, test_fresh_no_index_is_said);
	tcase_add_test(tc, test_integrity_and_query);
	tcase_add_test(tc, test_framework_tables);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(sqlite_eval_suite)
