#include "rp_toml.h"
#include "rp_toml_parser.h"
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
#define MAX_DEPTH     256
#define TREE_TOO_DEEP "tables, arrays and dotted keys nested deeper than %d"

bool rp_toml_fail(struct parser *p, const char *fmt, ...)
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

int rp_toml_peek(const struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->src[p->pos + ahead] : -1;
}

bool rp_toml_at_eof(const struct parser *p)
{
	return p->pos >= p->len;
}

void rp_toml_newline_seen(struct parser *p)
{
	p->line++;
	p->line_start = p->pos;
}

void rp_toml_skip_ws(struct parser *p)
{
	while (rp_toml_peek(p, 0) == ' ' || rp_toml_peek(p, 0) == '\t')
		p->pos++;
}

/* Control characters allowed nowhere outside of what a string permits. */
bool rp_toml_is_bad_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static bool skip_comment(struct parser *p)
{
	if (rp_toml_peek(p, 0) != '#')
		return true;
	while (!rp_toml_at_eof(p) && rp_toml_peek(p, 0) != '\n') {
		int c = rp_toml_peek(p, 0);
		if (c == '\r' && rp_toml_peek(p, 1) == '\n')
			break;
		if (rp_toml_is_bad_control(c))
			return rp_toml_fail(p, "control character 0x%02x in a comment", c);
		p->pos++;
	}
	return true;
}

/* At a newline (LF or CRLF)? Consumes it. */
bool rp_toml_eat_newline(struct parser *p)
{
	if (rp_toml_peek(p, 0) == '\n') {
		p->pos++;
		rp_toml_newline_seen(p);
		return true;
	}
	if (rp_toml_peek(p, 0) == '\r' && rp_toml_peek(p, 1) == '\n') {
		p->pos += 2;
		rp_toml_newline_seen(p);
		return true;
	}
	return false;
}

/* White space, newlines and comments (between array elements). */
static bool skip_ws_nl_comments(struct parser *p)
{
	for (;;) {
		rp_toml_skip_ws(p);
		if (!skip_comment(p))
			return false;
		if (!rp_toml_eat_newline(p))
			break;
	}
	if (rp_toml_peek(p, 0) == '\r')
		return rp_toml_fail(p, "a carriage return without a line feed");
	return true;
}

/* After a key/value pair or a header: only a comment, then the line ends. */
static bool end_of_line(struct parser *p)
{
	rp_toml_skip_ws(p);
	if (!skip_comment(p))
		return false;
	if (rp_toml_at_eof(p) || rp_toml_eat_newline(p))
		return true;
	if (rp_toml_peek(p, 0) == '\r')
		return rp_toml_fail(p, "a carriage return without a line feed");
	return rp_toml_fail(p, "expected the end of the line, found '%c'", rp_toml_peek(p, 0));
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
	int c = rp_toml_peek(p, 0);
	bool ok;
	if (c == '"') {
		if (rp_toml_peek(p, 1) == '"' && rp_toml_peek(p, 2) == '"')
			return rp_toml_fail(p, "a multi-line string cannot be a key");
		ok = rp_toml_scalar_basic_string(p, &b);
	} else if (c == '\'') {
		if (rp_toml_peek(p, 1) == '\'' && rp_toml_peek(p, 2) == '\'')
			return rp_toml_fail(p, "a multi-line string cannot be a key");
		ok = rp_toml_scalar_literal_string(p, &b);
	} else {
		size_t start = p->pos;
		while (is_bare_key_char(rp_toml_peek(p, 0)))
			p->pos++;
		rp_buf_append(&b, p->src + start, p->pos - start);
		ok = b.len > 0 || rp_toml_fail(p, "expected a key");
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
	size_t start = p->pos;
	for (;;) {
		rp_toml_skip_ws(p);
		if (!simple_key(p, k))
			return false;
		if (k->n > MAX_DEPTH) { /* no place for it: stop reading at once */
			p->pos = start;
			return rp_toml_fail(p, TREE_TOO_DEEP, MAX_DEPTH);
		}
		rp_toml_skip_ws(p);
		if (rp_toml_peek(p, 0) != '.')
			return true;
		p->pos++;
	}
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
	while (!ends_token(rp_toml_peek(p, 0)))
		p->pos++;
	const char *tok = p->src + start;
	size_t len = p->pos - start;
	if (len == 0) {
		rp_toml_fail(p, "expected a value");
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
	if (rp_toml_scalar_parse_integer(t, len, &i)) {
		v = rp_value_new(RP_V_INTEGER);
		v->i = i;
	} else if (rp_toml_scalar_parse_float(t, len, &f)) {
		v = rp_value_new(RP_V_FLOAT);
		v->f = f;
	} else {
		p->pos = start;
		/* never the text itself: an unquoted value may well be a secret */
		rp_toml_fail(p,
		             "the value of %.*s is not valid TOML (a number, true, false, a date "
		             "or a quoted string)",
		             (int)(p->key_len < 60 ? p->key_len : 60), p->key ? p->key : "?");
	}
	free(t);
	return v;
}

static struct rp_value *array(struct parser *p)
{
	if (p->tree_depth + 1 > MAX_DEPTH) {
		rp_toml_fail(p, TREE_TOO_DEEP, MAX_DEPTH);
		return NULL;
	}
	struct rp_value *a = rp_value_new(RP_V_ARRAY);
	a->flags = F_STATIC;
	p->pos++;        /* [ */
	p->tree_depth++; /* the elements are one deeper than the array */
	for (;;) {
		if (!skip_ws_nl_comments(p))
			goto bad;
		if (rp_toml_peek(p, 0) == ']') {
			p->pos++;
			p->tree_depth--;
			return a;
		}
		struct rp_value *item = value(p);
		if (!item)
			goto bad;
		rp_value_array_push(a, item);
		if (!skip_ws_nl_comments(p))
			goto bad;
		if (rp_toml_peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (rp_toml_peek(p, 0) == ']') {
			p->pos++;
			p->tree_depth--;
			return a;
		}
		rp_toml_fail(p, "expected ',' or ']' in an array");
		goto bad;
	}
bad:
	p->tree_depth--;
	rp_value_free(a);
	return NULL;
}

static struct rp_value *inline_table(struct parser *p)
{
	struct rp_value *t = rp_value_new(RP_V_TABLE);
	p->pos++; /* { */
	rp_toml_skip_ws(p);
	if (rp_toml_peek(p, 0) == '}') {
		p->pos++;
		t->flags = F_INLINE;
		return t;
	}
	for (;;) {
		rp_toml_skip_ws(p);
		if (!put_keyval(p, t, true))
			goto bad;
		rp_toml_skip_ws(p);
		if (rp_toml_peek(p, 0) == ',') {
			p->pos++;
			rp_toml_skip_ws(p);
			if (rp_toml_peek(p, 0) == '}') {
				rp_toml_fail(p,
				             "a trailing comma is not allowed in an inline table");
				goto bad;
			}
			continue;
		}
		if (rp_toml_peek(p, 0) == '}') {
			p->pos++;
			t->flags = F_INLINE;
			return t;
		}
		rp_toml_fail(p, "expected ',' or '}' in an inline table");
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
	int q = rp_toml_peek(p, 0);
	bool multi = rp_toml_peek(p, 1) == q && rp_toml_peek(p, 2) == q;
	bool ok = multi ? rp_toml_scalar_multiline_string(p, &b, (char)q)
	                : (q == '"' ? rp_toml_scalar_basic_string(p, &b)
	                            : rp_toml_scalar_literal_string(p, &b));
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
	int c = rp_toml_peek(p, 0);
	int line = p->line;
	struct rp_value *v;
	if (++p->depth > MAX_DEPTH) {
		rp_toml_fail(p, "arrays and inline tables nested deeper than %d", MAX_DEPTH);
		return NULL;
	}
	if (c == '"' || c == '\'')
		v = string_value(p);
	else if (c == '[')
		v = array(p);
	else if (c == '{')
		v = inline_table(p);
	else if (rp_toml_scalar_looks_like_date(p) || rp_toml_scalar_looks_like_time(p, 0))
		v = rp_toml_scalar_datetime(p);
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
	rp_toml_skip_ws(p);
	if (rp_toml_peek(p, 0) != '=') {
		rp_toml_fail(p, "expected '=' after a key");
		goto bad;
	}
	p->pos++;
	rp_toml_skip_ws(p);
	/* errors in the value name its key, never the value */
	p->key = k.parts[k.n - 1].s;
	p->key_len = k.parts[k.n - 1].len;
	if (p->tree_depth + k.n > MAX_DEPTH) {
		p->pos = key_pos;
		rp_toml_fail(p, TREE_TOO_DEEP, MAX_DEPTH);
		goto bad;
	}
	struct rp_value *t = table;
	for (size_t i = 0; i + 1 < k.n; i++) {
		struct rp_value *child = rp_value_table_get(t, k.parts[i].s, k.parts[i].len);
		if (!child) {
			child = rp_value_new(RP_V_TABLE);
			child->flags = F_DOTTED;
			child->line = p->line;
			rp_value_table_add(t, k.parts[i].s, k.parts[i].len, child);
		} else if (!is_table(child) || (child->flags & (F_INLINE | F_EXPLICIT))) {
			p->pos = key_pos;
			rp_toml_fail(p, "key '%.60s' is already defined", k.parts[i].s);
			goto bad;
		} else if (in_inline && !(child->flags & F_DOTTED)) {
			p->pos = key_pos;
			rp_toml_fail(p, "key '%.60s' is already defined", k.parts[i].s);
			goto bad;
		}
		t = child;
	}
	const struct rp_key *last = &k.parts[k.n - 1];
	if (rp_value_table_get(t, last->s, last->len)) {
		p->pos = key_pos;
		rp_toml_fail(p, "key '%.60s' is defined twice", last->s);
		goto bad;
	}
	size_t base = p->tree_depth;
	p->tree_depth = base + k.n; /* the value's own depth */
	struct rp_value *v = value(p);
	p->tree_depth = base;
	if (!v)
		goto bad;
	rp_value_table_add(t, last->s, last->len, v);
	key_path_free(&k);
	return true;
bad:
	key_path_free(&k);
	return false;
}

/* [a.b.c] or [[a.b.c]]: returns the table that keys now go to. */
static struct rp_value *header(struct parser *p, struct rp_value *root)
{
	bool aot = rp_toml_peek(p, 1) == '[';
	p->pos += aot ? 2 : 1;
	size_t key_pos = p->pos;
	struct key_path k = { NULL, 0 };
	struct rp_value *result = NULL;
	if (!key(p, &k))
		goto out;
	rp_toml_skip_ws(p);
	if (rp_toml_peek(p, 0) != ']' || (aot && rp_toml_peek(p, 1) != ']')) {
		rp_toml_fail(p, aot ? "expected ']]' to close the header"
		                    : "expected ']' to close the header");
		goto out;
	}
	p->pos += aot ? 2 : 1;
	if (k.n + aot > MAX_DEPTH) {
		p->pos = key_pos;
		rp_toml_fail(p, TREE_TOO_DEEP, MAX_DEPTH);
		goto out;
	}
	size_t depth = k.n + aot; /* where the keys below the header go */

	struct rp_value *t = root;
	for (size_t i = 0; i + 1 < k.n; i++) {
		struct rp_value *child = rp_value_table_get(t, k.parts[i].s, k.parts[i].len);
		if (!child) {
			child = rp_value_new(RP_V_TABLE);
			child->flags = F_IMPLICIT;
			child->line = p->line;
			rp_value_table_add(t, k.parts[i].s, k.parts[i].len, child);
		} else if (child->type == RP_V_ARRAY && (child->flags & F_AOT) && child->n) {
			child = child->items[child->n - 1];
			depth++; /* into the last element: one level more */
		} else if (!is_table(child) || (child->flags & F_INLINE)) {
			p->pos = key_pos;
			rp_toml_fail(p, "'%.60s' is already defined and is not a table",
			             k.parts[i].s);
			goto out;
		}
		t = child;
	}
	if (depth > MAX_DEPTH) {
		p->pos = key_pos;
		rp_toml_fail(p, TREE_TOO_DEEP, MAX_DEPTH);
		goto out;
	}
	p->tree_depth = depth;
	const struct rp_key *last = &k.parts[k.n - 1];
	struct rp_value *existing = rp_value_table_get(t, last->s, last->len);
	if (aot) {
		if (!existing) {
			existing = rp_value_new(RP_V_ARRAY);
			existing->flags = F_AOT;
			existing->line = p->line;
			rp_value_table_add(t, last->s, last->len, existing);
		} else if (existing->type != RP_V_ARRAY || !(existing->flags & F_AOT)) {
			p->pos = key_pos;
			rp_toml_fail(p, "'%.60s' is already defined and is not an array of tables",
			             last->s);
			goto out;
		}
		result = rp_value_new(RP_V_TABLE);
		result->flags = F_EXPLICIT;
		result->line = p->line;
		rp_value_array_push(existing, result);
	} else if (!existing) {
		result = rp_value_new(RP_V_TABLE);
		result->flags = F_EXPLICIT;
		result->line = p->line;
		rp_value_table_add(t, last->s, last->len, result);
	} else if (is_table(existing) && (existing->flags & F_IMPLICIT) &&
	           !(existing->flags & (F_EXPLICIT | F_DOTTED | F_INLINE))) {
		existing->flags |= F_EXPLICIT;
		result = existing;
	} else {
		p->pos = key_pos;
		rp_toml_fail(p, "table '%.60s' is defined twice", last->s);
	}
out:
	key_path_free(&k);
	return result;
}

static bool valid_utf8(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->src;
	for (size_t i = 0; i < p->len;) {
		size_t n = rp_text_utf8_len(s + i, p->len - i);
		if (n == 0) {
			p->pos = i;
			return rp_toml_fail(p, "invalid UTF-8");
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
	struct parser p = { src, len, 0, 1, 0, err, errlen, false, 0, 0, NULL, 0 };
	if (!valid_utf8(&p))
		return NULL;
	struct rp_value *root = rp_value_new(RP_V_TABLE);
	root->flags = F_EXPLICIT;
	struct rp_value *current = root;
	for (;;) {
		if (!skip_ws_nl_comments(&p))
			break;
		if (rp_toml_at_eof(&p)) {
			return root;
		}
		if (rp_toml_peek(&p, 0) == '[') {
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
