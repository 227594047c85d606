/* Fuzzes the perfdata parser, and round-trips it: whatever parses is
 * formatted by our formatter and must parse back to the same items. */
#include "fuzz_common.h"
#include "rp_plugin_output.h"
#include "rp_perf.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_number(double a, double b)
{
	return fabs(a - b) <= 1e-6 * (1 + fabs(a)) || (fabs(a) < 5e-7 && fabs(b) < 5e-7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_perf_list l, back;
	char err[256];
	rp_perf_list_init(&l);
	rp_perf_list_init(&back);
	(void)rp_perf_parse((const char *)data, size, &l, err, sizeof err);

	struct rp_buf b;
	rp_buf_init(&b);
	rp_perf_list_format(&l, &b);
	if (!rp_perf_parse(b.data ? b.data : "", b.len, &back, err, sizeof err))
		abort();
	if (back.n != l.n)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		const struct rp_perf *x = &l.items[i], *y = &back.items[i];
		if (x->unknown != y->unknown)
			abort();
		if (!x->unknown && fabs(x->value) < 1e15 && !same_number(x->value, y->value))
			abort();
		/* labels survive except for the characters we must replace */
		if (strlen(x->label) != strlen(y->label))
			abort();
	}
	rp_buf_free(&b);
	rp_perf_list_free(&l);
	rp_perf_list_free(&back);

	/* The whole plugin output parser on the same bytes. */
	struct rp_plugin_output o;
	rp_plugin_output_parse((const char *)data, size, &o);
	rp_plugin_output_free(&o);
	return 0;
}
