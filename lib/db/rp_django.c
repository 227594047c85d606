#include "rp_django.h"

#include "rp_util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct listing {
	size_t max;
	size_t seen; /* directories looked into and migrations listed */
	char **names;
	size_t n;
	char **apps;
	size_t napps;
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

static void add_app(struct listing *l, const char *migrations, const char *label)
{
	DIR *d = opendir(migrations);
	if (!d)
		return;
	rp_strv_push(&l->apps, &l->napps, label);
	struct dirent *e;
	size_t stem;
	while (!l->over && (e = readdir(d)) != NULL)
		if (migration_module(migrations, e->d_name, &stem) && counted(l)) {
			char *name = rp_xasprintf("%s.%.*s", label, (int)stem, e->d_name);
			rp_strv_push(&l->names, &l->n, name);
			free(name);
		}
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

bool rp_django_list(const char *dir, size_t max, char ***names, size_t *n, char ***apps,
                    size_t *napps, char *err, size_t errlen)
{
	struct listing l = { .max = max };
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
		rp_strv_free(l.names, l.n);
		rp_strv_free(l.apps, l.napps);
		return false;
	}
	if (l.n)
		qsort(l.names, l.n, sizeof *l.names, by_name);
	if (l.napps)
		qsort(l.apps, l.napps, sizeof *l.apps, by_name);
	*names = l.names, *n = l.n, *apps = l.apps, *napps = l.napps;
	return true;
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
