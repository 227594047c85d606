/* Fuzzes the unit parsers and the number parser/formatter pair. */
#include "fuzz_common.h"
#include "rp_unit.h"
#include "rp_util.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512], buf[RP_NUMBUF];
	double v;
	const char *s = (const char *)data;
	static const enum rp_unit units[] = { RP_UNIT_NONE, RP_UNIT_SECONDS, RP_UNIT_BYTES,
		                              RP_UNIT_PERCENT, RP_UNIT_COUNTER };
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		if (rp_unit_parse_value(s, size, units[u], &v, err, sizeof err)) {
			if (!isfinite(v) && units[u] == RP_UNIT_NONE)
				abort();
			rp_number_format(v, buf);
		}
	}
	if (rp_number_parse(s, size, &v)) {
		/* What we print is a strict number that reads back close to v. */
		rp_number_format(v, buf);
		double back;
		if (!rp_number_parse(buf, strlen(buf), &back))
			abort();
		if (fabs(back - v) > 1e-6 * (1 + fabs(v)))
			abort();
		if (strchr(buf, 'e') || strchr(buf, 'E') || strchr(buf, ','))
			abort();
	}
	(void)rp_number_parse_lenient(s, size, &v);
	return 0;
}
