/* Fuzzes the --fresh timestamp reader: text in every forced format, and
 * numbers through detection. Whatever is accepted is a finite time. */
#include "fuzz_common.h"
#include "rp_timestamp.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	double t;
	enum rp_timestamp_format detected;
	for (int f = RP_TS_AUTO; f <= RP_TS_JULIAN; f++) {
		if (rp_timestamp_from_text((const char *)data, size, (enum rp_timestamp_format)f,
		                           &t, &detected, err, sizeof err)) {
			if (!isfinite(t))
				abort();
			if (f != RP_TS_AUTO && detected != (enum rp_timestamp_format)f)
				abort();
		} else if (err[0] == '\0') {
			abort(); /* a refusal always says why */
		}
	}
	if (size >= sizeof(double)) {
		double v;
		memcpy(&v, data, sizeof v);
		if (rp_timestamp_from_number(v, RP_TS_AUTO, &t, &detected, err, sizeof err) &&
		    !isfinite(t))
			abort();
	}
	return 0;
}
