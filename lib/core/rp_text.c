#include "rp_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

size_t rp_text_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	unsigned int cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *rp_text_sanitize_str(const char *s, size_t max)
{
	return rp_text_sanitize(s ? s : "", s ? strlen(s) : 0, max);
}

void rp_text_sanitize_into(struct rp_buf *out, const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = out->len;
	for (size_t i = 0; i < len;) {
		char esc[8];
		const char *piece;
		size_t plen, consumed;
		size_t seq = rp_text_utf8_len(u + i, len - i);
		if (seq == 1 && u[i] == '\n') {
			piece = "\\n";
			plen = 2;
		} else if (seq == 1 && u[i] == '\t') {
			piece = "\\t";
			plen = 2;
		} else if (seq == 0 || (seq == 1 && (u[i] < 0x20 || u[i] == 0x7f || u[i] == '|'))) {
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			piece = esc;
			plen = 4;
			seq = 1;
		} else {
			piece = s + i;
			plen = seq;
		}
		consumed = seq;
		if (out->len - start + plen > max) {
			rp_buf_puts(out, "...");
			return;
		}
		rp_buf_append(out, piece, plen);
		i += consumed;
	}
}

char *rp_text_sanitize(const char *s, size_t len, size_t max)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_text_sanitize_into(&b, s, len, max);
	return rp_buf_steal(&b);
}

void rp_text_json_string(struct rp_buf *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	rp_buf_putc(out, '"');
	for (size_t i = 0; i < len;) {
		size_t seq = rp_text_utf8_len(u + i, len - i);
		if (seq == 0) {
			rp_buf_puts(out, "\\ufffd");
			i++;
			continue;
		}
		if (seq > 1) {
			rp_buf_append(out, s + i, seq);
			i += seq;
			continue;
		}
		unsigned char c = u[i++];
		switch (c) {
		case '"':
			rp_buf_puts(out, "\\\"");
			break;
		case '\\':
			rp_buf_puts(out, "\\\\");
			break;
		case '\n':
			rp_buf_puts(out, "\\n");
			break;
		case '\r':
			rp_buf_puts(out, "\\r");
			break;
		case '\t':
			rp_buf_puts(out, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				rp_buf_printf(out, "\\u%04x", c);
			else
				rp_buf_putc(out, (char)c);
		}
	}
	rp_buf_putc(out, '"');
}

void rp_text_json_number(struct rp_buf *out, double v)
{
	char num[RP_NUMBUF];
	if (!isfinite(v))
		rp_buf_puts(out, "null");
	else
		rp_buf_puts(out, rp_number_format(v, num));
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool rp_text_caseeq(const char *a, const char *b)
{
	while (*a && *b && ascii_lower(*a) == ascii_lower(*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

bool rp_text_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void rp_text_shell_word(struct rp_buf *b, const char *w)
{
	bool plain = *w != '\0';
	for (const char *c = w; *c && plain; c++)
		plain = !strchr(" \t'\"\\$`|&;<>()*?[]#~{}", *c);
	if (plain) {
		rp_buf_puts(b, w);
		return;
	}
	/* quoted as a shell would need it; only control bytes are masked, so
	 * a line stays a line */
	rp_buf_putc(b, '\'');
	for (const char *c = w; *c; c++) {
		if (*c == '\'')
			rp_buf_puts(b, "'\\''");
		else
			rp_buf_putc(b, (unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c);
	}
	rp_buf_putc(b, '\'');
}

/* Words that mark a line as a reason, compared without case. */
static bool error_word_at(const char *p, const char *end)
{
	static const char *const words[] = { "error",  "exception", "fatal",   "panic",
		                             "failed", "failure",   "refused", "denied",
		                             "cannot", "unable",    "no such", "not found" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(end - p) >= n && strncasecmp(p, words[i], n) == 0)
			return true;
	}
	return false;
}

static bool error_line(const char *s, const char *end)
{
	for (const char *p = s; p < end; p++)
		if (error_word_at(p, end))
			return true;
	return false;
}

bool rp_text_last_error_line(const char *text, size_t len, const char **line, size_t *n)
{
	const char *end = text + len;
	while (end > text) {
		const char *stop = end;
		while (stop > text && (stop[-1] == '\n' || stop[-1] == '\r'))
			stop--;
		const char *start = stop;
		while (start > text && start[-1] != '\n' && start[-1] != '\r')
			start--;
		if (stop > start && error_line(start, stop)) {
			*line = start;
			*n = (size_t)(stop - start);
			return true;
		}
		end = start;
	}
	return false;
}
