/* check_duckdb: is this DuckDB database ready? The same checks as
 * check_sqlite (tables, migrations against their ledger, rows, fresh
 * data, one read-only query) on a DuckDB file, through the same evaluate
 * step (sqlite_eval.c), so a verdict means the same on both engines.
 *
 * DuckDB's library is loaded at run time (lib/db/rp_duckdb): the plugin
 * runs where it is absent and says so. The file is opened read-only, with
 * nothing but the file reachable; it is never created or written. */
#include "check_sqlite.h"
#include "rp_duckdb.h"
#include "rp_run.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How many tables are read; more are not a DuckDB file an app keeps. */
#define TABLES_MAX 100000

static const struct rp_option options[] = {
	{ "db", 'd', true, "PATH", "the DuckDB file (required); opened read-only, never created",
	  OPT_DB },
	{ "table", 0, true, "NAME", "a table that must exist (repeatable; a,b,c also works)",
	  OPT_TABLE },
	SQLITE_OPTIONS_CHECKS,
	SQLITE_OPTIONS_QUERY,
	{ "duckdb-lib", 0, true, "PATH",
	  "DuckDB's library (default: libduckdb.so from the usual library paths)", OPT_DUCKDB_LIB },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_plugin_info info = {
	.name = "check_duckdb",
	.label = "DUCKDB",
	.purpose = "DuckDB database readiness: opens, tables, migrations, rows, fresh data",
	.synopsis =
	        "-d PATH [--table NAME]... [--migrations DIR] [--not-empty TABLE]...\n"
	        "       [--rows TABLE]... [--fresh TABLE.COLUMN]... [--query SQL [--label NAME]]\n"
	        "       [--duckdb-lib PATH] [-w/-c ...]",
	.options = options,
	.metrics = sqlite_metrics,
	.primary_metric = NULL,
	.dynamic_metrics = sqlite_query_metric,
	.notes = "With no check option the database must open and have at least one table.\n"
	         "A bare -w/-c RANGE applies to --query's value. A file another process holds\n"
	         "open for writing cannot be read (DuckDB allows no reader beside a writer):\n"
	         "UNKNOWN, in DuckDB's words. Without DuckDB's library: UNKNOWN, naming it.\n",
	.examples =
	        "  check_duckdb -d /srv/api/utxoracle.db --table prices --not-empty prices\n"
	        "  check_duckdb -d /srv/api/utxoracle.db --fresh prices.ts -w age=10m -c age=1h\n"
	        "  check_duckdb -d /srv/api/utxoracle.db --migrations /srv/api/alembic\n",
};

/* DuckDB's file, or words for what else it is. */
static void inspect(const char *path, struct rp_sqlite_file *f)
{
	rp_sqlite_inspect(path, f);
	switch (f->status) {
	case RP_SQLITE_FILE_DUCKDB:
		f->status = RP_SQLITE_FILE_OK;
		break;
	case RP_SQLITE_FILE_OK:
	case RP_SQLITE_FILE_TRUNCATED:
		f->status = RP_SQLITE_FILE_SQLITE;
		snprintf(f->detail, sizeof f->detail, "its header is SQLite's");
		break;
	case RP_SQLITE_FILE_NOT_DB:
		snprintf(f->detail, sizeof f->detail, "no DuckDB header in its first bytes");
		break;
	default:
		break;
	}
}

/* The tables of the main schema (views and DuckDB's catalogs left out). */
static bool list_tables(const struct rp_db *db, struct sqlite_observed *o)
{
	char err[256];
	enum rp_db_status st = rp_db_column(db,
	                                    "SELECT table_name FROM information_schema.tables "
	                                    "WHERE table_schema = 'main' AND table_type = "
	                                    "'BASE TABLE' ORDER BY table_name",
	                                    TABLES_MAX, &o->tables, &o->ntables, err, sizeof err);
	if (st == RP_DB_OK)
		return true;
	o->interrupted = st == RP_DB_INTERRUPTED;
	snprintf(o->error, sizeof o->error, "%s", err);
	return false;
}

/* The first row of sql: RP_DB_OK with rows (maybe none), or why not. */
static enum rp_db_status first_row(const struct rp_db *db, const char *sql, struct rp_db_rows *rows,
                                   char **error)
{
	char err[512];
	enum rp_db_status st = db->query(db->handle, sql, 1, rows, err, sizeof err);
	if (st == RP_DB_ERROR)
		*error = rp_xstrdup(err);
	return st;
}

static void probe_rows(const struct rp_db *db, const char *table, bool count,
                       struct sqlite_table_obs *obs, const struct sqlite_observed *o)
{
	obs->exists = rp_db_has_table(o->tables, o->ntables, table);
	if (!obs->exists)
		return;
	char *q = rp_db_quote_ident(table);
	char *sql = count ? rp_xasprintf("SELECT count(*) FROM %s", q)
	                  : rp_xasprintf("SELECT 1 FROM %s LIMIT 1", q);
	struct rp_db_rows rows;
	enum rp_db_status st = first_row(db, sql, &rows, &obs->error);
	if (st == RP_DB_OK) {
		obs->done = true;
		obs->has_rows = rows.nrows > 0;
		if (count && rp_db_cell(&rows, 0, 0))
			obs->rows = strtoll(rp_db_cell(&rows, 0, 0), NULL, 10);
		obs->has_rows = count ? obs->rows > 0 : obs->has_rows;
	} else {
		obs->rc = st == RP_DB_INTERRUPTED ? SQLITE_INTERRUPT : SQLITE_ERROR;
	}
	rp_db_rows_free(&rows);
	free(sql);
	free(q);
}

/* The column's type, or NULL when the table has no such column (one
 * catalog lookup for both). Caller frees. */
static char *column_type(const struct rp_db *db, const char *table, const char *column)
{
	char *t = rp_db_quote_string(table), *c = rp_db_quote_string(column);
	char *sql = rp_xasprintf("SELECT data_type FROM information_schema.columns WHERE "
	                         "table_schema = 'main' AND lower(table_name) = lower(%s) AND "
	                         "lower(column_name) = lower(%s)",
	                         t, c);
	struct rp_db_rows rows;
	char *error = NULL, *type = NULL;
	if (first_row(db, sql, &rows, &error) == RP_DB_OK && rp_db_cell(&rows, 0, 0))
		type = rp_xstrdup(rp_db_cell(&rows, 0, 0));
	rp_db_rows_free(&rows);
	free(error), free(sql), free(t), free(c);
	return type;
}

static void read_newest(struct sqlite_fresh_obs *f, const struct rp_db_rows *rows)
{
	const char *v = rp_db_cell(rows, 0, 0), *any = rp_db_cell(rows, 0, 1);
	f->done = true;
	f->has_rows = any && strcmp(any, "true") == 0;
	f->has_value = v != NULL;
	if (!v)
		return;
	double num;
	if (rp_number_parse(v, strlen(v), &num)) {
		f->num = num;
	} else {
		f->is_text = true;
		f->text = rp_xstrndup(v, 200);
	}
}

static void probe_fresh(const struct rp_db *db, const struct sqlite_fresh_spec *spec,
                        struct sqlite_fresh_obs *f, const struct sqlite_observed *o)
{
	f->table_exists = rp_db_has_table(o->tables, o->ntables, spec->table);
	char *type = f->table_exists ? column_type(db, spec->table, spec->column) : NULL;
	f->column_exists = type != NULL;
	if (!type)
		return;
	/* DuckDB keeps min/max per row group: max() needs no index. Its
	 * temporal types are read as epoch seconds: no text format or time
	 * zone to guess. */
	f->indexed = true;
	bool epoch = strncmp(type, "TIMESTAMP", 9) == 0 || strcmp(type, "DATE") == 0;
	free(type);
	char *qt = rp_db_quote_ident(spec->table), *qc = rp_db_quote_ident(spec->column);
	char *sql = rp_xasprintf("SELECT %s%s%s, EXISTS (SELECT 1 FROM %s) FROM %s",
	                         epoch ? "epoch(max(" : "max(", qc, epoch ? "))" : ")", qt, qt);
	struct rp_db_rows rows;
	enum rp_db_status st = first_row(db, sql, &rows, &f->error);
	if (st == RP_DB_OK)
		read_newest(f, &rows);
	else
		f->rc = st == RP_DB_INTERRUPTED ? SQLITE_INTERRUPT : SQLITE_ERROR;
	rp_db_rows_free(&rows);
	free(sql), free(qt), free(qc);
}

/* One statement (DuckDB prepares only one), on a read-only database: a
 * write or a second statement fails, and is told as refused. */
static void probe_query(const struct rp_db *db, const struct sqlite_config *cfg,
                        struct sqlite_observed *o)
{
	struct sqlite_query_obs *q = &o->query;
	struct rp_db_rows rows;
	char err[512];
	q->ran = true;
	q->readonly = true;
	enum rp_db_status st = db->query(db->handle, cfg->query, 1, &rows, err, sizeof err);
	if (st == RP_DB_OK) {
		const char *v = rp_db_cell(&rows, 0, 0);
		q->has_row = rows.nrows > 0;
		q->text = rp_xstrndup(v ? v : "NULL", 200);
		q->numeric = v && rp_number_parse(v, strlen(v), &q->value);
		q->rc = SQLITE_OK;
	} else if (st == RP_DB_INTERRUPTED) {
		q->rc = SQLITE_INTERRUPT;
	} else if (strstr(err, "multiple statements")) {
		q->second = true;
	} else if (strstr(err, "read-only mode")) {
		q->readonly = false;
	} else {
		q->rc = SQLITE_ERROR;
		q->text = rp_xstrdup(err);
	}
	rp_db_rows_free(&rows);
}

static void probe_checks(const struct rp_db *db, const struct sqlite_config *cfg,
                         struct sqlite_observed *o)
{
	for (size_t i = 0; i < cfg->ntables; i++)
		o->table_checks[i].exists = rp_db_has_table(o->tables, o->ntables, cfg->tables[i]);
	if (cfg->migrations_dir)
		sqlite_probe_migrations(db, cfg, o);
	for (size_t i = 0; i < cfg->nnot_empty; i++)
		probe_rows(db, cfg->not_empty[i], false, &o->not_empty[i], o);
	for (size_t i = 0; i < cfg->nrows; i++)
		probe_rows(db, cfg->rows[i], true, &o->rows[i], o);
	for (size_t i = 0; i < cfg->nfresh; i++)
		probe_fresh(db, &cfg->fresh[i], &o->fresh[i], o);
	if (cfg->query)
		probe_query(db, cfg, o);
}

static void duckdb_probe(const struct sqlite_config *cfg, const struct rp_deadline *dl,
                         struct sqlite_observed *o)
{
	o->now = (double)time(NULL);
	inspect(cfg->db, &o->file);
	if (o->file.status != RP_SQLITE_FILE_OK)
		return; /* REACH_FILE */
	char why[512];
	struct rp_duckdb *lib = rp_duckdb_load(cfg->duckdb_lib, why, sizeof why);
	if (!lib) {
		o->reach = REACH_NO_ENGINE;
		snprintf(o->error, sizeof o->error, "%.200s (give --duckdb-lib PATH)", why);
		return;
	}
	struct rp_duckdb_db *db = rp_duckdb_open(lib, cfg->db, why, sizeof why);
	if (!db) {
		o->reach = REACH_OPEN_FAILED;
		o->held = strstr(why, "Conflicting lock") != NULL;
		snprintf(o->error, sizeof o->error, "%.250s", why);
	} else {
		struct rp_db engine = rp_duckdb_db(db, dl);
		o->reach = list_tables(&engine, o) ? REACH_OPENED : REACH_OPEN_FAILED;
		if (o->reach == REACH_OPENED)
			probe_checks(&engine, cfg, o);
		o->interrupted |= rp_deadline_expired(dl);
		rp_duckdb_close(db);
	}
	rp_duckdb_unload(lib);
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct sqlite_config *cfg = cfgp;
	cfg->engine = "DuckDB";
	cfg->probe = duckdb_probe;
}

int main(int argc, char **argv)
{
	struct rp_plugin plugin = sqlite_plugin(&info, config_init);
	return rp_run(&plugin, argc, argv);
}
