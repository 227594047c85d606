/* fuzz_unitfile: systemd unit files (rp_unitfile), the program an Exec
 * line runs, a journal's lines made fit to show (rp_secret_clean_log),
 * and check_config's secret-store attributes (rp_secretstore): no crash,
 * no leak, bounds kept, and a known secret never left in what is shown. */
#include "fuzz_common.h"
#include "rp_secret.h"
#include "rp_secretstore.h"
#include "rp_unitfile.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void unit_file(const char *text, size_t size)
{
	struct rp_unitfile f;
	char err[128];
	if (!rp_unitfile_parse(text, size, &f, err, sizeof err))
		return;
	if (f.n > RP_UNITFILE_ENTRIES_MAX)
		abort();
	for (size_t i = 0; i < f.n; i++) {
		const struct rp_unitfile_entry *e = &f.e[i];
		if (strlen(e->value) > RP_UNITFILE_VALUE_MAX || e->line < 1 || !*e->key)
			abort();
		bool optional;
		char *program = rp_unitfile_exec_program(e->value, &optional);
		if (program && strlen(program) > strlen(e->value))
			abort();
		free(program);
		if (rp_unitfile_get(&f, e->section, e->key) == NULL)
			abort(); /* what was read can be found */
	}
	rp_unitfile_free(&f);
}

/* check_config --secret-store's attributes: every one read is KEY=VALUE
 * with a key, and no key twice. */
static void store_attributes(const uint8_t *data, size_t size)
{
	char *spec = fuzz_cstr(data, size);
	struct rp_secretstore_attr *a;
	size_t n;
	char err[200];
	if (rp_secretstore_parse(spec, &a, &n, err, sizeof err)) {
		if (n == 0 || n > 32)
			abort();
		for (size_t i = 0; i < n; i++) {
			if (!*a[i].key || strchr(a[i].key, ',') || strchr(a[i].value, ','))
				abort();
			for (size_t j = 0; j < i; j++)
				if (!strcmp(a[i].key, a[j].key))
					abort();
		}
		rp_secretstore_attrs_free(a, n);
	}
	free(spec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	unit_file(text, size);
	store_attributes(data, size);
	char secret[] = "hunter2-secret";
	char *values[] = { secret, (char *)"ab" };
	char *log = NULL, *line = NULL;
	rp_secret_clean_log(text, size, values, 2, &log, &line);
	if ((log && strstr(log, secret)) || (line && strstr(line, secret)))
		abort();
	if (line && strlen(line) > 160 * 4 + 16)
		abort();
	free(log);
	free(line);
	return 0;
}
