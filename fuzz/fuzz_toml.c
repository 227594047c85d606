/* Fuzzes the TOML reader: any input is either a tree or a refusal that
 * names a line; the tree is walked to the leaves and freed. */
#include "fuzz_common.h"
#include "rp_toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reader's bound: no value deeper than 256 below the root, however
 * it got there (headers, dotted keys, arrays, inline tables). */
static size_t walk(const struct rp_value *v, int depth)
{
	if (depth > 256)
		abort();
	size_t n = 1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->type == RP_V_TABLE &&
		    rp_value_table_get(v, v->keys[i].s, v->keys[i].len) == NULL)
			abort(); /* every key can be found again */
		n += walk(v->items[i], depth + 1);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct rp_value *root = rp_toml_parse((const char *)data, size, err, sizeof err);
	if (!root) {
		if (strncmp(err, "line ", 5) != 0)
			abort();
		return 0;
	}
	(void)walk(root, 0);
	rp_value_free(root);
	return 0;
}
