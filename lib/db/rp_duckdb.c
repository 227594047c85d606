#include "rp_duckdb.h"

#include "rp_util.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* DuckDB's C API as its documentation declares it, spelled here: handles
 * are pointers, a result is a 48-byte structure the library fills. */
typedef void *dd_handle;
struct dd_result {
	uint64_t reserved[3];
	void *columns;
	char *error;
	void *internal;
};
enum { DD_SUCCESS = 0 };
enum {
	DD_PENDING_READY = 0,
	DD_PENDING_NOT_READY = 1,
	DD_PENDING_ERROR = 2,
	DD_PENDING_NO_TASKS = 3
};

struct rp_duckdb {
	void *dl;
	int (*create_config)(dd_handle *config);
	int (*set_config)(dd_handle config, const char *name, const char *value);
	void (*destroy_config)(dd_handle *config);
	int (*open_ext)(const char *path, dd_handle *db, dd_handle config, char **error);
	void (*close)(dd_handle *db);
	int (*connect)(dd_handle db, dd_handle *conn);
	void (*disconnect)(dd_handle *conn);
	int (*prepare)(dd_handle conn, const char *sql, dd_handle *stmt);
	const char *(*prepare_error)(dd_handle stmt);
	void (*destroy_prepare)(dd_handle *stmt);
	int (*pending_prepared)(dd_handle stmt, dd_handle *pending);
	const char *(*pending_error)(dd_handle pending);
	int (*pending_execute_task)(dd_handle pending);
	int (*execute_pending)(dd_handle pending, struct dd_result *out);
	void (*destroy_pending)(dd_handle *pending);
	void (*interrupt)(dd_handle conn);
	uint64_t (*row_count)(struct dd_result *r);
	uint64_t (*column_count)(struct dd_result *r);
	char *(*value_varchar)(struct dd_result *r, uint64_t col, uint64_t row);
	bool (*value_is_null)(struct dd_result *r, uint64_t col, uint64_t row);
	const char *(*result_error)(struct dd_result *r);
	void (*destroy_result)(struct dd_result *r);
	void (*free)(void *p);
	const char *(*library_version)(void);
};

struct rp_duckdb_db {
	struct rp_duckdb *lib;
	dd_handle db;
	dd_handle conn;
	const struct rp_deadline *dl; /* for rp_duckdb_db's statements */
};

struct symbol {
	const char *name;
	size_t offset;
};

#define SYM(field)                                                                                 \
	{                                                                                          \
		"duckdb_" #field, offsetof(struct rp_duckdb, field)                                \
	}
static const struct symbol symbols[] = {
	SYM(create_config),
	SYM(set_config),
	SYM(destroy_config),
	SYM(open_ext),
	SYM(close),
	SYM(connect),
	SYM(disconnect),
	SYM(prepare),
	SYM(prepare_error),
	SYM(destroy_prepare),
	SYM(pending_prepared),
	SYM(pending_error),
	SYM(pending_execute_task),
	SYM(execute_pending),
	SYM(destroy_pending),
	SYM(interrupt),
	SYM(row_count),
	SYM(column_count),
	SYM(value_varchar),
	SYM(value_is_null),
	SYM(result_error),
	SYM(destroy_result),
	SYM(free),
	SYM(library_version),
};

struct rp_duckdb *rp_duckdb_load(const char *path, char *why, size_t whylen)
{
	const char *name = path ? path : "libduckdb.so";
	void *dl = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		const char *e = dlerror();
		snprintf(why, whylen, "cannot load DuckDB's library %s: %s", name,
		         e ? e : "not found");
		return NULL;
	}
	struct rp_duckdb *lib = rp_xcalloc(1, sizeof *lib);
	lib->dl = dl;
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
		void *f = dlsym(dl, symbols[i].name);
		if (!f) {
			snprintf(why, whylen, "%s is not a usable DuckDB library: no %s", name,
			         symbols[i].name);
			rp_duckdb_unload(lib);
			return NULL;
		}
		/* POSIX guarantees a function pointer round-trips through void * */
		memcpy((char *)lib + symbols[i].offset, &f, sizeof f);
	}
	return lib;
}

const char *rp_duckdb_version(const struct rp_duckdb *lib)
{
	const char *v = lib->library_version();
	return v ? v : "unknown";
}

void rp_duckdb_unload(struct rp_duckdb *lib)
{
	if (!lib)
		return;
	dlclose(lib->dl);
	free(lib);
}

/* Read-only, and nothing but the file: no other file, no extension
 * loaded or fetched, no settings changed by a statement. */
static const char *const safe_config[][2] = {
	{ "access_mode", "READ_ONLY" },           { "enable_external_access", "false" },
	{ "autoload_known_extensions", "false" }, { "autoinstall_known_extensions", "false" },
	{ "lock_configuration", "true" },
};

struct rp_duckdb_db *rp_duckdb_open(struct rp_duckdb *lib, const char *path, char *why,
                                    size_t whylen)
{
	dd_handle config = NULL;
	if (lib->create_config(&config) != DD_SUCCESS) {
		snprintf(why, whylen, "DuckDB could not make a configuration");
		return NULL;
	}
	for (size_t i = 0; i < sizeof safe_config / sizeof safe_config[0]; i++)
		if (lib->set_config(config, safe_config[i][0], safe_config[i][1]) != DD_SUCCESS) {
			snprintf(why, whylen, "DuckDB refused the setting %s", safe_config[i][0]);
			lib->destroy_config(&config);
			return NULL;
		}
	struct rp_duckdb_db *db = rp_xcalloc(1, sizeof *db);
	db->lib = lib;
	char *error = NULL;
	int rc = lib->open_ext(path, &db->db, config, &error);
	lib->destroy_config(&config);
	if (rc != DD_SUCCESS || lib->connect(db->db, &db->conn) != DD_SUCCESS) {
		snprintf(why, whylen, "%s", error ? error : "DuckDB could not open it");
		if (error)
			lib->free(error);
		rp_duckdb_close(db);
		return NULL;
	}
	return db;
}

void rp_duckdb_close(struct rp_duckdb_db *db)
{
	if (!db)
		return;
	if (db->conn)
		db->lib->disconnect(&db->conn);
	if (db->db)
		db->lib->close(&db->db);
	free(db);
}

/* Executes the pending statement task by task until its result is
 * ready, the deadline passes, or it fails. */
static enum rp_db_status run_pending(struct rp_duckdb *lib, dd_handle pending,
                                     const struct rp_deadline *dl, char *err, size_t errlen)
{
	for (;;) {
		if (dl && rp_deadline_expired(dl))
			return RP_DB_INTERRUPTED;
		int st = lib->pending_execute_task(pending);
		if (st == DD_PENDING_READY)
			return RP_DB_OK;
		if (st == DD_PENDING_ERROR) {
			const char *e = lib->pending_error(pending);
			snprintf(err, errlen, "%s", e ? e : "DuckDB failed");
			return RP_DB_ERROR;
		}
		if (st == DD_PENDING_NO_TASKS) {
			/* DuckDB's own threads are working: look again shortly */
			struct timespec ms = { 0, 1000000 };
			nanosleep(&ms, NULL);
		}
	}
}

static void take_rows(struct rp_duckdb *lib, struct dd_result *res, size_t max_rows,
                      struct rp_db_rows *out)
{
	uint64_t rows = lib->row_count(res), cols = lib->column_count(res);
	out->truncated = rows > max_rows;
	out->nrows = rows > max_rows ? max_rows : (size_t)rows;
	out->ncols = (size_t)cols;
	out->cells = rp_xcalloc(out->nrows * out->ncols + 1, sizeof *out->cells);
	for (size_t r = 0; r < out->nrows; r++)
		for (size_t c = 0; c < out->ncols; c++) {
			if (lib->value_is_null(res, c, r))
				continue;
			char *v = lib->value_varchar(res, c, r);
			out->cells[r * out->ncols + c] = rp_xstrdup(v ? v : "");
			if (v)
				lib->free(v);
		}
}

enum rp_db_status rp_duckdb_query(struct rp_duckdb_db *db, const char *sql,
                                  const struct rp_deadline *dl, size_t max_rows,
                                  struct rp_db_rows *out, char *err, size_t errlen)
{
	struct rp_duckdb *lib = db->lib;
	memset(out, 0, sizeof *out);
	dd_handle stmt = NULL, pending = NULL;
	enum rp_db_status st = RP_DB_ERROR;
	if (lib->prepare(db->conn, sql, &stmt) != DD_SUCCESS) {
		const char *e = stmt ? lib->prepare_error(stmt) : NULL;
		snprintf(err, errlen, "%s", e ? e : "DuckDB could not prepare the statement");
	} else if (lib->pending_prepared(stmt, &pending) != DD_SUCCESS) {
		const char *e = pending ? lib->pending_error(pending) : NULL;
		snprintf(err, errlen, "%s", e ? e : "DuckDB could not start the statement");
	} else if ((st = run_pending(lib, pending, dl, err, errlen)) == RP_DB_INTERRUPTED) {
		/* DuckDB's own threads may still be at it: stop them too */
		lib->interrupt(db->conn);
	} else if (st == RP_DB_OK) {
		struct dd_result res;
		memset(&res, 0, sizeof res);
		if (lib->execute_pending(pending, &res) == DD_SUCCESS) {
			take_rows(lib, &res, max_rows, out);
		} else {
			const char *e = lib->result_error(&res);
			snprintf(err, errlen, "%s", e ? e : "DuckDB failed");
			st = RP_DB_ERROR;
		}
		lib->destroy_result(&res);
	}
	if (pending)
		lib->destroy_pending(&pending);
	if (stmt)
		lib->destroy_prepare(&stmt);
	return st;
}

static enum rp_db_status db_query(void *handle, const char *sql, size_t max_rows,
                                  struct rp_db_rows *out, char *err, size_t errlen)
{
	struct rp_duckdb_db *db = handle;
	return rp_duckdb_query(db, sql, db->dl, max_rows, out, err, errlen);
}

struct rp_db rp_duckdb_db(struct rp_duckdb_db *db, const struct rp_deadline *dl)
{
	db->dl = dl;
	return (struct rp_db){ .engine = "DuckDB",
		               .handle = db,
		               .query = db_query,
		               .columns_sql = "SELECT column_name, data_type FROM "
		                              "information_schema.columns WHERE table_schema = "
		                              "'main' AND table_name = ",
		               .columns_sql_end = " ORDER BY ordinal_position",
		               .tables_sql = "SELECT table_name FROM information_schema.tables "
		                             "WHERE table_schema = 'main' AND table_type = 'BASE "
		                             "TABLE' ORDER BY table_name",
		               .schema = "main" };
}
