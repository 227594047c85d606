/* check_postgresql: is this PostgreSQL database ready? The login itself
 * (role, database, password, pg_hba.conf, a server not accepting, each in
 * words), then check_sqlite's checks on the schema's tables (--table,
 * --migrations with every ledger, Alembic and Django, --not-empty, --rows,
 * --fresh, --query) through the same evaluate step.
 *
 * libpq, with the password from a file, the environment or libpq's own
 * sources (.pgpass, a service file): never the command line. Every
 * statement is read-only (default_transaction_read_only) and stopped by
 * the server at the deadline (statement_timeout). */
#include "check_sqlite.h"
#include "rp_pg.h"
#include "rp_run.h"
#include "rp_secret.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct rp_option options[] = {
	{ "uri", 0, true, "URI",
	  "postgresql://USER@HOST:PORT/DB?sslmode=... (no password in it: see --password-file)",
	  OPT_PG_URI },
	{ "host", 'H', true, "HOST", "server host or socket directory (default: libpq's)",
	  OPT_PG_HOST },
	{ "port", 'P', true, "PORT", "server port (default: libpq's, 5432)", OPT_PG_PORT },
	{ "user", 'U', true, "ROLE", "the role to log in as (default: libpq's)", OPT_PG_USER },
	{ "dbname", 'd', true, "NAME", "the database (default: libpq's)", OPT_PG_DBNAME },
	{ "service", 0, true, "NAME", "a service of pg_service.conf", OPT_PG_SERVICE },
	{ "password-file", 0, true, "FILE", "the password, from this file's first line",
	  OPT_PG_PASSWORD_FILE },
	{ "password-env", 0, true, "VAR", "the password, from this environment variable",
	  OPT_PG_PASSWORD_ENV },
	{ "schema-name", 0, true, "NAME", "the schema whose tables count (default: public)",
	  OPT_PG_SCHEMA_NAME },
	{ "table", 0, true, "NAME", "a table that must exist (repeatable; a,b,c also works)",
	  OPT_TABLE },
	SQLITE_OPTION_SCHEMA,
	SQLITE_OPTIONS_CHECKS,
	SQLITE_OPTIONS_QUERY,
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_plugin_info info = {
	.name = "check_postgresql",
	.label = "POSTGRESQL",
	.purpose = "PostgreSQL database readiness: the login, tables, migrations, rows, fresh data",
	.synopsis = "[--uri URI | -H HOST -P PORT -U ROLE -d DB | --service NAME]\n"
	            "       [--password-file FILE | --password-env VAR] [--schema-name NAME]\n"
	            "       [--table NAME]... [--schema FILE] [--migrations DIR] [--not-empty "
	            "TABLE]...\n"
	            "       [--rows TABLE]... [--fresh TABLE.COLUMN]... [--query SQL] [-w/-c ...]",
	.options = options,
	.metrics = sqlite_metrics,
	.primary_metric = NULL,
	.dynamic_metrics = sqlite_query_metric,
	.notes = "The login is the first check: a missing role or database, a refused\n"
	         "password, pg_hba.conf and a server not accepting connections are CRITICAL,\n"
	         "each in words. The password: --password-file, --password-env, PGPASSWORD,\n"
	         "~/.pgpass or a service file; never the command line. Every statement is\n"
	         "read-only and stopped at -t by the server. size: the database's size.\n",
	.examples =
	        "  check_postgresql -H 127.0.0.1 -U app -d app --password-file /etc/app/pgpass "
	        "--table users\n"
	        "  check_postgresql --uri postgresql://app@db/app --migrations /srv/app/alembic\n"
	        "  check_postgresql --service app --fresh events.ts -w age=10m -c age=1h\n",
};

/* A URI's password would be on the command line and in process lists. */
static bool uri_has_password(const char *uri)
{
	const char *auth = strstr(uri, "://");
	const char *at = auth ? strchr(auth + 3, '@') : NULL;
	const char *slash = auth ? strchr(auth + 3, '/') : NULL;
	if (at && (!slash || at < slash)) {
		const char *colon = memchr(auth + 3, ':', (size_t)(at - auth - 3));
		if (colon)
			return true;
	}
	return strstr(uri, "password=") != NULL;
}

/* The target's name for the texts (cfg->db): no password in it. */
static bool prepare(struct sqlite_config *cfg, char *err, size_t errlen)
{
	struct sqlite_pg_config *pg = &cfg->pg;
	if (pg->uri && uri_has_password(pg->uri)) {
		snprintf(err, errlen,
		         "--uri carries a password: give it with --password-file, --password-env, "
		         "PGPASSWORD or ~/.pgpass, never on the command line");
		return false;
	}
	if (pg->password_file && pg->password_env) {
		snprintf(err, errlen, "--password-file or --password-env, not both");
		return false;
	}
	if (pg->uri) {
		char *r = rp_secret_redact_url(pg->uri, 200);
		snprintf(pg->target, sizeof pg->target, "%s", r);
		free(r);
	} else if (pg->service) {
		snprintf(pg->target, sizeof pg->target, "service %.200s", pg->service);
	} else {
		snprintf(pg->target, sizeof pg->target, "postgresql://%.60s%s%.60s:%.10s/%.60s",
		         pg->user ? pg->user : "", pg->user ? "@" : "",
		         pg->host ? pg->host : "(default host)", pg->port ? pg->port : "5432",
		         pg->dbname ? pg->dbname : (pg->user ? pg->user : ""));
	}
	cfg->db = pg->target;
	return true;
}

/* The connection's keywords and values from the options (NULL-terminated). */
static size_t conn_params(const struct sqlite_pg_config *pg, const char *password,
                          const char **keys, const char **values)
{
	const char *const pairs[][2] = {
		{ "dbname", pg->uri ? pg->uri : pg->dbname },
		{ "host", pg->host },
		{ "port", pg->port },
		{ "user", pg->user },
		{ "service", pg->service },
		{ "password", password },
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (pairs[i][1])
			keys[n] = pairs[i][0], values[n++] = pairs[i][1];
	keys[n] = values[n] = NULL;
	return n;
}

static PGconn *login(const struct sqlite_config *cfg, const struct rp_deadline *dl,
                     struct sqlite_observed *o)
{
	const struct sqlite_pg_config *pg = &cfg->pg;
	char *password = NULL, *error = NULL, *warning = NULL;
	if (pg->password_file || pg->password_env) {
		password = rp_secret_load(pg->password_file, pg->password_env, "password", &error,
		                          &warning);
		free(warning);
		if (!password) {
			o->reach = REACH_SETUP;
			snprintf(o->error, sizeof o->error, "%s", error);
			free(error);
			return NULL;
		}
	}
	const char *keys[8], *values[8];
	conn_params(pg, password, keys, values);
	enum rp_pg_login kind;
	char why[400];
	PGconn *conn = rp_pg_connect(keys, values, pg->schema_name ? pg->schema_name : "public", dl,
	                             &kind, why, sizeof why);
	rp_secret_free(password);
	if (!conn) {
		o->reach = REACH_OPEN_FAILED;
		o->interrupted = kind == RP_PG_LOGIN_TIMEOUT;
		snprintf(o->error, sizeof o->error, "%s (%.180s)", rp_pg_login_words(kind), why);
	}
	return conn;
}

/* The schema asked for exists, and the database's size for 'size'. */
static bool schema_and_size(const struct rp_db *db, struct sqlite_observed *o, const char *schema)
{
	struct rp_db_rows rows;
	char err[256];
	if (db->query(db->handle, "SELECT current_schema(), pg_database_size(current_database())",
	              1, &rows, err, sizeof err) != RP_DB_OK) {
		snprintf(o->error, sizeof o->error, "%s", err);
		return false;
	}
	bool ok = rp_db_cell(&rows, 0, 0) != NULL;
	if (!ok)
		snprintf(o->error, sizeof o->error, "schema \"%.80s\" does not exist", schema);
	if (rp_db_cell(&rows, 0, 1))
		o->file.size = (off_t)strtoll(rp_db_cell(&rows, 0, 1), NULL, 10);
	rp_db_rows_free(&rows);
	return ok;
}

static void pg_probe(const struct sqlite_config *cfg, const struct rp_deadline *dl,
                     struct sqlite_observed *o)
{
	o->now = (double)time(NULL);
	PGconn *conn = login(cfg, dl, o);
	if (!conn)
		return;
	struct rp_db engine = rp_pg_db(conn);
	const char *schema = cfg->pg.schema_name ? cfg->pg.schema_name : "public";
	engine.schema = schema;
	o->reach = schema_and_size(&engine, o, schema) && db_list_tables(&engine, o)
	                   ? REACH_OPENED
	                   : REACH_OPEN_FAILED;
	if (o->reach == REACH_OPENED)
		db_probe_checks(&engine, cfg, o);
	o->interrupted |= rp_deadline_expired(dl);
	PQfinish(conn);
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct sqlite_config *cfg = cfgp;
	cfg->engine = "PostgreSQL";
	cfg->server = true;
	cfg->probe = pg_probe;
	cfg->prepare = prepare;
}

int main(int argc, char **argv)
{
	struct rp_plugin plugin = sqlite_plugin(&info, config_init);
	return rp_run(&plugin, argc, argv);
}
