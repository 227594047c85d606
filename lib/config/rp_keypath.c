#include "rp_keypath.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool bare_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* A quoted key starting at text[i] (the quote): its characters go to key,
 * a backslash takes the next character as it is. Returns the index after
 * the closing quote, 0 when there is none. */
static size_t quoted_key(const char *text, size_t len, size_t i, struct rp_buf *key)
{
	char q = text[i++];
	while (i < len && text[i] != q) {
		if (text[i] == '\\' && i + 1 < len)
			i++;
		rp_buf_putc(key, text[i++]);
	}
	return i < len ? i + 1 : 0;
}

static void add_seg(struct rp_keypath *k, struct rp_seg seg)
{
	k->segs = rp_xreallocarray(k->segs, k->n + 1, sizeof *k->segs);
	k->segs[k->n++] = seg;
}

static bool path_error(const char *text, size_t at, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "key path '%.80s', at character %zu: %s", text, at + 1, why);
	return false;
}

/* The parser's state; each step returns the position after what it read,
 * or 0 with err set (no step can end at position 0). */
struct kp_parser {
	const char *text;
	size_t len;
	struct rp_keypath *out;
	char *err;
	size_t errlen;
};

static size_t kp_fail(struct kp_parser *p, size_t at, const char *why)
{
	path_error(p->text, at, why, p->err, p->errlen);
	return 0;
}

static void add_key(struct rp_keypath *k, struct rp_buf *key)
{
	struct rp_seg seg = { RP_SEG_KEY, NULL, key->len, 0, NULL };
	seg.key = rp_buf_steal(key);
	add_seg(k, seg);
}

/* ["key with: anything"] at i */
static size_t parse_bracket_key(struct kp_parser *p, size_t i)
{
	struct rp_buf key;
	rp_buf_init(&key);
	size_t end = quoted_key(p->text, p->len, i + 1, &key);
	if (end == 0 || end >= p->len || p->text[end] != ']') {
		rp_buf_free(&key);
		return kp_fail(p, i, end == 0 ? "unterminated quote" : "'[\"key\"' without ']'");
	}
	add_key(p->out, &key);
	return end + 1;
}

/* [member=value] at i, the '=' at eq: the element whose member is that
 * string; the value bare or quoted. */
static size_t parse_match(struct kp_parser *p, size_t i, size_t eq)
{
	for (size_t k = i + 1; k < eq; k++)
		if (!bare_char(p->text[k]))
			return kp_fail(p, k, "a selector is written [member=value]");
	if (eq == i + 1)
		return kp_fail(p, i, "a selector needs a member name before '='");
	struct rp_buf value;
	rp_buf_init(&value);
	size_t end = eq + 1;
	if (end < p->len && (p->text[end] == '"' || p->text[end] == '\'')) {
		end = quoted_key(p->text, p->len, end, &value);
	} else {
		while (end < p->len && p->text[end] != ']')
			rp_buf_putc(&value, p->text[end++]);
	}
	if (end == 0 || end >= p->len || p->text[end] != ']' || value.len == 0) {
		rp_buf_free(&value);
		return kp_fail(p, eq, "a selector's value: [member=value] or [member=\"value\"]");
	}
	struct rp_seg seg = { RP_SEG_MATCH, rp_xstrndup(p->text + i + 1, eq - i - 1), eq - i - 1, 0,
		              rp_buf_steal(&value) };
	add_seg(p->out, seg);
	return end + 1;
}

/* [N], [*] or [member=value] at i */
static size_t parse_index(struct kp_parser *p, size_t i)
{
	if (p->out->n == 0 && !p->out->jq)
		return kp_fail(p, i, "an index needs a key before it");
	size_t eq = i + 1 + strcspn(p->text + i + 1, "=]");
	if (eq < p->len && p->text[eq] == '=')
		return parse_match(p, i, eq);
	size_t close = i + 1;
	while (close < p->len && p->text[close] != ']')
		close++;
	if (close >= p->len)
		return kp_fail(p, i, "'[' without ']'");
	struct rp_seg seg = { RP_SEG_INDEX, NULL, 0, 0, NULL };
	if (close == i + 2 && p->text[i + 1] == '*') {
		seg.kind = RP_SEG_ALL;
	} else {
		char num[32];
		long long v;
		size_t nl = close - i - 1;
		if (nl == 0 || nl >= sizeof num)
			return kp_fail(p, i, "expected a number, * or member=value in []");
		memcpy(num, p->text + i + 1, nl);
		num[nl] = '\0';
		if (!rp_number_parse_ll(num, &v))
			return kp_fail(p, i, "expected a number, * or member=value in []");
		seg.index = (size_t)v;
	}
	add_seg(p->out, seg);
	return close + 1;
}

/* A key, bare or quoted, at i; a bare * is every member of a table. */
static size_t parse_key(struct kp_parser *p, size_t i)
{
	if (p->text[i] == '*' &&
	    (i + 1 == p->len || p->text[i + 1] == '.' || p->text[i + 1] == '[')) {
		struct rp_seg seg = { RP_SEG_MEMBERS, NULL, 0, 0, NULL };
		add_seg(p->out, seg);
		return i + 1;
	}
	struct rp_buf key;
	rp_buf_init(&key);
	if (p->text[i] == '"' || p->text[i] == '\'') {
		size_t end = quoted_key(p->text, p->len, i, &key);
		if (end == 0) {
			rp_buf_free(&key);
			return kp_fail(p, i, "unterminated quote");
		}
		i = end;
	} else {
		for (; i < p->len && p->text[i] != '.' && p->text[i] != '['; i++) {
			if (!bare_char(p->text[i])) {
				rp_buf_free(&key);
				return kp_fail(p, i, "quote a key with this character");
			}
			rp_buf_putc(&key, p->text[i]);
		}
		if (key.len == 0) {
			rp_buf_free(&key);
			return kp_fail(p, i, "empty key");
		}
	}
	add_key(p->out, &key);
	return i;
}

/* One step at i: a bracket, the '.' before a key, or a key. */
static size_t parse_step(struct kp_parser *p, size_t i, bool *need_key)
{
	const char *t = p->text;
	if (t[i] == '[') {
		*need_key = false;
		if (i + 1 < p->len && (t[i + 1] == '"' || t[i + 1] == '\''))
			return parse_bracket_key(p, i);
		return parse_index(p, i);
	}
	if (!*need_key) {
		if (t[i] != '.')
			return kp_fail(p, i, "expected '.' or '['");
		*need_key = true;
		if (i + 1 >= p->len)
			return kp_fail(p, i + 1, "a path cannot end with '.'");
		return i + 1;
	}
	*need_key = false;
	return parse_key(p, i);
}

bool rp_keypath_parse(const char *text, struct rp_keypath *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->text = rp_xstrdup(text);
	struct kp_parser p = { text, strlen(text), out, err, errlen };
	if (p.len == 0) {
		snprintf(err, errlen, "empty key path");
		rp_keypath_free(out);
		return false;
	}
	/* jq's dialect: ".status", ".items[0]", "." for the whole document */
	out->jq = text[0] == '.';
	size_t i = 0;
	bool need_key = true;
	if (out->jq) {
		if (p.len > 1 && text[1] == '.') {
			kp_fail(&p, 1, "expected a key after '.'");
			rp_keypath_free(out);
			return false;
		}
		i = 1;
		need_key = p.len > 1 && text[1] != '[';
	}
	while (i < p.len) {
		i = parse_step(&p, i, &need_key);
		/* resolving recurses a segment a level; no source nests deeper */
		if (i != 0 && out->n > RP_KEYPATH_MAX_SEGMENTS)
			i = kp_fail(&p, i - 1, "more than 256 parts");
		if (i == 0) {
			rp_keypath_free(out);
			return false;
		}
	}
	return true;
}

void rp_keypath_free(struct rp_keypath *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->segs[i].key);
		free(k->segs[i].value);
	}
	free(k->segs);
	free(k->text);
	memset(k, 0, sizeof *k);
}

/* s[0..len) for inside quotes, as quoted_key reads it back: a backslash
 * before each double quote and backslash */
static void put_escaped(struct rp_buf *path, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			rp_buf_putc(path, '\\');
		rp_buf_putc(path, s[i]);
	}
}

static bool bare_key(const char *key, size_t len)
{
	bool bare = len > 0;
	for (size_t i = 0; i < len && bare; i++)
		bare = bare_char(key[i]);
	return bare;
}

void rp_keypath_append_key(struct rp_buf *path, const char *key, size_t len)
{
	bool bare = bare_key(key, len);
	if (path->len)
		rp_buf_putc(path, '.');
	if (bare) {
		rp_buf_append(path, key, len);
		return;
	}
	/* quoted as the parser reads it back */
	rp_buf_putc(path, '"');
	put_escaped(path, key, len);
	rp_buf_putc(path, '"');
}

/* jq's spelling: .key, or ["key"] with " and \\ escaped */
static void append_jq_key(struct rp_buf *path, const char *key, size_t len)
{
	if (bare_key(key, len)) {
		rp_buf_putc(path, '.');
		rp_buf_append(path, key, len);
		return;
	}
	rp_buf_puts(path, "[\"");
	put_escaped(path, key, len);
	rp_buf_puts(path, "\"]");
}

static void add_result(struct rp_resolved_list *out, const char *path, const struct rp_value *value,
                       const char *ident)
{
	out->items = rp_xreallocarray(out->items, out->n + 1, sizeof *out->items);
	out->items[out->n].path = rp_xstrdup(path);
	out->items[out->n].value = value;
	out->items[out->n].ident = ident ? rp_xstrdup(ident) : NULL;
	out->n++;
}

/* How an element names itself, as wrangler names a binding: the value of
 * its binding, name or service member (*member says which), or NULL. */
static const char *element_name(const struct rp_value *e, const char **member)
{
	static const char *const keys[] = { "binding", "name", "service" };
	if (!e || e->type != RP_V_TABLE)
		return NULL;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct rp_value *v = rp_value_table_get(e, keys[i], strlen(keys[i]));
		if (v && v->type == RP_V_STRING && v->len > 0 && v->len <= 60 &&
		    strlen(v->s) == v->len) {
			*member = keys[i];
			return v->s;
		}
	}
	return NULL;
}

/* Does element e have the string member `member` equal to value? */
static bool element_matches(const struct rp_value *e, const char *member, size_t mlen,
                            const char *value)
{
	const struct rp_value *v =
	        e && e->type == RP_V_TABLE ? rp_value_table_get(e, member, mlen) : NULL;
	return v && v->type == RP_V_STRING && v->len == strlen(value) &&
	       memcmp(v->s, value, v->len) == 0;
}

static size_t count_matches(const struct rp_value *arr, const char *member, size_t mlen,
                            const char *value)
{
	size_t n = 0;
	for (size_t i = 0; i < arr->n; i++)
		n += element_matches(arr->items[i], member, mlen, value);
	return n;
}

/* [member=value], the value quoted when it is not a bare key */
static void put_selector(struct rp_buf *path, const char *member, size_t mlen, const char *value)
{
	rp_buf_putc(path, '[');
	rp_buf_append(path, member, mlen);
	rp_buf_putc(path, '=');
	if (bare_key(value, strlen(value))) {
		rp_buf_puts(path, value);
	} else {
		rp_buf_putc(path, '"');
		put_escaped(path, value, strlen(value));
		rp_buf_putc(path, '"');
	}
	rp_buf_putc(path, ']');
}

struct walk {
	const struct rp_keypath *k;
	struct rp_resolved_list *out;
	struct rp_buf path;
	const char *ident;
};

static void resolve(struct walk *w, size_t seg, const struct rp_value *v);

static void restore(struct rp_buf *path, size_t mark)
{
	path->len = mark;
	if (path->data)
		path->data[mark] = '\0';
}

/* Beyond this many elements a name's uniqueness is not looked for (it
 * costs a pass over the siblings) and elements are named by index. */
#define NAMED_ELEMENTS_MAX 256

char *rp_keypath_append_element(struct rp_buf *path, const struct rp_value *arr, size_t i)
{
	const char *member = NULL;
	const char *name = element_name(arr->items[i], &member);
	if (name && arr->n <= NAMED_ELEMENTS_MAX &&
	    count_matches(arr, member, strlen(member), name) == 1) {
		put_selector(path, member, strlen(member), name);
		return NULL;
	}
	rp_buf_put_index(path, i);
	return name ? rp_xasprintf("%s=%s", member, name) : NULL;
}

/* [*]: every element, named by its own name when no sibling shares it
 * (a selector), else by its index with the name beside it. */
static void resolve_elements(struct walk *w, size_t seg, const struct rp_value *v)
{
	size_t mark = w->path.len;
	if (!v || v->type != RP_V_ARRAY || v->n == 0) {
		/* no array, or an empty one: the path itself is what is missing */
		rp_buf_puts(&w->path, "[*]");
		resolve(w, seg + 1, NULL);
		restore(&w->path, mark);
		return;
	}
	const char *outer = w->ident;
	for (size_t i = 0; i < v->n; i++) {
		char *ident = NULL;
		if (w->k->jq) /* jq has no selectors */
			rp_buf_put_index(&w->path, i);
		else
			ident = rp_keypath_append_element(&w->path, v, i);
		w->ident = ident ? ident : outer;
		resolve(w, seg + 1, v->items[i]);
		w->ident = outer;
		free(ident);
		restore(&w->path, mark);
	}
}

/* [member=value]: the elements that match; none is what is missing. */
static void resolve_match(struct walk *w, size_t seg, const struct rp_value *v)
{
	const struct rp_seg *s = &w->k->segs[seg];
	size_t mark = w->path.len;
	size_t n = v && v->type == RP_V_ARRAY ? count_matches(v, s->key, s->len, s->value) : 0;
	if (n <= 1)
		put_selector(&w->path, s->key, s->len, s->value);
	if (n == 0) {
		resolve(w, seg + 1, NULL);
		restore(&w->path, mark);
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (!element_matches(v->items[i], s->key, s->len, s->value))
			continue;
		if (n > 1) /* the same name twice: the index tells them apart */
			rp_buf_put_index(&w->path, i);
		resolve(w, seg + 1, v->items[i]);
		if (n > 1)
			restore(&w->path, mark);
	}
	restore(&w->path, mark);
}

/* .*: every member of a table. */
static void resolve_members(struct walk *w, size_t seg, const struct rp_value *v)
{
	size_t mark = w->path.len;
	if (!v || v->type != RP_V_TABLE || v->n == 0) {
		rp_buf_puts(&w->path, mark ? ".*" : "*");
		resolve(w, seg + 1, NULL);
		restore(&w->path, mark);
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (w->k->jq)
			append_jq_key(&w->path, v->keys[i].s, v->keys[i].len);
		else
			rp_keypath_append_key(&w->path, v->keys[i].s, v->keys[i].len);
		resolve(w, seg + 1, v->items[i]);
		restore(&w->path, mark);
	}
}

static void resolve(struct walk *w, size_t seg, const struct rp_value *v)
{
	const struct rp_keypath *k = w->k;
	if (seg == k->n) {
		add_result(w->out, w->path.len ? w->path.data : k->jq ? "." : "", v, w->ident);
		return;
	}
	const struct rp_seg *s = &k->segs[seg];
	size_t mark = w->path.len;
	if (s->kind == RP_SEG_KEY) {
		if (k->jq)
			append_jq_key(&w->path, s->key, s->len);
		else
			rp_keypath_append_key(&w->path, s->key, s->len);
		const struct rp_value *child =
		        v && v->type == RP_V_TABLE ? rp_value_table_get(v, s->key, s->len) : NULL;
		resolve(w, seg + 1, child);
	} else if (s->kind == RP_SEG_INDEX) {
		rp_buf_put_index(&w->path, s->index);
		const struct rp_value *child =
		        v && v->type == RP_V_ARRAY && s->index < v->n ? v->items[s->index] : NULL;
		resolve(w, seg + 1, child);
	} else if (s->kind == RP_SEG_ALL) {
		resolve_elements(w, seg, v);
	} else if (s->kind == RP_SEG_MATCH) {
		resolve_match(w, seg, v);
	} else {
		resolve_members(w, seg, v);
	}
	restore(&w->path, mark);
}

void rp_keypath_resolve(const struct rp_keypath *k, const struct rp_value *root, bool flat,
                        struct rp_resolved_list *out)
{
	out->items = NULL;
	out->n = 0;
	if (flat) {
		add_result(out, k->text, rp_value_table_get(root, k->text, strlen(k->text)), NULL);
		return;
	}
	struct walk w = { k, out, { NULL, 0, 0, false }, NULL };
	resolve(&w, 0, root);
	rp_buf_free(&w.path);
}

void rp_keypath_resolved_free(struct rp_resolved_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].path);
		free(l->items[i].ident);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
