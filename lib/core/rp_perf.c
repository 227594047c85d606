#include "rp_perf.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_perf_free(struct rp_perf *p)
{
	free(p->label);
	free(p->warn);
	free(p->crit);
	memset(p, 0, sizeof *p);
}

void rp_perf_list_init(struct rp_perf_list *l)
{
	l->items = NULL;
	l->n = 0;
}

void rp_perf_list_free(struct rp_perf_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		rp_perf_free(&l->items[i]);
	free(l->items);
	rp_perf_list_init(l);
}

void rp_perf_list_add(struct rp_perf_list *l, const struct rp_perf *p)
{
	l->items = rp_xreallocarray(l->items, l->n + 1, sizeof *l->items);
	struct rp_perf *q = &l->items[l->n++];
	*q = *p;
	q->label = rp_xstrdup(p->label ? p->label : "");
	q->warn = p->warn ? rp_xstrdup(p->warn) : NULL;
	q->crit = p->crit ? rp_xstrdup(p->crit) : NULL;
}

/* Labels are quoted and hold no ' at all (Icinga 2 and Monitoring::Plugin
 * misread the guideline's doubled quote), no '=' (it ends a label for
 * every parser), no '|' (it starts perfdata), no control byte and no
 * invalid UTF-8: each becomes '_', so a name from outside cannot forge or
 * break perfdata. */
static void format_label(const char *label, struct rp_buf *out)
{
	rp_buf_putc(out, '\'');
	size_t len = strlen(label);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)label[i];
		if (c >= 0x80) {
			size_t n = rp_text_utf8_len((const unsigned char *)label + i, len - i);
			if (n) {
				rp_buf_append(out, label + i, n);
				i += n;
				continue;
			}
		}
		bool bad = c == '\'' || c == '=' || c == '|' || c < 0x20 || c == 0x7f || c >= 0x80;
		rp_buf_putc(out, bad ? '_' : (char)c);
		i++;
	}
	rp_buf_putc(out, '\'');
}

/* Range text is ours, but make sure nothing in it can break the field. */
static void format_field(const char *s, struct rp_buf *out)
{
	for (; s && *s; s++) {
		if (*s != ';' && *s != ' ' && *s != '|' && (unsigned char)*s >= 0x20)
			rp_buf_putc(out, *s);
	}
}

void rp_perf_format(const struct rp_perf *p, struct rp_buf *out)
{
	char num[RP_NUMBUF];
	const char *fields[4];
	char minbuf[RP_NUMBUF], maxbuf[RP_NUMBUF];

	format_label(p->label ? p->label : "", out);
	rp_buf_putc(out, '=');
	if (p->unknown) {
		rp_buf_putc(out, 'U');
	} else {
		rp_buf_puts(out, rp_number_format(p->value, num));
		format_field(p->uom, out);
	}
	fields[0] = p->warn;
	fields[1] = p->crit;
	fields[2] = p->has_min ? rp_number_format(p->min, minbuf) : NULL;
	fields[3] = p->has_max ? rp_number_format(p->max, maxbuf) : NULL;
	int last = -1;
	for (int i = 0; i < 4; i++)
		if (fields[i] && *fields[i])
			last = i;
	for (int i = 0; i <= last; i++) {
		rp_buf_putc(out, ';');
		format_field(fields[i], out);
	}
}

void rp_perf_list_format(const struct rp_perf_list *l, struct rp_buf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			rp_buf_putc(out, ' ');
		rp_perf_format(&l->items[i], out);
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads a label at *pos: quoted with '' escapes, or bare up to '='. */
static char *parse_label(const char *s, size_t len, size_t *pos, char *err, size_t errlen)
{
	size_t i = *pos;
	struct rp_buf b;
	if (memchr(s + i, '\0', len - i)) {
		snprintf(err, errlen, "NUL byte in perfdata");
		return NULL;
	}
	rp_buf_init(&b);
	if (s[i] == '\'') {
		i++;
		for (;;) {
			if (i >= len) {
				snprintf(err, errlen, "unterminated quoted label at offset %zu",
				         *pos);
				rp_buf_free(&b);
				return NULL;
			}
			if (s[i] == '\'') {
				if (i + 1 < len && s[i + 1] == '\'') {
					rp_buf_putc(&b, '\'');
					i += 2;
					continue;
				}
				i++;
				break;
			}
			rp_buf_putc(&b, s[i++]);
		}
	} else {
		while (i < len && s[i] != '=' && !is_space(s[i]))
			rp_buf_putc(&b, s[i++]);
	}
	if (b.len == 0) {
		snprintf(err, errlen, "empty label at offset %zu", *pos);
		rp_buf_free(&b);
		return NULL;
	}
	if (i >= len || s[i] != '=') {
		snprintf(err, errlen, "label '%.40s' is not followed by '='", b.data);
		rp_buf_free(&b);
		return NULL;
	}
	*pos = i + 1;
	return rp_buf_steal(&b);
}

static size_t field_end(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != ';' && !is_space(s[i]))
		i++;
	return i;
}

static bool parse_value(const char *s, size_t len, size_t *pos, struct rp_perf *p, char *err,
                        size_t errlen)
{
	size_t i = *pos, end = field_end(s, len, i);
	if (end > i && s[i] == 'U' && (end == i + 1)) {
		p->unknown = true;
		*pos = end;
		return true;
	}
	size_t n = i;
	while (n < end && strchr("+-.0123456789eE", s[n]))
		n++;
	/* An 'e' that starts the unit is not an exponent ("5exa" is unlikely,
	 * but back off until the number parses). */
	while (n > i && !rp_number_parse_lenient(s + i, n - i, &p->value))
		n--;
	if (n == i) {
		snprintf(err, errlen, "value '%.*s' of '%.40s' is not a number",
		         (int)(end - i > 40 ? 40 : end - i), s + i, p->label);
		return false;
	}
	size_t uom_len = end - n;
	if (uom_len >= RP_UOM_MAX) {
		snprintf(err, errlen, "unit '%.*s' of '%.40s' is too long",
		         (int)(uom_len > 40 ? 40 : uom_len), s + n, p->label);
		return false;
	}
	for (size_t k = n; k < end; k++) {
		unsigned char c = (unsigned char)s[k];
		if ((c >= '0' && c <= '9') || c < 0x20 || c == 0x7f || c == '|' || c == '\'' ||
		    c == '=') {
			snprintf(err, errlen, "unit '%.*s' of '%.40s' is not a unit", (int)uom_len,
			         s + n, p->label);
			return false;
		}
	}
	memcpy(p->uom, s + n, uom_len);
	p->uom[uom_len] = '\0';
	*pos = end;
	return true;
}

bool rp_perf_parse(const char *s, size_t len, struct rp_perf_list *out, char *err, size_t errlen)
{
	size_t i = 0;
	for (;;) {
		while (i < len && is_space(s[i]))
			i++;
		if (i >= len)
			return true;
		struct rp_perf p;
		memset(&p, 0, sizeof p);
		p.label = parse_label(s, len, &i, err, errlen);
		if (!p.label)
			return false;
		if (!parse_value(s, len, &i, &p, err, errlen)) {
			rp_perf_free(&p);
			return false;
		}
		for (int field = 0; field < 4 && i < len && s[i] == ';'; field++) {
			size_t start = ++i, end = field_end(s, len, i);
			i = end;
			if (end == start)
				continue;
			if (field < 2) {
				char *text = rp_xstrndup(s + start, end - start);
				if (field == 0)
					p.warn = text;
				else
					p.crit = text;
			} else {
				double v;
				if (!rp_number_parse_lenient(s + start, end - start, &v)) {
					snprintf(err, errlen, "%s of '%.40s' is not a number",
					         field == 2 ? "min" : "max", p.label);
					rp_perf_free(&p);
					return false;
				}
				if (field == 2) {
					p.has_min = true;
					p.min = v;
				} else {
					p.has_max = true;
					p.max = v;
				}
			}
		}
		if (i < len && !is_space(s[i])) {
			snprintf(err, errlen, "unexpected '%c' after '%.40s'", s[i], p.label);
			rp_perf_free(&p);
			return false;
		}
		rp_perf_list_add(out, &p);
		rp_perf_free(&p);
	}
}
