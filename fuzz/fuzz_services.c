/* Fuzzes check_services' service specs (NAME=URI, with the URI parser under
 * them): a spec either parses to something probe-able or is refused with
 * a reason; nothing in between. */
#include "check_services.h"
#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct svc v;
	char err[400];
	if (services_parse_spec(s, &v, err, sizeof err)) {
		if (!v.name[0] || v.uri.port < 1 || v.uri.port > 65535 || !v.uri.host[0] ||
		    !v.uri.path)
			abort();
		if (strcmp(v.proto->params, "*") == 0 && (!v.target || strpbrk(v.target, " \r\n")))
			abort();
		services_svc_free(&v);
	} else if (!err[0]) {
		abort();
	}
	free(s);
	return 0;
}
