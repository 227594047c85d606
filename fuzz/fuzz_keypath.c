/* Fuzzes key paths, in both spellings (vars.A, .vars["A"]): parse, then
 * resolve against a small fixed tree; every path a resolution names (the
 * dotted spelling) parses back, as findings print paths admins reuse. */
#include "fuzz_common.h"
#include "rp_keypath.h"
#include "rp_toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rp_value *tree(void)
{
	static struct rp_value *t;
	if (!t) {
		static const char src[] = "[vars]\nA = \"x\"\n\"a.b\" = [1, {c = 2}]\n"
		                          "[[kv]]\nid = \"1\"\n[[kv]]\nname = \"n\"\n"
		                          "[[kv]]\nbinding = \"b \\\"q\"\n[[kv]]\nname = \"n\"\n";
		char err[128];
		t = rp_toml_parse(src, sizeof src - 1, err, sizeof err);
		if (!t)
			abort();
	}
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct rp_keypath k;
	char err[256];
	if (rp_keypath_parse(text, &k, err, sizeof err)) {
		/* only jq's "." names the whole document with no segment */
		if (k.n == 0 && strcmp(text, ".") != 0)
			abort();
		for (int flat = 0; flat < 2; flat++) {
			struct rp_resolved_list l;
			rp_keypath_resolve(&k, tree(), flat, &l);
			if (l.n == 0)
				abort(); /* every path names at least one place */
			for (size_t i = 0; !flat && !k.jq && i < l.n; i++) {
				struct rp_keypath back;
				if (!rp_keypath_parse(l.items[i].path, &back, err, sizeof err))
					abort();
				rp_keypath_free(&back);
			}
			rp_keypath_resolved_free(&l);
		}
		rp_keypath_free(&k);
	} else if (err[0] == '\0') {
		abort();
	}
	free(text);
	return 0;
}
