#include "rp_dotenv.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Skipped lines listed at most: a binary file is not a list of findings. */
#define MAX_SKIPPED 100

struct reader {
	const char *s;
	size_t len, pos;
	int line;
	size_t line_start;
	char *err;
	size_t errlen;
	bool optional_block; /* under a comment saying "optional" */
};

/* A comment (from '#' to the end of the line) that says "optional". */
static bool says_optional(const char *s, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i++)
		if (strncasecmp(s + i, "optional", 8) == 0)
			return true;
	return false;
}

static size_t line_rest(const struct reader *r)
{
	size_t n = 0;
	while (r->pos + n < r->len && r->s[r->pos + n] != '\n' && r->s[r->pos + n] != '\r')
		n++;
	return n;
}

static bool error_at(struct reader *r, const char *what)
{
	snprintf(r->err, r->errlen, "line %d, column %zu: %s", r->line, r->pos - r->line_start + 1,
	         what);
	return false;
}

static int peek(const struct reader *r)
{
	return r->pos < r->len ? (unsigned char)r->s[r->pos] : -1;
}

static void skip_blank(struct reader *r)
{
	while (peek(r) == ' ' || peek(r) == '\t')
		r->pos++;
}

/* LF, CRLF and a lone CR (old Mac files) each end a line. */
static bool at_eol(const struct reader *r)
{
	int c = peek(r);
	return c < 0 || c == '\n' || c == '\r';
}

static void eat_eol(struct reader *r)
{
	int c = peek(r);
	if (c != '\r' && c != '\n')
		return;
	r->pos++;
	if (c == '\r' && peek(r) == '\n')
		r->pos++;
	r->line++;
	r->line_start = r->pos;
}

static void skip_to_eol(struct reader *r)
{
	while (!at_eol(r))
		r->pos++;
}

static bool key_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool key_char(int c)
{
	return key_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* A quoted value; newlines inside are kept (CRLF read as LF). */
static bool quoted(struct reader *r, struct rp_buf *v, char q)
{
	/* an unclosed quote runs to the end of the file: the error points
	 * where it opened, which is what the admin has to fix */
	int open_line = r->line;
	size_t open_col = r->pos - r->line_start + 1;
	r->pos++;
	for (;;) {
		int c = peek(r);
		if (c < 0) {
			snprintf(r->err, r->errlen, "line %d, column %zu: %s quote never closed",
			         open_line, open_col, q == '"' ? "a double" : "a single");
			return false;
		}
		if (c == q) {
			r->pos++;
			return true;
		}
		if (c == '\r' && r->pos + 1 < r->len && r->s[r->pos + 1] == '\n') {
			r->pos++;
			continue;
		}
		if (c == '\n') {
			rp_buf_putc(v, '\n');
			r->pos++;
			r->line++;
			r->line_start = r->pos;
			continue;
		}
		if (q == '"' && c == '\\' && r->pos + 1 < r->len) {
			char e = r->s[r->pos + 1];
			const char *map = NULL;
			switch (e) {
			case 'n':
				map = "\n";
				break;
			case 'r':
				map = "\r";
				break;
			case 't':
				map = "\t";
				break;
			case '"':
				map = "\"";
				break;
			case '\\':
				map = "\\";
				break;
			case '$':
				map = "$";
				break;
			}
			if (map) {
				rp_buf_puts(v, map);
				r->pos += 2;
				continue;
			}
		}
		rp_buf_putc(v, (char)c);
		r->pos++;
	}
}

static void unquoted(struct reader *r, struct rp_buf *v)
{
	size_t start = r->pos, end = r->pos;
	while (!at_eol(r)) {
		int c = peek(r);
		/* '#' after white space starts a comment */
		if (c == '#' && r->pos > start &&
		    (r->s[r->pos - 1] == ' ' || r->s[r->pos - 1] == '\t'))
			break;
		r->pos++;
		if (c != ' ' && c != '\t')
			end = r->pos;
	}
	rp_buf_append(v, r->s + start, end - start);
	skip_to_eol(r);
}

/* Keeps the value of key, noting a key given before. */
static void set_value(struct reader *r, struct rp_value *table, struct rp_dotenv_notes *notes,
                      size_t kstart, size_t klen, struct rp_value *sv)
{
	if (!rp_value_table_set(table, r->s + kstart, klen, sv))
		return;
	for (size_t i = 0; i < notes->ndups; i++)
		if (strlen(notes->dups[i]) == klen &&
		    memcmp(notes->dups[i], r->s + kstart, klen) == 0)
			return;
	rp_strv_pushn(&notes->dups, &notes->ndups, r->s + kstart, klen);
}

/* One line: true when read or skipped; false (err set) when the file
 * cannot be read on (an unterminated quote). *skip is set for a line that
 * is not KEY=VALUE. */
static bool one_line(struct reader *r, struct rp_value *table, struct rp_dotenv_notes *notes,
                     bool *skip)
{
	*skip = false;
	skip_blank(r);
	if (at_eol(r)) {
		r->optional_block = false; /* a blank line closes a block */
		return true;
	}
	if (peek(r) == '#') {
		r->optional_block = says_optional(r->s + r->pos, line_rest(r));
		skip_to_eol(r);
		return true;
	}
	if (r->len - r->pos > 7 && memcmp(r->s + r->pos, "export", 6) == 0 &&
	    (r->s[r->pos + 6] == ' ' || r->s[r->pos + 6] == '\t')) {
		r->pos += 6;
		skip_blank(r);
	}
	if (!key_start(peek(r))) {
		*skip = true;
		return error_at(r, "expected KEY=VALUE");
	}
	size_t kstart = r->pos;
	while (key_char(peek(r)))
		r->pos++;
	size_t klen = r->pos - kstart;
	int key_line = r->line;
	skip_blank(r);
	/* KEY: value, as YAML and most readers take it */
	bool colon = peek(r) == ':' &&
	             (r->pos + 1 >= r->len || r->s[r->pos + 1] == ' ' || r->s[r->pos + 1] == '\t' ||
	              r->s[r->pos + 1] == '\n' || r->s[r->pos + 1] == '\r');
	if (peek(r) != '=' && !colon) {
		*skip = true;
		return error_at(r, "expected '=' after the key");
	}
	r->pos++;
	skip_blank(r);
	const char *hash = memchr(r->s + r->pos, '#', line_rest(r));
	bool comment_optional =
	        hash && says_optional(hash, line_rest(r) - (size_t)(hash - (r->s + r->pos)));
	struct rp_buf v;
	rp_buf_init(&v);
	int c = peek(r);
	if (c == '"' || c == '\'') {
		if (!quoted(r, &v, (char)c)) {
			rp_buf_free(&v);
			return false;
		}
		skip_blank(r);
		if (peek(r) == '#')
			skip_to_eol(r);
		if (!at_eol(r)) {
			rp_buf_free(&v);
			*skip = true;
			return error_at(r, "unexpected text after the closing quote");
		}
	} else {
		unquoted(r, &v);
	}
	struct rp_value *sv = rp_value_new_string(v.data ? v.data : "", v.len);
	sv->line = key_line;
	rp_buf_free(&v);
	set_value(r, table, notes, kstart, klen, sv);
	if (r->optional_block || comment_optional)
		rp_strv_pushn(&notes->optional, &notes->noptional, r->s + kstart, klen);
	return true;
}

struct rp_value *rp_dotenv_parse(const char *src, size_t len, struct rp_dotenv_notes *notes,
                                 char *err, size_t errlen)
{
	if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
		src += 3;
		len -= 3;
	}
	if (memchr(src, '\0', len)) {
		snprintf(err, errlen, "line %d, column 1: a NUL byte (not a text file)", 1);
		return NULL;
	}
	struct reader r = { src, len, 0, 1, 0, err, errlen, false };
	struct rp_value *table = rp_value_new(RP_V_TABLE);
	memset(notes, 0, sizeof *notes);
	while (r.pos < r.len) {
		bool skip;
		if (!one_line(&r, table, notes, &skip) && !skip) {
			rp_value_free(table);
			rp_dotenv_notes_free(notes);
			return NULL;
		}
		if (skip) {
			/* a line that is not KEY=VALUE: skipped, and said */
			if (notes->nskipped < MAX_SKIPPED)
				rp_strv_push(&notes->skipped, &notes->nskipped, r.err);
			skip_to_eol(&r);
		}
		eat_eol(&r);
	}
	r.err[0] = '\0';
	return table;
}

void rp_dotenv_notes_free(struct rp_dotenv_notes *n)
{
	rp_strv_free(n->dups, n->ndups);
	rp_strv_free(n->skipped, n->nskipped);
	rp_strv_free(n->optional, n->noptional);
	memset(n, 0, sizeof *n);
}
