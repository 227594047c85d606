/* h_duckdb.c: real DuckDB files for the tests, made by DuckDB's own
 * library (read-write: only the tests write; lib/db/rp_duckdb never
 * does). The library is the one tools/bootstrap fetches. */
#include "harness.h"
#include "rp_test.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define BOOTSTRAP_LIBDUCKDB "/var/cache/readiness-plugins/duckdb-1.5.6-r.1/libduckdb.so"

const char *h_libduckdb(void)
{
	const char *env = getenv("RP_TEST_LIBDUCKDB");
	const char *path = env && *env ? env : BOOTSTRAP_LIBDUCKDB;
	return access(path, R_OK) == 0 ? path : NULL;
}

bool h_have_duckdb(const char *test)
{
	if (h_libduckdb())
		return true;
	fprintf(stderr, "libduckdb missing (tools/bootstrap fetches it): %s SKIPPED\n", test);
	ck_assert_msg(getenv("CI") == NULL, "libduckdb must be there in CI");
	return false;
}

struct writer_api {
	int (*open)(const char *path, void **db);
	int (*connect)(void *db, void **conn);
	int (*query)(void *conn, const char *sql, void *result);
	void (*destroy_result)(void *result);
	const char *(*result_error)(void *result);
	void (*disconnect)(void **conn);
	void (*close)(void **db);
};

static void *sym(void *dl, const char *name)
{
	void *f = dlsym(dl, name);
	ck_assert_msg(f != NULL, "libduckdb lacks %s", name);
	return f;
}

static void writer_api(void *dl, struct writer_api *w)
{
	void *f;
	f = sym(dl, "duckdb_open"), memcpy(&w->open, &f, sizeof f);
	f = sym(dl, "duckdb_connect"), memcpy(&w->connect, &f, sizeof f);
	f = sym(dl, "duckdb_query"), memcpy(&w->query, &f, sizeof f);
	f = sym(dl, "duckdb_destroy_result"), memcpy(&w->destroy_result, &f, sizeof f);
	f = sym(dl, "duckdb_result_error"), memcpy(&w->result_error, &f, sizeof f);
	f = sym(dl, "duckdb_disconnect"), memcpy(&w->disconnect, &f, sizeof f);
	f = sym(dl, "duckdb_close"), memcpy(&w->close, &f, sizeof f);
}

/* Opens path read-write (creating it) and runs sql; the handles are left
 * open when keep is set (a writer holding the file). */
static void duckdb_write(const char *path, const char *sql, bool keep)
{
	const char *lib = h_libduckdb();
	ck_assert_msg(lib != NULL, "no libduckdb (tools/bootstrap fetches it)");
	void *dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(dl != NULL, "%s", dlerror());
	struct writer_api w;
	writer_api(dl, &w);
	void *db = NULL, *conn = NULL;
	uint64_t result[6]; /* duckdb_result: 48 bytes */
	ck_assert_msg(w.open(path, &db) == 0, "duckdb_open %s", path);
	ck_assert(w.connect(db, &conn) == 0);
	if (sql && *sql) {
		memset(result, 0, sizeof result);
		int rc = w.query(conn, sql, result);
		ck_assert_msg(rc == 0, "%s: %s", sql, w.result_error(result));
		w.destroy_result(result);
	}
	if (keep)
		return;
	w.disconnect(&conn);
	w.close(&db);
	dlclose(dl);
}

void h_duckdb_make(const char *path, const char *sql)
{
	duckdb_write(path, sql, false);
}

pid_t h_duckdb_writer(const char *path)
{
	int fds[2];
	ck_assert(pipe(fds) == 0);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		/* not the test's handlers: Check's would take the test's group
		 * down with this process */
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		/* a test that fails before stopping it still takes it along */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		close(fds[0]);
		duckdb_write(path, NULL, true);
		(void)!write(fds[1], "x", 1);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	close(fds[1]);
	char c;
	ck_assert_msg(read(fds[0], &c, 1) == 1, "the DuckDB writer did not start");
	close(fds[0]);
	return pid;
}
