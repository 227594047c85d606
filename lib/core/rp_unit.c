#include "rp_unit.h"
#include "rp_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct suffix {
	const char *text;
	double factor;
};

static const struct suffix duration_suffixes[] = {
	{ "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },     { "sec", 1 },    { "m", 60 },
	{ "min", 60 },  { "h", 3600 },  { "d", 86400 }, { "w", 604800 }, { NULL, 0 },
};

static const struct suffix size_suffixes[] = {
	{ "B", 1 },
	{ "K", 1024.0 },
	{ "KiB", 1024.0 },
	{ "KB", 1e3 },
	{ "kB", 1e3 },
	{ "M", 1048576.0 },
	{ "MiB", 1048576.0 },
	{ "MB", 1e6 },
	{ "G", 1073741824.0 },
	{ "GiB", 1073741824.0 },
	{ "GB", 1e9 },
	{ "T", 1099511627776.0 },
	{ "TiB", 1099511627776.0 },
	{ "TB", 1e12 },
	{ NULL, 0 },
};

static const struct suffix percent_suffixes[] = {
	{ "%", 1 },
	{ NULL, 0 },
};

const char *rp_unit_uom(enum rp_unit u)
{
	switch (u) {
	case RP_UNIT_SECONDS:
		return "s";
	case RP_UNIT_BYTES:
		return "B";
	case RP_UNIT_PERCENT:
		return "%";
	case RP_UNIT_COUNTER:
		return "c";
	case RP_UNIT_NONE:
		break;
	}
	return "";
}

const char *rp_unit_describe(enum rp_unit u)
{
	switch (u) {
	case RP_UNIT_SECONDS:
		return "a duration (500ms, 2s, 10m, 1h, 1d; a bare number is seconds)";
	case RP_UNIT_BYTES:
		return "a size (512, 10KB, 10KiB, 5MB, 1GiB; a bare number is bytes)";
	case RP_UNIT_PERCENT:
		return "a percentage (10 or 10%)";
	case RP_UNIT_COUNTER:
	case RP_UNIT_NONE:
		break;
	}
	return "a number";
}

static const struct suffix *suffixes_for(enum rp_unit u)
{
	switch (u) {
	case RP_UNIT_SECONDS:
		return duration_suffixes;
	case RP_UNIT_BYTES:
		return size_suffixes;
	case RP_UNIT_PERCENT:
		return percent_suffixes;
	case RP_UNIT_COUNTER:
	case RP_UNIT_NONE:
		break;
	}
	return NULL;
}

bool rp_unit_parse_value(const char *s, size_t len, enum rp_unit u, double *out, char *err,
                         size_t errlen)
{
	/* The number is the longest prefix made of number characters; what
	 * follows must be one of the unit's suffixes, matched exactly. */
	size_t n = 0;
	while (n < len && (strchr("+-.0123456789", s[n]) != NULL))
		n++;
	double v;
	if (!rp_number_parse(s, n, &v)) {
		snprintf(err, errlen, "'%.*s' is not %s", (int)(len > 64 ? 64 : len), s,
		         rp_unit_describe(u));
		return false;
	}
	double factor = 1;
	if (n < len) {
		const struct suffix *sx = suffixes_for(u);
		bool found = false;
		for (; sx && sx->text; sx++) {
			if (strlen(sx->text) == len - n && memcmp(sx->text, s + n, len - n) == 0) {
				factor = sx->factor;
				found = true;
				break;
			}
		}
		if (!found) {
			snprintf(err, errlen, "'%.*s' is not %s", (int)(len > 64 ? 64 : len), s,
			         rp_unit_describe(u));
			return false;
		}
	}
	if (!isfinite(v * factor)) {
		snprintf(err, errlen, "'%.*s' is too large", (int)(len > 64 ? 64 : len), s);
		return false;
	}
	*out = v * factor;
	return true;
}

bool rp_unit_parse_duration(const char *s, double *seconds, char *err, size_t errlen)
{
	return rp_unit_parse_value(s, strlen(s), RP_UNIT_SECONDS, seconds, err, errlen);
}

bool rp_unit_parse_size(const char *s, double *bytes, char *err, size_t errlen)
{
	return rp_unit_parse_value(s, strlen(s), RP_UNIT_BYTES, bytes, err, errlen);
}

bool rp_unit_parse_percent(const char *s, double *pct, char *err, size_t errlen)
{
	return rp_unit_parse_value(s, strlen(s), RP_UNIT_PERCENT, pct, err, errlen);
}

char *rp_unit_format_duration(double seconds, char buf[RP_DURATION_BUF])
{
	/* Switch unit at 1.5 of the next one: 90 s is "1.5 min", 36 h "1.5 d". */
	static const struct {
		double size;
		const char *unit;
	} steps[] = { { 86400, "d" }, { 3600, "h" }, { 60, "min" } };
	char num[RP_NUMBUF];
	double a = fabs(seconds);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (a >= steps[i].size * 1.5) {
			double v = round(seconds / steps[i].size * 10) / 10;
			snprintf(buf, RP_DURATION_BUF, "%s %s", rp_number_format(v, num),
			         steps[i].unit);
			return buf;
		}
	}
	double v = a >= 10 ? round(seconds) : round(seconds * 100) / 100;
	snprintf(buf, RP_DURATION_BUF, "%s s", rp_number_format(v, num));
	return buf;
}
