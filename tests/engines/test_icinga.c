/* Icinga 2 runs our plugins: icinga2 daemon -C (Debian's icinga2) validates
 * our CheckCommands and apply rules (contrib/icinga2, paths pointed at a
 * fixture) with every directory in the test's own; the daemon then runs
 * with an ApiListener on loopback (its CA and certificate made with
 * icinga2 pki), every service is rescheduled through the API, and each
 * last_check_result must hold the plugin's exit code as the state, its
 * output, and its perfdata as Icinga 2 parsed it: labels, units and
 * thresholds as the plugin printed them. */
#include "engines.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ICINGA2  "/usr/sbin/icinga2"
#define PASSWORD "api-3f9c1b7e5d2a4c6e8f0a"

static struct engine_fixture fx;
static pid_t daemon_pid;
static int api_port;
static char *base, *conf;

static char *defines(void)
{
	return rp_xasprintf("-DConfigDir=%1$s/etc -DDataDir=%1$s/lib -DLogDir=%1$s/log "
	                    "-DCacheDir=%1$s/cache -DSpoolDir=%1$s/spool -DInitRunDir=%1$s/run",
	                    base);
}

/* icinga2 with our directories, as root (it drops to ICINGA2_USER) */
static int icinga(const char *args, struct h_run *keep)
{
	char *d = defines();
	char *cmd =
	        rp_xasprintf("ICINGA2_USER=nagios ICINGA2_GROUP=nagios %s %s %s", ICINGA2, args, d);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	struct h_run r;
	h_run_argv(&r, argv, NULL, 60);
	int code = r.exit_code;
	if (keep)
		*keep = r;
	else
		h_run_free(&r);
	free(cmd);
	free(d);
	return code;
}

static void write_config(void)
{
	base = rp_xasprintf("%s/icinga", fx.dir);
	const char *dirs[] = {
		"", "/etc", "/lib", "/lib/certs", "/log", "/cache", "/spool", "/run"
	};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char *p = rp_xasprintf("%s%s", base, dirs[i]);
		ck_assert(mkdir(p, 0755) == 0);
		free(p);
	}
	char *etc = rp_xasprintf("%s/etc", base);
	char *commands = engine_shipped(&fx, "contrib/icinga2/readiness-plugins.conf");
	char *services = engine_shipped(&fx, "contrib/icinga2/services.conf");
	free(h_write_file(etc, "readiness-plugins.conf", commands, strlen(commands)));
	free(h_write_file(etc, "services.conf", services, strlen(services)));
	api_port = h_free_port();
	char *text = rp_xasprintf(
	        "const PluginDir = \"%1$s\"\nconst NodeName = \"rp-test\"\nconst ZoneName = "
	        "\"master\"\ninclude <itl>\n"
	        "object Endpoint NodeName { }\nobject Zone ZoneName { endpoints = [ NodeName ] }\n"
	        "object ApiListener \"api\" {\n  bind_host = \"127.0.0.1\"\n  bind_port = %2$d\n"
	        "  accept_commands = true\n}\n"
	        "object ApiUser \"root\" {\n  password = \"" PASSWORD
	        "\"\n  permissions = [ \"*\" ]\n}\n"
	        "object CheckerComponent \"checker\" { }\n"
	        "template Service \"generic-service\" {\n  max_check_attempts = 1\n"
	        "  check_interval = 1d\n}\n"
	        "object CheckCommand \"up\" { command = [ \"/bin/true\" ] }\n"
	        "object CheckCommand \"hangs\" {\n  command = [ \"/bin/sleep\", \"30\" ]\n"
	        "  timeout = 2s\n}\n"
	        "object CheckCommand \"silent\" { command = [ \"/bin/sh\", \"-c\", \"exit 1\" ] }\n"
	        "object Service \"hangs\" {\n  import \"generic-service\"\n  host_name = \"app1\"\n"
	        "  check_command = \"hangs\"\n}\n"
	        "object Service \"silent\" {\n  import \"generic-service\"\n  host_name = "
	        "\"app1\"\n"
	        "  check_command = \"silent\"\n}\n"
	        "object Host \"app1\" {\n  check_command = \"up\"\n  address = \"127.0.0.1\"\n"
	        "  vars.readiness_sqlite[\"app\"] = {\n    sqlite_db = \"%3$s/app/app.db\"\n"
	        "    sqlite_migrations = \"%3$s/app/migrations\"\n"
	        "    sqlite_not_empty = [ \"events\" ]\n    sqlite_fresh = [ \"events.ts\" ]\n"
	        "    sqlite_warning = [ \"age=10m\" ]\n    sqlite_critical = [ \"age=1h\" ]\n  }\n"
	        "  vars.readiness_config[\"app\"] = {\n"
	        "    config_env_files = [ \"%3$s/app/.env\" ]\n"
	        "    config_template = \"%3$s/app/.env.example\"\n"
	        "    config_pid_files = [ \"%3$s/app.pid\" ]\n  }\n"
	        "  vars.readiness_api[\"health\"] = {\n"
	        "    api_url = \"http://127.0.0.1:%4$d/health\"\n    api_health = true\n"
	        "    api_warning = [ \"500ms\" ]\n    api_critical = [ \"2s\" ]\n  }\n"
	        "  vars.readiness_services[\"stack\"] = {\n"
	        "    services_file = \"%3$s/readiness/services\"\n"
	        "    services_warning = [ \"time=500ms\" ]\n  }\n"
	        "  vars.readiness_manifest = [ \"%3$s/readiness/tracking.ini\" ]\n"
	        "}\n"
	        "include \"readiness-plugins.conf\"\ninclude \"services.conf\"\n",
	        fx.plugins, api_port, fx.dir, fx.web_port);
	conf = h_write_file(etc, "icinga2.conf", text, strlen(text));
	free(text);
	free(commands);
	free(services);
	/* icinga2 works as the nagios user: its directories are that user's */
	char *own = rp_xasprintf("chown -R nagios:nagios '%s'", base);
	ck_assert(system(own) == 0);
	free(own);
	/* the API's own CA and this node's certificate, by icinga2 pki */
	struct h_run ca;
	int rc = icinga("pki new-ca", &ca);
	ck_assert_msg(rc == 0, "icinga2 pki new-ca: %d\n%s", rc, ca.out);
	h_run_free(&ca);
	char *certs = rp_xasprintf("pki new-cert --cn rp-test --key %1$s/lib/certs/rp-test.key "
	                           "--csr %1$s/lib/certs/rp-test.csr",
	                           base);
	ck_assert_int_eq(icinga(certs, NULL), 0);
	char *sign = rp_xasprintf("pki sign-csr --csr %1$s/lib/certs/rp-test.csr --cert "
	                          "%1$s/lib/certs/rp-test.crt",
	                          base);
	ck_assert_int_eq(icinga(sign, NULL), 0);
	char *cp = rp_xasprintf("cp '%1$s/lib/ca/ca.crt' '%1$s/lib/certs/ca.crt' && "
	                        "chown -R nagios:nagios '%1$s'",
	                        base);
	ck_assert(system(cp) == 0);
	free(cp);
	free(sign);
	free(certs);
	free(etc);
}

static void setup(void)
{
	engine_fixture_setup(&fx);
	write_config();
}

static void teardown(void)
{
	if (daemon_pid > 0)
		h_stop(daemon_pid);
	daemon_pid = 0;
	engine_fixture_teardown(&fx);
	free(base);
	free(conf);
}

/* ---------------------------------------------------------------- API */

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	rp_buf_append(arg, data, size * n);
	return size * n;
}

static json_object *api(const char *method, const char *path, const char *body)
{
	CURL *h = curl_easy_init();
	ck_assert(h != NULL);
	char *url = rp_xasprintf("https://127.0.0.1:%d%s", api_port, path);
	char *ca = rp_xasprintf("%s/lib/certs/ca.crt", base);
	struct rp_buf out;
	rp_buf_init(&out);
	struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_USERPWD, "root:" PASSWORD);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L); /* the certificate names rp-test */
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	CURLcode rc = curl_easy_perform(h);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	json_object *doc = json_tokener_parse(out.data ? out.data : "");
	ck_assert_msg(doc != NULL, "%s %s: not JSON: %s", method, path, out.data);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	rp_buf_free(&out);
	free(ca);
	free(url);
	return doc;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Icinga's check result rebuilt as plugin output: line 1, then perfdata,
 * then the long output, for the same parser the plugin's own run gets. */
static char *as_plugin_output(json_object *cr)
{
	const char *output = json_object_get_string(get(cr, "output"));
	json_object *perf = get(cr, "performance_data");
	size_t first = strcspn(output, "\n");
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_append(&b, output, first);
	for (size_t i = 0; perf && i < json_object_array_length(perf); i++)
		rp_buf_printf(&b, "%s%s", i ? " " : " | ",
		              json_object_get_string(json_object_array_get_idx(perf, i)));
	rp_buf_puts(&b, output + first);
	return rp_buf_steal(&b);
}

START_TEST(test_icinga_runs_shipped_services)
{
	struct h_run v;
	char *validate = rp_xasprintf("daemon -C -c %s", conf);
	ck_assert_msg(icinga(validate, &v) == 0, "icinga2 daemon -C:\n%s", v.out);
	ck_assert(strstr(v.out, "Finished validating the configuration") != NULL);
	h_run_free(&v);
	free(validate);

	char *d = defines();
	char *cmd =
	        rp_xasprintf("exec env ICINGA2_USER=nagios ICINGA2_GROUP=nagios %s daemon -c %s %s",
	                     ICINGA2, conf, d);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", cmd, NULL };
	daemon_pid = h_start(argv, NULL);
	ck_assert_msg(h_wait_port("127.0.0.1", api_port, 30), "the Icinga 2 API did not start");
	free(cmd);
	free(d);

	double t0 = (double)time(NULL);
	json_object *r = api("POST", "/v1/actions/reschedule-check",
	                     "{\"type\":\"Service\",\"filter\":\"true\",\"force\":true}");
	json_object_put(r);
	json_object *services = NULL;
	size_t n = 0;
	bool done = false;
	for (int i = 0; i < 300 && !done; i++) {
		usleep(100000);
		json_object_put(services);
		services = api("GET", "/v1/objects/services?attrs=last_check_result", NULL);
		json_object *results = get(services, "results");
		n = json_object_array_length(results);
		done = n >= 7;
		for (size_t k = 0; k < n && done; k++) {
			json_object *cr = get(get(json_object_array_get_idx(results, k), "attrs"),
			                      "last_check_result");
			done = cr && json_object_get_double(get(cr, "execution_end")) >= t0;
		}
	}
	ck_assert_msg(done, "Icinga 2 did not run every service within 30 s");
	json_object *results = get(services, "results");
	for (size_t k = 0; k < n; k++) {
		json_object *svc = json_object_array_get_idx(results, k);
		const char *name = json_object_get_string(get(svc, "name"));
		json_object *cr = get(get(svc, "attrs"), "last_check_result");
		const char *out = json_object_get_string(get(cr, "output"));
		int st = json_object_get_int(get(cr, "state"));
		if (strcmp(name, "app1!hangs") == 0) {
			/* a plugin past its timeout: Icinga kills it, UNKNOWN */
			ck_assert_msg(st == 3 && strstr(out, "Timeout exceeded"), "%d %s", st, out);
			continue;
		}
		if (strcmp(name, "app1!silent") == 0) {
			/* nothing printed: Icinga keeps the exit code */
			ck_assert_msg(st == 1, "silent: %d %s", st, out);
			continue;
		}
		/* the command Icinga rendered from our argument definitions */
		json_object *command = get(cr, "command");
		size_t argc = json_object_array_length(command);
		char **rargv = rp_xcalloc(argc + 5, sizeof *rargv);
		rargv[0] = (char *)"/usr/sbin/runuser";
		rargv[1] = (char *)"-u";
		rargv[2] = (char *)"nagios";
		rargv[3] = (char *)"--";
		for (size_t i = 0; i < argc; i++)
			rargv[4 + i] = (char *)json_object_get_string(
			        json_object_array_get_idx(command, i));
		struct h_run direct;
		h_run_argv(&direct, rargv, NULL, 30);
		int state = json_object_get_int(get(cr, "state"));
		ck_assert_msg(json_object_get_int(get(cr, "exit_status")) == direct.exit_code &&
		                      state == direct.exit_code,
		              "%s: Icinga state %d, plugin exit %d:\n%s", name, state,
		              direct.exit_code, direct.out);
		char *text = as_plugin_output(cr);
		struct rp_plugin_output seen;
		rp_plugin_output_parse(text, strlen(text), &seen);
		ck_assert_msg(seen.perf_valid, "%s: Icinga's perfdata: %s", name, seen.perf_error);
		engine_assert_same_output(&seen, &direct.parsed, name);
		/* each perfdata value as Icinga parsed it: unit and thresholds kept */
		for (size_t i = 0; i < seen.perf.n; i++) {
			const struct rp_perf *a = &seen.perf.items[i],
			                     *b = &direct.parsed.perf.items[i];
			ck_assert_msg(strcmp(a->uom, b->uom) == 0, "%s: %s: unit %s, plugin %s",
			              name, a->label, a->uom, b->uom);
			ck_assert_msg(!a->warn == !b->warn &&
			                      (!a->warn || !strcmp(a->warn, b->warn)),
			              "%s: %s: warn %s, plugin %s", name, a->label,
			              a->warn ? a->warn : "-", b->warn ? b->warn : "-");
			ck_assert_msg(!a->crit == !b->crit &&
			                      (!a->crit || !strcmp(a->crit, b->crit)),
			              "%s: %s: crit %s, plugin %s", name, a->label,
			              a->crit ? a->crit : "-", b->crit ? b->crit : "-");
			ck_assert(a->has_min == b->has_min && a->has_max == b->has_max);
		}
		rp_plugin_output_free(&seen);
		free(text);
		h_run_free(&direct);
		free(rargv);
	}
	json_object_put(services);
}
END_TEST

START_TEST(test_skipped)
{
	engine_skip("Icinga 2 (icinga2)");
}
END_TEST

static Suite *icinga_suite(void)
{
	Suite *s = suite_create("engine: Icinga 2");
	TCase *tc = tcase_create("icinga2");
	tcase_set_timeout(tc, 180);
	if (!engine_available(ICINGA2)) {
		tcase_add_test(tc, test_skipped);
	} else {
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_icinga_runs_shipped_services);
	}
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(icinga_suite)
