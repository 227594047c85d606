#include "rp_toml.h"
#include "rp_text.h"
#include "rp_util.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a table or array came to be, for TOML's rules on defining tables. */
enum {
	F_EXPLICIT = 1 << 0, /* [header] */
	F_IMPLICIT = 1 << 1, /* created as a parent by a header */
	F_DOTTED = 1 << 2,   /* created by dotted keys */
	F_INLINE = 1 << 3,   /* { inline } table: complete as written */
	F_STATIC = 1 << 4,   /* [ array ] value: complete as written */
	F_AOT = 1 << 5,      /* array of tables, [[header]] */
};

/* Nesting of arrays and inline tables: deeper input is refused rather than
 * allowed to exhaust the stack. */
#define MAX_DEPTH 256

struct parser {
	const char *src;
	size_t len, pos;
	int line;
	size_t line_start;
	char *err;
	size_t errlen;
	bool failed;
	int depth;
};

static bool fail(struct parser *p, const char *fmt, ...) RP_PRINTF(2, 3);

static bool fail(struct parser *p, const char *fmt, ...)
{
	if (p->failed)
		return false;
	p->failed = true;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "line %d, column %zu: %s", p->line, p->pos - p->line_start + 1,
	         msg);
	return false;
}

static int peek(const struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->src[p->pos + ahead] : -1;
}

static bool at_eof(const struct parser *p)
{
	return p->pos >= p->len;
}

static void newline_seen(struct parser *p)
{
	p->line++;
	p->line_start = p->pos;
}

static void skip_ws(struct parser *p)
{
	while (peek(p, 0) == ' ' || peek(p, 0) == '\t')
		p->pos++;
}

/* Control characters allowed nowhere outside of what a string permits. */
static bool is_bad_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static bool skip_comment(struct parser *p)
{
	if (peek(p, 0) != '#')
		return true;
	while (!at_eof(p) && peek(p, 0) != '\n') {
		int c = peek(p, 0);
		if (c == '\r' && peek(p, 1) == '\n')
			break;
		if (is_bad_control(c))
			return fail(p, "control character 0x%02x in a comment", c);
		p->pos++;
	}
	return true;
}

/* At a newline (LF or CRLF)? Consumes it. */
static bool eat_newline(struct parser *p)
{
	if (peek(p, 0) == '\n') {
		p->pos++;
		newline_seen(p);
		return true;
	}
	if (peek(p, 0) == '\r' && peek(p, 1) == '\n') {
		p->pos += 2;
		newline_seen(p);
		return true;
	}
	return false;
}

/* White space, newlines and comments (between array elements). */
static bool skip_ws_nl_comments(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (!skip_comment(p))
			return false;
		if (!eat_newline(p))
			break;
	}
	if (peek(p, 0) == '\r')
		return fail(p, "a carriage return without a line feed");
	return true;
}

/* After a key/value pair or a header: only a comment, then the line ends. */
static bool end_of_line(struct parser *p)
{
	skip_ws(p);
	if (!skip_comment(p))
		return false;
	if (at_eof(p) || eat_newline(p))
		return true;
	if (peek(p, 0) == '\r')
		return fail(p, "a carriage return without a line feed");
	return fail(p, "expected the end of the line, found '%c'", peek(p, 0));
}

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
	int c = peek(p, 0);
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
			int h = rp_hex_digit(peek(p, 0));
			if (h < 0)
				return fail(p, "\\%c needs %d hex digits", c, digits);
			cp = cp * 16 + (unsigned long)h;
			p->pos++;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(p, "\\%c%0*lX is not a Unicode scalar value", c, digits, cp);
		put_utf8(b, cp);
		return true;
	}
	}
	p->pos--;
	return fail(p, "invalid escape '\\%c'", c > 0x20 && c < 0x7f ? c : '?');
}

/* Copies one UTF-8 character (the document was validated as UTF-8). */
static void copy_char(struct parser *p, struct rp_buf *b)
{
	size_t n = rp_utf8_seq_len((const unsigned char *)p->src + p->pos, p->len - p->pos);
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

static bool basic_string(struct parser *p, struct rp_buf *b)
{
	p->pos++; /* " */
	for (;;) {
		copy_plain_run(p, b, '"', '\\');
		int c = peek(p, 0);
		if (c < 0 || c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
			return fail(p, "unterminated string");
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
		if (is_bad_control(c))
			return fail(p, "control character 0x%02x in a string", c);
		copy_char(p, b);
	}
}

static bool literal_string(struct parser *p, struct rp_buf *b)
{
	p->pos++; /* ' */
	for (;;) {
		copy_plain_run(p, b, '\'', '\'');
		int c = peek(p, 0);
		if (c < 0 || c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
			return fail(p, "unterminated string");
		if (c == '\'') {
			p->pos++;
			return true;
		}
		if (is_bad_control(c))
			return fail(p, "control character 0x%02x in a string", c);
		copy_char(p, b);
	}
}

/* Multi-line strings: q is '"' or '\''. */
static bool multiline_string(struct parser *p, struct rp_buf *b, char q)
{
	p->pos += 3;
	eat_newline(p); /* a newline right after the opening quotes is trimmed */
	for (;;) {
		int c = peek(p, 0);
		if (c < 0)
			return fail(p, "unterminated multi-line string");
		if (c == q && peek(p, 1) == q && peek(p, 2) == q) {
			/* Up to two quotes may stand right before the closing three. */
			size_t run = 3;
			while (peek(p, (int)run) == q)
				run++;
			if (run > 5)
				return fail(p, "too many quotes at the end of a multi-line string");
			for (size_t i = 3; i < run; i++)
				rp_buf_putc(b, q);
			p->pos += run;
			return true;
		}
		if (eat_newline(p)) {
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
			skip_ws(p);
			if (eat_newline(p)) {
				for (;;) {
					skip_ws(p);
					if (!eat_newline(p))
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
		if (is_bad_control(c))
			return fail(p, "control character 0x%02x in a string", c);
		copy_char(p, b);
	}
}

/* ------------------------------------------------------------------- keys */

static bool is_bare_key_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

struct key_path {
	struct rp_key *parts;
	size_t n;
};

static void key_path_free(struct key_path *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->parts[i].s);
	free(k->parts);
	k->parts = NULL;
	k->n = 0;
}

static bool simple_key(struct parser *p, struct key_path *k)
{
	struct rp_buf b;
	rp_buf_init(&b);
	int c = peek(p, 0);
	bool ok;
	if (c == '"') {
		if (peek(p, 1) == '"' && peek(p, 2) == '"')
			return fail(p, "a multi-line string cannot be a key");
		ok = basic_string(p, &b);
	} else if (c == '\'') {
		if (peek(p, 1) == '\'' && peek(p, 2) == '\'')
			return fail(p, "a multi-line string cannot be a key");
		ok = literal_string(p, &b);
	} else {
		size_t start = p->pos;
		while (is_bare_key_char(peek(p, 0)))
			p->pos++;
		rp_buf_append(&b, p->src + start, p->pos - start);
		ok = b.len > 0 || fail(p, "expected a key");
	}
	if (!ok) {
		rp_buf_free(&b);
		return false;
	}
	k->parts = rp_xreallocarray(k->parts, k->n + 1, sizeof *k->parts);
	k->parts[k->n].len = b.len;
	k->parts[k->n].s = rp_buf_steal(&b);
	k->n++;
	return true;
}

static bool key(struct parser *p, struct key_path *k)
{
	for (;;) {
		skip_ws(p);
		if (!simple_key(p, k))
			return false;
		skip_ws(p);
		if (peek(p, 0) != '.')
			return true;
		p->pos++;
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
		int d = rp_hex_digit(c);
		if (d < 0 || d >= base)
			return false;
		rp_buf_putc(out, (char)c);
	}
	return true;
}

static bool parse_integer(const char *tok, size_t len, long long *out)
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
			unsigned d = (unsigned)rp_hex_digit(digits.data[k]);
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

static bool parse_float(const char *tok, size_t len, double *out)
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
		*out = strtod_l(clean.data, &end, rp_c_locale());
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
		int c = peek(p, at + (size_t)i);
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
static bool looks_like_date(const struct parser *p)
{
	int v;
	return n_digits(p, 0, 4, &v) && peek(p, 4) == '-';
}

static bool looks_like_time(const struct parser *p, size_t at)
{
	int v;
	return n_digits(p, at, 2, &v) && peek(p, at + 2) == ':';
}

/* HH:MM:SS[.frac] at the cursor, appended to b. */
static bool read_time(struct parser *p, struct rp_buf *b)
{
	int h, m, s;
	if (!n_digits(p, 0, 2, &h) || peek(p, 2) != ':' || !n_digits(p, 3, 2, &m) ||
	    peek(p, 5) != ':' || !n_digits(p, 6, 2, &s))
		return fail(p, "expected a time as HH:MM:SS");
	if (h > 23 || m > 59 || s > 60)
		return fail(p, "time out of range");
	rp_buf_append(b, p->src + p->pos, 8);
	p->pos += 8;
	if (peek(p, 0) == '.') {
		size_t n = 1;
		while (is_digit(peek(p, n)))
			n++;
		if (n == 1)
			return fail(p, "expected digits after the decimal point of the seconds");
		rp_buf_append(b, p->src + p->pos, n);
		p->pos += n;
	}
	return true;
}

static struct rp_value *datetime(struct parser *p)
{
	struct rp_buf b;
	rp_buf_init(&b);
	enum rp_value_type type;
	if (looks_like_date(p)) {
		int y, mo, d;
		if (!n_digits(p, 0, 4, &y) || !n_digits(p, 5, 2, &mo) || peek(p, 7) != '-' ||
		    !n_digits(p, 8, 2, &d)) {
			fail(p, "expected a date as YYYY-MM-DD");
			goto bad;
		}
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		if (mo < 1 || mo > 12 || d < 1 || d > (mo == 2 && leap(y) ? 29 : mdays[mo - 1])) {
			fail(p, "date out of range");
			goto bad;
		}
		rp_buf_append(&b, p->src + p->pos, 10);
		p->pos += 10;
		type = RP_V_DATE_LOCAL;
		int sep = peek(p, 0);
		if ((sep == 'T' || sep == 't' || sep == ' ') && looks_like_time(p, 1)) {
			p->pos++;
			rp_buf_putc(&b, 'T');
			if (!read_time(p, &b))
				goto bad;
			type = RP_V_DATETIME_LOCAL;
			int z = peek(p, 0);
			if (z == 'Z' || z == 'z') {
				p->pos++;
				rp_buf_putc(&b, 'Z');
				type = RP_V_DATETIME;
			} else if (z == '+' || z == '-') {
				int oh, om;
				if (!n_digits(p, 1, 2, &oh) || peek(p, 3) != ':' ||
				    !n_digits(p, 4, 2, &om) || oh > 23 || om > 59) {
					fail(p, "expected a time offset as +HH:MM");
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

/* ------------------------------------------------------------------ values */

static struct rp_value *value(struct parser *p);
static bool put_keyval(struct parser *p, struct rp_value *table, bool in_inline);

static bool ends_token(int c)
{
	/* Control bytes (a NUL included) end a token and are refused after. */
	return c < 0x20 || c == 0x7f || c == ' ' || c == ',' || c == ']' || c == '}' || c == '#';
}

static struct rp_value *number_or_word(struct parser *p)
{
	size_t start = p->pos;
	while (!ends_token(peek(p, 0)))
		p->pos++;
	const char *tok = p->src + start;
	size_t len = p->pos - start;
	if (len == 0) {
		fail(p, "expected a value");
		return NULL;
	}
	if ((len == 4 && memcmp(tok, "true", 4) == 0) ||
	    (len == 5 && memcmp(tok, "false", 5) == 0)) {
		struct rp_value *v = rp_value_new(RP_V_BOOL);
		v->b = len == 4;
		return v;
	}
	char *t = rp_xstrndup(tok, len);
	long long i;
	double f;
	struct rp_value *v = NULL;
	if (parse_integer(t, len, &i)) {
		v = rp_value_new(RP_V_INTEGER);
		v->i = i;
	} else if (parse_float(t, len, &f)) {
		v = rp_value_new(RP_V_FLOAT);
		v->f = f;
	} else {
		p->pos = start;
		fail(p, "'%.40s' is not a valid value", t);
	}
	free(t);
	return v;
}

static struct rp_value *array(struct parser *p)
{
	struct rp_value *a = rp_value_new(RP_V_ARRAY);
	a->flags = F_STATIC;
	p->pos++; /* [ */
	for (;;) {
		if (!skip_ws_nl_comments(p))
			goto bad;
		if (peek(p, 0) == ']') {
			p->pos++;
			return a;
		}
		struct rp_value *item = value(p);
		if (!item)
			goto bad;
		rp_array_push(a, item);
		if (!skip_ws_nl_comments(p))
			goto bad;
		if (peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p, 0) == ']') {
			p->pos++;
			return a;
		}
		fail(p, "expected ',' or ']' in an array");
		goto bad;
	}
bad:
	rp_value_free(a);
	return NULL;
}

static struct rp_value *inline_table(struct parser *p)
{
	struct rp_value *t = rp_value_new(RP_V_TABLE);
	p->pos++; /* { */
	skip_ws(p);
	if (peek(p, 0) == '}') {
		p->pos++;
		t->flags = F_INLINE;
		return t;
	}
	for (;;) {
		skip_ws(p);
		if (!put_keyval(p, t, true))
			goto bad;
		skip_ws(p);
		if (peek(p, 0) == ',') {
			p->pos++;
			skip_ws(p);
			if (peek(p, 0) == '}') {
				fail(p, "a trailing comma is not allowed in an inline table");
				goto bad;
			}
			continue;
		}
		if (peek(p, 0) == '}') {
			p->pos++;
			t->flags = F_INLINE;
			return t;
		}
		fail(p, "expected ',' or '}' in an inline table");
		goto bad;
	}
bad:
	rp_value_free(t);
	return NULL;
}

static struct rp_value *string_value(struct parser *p)
{
	struct rp_buf b;
	rp_buf_init(&b);
	int q = peek(p, 0);
	bool multi = peek(p, 1) == q && peek(p, 2) == q;
	bool ok = multi ? multiline_string(p, &b, (char)q)
	                : (q == '"' ? basic_string(p, &b) : literal_string(p, &b));
	if (!ok) {
		rp_buf_free(&b);
		return NULL;
	}
	struct rp_value *v = rp_value_new(RP_V_STRING);
	v->len = b.len;
	v->s = rp_buf_steal(&b);
	return v;
}

static struct rp_value *value(struct parser *p)
{
	int c = peek(p, 0);
	int line = p->line;
	struct rp_value *v;
	if (++p->depth > MAX_DEPTH) {
		fail(p, "arrays and inline tables nested deeper than %d", MAX_DEPTH);
		return NULL;
	}
	if (c == '"' || c == '\'')
		v = string_value(p);
	else if (c == '[')
		v = array(p);
	else if (c == '{')
		v = inline_table(p);
	else if (looks_like_date(p) || looks_like_time(p, 0))
		v = datetime(p);
	else
		v = number_or_word(p);
	p->depth--;
	if (v && !v->line)
		v->line = line;
	return v;
}

/* ------------------------------------------------------------------ tables */

static bool is_table(const struct rp_value *v)
{
	return v && v->type == RP_V_TABLE;
}

/* Adds key = value to table, creating the tables of a dotted key. */
static bool put_keyval(struct parser *p, struct rp_value *table, bool in_inline)
{
	struct key_path k = { NULL, 0 };
	size_t key_pos = p->pos;
	if (!key(p, &k))
		goto bad;
	skip_ws(p);
	if (peek(p, 0) != '=') {
		fail(p, "expected '=' after a key");
		goto bad;
	}
	p->pos++;
	skip_ws(p);
	struct rp_value *t = table;
	for (size_t i = 0; i + 1 < k.n; i++) {
		struct rp_value *child = rp_table_get(t, k.parts[i].s, k.parts[i].len);
		if (!child) {
			child = rp_value_new(RP_V_TABLE);
			child->flags = F_DOTTED;
			child->line = p->line;
			rp_table_add(t, k.parts[i].s, k.parts[i].len, child);
		} else if (!is_table(child) || (child->flags & (F_INLINE | F_EXPLICIT))) {
			p->pos = key_pos;
			fail(p, "key '%.60s' is already defined", k.parts[i].s);
			goto bad;
		} else if (in_inline && !(child->flags & F_DOTTED)) {
			p->pos = key_pos;
			fail(p, "key '%.60s' is already defined", k.parts[i].s);
			goto bad;
		}
		t = child;
	}
	const struct rp_key *last = &k.parts[k.n - 1];
	if (rp_table_get(t, last->s, last->len)) {
		p->pos = key_pos;
		fail(p, "key '%.60s' is defined twice", last->s);
		goto bad;
	}
	struct rp_value *v = value(p);
	if (!v)
		goto bad;
	rp_table_add(t, last->s, last->len, v);
	key_path_free(&k);
	return true;
bad:
	key_path_free(&k);
	return false;
}

/* [a.b.c] or [[a.b.c]]: returns the table that keys now go to. */
static struct rp_value *header(struct parser *p, struct rp_value *root)
{
	bool aot = peek(p, 1) == '[';
	p->pos += aot ? 2 : 1;
	size_t key_pos = p->pos;
	struct key_path k = { NULL, 0 };
	struct rp_value *result = NULL;
	if (!key(p, &k))
		goto out;
	skip_ws(p);
	if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']')) {
		fail(p, aot ? "expected ']]' to close the header"
		            : "expected ']' to close the header");
		goto out;
	}
	p->pos += aot ? 2 : 1;

	struct rp_value *t = root;
	for (size_t i = 0; i + 1 < k.n; i++) {
		struct rp_value *child = rp_table_get(t, k.parts[i].s, k.parts[i].len);
		if (!child) {
			child = rp_value_new(RP_V_TABLE);
			child->flags = F_IMPLICIT;
			child->line = p->line;
			rp_table_add(t, k.parts[i].s, k.parts[i].len, child);
		} else if (child->type == RP_V_ARRAY && (child->flags & F_AOT) && child->n) {
			child = child->items[child->n - 1];
		} else if (!is_table(child) || (child->flags & F_INLINE)) {
			p->pos = key_pos;
			fail(p, "'%.60s' is already defined and is not a table", k.parts[i].s);
			goto out;
		}
		t = child;
	}
	const struct rp_key *last = &k.parts[k.n - 1];
	struct rp_value *existing = rp_table_get(t, last->s, last->len);
	if (aot) {
		if (!existing) {
			existing = rp_value_new(RP_V_ARRAY);
			existing->flags = F_AOT;
			existing->line = p->line;
			rp_table_add(t, last->s, last->len, existing);
		} else if (existing->type != RP_V_ARRAY || !(existing->flags & F_AOT)) {
			p->pos = key_pos;
			fail(p, "'%.60s' is already defined and is not an array of tables",
			     last->s);
			goto out;
		}
		result = rp_value_new(RP_V_TABLE);
		result->flags = F_EXPLICIT;
		result->line = p->line;
		rp_array_push(existing, result);
	} else if (!existing) {
		result = rp_value_new(RP_V_TABLE);
		result->flags = F_EXPLICIT;
		result->line = p->line;
		rp_table_add(t, last->s, last->len, result);
	} else if (is_table(existing) && (existing->flags & F_IMPLICIT) &&
	           !(existing->flags & (F_EXPLICIT | F_DOTTED | F_INLINE))) {
		existing->flags |= F_EXPLICIT;
		result = existing;
	} else {
		p->pos = key_pos;
		fail(p, "table '%.60s' is defined twice", last->s);
	}
out:
	key_path_free(&k);
	return result;
}

static bool valid_utf8(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->src;
	for (size_t i = 0; i < p->len;) {
		size_t n = rp_utf8_seq_len(s + i, p->len - i);
		if (n == 0) {
			p->pos = i;
			return fail(p, "invalid UTF-8");
		}
		if (s[i] == '\n') {
			p->line++;
			p->line_start = i + 1;
		}
		i += n;
	}
	p->line = 1;
	p->line_start = 0;
	p->pos = 0;
	return true;
}

struct rp_value *rp_toml_parse(const char *src, size_t len, char *err, size_t errlen)
{
	/* A UTF-8 byte order mark is allowed, and is not content. */
	if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
		src += 3;
		len -= 3;
	}
	struct parser p = { src, len, 0, 1, 0, err, errlen, false, 0 };
	if (!valid_utf8(&p))
		return NULL;
	struct rp_value *root = rp_value_new(RP_V_TABLE);
	root->flags = F_EXPLICIT;
	struct rp_value *current = root;
	for (;;) {
		if (!skip_ws_nl_comments(&p))
			break;
		if (at_eof(&p)) {
			return root;
		}
		if (peek(&p, 0) == '[') {
			current = header(&p, root);
			if (!current)
				break;
		} else if (!put_keyval(&p, current, false)) {
			break;
		}
		if (!end_of_line(&p))
			break;
	}
	rp_value_free(root);
	return NULL;
}
