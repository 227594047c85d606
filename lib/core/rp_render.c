#include "rp_render.h"
#include "rp_render_html.h"
#include "rp_render_impl.h"
#include "rp_render_prom.h"
#include "rp_text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RP_LINE_MAX 1000

char *rp_render_summary(const struct rp_check *root)
{
	if (root->text && *root->text)
		return rp_xstrdup(root->text);
	if (root->nkids == 0)
		return rp_xstrdup("no checks were performed");
	return rp_check_worst_texts(root, 160);
}

/* Child indexes ordered worst first, the skipped last; equal states keep
 * insertion order. */
size_t *rp_render_order_children(const struct rp_check *c)
{
	size_t *idx = rp_xreallocarray(NULL, c->nkids ? c->nkids : 1, sizeof *idx);
	size_t n = 0;
	for (int sev = 3; sev >= -1; sev--)
		for (size_t i = 0; i < c->nkids; i++) {
			const struct rp_check *k = c->kids[i];
			if (k->skipped ? sev == -1 : rp_state_severity(rp_check_state(k)) == sev)
				idx[n++] = i;
		}
	return idx;
}

/* "[CRITICAL] ", or "[SKIPPED] " for a check that was not run */
static void state_tag(struct rp_buf *out, const struct rp_check *k)
{
	rp_buf_printf(out, "[%s] ", k->skipped ? "SKIPPED" : rp_state_text(rp_check_state(k)));
}

/* The long output's bound: 200,000 findings must not become 15 MB that an
 * engine stores with every check result. */
struct long_budget {
	size_t shown, left_out;
};

static size_t count_shown(const struct rp_check *c, int verbosity)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nkids; i++)
		if (c->kids[i]->min_verbosity <= verbosity)
			n += 1 + count_shown(c->kids[i], verbosity);
	return n;
}

static void render_long(const struct rp_check *c, int depth, int verbosity, struct rp_buf *out,
                        struct long_budget *b)
{
	size_t *idx = rp_render_order_children(c);
	for (size_t j = 0; j < c->nkids; j++) {
		const struct rp_check *k = c->kids[idx[j]];
		if (k->min_verbosity > verbosity)
			continue;
		if (b->shown >= RP_LONG_LINES_MAX) {
			b->left_out += 1 + count_shown(k, verbosity);
			continue;
		}
		b->shown++;
		for (int d = 0; d < depth; d++)
			rp_buf_puts(out, "  ");
		state_tag(out, k);
		const char *t = k->text ? k->text : "";
		rp_text_sanitize_into(out, t, strlen(t), RP_LINE_MAX);
		rp_buf_putc(out, '\n');
		render_long(k, depth + 1, verbosity, out, b);
	}
	free(idx);
}

static void render_nagios(const struct rp_check *root, const struct rp_render_opts *o,
                          struct rp_buf *out)
{
	enum rp_state st = rp_check_state(root);
	char *summary = rp_render_summary(root);
	size_t start = out->len;
	rp_buf_printf(out, "%s %s - ", o->label, rp_state_text(st));
	/* Line 1 before the perfdata stays within 200 characters in all. */
	size_t prefix = out->len - start;
	rp_text_sanitize_into(out, summary, strlen(summary),
	                      prefix + 20 < RP_SUMMARY_MAX ? RP_SUMMARY_MAX - prefix - 3 : 20);
	free(summary);

	struct rp_perf_list all;
	rp_perf_list_init(&all);
	rp_check_collect_perf(root, &all);
	if (all.n) {
		rp_buf_puts(out, " | ");
		rp_perf_list_format(&all, out);
	}
	rp_perf_list_free(&all);
	rp_buf_putc(out, '\n');
	struct long_budget b = { 0, 0 };
	render_long(root, 0, o->verbosity, out, &b);
	if (b.left_out)
		rp_buf_printf(out, "... and %zu more lines (the long output stops at %d)\n",
		              b.left_out, RP_LONG_LINES_MAX);
}

static void json_key(struct rp_buf *out, const char *key)
{
	rp_text_json_string(out, key);
	rp_buf_putc(out, ':');
}

static void json_sanitized(struct rp_buf *out, const char *s, size_t max)
{
	char *clean = rp_text_sanitize(s ? s : "", s ? strlen(s) : 0, max);
	rp_text_json_string(out, clean);
	free(clean);
}

static void json_checks(const struct rp_check *c, struct rp_buf *out, struct long_budget *b)
{
	size_t *idx = rp_render_order_children(c);
	rp_buf_putc(out, '[');
	size_t written = 0;
	for (size_t j = 0; j < c->nkids; j++) {
		const struct rp_check *k = c->kids[idx[j]];
		if (b->shown >= RP_LONG_LINES_MAX) {
			b->left_out += 1 + count_shown(k, INT_MAX);
			continue;
		}
		b->shown++;
		enum rp_state st = rp_check_state(k);
		if (written++)
			rp_buf_putc(out, ',');
		rp_buf_printf(out, "{\"state\":%d,\"state_text\":\"%s\",", (int)st,
		              rp_state_text(st));
		if (k->name) {
			json_key(out, "name");
			json_sanitized(out, k->name, 200);
			rp_buf_putc(out, ',');
		}
		json_key(out, "text");
		json_sanitized(out, k->text, RP_LINE_MAX);
		if (k->min_verbosity > 0)
			rp_buf_printf(out, ",\"detail\":%d", k->min_verbosity);
		if (k->note)
			rp_buf_puts(out, ",\"note\":true");
		if (k->skipped)
			rp_buf_puts(out, ",\"skipped\":true");
		if (k->nkids) {
			rp_buf_puts(out, ",\"checks\":");
			json_checks(k, out, b);
		}
		rp_buf_putc(out, '}');
	}
	rp_buf_putc(out, ']');
	free(idx);
}

static void json_opt_string(struct rp_buf *out, const char *s)
{
	if (s && *s)
		rp_text_json_string(out, s);
	else
		rp_buf_puts(out, "null");
}

static void json_perf(const struct rp_perf *p, struct rp_buf *out)
{
	rp_buf_putc(out, '{');
	json_key(out, "label");
	rp_text_json_string(out, p->label);
	rp_buf_putc(out, ',');
	json_key(out, "value");
	if (p->unknown)
		rp_buf_puts(out, "null");
	else
		rp_text_json_number(out, p->value);
	rp_buf_putc(out, ',');
	json_key(out, "uom");
	rp_text_json_string(out, p->uom);
	rp_buf_putc(out, ',');
	json_key(out, "warn");
	json_opt_string(out, p->warn);
	rp_buf_putc(out, ',');
	json_key(out, "crit");
	json_opt_string(out, p->crit);
	rp_buf_putc(out, ',');
	json_key(out, "min");
	if (p->has_min)
		rp_text_json_number(out, p->min);
	else
		rp_buf_puts(out, "null");
	rp_buf_putc(out, ',');
	json_key(out, "max");
	if (p->has_max)
		rp_text_json_number(out, p->max);
	else
		rp_buf_puts(out, "null");
	rp_buf_putc(out, '}');
}

static void render_json(const struct rp_check *root, const struct rp_render_opts *o,
                        struct rp_buf *out)
{
	enum rp_state st = rp_check_state(root);
	char *summary = rp_render_summary(root);
	rp_buf_printf(out, "{\"schema_version\":%d,", RP_JSON_SCHEMA_VERSION);
	json_key(out, "plugin");
	rp_text_json_string(out, o->plugin);
	rp_buf_putc(out, ',');
	json_key(out, "label");
	rp_text_json_string(out, o->label);
	rp_buf_printf(out, ",\"state\":%d,\"state_text\":\"%s\",", (int)st, rp_state_text(st));
	json_key(out, "summary");
	json_sanitized(out, summary, RP_SUMMARY_MAX);
	free(summary);
	rp_buf_puts(out, ",\"checks\":");
	struct long_budget b = { 0, 0 };
	json_checks(root, out, &b);
	if (b.left_out)
		rp_buf_printf(out, ",\"checks_left_out\":%zu", b.left_out);
	rp_buf_puts(out, ",\"perfdata\":[");
	struct rp_perf_list all;
	rp_perf_list_init(&all);
	rp_check_collect_perf(root, &all);
	for (size_t i = 0; i < all.n; i++) {
		if (i)
			rp_buf_putc(out, ',');
		json_perf(&all.items[i], out);
	}
	rp_perf_list_free(&all);
	rp_buf_puts(out, "]}\n");
}

/* ------------------------------------------------------- JUnit and TAP */

void rp_render_xml_text(struct rp_buf *out, const char *s, size_t max)
{
	char *clean = rp_text_sanitize(s ? s : "", s ? strlen(s) : 0, max);
	for (const char *p = clean; *p; p++) {
		switch (*p) {
		case '&':
			rp_buf_puts(out, "&amp;");
			break;
		case '<':
			rp_buf_puts(out, "&lt;");
			break;
		case '>':
			rp_buf_puts(out, "&gt;");
			break;
		case '"':
			rp_buf_puts(out, "&quot;");
			break;
		case '\'':
			rp_buf_puts(out, "&apos;");
			break;
		default:
			rp_buf_putc(out, *p);
		}
	}
	free(clean);
}

const char *rp_render_name_of(const struct rp_check *c)
{
	return c->name ? c->name : c->text ? c->text : "check";
}

/* Detail lines and notes are not tests. */
bool rp_render_is_test(const struct rp_check *c)
{
	return c->min_verbosity == 0 && !c->note;
}

bool rp_render_has_tests(const struct rp_check *c)
{
	for (size_t i = 0; i < c->nkids; i++)
		if (rp_render_is_test(c->kids[i]))
			return true;
	return false;
}

/* The test cases under c, by outcome: WARNING and CRITICAL fail, UNKNOWN
 * is an error, a skipped check is neither. */
struct leaf_counts {
	size_t tests, failures, errors, skipped;
};

static void count_leaves(const struct rp_check *c, struct leaf_counts *n)
{
	for (size_t i = 0; i < c->nkids; i++) {
		const struct rp_check *k = c->kids[i];
		if (!rp_render_is_test(k))
			continue;
		if (rp_render_has_tests(k)) {
			count_leaves(k, n);
			continue;
		}
		enum rp_state st = rp_check_state(k);
		n->tests++;
		if (k->skipped)
			n->skipped++;
		else if (st == RP_UNKNOWN)
			n->errors++;
		else if (st != RP_OK)
			n->failures++;
	}
}

static void junit_counts(struct rp_buf *out, const struct rp_check *c)
{
	struct leaf_counts n = { 0, 0, 0, 0 };
	count_leaves(c, &n);
	rp_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"",
	              n.tests, n.failures, n.errors, n.skipped);
}

/* A test case's detail lines, for <system-out>. */
static void junit_details(const struct rp_check *c, int depth, struct rp_buf *out, size_t *lines)
{
	for (size_t i = 0; i < c->nkids && *lines < RP_LONG_LINES_MAX; i++) {
		const struct rp_check *k = c->kids[i];
		(*lines)++;
		for (int d = 0; d < depth; d++)
			rp_buf_puts(out, "  ");
		state_tag(out, k);
		rp_render_xml_text(out, k->text, RP_LINE_MAX);
		rp_buf_putc(out, '\n');
		junit_details(k, depth + 1, out, lines);
	}
}

static void junit_case(const struct rp_check *k, const char *suite, struct rp_buf *out)
{
	enum rp_state st = rp_check_state(k);
	rp_buf_puts(out, "    <testcase classname=\"");
	rp_render_xml_text(out, suite, 200);
	rp_buf_puts(out, "\" name=\"");
	rp_render_xml_text(out, rp_render_name_of(k), 200);
	rp_buf_puts(out, "\"");
	if (k->timed) {
		char num[RP_NUMBUF];
		rp_buf_printf(out, " time=\"%s\"", rp_number_format(k->seconds, num));
	}
	if (st == RP_OK && k->nkids == 0) {
		rp_buf_puts(out, "/>\n");
		return;
	}
	rp_buf_puts(out, ">\n");
	if (k->skipped) {
		rp_buf_puts(out, "      <skipped message=\"");
		rp_render_xml_text(out, k->text, RP_LINE_MAX);
		rp_buf_puts(out, "\"/>\n");
	} else if (st != RP_OK) {
		const char *tag = st == RP_UNKNOWN ? "error" : "failure";
		rp_buf_printf(out, "      <%s type=\"%s\" message=\"", tag, rp_state_text(st));
		rp_render_xml_text(out, k->text, RP_LINE_MAX);
		rp_buf_puts(out, "\">");
		rp_render_xml_text(out, k->text, RP_LINE_MAX);
		rp_buf_printf(out, "</%s>\n", tag);
	}
	if (k->nkids) {
		size_t lines = 0;
		rp_buf_puts(out, "      <system-out>");
		junit_details(k, 0, out, &lines);
		rp_buf_puts(out, "</system-out>\n");
	}
	rp_buf_puts(out, "    </testcase>\n");
}

/* ISO 8601 in UTC, as JUnit readers expect ("2026-11-30T12:00:00"). */
static void junit_timestamp(struct rp_buf *out, double started)
{
	if (started <= 0)
		return;
	time_t t = (time_t)started;
	struct tm tm;
	char buf[32];
	if (gmtime_r(&t, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm))
		rp_buf_printf(out, " timestamp=\"%s\"", buf);
}

static void junit_suite(const struct rp_check *s, const char *name, double started,
                        struct rp_buf *out)
{
	rp_buf_puts(out, "  <testsuite name=\"");
	rp_render_xml_text(out, name, 200);
	rp_buf_putc(out, '"');
	junit_counts(out, s);
	junit_timestamp(out, started);
	rp_buf_puts(out, ">\n");
	for (size_t i = 0; i < s->nkids; i++)
		if (rp_render_is_test(s->kids[i]))
			junit_case(s->kids[i], name, out);
	rp_buf_puts(out, "  </testsuite>\n");
}

static void render_junit(const struct rp_check *root, const struct rp_render_opts *o,
                         struct rp_buf *out)
{
	rp_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
	rp_render_xml_text(out, o->plugin, 100);
	rp_buf_putc(out, '"');
	junit_counts(out, root);
	rp_buf_puts(out, ">\n");
	/* top-level checks with sub-checks are suites; the rest share one */
	struct rp_check loose = { 0 };
	for (size_t i = 0; i < root->nkids; i++) {
		const struct rp_check *k = root->kids[i];
		if (!rp_render_is_test(k))
			continue;
		if (rp_render_has_tests(k))
			junit_suite(k, rp_render_name_of(k), o->started, out);
		else
			loose.nkids++;
	}
	if (loose.nkids) {
		loose.kids = rp_xcalloc(loose.nkids, sizeof *loose.kids);
		loose.nkids = 0;
		for (size_t i = 0; i < root->nkids; i++)
			if (!rp_render_has_tests(root->kids[i]) && rp_render_is_test(root->kids[i]))
				loose.kids[loose.nkids++] = root->kids[i];
		junit_suite(&loose, o->plugin, o->started, out);
		free(loose.kids);
	}
	rp_buf_puts(out, "</testsuites>\n");
}

static void tap_lines(const struct rp_check *c, const char *prefix, size_t *n, struct rp_buf *out)
{
	for (size_t i = 0; i < c->nkids; i++) {
		const struct rp_check *k = c->kids[i];
		if (!rp_render_is_test(k))
			continue;
		if (rp_render_has_tests(k)) {
			char *p = rp_xasprintf("%s%s/", prefix, rp_render_name_of(k));
			tap_lines(k, p, n, out);
			free(p);
			continue;
		}
		enum rp_state st = k->skipped ? RP_OK : rp_check_state(k);
		rp_buf_printf(out, "%sok %zu - ", st == RP_OK ? "" : "not ", ++*n);
		/* the state as words, not after '#': that starts a TAP directive */
		char *line = rp_xasprintf("%s%s%s%s", st == RP_OK ? "" : "[",
		                          st == RP_OK ? "" : rp_state_text(st),
		                          st == RP_OK ? "" : "] ", prefix);
		char *text = rp_xasprintf("%s%s", line, k->text ? k->text : rp_render_name_of(k));
		for (char *p = text; *p; p++)
			if (*p == '#')
				*p = '_';
		rp_text_sanitize_into(out, text, strlen(text), RP_LINE_MAX);
		free(text);
		free(line);
		/* TAP's own word for a test not run */
		if (k->skipped)
			rp_buf_puts(out, " # SKIP");
		rp_buf_putc(out, '\n');
	}
}

static void render_tap(const struct rp_check *root, struct rp_buf *out)
{
	struct leaf_counts counts = { 0, 0, 0, 0 };
	count_leaves(root, &counts);
	rp_buf_printf(out, "TAP version 13\n1..%zu\n", counts.tests);
	size_t n = 0;
	tap_lines(root, "", &n, out);
}

/* ------------------------------------------------------------ Markdown */

/* Text for a Markdown table cell: sanitised, one line, with Markdown's and
 * HTML's special characters escaped, so no input can add a column, a link
 * or markup to a CI summary page. */
static void md_text(struct rp_buf *out, const char *s, size_t max)
{
	char *clean = rp_text_sanitize(s ? s : "", s ? strlen(s) : 0, max);
	for (const char *p = clean; *p; p++) {
		if (*p == '<')
			rp_buf_puts(out, "&lt;");
		else if (*p == '>')
			rp_buf_puts(out, "&gt;");
		else if (*p == '&')
			rp_buf_puts(out, "&amp;");
		else {
			if (strchr("\\|*_`[]~", *p))
				rp_buf_putc(out, '\\');
			rp_buf_putc(out, *p);
		}
	}
	free(clean);
}

/* A check's text without the "name: " it starts with (the name has its
 * own column). */
const char *rp_render_own_text(const struct rp_check *k)
{
	const char *t = k->text ? k->text : "";
	size_t n = k->name ? strlen(k->name) : 0;
	if (n && strncmp(t, k->name, n) == 0 && t[n] == ':' && t[n + 1] == ' ')
		return t + n + 2;
	return t;
}

static void md_state(struct rp_buf *out, const struct rp_check *k)
{
	enum rp_state st = rp_check_state(k);
	if (k->skipped)
		rp_buf_puts(out, "skipped");
	else
		rp_buf_printf(out, st == RP_OK ? "%s" : "**%s**", rp_state_text(st));
}

/* One table: the checks under c (the ones that are tests), worst first. */
static void md_table(const struct rp_check *c, const char *first_column, bool only_leaves,
                     struct rp_buf *out)
{
	size_t *idx = rp_render_order_children(c);
	rp_buf_printf(out, "| %s | state | summary |\n|---|---|---|\n", first_column);
	for (size_t j = 0; j < c->nkids && j < RP_LONG_LINES_MAX; j++) {
		const struct rp_check *k = c->kids[idx[j]];
		if (!rp_render_is_test(k) || (only_leaves && rp_render_has_tests(k)))
			continue;
		/* an unnamed check is its text: the summary column has it */
		rp_buf_puts(out, "| ");
		md_text(out, k->name ? k->name : "", 80);
		rp_buf_puts(out, " | ");
		md_state(out, k);
		rp_buf_puts(out, " | ");
		md_text(out, rp_render_own_text(k), 300);
		rp_buf_puts(out, " |\n");
	}
	rp_buf_putc(out, '\n');
	free(idx);
}

/* The report a person reads in a CI summary or a pull request: the
 * verdict and its summary (a score, the blockers), a table of the
 * top-level checks, then a table per group of checks (a category). */
static void render_markdown(const struct rp_check *root, const struct rp_render_opts *o,
                            struct rp_buf *out)
{
	enum rp_state st = rp_check_state(root);
	char *summary = rp_render_summary(root);
	rp_buf_printf(out, "### %s %s\n\n", o->label, rp_state_text(st));
	md_text(out, summary, RP_LINE_MAX);
	rp_buf_puts(out, "\n\n");
	free(summary);
	/* a manifest's categories, or one plugin's checks */
	bool groups = root->nkids > 0;
	for (size_t i = 0; i < root->nkids; i++)
		if (rp_render_is_test(root->kids[i]) && !rp_render_has_tests(root->kids[i]))
			groups = false;
	if (root->nkids)
		md_table(root, groups ? "category" : "check", false, out);
	size_t *idx = rp_render_order_children(root);
	for (size_t j = 0; j < root->nkids; j++) {
		const struct rp_check *k = root->kids[idx[j]];
		if (!rp_render_is_test(k) || !rp_render_has_tests(k))
			continue;
		rp_buf_puts(out, "#### ");
		md_text(out, rp_render_name_of(k), 80);
		rp_buf_puts(out, ": ");
		md_state(out, k);
		rp_buf_puts(out, "\n\n");
		md_table(k, "check", false, out);
	}
	free(idx);
}

void rp_render(const struct rp_check *root, const struct rp_render_opts *o, struct rp_buf *out)
{
	switch (o->format) {
	case RP_FORMAT_JSON:
		render_json(root, o, out);
		break;
	case RP_FORMAT_JUNIT:
		render_junit(root, o, out);
		break;
	case RP_FORMAT_TAP:
		render_tap(root, out);
		break;
	case RP_FORMAT_MARKDOWN:
		render_markdown(root, o, out);
		break;
	case RP_FORMAT_HTML:
		rp_render_html(root, o, out);
		break;
	case RP_FORMAT_PROMETHEUS:
	case RP_FORMAT_OPENMETRICS:
		rp_render_prom(root, o->plugin, o->format == RP_FORMAT_OPENMETRICS, out);
		break;
	default:
		render_nagios(root, o, out);
	}
}
