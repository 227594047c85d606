/* Fuzzes what check_readiness reads: a manifest (sections, settings,
 * check lines split into words) and a child's output (the plugin-output
 * parser, perfdata included). The first byte chooses which. */
#include "fuzz_common.h"
#include "rp_manifest.h"
#include "rp_plugin_output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1);
	if (data[0] & 1) {
		struct rp_manifest m = { 0 };
		char err[512];
		if (rp_manifest_parse(&m, "fuzz.ini", s, err, sizeof err)) {
			for (size_t i = 0; i < m.ncats; i++)
				for (size_t k = 0; k < m.cats[i].n; k++) {
					const struct rp_mf_check *c = &m.cats[i].checks[k];
					if (c->argc == 0 || !c->argv[0] || c->argv[c->argc])
						abort();
				}
		} else if (!err[0]) {
			abort();
		}
		rp_manifest_free(&m);
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
