/* db_probe.c: the probe of the database checks through rp_db, shared by
 * check_duckdb and check_postgresql: tables, --table, --migrations,
 * --not-empty, --rows, --fresh and --query asked the same way of every
 * engine (check_sqlite asks SQLite directly: its file-level machinery). */
#include "check_sqlite.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How many tables are read; more are not a database an app keeps. */
#define TABLES_MAX 100000

/* The tables of the engine's schema (views left out). */
bool db_list_tables(const struct rp_db *db, struct sqlite_observed *o)
{
	char err[256];
	enum rp_db_status st = rp_db_column(db, db->tables_sql, TABLES_MAX, &o->tables, &o->ntables,
	                                    err, sizeof err);
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

/* The table's name as the engine spells it (the checks name tables
 * without regard to case). */
static const char *table_name(const struct sqlite_observed *o, const char *name)
{
	for (size_t i = 0; i < o->ntables; i++)
		if (strcasecmp(o->tables[i], name) == 0)
			return o->tables[i];
	return NULL;
}

static void probe_rows(const struct rp_db *db, const char *table, bool count,
                       struct sqlite_table_obs *obs, const struct sqlite_observed *o)
{
	const char *name = table_name(o, table);
	obs->exists = name != NULL;
	if (!obs->exists)
		return;
	char *q = rp_db_quote_ident(name);
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

static void read_newest(struct sqlite_fresh_obs *f, const struct rp_db_rows *rows)
{
	const char *v = rp_db_cell(rows, 0, 0), *any = rp_db_cell(rows, 0, 1);
	f->done = true;
	f->has_rows = any && (strcmp(any, "true") == 0 || strcmp(any, "t") == 0);
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
	const char *table = table_name(o, spec->table);
	f->table_exists = table != NULL;
	char *type = table ? rp_db_column_type(db, table, spec->column) : NULL;
	f->column_exists = type != NULL;
	if (!type)
		return;
	/* Temporal types are read as epoch seconds: no text format or time
	 * zone to guess. DuckDB keeps min/max per row group: max() needs no
	 * index there; PostgreSQL's planner answers max() from a btree index
	 * when there is one (not looked up). */
	f->indexed = true;
	bool epoch = strncasecmp(type, "timestamp", 9) == 0 || strcasecmp(type, "date") == 0;
	free(type);
	char *qt = rp_db_quote_ident(table), *qc = rp_db_quote_ident(spec->column);
	char *sql = rp_xasprintf("SELECT %s%s%s, EXISTS (SELECT 1 FROM %s) FROM %s",
	                         epoch ? "extract(epoch FROM max(" : "max(", qc, epoch ? "))" : ")",
	                         qt, qt);
	struct rp_db_rows rows;
	enum rp_db_status st = first_row(db, sql, &rows, &f->error);
	if (st == RP_DB_OK)
		read_newest(f, &rows);
	else
		f->rc = st == RP_DB_INTERRUPTED ? SQLITE_INTERRUPT : SQLITE_ERROR;
	rp_db_rows_free(&rows);
	free(sql), free(qt), free(qc);
}

/* One statement (DuckDB prepares only one, PostgreSQL's extended
 * protocol takes one), on a read-only database or session: a write or a
 * second statement fails, and is told as refused. */
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
	} else if (strstr(err, "multiple statements") || strstr(err, "multiple commands")) {
		q->second = true; /* DuckDB's and PostgreSQL's words */
	} else if (strstr(err, "read-only mode") || strstr(err, "read-only transaction")) {
		q->readonly = false;
	} else {
		q->rc = SQLITE_ERROR;
		q->text = rp_xstrdup(err);
	}
	rp_db_rows_free(&rows);
}

void db_probe_checks(const struct rp_db *db, const struct sqlite_config *cfg,
                     struct sqlite_observed *o)
{
	for (size_t i = 0; i < cfg->ntables; i++)
		o->table_checks[i].exists = rp_db_has_table(o->tables, o->ntables, cfg->tables[i]);
	if (cfg->schema_file)
		db_probe_schema(db, cfg, o);
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
