/* sqlite_ledger.c: check_sqlite's probe of migrations: the directory read
 * as its layout says (SQL files, Alembic's scripts, Django's apps) and the
 * ledger the matching tool keeps in the database. Read-only. */
#include "check_sqlite.h"
#include "rp_django.h"
#include "rp_migration.h"
#include "rp_migration_sql.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The known ledgers, in the order they are looked for. */
struct ledger_kind_sql {
	const char *table;
	const char *sql;
	enum sqlite_ledger_kind kind;
};

static const struct ledger_kind_sql ledgers[] = {
	{ "d1_migrations", "SELECT name FROM d1_migrations", LEDGER_ROWS },
	{ "_prisma_migrations",
	  "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND "
	  "rolled_back_at IS NULL",
	  LEDGER_ROWS },
	{ "flyway_schema_history",
	  "SELECT script FROM flyway_schema_history WHERE success AND script IS NOT NULL",
	  LEDGER_ROWS },
	{ "knex_migrations", "SELECT name FROM knex_migrations", LEDGER_ROWS },
	{ "goose_db_version",
	  "SELECT version_id FROM goose_db_version AS g WHERE version_id > 0 AND is_applied AND "
	  "id = (SELECT max(id) FROM goose_db_version WHERE version_id = g.version_id)",
	  LEDGER_ROWS },
	{ "__drizzle_migrations", "SELECT count(*) FROM __drizzle_migrations", LEDGER_COUNT },
	{ "schema_migrations", "SELECT version FROM schema_migrations", LEDGER_ROWS },
};

/* The ledger's entries: the first column of sql's rows. */
static bool read_entries(const struct rp_db *db, const char *sql, struct sqlite_migrations_obs *m,
                         char *err, size_t errlen)
{
	char **v;
	size_t n;
	enum rp_db_status st =
	        rp_db_column(db, sql, SQLITE_MIGRATIONS_MAX * 2, &v, &n, err, errlen);
	for (size_t i = 0; i < n; i++)
		rp_strv_push(&m->applied, &m->napplied, v[i]);
	rp_strv_free(v, n);
	return st == RP_DB_OK;
}

/* The first row of sql, or none (rows->nrows 0). */
static bool first_row(const struct rp_db *db, const char *sql, struct rp_db_rows *rows, char *err,
                      size_t errlen)
{
	return db->query(db->handle, sql, 1, rows, err, errlen) == RP_DB_OK;
}

/* A boolean as engines print it: 1/0, true/false, t/f. */
static bool truthy(const char *v)
{
	return v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
	       strcasecmp(v, "f") != 0;
}

/* golang-migrate keeps one row: the current version and a dirty flag. */
static bool read_upto(const struct rp_db *db, struct sqlite_migrations_obs *m, char *err,
                      size_t errlen)
{
	struct rp_db_rows rows;
	m->kind = LEDGER_UPTO;
	m->ledger = rp_xstrdup("schema_migrations (golang-migrate)");
	bool ok = first_row(db, "SELECT version, dirty FROM schema_migrations LIMIT 1", &rows, err,
	                    errlen);
	const char *v = rp_db_cell(&rows, 0, 0);
	char ver[RP_MIGRATION_NAME_MAX];
	if (v && rp_migration_version(v, ver, sizeof ver))
		m->upto = rp_xstrdup(ver);
	m->dirty = truthy(rp_db_cell(&rows, 0, 1));
	rp_db_rows_free(&rows);
	return ok;
}

/* A count the ledger keeps (drizzle's rows, SQLite's user_version). */
static bool read_count(const struct rp_db *db, const char *sql, long long *count, char *err,
                       size_t errlen)
{
	struct rp_db_rows rows;
	bool ok = first_row(db, sql, &rows, err, errlen);
	const char *v = rp_db_cell(&rows, 0, 0);
	*count = v ? strtoll(v, NULL, 10) : 0;
	rp_db_rows_free(&rows);
	return ok;
}

static bool read_detected_ledger(const struct rp_db *db, struct sqlite_observed *o, char *err,
                                 size_t errlen)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	const struct ledger_kind_sql *found = NULL;
	for (size_t i = 0; i < sizeof ledgers / sizeof ledgers[0] && !found; i++)
		if (rp_db_has_table(o->tables, o->ntables, ledgers[i].table))
			found = &ledgers[i];
	if (found && strcmp(found->table, "schema_migrations") == 0 &&
	    rp_db_has_column(db, "schema_migrations", "dirty"))
		return read_upto(db, m, err, errlen);
	if (found && found->kind == LEDGER_COUNT) {
		m->kind = LEDGER_COUNT;
		m->ledger = rp_xstrdup(found->table);
		return read_count(db, found->sql, &m->count, err, errlen);
	}
	if (found) {
		m->kind = LEDGER_ROWS;
		m->ledger = rp_xstrdup(found->table);
		return read_entries(db, found->sql, m, err, errlen);
	}
	/* SQLite's own counter; other engines have none */
	long long v = 0;
	if (strcmp(db->engine, "SQLite") != 0)
		return true;
	bool ok = read_count(db, "PRAGMA user_version", &v, err, errlen);
	if (ok && v > 0) {
		m->kind = LEDGER_COUNT;
		m->count = v;
		m->ledger = rp_xstrdup("PRAGMA user_version");
	}
	return ok;
}

static void read_sql_ledger(const struct rp_db *db, const struct sqlite_config *cfg,
                            struct sqlite_observed *o)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	char err[512] = "";
	bool ok;
	if (cfg->migrations_table) {
		const char *col = cfg->migrations_column;
		if (!col)
			col = rp_db_has_column(db, cfg->migrations_table, "name") ? "name"
			                                                          : "version";
		char *qt = rp_db_quote_ident(cfg->migrations_table), *qc = rp_db_quote_ident(col);
		char *sql = rp_xasprintf("SELECT %s FROM %s", qc, qt);
		m->kind = LEDGER_ROWS;
		m->ledger = rp_xasprintf("%s.%s", cfg->migrations_table, col);
		ok = read_entries(db, sql, m, err, sizeof err);
		free(sql), free(qt), free(qc);
	} else {
		ok = read_detected_ledger(db, o, err, sizeof err);
	}
	if (!ok)
		m->error = rp_xasprintf("cannot read the ledger %s: %s", m->ledger ? m->ledger : "",
		                        err);
}

/* Alembic's versions table: one row per head the database is at. */
static void read_alembic_ledger(const struct rp_db *db, const struct sqlite_config *cfg,
                                struct sqlite_observed *o)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	const char *table = cfg->migrations_table ? cfg->migrations_table : "alembic_version";
	const char *col = cfg->migrations_column ? cfg->migrations_column : "version_num";
	if (!rp_db_has_table(o->tables, o->ntables, table))
		return;
	char *qt = rp_db_quote_ident(table), *qc = rp_db_quote_ident(col);
	char *sql = rp_xasprintf("SELECT %s FROM %s", qc, qt);
	m->kind = LEDGER_ALEMBIC;
	m->ledger = rp_xstrdup(table);
	char err[512] = "";
	if (!read_entries(db, sql, m, err, sizeof err))
		m->error = rp_xasprintf("cannot read the ledger %s: %s", table, err);
	free(sql), free(qt), free(qc);
}

/* django_migrations, the rows of the apps shipped: Django's own apps
 * (auth, admin, sessions) migrate from site-packages, not from here. */
static void read_django_ledger(const struct rp_db *db, const struct sqlite_config *cfg,
                               struct sqlite_observed *o, char *const *apps, size_t napps)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	const char *table = cfg->migrations_table ? cfg->migrations_table : "django_migrations";
	if (!rp_db_has_table(o->tables, o->ntables, table))
		return;
	char *qt = rp_db_quote_ident(table);
	char *sql = rp_xasprintf("SELECT app || '.' || name FROM %s", qt);
	m->kind = LEDGER_ROWS;
	m->ledger = rp_xstrdup(table);
	char err[512] = "";
	if (!read_entries(db, sql, m, err, sizeof err))
		m->error = rp_xasprintf("cannot read the ledger %s: %s", table, err);
	size_t kept = 0;
	for (size_t i = 0; i < m->napplied; i++) {
		if (rp_django_in_apps(m->applied[i], apps, napps))
			m->applied[kept++] = m->applied[i];
		else
			free(m->applied[i]);
	}
	m->napplied = kept;
	free(sql), free(qt);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Alembic's scripts in dir, or in dir/versions when dir is Alembic's
 * own (env.py beside versions/). True when there are any. */
static bool list_alembic(const char *dir, struct sqlite_migrations_obs *m)
{
	char *env = rp_xasprintf("%s/env.py", dir), *versions = rp_xasprintf("%s/versions", dir);
	struct stat st;
	const char *from = stat(env, &st) == 0 && is_dir(versions) ? versions : dir;
	char err[512];
	bool found = false;
	if (!rp_alembic_read_dir(from, SQLITE_MIGRATIONS_MAX, &m->alembic, err, sizeof err)) {
		/* an unreadable directory is the SQL lister's to report */
		if (from == versions)
			m->error = rp_xasprintf("%s: %s", versions, err), found = true;
	} else if (m->alembic.n) {
		found = true;
		m->layout = LAYOUT_ALEMBIC;
		if (!rp_alembic_order(&m->alembic, err, sizeof err))
			m->tree_error = rp_xasprintf("%s", err);
		for (size_t i = 0; i < m->alembic.n; i++)
			rp_strv_push(&m->files, &m->nfiles, m->alembic.revs[i].id);
	}
	free(env), free(versions);
	return found;
}

static void probe_sql(const struct rp_db *db, const struct sqlite_config *cfg,
                      struct sqlite_observed *o)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	char err[512];
	if (!rp_migration_list_dir(cfg->migrations_dir, SQLITE_MIGRATIONS_MAX, &m->files,
	                           &m->nfiles, err, sizeof err)) {
		m->error = rp_xasprintf("%s: %s", cfg->migrations_dir, err);
		return;
	}
	m->listed = true;
	read_sql_ledger(db, cfg, o);
	m->ops = rp_xcalloc(m->nfiles + 1, sizeof *m->ops);
	m->nops = rp_xcalloc(m->nfiles + 1, sizeof *m->nops);
	/* with no ledger nothing is applied: no table is promised */
	m->all_read = m->kind != LEDGER_NONE;
	for (size_t i = 0; m->all_read && i < m->nfiles; i++)
		m->all_read &= rp_migration_sql_read(cfg->migrations_dir, m->files[i], &m->ops[i],
		                                     &m->nops[i]);
}

/* Django's apps, when the directory holds any and no SQL migration. */
static bool probe_django(const struct rp_db *db, const struct sqlite_config *cfg,
                         struct sqlite_observed *o)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	char err[512];
	if (!rp_django_list(cfg->migrations_dir, SQLITE_MIGRATIONS_MAX, &m->django, err,
	                    sizeof err))
		return false;
	if (m->django.napps == 0) {
		rp_django_listing_free(&m->django);
		return false;
	}
	m->layout = LAYOUT_DJANGO;
	for (size_t i = 0; i < m->django.n; i++)
		rp_strv_push(&m->files, &m->nfiles, m->django.m[i].name);
	m->listed = true;
	read_django_ledger(db, cfg, o, m->django.apps, m->django.napps);
	return true;
}

void sqlite_probe_migrations(const struct rp_db *db, const struct sqlite_config *cfg,
                             struct sqlite_observed *o)
{
	struct sqlite_migrations_obs *m = &o->migrations;
	if (list_alembic(cfg->migrations_dir, m)) {
		m->listed = !m->error;
		if (m->listed)
			read_alembic_ledger(db, cfg, o);
		return;
	}
	char **sql;
	size_t nsql;
	char err[512];
	/* SQL files win: a directory with both is an SQL tool's */
	if (rp_migration_list_dir(cfg->migrations_dir, SQLITE_MIGRATIONS_MAX, &sql, &nsql, err,
	                          sizeof err)) {
		rp_strv_free(sql, nsql);
		if (nsql == 0 && probe_django(db, cfg, o))
			return;
	}
	probe_sql(db, cfg, o);
}
