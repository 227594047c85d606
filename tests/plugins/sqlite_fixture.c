/* The check_sqlite tests' fixture: a fresh directory a test, SQLite files
 * built there with the C API, the plugin run as an engine runs it, and a
 * digest of the directory to prove a check changed nothing. */
#include "sqlite_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *dir;

void setup(void)
{
	dir = h_tempdir();
	chmod(dir, 0755); /* the permission test runs the plugin as nobody */
}

void teardown(void)
{
	h_rmrf(dir);
	free(dir);
}

char *path_of(const char *name)
{
	return rp_xasprintf("%s/%s", dir, name);
}

/* Creates dir/name and runs the SQL in it; returns the path. */
char *make_db(const char *name, const char *sql)
{
	char *path = path_of(name);
	sqlite3 *db;
	ck_assert(sqlite3_open(path, &db) == SQLITE_OK);
	char *err = NULL;
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
	sqlite3_close(db);
	return path;
}

void make_dir(const char *name)
{
	char *p = path_of(name);
	ck_assert(mkdir(p, 0755) == 0);
	free(p);
}

void write_text(const char *name, const char *text)
{
	free(h_write_file(dir, name, text, strlen(text)));
}

void run_plugin(struct h_run *r, const char *plugin, const char *label, const char *const *pre,
                const char *first, va_list ap)
{
	char *argv[64];
	size_t n = 0;
	argv[n++] = (char *)plugin;
	for (size_t i = 0; pre && pre[i] && n < 63; i++)
		argv[n++] = (char *)pre[i];
	for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	argv[n] = NULL;
	h_run_argv(r, argv, NULL, 30);
	h_assert_contract(r, label);
}

/* Runs the plugin with the given arguments and checks the contract. */
void run(struct h_run *r, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	run_plugin(r, PLUGIN, "SQLITE", NULL, first, ap);
	va_end(ap);
}

static unsigned long long fnv(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	unsigned char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
	close(fd);
	return h;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names, types, sizes, mtimes and content hashes of everything in dir. */
char *digest(void)
{
	DIR *d = opendir(dir);
	ck_assert(d != NULL);
	char *lines[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < 256) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *p = path_of(e->d_name);
		struct stat st;
		lstat(p, &st);
		lines[n++] = rp_xasprintf("%s %o %lld %lld.%09ld %llx", e->d_name, st.st_mode,
		                          (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		                          st.st_mtim.tv_nsec, S_ISREG(st.st_mode) ? fnv(p) : 0ULL);
		free(p);
	}
	closedir(d);
	qsort(lines, n, sizeof lines[0], cmp_str);
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		rp_buf_printf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	return rp_buf_steal(&b);
}

const char *const app_schema =
        "CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER, kind TEXT);"
        "CREATE INDEX events_ts ON events(ts);"
        "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);"
        "CREATE TABLE price_comparisons(id INTEGER PRIMARY KEY, price REAL);";
