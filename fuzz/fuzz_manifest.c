/* Fuzzes what check_readiness reads: a manifest (sections, settings,
 * check lines split into words, requires resolved into a graph without
 * cycles) and a child's output (the plugin-output parser, perfdata
 * included). The first byte chooses which, and whether the manifest
 * starts with categories for requires lines to name. */
#include "fuzz_common.h"
#include "rp_manifest.h"
#include "rp_plugin_output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Resolved requires: each names a check of the manifest, and a check's
 * depth is above every depth it needs (so there is no cycle). */
static void check_graph(const struct rp_manifest *m)
{
	for (size_t i = 0; i < m->ncats; i++)
		for (size_t k = 0; k < m->cats[i].n; k++) {
			const struct rp_mf_check *c = &m->cats[i].checks[k];
			if (c->depth < 0 || c->depth > m->depth)
				abort();
			for (size_t j = 0; j < c->nneeds; j++)
				if (!rp_manifest_category_of(m, c->needs[j]) ||
				    c->needs[j]->depth >= c->depth)
					abort();
		}
}

static void manifest(const char *s, bool prefixed)
{
	static const char prefix[] = "[a]\ncheck x = x\ncheck y = y\n[b]\ncheck z = z\n";
	char *text = prefixed ? rp_xasprintf("%s%s", prefix, s) : rp_xstrdup(s);
	struct rp_manifest m = { 0 };
	char err[512];
	err[0] = '\0';
	if (rp_manifest_parse(&m, "fuzz.ini", text, err, sizeof err)) {
		for (size_t i = 0; i < m.ncats; i++)
			for (size_t k = 0; k < m.cats[i].n; k++) {
				const struct rp_mf_check *c = &m.cats[i].checks[k];
				if (c->argc == 0 || !c->argv[0] || c->argv[c->argc])
					abort();
			}
		if (rp_manifest_resolve(&m, err, sizeof err))
			check_graph(&m);
		else if (!err[0])
			abort();
	} else if (!err[0]) {
		abort();
	}
	rp_manifest_free(&m);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1);
	if (data[0] & 1) {
		manifest(s, data[0] & 2);
	} else {
		struct rp_plugin_output o;
		rp_plugin_output_parse((const char *)data + 1, size - 1, &o);
		if (!o.first_line || !o.summary || !o.long_output)
			abort();
		if (strchr(o.first_line, '\n'))
			abort();
		rp_plugin_output_free(&o);
	}
	free(s);
	return 0;
}
