/* NRPE runs our plugins: the daemon from Debian's nagios-nrpe-server on a
 * loopback port, with our shipped command lines (contrib/nrpe, paths
 * pointed at a fixture), queried by check_nrpe. The state NRPE returns must
 * be the plugin's exit code, and the output must arrive as the plugin
 * printed it (line 1, perfdata, long output); a plugin that hangs or prints
 * nothing is reported by NRPE as such. A renamed option in the shipped
 * lines makes the plugin answer UNKNOWN, and this test fail. */
#include "engines.h"

static struct engine_fixture fx;
static pid_t nrpe;
static int nrpe_port;

static void setup(void)
{
	engine_fixture_setup(&fx);
	nrpe_port = h_free_port();
	char *shipped = engine_shipped(&fx, "contrib/nrpe/readiness-plugins.cfg");
	char *cfg = rp_xasprintf("pid_file=%1$s/nrpe.pid\n"
	                         "server_port=%2$d\nserver_address=127.0.0.1\n"
	                         "nrpe_user=nagios\nnrpe_group=nagios\n"
	                         "allowed_hosts=127.0.0.1\ndont_blame_nrpe=0\n"
	                         "command_timeout=3\nconnection_timeout=30\n"
	                         "%3$s\n"
	                         "command[hangs]=/bin/sleep 30\n"
	                         "command[silent]=/bin/true\n",
	                         fx.dir, nrpe_port, shipped);
	char *path = h_write_file(fx.dir, "nrpe.cfg", cfg, strlen(cfg));
	char *argv[] = { (char *)"/usr/sbin/nrpe", (char *)"-c", path, (char *)"-f", NULL };
	nrpe = h_start(argv, NULL);
	ck_assert_msg(h_wait_port("127.0.0.1", nrpe_port, 10), "nrpe did not start");
	free(path);
	free(cfg);
	free(shipped);
}

static void teardown(void)
{
	h_stop(nrpe);
	engine_fixture_teardown(&fx);
}

static void query(struct h_run *r, const char *command)
{
	char port[16];
	snprintf(port, sizeof port, "%d", nrpe_port);
	char *argv[] = { (char *)"/usr/lib/nagios/plugins/check_nrpe",
		         (char *)"-H",
		         (char *)"127.0.0.1",
		         (char *)"-p",
		         port,
		         (char *)"-t",
		         (char *)"20",
		         (char *)"-c",
		         (char *)command,
		         NULL };
	h_run_argv(r, argv, NULL, 30);
}

START_TEST(test_shipped_commands)
{
	struct {
		const char *command, *label;
		int state;
	} cases[] = {
		{ "readiness_sqlite", "SQLITE", 0 },
		{ "readiness_config", "CONFIG", 0 },
		{ "readiness_api", "API", 0 },
		{ "readiness_services", "SERVICES", 2 },
		{ "readiness_score", "READINESS", 2 },
		/* the nagios user has no DuckDB library on its paths: said so */
		{ "readiness_duckdb", "DUCKDB", 3 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct h_run via, direct;
		query(&via, cases[i].command);
		char *key = rp_xasprintf("command[%s]=", cases[i].command);
		engine_run_shipped(&fx, "contrib/nrpe/readiness-plugins.cfg", key, &direct);
		free(key);
		/* the state NRPE reports is the plugin's exit code */
		ck_assert_msg(via.exit_code == cases[i].state, "%s: exit %d:\n%s", cases[i].command,
		              via.exit_code, via.out);
		ck_assert_int_eq(via.exit_code, direct.exit_code);
		h_assert_contract(&via, cases[i].label);
		engine_assert_same_output(&via.parsed, &direct.parsed, cases[i].command);
		h_run_free(&via);
		h_run_free(&direct);
	}
}
END_TEST

START_TEST(test_timeout_and_silence)
{
	struct h_run r;
	query(&r, "hangs");
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_msg(strstr(r.out, "timed out after 3 seconds") != NULL, "%s", r.out);
	h_run_free(&r);
	/* NRPE makes a silent plugin UNKNOWN: why ours always print line 1 */
	query(&r, "silent");
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_msg(strstr(r.out, "Unable to read output") != NULL, "%s", r.out);
	h_run_free(&r);
}
END_TEST

START_TEST(test_skipped)
{
	engine_skip("NRPE (nagios-nrpe-server, nagios-nrpe-plugin)");
}
END_TEST

static Suite *nrpe_suite(void)
{
	Suite *s = suite_create("engine: NRPE");
	TCase *tc = tcase_create("nrpe");
	tcase_set_timeout(tc, 120);
	if (!engine_available("/usr/sbin/nrpe") ||
	    !engine_available("/usr/lib/nagios/plugins/check_nrpe")) {
		tcase_add_test(tc, test_skipped);
	} else {
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_shipped_commands);
		tcase_add_test(tc, test_timeout_and_silence);
	}
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(nrpe_suite)
