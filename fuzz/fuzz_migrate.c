/* Fuzzes the migration-name matcher (the input is "FILE\nENTRY") and the
 * reading of a migration's SQL or a schema file for the tables and columns
 * it leaves (the whole input). */
#include "fuzz_common.h"
#include "rp_migration.h"
#include "rp_migration_sql.h"
#include "rp_sql_schema.h"
#include "rp_strv.h"

#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every name is one, lower-cased; replaying leaves each table once. */
static void sql_tables(const uint8_t *data, size_t size)
{
	struct rp_migration_sql_op *ops;
	size_t n = rp_migration_sql_ops((const char *)data, size, &ops);
	if (n > RP_MIGRATION_SQL_OPS_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		enum rp_migration_sql_kind k = ops[i].kind;
		bool renames = k == RP_MIGRATION_SQL_RENAME || k == RP_MIGRATION_SQL_RENAME_COLUMN;
		bool on_column = k >= RP_MIGRATION_SQL_ADD_COLUMN;
		if (!ops[i].table || renames != (ops[i].to != NULL) ||
		    on_column != (ops[i].column != NULL) ||
		    ops[i].ncolumns > RP_MIGRATION_SQL_COLUMNS_MAX || ops[i].offset >= size)
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

static bool has_twice(char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (strcasecmp(v[i], v[k]) == 0)
				return true;
	return false;
}

/* The replayed schema names each table once and each column once. */
static void sql_schema(const uint8_t *data, size_t size)
{
	struct rp_sql_schema s;
	rp_sql_schema_read((const char *)data, size, "public", &s);
	char **names = calloc(s.ntables + 1, sizeof *names);
	for (size_t i = 0; i < s.ntables; i++) {
		names[i] = s.tables[i].name;
		if (has_twice(s.tables[i].columns, s.tables[i].ncolumns) ||
		    s.tables[i].ncolumns > RP_MIGRATION_SQL_COLUMNS_MAX)
			abort();
	}
	if (has_twice(names, s.ntables) || s.unterminated != (s.unterminated_table != NULL) ||
	    (s.unterminated && s.line == 0))
		abort();
	free(names);
	rp_sql_schema_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sql_tables(data, size);
	sql_schema(data, size);
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
