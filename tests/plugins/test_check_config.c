/* check_config against fixture files and real processes: each failure of
 * docs/incidents.md F2-F6 and its healthy version. Every run, in every output
 * mode and verbosity, is searched for every secret value the fixtures use:
 * finding one fails the test. */
#include "harness.h"
#include "rp_buf.h"
#include "rp_test.h"
#include "rp_util.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PLUGIN "plugins/check_config"

/* Every secret value in the fixtures; none may ever be printed. */
static const char *const secret_values[] = {
	"your-fire22-api-token",
	"your-jwt-secret-min-32-chars",
	"<generate-with-openssl-rand-hex-32>",
	"f3a9c2e81b7d4065a1c9e2f80b3d7c6a5e4f1d2c3b4a59687766554433221100",
	"9c1e7b2f4a6d8c0e3f5a7b9d1c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e",
	"s3cr3t-r3d1s-pa55w0rd-that-is-long-enough-42",
	"kv-binding-secret-9d8c7b6a5f4e3d2c1b0a",
	"shortpw",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"sk_live_4eC39HqLyjWDarjtT1zdp7dc",
};

static char *dir;

static void setup(void)
{
	dir = h_tempdir();
}

static void teardown(void)
{
	h_rmrf(dir);
	free(dir);
}

static char *fixture(const char *name, const char *text, mode_t mode)
{
	char *p = h_write_file(dir, name, text, strlen(text));
	chmod(p, mode);
	return p;
}

static void assert_no_secret(const struct h_run *r)
{
	for (size_t i = 0; i < sizeof secret_values / sizeof secret_values[0]; i++)
		ck_assert_msg(strstr(r->out, secret_values[i]) == NULL,
		              "a secret value was printed: %s\n%s", secret_values[i], r->out);
}

/* Runs the plugin three ways (text, -vvv, JSON), holds each to the contract
 * and scans each for secrets; r gets the text run. */
static void run(struct h_run *r, const char *first, ...)
{
	char *argv[64];
	size_t n = 0;
	argv[n++] = (char *)PLUGIN;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 60; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	for (int mode = 2; mode >= 0; mode--) {
		size_t m = n;
		if (mode == 1)
			argv[m++] = (char *)"-vvv";
		if (mode == 2) {
			argv[m++] = (char *)"--output-format";
			argv[m++] = (char *)"json";
			argv[m++] = (char *)"-vvv";
		}
		argv[m] = NULL;
		h_run_argv(r, argv, NULL, 30);
		h_assert_contract(r, "CONFIG");
		assert_no_secret(r);
		if (mode)
			h_run_free(r);
	}
}

/* ------------------------------------------------------- F2, F6: TOML */

static const char *const wrangler_bad = "name = \"tracker\"\n"
                                        "main = \"src/index.ts\"\n"
                                        "[vars]\n"
                                        "FIRE22_TOKEN = \"your-fire22-api-token\"\n"
                                        "JWT_SECRET = \"your-jwt-secret-min-32-chars\"\n"
                                        "API_BASE = \"https://api.example.com\"\n"
                                        "[[kv_namespaces]]\n"
                                        "binding = \"CACHE\"\n"
                                        "id = \"0f1e2d3c4b5a69788796a5b4c3d2e1f0\"\n"
                                        "[[kv_namespaces]]\n"
                                        "binding = \"SESSIONS\"\n";

static const char *const wrangler_good =
        "name = \"tracker\"\n"
        "[vars]\n"
        "FIRE22_TOKEN = \"f3a9c2e81b7d4065a1c9e2f80b3d7c6a5e4f1d2c3b4a59687766554433221100\"\n"
        "JWT_SECRET = \"9c1e7b2f4a6d8c0e3f5a7b9d1c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e\"\n"
        "[[kv_namespaces]]\n"
        "binding = \"CACHE\"\n"
        "id = \"0f1e2d3c4b5a69788796a5b4c3d2e1f0\"\n"
        "[[kv_namespaces]]\n"
        "binding = \"SESSIONS\"\n"
        "id = \"1a2b3c4d5e6f70819283a4b5c6d7e8f9\"\n";

START_TEST(test_wrangler_placeholders_and_binding)
{
	char *bad = fixture("wrangler.toml", wrangler_bad, 0600);
	struct h_run r;
	run(&r, "--toml", bad, "--require", "kv_namespaces[*].id", NULL);
	h_assert_state(&r, 2, "2 placeholder secrets in");
	ck_assert(strstr(r.out, "vars.FIRE22_TOKEN, vars.JWT_SECRET") != NULL);
	ck_assert(strstr(r.out, "[CRITICAL] kv_namespaces[binding=SESSIONS].id (") != NULL);
	ck_assert(h_perf(&r, "placeholders") == 2);
	ck_assert(h_perf(&r, "missing") == 1);
	h_run_free(&r);
	/* F6 as the operator's choice: a missing binding id is a warning */
	run(&r, "--toml", bad, "--require", "kv_namespaces[*].id", "--missing-state", "warning",
	    "--no-auto-secrets", NULL);
	h_assert_state(&r, 1, "1 required key missing from");
	h_run_free(&r);
	char *good = fixture("wrangler-good.toml", wrangler_good, 0600);
	run(&r, "--toml", good, "--require", "kv_namespaces[*].id", "--require", "vars.JWT_SECRET",
	    NULL);
	h_assert_state(&r, 0, "2 secrets checked, none a placeholder");
	ck_assert(h_perf(&r, "placeholders") == 0);
	h_run_free(&r);
	free(bad);
	free(good);
}
END_TEST

/* ------------------------------------------------- F3: .env vs template */

static const char *const env_example = "DATABASE_URL=postgres://user:pass@localhost/app\n"
                                       "JWT_SECRET_KEY=<generate-with-openssl-rand-hex-32>\n"
                                       "JWT_ALGORITHM=HS256\n"
                                       "ACCESS_TOKEN_EXPIRE_MINUTES=30\n";

START_TEST(test_env_missing_template_keys)
{
	char *tmpl = fixture(".env.example", env_example, 0644);
	char *env = fixture(
	        ".env",
	        "DATABASE_URL=postgres://app@db/app\n"
	        "JWT_SECRET_KEY=9c1e7b2f4a6d8c0e3f5a7b9d1c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e\n",
	        0600);
	struct h_run r;
	run(&r, "--env-file", env, "--template", tmpl, NULL);
	h_assert_state(&r, 2, "2 required keys missing from");
	ck_assert(strstr(r.out, "JWT_ALGORITHM, ACCESS_TOKEN_EXPIRE_MINUTES") != NULL);
	ck_assert(h_perf(&r, "missing") == 2);
	h_run_free(&r);
	free(env);
	/* the secret is still the template's text */
	env = fixture(".env",
	              "DATABASE_URL=postgres://app@db/app\n"
	              "JWT_SECRET_KEY=<generate-with-openssl-rand-hex-32>\n"
	              "JWT_ALGORITHM=HS256\nACCESS_TOKEN_EXPIRE_MINUTES=30\n",
	              0600);
	run(&r, "--env-file", env, "--template", tmpl, NULL);
	h_assert_state(&r, 2, "1 placeholder secret in");
	ck_assert(strstr(r.out, "JWT_SECRET_KEY (") != NULL);
	h_run_free(&r);
	free(env);
	/* healthy */
	env = fixture(".env",
	              "DATABASE_URL=postgres://app@db/app\n"
	              "JWT_SECRET_KEY="
	              "\"9c1e7b2f4a6d8c0e3f5a7b9d1c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e\"\n"
	              "export JWT_ALGORITHM=HS256\nACCESS_TOKEN_EXPIRE_MINUTES=30 # minutes\n",
	              0600);
	run(&r, "--env-file", env, "--template", tmpl, NULL);
	h_assert_state(&r, 0, "every required key set");
	h_run_free(&r);
	free(env);
	free(tmpl);
}
END_TEST

/* ------------------------------------- F4: what the process really got */

static pid_t start_process(char *const envp[])
{
	char *argv[] = { (char *)"/bin/sleep", (char *)"30", NULL };
	pid_t pid = h_start(argv, envp);
	/* wait until the exec has happened and the environment is the new one */
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		char buf[64] = "";
		if (f) {
			size_t n = fread(buf, 1, sizeof buf - 1, f);
			buf[n] = '\0';
			fclose(f);
		}
		if (strcmp(buf, "/bin/sleep") == 0)
			break;
		usleep(10000);
	}
	return pid;
}

START_TEST(test_process_environment)
{
	char *env_without[] = { (char *)"PATH=/usr/bin:/bin", (char *)"REDIS_HOST=127.0.0.1",
		                NULL };
	char *env_with[] = { (char *)"PATH=/usr/bin:/bin",
		             (char *)"REDIS_PASSWORD=s3cr3t-r3d1s-pa55w0rd-that-is-long-enough-42",
		             NULL };
	pid_t without = start_process(env_without), with = start_process(env_with);
	char pid_without[32], pid_with[32];
	snprintf(pid_without, sizeof pid_without, "%d", (int)without);
	snprintf(pid_with, sizeof pid_with, "%d", (int)with);
	/* the file has it; the process never got it */
	char *env = fixture(".env", "REDIS_PASSWORD=s3cr3t-r3d1s-pa55w0rd-that-is-long-enough-42\n",
	                    0600);
	struct h_run r;
	run(&r, "--env-file", env, "--pid", pid_without, "--require", "REDIS_PASSWORD", NULL);
	h_assert_state(&r, 2, "1 required key missing from pid ");
	ck_assert(strstr(r.out, "REDIS_PASSWORD") != NULL);
	/* a setting loaded after exec (load_dotenv) cannot be seen: said so */
	ck_assert_msg(strstr(r.out, "not in the environment the process started with; if it reads "
	                            "a file such as .env itself") != NULL,
	              "%s", r.out);
	h_run_free(&r);
	run(&r, "--pid", pid_with, "--require", "REDIS_PASSWORD", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	char *pidfile = h_write_file(dir, "app.pid", pid_with, strlen(pid_with));
	run(&r, "--pid-file", pidfile, "--require", "REDIS_PASSWORD", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	h_stop(without);
	h_stop(with);
	run(&r, "--pid", pid_without, NULL);
	h_assert_state(&r, 3, "no such process");
	h_run_free(&r);
	char *stale = h_write_file(dir, "stale.pid", "garbage\n", 8);
	run(&r, "--pid-file", stale, NULL);
	h_assert_state(&r, 3, "does not hold a process id");
	h_run_free(&r);
	free(stale);
	free(pidfile);
	free(env);
}
END_TEST

/* ------------------------------------------------ F5: empty, undefined */

START_TEST(test_empty_and_undefined_secrets)
{
	char *env = fixture(".env",
	                    "JWT_SECRET=\nVAULT_CREDENTIALS=undefined\nAPI_KEY=${API_KEY}\n", 0600);
	struct h_run r;
	run(&r, "--env-file", env, NULL);
	h_assert_state(&r, 2, NULL);
	ck_assert(strstr(r.out, "JWT_SECRET (") && strstr(r.out, "secret is empty"));
	ck_assert(strstr(r.out, "VAULT_CREDENTIALS (") && strstr(r.out, "a generic word"));
	ck_assert(strstr(r.out, "an unresolved variable reference") != NULL);
	h_run_free(&r);
	/* a named secret that does not exist at all */
	run(&r, "--env-file", env, "--secret", "SESSION_SEAL", NULL);
	ck_assert(strstr(r.out, "SESSION_SEAL (") && strstr(r.out, "missing"));
	h_run_free(&r);
	free(env);
}
END_TEST

START_TEST(test_weak_alg_mode_and_duplicates)
{
	char *env = fixture(".env",
	                    "JWT_SECRET=shortpw\n"
	                    "SESSION_SECRET=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
	                    "JWT_ALGORITHM=none\n"
	                    "PORT=8000\nPORT=8001\n",
	                    0644);
	struct h_run r;
	run(&r, "--env-file", env, NULL);
	h_assert_state(&r, 2, "algorithm set to none");
	ck_assert(strstr(r.out, "[WARNING] JWT_SECRET (") &&
	          strstr(r.out, "weak: 7 characters, need 32"));
	ck_assert(strstr(r.out, "too little variety") != NULL);
	ck_assert(strstr(r.out, "readable by others (mode 0644)") != NULL);
	ck_assert(strstr(r.out, "PORT (") && strstr(r.out, "given more than once"));
	ck_assert(h_perf(&r, "weak") == 2);
	h_run_free(&r);
	free(env);
	env = fixture(".env", "JWT_SECRET=shortpw\n", 0600);
	run(&r, "--env-file", env, "--weak-state", "critical", NULL);
	h_assert_state(&r, 2, "1 weak secret in");
	ck_assert(strstr(r.out, "readable by") == NULL);
	h_run_free(&r);
	run(&r, "--env-file", env, "--secret-min-length", "4", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	run(&r, "--env-file", env, "--placeholder", "^short", NULL);
	h_assert_state(&r, 2, "1 placeholder secret in");
	h_run_free(&r);
	free(env);
}
END_TEST

/* ------------------------------------------ JSON, parse errors, usage */

START_TEST(test_json_and_parse_errors)
{
	char *json =
	        fixture("config.json",
	                "{\"db\": {\"password\": \"your-db-password\"}, \"services\": [{\"url\": "
	                "\"http://a\"}, {\"name\": \"b\"}]}",
	                0600);
	struct h_run r;
	run(&r, "--json", json, "--require", "services[*].url", NULL);
	h_assert_state(&r, 2, NULL);
	ck_assert(strstr(r.out, "db.password (") && strstr(r.out, "placeholder"));
	ck_assert(strstr(r.out, "services[name=b].url (") != NULL);
	h_run_free(&r);
	char *bad = fixture("bad.json", "{\n  \"a\": 1,\n  \"b\": \n}\n", 0600);
	run(&r, "--json", bad, NULL);
	h_assert_state(&r, 2, "does not parse: line 4, column 1");
	h_run_free(&r);
	char *badtoml = fixture("bad.toml", "[vars]\nA = \"x\"\nA = \"y\"\n", 0600);
	run(&r, "--toml", badtoml, NULL);
	h_assert_state(&r, 2, "does not parse: line 3, column 1: key 'A' is defined twice");
	h_run_free(&r);
	char *badenv = fixture("bad.env", "A=1\nB \"x\"\n", 0600);
	run(&r, "--env-file", badenv, NULL);
	/* a line that is not KEY=VALUE is skipped, as compose skips it, and said */
	h_assert_state(&r, 1,
	               "1 line skipped in bad.env: line 2, column 3: expected '=' after the key");
	h_run_free(&r);
	char *missing = rp_xasprintf("%s/none.env", dir);
	run(&r, "--env-file", missing, NULL);
	h_assert_state(&r, 2, "none.env: does not exist");
	h_run_free(&r);
	free(missing);
	free(badenv);
	free(badtoml);
	free(bad);
	free(json);
}
END_TEST

/* A TOML value that does not parse is named by its key and place, never
 * quoted: unquoted, it may well be a secret. */
START_TEST(test_parse_error_hides_the_value)
{
	char *p =
	        fixture("stripe.toml", "[vars]\nTOKEN = sk_live_4eC39HqLyjWDarjtT1zdp7dc\n", 0600);
	struct h_run r;
	run(&r, "--toml", p, NULL);
	h_assert_state(&r, 2, "line 2, column 9: the value of TOKEN is not valid TOML");
	h_run_free(&r);
	free(p);
}
END_TEST

/* Values that are not secrets may equal the template's; only template text
 * is a placeholder. */
START_TEST(test_template_values_not_placeholders)
{
	const char *env = "WEBSOCKET_PORT=8765\nWEBHOOK_MAX_RETRIES=3\nWORKERS=4\nDEBUG=0\n"
	                  "FLAG=y\nAPI_BASE=<your-api-base-url>\n";
	char *e = fixture("ws.env", env, 0600);
	char *t = fixture("ws.env.example", env, 0644);
	struct h_run r;
	run(&r, "--env-file", e, "--template", t, NULL);
	h_assert_state(&r, 2, "1 placeholder secret in ws.env: API_BASE");
	ck_assert(strstr(r.out, "WEBSOCKET_PORT") == NULL && strstr(r.out, "WORKERS") == NULL);
	h_run_free(&r);
	free(e);
	free(t);
}
END_TEST

/* wrangler.toml: secrets found by name only where asked (the staging
 * placeholders do not keep production CRITICAL); wildcard key paths; a
 * missing binding id named by its binding; a template's optional block. */
START_TEST(test_scopes_wildcards_optional)
{
	const char *toml = "name = \"tracker\"\n"
	                   "[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"0f1e2d3c\"\n"
	                   "[[kv_namespaces]]\nbinding = \"FIRE22_AUTH_CACHE\"\n"
	                   "[env.staging.vars]\nJWT_SECRET = \"your-jwt-secret-min-32-chars\"\n"
	                   "[env.production.vars]\nAPI_BASE = \"https://api.example.com\"\n";
	char *p = fixture("wrangler.toml", toml, 0600);
	struct h_run r;
	run(&r, "--toml", p, NULL);
	h_assert_state(&r, 2, "env.staging.vars.JWT_SECRET");
	h_run_free(&r);
	run(&r, "--toml", p, "--secrets-in", "env.production", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	run(&r, "--toml", p, "--secrets-in", "env.production", "--require", "env.*.vars.API_BASE",
	    "--require", "kv_namespaces[*].id", NULL);
	h_assert_state(&r, 2, "2 required keys missing from wrangler.toml: ");
	ck_assert_msg(strstr(r.out, "[CRITICAL] env.staging.vars.API_BASE (") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "[CRITICAL] kv_namespaces[binding=FIRE22_AUTH_CACHE].id (") !=
	                      NULL,
	              "%s", r.out);
	h_run_free(&r);
	free(p);
	/* the template's optional block is not required */
	char *e = fixture("app.env", "APP_URL=https://x\n", 0600);
	char *t = fixture("app.env.example",
	                  "APP_URL=https://example.com\n\n# Optional: webhooks\nWEBHOOK_URL=\n"
	                  "WEBHOOK_RETRIES=3\n\nSENTRY_DSN= # optional\nDB_URL=\n",
	                  0644);
	run(&r, "--env-file", e, "--template", t, NULL);
	h_assert_state(&r, 2, "1 required key missing from app.env: DB_URL");
	ck_assert(strstr(r.out, "WEBHOOK") == NULL && strstr(r.out, "SENTRY") == NULL);
	h_run_free(&r);
	free(e);
	free(t);
}
END_TEST

/* --secret and --require take wildcards and selectors: a placeholder under
 * env.*.vars.SIGNING was a false OK ("0 secrets checked"); a binding is
 * required by its name; a key path that does not parse is the command's
 * mistake (UNKNOWN at once), not a key "missing" from the file. */
START_TEST(test_secret_paths_and_selectors)
{
	const char *toml = "[env.staging.vars]\nSIGNING = \"changeme\"\n"
	                   "[env.production.vars]\nSIGNING = \"changeme\"\n"
	                   "[[kv_namespaces]]\nbinding = \"CACHE\"\nid = "
	                   "\"0f1e2d3c4b5a69788796a5b4c3d2e1f0\"\n"
	                   "[[kv_namespaces]]\nbinding = \"FIRE22_AUTH_CACHE\"\n";
	char *p = fixture("selectors.toml", toml, 0600);
	struct h_run r;
	run(&r, "--toml", p, "--secret", "env.*.vars.SIGNING", NULL);
	h_assert_state(&r, 2, "2 placeholder secrets in ");
	ck_assert_msg(strstr(r.out, "env.staging.vars.SIGNING, env.production.vars.SIGNING") !=
	                      NULL,
	              "%s", r.out);
	h_run_free(&r);
	run(&r, "--toml", p, "--secrets-in", "nowhere", "--require",
	    "kv_namespaces[binding=CACHE].id", NULL);
	h_assert_state(&r, 0, NULL);
	h_run_free(&r);
	run(&r, "--toml", p, "--secrets-in", "nowhere", "--require",
	    "kv_namespaces[binding=FIRE22_AUTH_CACHE].id", "--require",
	    "kv_namespaces[binding=SESSIONS].id", NULL);
	h_assert_state(&r, 2,
	               "2 required keys missing from selectors.toml: "
	               "kv_namespaces[binding=FIRE22_AUTH_CACHE].id, "
	               "kv_namespaces[binding=SESSIONS].id");
	h_run_free(&r);
	run(&r, "--toml", p, "--require", "kv_namespaces[binding=x", NULL);
	h_assert_state(&r, 3, "--require: key path 'kv_namespaces[binding=x', at character 22: ");
	ck_assert(strstr(r.out, "missing") == NULL);
	h_run_free(&r);
	run(&r, "--toml", p, "--secret", "env..x", NULL);
	h_assert_state(&r, 3, "--secret: key path 'env..x', at character 5: empty key");
	h_run_free(&r);
	/* a dotenv file takes any text as a key name */
	char *e = fixture("odd.env", "A=1\n", 0600);
	run(&r, "--env-file", e, "--require", "x..y", NULL);
	h_assert_state(&r, 2, "1 required key missing from odd.env: x..y");
	h_run_free(&r);
	free(e);
	free(p);
}
END_TEST

/* Counted in words that agree with the number; a file readable by others
 * is named once, and only when it holds real secrets. */
START_TEST(test_wording)
{
	char *one = fixture("one.env",
	                    "API_TOKEN=f3a9c2e81b7d4065a1c9e2f80b3d7c6a5e4f1d2c3b4a5968\n", 0600);
	struct h_run r;
	run(&r, "--env-file", one, NULL);
	h_assert_state(&r, 0, "1 key in 1 source; 1 secret checked, none a placeholder");
	h_run_free(&r);
	chmod(one, 0644);
	run(&r, "--env-file", one, NULL);
	h_assert_state(&r, 1, "one.env holds secrets and is readable by others (mode 0644)");
	ck_assert_msg(strstr(r.out, "file readable by others in") == NULL, "%s", r.out);
	h_run_free(&r);
	/* only placeholders: those are the finding, not the file's mode */
	char *ph =
	        fixture("ph.toml", "[vars]\nJWT_SECRET = \"your-jwt-secret-min-32-chars\"\n", 0644);
	run(&r, "--toml", ph, NULL);
	h_assert_state(&r, 2, "1 placeholder secret in ph.toml: vars.JWT_SECRET");
	ck_assert_msg(strstr(r.out, "readable by others") == NULL, "%s", r.out);
	h_run_free(&r);
	free(ph);
	free(one);
}
END_TEST

/* 'time' is every plugin's, recorded and judged by the runtime. */
START_TEST(test_time_metric)
{
	char *env = h_write_file(dir, "t.env", "A=1\n", 4);
	struct h_run r;
	run(&r, "--env-file", env, "-w", "time=1ms", NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert(h_has_perf(&r, "time"));
	h_run_free(&r);
	run(&r, "--env-file", env, "-c", "time=0.00000001", NULL);
	h_assert_state(&r, 2, "time is ");
	h_run_free(&r);
	free(env);
}
END_TEST

START_TEST(test_usage)
{
	const char *bad[][3] = {
		{ "--require", "X", NULL },      { "--pid", "abc", NULL },
		{ "--placeholder", "(", NULL },  { "--secret-min-length", "x", NULL },
		{ "--weak-state", "bad", NULL }, { "--env-file", "x", "-w" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct h_run r;
		h_run(&r, PLUGIN, bad[i][0], bad[i][1], bad[i][2], NULL);
		ck_assert_msg(r.exit_code == 3, "%s: %s", bad[i][0], r.out);
		h_assert_contract(&r, "CONFIG");
		h_run_free(&r);
	}
	struct h_run r;
	h_run(&r, PLUGIN, "--help", NULL);
	ck_assert_int_eq(r.exit_code, 3);
	const char *opts[] = { "--env-file",
		               "--toml",
		               "--json",
		               "--pid",
		               "--pid-file",
		               "--require",
		               "--template",
		               "--secret",
		               "--no-auto-secrets",
		               "--placeholder",
		               "--secret-min-length",
		               "--weak-state",
		               "--missing-state" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		ck_assert_msg(strstr(r.out, opts[i]) != NULL, "--help lacks %s", opts[i]);
	h_run_free(&r);
}
END_TEST

/* ------------------------------------------------- F4: compose files */

/* The micro-service platform: REDIS_PASSWORD in .env, passed to the
 * worker (a bare name and inside a URL) but not to api-gateway, whose
 * environment: comes from an anchor merged in; the auth service's
 * JWT_SECRET_KEY a placeholder from its env_file. */
static const char *const platform_compose =
        "x-common: &common\n"
        "  restart: unless-stopped\n"
        "  environment: &common-env\n"
        "    TZ: UTC\n"
        "    LOG_LEVEL: ${LOG_LEVEL:-info}\n"
        "services:\n"
        "  api-gateway:\n"
        "    <<: *common\n"
        "    image: \"gateway:${TAG}\"\n"
        "    environment:\n"
        "      <<: *common-env\n"
        "      PORT: 8080\n"
        "  worker:\n"
        "    <<: *common\n"
        "    environment:\n"
        "      - REDIS_PASSWORD\n"
        "      - REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379/0\n"
        "      - PRICE=$$5\n"
        "  auth:\n"
        "    env_file:\n"
        "      - auth.env\n"
        "    environment:\n"
        "      SESSION_TTL: 3600\n";

START_TEST(test_compose_services)
{
	free(fixture(".env",
	             "TAG=1.4\nREDIS_PASSWORD=s3cr3t-r3d1s-pa55w0rd-that-is-long-enough-42\n",
	             0600));
	free(fixture("auth.env", "JWT_SECRET_KEY=your-jwt-secret-min-32-chars\n", 0600));
	char *compose = fixture("docker-compose.yml", platform_compose, 0644);
	struct h_run r;
	run(&r, "--compose", compose, "--require", "REDIS_PASSWORD", NULL);
	h_assert_state(&r, 2,
	               "1 required key missing from docker-compose.yml service api-gateway: "
	               "REDIS_PASSWORD; 1 required key missing from docker-compose.yml service "
	               "auth: REDIS_PASSWORD");
	ck_assert(h_perf(&r, "missing") == 2 && h_perf(&r, "placeholders") == 1);
	ck_assert(h_perf(&r, "keys") == 8);
	h_run_free(&r);
	run(&r, "--compose", compose, "--service", "api-gateway", "--require", "REDIS_PASSWORD",
	    "-v", NULL);
	ck_assert_msg(strstr(r.out, "REDIS_PASSWORD (") &&
	                      strstr(r.out, "in the project's .env but not passed to the service"),
	              "%s", r.out);
	h_run_free(&r);
	/* the worker gets it both ways; its own environment: replaces the one
	 * merged from the anchor (an explicit key wins over <<), as in compose */
	run(&r, "--compose", compose, "--service", "worker", "--require", "REDIS_PASSWORD",
	    "--require", "REDIS_URL", "--require", "PRICE", "--secret", "REDIS_URL", NULL);
	h_assert_state(&r, 0, "3 keys in 1 source; 2 secrets checked");
	h_run_free(&r);
	run(&r, "--compose", compose, "--service", "worker", "--require", "TZ", NULL);
	h_assert_state(&r, 2, "1 required key missing from docker-compose.yml service worker: TZ");
	h_run_free(&r);
	run(&r, "--compose", compose, "--service", "api-gateway", "--require", "TZ", "--require",
	    "LOG_LEVEL", "--require", "PORT", NULL);
	h_assert_state(&r, 0, "3 keys in 1 source; 0 secrets checked");
	h_run_free(&r);
	run(&r, "--compose", compose, "--service", "auth", "--service", "billing", NULL);
	h_assert_state(&r, 2, "docker-compose.yml service billing: no such service in the file");
	h_run_free(&r);
	free(compose);
}
END_TEST

/* What compose itself would refuse, and files that are not compose's. */
START_TEST(test_compose_refused_and_hostile)
{
	char *compose = fixture("docker-compose.yml",
	                        "services:\n"
	                        "  redis:\n"
	                        "    environment:\n"
	                        "      REDIS_PASSWORD: ${REDIS_PASSWORD:?set it in .env}\n"
	                        "  api:\n"
	                        "    env_file: [missing.env]\n",
	                        0644);
	struct h_run r;
	run(&r, "--compose", compose, "--service", "redis", NULL);
	h_assert_state(&r, 2,
	               "docker-compose.yml service redis: compose would not start it: required "
	               "variable REDIS_PASSWORD is missing a value: set it in .env");
	h_run_free(&r);
	run(&r, "--compose", compose, "--service", "api", NULL);
	h_assert_state(&r, 2, "compose would not start it: env_file ");
	ck_assert_msg(strstr(r.out, "missing.env does not exist"), "%s", r.out);
	h_run_free(&r);
	/* a billion laughs: refused, not expanded */
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'j'; c++)
		rp_buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c,
		              c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1,
		              c - 1);
	rp_buf_puts(&b, "services: {}\n");
	char *laughs = fixture("laughs.yml", b.data, 0644);
	rp_buf_free(&b);
	run(&r, "--compose", laughs, NULL);
	h_assert_state(&r, 2, "laughs.yml: does not parse: line ");
	ck_assert_msg(strstr(r.out, "nodes (aliases expanded): refused"), "%s", r.out);
	h_run_free(&r);
	char *notcompose = fixture("other.yml", "- just\n- a list\n", 0644);
	run(&r, "--compose", notcompose, NULL);
	h_assert_state(&r, 2, "other.yml: not a compose file: no services: mapping");
	h_run_free(&r);
	run(&r, "--env-file", notcompose, "--service", "api", NULL);
	h_assert_state(&r, 3, "--service names a service of a --compose file");
	h_run_free(&r);
	free(compose), free(laughs), free(notcompose);
}
END_TEST

static Suite *check_config_suite(void)
{
	Suite *s = suite_create("check_config");
	TCase *tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_wrangler_placeholders_and_binding);
	tcase_add_test(tc, test_env_missing_template_keys);
	tcase_add_test(tc, test_process_environment);
	tcase_add_test(tc, test_empty_and_undefined_secrets);
	tcase_add_test(tc, test_weak_alg_mode_and_duplicates);
	tcase_add_test(tc, test_json_and_parse_errors);
	tcase_add_test(tc, test_time_metric);
	tcase_add_test(tc, test_wording);
	tcase_add_test(tc, test_scopes_wildcards_optional);
	tcase_add_test(tc, test_secret_paths_and_selectors);
	tcase_add_test(tc, test_parse_error_hides_the_value);
	tcase_add_test(tc, test_template_values_not_placeholders);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_compose_services);
	tcase_add_test(tc, test_compose_refused_and_hostile);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(check_config_suite)
