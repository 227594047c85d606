/* rp_duckdb.h: DuckDB's C library, loaded at run time (dlopen), so what
 * uses it builds and runs where it is absent and can say so plainly.
 *
 * A database is opened read-only, never created, with external access
 * (reading other files, extensions, the network) and extension
 * autoloading off: a statement run through it reads that one file and
 * nothing else. Statements run one at a time, prepared (a second one in
 * the text is refused), as pending results executed task by task, so a
 * deadline stops them between tasks without a thread or a signal. */
#ifndef RP_DUCKDB_H
#define RP_DUCKDB_H

#include "rp_deadline.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_duckdb;
struct rp_duckdb_db;

/* Loads the library from path, or when path is NULL from the usual
 * library paths (libduckdb.so). NULL with why when it cannot be loaded
 * or lacks a function this code calls. */
struct rp_duckdb *rp_duckdb_load(const char *path, char *why, size_t whylen);
/* DuckDB's version ("v1.5.6"). */
const char *rp_duckdb_version(const struct rp_duckdb *lib);
void rp_duckdb_unload(struct rp_duckdb *lib);

/* Opens the database file at path read-only. NULL with DuckDB's words
 * in why (a file another process holds for writing: "Could not set lock
 * on file ...: Conflicting lock is held in ..."). */
struct rp_duckdb_db *rp_duckdb_open(struct rp_duckdb *lib, const char *path, char *why,
                                    size_t whylen);
void rp_duckdb_close(struct rp_duckdb_db *db);

/* A statement's result as text: rows x cols cells, row by row; NULL for
 * SQL NULL. */
struct rp_duckdb_rows {
	size_t nrows;
	size_t ncols;
	char **cells;
	bool truncated; /* more rows than asked for */
};

enum rp_duckdb_status {
	RP_DUCKDB_OK = 0,
	RP_DUCKDB_ERROR,       /* err says why */
	RP_DUCKDB_INTERRUPTED, /* the deadline passed */
};

/* Runs one statement, keeping at most max_rows rows. */
enum rp_duckdb_status rp_duckdb_query(struct rp_duckdb_db *db, const char *sql,
                                      const struct rp_deadline *dl, size_t max_rows,
                                      struct rp_duckdb_rows *out, char *err, size_t errlen);
void rp_duckdb_rows_free(struct rp_duckdb_rows *r);
/* The cell at row, col (NULL for SQL NULL or out of range). */
const char *rp_duckdb_cell(const struct rp_duckdb_rows *r, size_t row, size_t col);

#endif
