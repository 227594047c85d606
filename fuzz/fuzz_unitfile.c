/* fuzz_unitfile: systemd unit files (rp_unitfile), the program an Exec
 * line runs, and a journal's lines made fit to show
 * (rp_secret_clean_log): no crash, no leak, bounds kept, and a known
 * secret never left in what is shown. */
#include "fuzz_common.h"
#include "rp_secret.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	unit_file(text, size);
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
