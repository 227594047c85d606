/* check_readiness --discover on directories shaped like the five stacks of
 * docs/incidents.md, each with real peers where it names services (nginx
 * for an API, redis-server, a port nobody listens on): the manifest says
 * what a person would have checked, carries none of the secrets planted
 * in the files, and run as it is, names the stack's real failures. And
 * what discovery must refuse or leave alone: no directory, nothing to
 * check, symlink loops, FIFOs, control characters in names. */
#include "readiness_fixture.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Secrets planted in the stacks' files: none may reach a manifest. */
static const char *const planted[] = { "S3cretPassw0rd",           "redispw-123",
	                               "your-fire22-api-token",    "Zq8vN2kLp4Rt7Wx1Ys5B",
	                               "XyZ0aB1cD2eF3gH4iJ5kL6mN", NULL };

static char *mkdirs(const char *stack, const char *sub)
{
	char *p =
	        sub ? rp_xasprintf("%s/%s/%s", dir, stack, sub) : rp_xasprintf("%s/%s", dir, stack);
	char *cmd = rp_xasprintf("mkdir -p '%s'", p);
	ck_assert(system(cmd) == 0);
	free(cmd);
	return p;
}

static void put(const char *stack, const char *name, const char *text)
{
	char *p = rp_xasprintf("%s/%s", stack, name);
	FILE *f = fopen(p, "w");
	ck_assert_msg(f != NULL, "%s", p);
	fputs(text, f);
	fclose(f);
	chmod(p, 0600);
	free(p);
}

static void sql(const char *db, const char *statements)
{
	char *cmd = rp_xasprintf("sqlite3 '%s' '%s'", db, statements);
	ck_assert(system(cmd) == 0);
	free(cmd);
}

/* --discover on stack: the manifest, with no planted secret in it. */
static char *discover(const char *stack)
{
	struct h_run r;
	h_run(&r, PLUGIN, "--discover", stack, NULL);
	ck_assert_msg(r.exit_code == 0, "%s", r.out);
	for (int i = 0; planted[i]; i++)
		ck_assert_msg(!strstr(r.out, planted[i]), "a secret in the manifest: %s",
		              planted[i]);
	char *m = rp_xstrdup(r.out);
	h_run_free(&r);
	return m;
}

/* Runs the discovered manifest as it is. */
static void run_discovered(struct h_run *r, const char *name, const char *text)
{
	char *m = manifest(name, text);
	h_run(r, PLUGIN, "-f", m, "-t", "30", NULL);
	h_assert_contract(r, "READINESS");
	free(m);
}

static void has(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "'%s' not in:\n%s", want, text);
}

/* A Bun + Cloudflare Worker dashboard: a local SQLite database, D1 and KV
 * bindings (one KV without its id: F6), a placeholder token (F2), an API. */
START_TEST(test_bun_dashboard)
{
	char *s = mkdirs("dashboard", "migrations");
	free(s);
	s = mkdirs("dashboard", "data");
	free(s);
	char *stack = mkdirs("dashboard", NULL);
	put(stack, "migrations/0001_init.sql", "CREATE TABLE games(id INTEGER PRIMARY KEY);\n");
	char *db = rp_xasprintf("%s/data/dashboard.sqlite", stack);
	sql(db, "CREATE TABLE games(id INTEGER PRIMARY KEY); CREATE TABLE d1_migrations(id "
	        "INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP "
	        "DEFAULT CURRENT_TIMESTAMP NOT NULL); INSERT INTO d1_migrations(name) VALUES "
	        "(\"0001_init.sql\");");
	put(stack, "package.json", "{\"name\":\"dashboard\"}\n");
	put(stack, "wrangler.toml",
	    "name = \"dashboard\"\n[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = "
	    "\"dashboard\"\ndatabase_id = \"0f3c7a52-8a1d-4e8e-9a47-3f0c2d1b5e6a\"\n"
	    "[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"4b1e2a\"\n[[kv_namespaces]]\nbinding = "
	    "\"SESSIONS\"\n[vars]\nFIRE22_TOKEN = \"your-fire22-api-token\"\n");
	int port;
	char *www = mkdirs("dashboard", "www");
	put(www, "health", "{\"status\":\"ok\"}\n");
	char *servers = rp_xasprintf("server { listen 127.0.0.1:PORT; root %s; }\n", www);
	pid_t nginx = h_nginx(www, servers, &port);
	char *env = rp_xasprintf("FIRE22_TOKEN=your-fire22-api-token\nAPI_URL=http://127.0.0.1:%d/"
	                         "health\n",
	                         port);
	put(stack, ".env", env);
	char *m = discover(stack);
	has(m, "check wrangler = check_config --toml ");
	has(m, "--require 'd1_databases[*].database_id' --require 'kv_namespaces[*].id'");
	has(m, "KV binding SESSIONS has no id: it is silently off (F6)");
	has(m, "check dashboard.sqlite = check_sqlite --db ");
	has(m, "/data/dashboard.sqlite --migrations ");
	char *api = rp_xasprintf("check api-url = check_api -u http://127.0.0.1:%d/health\n", port);
	has(m, api);
	struct h_run r;
	run_discovered(&r, "dashboard.ini", m);
	/* the API and the database are fine; the config blocks (F2, F6) */
	h_assert_state(&r, 2, "blocker");
	has(r.out, "[OK] dashboard.sqlite: SQLITE OK");
	has(r.out, "[OK] api-url: API OK");
	has(r.out, "[CRITICAL] wrangler: CONFIG CRITICAL");
	has(r.out, "[CRITICAL] env: CONFIG CRITICAL");
	h_run_free(&r);
	h_stop(nginx);
	free(api);
	free(m);
	free(env);
	free(servers);
	free(www);
	free(db);
	free(stack);
}
END_TEST

/* A Python micro-service platform in compose: a gateway (nginx), Redis
 * (redis-server), Postgres on a port nobody listens on, settings missing
 * from .env (F3) and a password in a URL (never written). */
START_TEST(test_microservices)
{
	char *stack = mkdirs("platform", NULL);
	int gw, redis, closed = h_free_port();
	pid_t nginx = h_nginx(stack, "server { listen 127.0.0.1:PORT; return 200 'up'; }\n", &gw);
	pid_t rs = h_redis(stack, NULL, &redis);
	char *compose = rp_xasprintf("services:\n  api-gateway:\n    build: ./gateway\n    ports:\n"
	                             "      - \"%d:8000\"\n  postgres:\n    image: postgres:15\n"
	                             "    ports:\n      - \"${PG_PORT:-%d}:5432\"\n  redis:\n"
	                             "    image: redis:7\n    ports: [\"127.0.0.1:%d:6379\"]\n"
	                             "  worker:\n    build: ./worker\n",
	                             gw, closed, redis);
	put(stack, "docker-compose.yml", compose);
	char *env = rp_xasprintf("DATABASE_URL=postgresql://platform:S3cretPassw0rd@127.0.0.1:%d/"
	                         "platform\nREDIS_URL=redis://:redispw-123@127.0.0.1:%d/0\n"
	                         "JWT_ALGORITHM=HS256\n",
	                         closed, redis);
	put(stack, ".env", env);
	put(stack, ".env.example", "JWT_SECRET_KEY=\nJWT_ALGORITHM=HS256\n");
	char *m = discover(stack);
	char *want =
	        rp_xasprintf("check compose = check_services -s api-gateway=tcp://127.0.0.1:%d "
	                     "-s postgres=postgres://127.0.0.1:%d -s redis=redis://127.0.0.1:%d\n",
	                     gw, closed, redis);
	has(m, want);
	has(m, "check env = check_config --env-file ");
	has(m, "/.env.example\n");
	has(m, "?user=platform&dbname=platform");
	has(m, "credentials left out");
	struct h_run r;
	run_discovered(&r, "platform.ini", m);
	h_assert_state(&r, 2,
	               "1 blocker: config/env (1 required key missing from .env: "
	               "JWT_SECRET_KEY");
	char *down = rp_xasprintf("postgres 127.0.0.1:%d (connection refused)", closed);
	has(r.out, down);
	ck_assert(!strstr(r.out, "redis 127.0.0.1")); /* up: not among the down */
	h_run_free(&r);
	h_stop(rs);
	h_stop(nginx);
	free(down);
	free(want);
	free(m);
	free(env);
	free(compose);
	free(stack);
}
END_TEST

/* Compose services with an environment: check_config reads it as compose
 * computes it; a placeholder default in the compose file is found. */
START_TEST(test_compose_environment)
{
	char *stack = mkdirs("composed", NULL);
	put(stack, "docker-compose.yml",
	    "services:\n  api-gateway:\n    image: gateway:1\n    environment:\n"
	    "      JWT_SECRET_KEY: ${JWT_SECRET_KEY:-changeme}\n  worker:\n    image: worker:1\n");
	char *m = discover(stack);
	has(m, "check compose-env = check_config --compose ");
	has(m, "/docker-compose.yml\n");
	struct h_run r;
	run_discovered(&r, "composed.ini", m);
	h_assert_state(&r, 2, "1 blocker: config/compose-env (1 placeholder secret in ");
	has(r.out, "compose-env: CONFIG CRITICAL - 1 placeholder secret in docker-compose.yml "
	           "service api-gateway: JWT_SECRET_KEY");
	h_run_free(&r);
	free(m);
	free(stack);
}
END_TEST

/* A Cloudflare Worker tracking service: D1 with a local copy that has no
 * tables (recreated, migrations never applied: F8, F9), KV, a cron job. */
START_TEST(test_worker_tracking)
{
	char *d1 = mkdirs("tracker", ".wrangler/state/v3/d1/miniflare-D1DatabaseObject");
	char *s = mkdirs("tracker", "migrations");
	free(s);
	char *stack = mkdirs("tracker", NULL);
	char *db = rp_xasprintf("%s/9b0f1c2d3e4f.sqlite", d1);
	/* recreated: a SQLite file with no table left in it */
	sql(db, "CREATE TABLE t(x); DROP TABLE t;");
	put(stack, "migrations/0001_events.sql",
	    "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER);\n");
	put(stack, "wrangler.toml",
	    "name = \"tracker\"\n[triggers]\ncrons = [\"*/5 * * * *\"]\n[[d1_databases]]\n"
	    "binding = \"DB\"\ndatabase_name = \"tracker\"\ndatabase_id = \"1234\"\n"
	    "[[kv_namespaces]]\nbinding = \"KV\"\nid = \"abcd\"\n");
	put(stack, ".dev.vars", "API_TOKEN=XyZ0aB1cD2eF3gH4iJ5kL6mN7oP8qR9s\n");
	put(stack, ".dev.vars.example", "API_TOKEN=\n");
	char *m = discover(stack);
	has(m, "check d1-tracker = check_sqlite --db ");
	has(m, "9b0f1c2d3e4f.sqlite --migrations ");
	has(m, "the Worker runs on cron '*/5 * * * *'");
	has(m, "check dev.vars = check_config --env-file ");
	struct h_run r;
	run_discovered(&r, "tracker.ini", m);
	h_assert_state(&r, 2, "1 blocker: database/d1-tracker (has 0 tables");
	h_run_free(&r);
	free(m);
	free(db);
	free(d1);
	free(stack);
}
END_TEST

/* A Python API: a DuckDB store (noted: no plugin reads it yet), a SQLite
 * cache, a WebSocket broadcaster that is not running (F18), systemd units
 * (noted), an API behind nginx. */
START_TEST(test_python_api)
{
	char *s = mkdirs("api", "deployment");
	free(s);
	char *stack = mkdirs("api", NULL);
	char duck[12288] = { 0 };
	memcpy(duck + 8, "DUCK", 4);
	char *p = rp_xasprintf("%s/utxoracle.db", stack);
	FILE *f = fopen(p, "w");
	ck_assert(f && fwrite(duck, 1, sizeof duck, f) == sizeof duck);
	fclose(f);
	free(p);
	p = rp_xasprintf("%s/prices.sqlite", stack);
	sql(p, "CREATE TABLE prices(ts INTEGER, usd REAL);");
	free(p);
	put(stack, "deployment/utxoracle-websocket.service", "[Service]\nExecStart=/srv/ws\n");
	put(stack, "deployment/utxoracle-integration.timer", "[Timer]\nOnUnitActiveSec=10min\n");
	int port, ws = h_free_port();
	pid_t nginx = h_nginx(stack, "server { listen 127.0.0.1:PORT; return 200 'ok'; }\n", &port);
	char *env = rp_xasprintf("WS_URL=ws://127.0.0.1:%d/ws\nAPI_URL=http://127.0.0.1:%d/\n", ws,
	                         port);
	put(stack, ".env", env);
	char *m = discover(stack);
	has(m, "utxoracle.db: a DuckDB database: check_duckdb --db FILE checks it");
	has(m, "systemd units: deployment/utxoracle-integration.timer, "
	       "deployment/utxoracle-websocket.service.");
	char *want = rp_xasprintf("check_services -s ws=ws://127.0.0.1:%d/ws\n", ws);
	has(m, want);
	has(m, "check prices.sqlite = check_sqlite --db ");
	struct h_run r;
	run_discovered(&r, "api.ini", m);
	/* the broadcaster down is the one cause; the API behind it is skipped
	 * (services do not block in a starter: WARNING by the score) */
	h_assert_state(&r, 1, "score 71.4/100, 2 of 3 checks OK, 1 skipped (not checked)");
	has(r.out, "[CRITICAL] env-urls: SERVICES CRITICAL - 1 of 1 down: ws ");
	has(r.out, "[SKIPPED] api-url: skipped: requires services/env-urls (CRITICAL)");
	h_run_free(&r);
	h_stop(nginx);
	free(want);
	free(m);
	free(env);
	free(stack);
}
END_TEST

/* A stack never deployed: a template and migrations, no .env and no
 * database: the checks fail with the reason, the migrations are noted. */
START_TEST(test_never_deployed)
{
	char *s = mkdirs("seed", "migrations");
	free(s);
	char *stack = mkdirs("seed", NULL);
	put(stack, ".env.example", "JWT_SECRET_KEY=\nDATABASE_URL=\n");
	put(stack, "migrations/0001.sql", "CREATE TABLE users(id INTEGER);\n");
	char *m = discover(stack);
	has(m, "no file with them was found beside it: this check fails until .env exists (F3)");
	has(m, "migrations: migrations, and no database file was found for them");
	struct h_run r;
	run_discovered(&r, "seed.ini", m);
	h_assert_state(&r, 2, "1 blocker: config/env");
	h_run_free(&r);
	free(m);
	free(stack);
}
END_TEST

/* No directory, nothing in it, a -f beside it; loops, FIFOs and odd names
 * in the tree are left alone. */
START_TEST(test_discover_refuses_and_contains)
{
	struct h_run r;
	h_run(&r, PLUGIN, "--discover", "/nonexistent/dir", NULL);
	h_assert_state(&r, 3, "--discover /nonexistent/dir: No such file or directory");
	h_run_free(&r);
	char *empty = mkdirs("empty", NULL);
	h_run(&r, PLUGIN, "--discover", empty, NULL);
	h_assert_state(&r, 3, ": nothing to write a check for");
	h_run_free(&r);
	h_run(&r, PLUGIN, "--discover", empty, "-f", "x.ini", NULL);
	h_assert_state(&r, 3, "--discover writes a manifest: it goes without -f");
	h_run_free(&r);
	char *odd = mkdirs("odd", NULL);
	char *p = rp_xasprintf("%s/loop", odd);
	ck_assert(symlink(odd, p) == 0);
	free(p);
	p = rp_xasprintf("%s/app.db", odd);
	ck_assert(mkfifo(p, 0600) == 0);
	free(p);
	p = rp_xasprintf("%s/.env", odd);
	ck_assert(mkfifo(p, 0600) == 0);
	free(p);
	p = rp_xasprintf("%s/bad\nname.db", odd);
	FILE *f = fopen(p, "w");
	fclose(f);
	free(p);
	put(odd, "real.db", "");
	h_run(&r, PLUGIN, "--discover", odd, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, "real.db is an empty file: no schema was ever created");
	has(r.out, "# 1 name(s) with control characters were left out\n");
	ck_assert(!strstr(r.out, "app.db") && !strstr(r.out, "loop"));
	h_run_free(&r);
	free(odd);
	free(empty);
}
END_TEST

static Suite *readiness_discover_suite(void)
{
	Suite *s = suite_create("check_readiness_discover");
	TCase *tc = tcase_create("discover");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bun_dashboard);
	tcase_add_test(tc, test_microservices);
	tcase_add_test(tc, test_compose_environment);
	tcase_add_test(tc, test_worker_tracking);
	tcase_add_test(tc, test_python_api);
	tcase_add_test(tc, test_never_deployed);
	tcase_add_test(tc, test_discover_refuses_and_contains);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(readiness_discover_suite)
