/* sqlite_options.c: the options check_sqlite and check_duckdb share: one
 * meaning for --table, --migrations, --fresh, --query and the rest on every
 * engine. */
#include "check_sqlite.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct rp_metric_spec sqlite_metrics[] = {
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
size_t sqlite_query_metric(const void *cfgp, struct rp_metric_spec *extra, size_t max,
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

static bool pg_option(struct sqlite_pg_config *pg, int id, const char *arg, char *err,
                      size_t errlen)
{
	const char **slot[] = { &pg->uri,           &pg->host,         &pg->port,
		                &pg->user,          &pg->dbname,       &pg->service,
		                &pg->password_file, &pg->password_env, &pg->schema_name };
	if (!*arg) {
		snprintf(err, errlen, "an empty value");
		return false;
	}
	*slot[id - OPT_PG_URI] = arg;
	return true;
}

static bool sqlite_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
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
	case OPT_DUCKDB_LIB:
		cfg->duckdb_lib = arg;
		return true;
	case OPT_PG_URI:
	case OPT_PG_HOST:
	case OPT_PG_PORT:
	case OPT_PG_USER:
	case OPT_PG_DBNAME:
	case OPT_PG_SERVICE:
	case OPT_PG_PASSWORD_FILE:
	case OPT_PG_PASSWORD_ENV:
	case OPT_PG_SCHEMA_NAME:
		return pg_option(&cfg->pg, id, arg, err, errlen);
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

static void sqlite_config_free(void *cfgp)
{
	struct sqlite_config *cfg = cfgp;
	rp_strv_free(cfg->tables, cfg->ntables);
	rp_strv_free(cfg->not_empty, cfg->nnot_empty);
	rp_strv_free(cfg->rows, cfg->nrows);
	for (size_t i = 0; i < cfg->nfresh; i++) {
		free(cfg->fresh[i].table);
		free(cfg->fresh[i].column);
	}
	free(cfg->fresh);
}

static bool sqlite_validate(void *cfgp, struct rp_cli *cli)
{
	struct sqlite_config *cfg = cfgp;
	const char *problem = NULL;
	if (cfg->prepare && !cfg->prepare(cfg, cli->err, sizeof cli->err))
		return false;
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

static void probe(const void *cfgp, const struct rp_cli *cli, void *seen)
{
	const struct sqlite_config *cfg = cfgp;
	sqlite_observed_init(seen, cfg);
	cfg->probe(cfg, &cli->deadline, seen);
}

static struct rp_check *evaluate(const void *cfg, const void *seen, const struct rp_cli *cli)
{
	return sqlite_evaluate(cfg, seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *seen)
{
	sqlite_observed_free(seen, cfg);
}

struct rp_plugin sqlite_plugin(const struct rp_plugin_info *info, void (*config_init)(void *cfg))
{
	return (struct rp_plugin){
		.info = info,
		.config_size = sizeof(struct sqlite_config),
		.observed_size = sizeof(struct sqlite_observed),
		.config_init = config_init,
		.config_free = sqlite_config_free,
		.option = sqlite_option,
		.validate = sqlite_validate,
		.probe = probe,
		.evaluate = evaluate,
		.observed_free = observed_free,
	};
}
