#include "rp_render_html.h"
#include "config.h"
#include "rp_render_impl.h"
#include "rp_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE_MAX_BYTES 1000
/* Problems listed at most (then "and N more"): the page stays readable. */
#define PROBLEMS_MAX 50

/* The chart's frame: the plot area inside the SVG's viewBox. */
#define CHART_W     760
#define CHART_H     260
#define PLOT_LEFT   48
#define PLOT_RIGHT  742
#define PLOT_TOP    14
#define PLOT_BOTTOM 222

/* Colours that read on white and in print; the line is the chart's. */
static const char css[] =
        "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;"
        "color:#1f2328;background:#f6f8fa}"
        "header{padding:18px 28px;color:#fff}header h1{margin:0;font-size:24px}"
        "header p{margin:6px 0 0}header .meta{opacity:.85;font-size:13px}"
        "main{padding:8px 28px 28px;max-width:1100px}"
        "section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:4px 18px "
        "14px;margin:16px 0}"
        "h2{font-size:18px;margin:12px 0 8px}"
        "table{border-collapse:collapse;width:100%}"
        "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #d8dee4;"
        "vertical-align:top}"
        "td.text{overflow-wrap:anywhere}"
        ".badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;"
        "font-size:12px;font-weight:600}"
        ".st-ok{background:#1a7f37}.st-warning{background:#9a6700}"
        ".st-critical{background:#cf222e}.st-unknown{background:#6e7781}"
        ".st-skipped{background:#8c959f}"
        "svg .grid{stroke:#d8dee4;stroke-width:1}svg .axis{font-size:11px;fill:#57606a}"
        "svg .line{fill:none;stroke:#0969da;stroke-width:2}"
        "svg .warn{stroke:#9a6700;stroke-dasharray:6 4}"
        "svg .crit{stroke:#cf222e;stroke-dasharray:6 4}"
        "svg .pt-ok{fill:#1a7f37}svg .pt-warning{fill:#9a6700}"
        "svg .pt-critical{fill:#cf222e}svg .pt-unknown{fill:#6e7781}"
        ".caption{color:#57606a;font-size:13px}footer{padding:0 28px 20px;color:#57606a;"
        "font-size:12px}";

static const char *state_class(enum rp_state st)
{
	static const char *const names[] = { "ok", "warning", "critical", "unknown" };
	return names[st];
}

static void badge(struct rp_buf *out, const struct rp_check *k)
{
	if (k->skipped) {
		rp_buf_puts(out, "<span class=\"badge st-skipped\">SKIPPED</span>");
		return;
	}
	enum rp_state st = rp_check_state(k);
	rp_buf_printf(out, "<span class=\"badge st-%s\">%s</span>", state_class(st),
	              rp_state_text(st));
}

/* A time in UTC: "2026-11-30 14:50" (with_seconds: ":07"), " UTC" when
 * asked. */
static void utc(struct rp_buf *out, double at, bool with_seconds, bool zone)
{
	time_t t = (time_t)at;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return;
	rp_buf_printf(out, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	              tm.tm_hour, tm.tm_min);
	if (with_seconds)
		rp_buf_printf(out, ":%02d", tm.tm_sec);
	if (zone)
		rp_buf_puts(out, " UTC");
}

/* ------------------------------------------------------------- the chart */

static double chart_x(const struct rp_series *s, double at)
{
	double t0 = s->points[0].at, t1 = s->points[s->n - 1].at;
	if (!(t1 > t0))
		return (PLOT_LEFT + PLOT_RIGHT) / 2.0;
	return PLOT_LEFT + (at - t0) / (t1 - t0) * (PLOT_RIGHT - PLOT_LEFT);
}

static double chart_y(const struct rp_series *s, double v)
{
	double span = s->hi > s->lo ? s->hi - s->lo : 1;
	double f = (v - s->lo) / span;
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return PLOT_BOTTOM - f * (PLOT_BOTTOM - PLOT_TOP);
}

/* Five grid lines with their values, and the thresholds as dashed lines. */
static void chart_axes(struct rp_buf *out, const struct rp_series *s)
{
	char num[RP_NUMBUF];
	for (int i = 0; i <= 4; i++) {
		double v = s->lo + (s->hi - s->lo) * i / 4.0;
		double y = chart_y(s, v);
		rp_buf_printf(out,
		              "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
		              PLOT_LEFT, PLOT_RIGHT, y, y);
		rp_buf_printf(
		        out,
		        "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
		        PLOT_LEFT - 6, y + 4, rp_number_format(v, num));
	}
	const double at[2] = { s->warn_at, s->crit_at };
	static const char *const cls[2] = { "warn", "crit" };
	for (int i = 0; i < 2; i++) {
		if (!isfinite(at[i]) || at[i] < s->lo || at[i] > s->hi)
			continue;
		double y = chart_y(s, at[i]);
		rp_buf_printf(out,
		              "<line class=\"%s\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\">"
		              "<title>%s threshold %s</title></line>\n",
		              cls[i], PLOT_LEFT, PLOT_RIGHT, y, y, i ? "critical" : "warning",
		              rp_number_format(at[i], num));
	}
	/* the time axis: the first and the last run */
	rp_buf_printf(out, "<text class=\"axis\" x=\"%d\" y=\"%d\">", PLOT_LEFT, PLOT_BOTTOM + 18);
	utc(out, s->points[0].at, false, false);
	rp_buf_printf(out, "</text><text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
	              PLOT_RIGHT, PLOT_BOTTOM + 18);
	utc(out, s->points[s->n - 1].at, false, true);
	rp_buf_puts(out, "</text>\n");
}

/* The line through every run, and a dot per run in its state's colour
 * with its time, value and state as a tooltip (no script needed). */
static void chart_points(struct rp_buf *out, const struct rp_series *s)
{
	char num[RP_NUMBUF];
	rp_buf_puts(out, "<polyline class=\"line\" points=\"");
	for (size_t i = 0; i < s->n; i++)
		rp_buf_printf(out, "%s%.1f,%.1f", i ? " " : "", chart_x(s, s->points[i].at),
		              chart_y(s, s->points[i].value));
	rp_buf_puts(out, "\"/>\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct rp_series_point *p = &s->points[i];
		rp_buf_printf(out,
		              "<circle class=\"pt-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>",
		              state_class(p->state), chart_x(s, p->at), chart_y(s, p->value));
		utc(out, p->at, true, true);
		rp_buf_puts(out, ": ");
		rp_render_xml_text(out, s->title, 40);
		rp_buf_printf(out, " %s (%s)</title></circle>\n", rp_number_format(p->value, num),
		              rp_state_text(p->state));
	}
}

static void chart_caption(struct rp_buf *out, const struct rp_series *s)
{
	char num[RP_NUMBUF];
	double lo = s->points[0].value, hi = lo;
	for (size_t i = 1; i < s->n; i++) {
		lo = fmin(lo, s->points[i].value);
		hi = fmax(hi, s->points[i].value);
	}
	rp_buf_printf(out, "<p class=\"caption\">%zu run%s recorded", s->total,
	              s->total == 1 ? "" : "s");
	if (s->total > s->n)
		rp_buf_printf(out, " (the last %zu shown)", s->n);
	rp_buf_puts(out, ", from ");
	utc(out, s->points[0].at, false, true);
	rp_buf_puts(out, " to ");
	utc(out, s->points[s->n - 1].at, false, true);
	rp_buf_printf(out, "; now %s", rp_number_format(s->points[s->n - 1].value, num));
	rp_buf_printf(out, ", lowest %s", rp_number_format(lo, num));
	rp_buf_printf(out, ", highest %s.</p>\n", rp_number_format(hi, num));
}

static void render_chart(struct rp_buf *out, const struct rp_series *s)
{
	rp_buf_puts(out, "<section id=\"history\"><h2>History: ");
	rp_render_xml_text(out, s->title, 40);
	rp_buf_puts(out, " over time</h2>\n");
	if (s->n == 0) {
		rp_buf_puts(out, "<p>No run recorded yet.</p></section>\n");
		return;
	}
	rp_buf_printf(out,
	              "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	              "role=\"img\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">",
	              CHART_W, CHART_H, CHART_W, CHART_H);
	rp_render_xml_text(out, s->title, 40);
	rp_buf_puts(out, " over time</title>\n");
	chart_axes(out, s);
	chart_points(out, s);
	rp_buf_puts(out, "</svg>\n");
	chart_caption(out, s);
	rp_buf_puts(out, "</section>\n");
}

/* ------------------------------------------------------------ the tables */

static void row(struct rp_buf *out, const char *path, const struct rp_check *k)
{
	rp_buf_puts(out, "<tr><td>");
	rp_render_xml_text(out, path, 200);
	rp_buf_puts(out, "</td><td>");
	badge(out, k);
	rp_buf_puts(out, "</td><td class=\"text\">");
	rp_render_xml_text(out, rp_render_own_text(k), LINE_MAX_BYTES);
	rp_buf_puts(out, "</td></tr>\n");
}

static void table_head(struct rp_buf *out, const char *first)
{
	rp_buf_printf(out,
	              "<table><thead><tr><th>%s</th><th>state</th><th>summary</th></tr>"
	              "</thead><tbody>\n",
	              first);
}

/* The tests under c, worst first (a group: its own line, not its tests'). */
static void table_of(struct rp_buf *out, const struct rp_check *c, const char *first)
{
	size_t *idx = rp_render_order_children(c);
	table_head(out, first);
	for (size_t j = 0; j < c->nkids && j < RP_LONG_LINES_MAX; j++) {
		const struct rp_check *k = c->kids[idx[j]];
		if (rp_render_is_test(k))
			row(out, k->name ? k->name : "", k);
	}
	rp_buf_puts(out, "</tbody></table>\n");
	free(idx);
}

static size_t count_skipped(const struct rp_check *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nkids; i++) {
		const struct rp_check *k = c->kids[i];
		if (rp_render_is_test(k))
			n += rp_render_has_tests(k) ? count_skipped(k) : k->skipped;
	}
	return n;
}

/* Every leaf test under c in state sev (or every blocker), "group/name". */
static void collect(const struct rp_check *c, const char *prefix, int sev, bool blockers,
                    struct rp_buf *out, size_t *n)
{
	for (size_t i = 0; i < c->nkids; i++) {
		const struct rp_check *k = c->kids[i];
		if (!rp_render_is_test(k))
			continue;
		char *path = rp_xasprintf("%s%s", prefix, rp_render_name_of(k));
		if (rp_render_has_tests(k)) {
			char *sub = rp_xasprintf("%s/", path);
			collect(k, sub, sev, blockers, out, n);
			free(sub);
		} else if (blockers ? k->blocker
		                    : !k->skipped && rp_state_severity(rp_check_state(k)) == sev) {
			if (++*n <= PROBLEMS_MAX)
				row(out, path, k);
		}
		free(path);
	}
}

/* Blockers (when the plugin marks any), then every check not OK. */
static void render_problems(struct rp_buf *out, const struct rp_check *root)
{
	struct rp_buf rows;
	rp_buf_init(&rows);
	size_t n = 0;
	collect(root, "", 0, true, &rows, &n);
	if (n) {
		rp_buf_puts(out, "<section id=\"blockers\"><h2>Blockers</h2>\n");
		table_head(out, "check");
		rp_buf_puts(out, rows.data);
		rp_buf_puts(out, "</tbody></table></section>\n");
	}
	rp_buf_reset(&rows);
	n = 0;
	for (int sev = 3; sev >= 1; sev--)
		collect(root, "", sev, false, &rows, &n);
	rp_buf_puts(out, "<section id=\"problems\"><h2>Problems</h2>\n");
	if (n) {
		table_head(out, "check");
		rp_buf_puts(out, rows.data);
		rp_buf_puts(out, "</tbody></table>\n");
		if (n > PROBLEMS_MAX)
			rp_buf_printf(out, "<p>and %zu more.</p>\n", n - PROBLEMS_MAX);
	} else {
		rp_buf_puts(out, "<p>None: every check that ran is OK.</p>\n");
	}
	size_t skipped = count_skipped(root);
	if (skipped)
		rp_buf_printf(out,
		              "<p>%zu check%s skipped: not run, because what %s is not OK.</p>\n",
		              skipped, skipped == 1 ? "" : "s",
		              skipped == 1 ? "it requires" : "they require");
	rp_buf_puts(out, "</section>\n");
	rp_buf_free(&rows);
}

/* The top-level table, then a section per group of checks. */
static void render_groups(struct rp_buf *out, const struct rp_check *root)
{
	bool groups = false;
	for (size_t i = 0; i < root->nkids; i++)
		groups |= rp_render_is_test(root->kids[i]) && rp_render_has_tests(root->kids[i]);
	rp_buf_printf(out, "<section id=\"overview\"><h2>%s</h2>\n",
	              groups ? "Categories" : "Checks");
	table_of(out, root, groups ? "category" : "check");
	rp_buf_puts(out, "</section>\n");
	size_t *idx = rp_render_order_children(root);
	for (size_t j = 0; j < root->nkids; j++) {
		const struct rp_check *k = root->kids[idx[j]];
		if (!rp_render_is_test(k) || !rp_render_has_tests(k))
			continue;
		rp_buf_puts(out, "<section class=\"group\"><h2>");
		rp_render_xml_text(out, rp_render_name_of(k), 80);
		rp_buf_puts(out, " ");
		badge(out, k);
		rp_buf_puts(out, "</h2>\n");
		table_of(out, k, "check");
		rp_buf_puts(out, "</section>\n");
	}
	free(idx);
}

/* Lines of information (a history's "since the previous run"). */
static void render_notes(struct rp_buf *out, const struct rp_check *root)
{
	bool any = false;
	for (size_t i = 0; i < root->nkids; i++) {
		if (!root->kids[i]->note)
			continue;
		if (!any)
			rp_buf_puts(out, "<section id=\"notes\"><h2>Notes</h2><ul>\n");
		any = true;
		rp_buf_puts(out, "<li>");
		rp_render_xml_text(out, root->kids[i]->text, LINE_MAX_BYTES);
		rp_buf_puts(out, "</li>\n");
	}
	if (any)
		rp_buf_puts(out, "</ul></section>\n");
}

static void render_head(struct rp_buf *out, const struct rp_check *root,
                        const struct rp_render_opts *o, const char *summary)
{
	enum rp_state st = rp_check_state(root);
	rp_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	                 "'none'; style-src 'unsafe-inline'\">\n"
	                 "<meta name=\"viewport\" content=\"width=device-width, "
	                 "initial-scale=1\">\n<title>");
	rp_render_xml_text(out, o->label, 40);
	rp_buf_printf(out, " %s: ", rp_state_text(st));
	rp_render_xml_text(out, summary, RP_SUMMARY_MAX);
	rp_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	rp_buf_printf(out, "<header class=\"st-%s\"><h1>", state_class(st));
	rp_render_xml_text(out, o->label, 40);
	rp_buf_printf(out, " %s</h1>\n<p id=\"summary\">", rp_state_text(st));
	rp_render_xml_text(out, summary, LINE_MAX_BYTES);
	rp_buf_puts(out, "</p>\n<p class=\"meta\">");
	rp_render_xml_text(out, o->plugin, 100);
	if (o->started > 0) {
		rp_buf_puts(out, ", run at ");
		utc(out, o->started, true, true);
	}
	rp_buf_puts(out, "</p></header>\n<main>\n");
}

void rp_render_html(const struct rp_check *root, const struct rp_render_opts *o, struct rp_buf *out)
{
	char *summary = rp_render_summary(root);
	render_head(out, root, o, summary);
	free(summary);
	if (root->series)
		render_chart(out, root->series);
	render_problems(out, root);
	render_groups(out, root);
	render_notes(out, root);
	rp_buf_printf(out, "</main>\n<footer>readiness-plugins %s</footer>\n</body>\n</html>\n",
	              PACKAGE_VERSION);
}
