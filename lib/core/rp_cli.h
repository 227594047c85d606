/* rp_cli.h: the command line every plugin shares.
 *
 * Reserved options, the same in every plugin: -h/--help, -V/--version,
 * -v/--verbose (repeatable), -t/--timeout DURATION (default 10 s),
 * --timeout-state STATE, -w/--warning and -c/--critical ([METRIC=]RANGE,
 * repeatable), --output-format nagios|json. A plugin adds its own options
 * as a table and receives them through a handler; positional arguments are
 * refused. --help and --version exit 3 (UNKNOWN), as the contract says.
 *
 * Flow: rp_cli_parse -> (plugin validates, may call rp_cli_fail) ->
 * probe with cli.deadline -> evaluate -> rp_cli_finish(cli, root). */
#ifndef RP_CLI_H
#define RP_CLI_H

#include "rp_check.h"
#include "rp_deadline.h"
#include "rp_file.h"
#include "rp_render.h"
#include "rp_thresholds.h"

#include <stdbool.h>
#include <stddef.h>

/* has_arg: false (none), true (required), or RP_OPTIONAL_ARG, which may be
 * left out (--follow or --follow=5; the handler gets NULL without one). */
#define RP_OPTIONAL_ARG 2

struct rp_option {
	const char *name; /* long name, without "--" */
	int short_name;   /* 0 when there is none */
	int has_arg;
	const char *arg_name; /* "PATH", shown in --help */
	const char *help;
	int id; /* handed to the plugin's handler */
};

struct rp_plugin_info {
	const char *name;                     /* "check_sqlite" */
	const char *label;                    /* "SQLITE", first word of line 1 */
	const char *purpose;                  /* one line */
	const char *synopsis;                 /* after the program name in "Usage:" */
	const struct rp_option *options;      /* ends with { NULL } */
	const struct rp_metric_spec *metrics; /* ends with { NULL } */
	const char *primary_metric;           /* for a bare -w/-c RANGE, or NULL */
	const char *notes;                    /* more paragraphs for --help, or NULL */
	const char *examples;                 /* lines of examples, or NULL */
	bool test_reports;                    /* --output-format junit and tap too */
	/* Optional: metrics named by the plugin's own options (a --label).
	 * Called after all options are read, before -w/-c are parsed; may fill
	 * up to max specs of extra, returning how many, and replace *primary. */
	size_t (*dynamic_metrics)(const void *cfg, struct rp_metric_spec *extra, size_t max,
	                          const char **primary);
};

typedef bool (*rp_option_handler)(void *cfg, int id, const char *arg, char *err, size_t errlen);

/* How many metrics a plugin's options may name (dynamic_metrics). */
#define RP_MAX_DYNAMIC_METRICS 64

#define RP_DEFAULT_TIMEOUT 10.0
#define RP_MAX_TIMEOUT     86400.0

/* How states become exit codes: Nagios' 0-3; binary for container health
 * checks (Docker reads 2 as reserved; a distroless image has no shell for
 * "|| exit 1"): 0 for OK and, unless --binary-warning fail, WARNING, 1
 * otherwise; or always 0 (--exit-ok) for collectors that read the state
 * from the output. --help and --version exit 3 in every mode. */
enum rp_exit_mode { RP_EXIT_NAGIOS = 0, RP_EXIT_BINARY, RP_EXIT_ALWAYS_OK };

struct rp_cli {
	const struct rp_plugin_info *info;
	enum rp_exit_mode exit_mode;
	bool exit_codes_given, exit_ok_given, binary_warning_given, binary_warning_fails;
	const char *summary_file; /* --summary-file (plugins with test reports) */
	const char *output_file;  /* --output-file: the output goes there, not stdout */
	int verbosity;
	double timeout;
	bool timeout_given; /* -t was on the command line */
	enum rp_state timeout_state;
	enum rp_output_format format;
	struct rp_thresholds thresholds;
	struct rp_metric_spec *metrics; /* the plugin's, its options', 'time'; {NULL}-ended */
	struct rp_deadline deadline;
	double elapsed; /* seconds from the deadline's start to the probe's end */
	char err[1024];
};

/* Restarts the run's deadline at seconds from now, with its backstop: for
 * a plugin whose own input sets its time (a manifest's timeouts). */
void rp_cli_set_timeout(struct rp_cli *cli, double seconds);

/* Parses argv. --help/--version print and exit 3. Returns false with
 * cli->err set on any usage error; then call rp_cli_usage_error. On success
 * the deadline is running and the backstop is armed. */
bool rp_cli_parse(struct rp_cli *cli, const struct rp_plugin_info *info, int argc, char **argv,
                  rp_option_handler handler, void *cfg);

/* "LABEL UNKNOWN - <err>", a short usage, exit 3. */
_Noreturn void rp_cli_usage_error(struct rp_cli *cli);
/* Sets the error text and calls rp_cli_usage_error. */
_Noreturn void rp_cli_fail(struct rp_cli *cli, const char *fmt, ...) RP_PRINTF(2, 3);

/* The exit code of a state under the mapping the command line chose. */
int rp_cli_exit_code(const struct rp_cli *cli, enum rp_state st);

/* Renders root in the chosen format, writes it to stdout in one go, frees
 * root and cli, and returns the exit code of its state (rp_cli_exit_code). */
int rp_cli_render(struct rp_cli *cli, struct rp_check *root);
/* The same, then exits with the state. */
_Noreturn void rp_cli_finish(struct rp_cli *cli, struct rp_check *root);

/* The metric every plugin has: the check's own duration, recorded by the
 * runtime (rp_run.h). */
extern const struct rp_metric_spec rp_time_metric;

void rp_cli_free(struct rp_cli *cli);

#endif
