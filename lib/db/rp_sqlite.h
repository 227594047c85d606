/* rp_sqlite.h: opening a SQLite database for inspection without changing it.
 *
 * Before SQLite sees the path, rp_sqlite_inspect looks at it: missing,
 * not a regular file (a FIFO would block, a directory would fail later with
 * a vague error), unreadable, empty, not a database (header magic),
 * truncated (the header's page count against the file size), WAL mode, and
 * the -wal/-shm/-journal files beside it.
 *
 * rp_sqlite_open then opens read-only through a VFS that opens the
 * database, its WAL and its journal read-only and never creates a file
 * (SQLite itself opens a WAL O_RDWR|O_CREAT even on a mode=ro connection):
 *  - rollback-journal databases: mode=ro (readers only take shared locks);
 *  - WAL databases with a -shm file (a live database): mode=ro with
 *    readonly_shm=1, reading the WAL through the existing shared-memory
 *    index without writing the read marks a normal reader sets in it, so
 *    the -shm stays byte for byte the same;
 *  - WAL databases without -wal or without -shm (no connection open):
 *    immutable=1; the main file then holds all committed data (a WAL left
 *    without -shm by a crash is reported).
 * A writer that opens or closes between rp_sqlite_inspect and the first
 * read makes the open fail (SQLITE_CANTOPEN and the like): such an error is
 * transient (rp_sqlite_transient) and the caller inspects and opens again.
 * A busy handler waits for locks until the deadline, a progress handler
 * interrupts statements at the deadline. */
#ifndef RP_SQLITE_H
#define RP_SQLITE_H

#include "rp_db.h"
#include "rp_deadline.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum rp_sqlite_file_status {
	RP_SQLITE_FILE_OK = 0,
	RP_SQLITE_FILE_MISSING,
	RP_SQLITE_FILE_NOT_REGULAR,
	RP_SQLITE_FILE_PERMISSION,
	RP_SQLITE_FILE_EMPTY,
	RP_SQLITE_FILE_NOT_DB,
	RP_SQLITE_FILE_DUCKDB, /* another engine's file: DuckDB's header */
	RP_SQLITE_FILE_SQLITE, /* a SQLite file where DuckDB's was expected */
	RP_SQLITE_FILE_TRUNCATED,
	RP_SQLITE_FILE_ERROR,
};

struct rp_sqlite_file {
	enum rp_sqlite_file_status status;
	char detail[256]; /* "is a FIFO", "Permission denied", ... */
	off_t size;
	bool wal; /* header says WAL mode */
	bool has_wal, has_shm, has_journal;
	off_t wal_size, journal_size;
	unsigned page_size;
	unsigned page_count; /* in-header size, when valid */
};

void rp_sqlite_inspect(const char *path, struct rp_sqlite_file *f);

struct rp_sqlite_handlers {
	const struct rp_deadline *deadline;
	bool interrupted; /* set when the progress handler stopped a statement */
	bool waited_for_lock;
};

/* Opens path read-only as described above. On failure returns NULL with
 * err set; h must outlive the connection. */
sqlite3 *rp_sqlite_open(const char *path, const struct rp_sqlite_file *f,
                        struct rp_sqlite_handlers *h, char *err, size_t errlen);

/* True for the errors a writer connecting or disconnecting beside us can
 * cause for a moment (a -wal deleted between inspecting and opening). */
bool rp_sqlite_transient(int extended_rc);

/* Installs the deadline's busy and progress handlers on any connection. */
void rp_sqlite_set_deadline(sqlite3 *db, struct rp_sqlite_handlers *h);

/* Words for a failed SQLite call: "file is not a database", "database is
 * locked by a writer", "hot journal needs recovery", ... */
const char *rp_sqlite_explain(int extended_rc);

/* User tables (not sqlite_*), in name order. Returns an SQLite rc. */
int rp_sqlite_tables(sqlite3 *db, char ***names, size_t *n);
/* Columns of a table, in order. Returns an SQLite rc. */
int rp_sqlite_columns(sqlite3 *db, const char *table, char ***names, size_t *n);
/* True when some index of table has column as its first column (so that
 * max(column) is a single index lookup). */
bool rp_sqlite_column_indexed(sqlite3 *db, const char *table, const char *column);
/* Does sql hold a statement, not just white space, comments and empty
 * statements (";;")? Preparing runs nothing. For the tail a prepare left:
 * "SELECT 1; DELETE ..." must not pass as one statement. */
bool rp_sqlite_another_statement(sqlite3 *db, const char *sql);

/* The connection as an engine for the shared checks (rp_db): one
 * statement's rows as text, SQLITE_INTERRUPT as RP_DB_INTERRUPTED. */
struct rp_db rp_sqlite_db(sqlite3 *db);

#endif
