#include "rp_range.h"
#include "rp_util.h"

#include <stdio.h>
#include <string.h>

static void range_error(char *err, size_t errlen, const char *text, const char *why)
{
	snprintf(err, errlen,
	         "invalid range '%.64s': %s (valid examples: 10, 10:, ~:10, 10:20, @10:20)", text,
	         why);
}

static bool parse_endpoint(const char *text, const char *s, size_t len, enum rp_unit u, double *out,
                           char *err, size_t errlen)
{
	char why[160];
	if (rp_unit_parse_value(s, len, u, out, why, sizeof why))
		return true;
	/* a bare number with an exponent ("1.5e3"), as other tools write them;
	 * a bare number is in the metric's base unit */
	if (rp_number_parse_lenient(s, len, out))
		return true;
	range_error(err, errlen, text, why);
	return false;
}

/* The range without the white space around it: quoting in command
 * definitions leaves ' 10' and '10 ' behind. NULL when it does not fit. */
static const char *trimmed(const char *text, char *buf, size_t size)
{
	while (*text == ' ' || *text == '\t')
		text++;
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (n >= size)
		return NULL;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

bool rp_range_parse(const char *text, enum rp_unit u, struct rp_range *out, char *err,
                    size_t errlen)
{
	struct rp_range r = { 0 };
	char trim[RP_RANGEBUF];
	if (text && !trimmed(text, trim, sizeof trim)) {
		range_error(err, errlen, text, "too long");
		return false;
	}
	if (text)
		text = trim;
	const char *s = text;

	if (!text || !*text) {
		range_error(err, errlen, text ? text : "", "empty");
		return false;
	}
	if (*s == '@') {
		r.alert_inside = true;
		s++;
	}
	if (!*s) {
		range_error(err, errlen, text, "nothing after '@'");
		return false;
	}
	const char *colon = strchr(s, ':');
	if (colon && strchr(colon + 1, ':')) {
		range_error(err, errlen, text, "more than one ':'");
		return false;
	}
	if (!colon) {
		/* "N" is "0:N". */
		if (strcmp(s, "~") == 0) {
			range_error(err, errlen, text, "'~' needs an end, as in ~:10");
			return false;
		}
		r.start = 0;
		if (!parse_endpoint(text, s, strlen(s), u, &r.end, err, errlen))
			return false;
	} else {
		size_t start_len = (size_t)(colon - s);
		const char *end = colon + 1;
		if (start_len == 1 && s[0] == '~') {
			r.start_infinite = true;
		} else if (start_len == 0) {
			if (*end == '\0') {
				range_error(err, errlen, text, "nothing around ':'");
				return false;
			}
			r.start = 0;
		} else if (!parse_endpoint(text, s, start_len, u, &r.start, err, errlen)) {
			return false;
		}
		if (*end == '\0') {
			r.end_infinite = true;
			if (r.start_infinite) {
				range_error(err, errlen, text, "'~:' is not a range");
				return false;
			}
		} else if (!parse_endpoint(text, end, strlen(end), u, &r.end, err, errlen)) {
			return false;
		}
	}
	if (!r.start_infinite && !r.end_infinite && r.start > r.end) {
		char a[RP_NUMBUF], b[RP_NUMBUF], why[2 * RP_NUMBUF + 64];
		snprintf(why, sizeof why, "start %s is greater than end %s",
		         rp_number_format(r.start, a), rp_number_format(r.end, b));
		range_error(err, errlen, text, why);
		return false;
	}
	*out = r;
	return true;
}

bool rp_range_alerts(const struct rp_range *r, double x)
{
	bool above_start = r->start_infinite || x >= r->start;
	bool below_end = r->end_infinite || x <= r->end;
	bool inside = above_start && below_end;
	return r->alert_inside ? inside : !inside;
}

char *rp_range_format(const struct rp_range *r, char buf[RP_RANGEBUF])
{
	char a[RP_NUMBUF], b[RP_NUMBUF];
	const char *at = r->alert_inside ? "@" : "";
	if (!r->start_infinite && r->start == 0 && !r->end_infinite && !r->alert_inside) {
		snprintf(buf, RP_RANGEBUF, "%s", rp_number_format(r->end, b));
	} else {
		snprintf(buf, RP_RANGEBUF, "%s%s:%s", at,
		         r->start_infinite ? "~" : rp_number_format(r->start, a),
		         r->end_infinite ? "" : rp_number_format(r->end, b));
	}
	return buf;
}
