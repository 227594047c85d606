#include "engines.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const plugin_names[] = {
	"check_sqlite",
	"check_duckdb",
	"check_postgresql",
	"check_config",
	"check_api",
	"check_latency",
	"check_services",
	"check_readiness",
	"check_containers",
	"check_units",
	NULL,
};

static void copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(in >= 0, "cannot read %s", from);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert(out >= 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert(write(out, buf, (size_t)n) == n);
	close(in);
	close(out);
	chmod(to, mode);
}

static void give_to_nagios(const char *path, mode_t mode)
{
	struct passwd *pw = getpwnam("nagios");
	ck_assert_msg(pw != NULL, "no nagios user (tools/bootstrap installs the engines)");
	ck_assert(chown(path, pw->pw_uid, pw->pw_gid) == 0);
	ck_assert(chmod(path, mode) == 0);
}

/* dir/rel */
static char *sub(const struct engine_fixture *fx, const char *rel)
{
	return rp_xasprintf("%s/%s", fx->dir, rel);
}

static void write_app(struct engine_fixture *fx)
{
	char *app = sub(fx, "app");
	ck_assert(mkdir(app, 0755) == 0);
	char *mig = sub(fx, "app/migrations");
	ck_assert(mkdir(mig, 0755) == 0);
	const char *sql = "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER);\n";
	free(h_write_file(mig, "0001_events.sql", sql, strlen(sql)));
	char *cmd = rp_xasprintf(
	        "sqlite3 '%s/app.db' \"CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY, name "
	        "TEXT); INSERT INTO d1_migrations(name) VALUES ('0001_events.sql'); CREATE TABLE "
	        "events(id INTEGER PRIMARY KEY, ts INTEGER); CREATE INDEX events_ts ON events(ts); "
	        "INSERT INTO events(ts) VALUES (strftime('%%s','now'));\" && chmod 644 '%s/app.db'",
	        app, app);
	ck_assert(system(cmd) == 0);
	free(cmd);
	const char *env = "JWT_SECRET_KEY=Zq8vN2kLp4Rt7Wx1Ys5Bc9Dm3Fg6Hj0KaQeUiOoPl\n"
	                  "REDIS_PASSWORD=Hq3mV8nB1xZ6cL9kP2wT5rY7uJ4sD0fG\n";
	const char *tpl = "JWT_SECRET_KEY=<generate-one>\nREDIS_PASSWORD=<generate-one>\n";
	char *p = h_write_file(app, ".env", env, strlen(env));
	give_to_nagios(p, 0600);
	free(p);
	p = h_write_file(app, ".env.example", tpl, strlen(tpl));
	free(p);
	p = h_write_file(app, "token", "not-needed-by-the-health-endpoint\n", 34);
	give_to_nagios(p, 0600);
	free(p);
	free(mig);
	free(app);
}

/* The Python API's DuckDB store (the shipped lines' /srv/api/): the
 * nagios user's check_duckdb finds no DuckDB library on the usual paths,
 * so the engines and a direct run both say so (UNKNOWN). */
static void write_api_store(struct engine_fixture *fx)
{
	char *api = sub(fx, "api");
	ck_assert(mkdir(api, 0755) == 0);
	if (h_libduckdb()) {
		char *db = sub(fx, "api/utxoracle.db");
		h_duckdb_make(db, "CREATE TABLE prices (ts TIMESTAMP, usd DOUBLE);"
		                  "INSERT INTO prices VALUES (CAST(now() AS TIMESTAMP), 1.0);");
		ck_assert(chmod(db, 0644) == 0);
		free(db);
	}
	free(api);
}

/* A process of the nagios user with the app's environment (F4: what the
 * running process really got), its pid in dir/app.pid. */
static void start_app(struct engine_fixture *fx)
{
	char *argv[] = { (char *)"/bin/sleep", (char *)"600", NULL };
	char *envp[] = { (char *)"JWT_SECRET_KEY=Zq8vN2kLp4Rt7Wx1Ys5Bc9Dm3Fg6Hj0KaQeUiOoPl",
		         (char *)"REDIS_PASSWORD=Hq3mV8nB1xZ6cL9kP2wT5rY7uJ4sD0fG", NULL };
	fx->app = h_start_as(argv, envp, "nagios");
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%d\n", (int)fx->app);
	free(h_write_file(fx->dir, "app.pid", pid, (size_t)n));
}

static void write_readiness(struct engine_fixture *fx)
{
	char *d = sub(fx, "readiness");
	ck_assert(mkdir(d, 0755) == 0);
	char *services = rp_xasprintf("# the demo stack\napi=http://127.0.0.1:%d/health\n"
	                              "gateway=tcp://127.0.0.1:%d\n",
	                              fx->web_port, h_free_port());
	free(h_write_file(d, "services", services, strlen(services)));
	char *manifest = rp_xasprintf("[readiness]\nplugin-dir = %1$s\n"
	                              "[database]\nblocking = yes\n"
	                              "check schema = check_sqlite --db %2$s/app/app.db "
	                              "--migrations %2$s/app/migrations\n"
	                              "[services]\ncheck listening = check_services "
	                              "--services-file %2$s/readiness/services\n",
	                              fx->plugins, fx->dir);
	free(h_write_file(d, "tracking.ini", manifest, strlen(manifest)));
	free(manifest);
	free(services);
	free(d);
}

void engine_fixture_setup(struct engine_fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	fx->dir = h_tempdir();
	ck_assert(chmod(fx->dir, 0755) == 0);
	fx->plugins = sub(fx, "plugins");
	ck_assert(mkdir(fx->plugins, 0755) == 0);
	/* copies: the build tree may sit where the nagios user cannot go */
	for (size_t i = 0; plugin_names[i]; i++) {
		char *rel = rp_xasprintf("plugins/%s", plugin_names[i]);
		char *from = h_build_path(rel);
		char *to = rp_xasprintf("%s/%s", fx->plugins, plugin_names[i]);
		copy_file(from, to, 0755);
		free(rel);
		free(from);
		free(to);
	}
	fx->web = h_testserver(&fx->web_port, NULL);
	write_app(fx);
	write_api_store(fx);
	start_app(fx);
	write_readiness(fx);
}

void engine_fixture_teardown(struct engine_fixture *fx)
{
	h_stop(fx->web);
	h_stop(fx->app);
	h_rmrf(fx->dir);
	free(fx->dir);
	free(fx->plugins);
}

void engine_replace_all(struct rp_buf *out, const char *text, const char *const pairs[][2],
                        size_t npairs)
{
	for (const char *p = text; *p;) {
		size_t k = 0;
		while (k < npairs && strncmp(p, pairs[k][0], strlen(pairs[k][0])) != 0)
			k++;
		if (k < npairs) {
			rp_buf_puts(out, pairs[k][1]);
			p += strlen(pairs[k][0]);
		} else {
			rp_buf_putc(out, *p++);
		}
	}
}

char *engine_shipped(const struct engine_fixture *fx, const char *rel)
{
	char *path = h_src_path(rel);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	struct rp_buf text;
	rp_buf_init(&text);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rp_buf_append(&text, chunk, n);
	fclose(f);
	char *plugins = rp_xasprintf("%s/", fx->plugins);
	char *app = sub(fx, "app/");
	char *api_dir = sub(fx, "api/");
	char *token = sub(fx, "app/token");
	char *pid = sub(fx, "app.pid");
	char *readiness = sub(fx, "readiness/");
	char *api = rp_xasprintf("http://127.0.0.1:%d/health", fx->web_port);
	const char *const pairs[][2] = {
		{ "/usr/lib/nagios/plugins/", plugins },
		{ "/srv/app/", app },
		{ "/srv/api/", api_dir },
		{ "/etc/app/token", token },
		{ "/run/app.pid", pid },
		{ "/etc/readiness/", readiness },
		{ "http://127.0.0.1:8000/health", api },
	};
	struct rp_buf out;
	rp_buf_init(&out);
	engine_replace_all(&out, text.data ? text.data : "", pairs, sizeof pairs / sizeof pairs[0]);
	rp_buf_free(&text);
	free(plugins);
	free(app);
	free(api_dir);
	free(token);
	free(pid);
	free(readiness);
	free(api);
	free(path);
	return rp_buf_steal(&out);
}

void engine_run_line(const char *line, struct h_run *r)
{
	char *argv[] = { (char *)"/usr/sbin/runuser", (char *)"-u", (char *)"nagios", (char *)"--",
		         (char *)"/bin/sh",           (char *)"-c", (char *)line,     NULL };
	h_run_argv(r, argv, NULL, 40);
}

void engine_run_shipped(const struct engine_fixture *fx, const char *rel, const char *key,
                        struct h_run *r)
{
	char *text = engine_shipped(fx, rel);
	char *line = strstr(text, key);
	ck_assert_msg(line != NULL, "%s ships no %s", rel, key);
	line += strlen(key);
	line[strcspn(line, "\n")] = '\0';
	engine_run_line(line, r);
	free(text);
}

/* Every number ("0.0124", "37") as one '9': times and ages move. */
static char *masked(const char *s)
{
	struct rp_buf b;
	rp_buf_init(&b);
	for (const char *p = s ? s : ""; *p;) {
		if (*p >= '0' && *p <= '9') {
			while ((*p >= '0' && *p <= '9') ||
			       (*p == '.' && p[1] >= '0' && p[1] <= '9'))
				p++;
			rp_buf_putc(&b, '9');
		} else {
			rp_buf_putc(&b, *p++);
		}
	}
	return b.data ? rp_buf_steal(&b) : rp_xstrdup("");
}

void engine_assert_same_output(const struct rp_plugin_output *a, const struct rp_plugin_output *b,
                               const char *what)
{
	ck_assert_msg(a->state == b->state, "%s: state %d and %d", what, a->state, b->state);
	char *fa = masked(a->first_line), *fb = masked(b->first_line);
	ck_assert_msg(strcmp(fa, fb) == 0, "%s: line 1 differs:\n%s\n%s", what, a->first_line,
	              b->first_line);
	char *la = masked(a->long_output), *lb = masked(b->long_output);
	ck_assert_msg(strcmp(la, lb) == 0, "%s: long output differs:\n%s\n---\n%s", what,
	              a->long_output, b->long_output);
	ck_assert_msg(a->perf.n == b->perf.n, "%s: %zu and %zu perfdata", what, a->perf.n,
	              b->perf.n);
	for (size_t i = 0; i < a->perf.n; i++)
		ck_assert_str_eq(a->perf.items[i].label, b->perf.items[i].label);
	free(fa);
	free(fb);
	free(la);
	free(lb);
}

bool engine_available(const char *path)
{
	return access(path, X_OK) == 0;
}

void engine_skip(const char *engine)
{
	fprintf(stderr,
	        "\n*** %s is not installed: this engine test is SKIPPED ***\n"
	        "*** tools/bootstrap installs it ***\n\n",
	        engine);
	ck_assert_msg(getenv("CI") == NULL, "%s must be installed in CI (tools/bootstrap)", engine);
}
