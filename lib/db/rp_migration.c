#include "rp_migration.h"

#include "rp_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

static const char *base_name(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

bool rp_migration_version(const char *name, char *out, size_t outlen)
{
	const char *p = base_name(name);
	if (*p == 'V' || *p == 'v')
		p++;
	size_t n = 0;
	while (p[n] >= '0' && p[n] <= '9')
		n++;
	if (n == 0 || outlen == 0)
		return false;
	while (n > 1 && *p == '0')
		p++, n--;
	if (n >= outlen)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t sl = strlen(suffix);
	return len >= sl && memcmp(s + len - sl, suffix, sl) == 0;
}

void rp_migration_stem(const char *name, char *out, size_t outlen)
{
	static const char *const exts[] = { ".up.sql", ".sql", ".js",  ".ts",
		                            ".rb",     ".go",  ".cjs", ".mjs" };
	const char *b = base_name(name);
	size_t len = strlen(b);
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		if (has_suffix(b, len, exts[i]) && len > strlen(exts[i])) {
			len -= strlen(exts[i]);
			break;
		}
	}
	if (outlen == 0)
		return;
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, b, len);
	out[len] = '\0';
}

/* An entry that is only a version: digits, optionally after V/v. */
static bool is_pure_version(const char *entry)
{
	const char *p = entry;
	if (*p == 'V' || *p == 'v')
		p++;
	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

bool rp_migration_matches(const char *file, const char *entry)
{
	if (!*entry)
		return false;
	if (strcmp(base_name(file), entry) == 0)
		return true;
	if (is_pure_version(entry)) {
		char fv[RP_MIGRATION_NAME_MAX], ev[RP_MIGRATION_NAME_MAX];
		return rp_migration_version(file, fv, sizeof fv) &&
		       rp_migration_version(entry, ev, sizeof ev) && strcmp(fv, ev) == 0;
	}
	char fs[RP_MIGRATION_NAME_MAX], es[RP_MIGRATION_NAME_MAX];
	rp_migration_stem(file, fs, sizeof fs);
	rp_migration_stem(entry, es, sizeof es);
	return fs[0] && strcmp(fs, es) == 0;
}

int rp_migration_version_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_migration_entry(const char *dir, const struct dirent *e)
{
	size_t len = strlen(e->d_name);
	if (e->d_name[0] == '.')
		return false;
	char *path = rp_xasprintf("%s/%s", dir, e->d_name);
	struct stat st;
	bool ok = false;
	if (stat(path, &st) == 0) {
		if (S_ISREG(st.st_mode)) {
			ok = has_suffix(e->d_name, len, ".sql") &&
			     !has_suffix(e->d_name, len, ".down.sql");
		} else if (S_ISDIR(st.st_mode)) {
			char *inner = rp_xasprintf("%s/migration.sql", path);
			ok = stat(inner, &st) == 0 && S_ISREG(st.st_mode);
			free(inner);
		}
	}
	free(path);
	return ok;
}

bool rp_migration_list_dir(const char *dir, size_t max, char ***names, size_t *n, char *err,
                           size_t errlen)
{
	DIR *d = opendir(dir);
	*names = NULL;
	*n = 0;
	if (!d) {
		snprintf(err, errlen, "cannot read migrations directory: %s", strerror(errno));
		return false;
	}
	struct dirent *e;
	bool over = false;
	while ((e = readdir(d)) != NULL) {
		if (!is_migration_entry(dir, e))
			continue;
		if (*n == max) {
			/* readdir's order is no order: a part would be a random part */
			over = true;
			break;
		}
		*names = rp_xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = rp_xstrdup(e->d_name);
	}
	closedir(d);
	if (over) {
		snprintf(err, errlen, "more than %zu migration files: none compared", max);
		rp_strv_free(*names, *n);
		*names = NULL;
		*n = 0;
		return false;
	}
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_names);
	return true;
}
