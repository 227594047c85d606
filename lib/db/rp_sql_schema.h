/* rp_sql_schema.h: the tables and columns a schema file declares (a dump
 * or a migration's SQL, in PostgreSQL's, DuckDB's or SQLite's dialect),
 * read, never executed: its CREATE, DROP and ALTER TABLE statements
 * replayed in order (rp_migration_sql reads them). For the engines where
 * the file cannot be run in a scratch database of the same engine. */
#ifndef RP_SQL_SCHEMA_H
#define RP_SQL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

struct rp_sql_schema_table {
	char *name;
	char **columns;
	size_t ncolumns;
	bool columns_known; /* false: only the table's presence can be checked */
};

struct rp_sql_schema {
	struct rp_sql_schema_table *tables; /* in the order they were created */
	size_t ntables;
	/* the text could not be read whole: where and why (UNKNOWN) */
	bool unterminated;
	size_t line;
	char *unterminated_table;
};

/* Reads sql[0..len) and replays it. Tables in schema (a qualified name
 * with another schema is another schema's table) or unqualified count;
 * NULL counts every table. Names compare without case. */
void rp_sql_schema_read(const char *sql, size_t len, const char *schema, struct rp_sql_schema *out);
void rp_sql_schema_free(struct rp_sql_schema *s);

#endif
