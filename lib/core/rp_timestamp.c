#include "rp_timestamp.h"
#include "rp_util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const format_names[] = { "auto", "unix", "unix-ms", "unix-us", "iso", "julian" };

const char *rp_timestamp_format_name(enum rp_timestamp_format f)
{
	if ((size_t)f < sizeof format_names / sizeof format_names[0])
		return format_names[f];
	return "auto";
}

bool rp_timestamp_format_parse(const char *name, enum rp_timestamp_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum rp_timestamp_format)i;
			return true;
		}
	}
	return false;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

double rp_timestamp_from_tm_utc(const struct tm *tm)
{
	int64_t days = days_from_civil(tm->tm_year + 1900, (unsigned)tm->tm_mon + 1,
	                               (unsigned)tm->tm_mday);
	return (double)days * 86400.0 + tm->tm_hour * 3600.0 + tm->tm_min * 60.0 + tm->tm_sec;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at s[*i]. */
static bool digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;
	for (int k = 0; k < n; k++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return false;
		v = v * 10 + (s[(*i)++] - '0');
	}
	*out = v;
	return true;
}

static bool expect(const char *s, size_t len, size_t *i, char c)
{
	if (*i < len && s[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

bool rp_timestamp_parse_iso(const char *s, size_t len, double *unix_seconds)
{
	size_t i = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	double frac = 0;
	if (!digits(s, len, &i, 4, &y) || !expect(s, len, &i, '-') || !digits(s, len, &i, 2, &mo) ||
	    !expect(s, len, &i, '-') || !digits(s, len, &i, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return false;
	int offset_minutes = 0;
	if (i < len && (s[i] == 'T' || s[i] == ' ')) {
		i++;
		if (!digits(s, len, &i, 2, &h) || !expect(s, len, &i, ':') ||
		    !digits(s, len, &i, 2, &mi))
			return false;
		if (expect(s, len, &i, ':')) {
			if (!digits(s, len, &i, 2, &sec))
				return false;
			if (expect(s, len, &i, '.')) {
				double scale = 0.1;
				size_t start = i;
				while (i < len && s[i] >= '0' && s[i] <= '9') {
					frac += (s[i] - '0') * scale;
					scale /= 10;
					i++;
				}
				if (i == start)
					return false;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return false;
		if (i < len && s[i] == 'Z') {
			i++;
		} else if (i < len && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
			i++;
			if (!digits(s, len, &i, 2, &oh))
				return false;
			if (expect(s, len, &i, ':')) {
				if (!digits(s, len, &i, 2, &om))
					return false;
			} else if (i < len) {
				if (!digits(s, len, &i, 2, &om))
					return false;
			}
			if (oh > 23 || om > 59)
				return false;
			offset_minutes = sign * (oh * 60 + om);
		}
	}
	if (i != len)
		return false;
	int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	double t = (double)days * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac;
	*unix_seconds = t - offset_minutes * 60.0;
	return true;
}

static bool detect_number(double v, enum rp_timestamp_format *f)
{
	double a = fabs(v);
	if (a >= 2e6 && a < 3e6)
		*f = RP_TS_JULIAN;
	else if (a >= 1e8 && a < 1e11)
		*f = RP_TS_UNIX;
	else if (a >= 1e11 && a < 1e14)
		*f = RP_TS_UNIX_MS;
	else if (a >= 1e14 && a < 1e17)
		*f = RP_TS_UNIX_US;
	else
		return false;
	return v > 0;
}

bool rp_timestamp_from_number(double v, enum rp_timestamp_format forced, double *unix_seconds,
                              enum rp_timestamp_format *detected, char *err, size_t errlen)
{
	enum rp_timestamp_format f = forced;
	char num[RP_NUMBUF];
	if (!isfinite(v)) {
		snprintf(err, errlen, "value is not a finite number");
		return false;
	}
	if (f == RP_TS_AUTO && !detect_number(v, &f)) {
		snprintf(err, errlen,
		         "value %s does not look like a timestamp (unix s/ms/us or Julian day); "
		         "use --fresh-format",
		         rp_number_format(v, num));
		return false;
	}
	switch (f) {
	case RP_TS_UNIX:
		*unix_seconds = v;
		break;
	case RP_TS_UNIX_MS:
		*unix_seconds = v / 1e3;
		break;
	case RP_TS_UNIX_US:
		*unix_seconds = v / 1e6;
		break;
	case RP_TS_JULIAN:
		*unix_seconds = (v - 2440587.5) * 86400.0;
		break;
	case RP_TS_ISO:
		snprintf(err, errlen, "value %s is a number, not ISO-8601 text",
		         rp_number_format(v, num));
		return false;
	case RP_TS_AUTO:
		return false;
	}
	/* Past year 300000 either way is not a time a row was written. */
	if (!isfinite(*unix_seconds) || fabs(*unix_seconds) > 1e13) {
		snprintf(err, errlen, "value %s is out of range as %s", rp_number_format(v, num),
		         rp_timestamp_format_name(f));
		return false;
	}
	*detected = f;
	return true;
}

bool rp_timestamp_from_text(const char *s, size_t len, enum rp_timestamp_format forced,
                            double *unix_seconds, enum rp_timestamp_format *detected, char *err,
                            size_t errlen)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	double v;
	if (forced != RP_TS_ISO && rp_number_parse(s, len, &v))
		return rp_timestamp_from_number(v, forced, unix_seconds, detected, err, errlen);
	if (forced != RP_TS_AUTO && forced != RP_TS_ISO) {
		snprintf(err, errlen, "text '%.*s' is not a number (--fresh-format %s)",
		         (int)(len > 40 ? 40 : len), s, rp_timestamp_format_name(forced));
		return false;
	}
	if (!rp_timestamp_parse_iso(s, len, unix_seconds)) {
		/* Column text is untrusted: the caller sanitises err on output. */
		snprintf(err, errlen,
		         "text '%.*s' is not a timestamp (ISO-8601 like 2024-05-01 12:00:00 or "
		         "2024-05-01T12:00:00Z)",
		         (int)(len > 40 ? 40 : len), s);
		return false;
	}
	*detected = RP_TS_ISO;
	return true;
}
