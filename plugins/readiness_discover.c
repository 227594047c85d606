/* readiness_discover.c: check_readiness --discover DIR. Looks through a
 * deployment directory (without following directory symlinks, at most
 * DEPTH_MAX deep and ENTRIES_MAX entries) for what a person would check:
 * .env files and their templates, wrangler.toml (D1 and KV bindings, vars,
 * crons), compose files (the ports services publish), SQLite and DuckDB
 * files, migrations directories, systemd units, and URLs in .env values;
 * and writes the manifest that person would have written, every check
 * commented. It runs nothing and reads only small regular files; no
 * secret value reaches the manifest (URLs lose their credentials and
 * query, and keys that name secrets are not read for URLs at all). */
#include "readiness_discover.h"
#include "rp_dotenv.h"
#include "rp_file.h"
#include "rp_secret.h"
#include "rp_text.h"
#include "rp_toml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEPTH_MAX    6
#define ENTRIES_MAX  20000
#define PER_KIND_MAX 64

static const char *const cat_names[] = { "config", "database", "services", "api" };

/* ------------------------------------------------------------- the walk */

static bool skipped_dir(const char *name)
{
	static const char *const skip[] = { ".git",        "node_modules", ".venv",  "venv",
		                            "__pycache__", ".next",        ".cache", ".tox",
		                            "target",      "dist",         NULL };
	for (int i = 0; skip[i]; i++)
		if (strcmp(name, skip[i]) == 0)
			return true;
	return false;
}

bool discover_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int kind_of_file(const char *name)
{
	static const char *const templates[] = { ".env.example",      ".env.sample",
		                                 ".env.template",     ".env.dist",
		                                 ".dev.vars.example", NULL };
	for (int i = 0; templates[i]; i++)
		if (strcmp(name, templates[i]) == 0)
			return K_TEMPLATE;
	if (strcmp(name, ".env") == 0 || strncmp(name, ".env.", 5) == 0 ||
	    strcmp(name, ".dev.vars") == 0)
		return K_ENV;
	if (strcmp(name, "wrangler.toml") == 0)
		return K_WRANGLER;
	if (!strcmp(name, "docker-compose.yml") || !strcmp(name, "docker-compose.yaml") ||
	    !strcmp(name, "compose.yml") || !strcmp(name, "compose.yaml"))
		return K_COMPOSE;
	if (discover_ends_with(name, ".service") || discover_ends_with(name, ".timer"))
		return K_UNIT;
	if (strcmp(name, "alembic.ini") == 0)
		return K_ALEMBIC;
	if (discover_ends_with(name, ".db") || discover_ends_with(name, ".sqlite") ||
	    discover_ends_with(name, ".sqlite3") || discover_ends_with(name, ".duckdb") ||
	    discover_ends_with(name, ".ddb"))
		return K_DB;
	return -1;
}

static void keep(struct found *f, int kind, const char *path)
{
	if (f->n[kind] < PER_KIND_MAX)
		rp_strv_push(&f->paths[kind], &f->n[kind], path);
	else
		f->cut = true;
}

/* A directory named migrations holding .sql files. */
static bool has_sql(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool yes = false;
	for (struct dirent *e; !yes && (e = readdir(d));)
		yes = discover_ends_with(e->d_name, ".sql");
	closedir(d);
	return yes;
}

bool discover_clean_name(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void walk(struct found *f, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++f->entries > ENTRIES_MAX) {
			f->cut = true;
			break;
		}
		if (!discover_clean_name(e->d_name)) {
			f->odd++;
			continue;
		}
		struct stat st;
		char *path = rp_xasprintf("%s/%s", dir, e->d_name);
		/* a directory symlink is not followed (loops, other trees); a file
		 * symlink is (a .env linked from /etc is the deployment's) */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode)) {
			if (strcmp(e->d_name, "migrations") == 0 && has_sql(path))
				keep(f, K_MIGRATIONS, path);
			if (depth < DEPTH_MAX && !skipped_dir(e->d_name))
				walk(f, path, depth + 1);
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			int k = kind_of_file(e->d_name);
			if (k >= 0)
				keep(f, k, path);
		}
		free(path);
	}
	closedir(d);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
/* ---------------------------------------------------------- the writing */

/* A check name from any text: letters, digits, '-', '.', '_', at most 40,
 * unique in its category. */
static char *check_name(struct draft *d, int cat, const char *from)
{
	char base[41];
	size_t n = 0;
	for (const char *p = from; *p && n < 32; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')
			base[n++] = c;
		else if (c >= 'A' && c <= 'Z')
			base[n++] = (char)(c - 'A' + 'a');
		else if (n && base[n - 1] != '-')
			base[n++] = '-';
	}
	while (n && (base[n - 1] == '-' || base[n - 1] == '.'))
		n--;
	while (n && base[0] == '.')
		memmove(base, base + 1, --n);
	if (n == 0)
		base[n++] = 'x';
	base[n] = '\0';
	char *name = rp_xstrdup(base);
	for (int k = 2;; k++) {
		bool taken = false;
		for (size_t i = 0; i < d->nnames[cat] && !taken; i++)
			taken = strcmp(d->names[cat][i], name) == 0;
		if (!taken)
			break;
		free(name);
		name = rp_xasprintf("%s-%d", base, k);
	}
	rp_strv_push(&d->names[cat], &d->nnames[cat], name);
	return name;
}

/* "# text" lines: sanitised, so no file name or value starts a new line. */
void discover_comment(struct rp_buf *b, const char *text)
{
	rp_buf_puts(b, "# ");
	rp_text_sanitize_into(b, text, strlen(text), 400);
	rp_buf_putc(b, '\n');
}

/* Starts a check line: "check NAME = " in category cat, after its comment. */
void discover_check_start(struct draft *d, int cat, const char *name_from, const char *why)
{
	char *name = check_name(d, cat, name_from);
	rp_buf_putc(&d->cat[cat], '\n');
	discover_comment(&d->cat[cat], why);
	rp_buf_printf(&d->cat[cat], "check %s =", name);
	free(name);
	d->nchecks[cat]++;
}

void discover_word(struct draft *d, int cat, const char *w)
{
	rp_buf_putc(&d->cat[cat], ' ');
	rp_text_shell_word(&d->cat[cat], w);
}

void discover_check_end(struct draft *d, int cat)
{
	rp_buf_putc(&d->cat[cat], '\n');
}

/* path relative to root, for comments */
const char *discover_rel(const char *root, const char *path)
{
	size_t n = strlen(root);
	return strncmp(path, root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

char *discover_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? rp_xstrndup(path, (size_t)(slash - path)) : rp_xstrdup(".");
}

const char *discover_base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

const char *discover_find_path(const struct found *f, int kind, const char *path)
{
	for (size_t i = 0; i < f->n[kind]; i++)
		if (strcmp(f->paths[kind][i], path) == 0)
			return f->paths[kind][i];
	return NULL;
}
void discover_sqlite_check(struct draft *d, const char *name_from, const char *why, const char *db,
                           const char *migrations)
{
	discover_check_start(d, C_DATABASE, name_from, why);
	discover_word(d, C_DATABASE, "check_sqlite");
	discover_word(d, C_DATABASE, "--db");
	discover_word(d, C_DATABASE, db);
	if (migrations) {
		discover_word(d, C_DATABASE, "--migrations");
		discover_word(d, C_DATABASE, migrations);
	}
	discover_check_end(d, C_DATABASE);
}

/* ------------------------------------------------------------ assembly */

static void draft_free(struct draft *d)
{
	for (int c = 0; c < 4; c++) {
		rp_buf_free(&d->cat[c]);
		rp_strv_free(d->names[c], d->nnames[c]);
	}
	rp_buf_free(&d->notes);
}

static void found_free(struct found *f)
{
	for (int k = 0; k < NK; k++)
		rp_strv_free(f->paths[k], f->n[k]);
}

/* The manifest: a header, [readiness], each category with checks, the
 * notes. */
static void assemble(const struct draft *d, const struct found *f, const char *root,
                     struct rp_buf *out)
{
	static const char *const settings[] = { "weight = 2\nblocking = yes\n",
		                                "weight = 3\nblocking = yes\n", "weight = 2\n",
		                                "weight = 2\n" };
	rp_buf_puts(out, "# A starter readiness manifest for ");
	rp_text_sanitize_into(out, root, strlen(root), 300);
	rp_buf_puts(out, ",\n# written by check_readiness --discover. Nothing was run to write "
	                 "it, and no\n# secret value is in it: URLs lost their credentials and "
	                 "queries. Review\n# each check (thresholds, health paths, what must "
	                 "block), then run it:\n#   check_readiness -f THIS_FILE\n\n"
	                 "[readiness]\nwarning = 90:\ncritical = 70:\n");
	for (int c = 0; c < 4; c++) {
		if (!d->nchecks[c])
			continue;
		rp_buf_printf(out, "\n[%s]\n%s", cat_names[c], settings[c]);
		if (c == C_API && d->nchecks[C_SERVICES])
			rp_buf_puts(out, "# not run while a service is down: one root cause counts "
			                 "once\nrequires = services\n");
		rp_buf_puts(out, d->cat[c].data);
	}
	if (d->notes.len || f->cut || f->odd) {
		rp_buf_puts(out, "\n# Also found, and not checked above:\n");
		if (d->notes.len)
			rp_buf_puts(out, d->notes.data);
		if (f->cut)
			rp_buf_printf(out,
			              "# the search stopped at its bound (%d levels, %d entries, "
			              "%d files of a kind): some of the tree was not seen\n",
			              DEPTH_MAX, ENTRIES_MAX, PER_KIND_MAX);
		if (f->odd)
			rp_buf_printf(out, "# %zu name(s) with control characters were left out\n",
			              f->odd);
	}
}

static void sort_found(struct found *f)
{
	for (int k = 0; k < NK; k++)
		if (f->n[k] > 1)
			qsort(f->paths[k], f->n[k], sizeof *f->paths[k], by_text);
}

bool readiness_discover(const char *dir, struct rp_buf *out, char *why, size_t whylen)
{
	char root[PATH_MAX];
	struct stat st;
	if (!realpath(dir, root) || stat(root, &st) != 0) {
		snprintf(why, whylen, "--discover %.200s: %s", dir, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "--discover %.200s: not a directory", dir);
		return false;
	}
	struct found f;
	memset(&f, 0, sizeof f);
	walk(&f, root, 1);
	sort_found(&f);
	struct draft d;
	memset(&d, 0, sizeof d);
	bool *db_used = rp_xcalloc(f.n[K_DB] + 1, sizeof *db_used);
	bool *mig_used = rp_xcalloc(f.n[K_MIGRATIONS] + 1, sizeof *mig_used);
	char **url_dbs = NULL;
	size_t nurl_dbs = 0;
	discover_env_checks(&d, &f, root);
	discover_wrangler_checks(&d, &f, root, db_used, mig_used);
	for (size_t i = 0; i < f.n[K_ENV]; i++)
		discover_env_urls(&d, root, f.paths[K_ENV][i], &url_dbs, &nurl_dbs);
	discover_db_checks(&d, &f, root, db_used, mig_used, url_dbs, nurl_dbs);
	discover_compose_checks(&d, &f, root);
	discover_unit_notes(&d, &f, root);
	size_t checks = d.nchecks[0] + d.nchecks[1] + d.nchecks[2] + d.nchecks[3];
	if (checks)
		assemble(&d, &f, root, out);
	else
		snprintf(why, whylen,
		         "--discover %.200s: nothing to write a check for (no .env, wrangler.toml, "
		         "compose file or database within %d levels)",
		         root, DEPTH_MAX);
	rp_strv_free(url_dbs, nurl_dbs);
	free(db_used);
	free(mig_used);
	draft_free(&d);
	found_free(&f);
	return checks > 0;
}
