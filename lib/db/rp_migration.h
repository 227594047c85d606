/* rp_migrate.h: matching shipped migration files against a ledger of applied
 * migrations, as each migration tool records them.
 *
 * Tools that record names (Cloudflare D1, knex, Prisma, Flyway) are matched
 * by name: the entry equals the file name, or both have the same stem (the
 * name without directory and without .sql/.up.sql/.js/.ts/.rb/.go).
 * Tools that record versions (Rails, dbmate, golang-migrate, goose) are
 * matched by the file's leading version number: the digits at the start of
 * the name, after an optional V/v ("0001_init.sql" -> 1, "V2__users.sql"
 * -> 2), compared without leading zeros. */
#ifndef RP_MIGRATE_H
#define RP_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#define RP_MIGRATION_NAME_MAX 512

/* The leading version number without leading zeros ("0" for all zeros);
 * false when the name has none. */
bool rp_migration_version(const char *name, char *out, size_t outlen);
/* The name without directory and known extensions. */
void rp_migration_stem(const char *name, char *out, size_t outlen);
/* True when the ledger entry records the file. */
bool rp_migration_matches(const char *file, const char *entry);
/* Compares two version strings numerically (no leading zeros): <0, 0, >0. */
int rp_migration_version_cmp(const char *a, const char *b);

/* Lists the migrations shipped in dir, sorted by name: *.sql files (not
 * *.down.sql) and directories holding a migration.sql (Prisma's layout).
 * Free with rp_strv_free. Returns false with err set when dir cannot be
 * read, or holds more than max migrations (then none are listed: a part of
 * them, in readdir's order, would be a random part). */
bool rp_migration_list_dir(const char *dir, size_t max, char ***names, size_t *n, char *err,
                           size_t errlen);

#endif
