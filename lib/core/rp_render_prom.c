#include "rp_render_prom.h"
#include "rp_render.h"
#include "rp_strv.h"
#include "rp_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX 100

/* A label value: backslash, quote and newline escaped. */
static void label_value(struct rp_buf *out, const char *s, size_t max)
{
	char *clean = rp_text_sanitize(s ? s : "", s ? strlen(s) : 0, max);
	for (const char *p = clean; *p; p++) {
		if (*p == '\\' || *p == '"')
			rp_buf_putc(out, '\\');
		rp_buf_putc(out, *p);
	}
	free(clean);
}

/* "age.events" -> "age_events": [a-z0-9_], no leading digit, no "__". */
static void metric_part(struct rp_buf *out, const char *label)
{
	size_t start = out->len;
	for (const char *p = label; *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!ok)
			c = '_';
		if (c == '_' && (out->len == start || out->data[out->len - 1] == '_'))
			continue;
		rp_buf_putc(out, c);
	}
	while (out->len > start && out->data[out->len - 1] == '_')
		out->len--;
	if (out->len == start)
		rp_buf_puts(out, "value");
	out->data[out->len] = '\0';
}

struct family {
	const char *unit;   /* OpenMetrics unit, or NULL */
	const char *suffix; /* name suffix for the unit */
	const char *type;   /* gauge or counter */
	double scale;
};

static struct family family_of(const char *uom)
{
	if (strcmp(uom, "s") == 0)
		return (struct family){ "seconds", "_seconds", "gauge", 1 };
	if (strcmp(uom, "B") == 0)
		return (struct family){ "bytes", "_bytes", "gauge", 1 };
	if (strcmp(uom, "%") == 0)
		return (struct family){ "ratio", "_ratio", "gauge", 0.01 };
	if (strcmp(uom, "c") == 0)
		return (struct family){ NULL, "", "counter", 1 };
	return (struct family){ NULL, "", "gauge", 1 };
}

struct writer {
	struct rp_buf *out;
	const char *plugin;
	bool om;
	char **seen;
	size_t nseen;
};

static bool seen_before(struct writer *w, const char *name)
{
	for (size_t i = 0; i < w->nseen; i++)
		if (strcmp(w->seen[i], name) == 0)
			return true;
	rp_strv_push(&w->seen, &w->nseen, name);
	return false;
}

static void header(struct writer *w, const char *name, const char *type, const char *unit,
                   const char *help)
{
	rp_buf_printf(w->out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	if (w->om && unit)
		rp_buf_printf(w->out, "# UNIT %s %s\n", name, unit);
}

static void sample(struct writer *w, const char *name, const char *extra, double v)
{
	char num[RP_NUMBUF];
	rp_buf_printf(w->out, "%s{plugin=\"", name);
	label_value(w->out, w->plugin, 80);
	rp_buf_printf(w->out, "\"%s} %s\n", extra ? extra : "", rp_number_format(v, num));
}

static void perf_metric(struct writer *w, const struct rp_perf *p)
{
	if (p->unknown || !isfinite(p->value))
		return;
	struct family f = family_of(p->uom);
	struct rp_buf name;
	rp_buf_init(&name);
	rp_buf_puts(&name, "readiness_");
	metric_part(&name, p->label);
	rp_buf_puts(&name, f.suffix);
	bool counter = strcmp(f.type, "counter") == 0;
	/* a counter's samples end in _total; Prometheus' text names the
	 * family so too, OpenMetrics without it */
	if (counter && !w->om)
		rp_buf_puts(&name, "_total");
	if (!seen_before(w, name.data)) {
		struct rp_buf help;
		rp_buf_init(&help);
		rp_buf_puts(&help, "perfdata ");
		rp_text_sanitize_into(&help, p->label, strlen(p->label), 80);
		header(w, name.data, f.type, f.unit, help.data);
		rp_buf_free(&help);
		if (counter && w->om)
			rp_buf_puts(&name, "_total");
		sample(w, name.data, NULL, p->value * f.scale);
	}
	rp_buf_free(&name);
}

void rp_render_prom(const struct rp_check *root, const char *plugin, bool openmetrics,
                    struct rp_buf *out)
{
	struct writer w = { out, plugin, openmetrics, NULL, 0 };
	enum rp_state st = rp_check_state(root);
	char *summary = rp_render_summary(root);
	struct rp_buf reason;
	rp_buf_init(&reason);
	rp_buf_puts(&reason, ",reason=\"");
	label_value(&reason, summary, REASON_MAX);
	rp_buf_putc(&reason, '"');
	header(&w, "readiness_state", "gauge", NULL,
	       "the check's state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
	sample(&w, "readiness_state", reason.data, (double)st);
	header(&w, "readiness_up", "gauge", NULL, "1 when the check is OK, else 0");
	sample(&w, "readiness_up", NULL, st == RP_OK ? 1 : 0);
	rp_strv_push(&w.seen, &w.nseen, "readiness_state");
	rp_strv_push(&w.seen, &w.nseen, "readiness_up");
	struct rp_perf_list all;
	rp_perf_list_init(&all);
	rp_check_collect_perf(root, &all);
	for (size_t i = 0; i < all.n; i++)
		perf_metric(&w, &all.items[i]);
	if (openmetrics)
		rp_buf_puts(out, "# EOF\n");
	rp_perf_list_free(&all);
	rp_strv_free(w.seen, w.nseen);
	rp_buf_free(&reason);
	free(summary);
}
