#include "config.h"

#include "rp_cli.h"
#include "rp_text.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	STD_HELP = 'h',
	STD_VERSION = 'V',
	STD_VERBOSE = 'v',
	STD_TIMEOUT = 't',
	STD_WARNING = 'w',
	STD_CRITICAL = 'c',
	STD_OUTPUT_FORMAT = 0x1000,
	STD_TIMEOUT_STATE,
	STD_EXIT_CODES,
	STD_BINARY_WARNING,
	STD_EXIT_OK,
	STD_SUMMARY_FILE,
	STD_OUTPUT_FILE,
	PLUGIN_OPTION_BASE = 0x2000,
};

const struct rp_metric_spec rp_time_metric = { "time", RP_UNIT_SECONDS, false,
	                                       "the check's own duration", NULL };

/* True when the plugin declares a metric of this name itself. */
static bool declares(const struct rp_metric_spec *specs, const char *name)
{
	for (const struct rp_metric_spec *s = specs; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return true;
	return false;
}

static const struct rp_option std_options[] = {
	{ "help", 'h', false, NULL, "show this help and exit", STD_HELP },
	{ "version", 'V', false, NULL, "show the version and exit", STD_VERSION },
	{ "verbose", 'v', false, NULL, "more detail; -vv adds diagnostics (never secrets)",
	  STD_VERBOSE },
	{ "timeout", 't', true, "DURATION",
	  "give up after this long (default 10 s; 500ms, 2s, 1m...)", STD_TIMEOUT },
	{ "timeout-state", 0, true, "STATE",
	  "state when the deadline passes: ok, warning, critical (default), unknown",
	  STD_TIMEOUT_STATE },
	{ "warning", 'w', true, "[METRIC=]RANGE", "warning threshold (repeatable)", STD_WARNING },
	{ "critical", 'c', true, "[METRIC=]RANGE", "critical threshold (repeatable)",
	  STD_CRITICAL },
	{ "output-format", 0, true, "FORMAT", "nagios (default), json, prometheus or openmetrics",
	  STD_OUTPUT_FORMAT },
	{ "output-file", 0, true, "FILE",
	  "write the output to FILE (atomically: a temporary file renamed) instead of stdout",
	  STD_OUTPUT_FILE },
	{ "exit-codes", 0, true, "MODE",
	  "nagios (default: 0-3) or binary (0 for OK, 1 otherwise: container health checks)",
	  STD_EXIT_CODES },
	{ "binary-warning", 0, true, "ok|fail",
	  "with --exit-codes binary, WARNING exits 0 (ok, default) or 1 (fail)",
	  STD_BINARY_WARNING },
	{ "summary-file", 0, true, "FILE",
	  "append the Markdown report to FILE (default with --output-format markdown: "
	  "$GITHUB_STEP_SUMMARY when set)",
	  STD_SUMMARY_FILE },
	{ "exit-ok", 0, false, NULL,
	  "always exit 0; the state is in the output (collectors that ignore exit codes)",
	  STD_EXIT_OK },
	{ NULL, 0, false, NULL, NULL, 0 },
};

/* Word-wraps text into the help column. */
static void wrap(struct rp_buf *out, const char *text, size_t indent, size_t first_col,
                 size_t width)
{
	size_t col = first_col;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (*p == '\n') {
			rp_buf_putc(out, '\n');
			col = 0;
			p++;
			continue;
		}
		size_t wl = strcspn(p, " \n");
		if (wl == 0)
			break;
		if (col > indent && col + 1 + wl > width) {
			rp_buf_putc(out, '\n');
			col = 0;
		}
		if (col < indent) {
			rp_buf_printf(out, "%*s", (int)(indent - col), "");
			col = indent;
		} else {
			rp_buf_putc(out, ' ');
			col++;
		}
		rp_buf_append(out, p, wl);
		col += wl;
		p += wl;
	}
	rp_buf_putc(out, '\n');
}

static void help_options(struct rp_buf *out, const struct rp_option *opts, bool test_reports)
{
	for (const struct rp_option *o = opts; o && o->name; o++) {
		const char *help = o->help;
		if (!test_reports && o->id == STD_SUMMARY_FILE)
			continue;
		if (test_reports && o->id == STD_OUTPUT_FORMAT)
			help = "nagios (default), json, junit (JUnit XML), tap, markdown, html "
			       "(a page), prometheus or openmetrics";
		size_t start = out->len;
		if (o->short_name)
			rp_buf_printf(out, "  -%c, --%s", o->short_name, o->name);
		else
			rp_buf_printf(out, "      --%s", o->name);
		if (o->has_arg == RP_OPTIONAL_ARG)
			rp_buf_printf(out, "[=%s]", o->arg_name ? o->arg_name : "ARG");
		else if (o->has_arg)
			rp_buf_printf(out, " %s", o->arg_name ? o->arg_name : "ARG");
		size_t col = out->len - start;
		if (col >= 30) {
			rp_buf_putc(out, '\n');
			col = 0;
		}
		wrap(out, help ? help : "", 30, col, 79);
	}
}

static void help_metric(struct rp_buf *out, const struct rp_metric_spec *m)
{
	char name[64];
	snprintf(name, sizeof name, "  %s%s", m->name, m->is_stem ? "[.NAME]" : "");
	rp_buf_printf(out, "%-28s", name);
	char text[512];
	snprintf(text, sizeof text, "%s; %s", m->help ? m->help : m->name,
	         rp_unit_describe(m->unit));
	wrap(out, text, 30, strlen(name) < 28 ? 28 : strlen(name), 79);
}

static void print_help(const struct rp_plugin_info *info)
{
	struct rp_buf out;
	rp_buf_init(&out);
	rp_buf_printf(&out, "%s - %s (readiness-plugins %s)\n\n", info->name, info->purpose,
	              PACKAGE_VERSION);
	rp_buf_printf(&out, "Usage: %s %s\n\nOptions:\n", info->name, info->synopsis);
	help_options(&out, info->options, false);
	rp_buf_puts(&out, "\nStandard options:\n");
	help_options(&out, std_options, info->test_reports);

	rp_buf_puts(&out, "\nMetrics for -w/-c (perfdata labels; METRIC=RANGE");
	if (info->primary_metric)
		rp_buf_printf(&out, ", a bare RANGE means %s", info->primary_metric);
	rp_buf_puts(&out, "):\n");
	for (const struct rp_metric_spec *m = info->metrics; m && m->name; m++)
		help_metric(&out, m);
	if (!declares(info->metrics, rp_time_metric.name))
		help_metric(&out, &rp_time_metric);
	rp_buf_puts(&out,
	            "\nThresholds are Nagios ranges, endpoints inclusive: 10 alerts outside "
	            "0..10,\n10: below 10, ~:10 above 10, 10:20 outside 10..20, @10:20 inside "
	            "10..20.\nA warning and a critical range may be given per metric.\n");
	if (info->notes)
		rp_buf_printf(&out, "\n%s", info->notes);
	if (info->examples)
		rp_buf_printf(&out, "\nExamples:\n%s", info->examples);
	rp_buf_puts(&out, "\nExit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. See also the "
	                  "man page.\n");
	rp_file_write_all(STDOUT_FILENO, out.data, out.len);
	rp_buf_free(&out);
}

static size_t count_options(const struct rp_option *o)
{
	size_t n = 0;
	while (o && o[n].name)
		n++;
	return n;
}

static void add_getopt(struct option *lo, size_t *nlo, struct rp_buf *shorts,
                       const struct rp_option *o, int val)
{
	lo[*nlo].name = o->name;
	lo[*nlo].has_arg = o->has_arg == RP_OPTIONAL_ARG ? optional_argument
	                   : o->has_arg                  ? required_argument
	                                                 : no_argument;
	lo[*nlo].flag = NULL;
	lo[*nlo].val = val;
	(*nlo)++;
	if (o->short_name) {
		rp_buf_putc(shorts, (char)o->short_name);
		if (o->has_arg)
			rp_buf_putc(shorts, ':');
	}
}

static bool format_named(const struct rp_plugin_info *info, const char *name,
                         enum rp_output_format *out)
{
	if (strcmp(name, "nagios") == 0)
		*out = RP_FORMAT_NAGIOS;
	else if (strcmp(name, "json") == 0)
		*out = RP_FORMAT_JSON;
	else if (info->test_reports && strcmp(name, "junit") == 0)
		*out = RP_FORMAT_JUNIT;
	else if (info->test_reports && strcmp(name, "tap") == 0)
		*out = RP_FORMAT_TAP;
	else if (info->test_reports && strcmp(name, "markdown") == 0)
		*out = RP_FORMAT_MARKDOWN;
	else if (info->test_reports && strcmp(name, "html") == 0)
		*out = RP_FORMAT_HTML;
	else if (strcmp(name, "prometheus") == 0)
		*out = RP_FORMAT_PROMETHEUS;
	else if (strcmp(name, "openmetrics") == 0)
		*out = RP_FORMAT_OPENMETRICS;
	else
		return false;
	return true;
}

/* The exit-code mapping (rp_cli.h): binary maps OK, and WARNING unless it
 * is to fail, to 0 and every other state to 1; --exit-ok maps all to 0. */
static bool exit_mode_named(struct rp_cli *cli, int id, const char *v)
{
	if (id == STD_EXIT_OK) {
		cli->exit_mode = RP_EXIT_ALWAYS_OK;
		cli->exit_ok_given = true;
		return true;
	}
	if (id == STD_BINARY_WARNING) {
		cli->binary_warning_given = true;
		cli->binary_warning_fails = strcmp(v, "fail") == 0;
		return strcmp(v, "ok") == 0 || strcmp(v, "fail") == 0;
	}
	if (strcmp(v, "nagios") == 0)
		cli->exit_mode = RP_EXIT_NAGIOS;
	else if (strcmp(v, "binary") == 0)
		cli->exit_mode = RP_EXIT_BINARY;
	else
		return false;
	cli->exit_codes_given = true;
	return true;
}

static bool exit_options_agree(struct rp_cli *cli)
{
	const char *problem = NULL;
	if (cli->binary_warning_given &&
	    !(cli->exit_codes_given && cli->exit_mode == RP_EXIT_BINARY))
		problem = "--binary-warning goes with --exit-codes binary";
	else if (cli->exit_ok_given && cli->exit_codes_given)
		problem = "give --exit-ok or --exit-codes, not both";
	if (problem)
		snprintf(cli->err, sizeof cli->err, "%s", problem);
	return problem == NULL;
}

/* The output format and the exit codes asked for, read before anything
 * else: a usage error must come in the format, and with the exit code,
 * that the script or container runtime reading it expects. */
static void prescan_format(struct rp_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int id;
	} early[] = { { "output-format", STD_OUTPUT_FORMAT },
		      { "exit-codes", STD_EXIT_CODES },
		      { "binary-warning", STD_BINARY_WARNING },
		      { "exit-ok", STD_EXIT_OK } };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		for (size_t k = 0; k < sizeof early / sizeof early[0]; k++) {
			size_t n = strlen(early[k].name);
			if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, early[k].name, n) != 0)
				continue;
			const char *v = NULL;
			if (a[2 + n] == '=')
				v = a + 3 + n;
			else if (a[2 + n] == '\0' && early[k].id == STD_EXIT_OK)
				v = "";
			else if (a[2 + n] == '\0' && i + 1 < argc)
				v = argv[++i];
			if (!v)
				continue;
			if (early[k].id == STD_OUTPUT_FORMAT)
				format_named(cli->info, v, &cli->format);
			else
				exit_mode_named(cli, early[k].id, v);
		}
	}
}

static bool handle_std(struct rp_cli *cli, int id, const char *arg)
{
	char why[512];
	switch (id) {
	case STD_HELP:
		print_help(cli->info);
		exit(RP_UNKNOWN);
	case STD_VERSION: {
		char line[256];
		int n = snprintf(line, sizeof line, "%s (readiness-plugins) %s\n", cli->info->name,
		                 PACKAGE_VERSION);
		rp_file_write_all(STDOUT_FILENO, line, n > 0 ? (size_t)n : 0);
		exit(RP_UNKNOWN);
	}
	case STD_VERBOSE:
		cli->verbosity++;
		return true;
	case STD_TIMEOUT:
		if (!rp_unit_parse_duration(arg, &cli->timeout, why, sizeof why)) {
			snprintf(cli->err, sizeof cli->err, "-t: %s", why);
			return false;
		}
		if (cli->timeout <= 0 || cli->timeout > RP_MAX_TIMEOUT) {
			snprintf(cli->err, sizeof cli->err,
			         "-t '%.40s': the timeout must be above 0 and at most 1 day", arg);
			return false;
		}
		cli->timeout_given = true;
		return true;
	case STD_TIMEOUT_STATE:
		if (!rp_state_parse(arg, &cli->timeout_state)) {
			snprintf(cli->err, sizeof cli->err,
			         "--timeout-state '%.40s': use ok, warning, critical or unknown",
			         arg);
			return false;
		}
		return true;
	case STD_SUMMARY_FILE:
		cli->summary_file = arg;
		return true;
	case STD_OUTPUT_FILE:
		cli->output_file = arg;
		return true;
	case STD_EXIT_CODES:
	case STD_BINARY_WARNING:
	case STD_EXIT_OK:
		if (!exit_mode_named(cli, id, arg ? arg : "")) {
			snprintf(cli->err, sizeof cli->err, "--%s '%.20s': use %s",
			         id == STD_EXIT_CODES ? "exit-codes" : "binary-warning", arg,
			         id == STD_EXIT_CODES ? "nagios or binary" : "ok or fail");
			return false;
		}
		return true;
	case STD_OUTPUT_FORMAT:
		if (!format_named(cli->info, arg, &cli->format)) {
			snprintf(cli->err, sizeof cli->err, "--output-format '%.40s': use nagios%s",
			         arg,
			         cli->info->test_reports ? ", json, junit, tap, markdown, html, "
			                                   "prometheus or openmetrics"
			                                 : ", json, prometheus or openmetrics");
			return false;
		}
		return true;
	default:
		snprintf(cli->err, sizeof cli->err, "internal error: option %d", id);
		return false;
	}
}

/* The plugin's metrics plus any named by its options. Caller frees. */
static struct rp_metric_spec *all_metrics(const struct rp_plugin_info *info, const void *cfg,
                                          const char **primary)
{
	size_t n = 0;
	while (info->metrics && info->metrics[n].name)
		n++;
	struct rp_metric_spec *specs = rp_xcalloc(n + RP_MAX_DYNAMIC_METRICS + 2, sizeof *specs);
	for (size_t i = 0; i < n; i++)
		specs[i] = info->metrics[i];
	if (!declares(info->metrics, rp_time_metric.name))
		specs[n++] = rp_time_metric;
	*primary = info->primary_metric;
	if (info->dynamic_metrics)
		info->dynamic_metrics(cfg, &specs[n], RP_MAX_DYNAMIC_METRICS, primary);
	return specs;
}

/* -w/-c are parsed after every other option, in the order given: the
 * metric names may depend on the plugin's options. */
struct pending_threshold {
	char which;
	const char *arg;
};

static bool parse_thresholds(struct rp_cli *cli, const struct pending_threshold *p, size_t n,
                             const void *cfg)
{
	const char *primary;
	cli->metrics = all_metrics(cli->info, cfg, &primary);
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++)
		ok = rp_thresholds_add(&cli->thresholds, cli->metrics, primary, p[i].which,
		                       p[i].arg, cli->err, sizeof cli->err);
	return ok;
}

static void describe_bad_option(struct rp_cli *cli, char **argv, int bad_index, int optopt_val)
{
	const char *word = bad_index > 0 ? argv[bad_index - 1] : "?";
	char *clean = rp_text_sanitize(word, strlen(word), 60);
	if (optopt_val && optopt_val < 0x1000 && word[1] != '-')
		snprintf(cli->err, sizeof cli->err, "option '-%c' is unknown or needs an argument",
		         optopt_val);
	else
		snprintf(cli->err, sizeof cli->err, "option '%s' is unknown or needs an argument",
		         clean);
	free(clean);
}

bool rp_cli_parse(struct rp_cli *cli, const struct rp_plugin_info *info, int argc, char **argv,
                  rp_option_handler handler, void *cfg)
{
	/* A monitoring engine closing our stdout must not kill us silently. */
	signal(SIGPIPE, SIG_IGN);

	memset(cli, 0, sizeof *cli);
	cli->info = info;
	cli->timeout = RP_DEFAULT_TIMEOUT;
	cli->timeout_state = RP_CRITICAL;
	cli->format = RP_FORMAT_NAGIOS;
	rp_thresholds_init(&cli->thresholds);
	prescan_format(cli, argc, argv);

	size_t nplug = count_options(info->options), nstd = count_options(std_options);
	struct option *lo = rp_xcalloc(nplug + nstd + 1, sizeof *lo);
	size_t nlo = 0;
	struct rp_buf shorts;
	rp_buf_init(&shorts);
	rp_buf_putc(&shorts, ':'); /* report a missing argument as ':' */
	for (size_t i = 0; i < nstd; i++)
		if (info->test_reports || std_options[i].id != STD_SUMMARY_FILE)
			add_getopt(lo, &nlo, &shorts, &std_options[i], std_options[i].id);
	for (size_t i = 0; i < nplug; i++)
		add_getopt(lo, &nlo, &shorts, &info->options[i], PLUGIN_OPTION_BASE + (int)i);

	bool ok = true;
	struct pending_threshold *pending = rp_xcalloc((size_t)argc + 1, sizeof *pending);
	size_t npending = 0;
	opterr = 0;
	optind = 1;
	for (;;) {
		int c = getopt_long(argc, argv, shorts.data, lo, NULL);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			describe_bad_option(cli, argv, optind, optopt);
			ok = false;
			break;
		}
		if (c == STD_WARNING || c == STD_CRITICAL) {
			pending[npending].which = (char)c;
			pending[npending++].arg = optarg;
			continue;
		}
		if (c >= PLUGIN_OPTION_BASE) {
			const struct rp_option *o = &info->options[c - PLUGIN_OPTION_BASE];
			/* Short plugin options arrive as their letter; map below. */
			if (!handler(cfg, o->id, optarg, cli->err, sizeof cli->err)) {
				ok = false;
				break;
			}
			continue;
		}
		bool is_std = false;
		for (size_t i = 0; i < nstd; i++)
			if (std_options[i].id == c)
				is_std = true;
		if (is_std) {
			if (!handle_std(cli, c, optarg)) {
				ok = false;
				break;
			}
			continue;
		}
		/* A plugin's short option letter. */
		bool found = false;
		for (size_t i = 0; i < nplug; i++) {
			if (info->options[i].short_name == c) {
				found = true;
				if (!handler(cfg, info->options[i].id, optarg, cli->err,
				             sizeof cli->err))
					ok = false;
				break;
			}
		}
		if (!found) {
			snprintf(cli->err, sizeof cli->err, "option '-%c' is not handled", c);
			ok = false;
		}
		if (!ok)
			break;
	}
	if (ok)
		ok = parse_thresholds(cli, pending, npending, cfg);
	if (ok)
		ok = exit_options_agree(cli);
	free(pending);
	if (ok && optind < argc) {
		char *clean = rp_text_sanitize(argv[optind], strlen(argv[optind]), 60);
		snprintf(cli->err, sizeof cli->err,
		         "unexpected argument '%s': this plugin takes options only", clean);
		free(clean);
		ok = false;
	}
	free(lo);
	rp_buf_free(&shorts);
	if (ok) {
		rp_deadline_start(&cli->deadline, cli->timeout);
		rp_deadline_backstop_arm(cli->timeout, info->label, cli->timeout_state,
		                         rp_cli_exit_code(cli, cli->timeout_state));
	}
	return ok;
}

/* A usage error as the report asked for (JSON, JUnit, TAP): UNKNOWN with
 * the error as its summary. */
static _Noreturn void usage_error_report(struct rp_cli *cli)
{
	struct rp_check *root = rp_check_new();
	rp_check_set_text(root, "%s", cli->err);
	rp_check_set_name(root, "usage");
	rp_check_add(root, RP_UNKNOWN, "%s", cli->err);
	rp_check_note(root, "usage: %s %s", cli->info->name, cli->info->synopsis);
	exit(rp_cli_render(cli, root));
}

void rp_cli_set_timeout(struct rp_cli *cli, double seconds)
{
	cli->timeout = seconds;
	rp_deadline_start(&cli->deadline, seconds);
	rp_deadline_backstop_arm(seconds, cli->info->label, cli->timeout_state,
	                         rp_cli_exit_code(cli, cli->timeout_state));
}

_Noreturn void rp_cli_usage_error(struct rp_cli *cli)
{
	rp_deadline_backstop_disarm();
	if (cli->format != RP_FORMAT_NAGIOS)
		usage_error_report(cli);
	struct rp_buf out;
	rp_buf_init(&out);
	rp_buf_printf(&out, "%s UNKNOWN - ", cli->info->label);
	rp_text_sanitize_into(&out, cli->err, strlen(cli->err), 400);
	rp_buf_printf(&out, "\nUsage: %s ", cli->info->name);
	/* A '|' would start perfdata for an engine reading this output. */
	for (const char *p = cli->info->synopsis; *p; p++)
		rp_buf_putc(&out, *p == '|' ? '/' : *p);
	rp_buf_printf(&out, "\nTry '%s --help' for more.\n", cli->info->name);
	rp_file_write_all(STDOUT_FILENO, out.data, out.len);
	rp_buf_free(&out);
	int code = rp_cli_exit_code(cli, RP_UNKNOWN);
	rp_cli_free(cli);
	exit(code);
}

_Noreturn void rp_cli_fail(struct rp_cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cli->err, sizeof cli->err, fmt, ap);
	va_end(ap);
	rp_cli_usage_error(cli);
}

_Noreturn void rp_cli_finish(struct rp_cli *cli, struct rp_check *root)
{
	exit(rp_cli_render(cli, root));
}

/* Appends text to a file the admin named for reports: created if need be,
 * never a FIFO or a device (opening one could block the run). */
static bool append_report(const char *path, const struct rp_buf *text, char *why, size_t len)
{
	int fd =
	        open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
	struct stat st;
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	          rp_file_write_all(fd, text->data, text->len);
	if (!ok) {
		struct stat pst;
		bool odd = (fd >= 0 && !S_ISREG(st.st_mode)) ||
		           (stat(path, &pst) == 0 && !S_ISREG(pst.st_mode));
		snprintf(why, len, "%s", odd ? "not a regular file" : strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/* --output-file: the whole output or nothing, for a reader such as
 * node_exporter's textfile collector that may read at any moment: a
 * temporary file beside it, written, flushed and renamed over it. */
static bool replace_file(const char *path, const struct rp_buf *text, char *why, size_t len)
{
	char *tmp = rp_xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 && fchmod(fd, 0644) == 0 &&
	          rp_file_write_all(fd, text->data, text->len) && fsync(fd) == 0;
	int err = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		snprintf(why, len, "%s", strerror(err));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return ok;
}

/* --summary-file, or $GITHUB_STEP_SUMMARY for a Markdown report: the
 * report is appended there too; a failure is a WARNING in the run. */
static void write_summary_file(const struct rp_cli *cli, struct rp_check *root)
{
	const char *path = cli->summary_file;
	if (!path && cli->format == RP_FORMAT_MARKDOWN)
		path = getenv("GITHUB_STEP_SUMMARY");
	if (!path || !*path)
		return;
	struct rp_render_opts o = { .plugin = cli->info->name,
		                    .label = cli->info->label,
		                    .format = RP_FORMAT_MARKDOWN };
	struct rp_buf md;
	rp_buf_init(&md);
	rp_render(root, &o, &md);
	char why[200];
	if (!append_report(path, &md, why, sizeof why)) {
		const char *shown = rp_check_clean(root, path, 120);
		rp_check_add(root, RP_WARNING, "cannot append the report to %s: %s", shown, why);
	}
	rp_buf_free(&md);
}

int rp_cli_render(struct rp_cli *cli, struct rp_check *root)
{
	struct rp_render_opts o = {
		.plugin = cli->info->name,
		.label = cli->info->label,
		.verbosity = cli->verbosity,
		.format = cli->format,
		/* a usage error comes before the deadline starts */
		.started = (double)time(NULL) -
		           (cli->deadline.seconds > 0 ? rp_deadline_elapsed(&cli->deadline) : 0),
	};
	struct rp_buf out;
	rp_buf_init(&out);
	/* Rendering is fast and must not race the backstop's own line. */
	rp_deadline_backstop_disarm();
	write_summary_file(cli, root);
	rp_render(root, &o, &out);
	int code = rp_cli_exit_code(cli, rp_check_state(root));
	char why[200];
	if (!cli->output_file) {
		rp_file_write_all(STDOUT_FILENO, out.data, out.len);
	} else if (!replace_file(cli->output_file, &out, why, sizeof why)) {
		/* the output did not reach its reader: that is this run's news */
		struct rp_buf line;
		rp_buf_init(&line);
		rp_buf_printf(&line, "%s UNKNOWN - cannot write the output to ", cli->info->label);
		rp_text_sanitize_into(&line, cli->output_file, strlen(cli->output_file), 200);
		rp_buf_printf(&line, ": %s\n", why);
		rp_file_write_all(STDOUT_FILENO, line.data, line.len);
		rp_buf_free(&line);
		code = rp_cli_exit_code(cli, RP_UNKNOWN);
	}
	rp_buf_free(&out);
	rp_check_free(root);
	rp_cli_free(cli);
	return code;
}

int rp_cli_exit_code(const struct rp_cli *cli, enum rp_state st)
{
	switch (cli->exit_mode) {
	case RP_EXIT_ALWAYS_OK:
		return 0;
	case RP_EXIT_BINARY:
		return st == RP_OK || (st == RP_WARNING && !cli->binary_warning_fails) ? 0 : 1;
	case RP_EXIT_NAGIOS:
		break;
	}
	return (int)st;
}

void rp_cli_free(struct rp_cli *cli)
{
	rp_thresholds_free(&cli->thresholds);
	free(cli->metrics);
	cli->metrics = NULL;
}
