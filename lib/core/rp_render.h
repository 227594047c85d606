/* rp_render.h: the two output formats of every plugin.
 *
 * nagios (default):
 *   LABEL STATE - summary | 'perf'=1;2;3;0;
 *   [STATE] sub-check text          (worst first, then insertion order)
 *     [STATE] nested sub-check text (two spaces per level)
 *
 * json (--output-format json): one object, schema_version 1:
 *   { "schema_version": 1, "plugin": "check_x", "label": "X",
 *     "state": 0-3, "state_text": "OK", "summary": "...",
 *     "checks": [ { "state", "state_text", "text", "detail"?, "checks"? } ],
 *     "perfdata": [ { "label", "value" (null for U), "uom", "warn", "crit",
 *                     "min", "max" } ] }     (absent fields are null)
 *
 * junit and tap (plugins that report many checks, --output-format
 * junit|tap): the checks as tests, for CI systems. Leaves are test cases;
 * a top-level check with sub-checks is a JUnit testsuite (a TAP name
 * prefix). WARNING and CRITICAL are failures, UNKNOWN an error; a check's
 * name (rp_check_set_name) is its test name, else its text. In JUnit the
 * failure's text is in its message and its body (GitLab reads only the
 * body), a test case has its time when known, its detail lines go to
 * <system-out>, and each suite has the run's timestamp.
 *
 * markdown (the same plugins): GitHub-flavoured Markdown for a CI summary
 * or a pull request: "### LABEL STATE", the summary, a table of the
 * top-level checks (check, state, summary), then a table per group.
 * Cells are escaped: no input adds a column, a link or markup.
 *
 * Every text goes through rp_text_sanitize on the way out, so no input can
 * split a line or start perfdata. See readiness-plugins(7). */
#ifndef RP_RENDER_H
#define RP_RENDER_H

#include "rp_check.h"
#include "rp_util.h"

enum rp_output_format {
	RP_FORMAT_NAGIOS = 0,
	RP_FORMAT_JSON,
	RP_FORMAT_JUNIT, /* for plugins that report many checks (check_readiness) */
	RP_FORMAT_TAP,
	RP_FORMAT_MARKDOWN,   /* the same plugins: a report for CI summaries */
	RP_FORMAT_PROMETHEUS, /* every plugin: rp_render_prom.h */
	RP_FORMAT_HTML,       /* plugins with test reports: rp_render_html.h */
	RP_FORMAT_OPENMETRICS,
};

#define RP_JSON_SCHEMA_VERSION 1
#define RP_SUMMARY_MAX         200
/* Lines of long output at most (then "... and N more lines"). */
#define RP_LONG_LINES_MAX 1000

struct rp_render_opts {
	const char *plugin; /* "check_sqlite" */
	const char *label;  /* "SQLITE" */
	int verbosity;
	enum rp_output_format format;
	double started; /* the run's start, unix seconds (JUnit's timestamp); 0: unknown */
};

/* The summary shown on line 1: the root's text, else the worst children's. */
char *rp_render_summary(const struct rp_check *root);
void rp_render(const struct rp_check *root, const struct rp_render_opts *o, struct rp_buf *out);

#endif
