/* Icinga 2 runs our plugins: icinga2 daemon -C (Debian's icinga2) validates
 * our CheckCommands and apply rules (contrib/icinga2, paths pointed at a
 * fixture) with every directory in the test's own; the daemon then runs
 * with an ApiListener on loopback (its CA and certificate made with
 * icinga2 pki), every service is rescheduled through the API, and each
 * last_check_result must hold the plugin's exit code as the state, its
 * output, and its perfdata as Icinga 2 parsed it: labels, units and
 * thresholds as the plugin printed them. */
#include "engines.h"
#include "icinga.h"

#include <json-c/json.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct engine_fixture fx;
static pid_t daemon_pid;
static int api_port;
static char *base, *conf;

static void write_config(void)
{
	base = rp_xasprintf("%s/icinga", fx.dir);
	icinga_dirs(base);
	char *etc = rp_xasprintf("%s/etc", base);
	char *commands = engine_shipped(&fx, "contrib/icinga2/readiness-plugins.conf");
	char *services = engine_shipped(&fx, "contrib/icinga2/services.conf");
	free(h_write_file(etc, "readiness-plugins.conf", commands, strlen(commands)));
	free(h_write_file(etc, "services.conf", services, strlen(services)));
	api_port = h_free_port();
	char *text = rp_xasprintf(
	        "const PluginDir = \"%1$s\"\nconst PluginContribDir = PluginDir\nconst NodeName = "
	        "\"rp-test\"\nconst ZoneName = "
	        "\"master\"\ninclude <itl>\n"
	        "object Endpoint NodeName { }\nobject Zone ZoneName { endpoints = [ NodeName ] }\n"
	        "object ApiListener \"api\" {\n  bind_host = \"127.0.0.1\"\n  bind_port = %2$d\n"
	        "  accept_commands = true\n}\n"
	        "object ApiUser \"root\" {\n  password = \"" ICINGA_PASSWORD
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
	        "  vars.readiness_sqlite[\"app\"] = {\n    readiness_sqlite_db = "
	        "\"%3$s/app/app.db\"\n"
	        "    readiness_sqlite_migrations = \"%3$s/app/migrations\"\n"
	        "    readiness_sqlite_not_empty = [ \"events\" ]\n    readiness_sqlite_fresh = [ "
	        "\"events.ts\" ]\n"
	        "    readiness_sqlite_warning = [ \"age=10m\" ]\n    readiness_sqlite_critical = [ "
	        "\"age=1h\" ]\n  }\n"
	        "  vars.readiness_config[\"app\"] = {\n"
	        "    readiness_config_env_files = [ \"%3$s/app/.env\" ]\n"
	        "    readiness_config_template = \"%3$s/app/.env.example\"\n"
	        "    readiness_config_pid_files = [ \"%3$s/app.pid\" ]\n  }\n"
	        "  vars.readiness_api[\"health\"] = {\n"
	        "    readiness_api_url = \"http://127.0.0.1:%4$d/health\"\n    "
	        "readiness_api_health = true\n"
	        "    readiness_api_warning = [ \"500ms\" ]\n    readiness_api_critical = [ \"2s\" "
	        "]\n  }\n"
	        "  vars.readiness_services[\"stack\"] = {\n"
	        "    readiness_services_file = \"%3$s/readiness/services\"\n"
	        "    readiness_services_warning = [ \"time=500ms\" ]\n  }\n"
	        "  vars.readiness_score_manifest = [ \"%3$s/readiness/tracking.ini\" ]\n"
	        "}\n"
	        "include \"readiness-plugins.conf\"\ninclude \"services.conf\"\n",
	        fx.plugins, api_port, fx.dir, fx.web_port);
	conf = h_write_file(etc, "icinga2.conf", text, strlen(text));
	free(text);
	free(commands);
	free(services);
	/* the API's own CA and this node's certificate, by icinga2 pki */
	icinga_new_ca(base);
	icinga_cert(base, base, "rp-test");
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

START_TEST(test_icinga_runs_shipped_services)
{
	struct h_run v;
	char *validate = rp_xasprintf("daemon -C -c %s", conf);
	ck_assert_msg(icinga_run(base, validate, &v) == 0, "icinga2 daemon -C:\n%s", v.out);
	ck_assert(strstr(v.out, "Finished validating the configuration") != NULL);
	h_run_free(&v);
	free(validate);

	daemon_pid = icinga_start(base, api_port);

	double t0 = (double)time(NULL);
	json_object *r = icinga_api(base, api_port, "POST", "/v1/actions/reschedule-check",
	                            "{\"type\":\"Service\",\"filter\":\"true\",\"force\":true}");
	json_object_put(r);
	json_object *services = NULL;
	size_t n = 0;
	bool done = false;
	for (int i = 0; i < 300 && !done; i++) {
		usleep(100000);
		json_object_put(services);
		services = icinga_api(base, api_port, "GET",
		                      "/v1/objects/services?attrs=last_check_result", NULL);
		json_object *results = icinga_get(services, "results");
		n = json_object_array_length(results);
		done = n >= 7;
		for (size_t k = 0; k < n && done; k++) {
			json_object *cr = icinga_get(
			        icinga_get(json_object_array_get_idx(results, k), "attrs"),
			        "last_check_result");
			done = cr && json_object_get_double(icinga_get(cr, "execution_end")) >= t0;
		}
	}
	ck_assert_msg(done, "Icinga 2 did not run every service within 30 s");
	json_object *results = icinga_get(services, "results");
	for (size_t k = 0; k < n; k++) {
		json_object *svc = json_object_array_get_idx(results, k);
		const char *name = json_object_get_string(icinga_get(svc, "name"));
		json_object *cr = icinga_get(icinga_get(svc, "attrs"), "last_check_result");
		const char *out = json_object_get_string(icinga_get(cr, "output"));
		int st = json_object_get_int(icinga_get(cr, "state"));
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
		json_object *command = icinga_get(cr, "command");
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
		int state = json_object_get_int(icinga_get(cr, "state"));
		ck_assert_msg(json_object_get_int(icinga_get(cr, "exit_status")) ==
		                              direct.exit_code &&
		                      state == direct.exit_code,
		              "%s: Icinga state %d, plugin exit %d:\n%s", name, state,
		              direct.exit_code, direct.out);
		char *text = icinga_output(cr);
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
