#include "rp_util.h"
#include "rp_secrets.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die_oom(void)
{
	static const char msg[] = "UNKNOWN - out of memory\n";
	ssize_t r = write(STDOUT_FILENO, msg, sizeof msg - 1);
	(void)r;
	_exit(3);
}

void *rp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *rp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

void *rp_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom();
	return q;
}

void *rp_xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die_oom();
	return rp_xrealloc(p, n * size);
}

char *rp_xstrdup(const char *s)
{
	return rp_xstrndup(s, strlen(s));
}

char *rp_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = rp_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *rp_xvasprintf(const char *fmt, va_list ap)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_vprintf(&b, fmt, ap);
	return rp_buf_steal(&b);
}

char *rp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = rp_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void rp_buf_init(struct rp_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->secret = false;
}

void rp_buf_init_secret(struct rp_buf *b)
{
	rp_buf_init(b);
	b->secret = true;
}

void rp_buf_free(struct rp_buf *b)
{
	if (b->secret)
		rp_secret_wipe(b->data, b->cap);
	free(b->data);
	rp_buf_init(b);
}

/* A secret buffer moves by copy and erase: realloc would leave the old
 * bytes behind in freed memory. */
static char *grow_secret(struct rp_buf *b, size_t cap)
{
	char *p = rp_xmalloc(cap);
	if (b->data) {
		memcpy(p, b->data, b->len + 1);
		rp_secret_wipe(b->data, b->cap);
		free(b->data);
	}
	return p;
}

void rp_buf_reset(struct rp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void buf_reserve(struct rp_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		die_oom();
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = b->secret ? grow_secret(b, cap) : rp_xrealloc(b->data, cap);
	b->cap = cap;
}

void rp_buf_append(struct rp_buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rp_buf_puts(struct rp_buf *b, const char *s)
{
	rp_buf_append(b, s, strlen(s));
}

void rp_buf_putc(struct rp_buf *b, char c)
{
	rp_buf_append(b, &c, 1);
}

void rp_buf_vprintf(struct rp_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void rp_buf_printf(struct rp_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rp_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *rp_buf_steal(struct rp_buf *b)
{
	char *s = b->data;
	if (!s)
		s = rp_xstrdup("");
	rp_buf_init(b);
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Validates the grammar; strtod then does the exact conversion, in the C
 * locale (strtod_l), so "1.5" means 1.5 under LC_NUMERIC=de_DE too. */
/* The C locale, made once; safe when threads (check_readiness' workers)
 * parse numbers at the same time. */
locale_t rp_c_locale(void)
{
	static _Atomic(locale_t) loc;
	locale_t l = atomic_load(&loc);
	if (l)
		return l;
	locale_t mine = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!mine)
		die_oom();
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
	double v = strtod_l(tmp, &end, rp_c_locale());
	if (*end != '\0' || !isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
		return false;
	*out = v;
	return true;
}

bool rp_parse_number(const char *s, size_t len, double *out)
{
	return parse_number(s, len, false, out);
}

bool rp_parse_number_lenient(const char *s, size_t len, double *out)
{
	return parse_number(s, len, true, out);
}

bool rp_parse_ll(const char *s, long long *out)
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

char *rp_format_number(double v, char buf[RP_NUMBUF])
{
	if (!isfinite(v)) {
		strcpy(buf, "U");
		return buf;
	}
	/* Values that are whole and exactly representable print without a
	 * decimal part; everything else with up to 6 decimals. */
	if (v == trunc(v) && fabs(v) < 9007199254740992.0) {
		snprintf(buf, RP_NUMBUF, "%.0f", v);
	} else {
		snprintf(buf, RP_NUMBUF, "%.6f", v);
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

bool rp_parse_bounded(const char *s, long long min, long long max, long long *out)
{
	long long v;
	if (!rp_parse_ll(s, &v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool rp_parse_port(const char *s, size_t len, int *port)
{
	char num[8];
	long long v;
	if (len == 0 || len >= sizeof num)
		return false;
	memcpy(num, s, len);
	num[len] = '\0';
	if (!rp_parse_bounded(num, 1, 65535, &v))
		return false;
	*port = (int)v;
	return true;
}

int rp_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void rp_strv_pushn(char ***v, size_t *n, const char *s, size_t len)
{
	*v = rp_xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = rp_xstrndup(s, len);
}

void rp_strv_push(char ***v, size_t *n, const char *s)
{
	rp_strv_pushn(v, n, s, strlen(s));
}

void rp_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool rp_strcaseeq(const char *a, const char *b)
{
	while (*a && *b && ascii_lower(*a) == ascii_lower(*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

bool rp_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void rp_buf_put_index(struct rp_buf *b, size_t i)
{
	char tmp[24];
	size_t n = sizeof tmp;
	tmp[--n] = ']';
	do {
		tmp[--n] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	tmp[--n] = '[';
	rp_buf_append(b, tmp + n, sizeof tmp - n);
}
