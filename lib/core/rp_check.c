#include "rp_check.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct rp_check *rp_check_new(void)
{
	struct rp_check *c = rp_xcalloc(1, sizeof *c);
	rp_perf_list_init(&c->perf);
	return c;
}

void rp_check_free(struct rp_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		rp_check_free(c->kids[i]);
	free(c->kids);
	rp_strv_free(c->owned, c->nowned);
	rp_check_series_free(c->series);
	rp_perf_list_free(&c->perf);
	free(c->text);
	free(c->name);
	free(c);
}

void rp_check_adopt(struct rp_check *parent, struct rp_check *child)
{
	parent->kids = rp_xreallocarray(parent->kids, parent->nkids + 1, sizeof *parent->kids);
	parent->kids[parent->nkids++] = child;
}

void rp_check_mask_values(struct rp_check *c, char *const *values, size_t n)
{
	if (!n)
		return;
	if (c->text) {
		struct rp_buf b;
		rp_buf_init(&b);
		rp_buf_puts(&b, c->text);
		rp_secret_mask_values(&b, values, n);
		rp_secret_free(c->text);
		c->text = rp_buf_steal(&b);
	}
	for (size_t i = 0; i < c->nkids; i++)
		rp_check_mask_values(c->kids[i], values, n);
}

static struct rp_check *add_kid(struct rp_check *parent, const char *fmt, va_list ap)
{
	struct rp_check *c = rp_check_new();
	c->text = rp_xvasprintf(fmt, ap);
	parent->kids = rp_xreallocarray(parent->kids, parent->nkids + 1, sizeof *parent->kids);
	parent->kids[parent->nkids++] = c;
	return c;
}

struct rp_check *rp_check_add(struct rp_check *parent, enum rp_state st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct rp_check *c = add_kid(parent, fmt, ap);
	va_end(ap);
	rp_check_set_state(c, st);
	return c;
}

struct rp_check *rp_check_add_group(struct rp_check *parent, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct rp_check *c = add_kid(parent, fmt, ap);
	va_end(ap);
	return c;
}

struct rp_check *rp_check_skipped(struct rp_check *parent, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct rp_check *c = add_kid(parent, fmt, ap);
	va_end(ap);
	rp_check_decide(c, RP_UNKNOWN);
	c->skipped = true;
	return c;
}

struct rp_check *rp_check_detail(struct rp_check *parent, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct rp_check *c = add_kid(parent, fmt, ap);
	va_end(ap);
	rp_check_set_state(c, RP_OK);
	c->min_verbosity = level;
	return c;
}

void rp_check_set_state(struct rp_check *c, enum rp_state st)
{
	c->own_state = st;
	c->has_state = true;
}

void rp_check_set_text(struct rp_check *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = rp_xvasprintf(fmt, ap);
	va_end(ap);
	free(c->text);
	c->text = text;
}

void rp_check_decide(struct rp_check *c, enum rp_state st)
{
	rp_check_set_state(c, st);
	c->decides = true;
}

enum rp_state rp_check_state(const struct rp_check *c)
{
	if (c->decides)
		return c->own_state;
	/* neither a state nor a sub-check that ran: nothing says OK */
	bool any = c->has_state;
	enum rp_state st = c->has_state ? c->own_state : RP_OK;
	for (size_t i = 0; i < c->nkids; i++) {
		if (c->kids[i]->skipped)
			continue;
		any = true;
		st = rp_state_worst(st, rp_check_state(c->kids[i]));
	}
	return any ? st : RP_UNKNOWN;
}

/* Records the item with the thresholds in force for its label and the
 * state they give its value; the runtime judges every item so recorded
 * (rp_judge.h), so a threshold shown in perfdata always decides. */
static struct rp_perf *add_perf(struct rp_check *c, const char *label, double value, bool unknown,
                                enum rp_unit unit, const struct rp_thresholds *t, double min,
                                double max)
{
	struct rp_perf p;
	char wbuf[RP_RANGEBUF], cbuf[RP_RANGEBUF];
	memset(&p, 0, sizeof p);
	p.label = (char *)label;
	p.value = value;
	p.unknown = unknown || !isfinite(value);
	strcpy(p.uom, rp_unit_uom(unit));
	const struct rp_range *w = t ? rp_thresholds_get(t, label, 'w') : NULL;
	const struct rp_range *cr = t ? rp_thresholds_get(t, label, 'c') : NULL;
	p.warn = w ? rp_range_format(w, wbuf) : NULL;
	p.crit = cr ? rp_range_format(cr, cbuf) : NULL;
	p.has_min = isfinite(min);
	p.min = min;
	p.has_max = isfinite(max);
	p.max = max;
	p.state = (t && !p.unknown) ? rp_thresholds_state(t, label, value) : RP_OK;
	rp_perf_list_add(&c->perf, &p);
	return &c->perf.items[c->perf.n - 1];
}

void rp_check_add_perf(struct rp_check *c, const char *label, double value, enum rp_unit unit,
                       const struct rp_thresholds *t)
{
	add_perf(c, label, value, false, unit, t, NAN, NAN);
}

void rp_check_add_perf_minmax(struct rp_check *c, const char *label, double value,
                              enum rp_unit unit, const struct rp_thresholds *t, double min,
                              double max)
{
	add_perf(c, label, value, false, unit, t, min, max);
}

void rp_check_add_perf_unknown(struct rp_check *c, const char *label, enum rp_unit unit,
                               const struct rp_thresholds *t)
{
	add_perf(c, label, NAN, true, unit, t, NAN, NAN);
}

enum rp_state rp_check_metric(struct rp_check *c, const char *label, double value,
                              enum rp_unit unit, const struct rp_thresholds *t)
{
	return rp_check_metric_minmax(c, label, value, unit, t, NAN, NAN);
}

enum rp_state rp_check_metric_minmax(struct rp_check *c, const char *label, double value,
                                     enum rp_unit unit, const struct rp_thresholds *t, double min,
                                     double max)
{
	struct rp_perf *p = add_perf(c, label, value, false, unit, t, min, max);
	p->worded = true;
	return p->state;
}

size_t rp_check_count(const struct rp_check *c, enum rp_state st)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nkids; i++)
		if (!c->kids[i]->skipped && rp_check_state(c->kids[i]) == st)
			n++;
	return n;
}

char *rp_check_worst_texts(const struct rp_check *c, size_t max)
{
	struct rp_buf b;
	rp_buf_init(&b);
	if (c->nkids == 0)
		return rp_buf_steal(&b);
	enum rp_state worst = RP_OK;
	for (size_t i = 0; i < c->nkids; i++)
		if (!c->kids[i]->skipped)
			worst = rp_state_worst(worst, rp_check_state(c->kids[i]));
	size_t total = 0, shown = 0;
	for (size_t i = 0; i < c->nkids; i++)
		if (rp_check_state(c->kids[i]) == worst && c->kids[i]->min_verbosity == 0 &&
		    !c->kids[i]->skipped)
			total++;
	for (size_t i = 0; i < c->nkids; i++) {
		const struct rp_check *k = c->kids[i];
		if (rp_check_state(k) != worst || k->min_verbosity > 0 || k->skipped)
			continue;
		const char *t = k->text ? k->text : "";
		if (shown > 0 && b.len + strlen(t) + 2 > max)
			break;
		if (shown)
			rp_buf_puts(&b, "; ");
		rp_buf_puts(&b, t);
		shown++;
	}
	if (shown < total)
		rp_buf_printf(&b, " and %zu more", total - shown);
	return rp_buf_steal(&b);
}

size_t rp_check_findings_text(struct rp_check *c, size_t total, const char *noun)
{
	size_t bad = 0;
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < c->nkids; i++) {
		const struct rp_check *k = c->kids[i];
		if (rp_check_state(k) == RP_OK || !k->text || k->skipped)
			continue;
		rp_buf_printf(&b, "%s%s", bad ? "; " : "", k->text);
		bad++;
	}
	if (bad == 1)
		rp_check_set_text(c, "%s", b.data);
	else if (bad)
		rp_check_set_text(c, "%zu findings on %zu %s%s: %s", bad, total, noun,
		                  total == 1 ? "" : "s", b.data);
	rp_buf_free(&b);
	return bad;
}

void rp_check_detail_lines(struct rp_check *c, int level, const char *heading, const char *text)
{
	if (!text || !*text)
		return;
	rp_check_detail(c, level, "%s", heading);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		rp_check_detail(c, level, "  %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void rp_check_set_seconds(struct rp_check *c, double seconds)
{
	c->timed = seconds >= 0;
	c->seconds = seconds;
}

void rp_check_set_name(struct rp_check *c, const char *name)
{
	free(c->name);
	c->name = name ? rp_xstrdup(name) : NULL;
}

struct rp_check *rp_check_note(struct rp_check *parent, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct rp_check *c = add_kid(parent, fmt, ap);
	va_end(ap);
	rp_check_set_state(c, RP_OK);
	c->note = true;
	return c;
}

char *rp_check_keep(struct rp_check *c, char *s)
{
	c->owned = rp_xreallocarray(c->owned, c->nowned + 1, sizeof *c->owned);
	c->owned[c->nowned++] = s;
	return s;
}

const char *rp_check_clean(struct rp_check *c, const char *s, size_t max)
{
	return rp_check_keep(c, rp_text_sanitize_str(s, max));
}

void rp_check_collect_perf(const struct rp_check *c, struct rp_perf_list *all)
{
	for (size_t i = 0; i < c->perf.n; i++)
		rp_perf_list_add(all, &c->perf.items[i]);
	for (size_t i = 0; i < c->nkids; i++)
		rp_check_collect_perf(c->kids[i], all);
}

struct rp_series *rp_check_series_new(const char *title, double lo, double hi)
{
	struct rp_series *s = rp_xcalloc(1, sizeof *s);
	s->title = rp_xstrdup(title);
	s->lo = lo;
	s->hi = hi;
	s->warn_at = NAN;
	s->crit_at = NAN;
	return s;
}

void rp_check_series_add(struct rp_series *s, double at, double value, enum rp_state st)
{
	s->total++;
	if (s->n >= RP_SERIES_MAX)
		return;
	s->points = rp_xreallocarray(s->points, s->n + 1, sizeof *s->points);
	s->points[s->n++] = (struct rp_series_point){ at, value, st };
}

void rp_check_series_free(struct rp_series *s)
{
	if (!s)
		return;
	free(s->title);
	free(s->points);
	free(s);
}

void rp_check_set_series(struct rp_check *c, struct rp_series *s)
{
	rp_check_series_free(c->series);
	c->series = s;
}
