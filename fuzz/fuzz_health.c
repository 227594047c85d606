/* Fuzzes the health-document reader (check_api --health) on any JSON and on
 * any text (the plain-text reader): every name, status and output it
 * reports must be sanitised and bounded, and the component list bounded
 * whatever the document's size. The first byte picks the content type. */
#include "fuzz_common.h"
#include "rp_health.h"
#include "rp_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t max)
{
	if (s && (strlen(s) > max + 3 || strpbrk(s, "\n\r|")))
		abort();
}

static void check_health(const struct rp_health *h)
{
	if (h->n > 256)
		abort();
	check_text(h->status, 40);
	for (size_t i = 0; i < h->n; i++) {
		check_text(h->items[i].name, 80);
		check_text(h->items[i].status, 40);
		check_text(h->items[i].output, 120);
		/* without a verdict of its own, no component is worse than the
		 * document (IETF and Actuator verdicts may be kinder) */
		if (!h->status &&
		    rp_state_severity(h->items[i].state) > rp_state_severity(h->state))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct rp_health t;
	if (rp_health_read_text((const char *)data + 1, size - 1, &t)) {
		if (t.format != RP_HEALTH_TEXT)
			abort();
		check_health(&t);
	}
	rp_health_free(&t);
	const char *ctype = data[0] & 1 ? "application/health+json" : NULL;
	char err[200];
	struct rp_value *doc = rp_json_parse_any((const char *)data + 1, size - 1, err, sizeof err);
	if (!doc)
		return 0;
	struct rp_health h;
	rp_health_read(doc, ctype, &h);
	if (h.format == RP_HEALTH_UNRECOGNISED && (h.n || h.state != RP_UNKNOWN))
		abort();
	check_health(&h);
	rp_health_free(&h);
	rp_value_free(doc);
	return 0;
}
