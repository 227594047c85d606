/* Fuzzes the migration-name matcher: the input is "FILE\nENTRY". */
#include "fuzz_common.h"
#include "rp_migration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
