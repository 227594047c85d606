/* Fuzzes the health-document reader (check_api --health) on any JSON: every
 * name, status and output it reports must be sanitised and bounded, and
 * the component list bounded whatever the document's size. The first byte
 * picks the content type. */
#include "fuzz_common.h"
#include "rp_health.h"
#include "rp_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t max)
{
	if (s && (strlen(s) > max + 3 || strpbrk(s, "\n\r|")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *ctype = data[0] & 1 ? "application/health+json" : NULL;
	char err[200];
	struct rp_value *doc = rp_json_parse_any((const char *)data + 1, size - 1, err, sizeof err);
	if (!doc)
		return 0;
	struct rp_health h;
	rp_health_read(doc, ctype, &h);
	if (h.n > 256)
		abort();
	if (h.format == RP_HEALTH_UNRECOGNISED && (h.n || h.state != RP_UNKNOWN))
		abort();
	check_text(h.status, 40);
	for (size_t i = 0; i < h.n; i++) {
		check_text(h.items[i].name, 80);
		check_text(h.items[i].status, 40);
		check_text(h.items[i].output, 120);
		if (rp_state_severity(h.items[i].state) > rp_state_severity(h.state))
			abort();
	}
	rp_health_free(&h);
	rp_value_free(doc);
	return 0;
}
