/* Fuzzes check_api's JSON assertions: the first line of the input is an
 * assertion (--json), the rest a JSON body it is evaluated against. What a
 * failed assertion reports must stay one safe, bounded line. */
#include "fuzz_common.h"
#include "rp_json_assert.h"
#include "rp_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char *nl = strchr(s, '\n');
	const char *body = "";
	size_t body_len = 0;
	if (nl) {
		*nl = '\0';
		body = nl + 1;
		body_len = size - (size_t)(body - s);
	}
	struct rp_json_assert a;
	char err[300];
	if (!rp_json_assert_parse(s, &a, err, sizeof err)) {
		if (!err[0])
			abort();
		free(s);
		return 0;
	}
	struct rp_value *doc = rp_json_parse_any(body, body_len, err, sizeof err);
	if (doc) {
		struct rp_json_verdict v;
		rp_json_assert_eval(&a, doc, &v);
		if (!v.ok) {
			if (!v.path || !v.found || strlen(v.found) > 200 || strlen(v.path) > 110)
				abort();
			if (strpbrk(v.found, "\n|") || strpbrk(v.path, "\n|"))
				abort();
		}
		rp_json_assert_verdict_free(&v);
		rp_value_free(doc);
	}
	rp_json_assert_free(&a);
	free(s);
	return 0;
}
