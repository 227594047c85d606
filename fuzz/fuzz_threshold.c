/* Fuzzes -w/-c parsing (METRIC=RANGE, stems, units) and the lookups. */
#include "fuzz_common.h"
#include "rp_thresholds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct rp_metric_spec specs[] = {
	{ "time", RP_UNIT_SECONDS, false, "time", NULL },
	{ "rows", RP_UNIT_NONE, true, "rows", NULL },
	{ "age", RP_UNIT_SECONDS, true, "age", NULL },
	{ "size", RP_UNIT_BYTES, false, "size", NULL },
	{ "pct", RP_UNIT_PERCENT, false, "pct", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct rp_thresholds t;
	char err[1024];
	rp_thresholds_init(&t);
	/* Several thresholds in one input, separated by newlines. */
	char *save = NULL;
	int i = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!rp_thresholds_add(&t, specs, (i & 1) ? NULL : "time", (i & 2) ? 'c' : 'w',
		                       line, err, sizeof err) &&
		    strlen(err) == 0)
			abort();
		i++;
	}
	const char *labels[] = { "time", "rows.x", "age.events", "size", "pct", "rows", "zzz" };
	for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++) {
		(void)rp_thresholds_state(&t, labels[l], 1.5);
		(void)rp_thresholds_has(&t, labels[l]);
	}
	rp_thresholds_free(&t);
	free(text);
	return 0;
}
