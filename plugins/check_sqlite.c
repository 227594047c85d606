/* check_sqlite: is this SQLite database ready? It exists, opens, has its
 * tables and columns, its migrations applied, rows, and fresh data.
 * Catches docs/incidents.md F7-F11. Reads only: nothing is created or changed.
 *
 * options -> probe (the only I/O, read-only) -> sqlite_evaluate (pure,
 * sqlite_eval.c) -> render. */
#include "check_sqlite.h"
#include "rp_cli.h"
#include "rp_file.h"
#include "rp_run.h"
#include "rp_migration.h"
#include "rp_migration_sql.h"
#include "rp_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* Bounds on what the plugin reads: a schema file, a migrations directory,
 * the integrity check's report. */
#define SCHEMA_DB_MAX          (16 * 1024 * 1024)
#define INTEGRITY_MESSAGES_MAX 20
/* How long to keep trying to open beside a writer that connects and
 * disconnects (never past the deadline). */
#define OPEN_RETRY_SECONDS 0.25

static const struct rp_option options[] = {
	{ "db", 'd', true, "PATH", "the database file (required); opened read-only, never created",
	  OPT_DB },
	{ "table", 0, true, "NAME", "a table that must exist (repeatable; a,b,c also works)",
	  OPT_TABLE },
	SQLITE_OPTION_SCHEMA,
	SQLITE_OPTIONS_CHECKS,
	{ "integrity", 0, true, "quick|full",
	  "PRAGMA quick_check or integrity_check, stopped at -t", OPT_INTEGRITY },
	SQLITE_OPTIONS_QUERY,
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_plugin_info info = {
	.name = "check_sqlite",
	.label = "SQLITE",
	.purpose = "SQLite database readiness: opens, tables, schema, migrations, fresh data",
	.synopsis = "-d PATH [--table NAME]... [--schema FILE] [--migrations DIR]\n"
	            "       [--not-empty TABLE]... [--rows TABLE]... [--fresh TABLE.COLUMN]...\n"
	            "       [--integrity quick|full] [--query SQL [--label NAME]] [-w/-c ...]",
	.options = options,
	.metrics = sqlite_metrics,
	.primary_metric = NULL,
	.dynamic_metrics = sqlite_query_metric,
	.notes = "With no check option the database must open and have at least one table.\n"
	         "A bare -w/-c RANGE applies to --query's value. Ledgers detected for\n"
	         "--migrations: d1_migrations, _prisma_migrations, flyway_schema_history,\n"
	         "knex_migrations, goose_db_version, __drizzle_migrations, schema_migrations,\n"
	         "else PRAGMA user_version as a count; alembic_version for Alembic's scripts\n"
	         "(revisions behind the head, through the revision graph), django_migrations\n"
	         "for Django's apps.\n",
	.examples = "  check_sqlite -d /srv/app.db --table users,events --not-empty events\n"
	            "  check_sqlite -d /srv/app.db --migrations /srv/migrations\n"
	            "  check_sqlite -d /srv/app.db --migrations /srv/app/alembic\n"
	            "  check_sqlite -d /srv/app.db --fresh events.ts -w age=10m -c age=1h\n"
	            "  check_sqlite -d /srv/app.db --query 'SELECT count(*) FROM jobs WHERE "
	            "failed' -w 5 -c 20\n",
};

/* ------------------------------------------------------------------ probe */

/* Runs sql (one statement, with an optional text parameter) and returns the
 * first column of the first row through the callbacks' view. */
static int sqlite_first_row(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
	if (rc != SQLITE_OK)
		return sqlite3_extended_errcode(db);
	rc = sqlite3_step(*out);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	return sqlite3_extended_errcode(db);
}

static void probe_has_rows(sqlite3 *db, const char *table, bool count, struct sqlite_table_obs *obs,
                           char *const *tables, size_t ntables)
{
	obs->exists = rp_db_has_table(tables, ntables, table);
	if (!obs->exists)
		return;
	char *q = rp_db_quote_ident(table);
	/* LIMIT 1 reads one row whatever the table's size; count(*) is
	 * asked for only with --rows. */
	char *sql = count ? rp_xasprintf("SELECT count(*) FROM %s", q)
	                  : rp_xasprintf("SELECT 1 FROM %s LIMIT 1", q);
	sqlite3_stmt *st = NULL;
	int rc = sqlite_first_row(db, sql, &st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		obs->done = true;
		obs->has_rows = rc == SQLITE_ROW;
		if (count && rc == SQLITE_ROW)
			obs->rows = sqlite3_column_int64(st, 0);
	} else {
		obs->rc = rc;
	}
	sqlite3_finalize(st);
	free(sql);
	free(q);
}

static bool sqlite_has_column(sqlite3 *db, const char *table, const char *column)
{
	char **cols;
	size_t n;
	bool found = false;
	if (rp_sqlite_columns(db, table, &cols, &n) == SQLITE_OK)
		for (size_t i = 0; i < n && !found; i++)
			found = strcasecmp(cols[i], column) == 0;
	rp_strv_free(cols, n);
	return found;
}

static void probe_fresh(sqlite3 *db, const struct sqlite_fresh_spec *spec,
                        struct sqlite_fresh_obs *f, char *const *tables, size_t ntables)
{
	f->table_exists = rp_db_has_table(tables, ntables, spec->table);
	if (!f->table_exists)
		return;
	f->column_exists = sqlite_has_column(db, spec->table, spec->column);
	if (!f->column_exists)
		return;
	f->indexed = rp_sqlite_column_indexed(db, spec->table, spec->column);
	char *qt = rp_db_quote_ident(spec->table), *qc = rp_db_quote_ident(spec->column);
	/* max() alone is answered from an index on the column without
	 * reading the table; the EXISTS tells "no rows" from "all NULL". */
	char *sql = rp_xasprintf("SELECT max(%s), EXISTS (SELECT 1 FROM %s) FROM %s", qc, qt, qt);
	sqlite3_stmt *st = NULL;
	int rc = sqlite_first_row(db, sql, &st);
	if (rc == SQLITE_ROW) {
		f->done = true;
		f->has_rows = sqlite3_column_int(st, 1) != 0;
		int type = sqlite3_column_type(st, 0);
		f->has_value = type != SQLITE_NULL;
		if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
			f->num = sqlite3_column_double(st, 0);
		} else if (type != SQLITE_NULL) {
			const unsigned char *t = sqlite3_column_text(st, 0);
			f->is_text = true;
			f->text = rp_xstrndup(t ? (const char *)t : "", 200);
		}
	} else {
		f->rc = rc == SQLITE_DONE ? SQLITE_ERROR : rc;
	}
	sqlite3_finalize(st);
	free(sql);
	free(qt);
	free(qc);
}

/* Statement-level authorisation for loading a schema file into memory:
 * nothing that reaches outside the in-memory database. */
/* A schema file defines tables: ATTACH and DETACH (other files) and
 * temporary objects (an unbounded temporary database) are refused. */
static int schema_authorizer(void *arg, int action, const char *a, const char *b, const char *c,
                             const char *d)
{
	(void)arg, (void)a, (void)b, (void)c, (void)d;
	switch (action) {
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
	case SQLITE_CREATE_TEMP_TABLE:
	case SQLITE_CREATE_TEMP_INDEX:
	case SQLITE_CREATE_TEMP_TRIGGER:
	case SQLITE_CREATE_TEMP_VIEW:
		return SQLITE_DENY;
	}
	return SQLITE_OK;
}

static size_t line_of(const char *text, const char *pos)
{
	size_t line = 1;
	for (const char *p = text; p < pos && *p; p++)
		line += *p == '\n';
	return line;
}

/* Executes the schema file in an in-memory database; on failure names the
 * error and its line. */
static sqlite3 *load_schema(const char *path, const struct rp_deadline *dl, char **error)
{
	char why[200];
	char *sql = rp_file_read(path, SQLITE_SCHEMA_FILE_MAX, NULL, NULL, why, sizeof why);
	if (!sql) {
		*error = rp_xasprintf("%s %s", path, why);
		return NULL;
	}
	sqlite3 *mem = NULL;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
	    SQLITE_OK) {
		*error = rp_xstrdup("cannot open an in-memory database");
		sqlite3_close(mem);
		free(sql);
		return NULL;
	}
	struct rp_sqlite_handlers h = { dl, false, false };
	/* the database the schema builds is bounded like the file: seed data
	 * or a recursive insert cannot take the machine's memory */
	char *cap = rp_xasprintf("PRAGMA max_page_count = %d", SCHEMA_DB_MAX / 4096);
	sqlite3_exec(mem, "PRAGMA page_size = 4096", NULL, NULL, NULL);
	sqlite3_exec(mem, cap, NULL, NULL, NULL);
	free(cap);
	sqlite3_set_authorizer(mem, schema_authorizer, NULL);
	rp_sqlite_set_deadline(mem, &h);
	const char *p = sql;
	while (*p) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(mem, p, -1, &st, &tail);
		if (rc == SQLITE_OK && st &&
		    strncasecmp(sqlite3_sql(st) + strspn(sqlite3_sql(st), " \t\r\n"), "VACUUM",
		                6) == 0) {
			sqlite3_finalize(st);
			*error = rp_xasprintf("%s line %zu: VACUUM is not allowed in a schema file",
			                      path, line_of(sql, p + strspn(p, " \t\r\n")));
			break;
		}
		if (rc == SQLITE_OK && st) {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				;
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			int off = sqlite3_error_offset(mem);
			const char *at = off >= 0 ? p + off : p + strspn(p, " \t\r\n");
			*error = rp_xasprintf("%s line %zu: %s", path, line_of(sql, at),
			                      (rc & 0xff) == SQLITE_FULL
			                              ? "builds a database over 16 MiB, refused"
			                              : sqlite3_errmsg(mem));
			sqlite3_finalize(st);
			break;
		}
		sqlite3_finalize(st);
		if (!tail || tail == p)
			break;
		p = tail;
	}
	free(sql);
	if (*error) {
		sqlite3_close(mem);
		return NULL;
	}
	return mem;
}

static void probe_schema(sqlite3 *db, const struct sqlite_config *cfg, struct sqlite_observed *o,
                         const struct rp_deadline *dl)
{
	struct sqlite_schema_obs *s = &o->schema;
	sqlite3 *mem = load_schema(cfg->schema_file, dl, &s->error);
	if (!mem)
		return;
	char **want;
	size_t nwant;
	rp_sqlite_tables(mem, &want, &nwant);
	s->tables = rp_xcalloc(nwant + 1, sizeof *s->tables);
	s->ntables = nwant;
	for (size_t i = 0; i < nwant; i++) {
		struct sqlite_schema_table *st = &s->tables[i];
		st->name = rp_xstrdup(want[i]);
		st->missing = !rp_db_has_table(o->tables, o->ntables, want[i]);
		if (st->missing)
			continue;
		char **wc, **hc;
		size_t nwc, nhc;
		rp_sqlite_columns(mem, want[i], &wc, &nwc);
		rp_sqlite_columns(db, want[i], &hc, &nhc);
		sqlite_schema_compare(st, wc, nwc, hc, nhc);
		rp_strv_free(wc, nwc);
		rp_strv_free(hc, nhc);
	}
	sqlite_schema_extra_tables(s, o, want, nwant);
	rp_strv_free(want, nwant);
	s->loaded = true;
	sqlite3_close(mem);
}

static void probe_integrity(sqlite3 *db, const struct sqlite_config *cfg, struct sqlite_observed *o)
{
	struct sqlite_integrity_obs *in = &o->integrity;
	sqlite3_stmt *st;
	char *sql =
	        rp_xasprintf("PRAGMA %s(%d)",
	                     cfg->integrity == INTEGRITY_FULL ? "integrity_check" : "quick_check",
	                     INTEGRITY_MESSAGES_MAX);
	in->ran = true;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		in->rc = sqlite3_extended_errcode(db);
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		rp_strv_pushn(&in->messages, &in->nmessages, t ? (const char *)t : "",
		              t ? strlen((const char *)t) : 0);
	}
	in->finished = rc == SQLITE_DONE;
	in->rc = in->finished ? SQLITE_OK : sqlite3_extended_errcode(db);
	sqlite3_finalize(st);
}

static void probe_query(sqlite3 *db, const struct sqlite_config *cfg, struct sqlite_observed *o)
{
	struct sqlite_query_obs *q = &o->query;
	sqlite3_stmt *st = NULL;
	q->ran = true;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v2(db, cfg->query, -1, &st, &tail);
	if (rc != SQLITE_OK || !st) {
		q->readonly = true;
		q->rc = rc != SQLITE_OK ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
		q->text = rp_xstrdup(rc != SQLITE_OK ? sqlite3_errmsg(db) : "empty statement");
		return;
	}
	q->readonly = sqlite3_stmt_readonly(st) != 0;
	/* "SELECT 1; DELETE ...": only the first would run, the rest unseen;
	 * what follows may only be white space and comments (preparing it
	 * runs nothing) */
	q->second = rp_sqlite_another_statement(db, tail);
	if (!q->readonly || q->second) {
		sqlite3_finalize(st);
		return;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		q->has_row = true;
		int type = sqlite3_column_type(st, 0);
		const unsigned char *t = sqlite3_column_text(st, 0);
		q->text = rp_xstrndup(t ? (const char *)t : "NULL", 200);
		if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
			q->numeric = true;
			q->value = sqlite3_column_double(st, 0);
		} else if (t) {
			q->numeric = rp_number_parse((const char *)t, strlen((const char *)t),
			                             &q->value);
		}
		q->rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		q->rc = SQLITE_OK;
	} else {
		q->rc = sqlite3_extended_errcode(db);
		q->text = rp_xstrdup(sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
}

/* Inspects, opens and reads the schema of path. A writer that connects or
 * disconnects beside us (its -wal and -shm come and go) can make this fail
 * for a moment: such a failure is inspected and tried again, within the
 * deadline, so it never becomes a false state. NULL with o->reach set when
 * it cannot be done. */
static sqlite3 *open_and_list(const char *path, const struct rp_deadline *dl,
                              struct rp_sqlite_handlers *h, struct sqlite_observed *o)
{
	double give_up = rp_deadline_now() + OPEN_RETRY_SECONDS;
	for (;;) {
		bool last = rp_deadline_now() >= give_up || rp_deadline_expired(dl);
		rp_sqlite_inspect(path, &o->file);
		if (o->file.status != RP_SQLITE_FILE_OK) {
			o->reach = REACH_FILE;
			return NULL;
		}
		/* a -wal without its -shm is a writer opening or closing, unless it
		 * stays that way */
		bool half = o->file.wal && o->file.has_wal && !o->file.has_shm;
		int rc = SQLITE_CANTOPEN;
		sqlite3 *db = NULL;
		if (!half || last)
			db = rp_sqlite_open(path, &o->file, h, o->error, sizeof o->error);
		/* the first read of the schema is where NOTADB, CORRUPT, BUSY and a
		 * hot journal show up */
		if (db && (rc = rp_sqlite_tables(db, &o->tables, &o->ntables)) == SQLITE_OK)
			return db;
		if (db) {
			snprintf(o->error, sizeof o->error, "%s", rp_sqlite_explain(rc));
			sqlite3_close(db);
		}
		rp_strv_free(o->tables, o->ntables);
		o->tables = NULL;
		o->ntables = 0;
		if (last || !rp_sqlite_transient(rc)) {
			o->reach = REACH_OPEN_FAILED;
			o->rc = rc;
			o->interrupted = h->interrupted;
			return NULL;
		}
		struct timespec pause = { 0, 2 * 1000000L };
		nanosleep(&pause, NULL);
	}
}

static void sqlite_probe(const struct sqlite_config *cfg, const struct rp_deadline *dl,
                         struct sqlite_observed *o)
{
	o->now = (double)time(NULL);
	/* a link (d1.sqlite -> .wrangler/state/.../HASH.sqlite) is read where it
	 * points: its -wal and -shm are beside the target, not the link */
	char *real = realpath(cfg->db, NULL);
	const char *path = real ? real : cfg->db;
	struct rp_sqlite_handlers h = { dl, false, false };
	sqlite3 *db = open_and_list(path, dl, &h, o);
	free(real);
	if (!db)
		return;
	o->reach = REACH_OPENED;
	for (size_t i = 0; i < cfg->ntables; i++)
		o->table_checks[i].exists = rp_db_has_table(o->tables, o->ntables, cfg->tables[i]);
	if (cfg->schema_file)
		probe_schema(db, cfg, o, dl);
	if (cfg->migrations_dir) {
		struct rp_db engine = rp_sqlite_db(db);
		sqlite_probe_migrations(&engine, cfg, o);
	}
	for (size_t i = 0; i < cfg->nnot_empty; i++)
		probe_has_rows(db, cfg->not_empty[i], false, &o->not_empty[i], o->tables,
		               o->ntables);
	for (size_t i = 0; i < cfg->nrows; i++)
		probe_has_rows(db, cfg->rows[i], true, &o->rows[i], o->tables, o->ntables);
	for (size_t i = 0; i < cfg->nfresh; i++)
		probe_fresh(db, &cfg->fresh[i], &o->fresh[i], o->tables, o->ntables);
	if (cfg->integrity != INTEGRITY_NONE)
		probe_integrity(db, cfg, o);
	if (cfg->query)
		probe_query(db, cfg, o);
	o->interrupted = h.interrupted;
	sqlite3_close(db);
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct sqlite_config *cfg = cfgp;
	cfg->engine = "SQLite";
	cfg->probe = sqlite_probe;
}

int main(int argc, char **argv)
{
	struct rp_plugin plugin = sqlite_plugin(&info, config_init);
	return rp_run(&plugin, argc, argv);
}
