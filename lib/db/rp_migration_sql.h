/* rp_migration_sql.h: the tables a migration's SQL leaves behind, so a
 * ledger that says "applied" can be checked against the database itself
 * (a database recreated or emptied behind its ledger's back).
 *
 * Not an SQL parser: a tokenizer that skips comments and string literals,
 * and reads three statements: CREATE [VIRTUAL] TABLE [IF NOT EXISTS] name
 * (TEMP tables left out), DROP TABLE [IF EXISTS] name, and ALTER TABLE name
 * RENAME TO new. Names lose their schema ("main.users" -> "users"), their
 * quotes ("x", `x`, [x]) and their case (SQLite compares them without). */
#ifndef RP_MIGRATION_SQL_H
#define RP_MIGRATION_SQL_H

#include <stdbool.h>
#include <stddef.h>

enum rp_migration_sql_kind {
	RP_MIGRATION_SQL_CREATE,
	RP_MIGRATION_SQL_DROP,
	RP_MIGRATION_SQL_RENAME
};

struct rp_migration_sql_op {
	enum rp_migration_sql_kind kind;
	char *table;
	char *to; /* RENAME's new name */
};

/* At most this many operations are read from one file. */
#define RP_MIGRATION_SQL_OPS_MAX 4096

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
