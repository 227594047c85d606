#include "rp_render.h"
#include "rp_text.h"

#include <stdlib.h>
#include <string.h>

#define RP_LINE_MAX 1000

char *rp_render_summary(const struct rp_check *root)
{
	if (root->text && *root->text)
		return rp_xstrdup(root->text);
	if (root->nkids == 0)
		return rp_xstrdup("no checks were performed");
	return rp_check_worst_texts(root, 160);
}

/* Child indexes ordered worst first; equal states keep insertion order. */
static size_t *order_children(const struct rp_check *c)
{
	size_t *idx = rp_xreallocarray(NULL, c->nkids ? c->nkids : 1, sizeof *idx);
	size_t n = 0;
	for (int sev = 3; sev >= 0; sev--)
		for (size_t i = 0; i < c->nkids; i++)
			if (rp_state_severity(rp_check_state(c->kids[i])) == sev)
				idx[n++] = i;
	return idx;
}

static void collect_perf(const struct rp_check *c, struct rp_perf_list *all)
{
	for (size_t i = 0; i < c->perf.n; i++)
		rp_perf_list_add(all, &c->perf.items[i]);
	for (size_t i = 0; i < c->nkids; i++)
		collect_perf(c->kids[i], all);
}

static void render_long(const struct rp_check *c, int depth, int verbosity, struct rp_buf *out)
{
	size_t *idx = order_children(c);
	for (size_t j = 0; j < c->nkids; j++) {
		const struct rp_check *k = c->kids[idx[j]];
		if (k->min_verbosity > verbosity)
			continue;
		for (int d = 0; d < depth; d++)
			rp_buf_puts(out, "  ");
		rp_buf_printf(out, "[%s] ", rp_state_text(rp_check_state(k)));
		const char *t = k->text ? k->text : "";
		rp_sanitize_into(out, t, strlen(t), RP_LINE_MAX);
		rp_buf_putc(out, '\n');
		render_long(k, depth + 1, verbosity, out);
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
	rp_sanitize_into(out, summary, strlen(summary),
	                 prefix + 20 < RP_SUMMARY_MAX ? RP_SUMMARY_MAX - prefix - 3 : 20);
	free(summary);

	struct rp_perf_list all;
	rp_perf_list_init(&all);
	collect_perf(root, &all);
	if (all.n) {
		rp_buf_puts(out, " | ");
		rp_perf_list_format(&all, out);
	}
	rp_perf_list_free(&all);
	rp_buf_putc(out, '\n');
	render_long(root, 0, o->verbosity, out);
}

static void json_key(struct rp_buf *out, const char *key)
{
	rp_json_string(out, key);
	rp_buf_putc(out, ':');
}

static void json_sanitized(struct rp_buf *out, const char *s, size_t max)
{
	char *clean = rp_sanitize(s ? s : "", s ? strlen(s) : 0, max);
	rp_json_string(out, clean);
	free(clean);
}

static void json_checks(const struct rp_check *c, struct rp_buf *out)
{
	size_t *idx = order_children(c);
	rp_buf_putc(out, '[');
	for (size_t j = 0; j < c->nkids; j++) {
		const struct rp_check *k = c->kids[idx[j]];
		enum rp_state st = rp_check_state(k);
		if (j)
			rp_buf_putc(out, ',');
		rp_buf_printf(out, "{\"state\":%d,\"state_text\":\"%s\",", (int)st,
		              rp_state_text(st));
		json_key(out, "text");
		json_sanitized(out, k->text, RP_LINE_MAX);
		if (k->min_verbosity > 0)
			rp_buf_printf(out, ",\"detail\":%d", k->min_verbosity);
		if (k->nkids) {
			rp_buf_puts(out, ",\"checks\":");
			json_checks(k, out);
		}
		rp_buf_putc(out, '}');
	}
	rp_buf_putc(out, ']');
	free(idx);
}

static void json_opt_string(struct rp_buf *out, const char *s)
{
	if (s && *s)
		rp_json_string(out, s);
	else
		rp_buf_puts(out, "null");
}

static void json_perf(const struct rp_perf *p, struct rp_buf *out)
{
	rp_buf_putc(out, '{');
	json_key(out, "label");
	rp_json_string(out, p->label);
	rp_buf_putc(out, ',');
	json_key(out, "value");
	if (p->unknown)
		rp_buf_puts(out, "null");
	else
		rp_json_number(out, p->value);
	rp_buf_putc(out, ',');
	json_key(out, "uom");
	rp_json_string(out, p->uom);
	rp_buf_putc(out, ',');
	json_key(out, "warn");
	json_opt_string(out, p->warn);
	rp_buf_putc(out, ',');
	json_key(out, "crit");
	json_opt_string(out, p->crit);
	rp_buf_putc(out, ',');
	json_key(out, "min");
	if (p->has_min)
		rp_json_number(out, p->min);
	else
		rp_buf_puts(out, "null");
	rp_buf_putc(out, ',');
	json_key(out, "max");
	if (p->has_max)
		rp_json_number(out, p->max);
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
	rp_json_string(out, o->plugin);
	rp_buf_putc(out, ',');
	json_key(out, "label");
	rp_json_string(out, o->label);
	rp_buf_printf(out, ",\"state\":%d,\"state_text\":\"%s\",", (int)st, rp_state_text(st));
	json_key(out, "summary");
	json_sanitized(out, summary, RP_SUMMARY_MAX);
	free(summary);
	rp_buf_puts(out, ",\"checks\":");
	json_checks(root, out);
	rp_buf_puts(out, ",\"perfdata\":[");
	struct rp_perf_list all;
	rp_perf_list_init(&all);
	collect_perf(root, &all);
	for (size_t i = 0; i < all.n; i++) {
		if (i)
			rp_buf_putc(out, ',');
		json_perf(&all.items[i], out);
	}
	rp_perf_list_free(&all);
	rp_buf_puts(out, "]}\n");
}

void rp_render(const struct rp_check *root, const struct rp_render_opts *o, struct rp_buf *out)
{
	if (o->format == RP_FORMAT_JSON)
		render_json(root, o, out);
	else
		render_nagios(root, o, out);
}
