#include "rp_alembic.h"

#include "rp_file.h"
#include "rp_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_INDEX ((size_t)-1)

struct cursor {
	const char *p;
	const char *end;
};

/* Blanks, line ends and comments: a tuple may span lines. */
static void skip_blank(struct cursor *c)
{
	while (c->p < c->end) {
		if (*c->p == '#') {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
		} else if (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r' ||
		           (*c->p == '\\' && c->p + 1 < c->end && c->p[1] == '\n')) {
			c->p++;
		} else {
			return;
		}
	}
}

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* A one-line string literal naming a revision: 'abc' or "abc", with an
 * r or u prefix. Control characters, empty and overlong ones are no
 * revision. */
static bool read_string(struct cursor *c, char **out)
{
	const char *p = c->p;
	if (p < c->end && (*p == 'r' || *p == 'R' || *p == 'u' || *p == 'U'))
		p++;
	if (p >= c->end || (*p != '\'' && *p != '"'))
		return false;
	char quote = *p++;
	const char *start = p;
	while (p < c->end && *p != quote) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
		p++;
	}
	size_t len = (size_t)(p - start);
	if (p >= c->end || len == 0 || len > RP_ALEMBIC_ID_MAX)
		return false;
	*out = rp_xstrndup(start, len);
	c->p = p + 1;
	return true;
}

static bool read_word(struct cursor *c, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0 ||
	    (c->p + n < c->end && ident_char(c->p[n])))
		return false;
	c->p += n;
	return true;
}

/* A tuple or list of string literals, after its opening bracket. */
static bool read_sequence(struct cursor *c, char close, char ***v, size_t *n)
{
	for (;;) {
		skip_blank(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return true;
		}
		char *s;
		if (*n == RP_ALEMBIC_REFS_MAX || !read_string(c, &s))
			return false;
		rp_strv_push(v, n, s);
		free(s);
		skip_blank(c);
		if (c->p < c->end && *c->p == ',')
			c->p++;
		else if (c->p >= c->end || *c->p != close)
			return false;
	}
}

/* None, a string, or a tuple or list of strings. */
static bool read_value(struct cursor *c, char ***v, size_t *n)
{
	skip_blank(c);
	if (read_word(c, "None"))
		return true;
	if (c->p < c->end && (*c->p == '(' || *c->p == '[')) {
		char close = *c->p == '(' ? ')' : ']';
		c->p++;
		return read_sequence(c, close, v, n);
	}
	char *s;
	if (!read_string(c, &s))
		return false;
	rp_strv_push(v, n, s);
	free(s);
	return true;
}

/* After a declared name at a line's start: an optional annotation, then
 * "=" (not "=="). c is left after it. */
static bool read_assign(struct cursor *c)
{
	if (c->p < c->end && *c->p == ':') {
		while (c->p < c->end && *c->p != '=' && *c->p != '\n')
			c->p++;
	} else {
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
			c->p++;
	}
	if (c->p >= c->end || *c->p != '=' || (c->p + 1 < c->end && c->p[1] == '='))
		return false;
	c->p++;
	return true;
}

static bool declares(struct cursor *c, const char *name)
{
	struct cursor at = *c;
	if (!read_word(&at, name) || !read_assign(&at))
		return false;
	*c = at;
	return true;
}

/* One line's declaration, if it is one of the three and the first of its
 * name. */
static void read_line(struct cursor *c, struct rp_alembic_rev *rev, bool seen[3])
{
	if (!seen[0] && declares(c, "revision")) {
		seen[0] = true;
		char **v = NULL;
		size_t n = 0;
		skip_blank(c);
		if (read_value(c, &v, &n) && n == 1)
			rev->id = rp_xstrdup(v[0]);
		rp_strv_free(v, n);
	} else if (!seen[1] && declares(c, "down_revision")) {
		seen[1] = true;
		if (!read_value(c, &rev->down, &rev->ndown) && !rev->bad)
			rev->bad = "down_revision";
	} else if (!seen[2] && declares(c, "depends_on")) {
		seen[2] = true;
		if (!read_value(c, &rev->deps, &rev->ndeps) && !rev->bad)
			rev->bad = "depends_on";
	}
}

bool rp_alembic_parse(const char *text, size_t len, struct rp_alembic_rev *rev)
{
	memset(rev, 0, sizeof *rev);
	bool seen[3] = { false, false, false };
	struct cursor c = { text, text + len };
	while (c.p < c.end) {
		read_line(&c, rev, seen);
		while (c.p < c.end && *c.p != '\n')
			c.p++;
		if (c.p < c.end)
			c.p++;
	}
	if (!rev->id) {
		rp_alembic_rev_free(rev);
		return false;
	}
	return true;
}

void rp_alembic_rev_free(struct rp_alembic_rev *rev)
{
	free(rev->id);
	free(rev->file);
	rp_strv_free(rev->down, rev->ndown);
	rp_strv_free(rev->deps, rev->ndeps);
	free(rev->up);
	memset(rev, 0, sizeof *rev);
}

void rp_alembic_tree_add(struct rp_alembic_tree *t, struct rp_alembic_rev *rev)
{
	t->revs = rp_xreallocarray(t->revs, t->n + 1, sizeof *t->revs);
	t->revs[t->n++] = *rev;
	memset(rev, 0, sizeof *rev);
	free(t->keys);
	t->keys = NULL;
}

void rp_alembic_tree_free(struct rp_alembic_tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		rp_alembic_rev_free(&t->revs[i]);
	free(t->revs);
	free(t->keys);
	memset(t, 0, sizeof *t);
}

static bool is_script(const char *name)
{
	size_t len = strlen(name);
	return name[0] != '.' && len > 3 && strcmp(name + len - 3, ".py") == 0 &&
	       strcmp(name, "__init__.py") != 0;
}

static void read_script(const char *dir, const char *name, struct rp_alembic_tree *t)
{
	char *path = rp_xasprintf("%s/%s", dir, name);
	char why[128];
	size_t len;
	/* a script too big, unreadable or not a file is left out like a
	 * helper: the tree's consistency check then names what it lacks */
	char *text = rp_file_read(path, RP_ALEMBIC_SCRIPT_MAX, &len, NULL, why, sizeof why);
	free(path);
	struct rp_alembic_rev rev;
	if (text && rp_alembic_parse(text, len, &rev)) {
		rev.file = rp_xstrdup(name);
		rp_alembic_tree_add(t, &rev);
	}
	free(text);
}

bool rp_alembic_read_dir(const char *dir, size_t max, struct rp_alembic_tree *t, char *err,
                         size_t errlen)
{
	memset(t, 0, sizeof *t);
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot read the versions directory: %s", strerror(errno));
		return false;
	}
	struct dirent *e;
	size_t scripts = 0;
	while ((e = readdir(d)) != NULL) {
		if (!is_script(e->d_name))
			continue;
		if (++scripts > max) {
			closedir(d);
			rp_alembic_tree_free(t);
			snprintf(err, errlen, "more than %zu scripts: none compared", max);
			return false;
		}
		read_script(dir, e->d_name, t);
	}
	closedir(d);
	return true;
}

static int by_key(const void *a, const void *b)
{
	const struct rp_alembic_key *x = a, *y = b;
	return strcmp(x->id, y->id);
}

size_t rp_alembic_find(const struct rp_alembic_tree *t, const char *id)
{
	if (!t->keys)
		return NO_INDEX;
	struct rp_alembic_key k = { id, 0 };
	const struct rp_alembic_key *f = bsearch(&k, t->keys, t->n, sizeof k, by_key);
	return f ? f->index : NO_INDEX;
}

static void build_keys(struct rp_alembic_tree *t)
{
	free(t->keys);
	t->keys = rp_xcalloc(t->n + 1, sizeof *t->keys);
	for (size_t i = 0; i < t->n; i++)
		t->keys[i] = (struct rp_alembic_key){ t->revs[i].id, i };
	qsort(t->keys, t->n, sizeof *t->keys, by_key);
}

static const char *rev_name(const struct rp_alembic_rev *r)
{
	return r->file ? r->file : r->id;
}

/* Each script's up: its down_revision's indexes, then its depends_on's
 * (a depends_on naming no revision may name a branch label: left out). */
static bool resolve(struct rp_alembic_tree *t, char *err, size_t errlen)
{
	for (size_t i = 0; i + 1 < t->n; i++)
		if (strcmp(t->keys[i].id, t->keys[i + 1].id) == 0) {
			snprintf(err, errlen, "revision %.80s is declared twice: %.80s and %.80s",
			         t->keys[i].id, rev_name(&t->revs[t->keys[i].index]),
			         rev_name(&t->revs[t->keys[i + 1].index]));
			return false;
		}
	for (size_t i = 0; i < t->n; i++) {
		struct rp_alembic_rev *r = &t->revs[i];
		if (r->bad) {
			snprintf(err, errlen,
			         "%.80s: %s is not None, a string or a tuple of strings",
			         rev_name(r), r->bad);
			return false;
		}
		free(r->up);
		r->up = rp_xcalloc(r->ndown + r->ndeps + 1, sizeof *r->up);
		r->nup = 0;
		for (size_t k = 0; k < r->ndown + r->ndeps; k++) {
			const char *id = k < r->ndown ? r->down[k] : r->deps[k - r->ndown];
			size_t at = rp_alembic_find(t, id);
			if (at == NO_INDEX && k < r->ndown) {
				snprintf(err, errlen,
				         "%.80s revises %.80s, which no script in the directory "
				         "declares",
				         rev_name(r), id);
				return false;
			}
			if (at != NO_INDEX)
				r->up[r->nup++] = at;
		}
	}
	return true;
}

/* Kahn's order: bases first, by id; then each revision once all it
 * revises is placed. order[] receives the old indexes. */
static bool topo_order(const struct rp_alembic_tree *t, size_t *order)
{
	size_t *pending = rp_xcalloc(t->n + 1, sizeof *pending);
	size_t *first = rp_xcalloc(t->n + 2, sizeof *first);
	for (size_t i = 0; i < t->n; i++) {
		pending[i] = t->revs[i].nup;
		for (size_t k = 0; k < t->revs[i].nup; k++)
			first[t->revs[i].up[k] + 1]++;
	}
	/* children of each revision, in id order (keys are by id) */
	for (size_t i = 0; i < t->n; i++)
		first[i + 1] += first[i];
	size_t *fill = rp_xcalloc(t->n + 1, sizeof *fill);
	size_t *kids = rp_xcalloc(first[t->n] + 1, sizeof *kids);
	size_t placed = 0;
	for (size_t j = 0; j < t->n; j++) {
		size_t i = t->keys[j].index;
		for (size_t k = 0; k < t->revs[i].nup; k++) {
			size_t u = t->revs[i].up[k];
			kids[first[u] + fill[u]++] = i;
		}
		if (pending[i] == 0)
			order[placed++] = i;
	}
	for (size_t q = 0; q < placed; q++)
		for (size_t k = first[order[q]]; k < first[order[q] + 1]; k++)
			if (--pending[kids[k]] == 0)
				order[placed++] = kids[k];
	free(pending), free(first), free(fill), free(kids);
	return placed == t->n;
}

static void apply_order(struct rp_alembic_tree *t, const size_t *order)
{
	size_t *where = rp_xcalloc(t->n + 1, sizeof *where);
	struct rp_alembic_rev *revs = rp_xcalloc(t->n + 1, sizeof *revs);
	for (size_t i = 0; i < t->n; i++) {
		revs[i] = t->revs[order[i]];
		where[order[i]] = i;
	}
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < revs[i].nup; k++)
			revs[i].up[k] = where[revs[i].up[k]];
	free(t->revs);
	t->revs = revs;
	free(where);
	build_keys(t);
}

bool rp_alembic_order(struct rp_alembic_tree *t, char *err, size_t errlen)
{
	build_keys(t);
	if (!resolve(t, err, errlen))
		return false;
	size_t *order = rp_xcalloc(t->n + 1, sizeof *order);
	bool ok = topo_order(t, order);
	if (ok)
		apply_order(t, order);
	else
		snprintf(err, errlen, "the revisions form a cycle (down_revision or depends_on)");
	free(order);
	return ok;
}

size_t rp_alembic_applied(const struct rp_alembic_tree *t, char *const *versions, size_t nversions,
                          bool *applied, bool *unknown)
{
	memset(applied, 0, t->n * sizeof *applied);
	for (size_t v = 0; v < nversions; v++) {
		size_t at = rp_alembic_find(t, versions[v]);
		unknown[v] = at == NO_INDEX;
		if (at != NO_INDEX)
			applied[at] = true;
	}
	/* base first: one pass from the top carries "applied" down to every
	 * ancestor */
	size_t n = 0;
	for (size_t i = t->n; i-- > 0;) {
		if (!applied[i])
			continue;
		n++;
		for (size_t k = 0; k < t->revs[i].nup; k++)
			applied[t->revs[i].up[k]] = true;
	}
	return n;
}

size_t rp_alembic_heads(const struct rp_alembic_tree *t, size_t *heads)
{
	bool *revised = rp_xcalloc(t->n + 1, sizeof *revised);
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < t->revs[i].ndown && k < t->revs[i].nup; k++)
			revised[t->revs[i].up[k]] = true;
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!revised[i])
			heads[n++] = i;
	free(revised);
	return n;
}
