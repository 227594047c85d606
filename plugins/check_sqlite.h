/* check_sqlite.h: the configuration and the observations of check_sqlite,
 * shared by the plugin (options, probe) and its pure evaluate step
 * (sqlite_eval.c), which the unit tests drive directly. */
#ifndef CHECK_SQLITE_H
#define CHECK_SQLITE_H

#include "rp_check.h"
#include "rp_cli.h"
#include "rp_run.h"
#include "rp_alembic.h"
#include "rp_buf.h"
#include "rp_django.h"
#include "rp_migration_sql.h"
#include "rp_sqlite.h"
#include "rp_thresholds.h"
#include "rp_timestamp.h"

#include <stdbool.h>
#include <stddef.h>

struct sqlite_fresh_spec {
	char *table;
	char *column;
};

enum sqlite_integrity { INTEGRITY_NONE = 0, INTEGRITY_QUICK, INTEGRITY_FULL };

struct sqlite_config;
struct sqlite_observed;
/* An engine's probe: the only I/O, read-only, under the deadline. */
typedef void (*sqlite_probe_fn)(const struct sqlite_config *cfg, const struct rp_deadline *dl,
                                struct sqlite_observed *o);

struct sqlite_config {
	const char *engine;    /* "SQLite", "DuckDB": the words for the file */
	bool server;           /* a server's database: no file, a size once logged in */
	sqlite_probe_fn probe; /* set by the plugin's config_init */
	/* optional, from config_init: completes cfg (cfg->db, the target's
	 * name) before validation, or says what is wrong */
	bool (*prepare)(struct sqlite_config *cfg, char *err, size_t errlen);
	const char *duckdb_lib; /* check_duckdb --duckdb-lib */
	struct sqlite_pg_config {
		/* check_postgresql: where and who; the password only from a
		 * file, the environment or libpq's own sources */
		const char *uri, *host, *port, *user, *dbname, *service;
		const char *password_file, *password_env, *schema_name;
		char target[256]; /* cfg->db for the texts: no password */
	} pg;
	const char *db;
	char **tables;
	size_t ntables;
	const char *schema_file;
	const char *migrations_dir;
	const char *migrations_table;
	const char *migrations_column;
	char **not_empty;
	size_t nnot_empty;
	char **rows;
	size_t nrows;
	struct sqlite_fresh_spec *fresh;
	size_t nfresh;
	enum rp_timestamp_format fresh_format;
	enum sqlite_integrity integrity;
	const char *query;
	const char *query_label;
	/* from the standard options, for evaluate */
	double timeout;
	enum rp_state timeout_state;
};

/* How far the probe got. */
enum sqlite_reach {
	REACH_FILE = 0,    /* stopped at the file checks: see file.status */
	REACH_SETUP,       /* the check cannot run here (no engine library, no
	                    * password): UNKNOWN, see error */
	REACH_OPEN_FAILED, /* the engine could not open or read it: see error */
	REACH_OPENED,
};

struct sqlite_table_obs {
	bool exists;
	bool done; /* the query finished */
	bool has_rows;
	long long rows;
	int rc;      /* SQLite rc when the query failed */
	char *error; /* or the engine's words */
};

struct sqlite_fresh_obs {
	bool table_exists;
	bool column_exists;
	bool indexed;
	bool done;
	bool has_rows;
	bool has_value; /* max() was not NULL */
	bool is_text;
	double num;
	char *text;
	int rc;
	char *error; /* the engine's words when the query failed */
};

struct sqlite_schema_table {
	char *name;
	bool missing;
	bool columns_unknown; /* the file does not list them (AS SELECT, LIKE) */
	char **missing_columns;
	size_t nmissing_columns;
	char **extra_columns;
	size_t nextra_columns;
};

struct sqlite_schema_obs {
	bool loaded;
	char *error; /* the schema file did not load: UNKNOWN */
	struct sqlite_schema_table *tables;
	size_t ntables;
	char **extra_tables;
	size_t nextra_tables;
};

/* At most this many migrations (files, revisions, ledger rows) are read. */
#define SQLITE_MIGRATIONS_MAX 10000

/* How the migrations directory is laid out, from what it holds. */
enum sqlite_migrations_layout {
	LAYOUT_SQL = 0, /* *.sql files, or Prisma's directories */
	LAYOUT_ALEMBIC, /* Alembic's scripts (the directory, or its versions/) */
	LAYOUT_DJANGO,  /* Django apps' migrations/ packages */
};

enum sqlite_ledger_kind {
	LEDGER_NONE = 0, /* no ledger found */
	LEDGER_ROWS,     /* one entry per applied migration */
	LEDGER_UPTO,     /* golang-migrate: the current version, and a dirty flag */
	LEDGER_COUNT,    /* PRAGMA user_version / drizzle: how many are applied */
	LEDGER_ALEMBIC,  /* alembic_version: the heads the database is at */
};

struct sqlite_migrations_obs {
	bool listed;
	char *error; /* UNKNOWN: directory unreadable, ledger unreadable */
	enum sqlite_migrations_layout layout;
	/* SQL: file names; Django: "app.migration"; Alembic: revision ids,
	 * base first (the revisions themselves in alembic) */
	char **files;
	size_t nfiles;
	struct rp_alembic_tree alembic;
	struct rp_django_listing django; /* Django: with squashed ones' replaces */
	char *tree_error;                /* Alembic's scripts do not form one tree: UNKNOWN */
	enum sqlite_ledger_kind kind;
	char *ledger;   /* what was read: "d1_migrations", "PRAGMA user_version" */
	char **applied; /* the rows; Alembic: the versions */
	size_t napplied;
	char *upto;
	bool dirty;
	long long count;
	/* what each file's SQL does to tables (rp_migration_sql); all_read
	 * when every file could be read, so the tables they leave are known */
	struct rp_migration_sql_op **ops;
	size_t *nops;
	bool all_read;
};

struct sqlite_integrity_obs {
	bool ran;
	bool finished;
	int rc;
	char **messages;
	size_t nmessages;
};

struct sqlite_query_obs {
	bool ran;
	bool readonly;
	bool second; /* more than one statement: refused, none run */
	bool has_row;
	bool numeric;
	double value;
	char *text; /* the value when it is not a number, or the error */
	int rc;
};

struct sqlite_observed {
	double now; /* unix seconds */
	struct rp_sqlite_file file;
	enum sqlite_reach reach;
	int rc;
	char error[256];
	bool interrupted; /* the deadline passed during a statement */
	bool held;        /* DuckDB: another process holds the file for writing */
	char **tables;
	size_t ntables;
	struct sqlite_table_obs *table_checks; /* per config.tables: exists only */
	struct sqlite_table_obs *not_empty;    /* per config.not_empty */
	struct sqlite_table_obs *rows;         /* per config.rows */
	struct sqlite_fresh_obs *fresh;        /* per config.fresh */
	struct sqlite_schema_obs schema;
	struct sqlite_migrations_obs migrations;
	struct sqlite_integrity_obs integrity;
	struct sqlite_query_obs query;
};

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
	OPT_DUCKDB_LIB, /* check_duckdb's */
	OPT_PG_URI,     /* check_postgresql's */
	OPT_PG_HOST,
	OPT_PG_PORT,
	OPT_PG_USER,
	OPT_PG_DBNAME,
	OPT_PG_SERVICE,
	OPT_PG_PASSWORD_FILE,
	OPT_PG_PASSWORD_ENV,
	OPT_PG_SCHEMA_NAME,
};

/* The option entries both plugins offer, for their tables. */
/* The largest schema file read. */
#define SQLITE_SCHEMA_FILE_MAX (16 * 1024 * 1024)

#define SQLITE_OPTION_SCHEMA                                                                       \
	{                                                                                          \
		"schema", 0, true, "FILE.sql",                                                     \
		        "expected schema (a dump or a migration): missing tables and columns are " \
		        "CRITICAL",                                                                \
		        OPT_SCHEMA                                                                 \
	}

#define SQLITE_OPTIONS_CHECKS                                                                      \
	{ "migrations",                                                                            \
	  0,                                                                                       \
	  true,                                                                                    \
	  "DIR",                                                                                   \
	  "shipped migrations (*.sql, Alembic's scripts or Django's apps), compared with the "     \
	  "ledger of applied ones",                                                                \
	  OPT_MIGRATIONS },                                                                        \
	        { "migrations-table",                                                              \
		  0,                                                                               \
		  true,                                                                            \
		  "TABLE",                                                                         \
		  "read the ledger from this table (default: detect)",                             \
		  OPT_MIGRATIONS_TABLE },                                                          \
	        { "migrations-column",                                                             \
		  0,                                                                               \
		  true,                                                                            \
		  "COLUMN",                                                                        \
		  "the ledger column holding names or versions (default: name or version)",        \
		  OPT_MIGRATIONS_COLUMN },                                                         \
	        { "not-empty",                                                                     \
		  0,                                                                               \
		  true,                                                                            \
		  "TABLE",                                                                         \
		  "CRITICAL when the table has no rows (repeatable)",                              \
		  OPT_NOT_EMPTY },                                                                 \
	        { "rows",  0, true, "TABLE", "row count as perfdata rows.TABLE (repeatable)",      \
		  OPT_ROWS },                                                                      \
	        { "fresh",                                                                         \
		  0,                                                                               \
		  true,                                                                            \
		  "TABLE.COLUMN",                                                                  \
		  "age of the newest row, now - max(COLUMN), as age.TABLE (repeatable)",           \
		  OPT_FRESH },                                                                     \
	{                                                                                          \
		"fresh-format", 0, true, "FORMAT",                                                 \
		        "how --fresh reads numbers and text: auto (default), unix, unix-ms, "      \
		        "unix-us, iso, "                                                           \
		        "julian",                                                                  \
		        OPT_FRESH_FORMAT                                                           \
	}
#define SQLITE_OPTIONS_QUERY                                                                       \
	{ "query", 0, true, "SQL", "one read-only statement returning one number", OPT_QUERY },    \
	{                                                                                          \
		"label", 0, true, "NAME", "perfdata label of --query (default: query)", OPT_LABEL  \
	}
/* Their metrics: the same names and meanings on every engine. */
extern const struct rp_metric_spec sqlite_metrics[];

/* The shared options and runtime descriptor (sqlite_options.c): a
 * database plugin gives its info and a config_init that sets cfg->engine
 * and cfg->probe; options, validation, the evaluate step and freeing are
 * the same on every engine. */
size_t sqlite_query_metric(const void *cfg, struct rp_metric_spec *extra, size_t max,
                           const char **primary);
struct rp_plugin sqlite_plugin(const struct rp_plugin_info *info, void (*config_init)(void *cfg));

/* Pure: observations and thresholds in, result tree out. */
struct rp_check *sqlite_evaluate(const struct sqlite_config *cfg, const struct sqlite_observed *o,
                                 const struct rp_thresholds *t);

/* A table a framework keeps for itself (a migration ledger, _cf_*), not
 * counted as the application's; and how many tables are the application's. */
bool sqlite_framework_table(const char *name);
size_t sqlite_app_tables(const struct sqlite_observed *o);

/* The migrations' part of the evaluate step (sqlite_eval_migrations.c),
 * and "a, b, c and 2 more" for a finding's line. */
void sqlite_eval_migrations(struct rp_check *root, const struct sqlite_config *cfg,
                            const struct sqlite_observed *o, const struct rp_thresholds *t);
void sqlite_list_names(struct rp_buf *b, char *const *names, size_t n);
void sqlite_migrations_free(struct sqlite_migrations_obs *m);

/* The probe through rp_db (db_probe.c): the tables of the engine's
 * schema (false with o->error set when they cannot be read), then every
 * check the configuration asks for. */
bool db_list_tables(const struct rp_db *db, struct sqlite_observed *o);
void db_probe_checks(const struct rp_db *db, const struct sqlite_config *cfg,
                     struct sqlite_observed *o);

/* --schema (sqlite_schema.c): one table's expected columns (want) against
 * the database's (have), the database's tables the file does not declare,
 * and the whole check through rp_db, the file read and not executed. */
void sqlite_schema_compare(struct sqlite_schema_table *st, char *const *want, size_t nwant,
                           char *const *have, size_t nhave);
void sqlite_schema_extra_tables(struct sqlite_schema_obs *s, const struct sqlite_observed *o,
                                char *const *want, size_t nwant);
void db_probe_schema(const struct rp_db *db, const struct sqlite_config *cfg,
                     struct sqlite_observed *o);

/* The reading of the migrations directory and of the ledger, through
 * any engine (sqlite_ledger.c). */
void sqlite_probe_migrations(const struct rp_db *db, const struct sqlite_config *cfg,
                             struct sqlite_observed *o);

void sqlite_observed_init(struct sqlite_observed *o, const struct sqlite_config *cfg);
void sqlite_observed_free(struct sqlite_observed *o, const struct sqlite_config *cfg);

#endif
