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

static const struct rp_option options[] = {
	{ "db", 'd', true, "PATH", "the DuckDB file (required); opened read-only, never created",
	  OPT_DB },
	{ "table", 0, true, "NAME", "a table that must exist (repeatable; a,b,c also works)",
	  OPT_TABLE },
	SQLITE_OPTION_SCHEMA,
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
	.synopsis = "-d PATH [--table NAME]... [--schema FILE] [--migrations DIR]\n"
	            "       [--not-empty TABLE]... [--rows TABLE]... [--fresh TABLE.COLUMN]...\n"
	            "       [--query SQL [--label NAME]] [--duckdb-lib PATH] [-w/-c ...]",
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
		o->reach = REACH_SETUP;
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
		o->reach = db_list_tables(&engine, o) ? REACH_OPENED : REACH_OPEN_FAILED;
		if (o->reach == REACH_OPENED)
			db_probe_checks(&engine, cfg, o);
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
