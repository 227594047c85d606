/* Icinga 2's distributed engine runs our plugins where the application
 * is: a master and an agent, two daemons on loopback with one CA and a
 * certificate each, the zones of contrib/icinga2/agents/ (the agent's
 * zone under the master's, a global zone that syncs our CheckCommands to
 * the agent), and the example services there, which name the agent as
 * their command_endpoint. The master has no plugins at all (its PluginDir
 * does not exist), so a plugin's own answer proves where it ran; the API
 * must say so too (check_source), each result must equal a direct run of
 * the same command, and a plugin whose -t is below the CheckCommand's
 * timeout must report its own deadline, not the engine's. A second,
 * slower case stops the agent: once the master has been up 300 s (Icinga
 * 2's own rule) every service says, UNKNOWN, that its agent is not
 * connected; not run under the sanitizers (it exercises the engine, not
 * our code, and would add five minutes to that build). */
#include "engines.h"
#include "icinga.h"

#include <json-c/json.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MASTER "icinga-master.example.org"
#define AGENT  "app1.example.org"

static struct engine_fixture fx;
static char *master, *agent, *ca;
static int master_port, agent_port;
static pid_t master_pid, agent_pid;

/* text with every from replaced by to; frees text */
static char *replaced(char *text, const char *from, const char *to)
{
	const char *const pair[][2] = { { from, to } };
	struct rp_buf b;
	rp_buf_init(&b);
	engine_replace_all(&b, text, pair, 1);
	free(text);
	return rp_buf_steal(&b);
}

static void put(const char *base, const char *rel, const char *text)
{
	char *dir = rp_xasprintf("%s/etc", base);
	free(h_write_file(dir, rel, text, strlen(text)));
	free(dir);
}

/* The shipped zones, with both endpoints on loopback. */
static char *zones(void)
{
	char *z = engine_shipped(&fx, "contrib/icinga2/agents/zones.conf");
	char *m = rp_xasprintf("host = \"127.0.0.1\"\n\tport = \"%d\"", master_port);
	char *a = rp_xasprintf("host = \"127.0.0.1\"\n\tport = \"%d\"", agent_port);
	z = replaced(z, "host = \"" MASTER "\"\n\tport = \"5665\"", m);
	z = replaced(z, "host = \"" AGENT "\"\n\tport = \"5665\"", a);
	free(m);
	free(a);
	return z;
}

static void write_master(const char *z)
{
	char *conf = rp_xasprintf(
	        "const PluginDir = \"/nonexistent/the-master-has-no-plugins\"\n"
	        "const PluginContribDir = PluginDir\n"
	        "const NodeName = \"" MASTER "\"\nconst ZoneName = \"master\"\n"
	        "include <itl>\ninclude \"zones.conf\"\n"
	        "object ApiListener \"api\" {\n  bind_host = \"127.0.0.1\"\n  bind_port = %d\n"
	        "  accept_commands = true\n}\n"
	        "object ApiUser \"root\" {\n  password = \"" ICINGA_PASSWORD "\"\n"
	        "  permissions = [ \"*\" ]\n}\n"
	        "object CheckerComponent \"checker\" { }\n",
	        master_port);
	put(master, "icinga2.conf", conf);
	put(master, "zones.conf", z);
	char *commands = engine_shipped(&fx, "contrib/icinga2/readiness-plugins.conf");
	char *gdir = rp_xasprintf("%s/etc/zones.d/global-templates", master);
	char *mdir = rp_xasprintf("%s/etc/zones.d/master", master);
	ck_assert(mkdir(gdir, 0755) == 0 && mkdir(mdir, 0755) == 0);
	free(h_write_file(gdir, "readiness-plugins.conf", commands, strlen(commands)));
	char *services = engine_shipped(&fx, "contrib/icinga2/agents/services.conf");
	char *slow = rp_xasprintf("http://127.0.0.1:%d/status/200?delay=20000", fx.web_port);
	services = replaced(services, "http://127.0.0.1:8000/v1/slow", slow);
	free(h_write_file(mdir, "app1.conf", services, strlen(services)));
	free(slow);
	free(services);
	free(mdir);
	free(gdir);
	free(commands);
	free(conf);
}

static void write_agent(const char *z)
{
	char *conf = engine_shipped(&fx, "contrib/icinga2/agents/agent.conf");
	char *plugins = rp_xasprintf("\"%s\"", fx.plugins);
	char *listen = rp_xasprintf("object ApiListener \"api\" {\n\tbind_host = \"127.0.0.1\"\n"
	                            "\tbind_port = %d",
	                            agent_port);
	conf = replaced(conf, "\"/usr/lib/nagios/plugins\"", plugins);
	conf = replaced(conf, "object ApiListener \"api\" {", listen);
	put(agent, "icinga2.conf", conf);
	put(agent, "zones.conf", z);
	free(listen);
	free(plugins);
	free(conf);
}

static void setup(void)
{
	engine_fixture_setup(&fx);
	master = rp_xasprintf("%s/master", fx.dir);
	agent = rp_xasprintf("%s/agent", fx.dir);
	ca = rp_xasprintf("%s/ca", fx.dir);
	icinga_dirs(master);
	icinga_dirs(agent);
	icinga_dirs(ca);
	master_port = h_free_port();
	do
		agent_port = h_free_port();
	while (agent_port == master_port);
	char *z = zones();
	write_master(z);
	write_agent(z);
	free(z);
	icinga_new_ca(ca);
	icinga_cert(ca, master, MASTER);
	icinga_cert(ca, agent, AGENT);
}

static void teardown(void)
{
	if (master_pid > 0)
		h_stop(master_pid);
	if (agent_pid > 0)
		h_stop(agent_pid);
	master_pid = agent_pid = 0;
	engine_fixture_teardown(&fx);
	free(master);
	free(agent);
	free(ca);
}

/* Every service's result, once each is newer than t0 and came from a
 * plugin (the agent reloads once the global zone arrives: a check sent
 * before that finds no CheckCommand yet and is sent again). */
static json_object *results_after(double t0, size_t want)
{
	json_object *services = NULL;
	for (int i = 0; i < 120; i++) {
		if (i % 10 == 0)
			json_object_put(icinga_api(master, master_port, "POST",
			                           "/v1/actions/reschedule-check",
			                           "{\"type\":\"Service\",\"filter\":\"true\","
			                           "\"force\":true}"));
		usleep(250000);
		json_object_put(services);
		services = icinga_api(master, master_port, "GET",
		                      "/v1/objects/services?attrs=last_check_result", NULL);
		json_object *r = icinga_get(services, "results");
		if (!json_object_is_type(r, json_type_array))
			continue; /* the API between two configurations */
		size_t n = json_object_array_length(r);
		bool done = n == want;
		for (size_t k = 0; k < n && done; k++) {
			json_object *cr =
			        icinga_get(icinga_get(json_object_array_get_idx(r, k), "attrs"),
			                   "last_check_result");
			const char *out =
			        cr ? json_object_get_string(icinga_get(cr, "output")) : "";
			done = cr &&
			       json_object_get_double(icinga_get(cr, "execution_end")) >= t0 &&
			       !strstr(out, "does not exist");
		}
		if (done)
			return services;
	}
	ck_abort_msg("the master did not get a plugin's result for every service in 30 s");
	return NULL;
}

/* The command the agent ran, run here as the nagios user. */
static void direct_run(json_object *cr, struct h_run *direct)
{
	json_object *command = icinga_get(cr, "command");
	size_t argc = json_object_array_length(command);
	char **argv = rp_xcalloc(argc + 5, sizeof *argv);
	argv[0] = (char *)"/usr/sbin/runuser";
	argv[1] = (char *)"-u";
	argv[2] = (char *)"nagios";
	argv[3] = (char *)"--";
	for (size_t i = 0; i < argc; i++)
		argv[4 + i] = (char *)json_object_get_string(json_object_array_get_idx(command, i));
	h_run_argv(direct, argv, NULL, 30);
	free(argv);
}

static void assert_result(const char *name, json_object *cr)
{
	const char *source = json_object_get_string(icinga_get(cr, "check_source"));
	const char *out = json_object_get_string(icinga_get(cr, "output"));
	int state = json_object_get_int(icinga_get(cr, "state"));
	ck_assert_msg(source && strcmp(source, AGENT) == 0, "%s ran on %s", name, source);
	struct h_run direct;
	direct_run(cr, &direct);
	ck_assert_msg(state == direct.exit_code, "%s: Icinga state %d, plugin exit %d:\n%s", name,
	              state, direct.exit_code, direct.out);
	char *text = icinga_output(cr);
	struct rp_plugin_output seen;
	rp_plugin_output_parse(text, strlen(text), &seen);
	engine_assert_same_output(&seen, &direct.parsed, name);
	if (strstr(name, "app-database"))
		/* the master has no check_sqlite: only the agent could answer */
		ck_assert_msg(state == 0 && strncmp(out, "SQLITE OK - ", 12) == 0, "%s", out);
	if (strstr(name, "app-api-deadline"))
		/* the plugin's -t 2 came first, not the CheckCommand's timeout */
		ck_assert_msg(state == 2 && strstr(out, "no complete response within 2 s") &&
		                      !strstr(out, "Timeout exceeded"),
		              "%d %s", state, out);
	rp_plugin_output_free(&seen);
	free(text);
	h_run_free(&direct);
}

START_TEST(test_agent_runs_the_checks)
{
	struct h_run v;
	ck_assert_msg(icinga_run(master, "daemon -C", &v) == 0, "master:\n%s", v.out);
	h_run_free(&v);
	ck_assert_msg(icinga_run(agent, "daemon -C", &v) == 0, "agent:\n%s", v.out);
	h_run_free(&v);
	double t0 = (double)time(NULL);
	agent_pid = icinga_start(agent, agent_port);
	master_pid = icinga_start(master, master_port);
	json_object *services = results_after(t0, 3);
	json_object *r = icinga_get(services, "results");
	for (size_t k = 0; k < json_object_array_length(r); k++) {
		json_object *svc = json_object_array_get_idx(r, k);
		assert_result(json_object_get_string(icinga_get(svc, "name")),
		              icinga_get(icinga_get(svc, "attrs"), "last_check_result"));
	}
	json_object_put(services);
}
END_TEST

#if !defined(__SANITIZE_ADDRESS__)
/* The agent stopped: once the master has run 300 s, its checks come back
 * UNKNOWN naming the agent that is not connected. */
START_TEST(test_lost_agent)
{
	double t0 = (double)time(NULL);
	agent_pid = icinga_start(agent, agent_port);
	master_pid = icinga_start(master, master_port);
	json_object_put(results_after(t0, 3));
	h_stop(agent_pid);
	agent_pid = 0;
	bool said = false;
	for (int i = 0; i < 420 && !said; i++) {
		sleep(1);
		if ((double)time(NULL) - t0 < 300)
			continue;
		if (i % 5 == 0)
			json_object_put(icinga_api(master, master_port, "POST",
			                           "/v1/actions/reschedule-check",
			                           "{\"type\":\"Service\",\"filter\":\"true\","
			                           "\"force\":true}"));
		json_object *services =
		        icinga_api(master, master_port, "GET",
		                   "/v1/objects/services?attrs=last_check_result", NULL);
		json_object *r = icinga_get(services, "results");
		said = json_object_is_type(r, json_type_array) && json_object_array_length(r) == 3;
		for (size_t k = 0; said && k < json_object_array_length(r); k++) {
			json_object *cr =
			        icinga_get(icinga_get(json_object_array_get_idx(r, k), "attrs"),
			                   "last_check_result");
			const char *out =
			        cr ? json_object_get_string(icinga_get(cr, "output")) : "";
			said = json_object_get_int(icinga_get(cr, "state")) == 3 &&
			       strstr(out,
			              "Remote Icinga instance '" AGENT "' is not connected to");
		}
		json_object_put(services);
	}
	ck_assert_msg(said, "the master never said its agent was not connected");
}
END_TEST
#endif

START_TEST(test_skipped)
{
	engine_skip("Icinga 2 (icinga2)");
}
END_TEST

static Suite *icinga_agent_suite(void)
{
	Suite *s = suite_create("engine: Icinga 2 master and agent");
	TCase *tc = tcase_create("agent");
	tcase_set_timeout(tc, 120);
	if (!engine_available(ICINGA2)) {
		tcase_add_test(tc, test_skipped);
	} else {
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_agent_runs_the_checks);
#if !defined(__SANITIZE_ADDRESS__)
		TCase *lost = tcase_create("lost agent");
		tcase_set_timeout(lost, 480);
		tcase_add_checked_fixture(lost, setup, teardown);
		tcase_add_test(lost, test_lost_agent);
		suite_add_tcase(s, lost);
#endif
	}
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(icinga_agent_suite)
