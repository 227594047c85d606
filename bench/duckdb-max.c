/* duckdb-max: what a user would write instead of check_duckdb --fresh: open
 * a DuckDB file with the C API (libduckdb loaded from LIB) and run one
 * statement, printing the first value. bench/bench-duckdb builds it.
 *
 *   duckdb-max LIB DB SQL [rw]     (rw: open read-write, to make the file) */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef int (*open_fn)(const char *, void **, void *, char **);
typedef int (*config_fn)(void **);
typedef int (*set_fn)(void *, const char *, const char *);
typedef int (*connect_fn)(void *, void **);
typedef int (*query_fn)(void *, const char *, void *);
typedef char *(*varchar_fn)(void *, uint64_t, uint64_t);
typedef const char *(*error_fn)(void *);

static void *fn(void *dl, const char *name)
{
	void *f = dlsym(dl, name);
	if (!f)
		fprintf(stderr, "no %s\n", name);
	return f;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	void *dl = dlopen(argv[1], RTLD_NOW);
	if (!dl)
		return fprintf(stderr, "%s\n", dlerror()), 2;
	open_fn op;
	config_fn cc;
	set_fn sc;
	connect_fn co;
	query_fn qu;
	varchar_fn vv;
	error_fn er;
	void *f;
	f = fn(dl, "duckdb_open_ext"), memcpy(&op, &f, sizeof f);
	f = fn(dl, "duckdb_create_config"), memcpy(&cc, &f, sizeof f);
	f = fn(dl, "duckdb_set_config"), memcpy(&sc, &f, sizeof f);
	f = fn(dl, "duckdb_connect"), memcpy(&co, &f, sizeof f);
	f = fn(dl, "duckdb_query"), memcpy(&qu, &f, sizeof f);
	f = fn(dl, "duckdb_value_varchar"), memcpy(&vv, &f, sizeof f);
	f = fn(dl, "duckdb_result_error"), memcpy(&er, &f, sizeof f);
	void *config = NULL, *db = NULL, *conn = NULL;
	uint64_t result[6] = { 0 };
	char *err = NULL;
	cc(&config);
	if (argc < 5 || strcmp(argv[4], "rw") != 0)
		sc(config, "access_mode", "READ_ONLY");
	if (op(argv[2], &db, config, &err) || co(db, &conn))
		return fprintf(stderr, "%s\n", err ? err : "cannot open"), 1;
	if (qu(conn, argv[3], result))
		return fprintf(stderr, "%s\n", er(result)), 1;
	char *v = vv(result, 0, 0);
	printf("%s\n", v ? v : "NULL");
	return 0;
}
