/* rp_number.c: numbers read and written the same in every locale. */
#include "rp_number.h"
#include "rp_x.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Validates the grammar; strtod then does the exact conversion, in the C
 * locale (strtod_l), so "1.5" means 1.5 under LC_NUMERIC=de_DE too. */
/* The C locale, made once; safe when threads (check_readiness' workers)
 * parse numbers at the same time. */
locale_t rp_number_c_locale(void)
{
	static _Atomic(locale_t) loc;
	locale_t l = atomic_load(&loc);
	if (l)
		return l;
	locale_t mine = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!mine)
		rp_xdie_oom();
	locale_t expected = (locale_t)0;
	if (atomic_compare_exchange_strong(&loc, &expected, mine))
		return mine;
	freelocale(mine); /* another thread was first */
	return expected;
}

static bool parse_number(const char *s, size_t len, bool allow_exp, double *out)
{
	char tmp[512];
	size_t i = 0, digits = 0;

	if (len == 0 || len >= sizeof tmp)
		return false;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (i < len && is_digit(s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i]))
			i++, digits++;
	}
	if (digits == 0)
		return false;
	if (allow_exp && i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < len && is_digit(s[i]))
			i++, exp_digits++;
		if (exp_digits == 0)
			return false;
	}
	if (i != len)
		return false;

	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	char *end;
	double v = strtod_l(tmp, &end, rp_number_c_locale());
	if (*end != '\0' || !isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
		return false;
	*out = v;
	return true;
}

bool rp_number_parse(const char *s, size_t len, double *out)
{
	return parse_number(s, len, false, out);
}

bool rp_number_parse_lenient(const char *s, size_t len, double *out)
{
	return parse_number(s, len, true, out);
}

bool rp_number_parse_ll(const char *s, long long *out)
{
	long long v = 0;
	if (!s || !*s)
		return false;
	for (const char *p = s; *p; p++) {
		if (!is_digit(*p))
			return false;
		int d = *p - '0';
		if (v > (LLONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

char *rp_number_format(double v, char buf[RP_NUMBUF])
{
	if (!isfinite(v)) {
		strcpy(buf, "U");
		return buf;
	}
	/* Values that are whole and exactly representable print without a
	 * decimal part; everything else with up to 6 decimals, and below 1
	 * with as many as 6 significant digits need: 0.00000015 must not
	 * print as 0 when the state was decided on its exact value. */
	if (v == trunc(v) && fabs(v) < 9007199254740992.0) {
		snprintf(buf, RP_NUMBUF, "%.0f", v);
	} else {
		int decimals = 6;
		if (fabs(v) < 1) {
			int need = 5 - (int)floor(log10(fabs(v)));
			decimals = need > 6 ? (need < 340 ? need : 340) : 6;
		}
		snprintf(buf, RP_NUMBUF, "%.*f", decimals, v);
		/* printf honours LC_NUMERIC: whatever it used as the decimal
		 * point, we want '.'. No thousands grouping is used with %f. */
		const char *dp = localeconv()->decimal_point;
		size_t dpl = strlen(dp);
		if (dpl && strcmp(dp, ".") != 0) {
			char *p = strstr(buf, dp);
			if (p) {
				*p = '.';
				memmove(p + 1, p + dpl, strlen(p + dpl) + 1);
			}
		}
		char *dot = strchr(buf, '.');
		if (dot) {
			char *end = buf + strlen(buf) - 1;
			while (end > dot && *end == '0')
				*end-- = '\0';
			if (end == dot)
				*end = '\0';
		}
		if (strcmp(buf, "-0") == 0)
			strcpy(buf, "0");
	}
	return buf;
}

bool rp_number_parse_bounded(const char *s, long long min, long long max, long long *out)
{
	long long v;
	if (!rp_number_parse_ll(s, &v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool rp_number_parse_port(const char *s, size_t len, int *port)
{
	char num[8];
	long long v;
	if (len == 0 || len >= sizeof num)
		return false;
	memcpy(num, s, len);
	num[len] = '\0';
	if (!rp_number_parse_bounded(num, 1, 65535, &v))
		return false;
	*port = (int)v;
	return true;
}

int rp_number_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
