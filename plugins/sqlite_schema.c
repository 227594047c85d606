/* sqlite_schema.c: --schema FILE.sql, the tables and columns a schema file
 * declares against the database's. check_sqlite runs the file in an
 * in-memory SQLite (exact for SQLite's dialect); DuckDB and PostgreSQL
 * have no scratch database beside a read-only check, so their file is read
 * (lib/db/rp_sql_schema), never executed. The comparison is one. */
#include "check_sqlite.h"
#include "rp_file.h"
#include "rp_sql_schema.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sqlite_schema_compare(struct sqlite_schema_table *st, char *const *want, size_t nwant,
                           char *const *have, size_t nhave)
{
	for (size_t c = 0; c < nwant; c++)
		if (!rp_db_has_table(have, nhave, want[c]))
			rp_strv_push(&st->missing_columns, &st->nmissing_columns, want[c]);
	for (size_t c = 0; c < nhave; c++)
		if (!rp_db_has_table(want, nwant, have[c]))
			rp_strv_push(&st->extra_columns, &st->nextra_columns, have[c]);
}

void sqlite_schema_extra_tables(struct sqlite_schema_obs *s, const struct sqlite_observed *o,
                                char *const *want, size_t nwant)
{
	for (size_t i = 0; i < o->ntables; i++)
		if (!rp_db_has_table(want, nwant, o->tables[i]))
			rp_strv_push(&s->extra_tables, &s->nextra_tables, o->tables[i]);
}

/* The file, read: NULL with s->error set when it cannot be, or declares
 * nothing this check could compare. */
static bool read_schema_file(const char *path, const char *schema, struct rp_sql_schema *out,
                             struct sqlite_schema_obs *s)
{
	char why[200];
	size_t len = 0;
	char *sql = rp_file_read(path, SQLITE_SCHEMA_FILE_MAX, &len, NULL, why, sizeof why);
	if (!sql) {
		s->error = rp_xasprintf("%s %s", path, why);
		return false;
	}
	rp_sql_schema_read(sql, len, schema, out);
	free(sql);
	if (out->unterminated)
		s->error = rp_xasprintf("%s line %zu: CREATE TABLE %.80s ( is never closed", path,
		                        out->line, out->unterminated_table);
	else if (out->ntables == 0)
		s->error = rp_xasprintf("%s declares no table of schema %s (no CREATE TABLE read)",
		                        path, schema);
	if (!s->error)
		return true;
	rp_sql_schema_free(out);
	return false;
}

/* The columns of table as the engine's catalog lists them. */
static enum rp_db_status engine_columns(const struct rp_db *db, const char *table, char ***names,
                                        size_t *n, char *err, size_t errlen)
{
	char *lit = rp_db_quote_string(table);
	char *sql = rp_xasprintf("%s%s%s", db->columns_sql, lit, db->columns_sql_end);
	enum rp_db_status st =
	        rp_db_column(db, sql, RP_MIGRATION_SQL_COLUMNS_MAX * 2, names, n, err, errlen);
	free(sql);
	free(lit);
	return st;
}

/* The table as the engine spells it, or NULL when there is none. */
static const char *engine_table(const struct sqlite_observed *o, const char *name)
{
	for (size_t i = 0; i < o->ntables; i++)
		if (rp_db_has_table(&o->tables[i], 1, name))
			return o->tables[i];
	return NULL;
}

static bool compare_table(const struct rp_db *db, const struct rp_sql_schema_table *want,
                          struct sqlite_schema_table *st, struct sqlite_observed *o)
{
	const char *table = engine_table(o, want->name);
	st->name = rp_xstrdup(want->name);
	st->missing = table == NULL;
	st->columns_unknown = !want->columns_known;
	if (!table || !want->columns_known)
		return true;
	char **have = NULL, err[256];
	size_t nhave = 0;
	enum rp_db_status rc = engine_columns(db, table, &have, &nhave, err, sizeof err);
	if (rc != RP_DB_OK) {
		o->interrupted |= rc == RP_DB_INTERRUPTED;
		o->schema.error = rp_xasprintf("the columns of %.80s: %s", table, err);
		return false;
	}
	sqlite_schema_compare(st, want->columns, want->ncolumns, have, nhave);
	rp_strv_free(have, nhave);
	return true;
}

void db_probe_schema(const struct rp_db *db, const struct sqlite_config *cfg,
                     struct sqlite_observed *o)
{
	struct sqlite_schema_obs *s = &o->schema;
	struct rp_sql_schema want;
	if (!read_schema_file(cfg->schema_file, db->schema, &want, s))
		return;
	s->tables = rp_xcalloc(want.ntables + 1, sizeof *s->tables);
	char **names = rp_xcalloc(want.ntables + 1, sizeof *names);
	bool ok = true;
	for (size_t i = 0; ok && i < want.ntables; i++) {
		names[i] = want.tables[i].name;
		s->ntables = i + 1;
		ok = compare_table(db, &want.tables[i], &s->tables[i], o);
	}
	if (ok) {
		sqlite_schema_extra_tables(s, o, names, want.ntables);
		s->loaded = true;
	}
	free(names);
	rp_sql_schema_free(&want);
}
