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
#define SCHEMA_FILE_MAX        (16 * 1024 * 1024)
#define SCHEMA_DB_MAX          (16 * 1024 * 1024)
#define INTEGRITY_MESSAGES_MAX 20
/* How long to keep trying to open beside a writer that connects and
 * disconnects (never past the deadline). */
#define OPEN_RETRY_SECONDS 0.25

enum {
	OPT_DB = 'd',
	OPT_TABLE = 0x100,
	OPT_SCHEMA,
	OPT_MIGRATIONS,
	OPT_MIGRATIONS_TABLE,
	OPT_MIGRATIONS_COLUMN,
	OPT_NOT_EMPTY,
	OPT_ROWS,
	OPT_FRESH,
	OPT_FRESH_FORMAT,
	OPT_INTEGRITY,
	OPT_QUERY,
	OPT_LABEL,
};

static const struct rp_option options[] = {
	{ "db", 'd', true, "PATH", "the database file (required); opened read-only, never created",
	  OPT_DB },
	{ "table", 0, true, "NAME", "a table that must exist (repeatable; a,b,c also works)",
	  OPT_TABLE },
	{ "schema", 0, true, "FILE.sql",
	  "expected schema (a dump or a migration): missing tables and columns are CRITICAL",
	  OPT_SCHEMA },
	{ "migrations", 0, true, "DIR",
	  "shipped migrations (*.sql, Alembic's scripts or Django's apps), compared with the "
	  "ledger of applied ones",
	  OPT_MIGRATIONS },
	{ "migrations-table", 0, true, "TABLE", "read the ledger from this table (default: detect)",
	  OPT_MIGRATIONS_TABLE },
	{ "migrations-column", 0, true, "COLUMN",
	  "the ledger column holding names or versions (default: name or version)",
	  OPT_MIGRATIONS_COLUMN },
	{ "not-empty", 0, true, "TABLE", "CRITICAL when the table has no rows (repeatable)",
	  OPT_NOT_EMPTY },
	{ "rows", 0, true, "TABLE", "row count as perfdata rows.TABLE (repeatable)", OPT_ROWS },
	{ "fresh", 0, true, "TABLE.COLUMN",
	  "age of the newest row, now - max(COLUMN), as age.TABLE (repeatable)", OPT_FRESH },
	{ "fresh-format", 0, true, "FORMAT",
	  "how --fresh reads values: auto (default), unix, unix-ms, unix-us, iso, julian",
	  OPT_FRESH_FORMAT },
	{ "integrity", 0, true, "quick|full",
	  "PRAGMA quick_check or integrity_check, stopped at -t", OPT_INTEGRITY },
	{ "query", 0, true, "SQL", "one read-only statement returning one number", OPT_QUERY },
	{ "label", 0, true, "NAME", "perfdata label of --query (default: query)", OPT_LABEL },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "tables", RP_UNIT_NONE, false, "number of user tables", NULL },
	{ "missing", RP_UNIT_NONE, false, "expected tables missing (--table, --schema)", NULL },
	{ "pending", RP_UNIT_NONE, false, "migrations not applied (default: CRITICAL above 0)",
	  NULL },
	{ "rows", RP_UNIT_NONE, true, "rows of a --rows table", NULL },
	{ "age", RP_UNIT_SECONDS, true, "age of the newest row of a --fresh table", NULL },
	{ "size", RP_UNIT_BYTES, false, "database file size", NULL },
	{ "query", RP_UNIT_NONE, false, "the number --query returned", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

/* With --label NAME the query's metric is NAME; a bare -w/-c applies to it. */
static size_t query_metric(const void *cfgp, struct rp_metric_spec *extra, size_t max,
                           const char **primary)
{
	const struct sqlite_config *cfg = cfgp;
	if (!cfg->query || max == 0)
		return 0;
	*primary = cfg->query_label ? cfg->query_label : "query";
	if (!cfg->query_label)
		return 0;
	extra->name = cfg->query_label;
	extra->unit = RP_UNIT_NONE;
	extra->help = "the number --query returned";
	return 1;
}

static const struct rp_plugin_info info = {
	.name = "check_sqlite",
	.label = "SQLITE",
	.purpose = "SQLite database readiness: opens, tables, schema, migrations, fresh data",
	.synopsis = "-d PATH [--table NAME]... [--schema FILE] [--migrations DIR]\n"
	            "       [--not-empty TABLE]... [--rows TABLE]... [--fresh TABLE.COLUMN]...\n"
	            "       [--integrity quick|full] [--query SQL [--label NAME]] [-w/-c ...]",
	.options = options,
	.metrics = metrics,
	.primary_metric = NULL,
	.dynamic_metrics = query_metric,
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

/* "a,b,c" -> three names; empty items are an error. */
static bool push_list(char ***list, size_t *n, const char *arg, const char *opt, char *err,
                      size_t errlen)
{
	const char *p = arg;
	for (;;) {
		size_t len = strcspn(p, ",");
		if (len == 0) {
			snprintf(err, errlen, "--%s '%.60s': empty table name", opt, arg);
			return false;
		}
		rp_strv_pushn(list, n, p, len);
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct sqlite_config *cfg = cfgp;
	switch (id) {
	case OPT_DB:
		cfg->db = arg;
		return true;
	case OPT_TABLE:
		return push_list(&cfg->tables, &cfg->ntables, arg, "table", err, errlen);
	case OPT_SCHEMA:
		cfg->schema_file = arg;
		return true;
	case OPT_MIGRATIONS:
		cfg->migrations_dir = arg;
		return true;
	case OPT_MIGRATIONS_TABLE:
		cfg->migrations_table = arg;
		return true;
	case OPT_MIGRATIONS_COLUMN:
		cfg->migrations_column = arg;
		return true;
	case OPT_NOT_EMPTY:
		return push_list(&cfg->not_empty, &cfg->nnot_empty, arg, "not-empty", err, errlen);
	case OPT_ROWS:
		return push_list(&cfg->rows, &cfg->nrows, arg, "rows", err, errlen);
	case OPT_FRESH: {
		const char *dot = strrchr(arg, '.');
		if (!dot || dot == arg || dot[1] == '\0') {
			snprintf(err, errlen,
			         "--fresh '%.60s': write TABLE.COLUMN, as in events.ts", arg);
			return false;
		}
		cfg->fresh = rp_xreallocarray(cfg->fresh, cfg->nfresh + 1, sizeof *cfg->fresh);
		cfg->fresh[cfg->nfresh].table = rp_xstrndup(arg, (size_t)(dot - arg));
		cfg->fresh[cfg->nfresh].column = rp_xstrdup(dot + 1);
		cfg->nfresh++;
		return true;
	}
	case OPT_FRESH_FORMAT:
		if (!rp_timestamp_format_parse(arg, &cfg->fresh_format)) {
			snprintf(err, errlen,
			         "--fresh-format '%.40s': use auto, unix, unix-ms, unix-us, iso or "
			         "julian",
			         arg);
			return false;
		}
		return true;
	case OPT_INTEGRITY:
		if (strcmp(arg, "quick") == 0) {
			cfg->integrity = INTEGRITY_QUICK;
		} else if (strcmp(arg, "full") == 0) {
			cfg->integrity = INTEGRITY_FULL;
		} else {
			snprintf(err, errlen, "--integrity '%.40s': use quick or full", arg);
			return false;
		}
		return true;
	case OPT_QUERY:
		cfg->query = arg;
		return true;
	case OPT_LABEL:
		if (!*arg || strchr(arg, '=') || strchr(arg, '\'')) {
			snprintf(err, errlen, "--label '%.40s': a perfdata label without = or '",
			         arg);
			return false;
		}
		cfg->query_label = arg;
		return true;
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

static void config_free(struct sqlite_config *cfg)
{
	rp_strv_free(cfg->tables, cfg->ntables);
	rp_strv_free(cfg->not_empty, cfg->nnot_empty);
	rp_strv_free(cfg->rows, cfg->nrows);
	for (size_t i = 0; i < cfg->nfresh; i++) {
		free(cfg->fresh[i].table);
		free(cfg->fresh[i].column);
	}
	free(cfg->fresh);
}

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
	char *sql = rp_file_read(path, SCHEMA_FILE_MAX, NULL, NULL, why, sizeof why);
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
		for (size_t c = 0; c < nwc; c++)
			if (!rp_db_has_table(hc, nhc, wc[c]))
				rp_strv_pushn(&st->missing_columns, &st->nmissing_columns, wc[c],
				              strlen(wc[c]));
		for (size_t c = 0; c < nhc; c++)
			if (!rp_db_has_table(wc, nwc, hc[c]))
				rp_strv_pushn(&st->extra_columns, &st->nextra_columns, hc[c],
				              strlen(hc[c]));
		rp_strv_free(wc, nwc);
		rp_strv_free(hc, nhc);
	}
	for (size_t i = 0; i < o->ntables; i++)
		if (!rp_db_has_table(want, nwant, o->tables[i]))
			rp_strv_pushn(&s->extra_tables, &s->nextra_tables, o->tables[i],
			              strlen(o->tables[i]));
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

static void config_free_any(void *cfg)
{
	config_free(cfg);
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct sqlite_config *cfg = cfgp;
	const char *problem = NULL;
	if (!cfg->db)
		problem = "--db PATH is required";
	else if (cfg->migrations_column && !cfg->migrations_table)
		problem = "--migrations-column needs --migrations-table";
	else if (cfg->query_label && !cfg->query)
		problem = "--label names the value of --query; give --query too";
	if (problem) {
		snprintf(cli->err, sizeof cli->err, "%s", problem);
		return false;
	}
	cfg->timeout = cli->timeout;
	cfg->timeout_state = cli->timeout_state;
	return true;
}

static void probe(const void *cfg, const struct rp_cli *cli, void *seen)
{
	sqlite_observed_init(seen, cfg);
	sqlite_probe(cfg, &cli->deadline, seen);
}

static struct rp_check *evaluate(const void *cfg, const void *seen, const struct rp_cli *cli)
{
	return sqlite_evaluate(cfg, seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *seen)
{
	sqlite_observed_free(seen, cfg);
}

static const struct rp_plugin check_sqlite = {
	.info = &info,
	.config_size = sizeof(struct sqlite_config),
	.observed_size = sizeof(struct sqlite_observed),
	.config_free = config_free_any,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_sqlite, argc, argv);
}
