/* rp_toml_scalar.c: TOML's scalars: basic, literal and multi-line
 * strings with their escapes, integers and floats in every base and
 * spelling, and the four date-time types (TOML 1.0.0). */
#include "rp_text.h"
#include "rp_toml_parser.h"
#include "rp_util.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- strings */

static void put_utf8(struct rp_buf *b, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	rp_buf_append(b, u, n);
}

/* The escape after a backslash (p->pos at the character after it). */
static bool read_escape(struct parser *p, struct rp_buf *b)
{
	int c = rp_toml_peek(p, 0);
	p->pos++;
	switch (c) {
	case 'b':
		rp_buf_putc(b, '\b');
		return true;
	case 't':
		rp_buf_putc(b, '\t');
		return true;
	case 'n':
		rp_buf_putc(b, '\n');
		return true;
	case 'f':
		rp_buf_putc(b, '\f');
		return true;
	case 'r':
		rp_buf_putc(b, '\r');
		return true;
	case '"':
		rp_buf_putc(b, '"');
		return true;
	case '\\':
		rp_buf_putc(b, '\\');
		return true;
	case 'u':
	case 'U': {
		int digits = c == 'u' ? 4 : 8;
		unsigned long cp = 0;
		for (int i = 0; i < digits; i++) {
			int h = rp_number_hex_digit(rp_toml_peek(p, 0));
			if (h < 0)
				return rp_toml_fail(p, "\\%c needs %d hex digits", c, digits);
			cp = cp * 16 + (unsigned long)h;
			p->pos++;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return rp_toml_fail(p, "\\%c%0*lX is not a Unicode scalar value", c, digits,
			                    cp);
		put_utf8(b, cp);
		return true;
	}
	}
	p->pos--;
	return rp_toml_fail(p, "invalid escape '\\%c'", c > 0x20 && c < 0x7f ? c : '?');
}

/* Copies one UTF-8 character (the document was validated as UTF-8). */
static void copy_char(struct parser *p, struct rp_buf *b)
{
	size_t n = rp_text_utf8_len((const unsigned char *)p->src + p->pos, p->len - p->pos);
	if (n == 0)
		n = 1;
	rp_buf_append(b, p->src + p->pos, n);
	p->pos += n;
}

/* Appends the run of plain ASCII at the position (none of stop, no
 * control byte) in one go: most of a file's strings are nothing else. */
static void copy_plain_run(struct parser *p, struct rp_buf *b, char stop1, char stop2)
{
	size_t start = p->pos;
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->src[p->pos];
		if (c < 0x20 || c >= 0x7f || c == (unsigned char)stop1 || c == (unsigned char)stop2)
			break;
		p->pos++;
	}
	if (p->pos > start)
		rp_buf_append(b, p->src + start, p->pos - start);
}

bool rp_toml_scalar_basic_string(struct parser *p, struct rp_buf *b)
{
	p->pos++; /* " */
	for (;;) {
		copy_plain_run(p, b, '"', '\\');
		int c = rp_toml_peek(p, 0);
		if (c < 0 || c == '\n' || (c == '\r' && rp_toml_peek(p, 1) == '\n'))
			return rp_toml_fail(p, "unterminated string");
		if (c == '"') {
			p->pos++;
			return true;
		}
		if (c == '\\') {
			p->pos++;
			if (!read_escape(p, b))
				return false;
			continue;
		}
		if (rp_toml_is_bad_control(c))
			return rp_toml_fail(p, "control character 0x%02x in a string", c);
		copy_char(p, b);
	}
}

bool rp_toml_scalar_literal_string(struct parser *p, struct rp_buf *b)
{
	p->pos++; /* ' */
	for (;;) {
		copy_plain_run(p, b, '\'', '\'');
		int c = rp_toml_peek(p, 0);
		if (c < 0 || c == '\n' || (c == '\r' && rp_toml_peek(p, 1) == '\n'))
			return rp_toml_fail(p, "unterminated string");
		if (c == '\'') {
			p->pos++;
			return true;
		}
		if (rp_toml_is_bad_control(c))
			return rp_toml_fail(p, "control character 0x%02x in a string", c);
		copy_char(p, b);
	}
}

/* Multi-line strings: q is '"' or '\''. */
bool rp_toml_scalar_multiline_string(struct parser *p, struct rp_buf *b, char q)
{
	/* unclosed, it runs to the end of the file: the error points where
	 * it opened, which is what the admin has to fix */
	int open_line = p->line;
	size_t open_pos = p->pos, open_line_start = p->line_start;
	p->pos += 3;
	rp_toml_eat_newline(p); /* a newline right after the opening quotes is trimmed */
	for (;;) {
		int c = rp_toml_peek(p, 0);
		if (c < 0) {
			p->line = open_line;
			p->pos = open_pos;
			p->line_start = open_line_start;
			return rp_toml_fail(p, "a multi-line string never closed");
		}
		if (c == q && rp_toml_peek(p, 1) == q && rp_toml_peek(p, 2) == q) {
			/* Up to two quotes may stand right before the closing three. */
			size_t run = 3;
			while (rp_toml_peek(p, (int)run) == q)
				run++;
			if (run > 5)
				return rp_toml_fail(
				        p, "too many quotes at the end of a multi-line string");
			for (size_t i = 3; i < run; i++)
				rp_buf_putc(b, q);
			p->pos += run;
			return true;
		}
		if (rp_toml_eat_newline(p)) {
			rp_buf_putc(b, '\n');
			continue;
		}
		if (q == '"' && c == '\\') {
			/* A backslash ending a line trims the newline and the
			 * white space that follows. */
			size_t save = p->pos;
			int save_line = p->line;
			size_t save_ls = p->line_start;
			p->pos++;
			rp_toml_skip_ws(p);
			if (rp_toml_eat_newline(p)) {
				for (;;) {
					rp_toml_skip_ws(p);
					if (!rp_toml_eat_newline(p))
						break;
				}
				continue;
			}
			p->pos = save + 1;
			p->line = save_line;
			p->line_start = save_ls;
			if (!read_escape(p, b))
				return false;
			continue;
		}
		if (rp_toml_is_bad_control(c))
			return rp_toml_fail(p, "control character 0x%02x in a string", c);
		copy_char(p, b);
	}
}

/* ----------------------------------------------------------------- numbers */

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Digits of the given base with single underscores between digits.
 * Copies the digits (without underscores) to out. */
static bool digits_with_underscores(const char *s, size_t len, int base, struct rp_buf *out)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '_') {
			if (i == 0 || i + 1 == len || s[i + 1] == '_')
				return false;
			continue;
		}
		int d = rp_number_hex_digit(c);
		if (d < 0 || d >= base)
			return false;
		rp_buf_putc(out, (char)c);
	}
	return true;
}

bool rp_toml_scalar_parse_integer(const char *tok, size_t len, long long *out)
{
	struct rp_buf digits;
	rp_buf_init(&digits);
	int base = 10;
	bool neg = false;
	size_t i = 0;
	bool ok = false;
	if (len > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b')) {
		base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : 2;
		ok = digits_with_underscores(tok + 2, len - 2, base, &digits);
	} else {
		if (tok[0] == '+' || tok[0] == '-') {
			neg = tok[0] == '-';
			i = 1;
		}
		/* no leading zeros: 0, or a digit 1-9 first */
		if (i < len && tok[i] == '0' && len - i > 1)
			ok = false;
		else
			ok = digits_with_underscores(tok + i, len - i, 10, &digits);
	}
	if (ok) {
		unsigned long long v = 0,
		                   limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
		for (size_t k = 0; k < digits.len && ok; k++) {
			unsigned d = (unsigned)rp_number_hex_digit(digits.data[k]);
			if (v > (limit - d) / (unsigned)base)
				ok = false;
			else
				v = v * (unsigned)base + d;
		}
		if (ok)
			*out = neg ? (long long)(0 - v) : (long long)v;
	}
	rp_buf_free(&digits);
	return ok;
}

bool rp_toml_scalar_parse_float(const char *tok, size_t len, double *out)
{
	size_t i = 0;
	const char *body = tok;
	size_t blen = len;
	if (tok[0] == '+' || tok[0] == '-') {
		body++;
		blen--;
		i = 1;
	}
	if (blen == 3 && (memcmp(body, "inf", 3) == 0 || memcmp(body, "nan", 3) == 0)) {
		double v = body[0] == 'i' ? INFINITY : NAN;
		*out = tok[0] == '-' ? -v : v;
		return true;
	}
	/* int part [frac] [exp], at least one of frac and exp */
	size_t int_end = strcspn(body, ".eE");
	if (int_end > blen)
		int_end = blen;
	if (int_end == blen)
		return false;
	if (body[0] == '0' && int_end > 1)
		return false; /* leading zero */
	struct rp_buf clean;
	rp_buf_init(&clean);
	if (tok[0] == '-')
		rp_buf_putc(&clean, '-');
	bool ok = digits_with_underscores(body, int_end, 10, &clean);
	size_t k = int_end;
	if (ok && body[k] == '.') {
		size_t frac_end = k + 1;
		while (frac_end < blen && body[frac_end] != 'e' && body[frac_end] != 'E')
			frac_end++;
		rp_buf_putc(&clean, '.');
		ok = digits_with_underscores(body + k + 1, frac_end - k - 1, 10, &clean);
		k = frac_end;
	}
	if (ok && k < blen && (body[k] == 'e' || body[k] == 'E')) {
		k++;
		rp_buf_putc(&clean, 'e');
		if (k < blen && (body[k] == '+' || body[k] == '-'))
			rp_buf_putc(&clean, body[k++]);
		ok = digits_with_underscores(body + k, blen - k, 10, &clean);
		k = blen;
	}
	if (ok && k != blen)
		ok = false;
	(void)i;
	if (ok) {
		char *end;
		errno = 0;
		*out = strtod_l(clean.data, &end, rp_number_c_locale());
		ok = *end == '\0' && isfinite(*out);
	}
	rp_buf_free(&clean);
	return ok;
}

/* --------------------------------------------------------------- date/time */

static bool n_digits(const struct parser *p, size_t at, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		int c = rp_toml_peek(p, at + (size_t)i);
		if (!is_digit(c))
			return false;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Is there a date (YYYY-MM-DD) or a time (HH:MM) at the cursor? */
bool rp_toml_scalar_looks_like_date(const struct parser *p)
{
	int v;
	return n_digits(p, 0, 4, &v) && rp_toml_peek(p, 4) == '-';
}

bool rp_toml_scalar_looks_like_time(const struct parser *p, size_t at)
{
	int v;
	return n_digits(p, at, 2, &v) && rp_toml_peek(p, at + 2) == ':';
}

/* HH:MM:SS[.frac] at the cursor, appended to b. */
static bool read_time(struct parser *p, struct rp_buf *b)
{
	int h, m, s;
	if (!n_digits(p, 0, 2, &h) || rp_toml_peek(p, 2) != ':' || !n_digits(p, 3, 2, &m) ||
	    rp_toml_peek(p, 5) != ':' || !n_digits(p, 6, 2, &s))
		return rp_toml_fail(p, "expected a time as HH:MM:SS");
	if (h > 23 || m > 59 || s > 60)
		return rp_toml_fail(p, "time out of range");
	rp_buf_append(b, p->src + p->pos, 8);
	p->pos += 8;
	if (rp_toml_peek(p, 0) == '.') {
		size_t n = 1;
		while (is_digit(rp_toml_peek(p, n)))
			n++;
		if (n == 1)
			return rp_toml_fail(
			        p, "expected digits after the decimal point of the seconds");
		rp_buf_append(b, p->src + p->pos, n);
		p->pos += n;
	}
	return true;
}

struct rp_value *rp_toml_scalar_datetime(struct parser *p)
{
	struct rp_buf b;
	rp_buf_init(&b);
	enum rp_value_type type;
	if (rp_toml_scalar_looks_like_date(p)) {
		int y, mo, d;
		if (!n_digits(p, 0, 4, &y) || !n_digits(p, 5, 2, &mo) ||
		    rp_toml_peek(p, 7) != '-' || !n_digits(p, 8, 2, &d)) {
			rp_toml_fail(p, "expected a date as YYYY-MM-DD");
			goto bad;
		}
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		if (mo < 1 || mo > 12 || d < 1 || d > (mo == 2 && leap(y) ? 29 : mdays[mo - 1])) {
			rp_toml_fail(p, "date out of range");
			goto bad;
		}
		rp_buf_append(&b, p->src + p->pos, 10);
		p->pos += 10;
		type = RP_V_DATE_LOCAL;
		int sep = rp_toml_peek(p, 0);
		if ((sep == 'T' || sep == 't' || sep == ' ') &&
		    rp_toml_scalar_looks_like_time(p, 1)) {
			p->pos++;
			rp_buf_putc(&b, 'T');
			if (!read_time(p, &b))
				goto bad;
			type = RP_V_DATETIME_LOCAL;
			int z = rp_toml_peek(p, 0);
			if (z == 'Z' || z == 'z') {
				p->pos++;
				rp_buf_putc(&b, 'Z');
				type = RP_V_DATETIME;
			} else if (z == '+' || z == '-') {
				int oh, om;
				if (!n_digits(p, 1, 2, &oh) || rp_toml_peek(p, 3) != ':' ||
				    !n_digits(p, 4, 2, &om) || oh > 23 || om > 59) {
					rp_toml_fail(p, "expected a time offset as +HH:MM");
					goto bad;
				}
				rp_buf_append(&b, p->src + p->pos, 6);
				p->pos += 6;
				type = RP_V_DATETIME;
			}
		}
	} else {
		if (!read_time(p, &b))
			goto bad;
		type = RP_V_TIME_LOCAL;
	}
	struct rp_value *v = rp_value_new(type);
	v->len = b.len;
	v->s = rp_buf_steal(&b);
	return v;
bad:
	rp_buf_free(&b);
	return NULL;
}
