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
/* requirements between checks once a category's expand to its checks */
#define MAX_NEEDS (1024 * 1024)

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
	} else if (strcmp(key, "requires-state") == 0) {
		if (strcmp(value, "ok") != 0 && strcmp(value, "warning") != 0)
			return fail(c, "requires-state = %.40s: ok or warning", value);
		m->requires_warning_ok = strcmp(value, "warning") == 0;
	} else if (strncmp(key, "requires", 8) == 0) {
		return fail(c, "%.40s belongs in a category's section, not in [readiness]", key);
	} else {
		return fail(c,
		            "unknown setting '%.40s' in [readiness] (jobs, timeout, warning, "
		            "critical, plugin-dir, requires-state, include)",
		            key);
	}
	return true;
}

/* "requires [CHECK] = CATEGORY[/CHECK], ...": commas and/or white space
 * between; what they name is looked up once everything is loaded. */
static bool add_requires(struct ctx *c, struct rp_mf_category *cat, const char *from,
                         const char *value)
{
	while (*from == ' ' || *from == '\t')
		from++;
	if (*from && !name_ok(from))
		return fail(c, "requires %.40s: a check name of letters, digits, '_', '-', '.'",
		            from);
	char *list = rp_xstrdup(value), *save = NULL;
	bool ok = true;
	for (char *ref = strtok_r(list, ", \t", &save); ref && ok;
	     ref = strtok_r(NULL, ", \t", &save)) {
		char *slash = strchr(ref, '/');
		if (slash)
			*slash = '\0';
		if (!name_ok(ref) || (slash && !name_ok(slash + 1))) {
			if (slash)
				*slash = '/';
			ok = fail(c, "requires %.60s: CATEGORY or CATEGORY/CHECK", ref);
			break;
		}
		cat->requires =
		        rp_xreallocarray(cat->requires, cat->nrequires + 1, sizeof *cat->requires);
		struct rp_mf_require *r = &cat->requires[cat->nrequires++];
		r->from = *from ? rp_xstrdup(from) : NULL;
		r->category = rp_xstrdup(ref);
		r->check = slash ? rp_xstrdup(slash + 1) : NULL;
		r->file = rp_xstrdup(c->file);
		r->line = c->line;
	}
	free(list);
	return ok;
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
		memset(ck, 0, sizeof *ck);
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
	} else if (strncmp(key, "requires", 8) == 0 &&
	           (key[8] == '\0' || key[8] == ' ' || key[8] == '\t')) {
		return add_requires(c, cat, key + 8, value);
	} else {
		return fail(c,
		            "unknown setting '%.40s' (check NAME, requires [NAME], weight, "
		            "blocking, timeout, score, include)",
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

/* ------------------------------------------------------------ requires */

const struct rp_mf_category *rp_manifest_category_of(const struct rp_manifest *m,
                                                     const struct rp_mf_check *ck)
{
	for (size_t i = 0; i < m->ncats; i++)
		if (m->cats[i].n && ck >= m->cats[i].checks &&
		    ck < m->cats[i].checks + m->cats[i].n)
			return &m->cats[i];
	return NULL;
}

static struct rp_mf_category *find_category(struct rp_manifest *m, const char *name)
{
	for (size_t i = 0; i < m->ncats; i++)
		if (strcmp(m->cats[i].name, name) == 0)
			return &m->cats[i];
	return NULL;
}

static struct rp_mf_check *find_check(struct rp_mf_category *cat, const char *name)
{
	for (size_t i = 0; i < cat->n; i++)
		if (strcmp(cat->checks[i].name, name) == 0)
			return &cat->checks[i];
	return NULL;
}

static bool require_fail(char *err, size_t errlen, const struct rp_mf_require *r, const char *fmt,
                         ...) RP_PRINTF(4, 5);

static bool require_fail(char *err, size_t errlen, const struct rp_mf_require *r, const char *fmt,
                         ...)
{
	char why[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%.200s, line %d: %s", r->file, r->line, why);
	return false;
}

static bool add_need(struct rp_mf_check *ck, const struct rp_mf_check *need, size_t *total)
{
	if (++*total > MAX_NEEDS)
		return false;
	ck->needs = rp_xreallocarray(ck->needs, ck->nneeds + 1, sizeof *ck->needs);
	ck->needs[ck->nneeds++] = need;
	return true;
}

/* One requires line: the checks it is for, each given what it names. */
static bool expand_require(struct rp_manifest *m, struct rp_mf_category *cat,
                           const struct rp_mf_require *r, size_t *total, char *err, size_t errlen)
{
	struct rp_mf_check *from = NULL;
	if (r->from && !(from = find_check(cat, r->from)))
		return require_fail(err, errlen, r, "requires %s: [%s] has no check %s", r->from,
		                    cat->name, r->from);
	struct rp_mf_category *target = find_category(m, r->category);
	if (!target)
		return require_fail(err, errlen, r, "requires %s: no category [%s]", r->category,
		                    r->category);
	struct rp_mf_check *one = NULL;
	if (r->check && !(one = find_check(target, r->check)))
		return require_fail(err, errlen, r, "requires %s/%s: [%s] has no check %s",
		                    r->category, r->check, r->category, r->check);
	if (!one && target->n == 0)
		return require_fail(err, errlen, r, "requires %s: [%s] has no checks", r->category,
		                    r->category);
	for (size_t i = 0; i < cat->n; i++) {
		struct rp_mf_check *ck = &cat->checks[i];
		if (from && ck != from)
			continue;
		for (size_t k = 0; k < (one ? 1 : target->n); k++)
			if (!add_need(ck, one ? one : &target->checks[k], total))
				return require_fail(err, errlen, r,
				                    "more than %d requirements between checks",
				                    MAX_NEEDS);
	}
	return true;
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const struct rp_mf_check *const *)a;
	uintptr_t y = (uintptr_t) * (const struct rp_mf_check *const *)b;
	return x < y ? -1 : x > y;
}

/* A check's requirements once each (a category and one of its checks may
 * both name it). */
static void unique_needs(struct rp_mf_check *ck)
{
	if (ck->nneeds < 2)
		return;
	qsort(ck->needs, ck->nneeds, sizeof *ck->needs, by_address);
	size_t k = 1;
	for (size_t i = 1; i < ck->nneeds; i++)
		if (ck->needs[i] != ck->needs[k - 1])
			ck->needs[k++] = ck->needs[i];
	ck->nneeds = k;
}

/* The requires line that made "from needs to": the one a cycle error names. */
static const struct rp_mf_require *
origin(const struct rp_manifest *m, const struct rp_mf_check *from, const struct rp_mf_check *to)
{
	const struct rp_mf_category *fc = rp_manifest_category_of(m, from);
	const struct rp_mf_category *tc = rp_manifest_category_of(m, to);
	for (size_t i = 0; fc && tc && i < fc->nrequires; i++) {
		const struct rp_mf_require *r = &fc->requires[i];
		if ((!r->from || strcmp(r->from, from->name) == 0) &&
		    strcmp(r->category, tc->name) == 0 &&
		    (!r->check || strcmp(r->check, to->name) == 0))
			return r;
	}
	return NULL;
}

/* depth -1: not visited yet; -2: on the path being walked (a cycle if met
 * again). path holds that walk, for the message. */
struct walk {
	const struct rp_manifest *m;
	const struct rp_mf_check **path;
	size_t npath;
	char *err;
	size_t errlen;
};

static bool cycle_error(struct walk *w, const struct rp_mf_check *again)
{
	size_t start = 0;
	while (start < w->npath && w->path[start] != again)
		start++;
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = start; i <= w->npath; i++) {
		const struct rp_mf_check *ck = i < w->npath ? w->path[i] : again;
		if (i > start + 8 && i < w->npath) {
			if (i == start + 9)
				rp_buf_puts(&b, " -> ...");
			continue;
		}
		rp_buf_printf(&b, "%s%s/%s", i > start ? " -> " : "",
		              rp_manifest_category_of(w->m, ck)->name, ck->name);
	}
	const struct rp_mf_require *r = origin(w->m, w->path[w->npath - 1], again);
	snprintf(w->err, w->errlen, "%.200s, line %d: a cycle of requirements: %.400s",
	         r ? r->file : "?", r ? r->line : 0, b.data);
	rp_buf_free(&b);
	return false;
}

static bool walk_depth(struct walk *w, struct rp_mf_check *ck)
{
	if (ck->depth == -2)
		return cycle_error(w, ck);
	if (ck->depth >= 0)
		return true;
	ck->depth = -2;
	w->path[w->npath++] = ck;
	int depth = 0;
	for (size_t i = 0; i < ck->nneeds; i++) {
		struct rp_mf_check *need = (struct rp_mf_check *)ck->needs[i];
		if (!walk_depth(w, need))
			return false;
		if (need->depth + 1 > depth)
			depth = need->depth + 1;
	}
	w->npath--;
	ck->depth = depth;
	return true;
}

bool rp_manifest_resolve(struct rp_manifest *m, char *err, size_t errlen)
{
	size_t total = 0, nchecks = total_checks(m);
	for (size_t c = 0; c < m->ncats; c++) {
		struct rp_mf_category *cat = &m->cats[c];
		for (size_t i = 0; i < cat->nrequires; i++)
			if (!expand_require(m, cat, &cat->requires[i], &total, err, errlen))
				return false;
		for (size_t i = 0; i < cat->n; i++) {
			unique_needs(&cat->checks[i]);
			cat->checks[i].depth = -1;
		}
	}
	struct walk w = { m, rp_xcalloc(nchecks + 1, sizeof *w.path), 0, err, errlen };
	bool ok = true;
	m->depth = 0;
	for (size_t c = 0; c < m->ncats && ok; c++)
		for (size_t i = 0; i < m->cats[c].n && ok; i++) {
			ok = walk_depth(&w, &m->cats[c].checks[i]);
			if (ok && m->cats[c].checks[i].depth > m->depth)
				m->depth = m->cats[c].checks[i].depth;
		}
	free(w.path);
	return ok;
}

void rp_manifest_free(struct rp_manifest *m)
{
	for (size_t i = 0; i < m->ncats; i++) {
		struct rp_mf_category *cat = &m->cats[i];
		for (size_t k = 0; k < cat->n; k++) {
			free(cat->checks[k].name);
			free(cat->checks[k].file);
			free(cat->checks[k].needs);
			rp_strv_free(cat->checks[k].argv, cat->checks[k].argc);
		}
		for (size_t k = 0; k < cat->nrequires; k++) {
			free(cat->requires[k].from);
			free(cat->requires[k].category);
			free(cat->requires[k].check);
			free(cat->requires[k].file);
		}
		free(cat->requires);
		free(cat->checks);
		free(cat->name);
	}
	free(m->cats);
	free(m->warning);
	free(m->critical);
	free(m->plugin_dir);
	memset(m, 0, sizeof *m);
}
