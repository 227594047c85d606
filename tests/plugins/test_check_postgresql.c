/* check_postgresql against a real PostgreSQL (initdb as postgres, a free
 * port): the login in words (role missing, database missing, password
 * refused, pg_hba.conf, no server, a server shutting down), a scram user
 * with its password from a file or the environment (never shown), tables,
 * ledgers (SQL, Alembic with a merge, Django), a schema file made by
 * pg_dump against the database drifting from it, fresh data, and a query
 * stopped at the deadline. */
#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PASSWORD "Sc7am-Only-Passw0rd-x41"

static char *dir;
static int port;
static pid_t server;
static char portbuf[16];

static void psql(const char *db, const char *sql)
{
	const char *argv[] = { "/usr/bin/psql",   "-X", "-q",       "-h", "127.0.0.1", "-p",
		               portbuf,           "-U", "postgres", "-d", db,          "-v",
		               "ON_ERROR_STOP=1", "-c", sql,        NULL };
	struct h_run r;
	h_run_argv(&r, (char *const *)argv, NULL, 30);
	ck_assert_msg(r.exit_code == 0, "psql %s: %s", sql, r.out);
	h_run_free(&r);
}

static void write_hba(void)
{
	/* trusted: as containers often run it (POSTGRES_HOST_AUTH_METHOD=trust);
	 * only then does the server tell a missing role from a bad password */
	const char *hba = "local all postgres trust\n"
	                  "host all postgres 127.0.0.1/32 trust\n"
	                  "host trusted all 127.0.0.1/32 trust\n"
	                  "host all blocked 127.0.0.1/32 reject\n"
	                  "host all all 127.0.0.1/32 scram-sha-256\n";
	char *data = rp_xasprintf("%s/pgdata", dir);
	free(h_write_file(data, "pg_hba.conf", hba, strlen(hba)));
	free(data);
	kill(server, SIGHUP);
	usleep(500000);
}

static void cluster_up(void)
{
	if (!h_have_postgres())
		return;
	dir = h_tempdir();
	server = h_postgres(dir, &port);
	snprintf(portbuf, sizeof portbuf, "%d", port);
	psql("postgres", "CREATE ROLE app LOGIN PASSWORD '" PASSWORD "'");
	psql("postgres", "CREATE ROLE blocked LOGIN PASSWORD '" PASSWORD "'");
	psql("postgres", "CREATE DATABASE app OWNER app");
	psql("postgres", "CREATE DATABASE empty OWNER app");
	psql("postgres", "CREATE DATABASE trusted");
	psql("app", "SET ROLE app;"
	            "CREATE TABLE users (id int, email text);"
	            "CREATE TABLE prices (id int, ts timestamptz, usd numeric);"
	            "INSERT INTO prices VALUES (1, now() - interval '2 hours', 97000);"
	            "CREATE TABLE events (id int, at_unix bigint);"
	            "INSERT INTO events VALUES (1, extract(epoch FROM now())::bigint - 30);"
	            "CREATE TABLE schema_migrations (version text);"
	            "INSERT INTO schema_migrations VALUES ('1');");
	write_hba();
	char *pw = rp_xasprintf("%s\n", PASSWORD);
	char *p = h_write_file(dir, "pgpass", pw, strlen(pw));
	chmod(p, 0600);
	free(p), free(pw);
}

static void cluster_down(void)
{
	if (!dir)
		return;
	h_stop(server);
	h_rmrf(dir);
	free(dir);
	dir = NULL;
}

static bool have(const char *test)
{
	if (dir)
		return true;
	fprintf(stderr, "PostgreSQL is not installed: %s SKIPPED\n", test);
	ck_assert_msg(getenv("CI") == NULL, "PostgreSQL must be installed in CI");
	return false;
}

/* check_postgresql -H 127.0.0.1 -P PORT, then the arguments. */
static void pg(struct h_run *r, const char *first, ...)
{
	char *argv[64];
	size_t n = 0;
	argv[n++] = (char *)"plugins/check_postgresql";
	argv[n++] = (char *)"-H";
	argv[n++] = (char *)"127.0.0.1";
	argv[n++] = (char *)"-P";
	argv[n++] = portbuf;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", (char *)"HOME=/nonexistent", NULL };
	h_run_argv(r, argv, envp, 30);
	h_assert_contract(r, "POSTGRESQL");
	ck_assert_msg(strstr(r->out, PASSWORD) == NULL, "the password was shown:\n%s", r->out);
}

START_TEST(test_login_in_words)
{
	if (!have("test_login_in_words"))
		return;
	char *pw = rp_xasprintf("%s/pgpass", dir), *wrong = rp_xasprintf("%s/wrong", dir);
	free(h_write_file(dir, "wrong", "not-the-password\n", 17));
	chmod(wrong, 0600);
	struct h_run r;
	pg(&r, "-U", "ghost", "-d", "trusted", NULL);
	h_assert_state(&r, 2, "the role does not exist (role \"ghost\" does not exist)");
	h_run_free(&r);
	/* with passwords, the server does not say whether the role exists */
	pg(&r, "-U", "ghost", "-d", "app", "--password-file", pw, NULL);
	h_assert_state(&r, 2,
	               "the password was refused (or none was given) (password "
	               "authentication failed for user \"ghost\")");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "nope", "--password-file", pw, NULL);
	h_assert_state(&r, 2, "the database does not exist (database \"nope\" does not exist)");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", wrong, NULL);
	h_assert_state(&r, 2, "the password was refused (or none was given)");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", NULL);
	h_assert_state(&r, 2, "the password was refused (or none was given)");
	h_run_free(&r);
	pg(&r, "-U", "blocked", "-d", "app", "--password-file", pw, NULL);
	h_assert_state(&r, 2, "pg_hba.conf does not let this login in");
	h_run_free(&r);
	char *missing = rp_xasprintf("%s/nothing", dir);
	pg(&r, "-U", "app", "-d", "app", "--password-file", missing, NULL);
	h_assert_state(&r, 3, "does not exist");
	h_run_free(&r);
	/* no server there */
	char other[16];
	snprintf(other, sizeof other, "%d", h_free_port());
	const char *argv[] = { "plugins/check_postgresql", "-H", "127.0.0.1", "-P", other, NULL };
	h_run_argv(&r, (char *const *)argv, NULL, 30);
	h_assert_state(&r, 2, "the server cannot be reached");
	h_run_free(&r);
	/* a password on the command line is refused, and not repeated */
	char *uri = rp_xasprintf("postgresql://app:%s@127.0.0.1:%s/app", PASSWORD, portbuf);
	const char *inuri[] = { "plugins/check_postgresql", "--uri", uri, NULL };
	h_run_argv(&r, (char *const *)inuri, NULL, 30);
	h_assert_state(&r, 3, "--uri carries a password");
	ck_assert_msg(strstr(r.out, PASSWORD) == NULL, "%s", r.out);
	h_run_free(&r);
	free(uri);
	/* libpq's own ~/.pgpass */
	char *line = rp_xasprintf("127.0.0.1:%s:app:app:%s\n", portbuf, PASSWORD);
	char *pgpass = h_write_file(dir, ".pgpass", line, strlen(line));
	chmod(pgpass, 0600);
	char *home = rp_xasprintf("HOME=%s", dir);
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", home, NULL };
	const char *viapass[] = { "plugins/check_postgresql",
		                  "-H",
		                  "127.0.0.1",
		                  "-P",
		                  portbuf,
		                  "-U",
		                  "app",
		                  "-d",
		                  "app",
		                  NULL };
	h_run_argv(&r, (char *const *)viapass, envp, 30);
	h_assert_state(&r, 0, "3 tables");
	h_run_free(&r);
	unlink(pgpass);
	free(line), free(pgpass), free(home);
	free(pw), free(wrong), free(missing);
}
END_TEST

START_TEST(test_scram_user_and_tables)
{
	if (!have("test_scram_user_and_tables"))
		return;
	char *pw = rp_xasprintf("%s/pgpass", dir);
	struct h_run r;
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--table", "users,prices", NULL);
	h_assert_state(&r, 0, "postgresql://app@127.0.0.1:");
	ck_assert_msg(strstr(r.out, "/app: 3 tables") != NULL, "%s", r.out);
	ck_assert(h_perf(&r, "size") > 1000000);
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--table", "users,trades", NULL);
	h_assert_state(&r, 2, "table trades: missing");
	h_run_free(&r);
	/* a database created and never given a schema */
	pg(&r, "-U", "app", "-d", "empty", "--password-file", pw, NULL);
	h_assert_state(&r, 2, "has 0 tables (schema never initialised?)");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--schema-name", "nope", NULL);
	h_assert_state(&r, 2, "schema \"nope\" does not exist");
	h_run_free(&r);
	/* every output mode, the password from the environment */
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", (char *)"APP_DB_PASSWORD=" PASSWORD, NULL };
	const char *secrets[] = { PASSWORD, NULL };
	const char *args[] = { "-H",     "127.0.0.1", "-P",  portbuf,          "-U",
		               "app",    "-d",        "app", "--password-env", "APP_DB_PASSWORD",
		               "--rows", "prices",    NULL };
	h_run_modes(&r, "plugins/check_postgresql", "POSTGRESQL", envp, secrets, args);
	h_assert_state(&r, 0, "3 tables");
	h_run_free(&r);
	free(pw);
}
END_TEST

static void write_text(const char *rel, const char *text)
{
	free(h_write_file(dir, rel, text, strlen(text)));
}

START_TEST(test_ledgers)
{
	if (!have("test_ledgers"))
		return;
	char *pw = rp_xasprintf("%s/pgpass", dir);
	char *mig = rp_xasprintf("%s/migrations", dir), *alembic = rp_xasprintf("%s/alembic", dir);
	mkdir(mig, 0755);
	write_text("migrations/0001_users.sql", "CREATE TABLE users (id int);");
	write_text("migrations/0002_prices.sql", "CREATE TABLE prices (id int);");
	struct h_run r;
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--migrations", mig, NULL);
	h_assert_state(&r, 2, "migrations: 1 of 2 pending (schema_migrations): 0002_prices.sql");
	h_run_free(&r);
	/* Alembic with a branch and its merge, the database on one branch */
	mkdir(alembic, 0755);
	write_text("alembic/a1.py", "revision = 'a1'\ndown_revision = None\n");
	write_text("alembic/b1.py", "revision = 'b1'\ndown_revision = 'a1'\n");
	write_text("alembic/c1.py", "revision = 'c1'\ndown_revision = 'a1'\n");
	write_text("alembic/m1.py", "revision = 'm1'\ndown_revision = ('b1', 'c1')\n");
	psql("app", "SET ROLE app; CREATE TABLE alembic_version (version_num varchar(32) PRIMARY "
	            "KEY); INSERT INTO alembic_version VALUES ('b1');");
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--migrations", alembic, NULL);
	h_assert_state(&r, 2,
	               "database at b1, head is m1, 2 revisions behind: c1, m1 (alembic_version)");
	h_run_free(&r);
	psql("app", "DROP TABLE alembic_version");
	/* Django's ledger; its own apps' rows (auth) are not the project's */
	char *site = rp_xasprintf("%s/site", dir);
	mkdir(site, 0755);
	char *shop = rp_xasprintf("%s/site/shop", dir),
	     *sm = rp_xasprintf("%s/site/shop/migrations", dir);
	mkdir(shop, 0755);
	mkdir(sm, 0755);
	write_text("site/shop/migrations/__init__.py", "");
	write_text("site/shop/migrations/0001_initial.py", "");
	write_text("site/shop/migrations/0002_price.py", "");
	psql("app", "SET ROLE app; CREATE TABLE django_migrations (id serial, app varchar(255), "
	            "name varchar(255), applied timestamptz);"
	            "INSERT INTO django_migrations (app, name) VALUES ('auth', '0001_initial'), "
	            "('shop', '0001_initial');");
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--migrations", site, NULL);
	h_assert_state(&r, 2, "migrations: 1 of 2 pending (django_migrations): shop.0002_price");
	h_run_free(&r);
	psql("app", "DROP TABLE django_migrations");
	free(site), free(shop), free(sm);
	free(pw), free(mig), free(alembic);
}
END_TEST

/* Writes what pg_dump --schema-only makes of db to rel under dir. */
static char *pg_dump_schema(const char *db, const char *rel)
{
	char *path = rp_xasprintf("%s/%s", dir, rel);
	char *cmd = rp_xasprintf("/usr/bin/pg_dump -s -h 127.0.0.1 -p %s -U postgres %s > %s",
	                         portbuf, db, path);
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct h_run r;
	h_run_argv(&r, (char *const *)argv, NULL, 30);
	ck_assert_msg(r.exit_code == 0, "pg_dump: %s", r.out);
	h_run_free(&r);
	free(cmd);
	return path;
}

/* --schema with the real pg_dump of the database as it should be (a
 * function body, constraints, sequences, another schema), then drift. */
START_TEST(test_schema_file)
{
	if (!have("test_schema_file"))
		return;
	psql("postgres", "CREATE DATABASE drift OWNER app");
	psql("drift", "SET ROLE app; CREATE SCHEMA audit;"
	              "CREATE TABLE accounts (id serial PRIMARY KEY, email varchar(255) NOT NULL "
	              "UNIQUE, \"Check\" text, created_at timestamptz DEFAULT now());"
	              "CREATE TABLE orders (id bigint, account_id int REFERENCES accounts(id), "
	              "total numeric(10,2), CONSTRAINT positive CHECK (total >= 0));"
	              "CREATE TABLE audit.log (id int, what text);"
	              "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
	              "CREATE TABLE not_a_table (x int); RETURN NEW; END $$;");
	char *pw = rp_xasprintf("%s/pgpass", dir);
	char *file = pg_dump_schema("drift", "drift.sql");
	struct h_run r;
	pg(&r, "-U", "app", "-d", "drift", "--password-file", pw, "--schema", file, NULL);
	h_assert_state(&r, 0, "postgresql://app@127.0.0.1:");
	ck_assert_msg(strstr(r.out, "schema: all 2 tables and their columns present"), "%s", r.out);
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "drift", "--password-file", pw, "--schema", file, "--schema-name",
	   "audit", NULL);
	h_assert_state(&r, 0, "postgresql://app@127.0.0.1:");
	ck_assert_msg(strstr(r.out, "schema: its 1 table and its columns present"), "%s", r.out);
	h_run_free(&r);
	/* the code moved on, the database did not */
	psql("drift", "ALTER TABLE orders DROP COLUMN total; ALTER TABLE accounts ADD COLUMN "
	              "nickname text");
	pg(&r, "-U", "app", "-d", "drift", "--password-file", pw, "--schema", file, "-v", NULL);
	h_assert_state(&r, 2, "schema: column orders.total missing");
	ck_assert_msg(strstr(r.out, "extra column accounts.nickname"), "%s", r.out);
	h_run_free(&r);
	psql("drift", "DROP TABLE orders");
	pg(&r, "-U", "app", "-d", "drift", "--password-file", pw, "--schema", file, NULL);
	h_assert_state(&r, 2, "schema: table orders missing");
	ck_assert(h_perf(&r, "missing") == 1);
	h_run_free(&r);
	/* a file cut short is not read as a schema */
	write_text("cut.sql", "CREATE TABLE accounts (\n  id int,\n  email te");
	char *cut = rp_xasprintf("%s/cut.sql", dir);
	pg(&r, "-U", "app", "-d", "drift", "--password-file", pw, "--schema", cut, NULL);
	h_assert_state(&r, 3, "line 1: CREATE TABLE accounts ( is never closed");
	h_run_free(&r);
	free(cut), free(file), free(pw);
}
END_TEST

START_TEST(test_fresh_rows_query)
{
	if (!have("test_fresh_rows_query"))
		return;
	char *pw = rp_xasprintf("%s/pgpass", dir);
	struct h_run r;
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--fresh", "prices.ts", "-w",
	   "age=10m", "-c", "age=1h", NULL);
	h_assert_state(&r, 2, "prices.ts: newest row 2 h old");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--fresh", "events.at_unix", "-w",
	   "age=10m", "-c", "age=1h", "--rows", "prices", NULL);
	h_assert_state(&r, 0, "events.at_unix: newest row");
	ck_assert(h_perf(&r, "rows.prices") == 1);
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--query",
	   "SELECT count(*) FROM users", "-c", "0:", NULL);
	h_assert_state(&r, 0, "query: 0");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--query", "DELETE FROM prices",
	   NULL);
	h_assert_state(&r, 3, "refused, the statement is not read-only");
	h_run_free(&r);
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--query",
	   "SELECT 1; DROP TABLE prices", NULL);
	h_assert_state(&r, 3, "refused, more than one statement");
	h_run_free(&r);
	/* a long statement, stopped by the server at the deadline */
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, "--query", "SELECT pg_sleep(20)",
	   "-t", "3", NULL);
	h_assert_state(&r, 2, "query: not finished within 3 s (-t)");
	h_run_free(&r);
	free(pw);
}
END_TEST

/* Last: a smart shutdown waits for a session; meanwhile a login is
 * refused with 57P03. */
START_TEST(test_shutting_down)
{
	if (!have("test_shutting_down"))
		return;
	const char *sleeper[] = { "/usr/bin/psql",
		                  "-X",
		                  "-h",
		                  "127.0.0.1",
		                  "-p",
		                  portbuf,
		                  "-U",
		                  "postgres",
		                  "-d",
		                  "postgres",
		                  "-c",
		                  "SELECT pg_sleep(30)",
		                  NULL };
	pid_t hold = h_start((char *const *)sleeper, NULL);
	usleep(500000);
	kill(server, SIGTERM); /* smart shutdown: waits for the session */
	usleep(500000);
	char *pw = rp_xasprintf("%s/pgpass", dir);
	struct h_run r;
	pg(&r, "-U", "app", "-d", "app", "--password-file", pw, NULL);
	h_assert_state(&r, 2,
	               "the server is not accepting connections (the database system is "
	               "shutting down)");
	h_run_free(&r);
	h_stop(hold);
	free(pw);
}
END_TEST

static Suite *check_postgresql_suite(void)
{
	Suite *s = suite_create("check_postgresql");
	TCase *tc = tcase_create("server");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, cluster_up, cluster_down);
	tcase_add_test(tc, test_login_in_words);
	tcase_add_test(tc, test_scram_user_and_tables);
	tcase_add_test(tc, test_ledgers);
	tcase_add_test(tc, test_schema_file);
	tcase_add_test(tc, test_fresh_rows_query);
	tcase_add_test(tc, test_shutting_down);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_postgresql_suite)
