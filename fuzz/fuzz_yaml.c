/* Fuzzes the YAML reader (bounded: depth, nodes with aliases expanded; no
 * merge key left behind) and compose's interpolation of the same bytes. */
#include "fuzz_common.h"
#include "rp_compose.h"
#include "rp_yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Counts nodes, and checks no table keeps a "<<" it merged or a key
 * twice. */
static size_t walk(const struct rp_value *v, int depth)
{
	if (depth > RP_YAML_DEPTH_MAX + 1)
		abort();
	size_t n = 1;
	for (size_t i = 0; i < v->n; i++) {
		if (v->type == RP_V_TABLE)
			for (size_t k = i + 1; k < v->n; k++)
				if (v->keys[i].len == v->keys[k].len &&
				    memcmp(v->keys[i].s, v->keys[k].s, v->keys[i].len) == 0)
					abort();
		n += walk(v->items[i], depth + 1);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct rp_value *v = rp_yaml_parse((const char *)data, size, err, sizeof err);
	if (v && walk(v, 0) > RP_YAML_NODES_MAX)
		abort();
	if (!v && err[0] == '\0')
		abort(); /* a refusal always says why */
	rp_value_free(v);

	struct rp_value *env = rp_value_new(RP_V_TABLE);
	rp_value_table_add(env, "A", 1, rp_value_new_string("alpha", 5));
	rp_value_table_add(env, "E", 1, rp_value_new_string("", 0));
	char *out = rp_compose_interpolate((const char *)data, size, env, err, sizeof err);
	if (!out && err[0] == '\0')
		abort();
	free(out);
	rp_value_free(env);
	return 0;
}
