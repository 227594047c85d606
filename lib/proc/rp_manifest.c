#include "rp_manifest.h"
#include "rp_file.h"
#include "rp_util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_MAX  (1024 * 1024)
#define INCLUDE_DEPTH 8
#define MAX_CHECKS    4096
#define MAX_WORDS     256

char **rp_manifest_split_words(const char *s, size_t *argc, char *err, size_t errlen)
{
	char **v = NULL;
	size_t n = 0;
	struct rp_buf w;
	rp_buf_init(&w);
	const char *p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		bool have = false;
		rp_buf_reset(&w);
		while (*p && *p != ' ' && *p != '\t') {
			have = true;
			if (*p == '\'') {
				const char *end = strchr(p + 1, '\'');
				if (!end) {
					snprintf(err, errlen, "a ' quote is not closed");
					goto fail;
				}
				rp_buf_append(&w, p + 1, (size_t)(end - p - 1));
				p = end + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					/* in double quotes a backslash only escapes these */
					if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
						p++;
					rp_buf_putc(&w, *p++);
				}
				if (*p != '"') {
					snprintf(err, errlen, "a \" quote is not closed");
					goto fail;
				}
				p++;
			} else if (*p == '\\' && p[1]) {
				rp_buf_putc(&w, p[1]);
				p += 2;
			} else {
				rp_buf_putc(&w, *p++);
			}
		}
		if (have) {
			if (n == MAX_WORDS) {
				snprintf(err, errlen, "more than %d words", MAX_WORDS);
				goto fail;
			}
			v = rp_xreallocarray(v, n + 2, sizeof *v);
			v[n++] = rp_xstrndup(w.data ? w.data : "", w.len);
			v[n] = NULL;
		}
	}
	rp_buf_free(&w);
	if (n == 0) {
		snprintf(err, errlen, "the command is empty");
		free(v);
		return NULL;
	}
	*argc = n;
	return v;
fail:
	rp_buf_free(&w);
	rp_strv_free(v, n);
	return NULL;
}

/* The line without its comment: '#' or ';' at the start or after white
 * space, outside quotes. */
static void strip_comment(char *line)
{
	char quote = 0;
	for (char *p = line; *p; p++) {
		if (quote) {
			if (*p == '\\' && quote == '"' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if ((*p == '#' || *p == ';') &&
		           (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 40)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

struct ctx {
	struct rp_manifest *m;
	const char *file;
	int line;
	char *err;
	size_t errlen;
	int depth;
	char **stack; /* files being read, for cycles */
};

static bool fail(struct ctx *c, const char *fmt, ...) RP_PRINTF(2, 3);

static bool fail(struct ctx *c, const char *fmt, ...)
{
	char why[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%.200s, line %d: %s", c->file, c->line, why);
	return false;
}

static bool parse_number(const char *v, double lo, double hi, double *out)
{
	double d;
	if (!rp_number_parse(v, strlen(v), &d) || d < lo || d > hi)
		return false;
	*out = d;
	return true;
}

/* The index of the category named name, added when new. An index, not a
 * pointer: adding one (here or in an include) moves the array. */
static size_t category(struct rp_manifest *m, const char *name)
{
	for (size_t i = 0; i < m->ncats; i++)
		if (strcmp(m->cats[i].name, name) == 0)
			return i;
	m->cats = rp_xreallocarray(m->cats, m->ncats + 1, sizeof *m->cats);
	struct rp_mf_category *cat = &m->cats[m->ncats];
	memset(cat, 0, sizeof *cat);
	cat->name = rp_xstrdup(name);
	cat->weight = 1;
	cat->timeout = 10;
	return m->ncats++;
}

static size_t total_checks(const struct rp_manifest *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->ncats; i++)
		n += m->cats[i].n;
	return n;
}

static bool load(struct ctx *c, const char *path);

static bool include(struct ctx *c, const char *value)
{
	char *target;
	if (value[0] == '/') {
		target = rp_xstrdup(value);
	} else {
		const char *slash = strrchr(c->file, '/');
		target = slash ? rp_xasprintf("%.*s/%s", (int)(slash - c->file), c->file, value)
		               : rp_xstrdup(value);
	}
	bool ok;
	if (c->depth >= INCLUDE_DEPTH) {
		ok = fail(c, "includes nested deeper than %d", INCLUDE_DEPTH);
	} else {
		struct ctx sub = *c;
		sub.depth++;
		ok = load(&sub, target);
	}
	free(target);
	return ok;
}

static bool global_key(struct ctx *c, const char *key, const char *value)
{
	struct rp_manifest *m = c->m;
	double d;
	if (strcmp(key, "jobs") == 0) {
		if (!parse_number(value, 1, 256, &d) || d != (int)d)
			return fail(c, "jobs = %.40s: a whole number from 1 to 256", value);
		m->jobs = (int)d;
	} else if (strcmp(key, "timeout") == 0) {
		if (!parse_number(value, 0.001, 86400, &d))
			return fail(c, "timeout = %.40s: seconds, up to 86400", value);
		m->timeout = d;
	} else if (strcmp(key, "warning") == 0 || strcmp(key, "critical") == 0) {
		struct rp_range r;
		char why[200];
		if (!rp_range_parse(value, RP_UNIT_NONE, &r, why, sizeof why))
			return fail(c, "%s", why);
		char **slot = key[0] == 'w' ? &m->warning : &m->critical;
		free(*slot);
		*slot = rp_xstrdup(value);
	} else if (strcmp(key, "plugin-dir") == 0) {
		free(m->plugin_dir);
		m->plugin_dir = rp_xstrdup(value);
	} else {
		return fail(c,
		            "unknown setting '%.40s' in [readiness] (jobs, timeout, warning, "
		            "critical, plugin-dir, include)",
		            key);
	}
	return true;
}

static bool category_key(struct ctx *c, struct rp_mf_category *cat, const char *key,
                         const char *value)
{
	double d;
	if (strncmp(key, "check", 5) == 0 && (key[5] == ' ' || key[5] == '\t')) {
		const char *name = key + 6;
		while (*name == ' ' || *name == '\t')
			name++;
		if (!name_ok(name))
			return fail(c, "check '%.40s': a name of letters, digits, '_', '-', '.'",
			            name);
		for (size_t i = 0; i < cat->n; i++)
			if (strcmp(cat->checks[i].name, name) == 0)
				return fail(c, "a second check named %.40s in this category", name);
		if (total_checks(c->m) >= MAX_CHECKS)
			return fail(c, "more than %d checks", MAX_CHECKS);
		char why[200];
		size_t argc;
		char **argv = rp_manifest_split_words(value, &argc, why, sizeof why);
		if (!argv)
			return fail(c, "%s", why);
		cat->checks = rp_xreallocarray(cat->checks, cat->n + 1, sizeof *cat->checks);
		struct rp_mf_check *ck = &cat->checks[cat->n++];
		ck->name = rp_xstrdup(name);
		ck->argv = argv;
		ck->argc = argc;
		ck->file = rp_xstrdup(c->file);
		ck->line = c->line;
	} else if (strcmp(key, "weight") == 0) {
		if (!parse_number(value, 0, 1000, &d))
			return fail(c, "weight = %.40s: a number from 0 to 1000", value);
		cat->weight = d;
	} else if (strcmp(key, "blocking") == 0) {
		if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "1"))
			cat->blocking = true;
		else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "0"))
			cat->blocking = false;
		else
			return fail(c, "blocking = %.40s: yes or no", value);
	} else if (strcmp(key, "timeout") == 0) {
		if (!parse_number(value, 0.001, 86400, &d))
			return fail(c, "timeout = %.40s: seconds, up to 86400", value);
		cat->timeout = d;
	} else if (strcmp(key, "score") == 0) {
		if (strcmp(value, "checks") == 0)
			cat->score_subchecks = false;
		else if (strcmp(value, "sub-checks") == 0 || strcmp(value, "subchecks") == 0)
			cat->score_subchecks = true;
		else
			return fail(c, "score = %.40s: checks or sub-checks", value);
	} else {
		return fail(c,
		            "unknown setting '%.40s' (check NAME, weight, blocking, timeout, "
		            "score, include)",
		            key);
	}
	return true;
}

static bool parse_text(struct ctx *c, char *text)
{
	/* the section by index: an include may add categories, and moving the
	 * array would leave a pointer to the old one */
	size_t cat = SIZE_MAX; /* SIZE_MAX: the global section */
	c->line = 0;
	for (char *line = text; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		c->line++;
		strip_comment(line);
		char *s = trim(line);
		if (!*s) {
			line = nl ? nl + 1 : NULL;
			continue;
		}
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close || close[1])
				return fail(c, "a section is written [name]");
			*close = '\0';
			char *name = trim(s + 1);
			if (!name_ok(name))
				return fail(c, "section [%.40s]: letters, digits, '_', '-', '.'",
				            name);
			cat = strcmp(name, "readiness") == 0 ? SIZE_MAX : category(c->m, name);
		} else {
			char *eq = strchr(s, '=');
			if (!eq)
				return fail(c, "expected 'key = value', '[section]' or a comment");
			*eq = '\0';
			char *key = trim(s);
			char *value = trim(eq + 1);
			if (!*value)
				return fail(c, "%.40s has no value", key);
			bool ok = strcmp(key, "include") == 0 ? include(c, value)
			          : cat != SIZE_MAX ? category_key(c, &c->m->cats[cat], key, value)
			                            : global_key(c, key, value);
			if (!ok)
				return false;
		}
		line = nl ? nl + 1 : NULL;
	}
	return true;
}

static bool load(struct ctx *c, const char *path)
{
	for (int i = 0; i < c->depth; i++)
		if (strcmp(c->stack[i], path) == 0)
			return fail(c, "%.100s includes itself", path);
	char why[200];
	char *text = rp_file_read(path, MANIFEST_MAX, NULL, NULL, why, sizeof why);
	if (!text) {
		if (c->depth == 0)
			snprintf(c->err, c->errlen, "the manifest %.200s %s", path, why);
		else {
			fail(c, "the included file %.100s %.150s", path, why);
		}
		return false;
	}
	char *stack[INCLUDE_DEPTH + 1];
	for (int i = 0; i < c->depth; i++)
		stack[i] = c->stack[i];
	stack[c->depth] = (char *)path;
	struct ctx sub = *c;
	sub.file = path;
	sub.stack = stack;
	bool ok = parse_text(&sub, text);
	free(text);
	return ok;
}

bool rp_manifest_load(struct rp_manifest *m, const char *path, char *err, size_t errlen)
{
	struct ctx c = { m, path, 0, err, errlen, 0, NULL };
	return load(&c, path);
}

bool rp_manifest_parse(struct rp_manifest *m, const char *name, const char *text, char *err,
                       size_t errlen)
{
	char *copy = rp_xstrdup(text);
	char *stack[1] = { (char *)name };
	/* depth 0, but name is on the stack for include's cycle check */
	struct ctx c = { m, name, 0, err, errlen, 0, stack };
	bool ok = parse_text(&c, copy);
	free(copy);
	return ok;
}

void rp_manifest_free(struct rp_manifest *m)
{
	for (size_t i = 0; i < m->ncats; i++) {
		struct rp_mf_category *cat = &m->cats[i];
		for (size_t k = 0; k < cat->n; k++) {
			free(cat->checks[k].name);
			free(cat->checks[k].file);
			rp_strv_free(cat->checks[k].argv, cat->checks[k].argc);
		}
		free(cat->checks);
		free(cat->name);
	}
	free(m->cats);
	free(m->warning);
	free(m->critical);
	free(m->plugin_dir);
	memset(m, 0, sizeof *m);
}
