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

#include "rp_db.h"
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

/* Runs one statement, keeping at most max_rows rows. */
enum rp_db_status rp_duckdb_query(struct rp_duckdb_db *db, const char *sql,
                                  const struct rp_deadline *dl, size_t max_rows,
                                  struct rp_db_rows *out, char *err, size_t errlen);
/* The database as an engine for the shared checks (rp_db), its
 * statements stopped at dl. */
struct rp_db rp_duckdb_db(struct rp_duckdb_db *db, const struct rp_deadline *dl);

#endif
