/* sqlite_eval.c: check_sqlite's evaluate step. Pure: it turns what the
 * probe observed into the result tree, with no I/O, so every verdict is
 * unit-tested without a database. */
#include "check_sqlite.h"
#include "rp_migration.h"
#include "rp_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many names a line lists before "and N more". */
#define LIST_MAX 3
/* How many tables -v lists. */
#define TABLES_SHOWN 50
/* A newest row less than this far in the future is clock jitter. */
#define FUTURE_TOLERANCE 60.0

/* Tables a framework or a tool keeps for itself: migration ledgers and
 * platform metadata. They are there in a database that was recreated and
 * never migrated, so they are not counted as the application's tables. */
static const char *const framework_tables[] = {
	"d1_migrations",
	"_prisma_migrations",
	"flyway_schema_history",
	"knex_migrations",
	"knex_migrations_lock",
	"goose_db_version",
	"__drizzle_migrations",
	"schema_migrations",
	"ar_internal_metadata",
	"alembic_version",
	"django_migrations",
	"_sqlx_migrations",
	"__diesel_schema_migrations",
	"seaql_migrations",
};
static const char *const framework_prefixes[] = { "_cf_", "_litestream_" };

bool sqlite_framework_table(const char *name)
{
	for (size_t i = 0; i < sizeof framework_tables / sizeof framework_tables[0]; i++)
		if (strcmp(name, framework_tables[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof framework_prefixes / sizeof framework_prefixes[0]; i++)
		if (rp_text_has_prefix(name, framework_prefixes[i]))
			return true;
	return false;
}

size_t sqlite_app_tables(const struct sqlite_observed *o)
{
	size_t n = 0;
	for (size_t i = 0; i < o->ntables; i++)
		n += !sqlite_framework_table(o->tables[i]);
	return n;
}

void sqlite_list_names(struct rp_buf *b, char *const *names, size_t n)
{
	for (size_t i = 0; i < n && i < LIST_MAX; i++) {
		char *c = rp_text_sanitize_str(names[i], 80);
		rp_buf_printf(b, "%s%s", i ? ", " : "", c);
		free(c);
	}
	if (n > LIST_MAX)
		rp_buf_printf(b, " and %zu more", n - LIST_MAX);
}

static void add_timeout(struct rp_check *root, const struct sqlite_config *cfg, const char *what)
{
	char d[RP_DURATION_BUF];
	rp_check_add(root, cfg->timeout_state, "%s: not finished within %s (-t)", what,
	             rp_unit_format_duration(cfg->timeout, d));
}

static void file_failure(struct rp_check *root, const struct sqlite_config *cfg,
                         const struct sqlite_observed *o)
{
	const struct rp_sqlite_file *f = &o->file;
	const char *path = rp_check_clean(root, cfg->db, 80);
	switch (f->status) {
	case RP_SQLITE_FILE_MISSING:
		rp_check_add(root, RP_CRITICAL, "%s does not exist (nothing was created)", path);
		break;
	case RP_SQLITE_FILE_NOT_REGULAR:
		rp_check_add(root, RP_CRITICAL, "%s %s, not a database file", path, f->detail);
		break;
	case RP_SQLITE_FILE_PERMISSION:
		rp_check_add(root, RP_CRITICAL, "%s: permission denied (%s)", path, f->detail);
		break;
	case RP_SQLITE_FILE_EMPTY:
		rp_check_add(
		        root, RP_CRITICAL,
		        "%s has 0 tables: the file is empty (0 bytes; schema never initialised?)",
		        path);
		break;
	case RP_SQLITE_FILE_NOT_DB:
		rp_check_add(root, RP_CRITICAL, "%s is not a %s database (%s)", path,
		             cfg->engine ? cfg->engine : "SQLite", f->detail);
		break;
	case RP_SQLITE_FILE_DUCKDB:
		/* not a finding about the database: this plugin cannot read it */
		rp_check_add(root, RP_UNKNOWN,
		             "%s is a DuckDB database, not SQLite (%s): check it with check_duckdb",
		             path, f->detail);
		break;
	case RP_SQLITE_FILE_SQLITE:
		rp_check_add(root, RP_UNKNOWN,
		             "%s is a SQLite database, not DuckDB (%s): check it with check_sqlite",
		             path, f->detail);
		break;
	case RP_SQLITE_FILE_TRUNCATED:
		rp_check_add(root, RP_CRITICAL, "%s is corrupt: %s", path, f->detail);
		break;
	case RP_SQLITE_FILE_ERROR:
	case RP_SQLITE_FILE_OK:
		rp_check_add(root, RP_CRITICAL, "%s cannot be read: %s", path, f->detail);
		break;
	}
}

static void open_failure(struct rp_check *root, const struct sqlite_config *cfg,
                         const struct sqlite_observed *o)
{
	const char *path = rp_check_clean(root, cfg->db, 80);
	int primary = o->rc & 0xff;
	if (o->reach == REACH_SETUP) {
		rp_check_add(root, RP_UNKNOWN, "%s", rp_check_clean(root, o->error, 200));
	} else if (o->held) {
		/* the running application's own lock: not a finding, but nothing
		 * can be read beside it */
		rp_check_add(root, RP_UNKNOWN,
		             "%s is held open for writing by another process (DuckDB lets no "
		             "other process read it then): %s",
		             path, rp_check_clean(root, o->error, 120));
	} else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
		char d[RP_DURATION_BUF];
		rp_check_add(root, cfg->timeout_state,
		             "%s is locked by a writer for the whole %s deadline (a long write "
		             "lock is itself a finding)",
		             path, rp_unit_format_duration(cfg->timeout, d));
	} else if (o->interrupted) {
		add_timeout(root, cfg, path);
	} else {
		const char *why = rp_check_clean(root, o->error, 200);
		rp_check_add(root, RP_CRITICAL, "%s: %s", path, why);
	}
}

static void eval_tables(struct rp_check *root, const struct sqlite_config *cfg,
                        const struct sqlite_observed *o, size_t *missing)
{
	for (size_t i = 0; i < cfg->ntables; i++) {
		const char *name = rp_check_clean(root, cfg->tables[i], 80);
		if (o->table_checks[i].exists) {
			rp_check_add(root, RP_OK, "table %s: present", name);
		} else {
			rp_check_add(root, RP_CRITICAL, "table %s: missing", name);
			(*missing)++;
		}
	}
}

static void eval_schema(struct rp_check *root, const struct sqlite_config *cfg,
                        const struct sqlite_observed *o, size_t *missing)
{
	const struct sqlite_schema_obs *s = &o->schema;
	if (!cfg->schema_file)
		return;
	if (s->error) {
		const char *why = rp_check_clean(root, s->error, 80);
		rp_check_add(root, RP_UNKNOWN, "schema file %s", why);
		return;
	}
	size_t problems = 0;
	for (size_t i = 0; i < s->ntables; i++) {
		const struct sqlite_schema_table *st = &s->tables[i];
		const char *name = rp_check_clean(root, st->name, 80);
		if (st->missing) {
			rp_check_add(root, RP_CRITICAL, "schema: table %s missing", name);
			(*missing)++;
			problems++;
		}
		for (size_t c = 0; c < st->nmissing_columns; c++) {
			const char *col = rp_check_clean(root, st->missing_columns[c], 80);
			rp_check_add(root, RP_CRITICAL, "schema: column %s.%s missing", name, col);
			problems++;
		}
		if (st->columns_unknown && !st->missing)
			rp_check_detail(
			        root, 1,
			        "schema: table %s present; the file does not list its columns "
			        "(AS SELECT, LIKE, PARTITION OF)",
			        name);
		for (size_t c = 0; c < st->nextra_columns; c++) {
			const char *col = rp_check_clean(root, st->extra_columns[c], 80);
			rp_check_detail(root, 1,
			                "schema: extra column %s.%s (not in the schema file)", name,
			                col);
		}
	}
	for (size_t i = 0; i < s->nextra_tables; i++) {
		const char *name = rp_check_clean(root, s->extra_tables[i], 80);
		rp_check_detail(root, 1, "schema: extra table %s (not in the schema file)", name);
	}
	if (problems == 0)
		rp_check_add(root, RP_OK, "schema: %s %zu table%s and %s columns present",
		             s->ntables == 1 ? "its" : "all", s->ntables,
		             s->ntables == 1 ? "" : "s", s->ntables == 1 ? "its" : "their");
}

static bool table_unusable(struct rp_check *root, const struct sqlite_config *cfg, const char *name,
                           const struct sqlite_table_obs *obs)
{
	if (!obs->exists) {
		rp_check_add(root, RP_CRITICAL, "table %s: missing", name);
		return true;
	}
	if (!obs->done) {
		char *what = rp_xasprintf("table %s", name);
		if (obs->rc == SQLITE_INTERRUPT)
			add_timeout(root, cfg, what);
		else
			rp_check_add(root, RP_CRITICAL, "%s: %s", what,
			             obs->error ? rp_check_clean(root, obs->error, 120)
			                        : rp_sqlite_explain(obs->rc));
		free(what);
		return true;
	}
	return false;
}

static void eval_not_empty(struct rp_check *root, const struct sqlite_config *cfg,
                           const struct sqlite_observed *o)
{
	for (size_t i = 0; i < cfg->nnot_empty; i++) {
		const char *name = rp_check_clean(root, cfg->not_empty[i], 80);
		if (!table_unusable(root, cfg, name, &o->not_empty[i])) {
			if (o->not_empty[i].has_rows)
				rp_check_add(root, RP_OK, "table %s: has rows", name);
			else
				rp_check_add(root, RP_CRITICAL, "table %s: no rows", name);
		}
	}
}

static void eval_rows(struct rp_check *root, const struct sqlite_config *cfg,
                      const struct sqlite_observed *o, const struct rp_thresholds *t)
{
	for (size_t i = 0; i < cfg->nrows; i++) {
		char *label = rp_xasprintf("rows.%s", cfg->rows[i]);
		const char *name = rp_check_clean(root, cfg->rows[i], 80);
		if (table_unusable(root, cfg, name, &o->rows[i])) {
			rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		} else {
			enum rp_state st = rp_check_metric(root, label, (double)o->rows[i].rows,
			                                   RP_UNIT_NONE, t);
			rp_check_add(root, st, "table %s: %lld row%s", name, o->rows[i].rows,
			             o->rows[i].rows == 1 ? "" : "s");
		}
		free(label);
	}
}

static void eval_one_fresh(struct rp_check *root, const struct sqlite_config *cfg,
                           const struct sqlite_fresh_spec *spec, const struct sqlite_fresh_obs *f,
                           double now, const struct rp_thresholds *t)
{
	char *label = rp_xasprintf("age.%s", spec->table);
	const char *tname = rp_check_clean(root, spec->table, 80);
	const char *cname = rp_check_clean(root, spec->column, 80);
	char *what = rp_xasprintf("%s.%s", tname, cname);
	double ts;
	enum rp_timestamp_format detected = RP_TS_AUTO;
	char err[256], d[RP_DURATION_BUF];
	bool ok = false;

	if (!f->table_exists) {
		rp_check_add(root, RP_CRITICAL, "table %s: missing", tname);
	} else if (!f->column_exists) {
		rp_check_add(root, RP_CRITICAL, "%s: column missing", what);
	} else if (!f->done) {
		if (f->rc == SQLITE_INTERRUPT)
			add_timeout(root, cfg, what);
		else
			rp_check_add(root, RP_CRITICAL, "%s: %s", what,
			             f->error ? rp_check_clean(root, f->error, 120)
			                      : rp_sqlite_explain(f->rc));
	} else if (!f->has_rows) {
		rp_check_add(root, RP_CRITICAL, "%s: no rows (no data has arrived)", what);
	} else if (!f->has_value) {
		rp_check_add(root, RP_CRITICAL, "%s: every row has NULL in this column", what);
	} else if (f->is_text ? !rp_timestamp_from_text(f->text, strlen(f->text), cfg->fresh_format,
	                                                &ts, &detected, err, sizeof err)
	                      : !rp_timestamp_from_number(f->num, cfg->fresh_format, &ts, &detected,
	                                                  err, sizeof err)) {
		const char *why = rp_check_clean(root, err, 80);
		rp_check_add(root, RP_UNKNOWN, "%s: newest value unreadable: %s", what, why);
	} else {
		ok = true;
	}
	if (!ok) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_SECONDS, t);
	} else {
		double age = now - ts;
		if (age < -FUTURE_TOLERANCE) {
			rp_check_metric(root, label, 0, RP_UNIT_SECONDS, t);
			rp_check_add(root, RP_WARNING,
			             "%s: newest row is %s in the future (clock skew?)", what,
			             rp_unit_format_duration(-age, d));
		} else {
			if (age < 0)
				age = 0;
			enum rp_state st = rp_check_metric(root, label, age, RP_UNIT_SECONDS, t);
			rp_check_add(root, st, "%s: newest row %s old", what,
			             rp_unit_format_duration(age, d));
		}
		rp_check_detail(root, 1, "%s: values read as %s%s", what,
		                rp_timestamp_format_name(detected),
		                cfg->fresh_format == RP_TS_AUTO ? " (detected)"
		                                                : " (--fresh-format)");
	}
	if (f->table_exists && f->column_exists && !f->indexed)
		rp_check_detail(root, 1, "%s: no index on the column, max() is a full table scan",
		                what);
	free(what);
	free(label);
}

static void eval_integrity(struct rp_check *root, const struct sqlite_config *cfg,
                           const struct sqlite_observed *o)
{
	const struct sqlite_integrity_obs *in = &o->integrity;
	const char *what = cfg->integrity == INTEGRITY_FULL ? "integrity_check" : "quick_check";
	if (cfg->integrity == INTEGRITY_NONE)
		return;
	if (!in->finished) {
		char *w = rp_xasprintf("integrity (%s)", what);
		if (in->rc == SQLITE_INTERRUPT || o->interrupted)
			add_timeout(root, cfg, w);
		else
			rp_check_add(root, RP_CRITICAL, "%s: %s", w, rp_sqlite_explain(in->rc));
		free(w);
		return;
	}
	if (in->nmessages == 1 && strcmp(in->messages[0], "ok") == 0) {
		rp_check_add(root, RP_OK, "integrity (%s): ok", what);
		return;
	}
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "integrity (%s): %zu problems: ", what, in->nmessages);
	sqlite_list_names(&b, in->messages, in->nmessages);
	rp_check_add(root, RP_CRITICAL, "%s", b.data);
	rp_buf_free(&b);
}

static void eval_query(struct rp_check *root, const struct sqlite_config *cfg,
                       const struct sqlite_observed *o, const struct rp_thresholds *t)
{
	const struct sqlite_query_obs *q = &o->query;
	const char *label = cfg->query_label ? cfg->query_label : "query";
	/* "query: 42", or "query failed_jobs: 42" with --label */
	if (!cfg->query)
		return;
	const char *l =
	        cfg->query_label
	                ? rp_check_keep(root,
	                                rp_xasprintf("query %s",
	                                             rp_check_clean(root, cfg->query_label, 80)))
	                : "query";
	if (!q->ran) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		rp_check_add(root, RP_UNKNOWN, "%s: not run", l);
	} else if (q->second) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		rp_check_add(root, RP_UNKNOWN,
		             "%s: refused, more than one statement (give one SELECT)", l);
	} else if (!q->readonly) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		rp_check_add(root, RP_UNKNOWN,
		             "%s: refused, the statement is not read-only (a check never "
		             "writes)",
		             l);
	} else if (q->rc == SQLITE_INTERRUPT) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		add_timeout(root, cfg, "query");
	} else if (q->rc != SQLITE_OK) {
		const char *why = rp_check_clean(root, q->text, 80);
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		rp_check_add(root, RP_CRITICAL, "%s failed: %s", l, why);
	} else if (!q->has_row || !q->numeric) {
		const char *v = rp_check_clean(root, q->text, 80);
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		if (!q->has_row)
			rp_check_add(root, RP_UNKNOWN, "%s: returned no rows, nothing to compare",
			             l);
		else
			rp_check_add(root, RP_UNKNOWN, "%s: returned '%s', not a number", l, v);
	} else {
		char num[RP_NUMBUF];
		enum rp_state st = rp_check_metric(root, label, q->value, RP_UNIT_NONE, t);
		rp_check_add(root, st, "%s: %s", l, rp_number_format(q->value, num));
	}
}

static bool no_check_options(const struct sqlite_config *cfg)
{
	return !cfg->ntables && !cfg->schema_file && !cfg->migrations_dir && !cfg->nnot_empty &&
	       !cfg->nrows && !cfg->nfresh && cfg->integrity == INTEGRITY_NONE && !cfg->query;
}

static size_t expected_tables(const struct sqlite_config *cfg, const struct sqlite_observed *o)
{
	return cfg->ntables + (o->schema.loaded ? o->schema.ntables : 0);
}

/* -v: every table's name (bounded). */
static void list_tables(struct rp_check *root, const struct sqlite_observed *o)
{
	if (!o->ntables)
		return;
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < o->ntables && i < TABLES_SHOWN; i++)
		rp_buf_printf(&b, "%s%s", i ? ", " : "", rp_check_clean(root, o->tables[i], 60));
	if (o->ntables > TABLES_SHOWN)
		rp_buf_printf(&b, " and %zu more", o->ntables - TABLES_SHOWN);
	rp_check_detail(root, 1, "tables: %s", b.data);
	rp_buf_free(&b);
}

/* The application's tables: 0 is CRITICAL when something was expected of
 * the database (or nothing was asked at all); framework tables are named
 * and not counted; -v lists the tables. */
static void eval_table_count(struct rp_check *root, const struct sqlite_config *cfg,
                             const struct sqlite_observed *o, const struct rp_thresholds *t)
{
	size_t napp = sqlite_app_tables(o);
	enum rp_state st = rp_check_metric(root, "tables", (double)napp, RP_UNIT_NONE, t);
	if (napp == 0 && (no_check_options(cfg) || expected_tables(cfg, o) > 0))
		st = RP_CRITICAL;
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "%zu application table%s%s", napp, napp == 1 ? "" : "s",
	              napp == 0 && st != RP_OK ? " (schema never initialised?)" : "");
	if (napp < o->ntables) {
		rp_buf_puts(&b, "; not counted: ");
		size_t shown = 0;
		for (size_t i = 0; i < o->ntables && shown < LIST_MAX; i++)
			if (sqlite_framework_table(o->tables[i]))
				rp_buf_printf(&b, "%s%s", shown++ ? ", " : "",
				              rp_check_clean(root, o->tables[i], 60));
		if (o->ntables - napp > shown)
			rp_buf_printf(&b, " and %zu more", o->ntables - napp - shown);
		rp_buf_puts(&b, " (a framework's own)");
	}
	/* "[OK] 0 application tables" would read as good news: with nothing
	 * expected of the tables, it is a detail */
	if (napp == 0 && st == RP_OK)
		rp_check_detail(root, 1, "%s", b.data);
	else
		rp_check_add(root, st, "%s", b.data);
	rp_buf_free(&b);
	list_tables(root, o);
}

static void summarize(struct rp_check *root, const struct sqlite_config *cfg,
                      const struct sqlite_observed *o)
{
	const char *path = rp_check_clean(root, cfg->db, 80);
	enum rp_state st = rp_check_state(root);
	size_t napp = sqlite_app_tables(o);
	if (o->reach == REACH_OPENED && napp == 0 && expected_tables(cfg, o) > 0) {
		rp_check_set_text(root, "%s has 0 tables; expected %zu (schema never initialised?)",
		                  path, expected_tables(cfg, o));
	} else if (o->reach == REACH_OPENED && napp == 0 && st != RP_OK &&
	           (o->ntables == 0 || rp_check_state(root->kids[0]) != RP_OK)) {
		/* empty, or only a framework's tables where tables were due; a
		 * ledger's pending migrations say more than "0 tables" */
		rp_check_set_text(root, "%s has 0 tables (schema never initialised?)", path);
	} else if (st == RP_OK) {
		struct rp_buf b;
		rp_buf_init(&b);
		rp_buf_printf(&b, "%s: %zu table%s", path, napp, napp == 1 ? "" : "s");
		for (size_t i = 1; i < root->nkids; i++) {
			const struct rp_check *k = root->kids[i];
			if (k->min_verbosity == 0 && k->text &&
			    strncmp(k->text, "table ", 6) != 0 && b.len < 120)
				rp_buf_printf(&b, "; %s", k->text);
		}
		rp_check_set_text(root, "%s", b.data);
		rp_buf_free(&b);
	} else {
		char *worst = rp_check_worst_texts(root, 170);
		/* File-level texts already start with the path. */
		if (o->reach == REACH_OPENED)
			rp_check_set_text(root, "%s: %s", path, worst);
		else
			rp_check_set_text(root, "%s", worst);
		free(worst);
	}
}

struct rp_check *sqlite_evaluate(const struct sqlite_config *cfg, const struct sqlite_observed *o,
                                 const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	if (o->reach == REACH_FILE) {
		file_failure(root, cfg, o);
	} else if (o->reach == REACH_OPEN_FAILED || o->reach == REACH_SETUP) {
		open_failure(root, cfg, o);
	} else {
		size_t missing = 0;
		/* Always the first child: summarize() knows it by that. */
		eval_table_count(root, cfg, o, t);
		if (o->file.wal && !o->file.has_shm && o->file.has_wal && o->file.wal_size > 0)
			rp_check_add(
			        root, RP_WARNING,
			        "a WAL file without -shm: the last writer did not close cleanly; "
			        "its uncheckpointed changes are not visible until a writer opens "
			        "the database");
		eval_tables(root, cfg, o, &missing);
		eval_schema(root, cfg, o, &missing);
		if (cfg->ntables || (cfg->schema_file && o->schema.loaded))
			rp_check_add_perf(root, "missing", (double)missing, RP_UNIT_NONE, t);
		sqlite_eval_migrations(root, cfg, o, t);
		eval_not_empty(root, cfg, o);
		eval_rows(root, cfg, o, t);
		for (size_t i = 0; i < cfg->nfresh; i++)
			eval_one_fresh(root, cfg, &cfg->fresh[i], &o->fresh[i], o->now, t);
		eval_integrity(root, cfg, o);
		eval_query(root, cfg, o, t);
		if (o->file.wal)
			rp_check_detail(root, 1, "journal mode: WAL%s",
			                o->file.has_wal && o->file.has_shm
			                        ? " (live: read through its -wal and -shm)"
			                        : " (no connection open: read as immutable)");
	}
	/* a server's database has a size once logged in */
	if (cfg->server ? o->reach == REACH_OPENED
	                : o->reach != REACH_FILE || o->file.status == RP_SQLITE_FILE_EMPTY ||
	                          o->file.status == RP_SQLITE_FILE_NOT_DB ||
	                          o->file.status == RP_SQLITE_FILE_DUCKDB ||
	                          o->file.status == RP_SQLITE_FILE_SQLITE ||
	                          o->file.status == RP_SQLITE_FILE_TRUNCATED)
		rp_check_add_perf(root, "size", (double)o->file.size, RP_UNIT_BYTES, t);
	summarize(root, cfg, o);
	return root;
}

void sqlite_observed_init(struct sqlite_observed *o, const struct sqlite_config *cfg)
{
	memset(o, 0, sizeof *o);
	o->table_checks = rp_xcalloc(cfg->ntables + 1, sizeof *o->table_checks);
	o->not_empty = rp_xcalloc(cfg->nnot_empty + 1, sizeof *o->not_empty);
	o->rows = rp_xcalloc(cfg->nrows + 1, sizeof *o->rows);
	o->fresh = rp_xcalloc(cfg->nfresh + 1, sizeof *o->fresh);
}

void sqlite_observed_free(struct sqlite_observed *o, const struct sqlite_config *cfg)
{
	rp_strv_free(o->tables, o->ntables);
	free(o->table_checks);
	for (size_t i = 0; i < cfg->nnot_empty; i++)
		free(o->not_empty[i].error);
	free(o->not_empty);
	for (size_t i = 0; i < cfg->nrows; i++)
		free(o->rows[i].error);
	free(o->rows);
	for (size_t i = 0; i < cfg->nfresh; i++) {
		free(o->fresh[i].text);
		free(o->fresh[i].error);
	}
	free(o->fresh);
	for (size_t i = 0; i < o->schema.ntables; i++) {
		struct sqlite_schema_table *st = &o->schema.tables[i];
		free(st->name);
		rp_strv_free(st->missing_columns, st->nmissing_columns);
		rp_strv_free(st->extra_columns, st->nextra_columns);
	}
	free(o->schema.tables);
	free(o->schema.error);
	rp_strv_free(o->schema.extra_tables, o->schema.nextra_tables);
	sqlite_migrations_free(&o->migrations);
	rp_strv_free(o->integrity.messages, o->integrity.nmessages);
	free(o->query.text);
	memset(o, 0, sizeof *o);
}
