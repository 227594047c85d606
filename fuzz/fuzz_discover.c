/* Fuzzes what check_readiness --discover reads from a deployment's files:
 * a compose file's published ports (a bounded line-based reading) and a
 * URL from a .env value. The first byte chooses which. Every port found
 * is a real one with a host; no password survives a URL's reading. */
#include "check_readiness.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		struct rd_compose c;
		readiness_compose_scan((const char *)data + 1, size - 1, &c);
		if (c.n > 256 || c.nnotes > 16)
			abort();
		for (size_t i = 0; i < c.n; i++)
			if (c.ports[i].port < 1 || c.ports[i].port > 65535 || !c.ports[i].host[0] ||
			    !c.ports[i].service)
				abort();
		readiness_compose_free(&c);
	} else {
		char *s = fuzz_cstr(data + 1, size - 1);
		struct rd_url u;
		if (readiness_url_parse(s, &u)) {
			if (!u.scheme[0] || strlen(u.host) >= sizeof u.host || u.port < 0 ||
			    u.port > 65535 || strchr(u.user, '@'))
				abort();
			/* the password (after "user:" and before '@') is not kept */
			const char *at = strchr(s, '@'),
			           *colon = strchr(s + strlen(u.scheme) + 3, ':');
			if (u.creds && colon && at && colon < at && strchr(u.user, ':'))
				abort();
		}
		free(s);
	}
	return 0;
}
