/* Nagios 4 runs our plugins: nagios4 (Debian's nagios4-core) validates our
 * shipped command and service definitions (contrib/nagios, paths pointed
 * at a fixture), then runs as a daemon on them; a forced check of every
 * service goes through the command pipe, and status.dat must record each
 * plugin's exit code as the state and its output, long output and
 * perfdata as the plugin printed them. A plugin that hangs or prints
 * nothing is recorded as Nagios reports such plugins. */
#include "engines.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct engine_fixture fx;
static pid_t nagios;
static char *cfg, *var, *cmd_pipe, *status_file;
static char *commands; /* the shipped command definitions, pointed at fx */

#define NAGIOS "/usr/sbin/nagios4"

/* The engine's own objects: a host, a time period, and two services whose
 * plugins hang or print nothing. Nagios wants every directive on a line
 * of its own. */
static void write_objects(void)
{
	const char *objects = "define timeperiod {\n"
	                      "    timeperiod_name 24x7\n"
	                      "    alias always\n"
	                      "    sunday 00:00-24:00\n"
	                      "    monday 00:00-24:00\n"
	                      "    tuesday 00:00-24:00\n"
	                      "    wednesday 00:00-24:00\n"
	                      "    thursday 00:00-24:00\n"
	                      "    friday 00:00-24:00\n"
	                      "    saturday 00:00-24:00\n"
	                      "}\n"
	                      "define command {\n"
	                      "    command_name always_up\n"
	                      "    command_line /bin/true\n"
	                      "}\n"
	                      "define command {\n"
	                      "    command_name hangs\n"
	                      "    command_line /bin/sleep 30\n"
	                      "}\n"
	                      "define command {\n"
	                      "    command_name silent\n"
	                      "    command_line /bin/sh -c 'exit 1'\n"
	                      "}\n"
	                      "define contact {\n"
	                      "    contact_name nobody\n"
	                      "    alias nobody\n"
	                      "    host_notifications_enabled 0\n"
	                      "    service_notifications_enabled 0\n"
	                      "    host_notification_period 24x7\n"
	                      "    service_notification_period 24x7\n"
	                      "    host_notification_options n\n"
	                      "    service_notification_options n\n"
	                      "    host_notification_commands always_up\n"
	                      "    service_notification_commands always_up\n"
	                      "}\n"
	                      "define host {\n"
	                      "    host_name app1\n"
	                      "    alias app1\n"
	                      "    address 127.0.0.1\n"
	                      "    check_command always_up\n"
	                      "    max_check_attempts 1\n"
	                      "    check_period 24x7\n"
	                      "    contacts nobody\n"
	                      "    notification_period 24x7\n"
	                      "    notifications_enabled 0\n"
	                      "}\n"
	                      "define service {\n"
	                      "    name generic-service\n"
	                      "    register 0\n"
	                      "    max_check_attempts 1\n"
	                      "    check_interval 1440\n"
	                      "    retry_interval 1\n"
	                      "    check_period 24x7\n"
	                      "    active_checks_enabled 1\n"
	                      "    contacts nobody\n"
	                      "    notification_period 24x7\n"
	                      "    notifications_enabled 0\n"
	                      "}\n"
	                      "define service {\n"
	                      "    use generic-service\n"
	                      "    host_name app1\n"
	                      "    service_description hangs\n"
	                      "    check_command hangs\n"
	                      "}\n"
	                      "define service {\n"
	                      "    use generic-service\n"
	                      "    host_name app1\n"
	                      "    service_description silent\n"
	                      "    check_command silent\n"
	                      "}\n";
	free(h_write_file(var, "objects.cfg", objects, strlen(objects)));
}

/* nagios.cfg with every path in the test's directory. */
static void write_main_config(void)
{
	char *main_cfg = rp_xasprintf(
	        "log_file=%1$s/nagios.log\n"
	        "cfg_file=%1$s/objects.cfg\ncfg_file=%1$s/commands.cfg\ncfg_file=%1$s/"
	        "services.cfg\n"
	        "resource_file=%1$s/resource.cfg\n"
	        "object_cache_file=%1$s/objects.cache\nprecached_object_file=%1$s/"
	        "objects.precache\n"
	        "status_file=%1$s/status.dat\nstatus_update_interval=1\n"
	        "nagios_user=nagios\nnagios_group=nagios\n"
	        "check_external_commands=1\ncommand_file=%1$s/rw/nagios.cmd\n"
	        "query_socket=%1$s/rw/nagios.qh\n"
	        "lock_file=%1$s/nagios.lock\ntemp_file=%1$s/nagios.tmp\ntemp_path=%1$s\n"
	        "check_result_path=%1$s/spool\ncheck_result_reaper_frequency=1\n"
	        "state_retention_file=%1$s/retention.dat\nretain_state_information=0\n"
	        "use_syslog=0\nlog_initial_states=0\nenable_notifications=0\n"
	        "max_service_check_spread=1\nmax_host_check_spread=1\n"
	        "service_check_timeout=3\nservice_check_timeout_state=c\n"
	        "illegal_object_name_chars=`~!$%%^&*|'\"<>?,()=\n"
	        "illegal_macro_output_chars=`~$&|'\"<>\n"
	        "event_broker_options=0\n",
	        var);
	cfg = h_write_file(var, "nagios.cfg", main_cfg, strlen(main_cfg));
	free(main_cfg);
}

static void write_config(void)
{
	var = rp_xasprintf("%s/nagios", fx.dir);
	char *sub[] = { rp_xasprintf("%s/rw", var), rp_xasprintf("%s/spool", var) };
	ck_assert(mkdir(var, 0755) == 0);
	for (int i = 0; i < 2; i++) {
		ck_assert(mkdir(sub[i], 0755) == 0);
		free(sub[i]);
	}
	char *own = rp_xasprintf("chown -R nagios:nagios '%s'", var);
	ck_assert(system(own) == 0);
	free(own);
	commands = engine_shipped(&fx, "contrib/nagios/readiness-plugins.cfg");
	char *services = engine_shipped(&fx, "contrib/nagios/services.cfg");
	free(h_write_file(var, "commands.cfg", commands, strlen(commands)));
	free(h_write_file(var, "services.cfg", services, strlen(services)));
	free(services);
	write_objects();
	char *resource = rp_xasprintf("$USER1$=%s\n", fx.plugins);
	free(h_write_file(var, "resource.cfg", resource, strlen(resource)));
	free(resource);
	cmd_pipe = rp_xasprintf("%s/rw/nagios.cmd", var);
	status_file = rp_xasprintf("%s/status.dat", var);
	write_main_config();
}

static void setup(void)
{
	engine_fixture_setup(&fx);
	write_config();
}

static void teardown(void)
{
	if (nagios > 0)
		h_stop(nagios);
	nagios = 0;
	engine_fixture_teardown(&fx);
	free(cfg);
	free(var);
	free(cmd_pipe);
	free(status_file);
	free(commands);
}

/* ------------------------------------------------------------ status.dat */

struct svc_status {
	char *description;
	int state;
	long last_check;
	int checked;
	char *output, *long_output, *perf;
};

static char *unescape(const char *s)
{
	struct rp_buf b;
	rp_buf_init(&b);
	for (const char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			rp_buf_putc(&b, '\n');
			p++;
		} else if (p[0] == '\\' && p[1] == '\\') {
			rp_buf_putc(&b, '\\');
			p++;
		} else {
			rp_buf_putc(&b, *p);
		}
	}
	return b.data ? rp_buf_steal(&b) : rp_xstrdup("");
}

/* The servicestatus blocks of status.dat. */
static size_t read_status(struct svc_status **out)
{
	FILE *f = fopen(status_file, "r");
	*out = NULL;
	if (!f)
		return 0;
	size_t n = 0;
	char line[65536];
	struct svc_status *cur = NULL;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *s = line + strspn(line, " \t");
		if (strncmp(s, "servicestatus {", 15) == 0) {
			*out = rp_xreallocarray(*out, n + 1, sizeof **out);
			cur = &(*out)[n++];
			memset(cur, 0, sizeof *cur);
			continue;
		}
		if (*s == '}') {
			cur = NULL;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!cur || !eq)
			continue;
		*eq = '\0';
		const char *v = eq + 1;
		if (!strcmp(s, "service_description"))
			cur->description = rp_xstrdup(v);
		else if (!strcmp(s, "current_state"))
			cur->state = atoi(v);
		else if (!strcmp(s, "last_check"))
			cur->last_check = atol(v);
		else if (!strcmp(s, "has_been_checked"))
			cur->checked = atoi(v);
		else if (!strcmp(s, "plugin_output"))
			cur->output = unescape(v);
		else if (!strcmp(s, "long_plugin_output"))
			cur->long_output = unescape(v);
		else if (!strcmp(s, "performance_data"))
			cur->perf = rp_xstrdup(v);
	}
	fclose(f);
	return n;
}

static void free_status(struct svc_status *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].description);
		free(s[i].output);
		free(s[i].long_output);
		free(s[i].perf);
	}
	free(s);
}

/* ---------------------------------------------- what Nagios would run */

/* The command line of name in the shipped definitions. Caller frees. */
static char *command_line(const char *name)
{
	const char *p = commands;
	while ((p = strstr(p, "command_name")) != NULL) {
		p += 12;
		p += strspn(p, " \t");
		size_t len = strcspn(p, " \t\n");
		if (len == strlen(name) && strncmp(p, name, len) == 0) {
			const char *cl = strstr(p, "command_line");
			ck_assert(cl != NULL);
			cl += 12;
			cl += strspn(cl, " \t");
			return rp_xstrndup(cl, strcspn(cl, "\n"));
		}
	}
	ck_abort_msg("no command %s in the shipped definitions", name);
	return NULL;
}

/* check_command "name!arg1!arg2" expanded as Nagios expands it. */
static char *expand(const char *check_command)
{
	char *copy = rp_xstrdup(check_command);
	char *args[10] = { 0 };
	size_t nargs = 0;
	char *save = NULL;
	char *name = strtok_r(copy, "!", &save);
	for (char *a = strtok_r(NULL, "!", &save); a && nargs < 10; a = strtok_r(NULL, "!", &save))
		args[nargs++] = a;
	char *line = command_line(name);
	struct rp_buf b;
	rp_buf_init(&b);
	for (const char *p = line; *p;) {
		if (strncmp(p, "$USER1$", 7) == 0) {
			rp_buf_puts(&b, fx.plugins);
			p += 7;
		} else if (strncmp(p, "$ARG", 4) == 0 && p[4] >= '1' && p[4] <= '9' &&
		           p[5] == '$') {
			size_t k = (size_t)(p[4] - '1');
			rp_buf_puts(&b, k < nargs ? args[k] : "");
			p += 6;
		} else {
			rp_buf_putc(&b, *p++);
		}
	}
	free(line);
	free(copy);
	return rp_buf_steal(&b);
}

/* Each service of the shipped services.cfg: description and check_command. */
static size_t shipped_services(char ***desc, char ***check)
{
	char *text = engine_shipped(&fx, "contrib/nagios/services.cfg");
	size_t n = 0;
	*desc = NULL;
	*check = NULL;
	for (char *p = text; (p = strstr(p, "service_description")) != NULL;) {
		p += 19;
		p += strspn(p, " \t");
		char *d = rp_xstrndup(p, strcspn(p, "\n"));
		char *c = strstr(p, "check_command");
		ck_assert(c != NULL);
		c += 13;
		c += strspn(c, " \t");
		*desc = rp_xreallocarray(*desc, n + 1, sizeof **desc);
		*check = rp_xreallocarray(*check, n + 1, sizeof **check);
		(*desc)[n] = d;
		(*check)[n++] = rp_xstrndup(c, strcspn(c, "\n"));
	}
	free(text);
	return n;
}

static void force_checks(char **desc, size_t n)
{
	/* the pipe exists once Nagios is up: write only to a FIFO */
	struct stat st;
	for (int i = 0; i < 100 && !(stat(cmd_pipe, &st) == 0 && S_ISFIFO(st.st_mode)); i++)
		usleep(100000);
	ck_assert_msg(stat(cmd_pipe, &st) == 0 && S_ISFIFO(st.st_mode), "no command pipe");
	FILE *f = fopen(cmd_pipe, "w");
	ck_assert(f != NULL);
	long now = (long)time(NULL);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "[%ld] SCHEDULE_FORCED_SVC_CHECK;app1;%s;%ld\n", now, desc[i], now);
	fprintf(f, "[%ld] SCHEDULE_FORCED_SVC_CHECK;app1;hangs;%ld\n", now, now);
	fprintf(f, "[%ld] SCHEDULE_FORCED_SVC_CHECK;app1;silent;%ld\n", now, now);
	fclose(f);
}

static const struct svc_status *find(const struct svc_status *s, size_t n, const char *desc)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].description && strcmp(s[i].description, desc) == 0)
			return &s[i];
	return NULL;
}

START_TEST(test_nagios_runs_shipped_services)
{
	struct h_run v;
	char *vargv[] = { (char *)NAGIOS, (char *)"-v", cfg, NULL };
	h_run_argv(&v, vargv, NULL, 30);
	ck_assert_msg(v.exit_code == 0, "nagios4 -v:\n%s", v.out);
	ck_assert(strstr(v.out, "Total Errors:   0") != NULL);
	h_run_free(&v);

	char **desc, **check;
	size_t n = shipped_services(&desc, &check);
	ck_assert_uint_ge(n, 5);
	long t0 = (long)time(NULL);
	char *argv[] = { (char *)NAGIOS, cfg, NULL };
	nagios = h_start(argv, NULL);
	force_checks(desc, n);
	struct svc_status *st = NULL;
	size_t nst = 0;
	bool done = false;
	for (int i = 0; i < 400 && !done; i++) {
		usleep(100000);
		free_status(st, nst);
		nst = read_status(&st);
		done = nst >= n + 2;
		for (size_t k = 0; k < nst && done; k++)
			done = st[k].checked && st[k].last_check >= t0;
	}
	ck_assert_msg(done, "Nagios did not check every service within 40 s");
	for (size_t i = 0; i < n; i++) {
		const struct svc_status *s = find(st, nst, desc[i]);
		ck_assert_msg(s != NULL, "no status for %s", desc[i]);
		char *line = expand(check[i]);
		struct h_run direct;
		engine_run_line(line, &direct);
		/* the state Nagios recorded is the plugin's exit code */
		ck_assert_msg(s->state == direct.exit_code, "%s: Nagios %d, plugin %d:\n%s\n%s",
		              desc[i], s->state, direct.exit_code, s->output, direct.out);
		/* and the output arrived whole: line 1, long output, perfdata */
		struct rp_buf whole;
		rp_buf_init(&whole);
		rp_buf_printf(&whole, "%s%s%s\n%s", s->output, s->perf && *s->perf ? " | " : "",
		              s->perf ? s->perf : "", s->long_output ? s->long_output : "");
		struct rp_plugin_output seen;
		rp_plugin_output_parse(whole.data, whole.len, &seen);
		/* Nagios 4 writes every ';' of line 1's text as ':' (';' separates
		 * its log fields); the long output and the perfdata stay whole */
		for (char *c = direct.parsed.first_line; c && *c; c++)
			*c = *c == ';' ? ':' : *c;
		engine_assert_same_output(&seen, &direct.parsed, desc[i]);
		ck_assert_msg(seen.perf_valid, "%s: perfdata %s", desc[i], seen.perf_error);
		rp_plugin_output_free(&seen);
		rp_buf_free(&whole);
		h_run_free(&direct);
		free(line);
	}
	/* a plugin that hangs: Nagios' timeout, in the state we configured */
	const struct svc_status *h = find(st, nst, "hangs");
	ck_assert(h != NULL);
	ck_assert_int_eq(h->state, 2);
	ck_assert_msg(strstr(h->output, "timed out after 3") != NULL, "%s", h->output);
	const struct svc_status *q = find(st, nst, "silent");
	ck_assert(q != NULL);
	ck_assert_int_eq(q->state, 1);
	ck_assert_msg(strstr(q->output, "No output") != NULL, "%s", q->output);
	free_status(st, nst);
	rp_strv_free(desc, n);
	rp_strv_free(check, n);
}
END_TEST

START_TEST(test_skipped)
{
	engine_skip("Nagios 4 (nagios4-core)");
}
END_TEST

static Suite *nagios_suite(void)
{
	Suite *s = suite_create("engine: Nagios 4");
	TCase *tc = tcase_create("nagios4");
	tcase_set_timeout(tc, 180);
	if (!engine_available(NAGIOS)) {
		tcase_add_test(tc, test_skipped);
	} else {
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, test_nagios_runs_shipped_services);
	}
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(nagios_suite)
