/* Fuzzes rp_range_parse for every unit; a range that parses must format and
 * parse back to the same range, and evaluate without trouble. */
#include "fuzz_common.h"
#include "rp_range.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	static const enum rp_unit units[] = { RP_UNIT_NONE, RP_UNIT_SECONDS, RP_UNIT_BYTES,
		                              RP_UNIT_PERCENT };
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		struct rp_range r, back;
		char err[512], buf[RP_RANGEBUF];
		if (!rp_range_parse(text, units[u], &r, err, sizeof err)) {
			if (strlen(err) == 0)
				abort(); /* a refusal always says why */
			continue;
		}
		if (!r.start_infinite && !r.end_infinite && r.start > r.end)
			abort();
		rp_range_format(&r, buf);
		if (!rp_range_parse(buf, RP_UNIT_NONE, &back, err, sizeof err))
			abort();
		/* Formatting rounds to 6 decimals: same shape, close values. */
		if (back.alert_inside != r.alert_inside ||
		    back.start_infinite != r.start_infinite || back.end_infinite != r.end_infinite)
			abort();
		if (!r.end_infinite && fabs(back.end - r.end) > 1e-6 * (1 + fabs(r.end)))
			abort();
		(void)rp_range_alerts(&r, 0);
		(void)rp_range_alerts(&r, r.end);
	}
	free(text);
	return 0;
}
