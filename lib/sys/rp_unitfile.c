/* rp_unitfile.c: systemd's unit file syntax (systemd.syntax(7)). */
#include "rp_unitfile.h"
#include "rp_buf.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static size_t trim_end(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* One physical line [p, end of line): its length without the newline. */
static size_t line_len(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

static bool is_comment(const char *p, size_t n)
{
	const char *s = skip_space(p, p + n);
	return s < p + n && (*s == '#' || *s == ';');
}

/* The value from p on, joined over continuation lines (a line ending in
 * a backslash goes on, the backslash read as a space; comment lines in
 * between are skipped). *next is
 * where reading goes on, *lineno counts the lines taken. */
static bool read_value(const char *p, const char *end, struct rp_buf *v, const char **next,
                       int *lineno)
{
	for (;;) {
		size_t n = trim_end(p, line_len(p, end));
		const char *after = p + line_len(p, end);
		after += after < end; /* the newline */
		bool more = n && p[n - 1] == '\\';
		rp_buf_append(v, p, more ? n - 1 : n);
		if (v->len > RP_UNITFILE_VALUE_MAX)
			return false;
		p = after;
		if (!more || p >= end)
			break;
		rp_buf_putc(v, ' ');
		while (p < end && is_comment(p, line_len(p, end))) {
			(*lineno)++;
			p += line_len(p, end);
			p += p < end;
		}
		p = skip_space(p, end); /* as systemd: each line's leading space goes */
		(*lineno)++;
	}
	*next = p;
	return true;
}

static void add(struct rp_unitfile *f, const char *section, const char *key, size_t klen,
                struct rp_buf *value, int line)
{
	f->e = rp_xreallocarray(f->e, f->n + 1, sizeof *f->e);
	struct rp_unitfile_entry *e = &f->e[f->n++];
	e->section = rp_xstrdup(section);
	e->key = rp_xstrndup(key, klen);
	size_t vlen = value->len;
	const char *v = value->data ? value->data : "";
	const char *start = skip_space(v, v + vlen);
	e->value = rp_xstrndup(start, trim_end(start, vlen - (size_t)(start - v)));
	e->line = line;
}

/* "[Name]": the name, or false when the header is not closed. */
static bool header(const char *p, size_t n, char **section)
{
	if (n < 2 || p[n - 1] != ']')
		return false;
	free(*section);
	*section = rp_xstrndup(p + 1, n - 2);
	return true;
}

static bool assignment(struct rp_unitfile *f, const char *section, const char **p, const char *end,
                       int *lineno, char *err, size_t errlen)
{
	const char *key = *p;
	size_t n = line_len(key, end);
	const char *eq = memchr(key, '=', n);
	size_t klen = eq ? trim_end(key, (size_t)(eq - key)) : 0;
	if (!eq || !klen) {
		if (!f->bad_line)
			f->bad_line = *lineno;
		*p += n + (*p + n < end);
		return true;
	}
	if (!section) {
		snprintf(err, errlen, "line %d: an assignment before any [Section]", *lineno);
		return false;
	}
	struct rp_buf v;
	rp_buf_init(&v);
	int first = *lineno;
	bool ok = read_value(eq + 1, end, &v, p, lineno) && f->n < RP_UNITFILE_ENTRIES_MAX;
	if (ok)
		add(f, section, key, klen, &v, first);
	else
		snprintf(err, errlen, "line %d: past the bounds of a unit file", first);
	rp_buf_free(&v);
	return ok;
}

bool rp_unitfile_parse(const char *text, size_t len, struct rp_unitfile *out, char *err,
                       size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int at = 1;
		for (const char *q = text; q < nul; q++)
			at += *q == '\n';
		snprintf(err, errlen, "line %d: a NUL byte: not a text file", at);
		return false;
	}
	const char *p = text, *end = text + len;
	char *section = NULL;
	int lineno = 1;
	bool ok = true;
	while (ok && p < end) {
		const char *s = skip_space(p, end);
		size_t n = trim_end(s, line_len(s, end));
		if (!n || *s == '#' || *s == ';') {
			p = s + line_len(s, end);
			p += p < end;
		} else if (*s == '[') {
			ok = header(s, n, &section);
			if (!ok)
				snprintf(err, errlen, "line %d: a section header not closed with ]",
				         lineno);
			p = s + line_len(s, end);
			p += p < end;
		} else {
			p = s;
			ok = assignment(out, section, &p, end, &lineno, err, errlen);
		}
		lineno++;
	}
	free(section);
	if (!ok)
		rp_unitfile_free(out);
	return ok;
}

void rp_unitfile_free(struct rp_unitfile *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->e[i].section);
		free(f->e[i].key);
		free(f->e[i].value);
	}
	free(f->e);
	memset(f, 0, sizeof *f);
}

const struct rp_unitfile_entry *rp_unitfile_get(const struct rp_unitfile *f, const char *section,
                                                const char *key)
{
	for (size_t i = f->n; i-- > 0;)
		if (!strcmp(f->e[i].section, section) && !strcmp(f->e[i].key, key))
			return &f->e[i];
	return NULL;
}

char *rp_unitfile_exec_program(const char *value, bool *optional)
{
	*optional = false;
	const char *p = value;
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && strchr("@-:+!|", *p); p++)
		if (*p == '-')
			*optional = true;
	if (!*p)
		return NULL;
	if (*p == '"' || *p == '\'') {
		const char *close = strchr(p + 1, *p);
		return close ? rp_xstrndup(p + 1, (size_t)(close - p - 1)) : rp_xstrdup(p + 1);
	}
	return rp_xstrndup(p, strcspn(p, " \t"));
}
