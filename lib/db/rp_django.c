#include "rp_django.h"

#include "rp_file.h"
#include "rp_util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Bounds: a migration's file read for its replaces, the names it lists. */
#define MIGRATION_FILE_MAX (1024 * 1024)
#define REPLACES_MAX       4096

struct listing {
	size_t max;
	size_t seen; /* directories looked into and migrations listed */
	struct rp_django_listing out;
	bool over;
};

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_package(const char *dir)
{
	char *init = rp_xasprintf("%s/__init__.py", dir);
	struct stat st;
	bool ok = stat(init, &st) == 0 && S_ISREG(st.st_mode);
	free(init);
	return ok;
}

static bool counted(struct listing *l)
{
	if (++l->seen > l->max)
		l->over = true;
	return !l->over;
}

/* A module Django's loader takes: name.py, not _name or ~name. */
static bool migration_module(const char *dir, const char *name, size_t *stem)
{
	size_t len = strlen(name);
	if (len <= 3 || name[0] == '_' || name[0] == '~' || name[0] == '.' ||
	    strcmp(name + len - 3, ".py") != 0)
		return false;
	char *path = rp_xasprintf("%s/%s", dir, name);
	struct stat st;
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	*stem = len - 3;
	return ok;
}

static void add_migration(struct listing *l, const char *migrations, const char *file,
                          const char *label, size_t stem)
{
	struct rp_django_listing *o = &l->out;
	o->m = rp_xreallocarray(o->m, o->n + 1, sizeof *o->m);
	struct rp_django_migration *m = &o->m[o->n++];
	memset(m, 0, sizeof *m);
	m->name = rp_xasprintf("%s.%.*s", label, (int)stem, file);
	char *path = rp_xasprintf("%s/%s", migrations, file), why[128];
	size_t len;
	/* one that cannot be read is taken as replacing nothing */
	char *text = rp_file_read(path, MIGRATION_FILE_MAX, &len, NULL, why, sizeof why);
	if (text)
		m->nreplaces = rp_django_replaces(text, len, &m->replaces);
	free(text);
	free(path);
}

static void add_app(struct listing *l, const char *migrations, const char *label)
{
	DIR *d = opendir(migrations);
	if (!d)
		return;
	rp_strv_push(&l->out.apps, &l->out.napps, label);
	struct dirent *e;
	size_t stem;
	while (!l->over && (e = readdir(d)) != NULL)
		if (migration_module(migrations, e->d_name, &stem) && counted(l))
			add_migration(l, migrations, e->d_name, label, stem);
	closedir(d);
}

/* dir/NAME is an app when it holds a migrations package. */
static bool try_app(struct listing *l, const char *dir, const char *name)
{
	char *mig = rp_xasprintf("%s/%s/migrations", dir, name);
	bool app = is_package(mig);
	if (app)
		add_app(l, mig, name);
	free(mig);
	return app;
}

static void scan(struct listing *l, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while (!l->over && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !counted(l))
			continue;
		char *sub = rp_xasprintf("%s/%s", dir, e->d_name);
		if (is_dir(sub) && !try_app(l, dir, e->d_name) && depth > 1)
			scan(l, sub, depth - 1);
		free(sub);
	}
	closedir(d);
}

static const char *last_part(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* dir as an app's migrations/ package, or as an app. */
static bool list_as_app(struct listing *l, const char *dir)
{
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return false;
	if (strcmp(last_part(real), "migrations") == 0 && is_package(real)) {
		char *slash = strrchr(real, '/');
		*slash = '\0';
		char *label = rp_xstrdup(last_part(real));
		*slash = '/';
		add_app(l, real, label);
		free(label);
		return true;
	}
	char *mig = rp_xasprintf("%s/migrations", real);
	bool app = is_package(mig);
	if (app)
		add_app(l, mig, last_part(real));
	free(mig);
	return app;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_migration(const void *a, const void *b)
{
	const struct rp_django_migration *x = a, *y = b;
	return strcmp(x->name, y->name);
}

bool rp_django_list(const char *dir, size_t max, struct rp_django_listing *out, char *err,
                    size_t errlen)
{
	struct listing l = { .max = max };
	memset(out, 0, sizeof *out);
	errno = 0;
	if (!is_dir(dir)) {
		snprintf(err, errlen, "cannot read the directory: %s",
		         errno ? strerror(errno) : "not a directory");
		return false;
	}
	if (!list_as_app(&l, dir))
		scan(&l, dir, 2);
	if (l.over) {
		snprintf(err, errlen, "more than %zu migrations or directories: none compared",
		         max);
		rp_django_listing_free(&l.out);
		return false;
	}
	if (l.out.n)
		qsort(l.out.m, l.out.n, sizeof *l.out.m, by_migration);
	if (l.out.napps)
		qsort(l.out.apps, l.out.napps, sizeof *l.out.apps, by_name);
	*out = l.out;
	return true;
}

void rp_django_listing_free(struct rp_django_listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->m[i].name);
		rp_strv_free(l->m[i].replaces, l->m[i].nreplaces);
	}
	free(l->m);
	rp_strv_free(l->apps, l->napps);
	memset(l, 0, sizeof *l);
}

/* A one-line string literal without escapes or control characters, at
 * *p; its length, or 0. */
static size_t literal(const char *p, const char *end, const char **start)
{
	char quote = *p++;
	*start = p;
	while (p < end && *p != quote && *p != '\\' && (unsigned char)*p >= 0x20 && *p != 0x7f)
		p++;
	return p < end && *p == quote ? (size_t)(p - *start) : 0;
}

/* App labels and migration modules are Python identifiers (ASCII here):
 * anything else names nothing the ledger can hold. */
static bool identifier(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return len > 0;
}

/* Where the list after "replaces =" at a line's start begins, or NULL. */
static const char *replaces_list(const char *text, const char *end)
{
	for (const char *line = text; line < end;) {
		const char *p = line;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) > 8 && memcmp(p, "replaces", 8) == 0) {
			p += 8;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && *p == '=' && p + 1 < end && p[1] != '=') {
				p++;
				while (p < end && (*p == ' ' || *p == '\t'))
					p++;
				if (p < end && (*p == '[' || *p == '('))
					return p;
			}
		}
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		line = nl ? nl + 1 : end;
	}
	return NULL;
}

size_t rp_django_replaces(const char *text, size_t len, char ***out)
{
	*out = NULL;
	size_t n = 0;
	const char *end = text + len, *p = replaces_list(text, end);
	if (!p)
		return 0;
	int depth = 0;
	const char *pair[2] = { NULL, NULL };
	size_t plen[2] = { 0, 0 }, strings = 0;
	for (; p < end && n < REPLACES_MAX; p++) {
		if (*p == '[' || *p == '(') {
			if (++depth == 2)
				strings = 0;
			else if (depth > 2)
				strings = 3; /* a nested list: not an (app, name) pair */
		} else if (*p == ']' || *p == ')') {
			if (depth == 2 && strings == 2 && identifier(pair[0], plen[0]) &&
			    identifier(pair[1], plen[1])) {
				char *name = rp_xasprintf("%.*s.%.*s", (int)plen[0], pair[0],
				                          (int)plen[1], pair[1]);
				rp_strv_push(out, &n, name);
				free(name);
			}
			if (--depth == 0)
				break;
		} else if (*p == '\'' || *p == '"') {
			const char *s;
			size_t sl = literal(p, end, &s);
			if (sl == 0)
				break; /* not a plain literal: stop reading */
			if (depth == 2 && strings < 2)
				pair[strings] = s, plen[strings] = sl;
			if (depth == 2)
				strings++;
			p = s + sl;
		} else if (*p == '#') {
			while (p + 1 < end && p[1] != '\n')
				p++;
		}
	}
	return n;
}

bool rp_django_in_apps(const char *name, char *const *apps, size_t napps)
{
	const char *dot = strchr(name, '.');
	if (!dot)
		return false;
	size_t len = (size_t)(dot - name);
	size_t lo = 0, hi = napps;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(apps[mid], name, len);
		if (c == 0 && apps[mid][len] != '\0')
			c = 1;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

struct entry_key {
	const char *name;
	size_t index;
};

static int by_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry_key *)a)->name, ((const struct entry_key *)b)->name);
}

/* Marks the rows named name used; true when there is one. */
static bool in_ledger(const struct entry_key *keys, size_t n, const char *name, bool *used)
{
	struct entry_key k = { name, 0 };
	const struct entry_key *f = bsearch(&k, keys, n, sizeof k, by_entry);
	if (!f)
		return false;
	for (const struct entry_key *e = f; e >= keys && strcmp(e->name, name) == 0; e--)
		used[e->index] = true;
	for (const struct entry_key *e = f + 1; e < keys + n && strcmp(e->name, name) == 0; e++)
		used[e->index] = true;
	return true;
}

static size_t find_migration(const struct rp_django_listing *l, const char *name)
{
	struct rp_django_migration k = { .name = (char *)name };
	const struct rp_django_migration *f = bsearch(&k, l->m, l->n, sizeof k, by_migration);
	return f ? (size_t)(f - l->m) : (size_t)-1;
}

static void one_squashed(const struct rp_django_listing *l, size_t i, const struct entry_key *keys,
                         size_t nkeys, bool *applied, bool *skip, bool *used)
{
	const struct rp_django_migration *m = &l->m[i];
	size_t done = 0;
	bool unloadable = false;
	for (size_t r = 0; r < m->nreplaces; r++) {
		bool in = in_ledger(keys, nkeys, m->replaces[r], used);
		done += in;
		unloadable |= !in && find_migration(l, m->replaces[r]) == (size_t)-1;
	}
	in_ledger(keys, nkeys, m->name, used);
	applied[i] = done == m->nreplaces;
	if (done == m->nreplaces || done == 0) {
		for (size_t r = 0; r < m->nreplaces; r++) {
			size_t at = find_migration(l, m->replaces[r]);
			if (at != (size_t)-1)
				skip[at] = true;
		}
	} else if (!unloadable) {
		skip[i] = true;
	}
}

void rp_django_squashed(const struct rp_django_listing *l, char *const *entries, size_t nentries,
                        bool *applied, bool *skip, bool *used)
{
	struct entry_key *keys = rp_xcalloc(nentries + 1, sizeof *keys);
	for (size_t e = 0; e < nentries; e++)
		keys[e] = (struct entry_key){ entries[e], e };
	qsort(keys, nentries, sizeof *keys, by_entry);
	for (size_t i = 0; i < l->n; i++)
		if (l->m[i].nreplaces)
			one_squashed(l, i, keys, nentries, applied, skip, used);
	free(keys);
}
