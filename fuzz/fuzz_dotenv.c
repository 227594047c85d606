/* Fuzzes the dotenv reader: a table of strings or a refusal naming a line. */
#include "fuzz_common.h"
#include "rp_dotenv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct rp_dotenv_notes notes;
	struct rp_value *t = rp_dotenv_parse((const char *)data, size, &notes, err, sizeof err);
	if (!t) {
		if (strncmp(err, "line ", 5) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (t->items[i]->type != RP_V_STRING || t->keys[i].len == 0)
			abort();
		if (rp_value_table_get(t, t->keys[i].s, t->keys[i].len) != t->items[i])
			abort();
	}
	for (size_t i = 0; i < notes.ndups; i++)
		if (!rp_value_table_get(t, notes.dups[i], strlen(notes.dups[i])))
			abort(); /* a duplicate is a key that exists */
	for (size_t i = 0; i < notes.nskipped; i++)
		if (strncmp(notes.skipped[i], "line ", 5) != 0)
			abort(); /* a skipped line is named by its place */
	rp_dotenv_notes_free(&notes);
	rp_value_free(t);
	return 0;
}
