/* Fuzzes what check_api parses from its command line: --expect status
 * lists, --json-perf PATH[=LABEL], and the URL redaction applied to URLs
 * and request lines. */
#include "check_api.h"
#include "fuzz_common.h"
#include "rp_http.h"
#include "rp_secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct rp_status_range *ranges;
	size_t n;
	if (rp_status_parse(s, &ranges, &n)) {
		if (n == 0)
			abort();
		for (size_t i = 0; i < n; i++)
			if (ranges[i].lo < 100 || ranges[i].hi > 599 || ranges[i].lo > ranges[i].hi)
				abort();
		free(ranges);
	}
	struct api_json_perf jp;
	char err[300];
	if (api_parse_json_perf(s, &jp, err, sizeof err)) {
		/* a label that is safe in perfdata */
		if (!jp.label[0] || strlen(jp.label) > 43 || strpbrk(jp.label, "'= \n|"))
			abort();
		api_json_perf_free(&jp);
	} else if (!err[0]) {
		abort();
	}
	char *shown = rp_secret_redact_url(s, 200);
	/* the redacted form is bounded and has no user:password@ before the host */
	if (strlen(shown) > 203)
		abort();
	if (strchr(shown, '\n') || strchr(shown, '|'))
		abort();
	free(shown);
	free(s);
	return 0;
}
