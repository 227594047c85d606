/* The Zabbix agent runs our plugins: zabbix_agentd (Debian's zabbix-agent)
 * with our UserParameter file (contrib/zabbix, paths pointed at a fixture),
 * asked with zabbix_get. Every key must return the plugin's JSON object,
 * whose state is the plugin's exit code; the JSONPath preprocessing of our
 * template (contrib/zabbix/readiness-template.yaml) applied to it must give
 * the state, the summary and each perfdata value. The external-check
 * wrapper prints JSON and exits 0 whatever the plugin says. */
#include "engines.h"

#include <json-c/json.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define AGENTD "/usr/sbin/zabbix_agentd"

static struct engine_fixture fx;
static pid_t agent;
static int agent_port;
static char *zabbix_get;

static char *find_zabbix_get(void)
{
	const char *where[] = { "/usr/bin/zabbix_get", "/usr/local/bin/zabbix_get", NULL };
	for (size_t i = 0; where[i]; i++)
		if (access(where[i], X_OK) == 0)
			return rp_xstrdup(where[i]);
	return NULL;
}

/* Zabbix takes ports up to 32767 only, below Linux's ephemeral range:
 * try random ones there until one binds. */
static int free_low_port(void)
{
	srand((unsigned)getpid());
	for (int tries = 0; tries < 200; tries++) {
		int port = 20000 + rand() % 12000;
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
		close(fd);
		if (ok)
			return port;
	}
	ck_abort_msg("no free port below 32768");
	return 0;
}

static void setup(void)
{
	engine_fixture_setup(&fx);
	agent_port = free_low_port();
	char *params = engine_shipped(&fx, "contrib/zabbix/readiness-plugins.conf");
	/* two of our own beside the shipped ones: one hangs, one is silent */
	char *all = rp_xasprintf("%s\nUserParameter=test.hangs,/bin/sleep 40\n"
	                         "UserParameter=test.silent,/bin/true\n",
	                         params);
	free(params);
	params = all;
	char *up = h_write_file(fx.dir, "userparameters.conf", params, strlen(params));
	ck_assert(chmod(up, 0644) == 0);
	free(up);
	free(params);
	char *cfg = rp_xasprintf("ListenIP=127.0.0.1\nListenPort=%2$d\nServer=127.0.0.1\n"
	                         "StartAgents=3\nTimeout=20\nUser=nagios\n"
	                         "PidFile=%1$s/zabbix/agentd.pid\nLogType=file\n"
	                         "LogFile=%1$s/zabbix/agentd.log\n"
	                         "Include=%1$s/userparameters.conf\n",
	                         fx.dir, agent_port);
	char *zdir = rp_xasprintf("%s/zabbix", fx.dir);
	ck_assert(mkdir(zdir, 0755) == 0);
	char *own = rp_xasprintf("chown nagios:nagios '%s'", zdir);
	ck_assert(system(own) == 0);
	char *path = h_write_file(fx.dir, "zabbix_agentd.conf", cfg, strlen(cfg));
	ck_assert(chmod(path, 0644) == 0);
	char *argv[] = { (char *)AGENTD, (char *)"-c", path, (char *)"-f", NULL };
	agent = h_start(argv, NULL);
	ck_assert_msg(h_wait_port("127.0.0.1", agent_port, 15), "zabbix_agentd did not start");
	free(path);
	free(own);
	free(zdir);
	free(cfg);
}

static void teardown(void)
{
	h_stop(agent);
	engine_fixture_teardown(&fx);
}

/* ------------------------------------------------ the template's JSONPath */

struct jsonpath_item {
	char *key;    /* readiness.api.state */
	char *master; /* readiness.api */
	char *path;   /* $.state */
};

/* The dependent items of our template: key, master key and JSONPath. The
 * file is ours and keeps one layout, so a line reader is enough. */
static size_t template_items(struct jsonpath_item **out)
{
	char *path = h_src_path("contrib/zabbix/readiness-template.yaml");
	FILE *f = fopen(path, "r");
	ck_assert(f != NULL);
	size_t n = 0;
	*out = NULL;
	char line[1024], key[256] = "", jp[512] = "";
	bool want_param = false, in_master = false;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *s = line + strspn(line, " -");
		if (strncmp(s, "key: ", 5) == 0 && !in_master) {
			snprintf(key, sizeof key, "%s", s + 5);
			jp[0] = '\0';
		} else if (strncmp(s, "parameters:", 11) == 0) {
			want_param = true;
		} else if (want_param) {
			want_param = false;
			char *v = s;
			size_t len = strlen(v);
			if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
				v[len - 1] = '\0';
				v++;
			}
			snprintf(jp, sizeof jp, "%s", v);
		} else if (strncmp(s, "master_item:", 12) == 0) {
			in_master = true;
		} else if (in_master && strncmp(s, "key: ", 5) == 0) {
			in_master = false;
			*out = rp_xreallocarray(*out, n + 1, sizeof **out);
			(*out)[n].key = rp_xstrdup(key);
			char *m = s + 5;
			size_t mlen = strlen(m);
			if (mlen >= 2 && m[0] == '\'' && m[mlen - 1] == '\'') {
				m[mlen - 1] = '\0';
				m++;
			}
			(*out)[n].master = rp_xstrdup(m);
			(*out)[n].path = rp_xstrdup(jp);
			n++;
		}
	}
	fclose(f);
	free(path);
	return n;
}

/* The JSONPath forms the template uses: $.NAME and
 * $.perfdata[?(@.label=="L")].value.first() */
static json_object *jsonpath(json_object *doc, const char *path)
{
	json_object *v = NULL;
	const char *filter = "$.perfdata[?(@.label==\"";
	if (strncmp(path, filter, strlen(filter)) == 0) {
		const char *label = path + strlen(filter);
		size_t len = strcspn(label, "\"");
		ck_assert_msg(strcmp(label + len, "\")].value.first()") == 0, "JSONPath %s", path);
		json_object *perf;
		ck_assert(json_object_object_get_ex(doc, "perfdata", &perf));
		for (size_t i = 0; i < json_object_array_length(perf); i++) {
			json_object *p = json_object_array_get_idx(perf, i), *l;
			if (json_object_object_get_ex(p, "label", &l) &&
			    strlen(json_object_get_string(l)) == len &&
			    strncmp(json_object_get_string(l), label, len) == 0) {
				json_object_object_get_ex(p, "value", &v);
				return v;
			}
		}
		return NULL;
	}
	ck_assert_msg(strncmp(path, "$.", 2) == 0, "JSONPath %s", path);
	json_object_object_get_ex(doc, path + 2, &v);
	return v;
}

/* The template's master key for readiness.NAME, its user macros replaced
 * by their values in the template (pointed at the fixture), as the server
 * would send it: "readiness.sqlite[/fixture/app/app.db,...]". */
static char *expanded_key(const struct jsonpath_item *items, size_t n, const char *name)
{
	char *prefix = rp_xasprintf("readiness.%s[", name);
	const char *master = NULL;
	for (size_t i = 0; i < n && !master; i++)
		if (strncmp(items[i].master, prefix, strlen(prefix)) == 0)
			master = items[i].master;
	ck_assert_msg(master != NULL, "no master item %s...]", prefix);
	char *text = engine_shipped(&fx, "contrib/zabbix/readiness-template.yaml");
	struct rp_buf key;
	rp_buf_init(&key);
	for (const char *p = master; *p;) {
		if (p[0] != '{' || p[1] != '$') {
			rp_buf_putc(&key, *p++);
			continue;
		}
		size_t len = strcspn(p, "}") + 1;
		char *decl = rp_xasprintf("macro: '%.*s'\n", (int)len, p);
		const char *at = strstr(text, decl);
		ck_assert_msg(at != NULL, "the template sets no %.*s", (int)len, p);
		at = strstr(at, "value: ") + 7;
		rp_buf_append(&key, at, strcspn(at, "\n"));
		free(decl);
		p += len;
	}
	free(text);
	free(prefix);
	return rp_buf_steal(&key);
}

/* The agent's command for key "NAME[a,b]": the UserParameter NAME[*] with
 * $1, $2 as the agent substitutes them. */
static void run_user_parameter(const char *key, struct h_run *r)
{
	size_t base = strcspn(key, "[");
	char *prefix = rp_xasprintf("UserParameter=%.*s[*],", (int)base, key);
	char *conf = engine_shipped(&fx, "contrib/zabbix/readiness-plugins.conf");
	char *line = strstr(conf, prefix);
	ck_assert_msg(line != NULL, "no %s", prefix);
	line += strlen(prefix);
	line[strcspn(line, "\n")] = '\0';
	char *params[10] = { NULL };
	char *list = rp_xstrndup(key + base + 1, strlen(key + base + 1) - 1);
	size_t np = 0;
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t && np < 9;
	     t = strtok_r(NULL, ",", &save))
		params[++np] = t;
	struct rp_buf cmd;
	rp_buf_init(&cmd);
	for (const char *p = line; *p; p++) {
		if (p[0] == '$' && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '0';
			rp_buf_puts(&cmd, k <= (int)np ? params[k] : "");
			p++;
		} else {
			rp_buf_putc(&cmd, *p);
		}
	}
	engine_run_line(cmd.data, r);
	rp_buf_free(&cmd);
	free(list);
	free(conf);
	free(prefix);
}

static json_object *ask(const char *key, struct h_run *r)
{
	char port[16];
	snprintf(port, sizeof port, "%d", agent_port);
	char *argv[] = { zabbix_get,   (char *)"-s", (char *)"127.0.0.1", (char *)"-p", port,
		         (char *)"-t", (char *)"30", (char *)"-k",        (char *)key,  NULL };
	h_run_argv(r, argv, NULL, 40);
	/* zabbix_get exits 0 for unsupported keys too: the text says */
	ck_assert_msg(strncmp(r->out, "ZBX_NOTSUPPORTED", 16) != 0, "%s: %s", key, r->out);
	json_object *doc = json_tokener_parse(r->out);
	ck_assert_msg(doc != NULL, "%s: not JSON: %s", key, r->out);
	return doc;
}

START_TEST(test_agent_keys_and_template)
{
	struct jsonpath_item *items;
	size_t n = template_items(&items);
	ck_assert_uint_ge(n, 15);
	const char *names[] = { "sqlite", "config", "api", "services", "score" };
	const int want[] = { 0, 0, 0, 2, 2 };
	for (size_t k = 0; k < 5; k++) {
		struct h_run r;
		char *key = expanded_key(items, n, names[k]);
		json_object *doc = ask(key, &r);
		/* the plugin's own run, with the agent's command line */
		struct h_run direct;
		run_user_parameter(key, &direct);
		json_object *st = jsonpath(doc, "$.state");
		ck_assert(st != NULL);
		ck_assert_msg(json_object_get_int(st) == direct.exit_code &&
		                      direct.exit_code == want[k],
		              "%s: JSON state %d, exit %d", key, json_object_get_int(st),
		              direct.exit_code);
		/* every dependent item of this key finds its value */
		size_t found = 0;
		for (size_t i = 0; i < n; i++) {
			if (strncmp(items[i].master, "readiness.", 10) != 0 ||
			    strncmp(items[i].master + 10, names[k], strlen(names[k])) != 0 ||
			    items[i].master[10 + strlen(names[k])] != '[')
				continue;
			json_object *v = jsonpath(doc, items[i].path);
			ck_assert_msg(v != NULL, "%s: %s finds nothing in\n%s", items[i].key,
			              items[i].path, r.out);
			found++;
		}
		ck_assert_uint_ge(found, 3);
		json_object_put(doc);
		h_run_free(&direct);
		h_run_free(&r);
		free(key);
	}
	for (size_t i = 0; i < n; i++) {
		free(items[i].key);
		free(items[i].master);
		free(items[i].path);
	}
	free(items);
}
END_TEST

/* The Zabbix 7.0 export is the 6.0 template, with only what 7.0 names
 * differently: the version and template_groups. */
static char *export_body(const char *rel, const char *version, const char *groups)
{
	char *text = engine_shipped(&fx, rel);
	char *body = strstr(text, "zabbix_export:\n");
	ck_assert_msg(body != NULL, "%s: no zabbix_export", rel);
	char *v = rp_xasprintf("  version: '%s'\n", version);
	char *g = rp_xasprintf("\n  %s:\n", groups);
	ck_assert_msg(strstr(body, v) && strstr(body, g), "%s: not a %s export", rel, version);
	struct rp_buf b;
	rp_buf_init(&b);
	for (const char *p = body; *p;) {
		size_t len = strcspn(p, "\n");
		if (strncmp(p, "  version: ", 11) != 0 && strncmp(p, g + 1, strlen(g) - 1) != 0)
			rp_buf_append(&b, p, len);
		p += len + (p[len] ? 1 : 0);
	}
	free(g);
	free(v);
	free(text);
	return rp_buf_steal(&b);
}

START_TEST(test_exports_agree)
{
	char *six = export_body("contrib/zabbix/readiness-template.yaml", "6.0", "groups");
	char *seven =
	        export_body("contrib/zabbix/readiness-template-7.0.yaml", "7.0", "template_groups");
	ck_assert_msg(strcmp(six, seven) == 0, "the 6.0 and 7.0 templates differ");
	/* a plain scalar cannot start with a YAML indicator: "units: %" made
	 * the whole file fail to import */
	for (const char *p = six; (p = strstr(p, ": ")); p += 2)
		ck_assert_msg(!strchr("%@`|>!&*", p[2]) || p[2] == '\0', "unquoted '%c' at: %.40s",
		              p[2], p - 20 > six ? p - 20 : six);
	ck_assert(strstr(six, "template: 'Readiness plugins by Zabbix agent'"));
	free(six);
	free(seven);
}
END_TEST

START_TEST(test_timeout_and_silence)
{
	char port[16];
	snprintf(port, sizeof port, "%d", agent_port);
	char *argv[] = { zabbix_get,   (char *)"-s", (char *)"127.0.0.1",
		         (char *)"-p", port,         (char *)"-t",
		         (char *)"30", (char *)"-k", (char *)"test.hangs",
		         NULL };
	struct h_run r;
	h_run_argv(&r, argv, NULL, 40);
	/* zabbix_get exits 0 here too: only the text says it failed */
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strstr(r.out, "ZBX_NOTSUPPORTED") && strstr(r.out, "Timeout"), "%s", r.out);
	h_run_free(&r);
	argv[8] = (char *)"test.silent";
	h_run_argv(&r, argv, NULL, 40);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strcmp(r.out, "\n") == 0 || r.out[0] == '\0', "'%s'", r.out);
	h_run_free(&r);
}
END_TEST

START_TEST(test_external_wrapper)
{
	char *wrapper = h_src_path("contrib/zabbix/readiness-external");
	char *db = rp_xasprintf("%s/nonexistent.db", fx.dir);
	char *env = rp_xasprintf("PLUGIN_DIR=%s", fx.plugins);
	char *envp[] = { env, (char *)"PATH=/usr/bin:/bin", NULL };
	char *argv[] = { wrapper, (char *)"check_sqlite", (char *)"--db", db, NULL };
	struct h_run r;
	h_run_argv(&r, argv, envp, 30);
	ck_assert_int_eq(r.exit_code, 0); /* Zabbix reads stdout only */
	json_object *doc = json_tokener_parse(r.out);
	ck_assert(doc != NULL);
	ck_assert_int_eq(json_object_get_int(jsonpath(doc, "$.state")), 2);
	json_object_put(doc);
	h_run_free(&r);
	char *bad[] = { wrapper, (char *)"rm", (char *)"-rf", (char *)"/", NULL };
	h_run_argv(&r, bad, envp, 30);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert(strstr(r.out, "\"state\":3") != NULL);
	ck_assert(strstr(r.out, "rm is not a readiness plugin") != NULL);
	h_run_free(&r);
	free(env);
	free(db);
	free(wrapper);
}
END_TEST

START_TEST(test_skipped)
{
	engine_skip("the Zabbix agent (zabbix-agent, and zabbix_get from tools/bootstrap)");
}
END_TEST

static Suite *zabbix_suite(void)
{
	Suite *s = suite_create("engine: Zabbix agent");
	TCase *tc = tcase_create("zabbix");
	tcase_set_timeout(tc, 180);
	zabbix_get = find_zabbix_get();
	if (!engine_available(AGENTD) || !zabbix_get) {
		tcase_add_test(tc, test_skipped);
	} else {
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_agent_keys_and_template);
		tcase_add_test(tc, test_timeout_and_silence);
		tcase_add_test(tc, test_exports_agree);
		tcase_add_test(tc, test_external_wrapper);
	}
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(zabbix_suite)
