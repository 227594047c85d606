/* rp_migration_sql.h: the tables a migration's SQL leaves behind, so a
 * ledger that says "applied" can be checked against the database itself
 * (a database recreated or emptied behind its ledger's back).
 *
 * Not an SQL parser: a tokenizer that skips comments, string literals
 * (E'...' and PostgreSQL's $tag$ bodies too), and reads three statements:
 * CREATE [OR REPLACE] [UNLOGGED|VIRTUAL] TABLE [IF NOT EXISTS] name with
 * its columns (TEMP tables left out; constraints are not columns), DROP
 * TABLE [IF EXISTS] name[, name], and ALTER TABLE [IF EXISTS] [ONLY] name
 * with its RENAME TO, RENAME [COLUMN], ADD [COLUMN] and DROP [COLUMN]
 * actions. Names lose their quotes ("x", `x`, [x]) and their case (the
 * engines compare them without); a qualified name keeps its schema apart
 * ("public.users": schema "public", table "users"). */
#ifndef RP_MIGRATION_SQL_H
#define RP_MIGRATION_SQL_H

#include <stdbool.h>
#include <stddef.h>

enum rp_migration_sql_kind {
	RP_MIGRATION_SQL_CREATE,
	RP_MIGRATION_SQL_DROP,
	RP_MIGRATION_SQL_RENAME,
	RP_MIGRATION_SQL_ADD_COLUMN,
	RP_MIGRATION_SQL_DROP_COLUMN,
	RP_MIGRATION_SQL_RENAME_COLUMN
};

struct rp_migration_sql_op {
	enum rp_migration_sql_kind kind;
	char *table;
	char *schema; /* the name's schema, NULL when unqualified */
	char *to;     /* RENAME's new table name, RENAME_COLUMN's new column */
	char *column; /* the column of the *_COLUMN kinds */
	/* CREATE: its columns in order, when it lists them (not AS SELECT,
	 * LIKE, OF, PARTITION OF, a virtual table) */
	char **columns;
	size_t ncolumns;
	bool columns_known;
	bool unterminated; /* CREATE TABLE name ( ... never closed */
	size_t offset;     /* where the statement starts in the text */
};

/* At most this many operations are read from one file. */
#define RP_MIGRATION_SQL_OPS_MAX 4096
/* and at most this many columns of one table (PostgreSQL allows 1600) */
#define RP_MIGRATION_SQL_COLUMNS_MAX 2000

/* The operations in sql[0..len), in order (caller frees with
 * rp_migration_sql_free). */
size_t rp_migration_sql_ops(const char *sql, size_t len, struct rp_migration_sql_op **ops);
void rp_migration_sql_free(struct rp_migration_sql_op *ops, size_t n);

/* Reads the migration name in dir (a file, or a directory holding
 * migration.sql: Prisma's layout), at most 1 MiB, without blocking on
 * anything that is not a regular file; its operations in *ops. False when
 * it cannot be read. */
bool rp_migration_sql_read(const char *dir, const char *name, struct rp_migration_sql_op **ops,
                           size_t *nops);

/* Replays ops on a set of table names (tables, n: rp_strv, kept sorted
 * by strcmp; start from an empty or sorted one), as applying the
 * migration would. */
void rp_migration_sql_apply(const struct rp_migration_sql_op *ops, size_t nops, char ***tables,
                            size_t *n);

#endif
