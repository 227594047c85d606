/* rp_status.c: lists of HTTP statuses ("200,204", "200-299,304"). */
#include "rp_status.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rp_status_parse(const char *text, struct rp_status_range **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const char *p = text;
	for (;;) {
		size_t len = strcspn(p, ",");
		char part[32];
		if (len == 0 || len >= sizeof part)
			goto bad;
		memcpy(part, p, len);
		part[len] = '\0';
		char *dash = strchr(part, '-');
		long long lo, hi;
		if (dash) {
			*dash = '\0';
			if (!rp_number_parse_ll(part, &lo) || !rp_number_parse_ll(dash + 1, &hi))
				goto bad;
		} else {
			if (!rp_number_parse_ll(part, &lo))
				goto bad;
			hi = lo;
		}
		if (lo < 100 || hi > 599 || lo > hi)
			goto bad;
		*out = rp_xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].lo = (long)lo;
		(*out)[*n].hi = (long)hi;
		(*n)++;
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
bad:
	free(*out);
	*out = NULL;
	*n = 0;
	return false;
}

bool rp_status_in(const struct rp_status_range *r, size_t n, long status, long lo, long hi)
{
	if (n == 0)
		return status >= lo && status <= hi;
	for (size_t i = 0; i < n; i++)
		if (status >= r[i].lo && status <= r[i].hi)
			return true;
	return false;
}

bool rp_status_option(const char *arg, struct rp_status_range **out, size_t *n, char *err,
                      size_t errlen)
{
	free(*out);
	*out = NULL;
	*n = 0;
	if (!rp_status_parse(arg, out, n)) {
		snprintf(err, errlen, "--expect '%.40s': statuses like 200,204 or 200-299,304",
		         arg);
		return false;
	}
	return true;
}
