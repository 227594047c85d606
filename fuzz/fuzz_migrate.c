/* Fuzzes the migration-name matcher (the input is "FILE\nENTRY") and the
 * reading of a migration's SQL for the tables it leaves (the whole input). */
#include "fuzz_common.h"
#include "rp_migration.h"
#include "rp_migration_sql.h"
#include "rp_strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every name is one, lower-cased; replaying leaves each table once. */
static void sql_tables(const uint8_t *data, size_t size)
{
	struct rp_migration_sql_op *ops;
	size_t n = rp_migration_sql_ops((const char *)data, size, &ops);
	if (n > RP_MIGRATION_SQL_OPS_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!ops[i].table ||
		    (ops[i].kind == RP_MIGRATION_SQL_RENAME) != (ops[i].to != NULL))
			abort();
		for (const char *c = ops[i].table; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				abort();
	}
	char **t = NULL;
	size_t nt = 0;
	rp_migration_sql_apply(ops, n, &t, &nt);
	for (size_t i = 0; i < nt; i++)
		for (size_t k = i + 1; k < nt; k++)
			if (strcmp(t[i], t[k]) == 0)
				abort();
	rp_strv_free(t, nt);
	rp_migration_sql_free(ops, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sql_tables(data, size);
	char *s = fuzz_cstr(data, size);
	char *nl = strchr(s, '\n');
	const char *file = s, *entry = "";
	if (nl) {
		*nl = '\0';
		entry = nl + 1;
	}
	(void)rp_migration_matches(file, entry);
	(void)rp_migration_matches(entry, file);

	char v[RP_MIGRATION_NAME_MAX], v2[RP_MIGRATION_NAME_MAX], stem[RP_MIGRATION_NAME_MAX];
	if (rp_migration_version(file, v, sizeof v)) {
		/* no leading zeros, digits only */
		if (v[0] == '0' && v[1] != '\0')
			abort();
		for (const char *p = v; *p; p++)
			if (*p < '0' || *p > '9')
				abort();
		if (rp_migration_version_cmp(v, v) != 0)
			abort();
		if (rp_migration_version(entry, v2, sizeof v2) &&
		    (rp_migration_version_cmp(v, v2) > 0) ==
		            (rp_migration_version_cmp(v2, v) > 0) &&
		    rp_migration_version_cmp(v, v2) != 0)
			abort(); /* the order is antisymmetric */
	}
	rp_migration_stem(file, stem, sizeof stem);
	/* a file always matches its own base name */
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (*base && !rp_migration_matches(file, base))
		abort();
	free(s);
	return 0;
}
