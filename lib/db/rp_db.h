/* rp_db.h: what the database checks ask of any engine, and the pieces of
 * SQL every engine shares. An engine (SQLite, DuckDB) gives a struct
 * rp_db: one read-only statement at a time, its rows as text; the ledger
 * reader and the plugins' probes ask through it, so a check means the same
 * on every engine. */
#ifndef RP_DB_H
#define RP_DB_H

#include <stdbool.h>
#include <stddef.h>

/* A statement's result as text: nrows x ncols cells, row by row; NULL
 * for SQL NULL. */
struct rp_db_rows {
	size_t nrows;
	size_t ncols;
	char **cells;
	bool truncated; /* more rows than asked for */
};

enum rp_db_status {
	RP_DB_OK = 0,
	RP_DB_ERROR,       /* the error text says why */
	RP_DB_INTERRUPTED, /* the deadline passed */
};

struct rp_db {
	const char *engine; /* "SQLite", "DuckDB" */
	void *handle;
	/* Runs one statement, keeping at most max_rows rows. */
	enum rp_db_status (*query)(void *handle, const char *sql, size_t max_rows,
	                           struct rp_db_rows *out, char *err, size_t errlen);
	/* A statement listing a table's columns, one per row, its name and
	 * its type: columns_sql, the table as a string literal,
	 * columns_sql_end. From the engine's catalog, not from what the
	 * login may read (a role without rights still sees the tables). */
	const char *columns_sql;
	const char *columns_sql_end;
	/* A statement listing the tables that count, one per row, and the
	 * schema they are in (as a schema file qualifies a table's name). */
	const char *tables_sql;
	const char *schema;
};

void rp_db_rows_free(struct rp_db_rows *r);
/* The cell at row, col (NULL for SQL NULL or out of range). */
const char *rp_db_cell(const struct rp_db_rows *r, size_t row, size_t col);

/* The first column of every row (NULL cells left out), at most max. */
enum rp_db_status rp_db_column(const struct rp_db *db, const char *sql, size_t max, char ***out,
                               size_t *n, char *err, size_t errlen);
/* True when table has column (case-insensitive), as the engine lists
 * them. */
bool rp_db_has_column(const struct rp_db *db, const char *table, const char *column);
/* The type of table's column (case-insensitive) as the engine names it,
 * or NULL when there is no such column. Caller frees. */
char *rp_db_column_type(const struct rp_db *db, const char *table, const char *column);

/* "name" with inner quotes doubled (SQL's identifier quoting), and
 * 'text' with inner quotes doubled (a string literal). Caller frees. */
char *rp_db_quote_ident(const char *name);
char *rp_db_quote_string(const char *text);
/* True when tables holds name, compared as SQL compares identifiers
 * (without case). */
bool rp_db_has_table(char *const *tables, size_t n, const char *name);

#endif
