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

bool rp_keypath_parse(const char *text, struct rp_keypath *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->text = rp_xstrdup(text);
	size_t i = 0, len = strlen(text);
	bool need_key = true;
	if (len == 0)
		goto fail_empty;
	/* jq's dialect: ".status", ".items[0]", "." for the whole document */
	bool jq = text[0] == '.';
	out->jq = jq;
	if (jq && len > 1 && text[1] == '.') {
		path_error(text, 1, "expected a key after '.'", err, errlen);
		goto fail;
	}
	if (jq) {
		i = 1;
		need_key = false;
		if (len > 1 && text[1] != '[' && text[1] != '.')
			need_key = true;
	}
	while (i < len) {
		if (text[i] == '[' && i + 1 < len && (text[i + 1] == '"' || text[i + 1] == '\'')) {
			/* ["key with: anything"] */
			size_t at = i;
			struct rp_buf key;
			rp_buf_init(&key);
			i = quoted_key(text, len, i + 1, &key);
			if (i == 0 || i >= len || text[i] != ']') {
				rp_buf_free(&key);
				path_error(text, at,
				           i == 0 ? "unterminated quote" : "'[\"key\"' without ']'",
				           err, errlen);
				goto fail;
			}
			struct rp_seg seg = { RP_SEG_KEY, NULL, key.len, 0 };
			seg.key = rp_buf_steal(&key);
			add_seg(out, seg);
			i++;
			need_key = false;
			continue;
		}
		if (text[i] == '[') {
			if (out->n == 0 && !jq) {
				path_error(text, i, "an index needs a key before it", err, errlen);
				goto fail;
			}
			size_t close = i + 1;
			while (close < len && text[close] != ']')
				close++;
			if (close >= len) {
				path_error(text, i, "'[' without ']'", err, errlen);
				goto fail;
			}
			struct rp_seg seg = { RP_SEG_INDEX, NULL, 0, 0 };
			if (close == i + 2 && text[i + 1] == '*') {
				seg.kind = RP_SEG_ALL;
			} else {
				char num[32];
				long long v;
				size_t nl = close - i - 1;
				if (nl == 0 || nl >= sizeof num) {
					path_error(text, i, "expected a number or * in []", err,
					           errlen);
					goto fail;
				}
				memcpy(num, text + i + 1, nl);
				num[nl] = '\0';
				if (!rp_parse_ll(num, &v)) {
					path_error(text, i, "expected a number or * in []", err,
					           errlen);
					goto fail;
				}
				seg.index = (size_t)v;
			}
			add_seg(out, seg);
			i = close + 1;
			need_key = false;
			continue;
		}
		if (!need_key) {
			if (text[i] != '.') {
				path_error(text, i, "expected '.' or '['", err, errlen);
				goto fail;
			}
			i++;
			need_key = true;
			if (i >= len) {
				path_error(text, i, "a path cannot end with '.'", err, errlen);
				goto fail;
			}
			continue;
		}
		struct rp_buf key;
		rp_buf_init(&key);
		if (text[i] == '"' || text[i] == '\'') {
			size_t at = i;
			i = quoted_key(text, len, i, &key);
			if (i == 0) {
				rp_buf_free(&key);
				path_error(text, at, "unterminated quote", err, errlen);
				goto fail;
			}
		} else {
			while (i < len && text[i] != '.' && text[i] != '[') {
				if (!bare_char(text[i])) {
					rp_buf_free(&key);
					path_error(text, i, "quote a key with this character", err,
					           errlen);
					goto fail;
				}
				rp_buf_putc(&key, text[i++]);
			}
			if (key.len == 0) {
				rp_buf_free(&key);
				path_error(text, i, "empty key", err, errlen);
				goto fail;
			}
		}
		struct rp_seg seg = { RP_SEG_KEY, NULL, key.len, 0 };
		seg.key = rp_buf_steal(&key);
		add_seg(out, seg);
		need_key = false;
	}
	return true;
fail_empty:
	snprintf(err, errlen, "empty key path");
fail:
	rp_keypath_free(out);
	return false;
}

void rp_keypath_free(struct rp_keypath *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->segs[i].key);
	free(k->segs);
	free(k->text);
	memset(k, 0, sizeof *k);
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
	} else {
		rp_buf_putc(path, '"');
		rp_buf_append(path, key, len);
		rp_buf_putc(path, '"');
	}
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
	for (size_t i = 0; i < len; i++) {
		if (key[i] == '"' || key[i] == '\\')
			rp_buf_putc(path, '\\');
		rp_buf_putc(path, key[i]);
	}
	rp_buf_puts(path, "\"]");
}

static void add_result(struct rp_resolved_list *out, const char *path, const struct rp_value *value)
{
	out->items = rp_xreallocarray(out->items, out->n + 1, sizeof *out->items);
	out->items[out->n].path = rp_xstrdup(path);
	out->items[out->n].value = value;
	out->n++;
}

static void resolve(const struct rp_keypath *k, size_t seg, const struct rp_value *v,
                    struct rp_buf *path, struct rp_resolved_list *out)
{
	if (seg == k->n) {
		add_result(out, path->len ? path->data : k->jq ? "." : "", v);
		return;
	}
	const struct rp_seg *s = &k->segs[seg];
	size_t mark = path->len;
	if (s->kind == RP_SEG_KEY && k->jq) {
		append_jq_key(path, s->key, s->len);
	} else if (s->kind == RP_SEG_KEY) {
		rp_keypath_append_key(path, s->key, s->len);
	}
	if (s->kind == RP_SEG_KEY) {
		const struct rp_value *child =
		        v && v->type == RP_V_TABLE ? rp_table_get(v, s->key, s->len) : NULL;
		resolve(k, seg + 1, child, path, out);
	} else if (s->kind == RP_SEG_INDEX) {
		rp_buf_put_index(path, s->index);
		const struct rp_value *child =
		        v && v->type == RP_V_ARRAY && s->index < v->n ? v->items[s->index] : NULL;
		resolve(k, seg + 1, child, path, out);
	} else if (v && v->type == RP_V_ARRAY && v->n > 0) {
		for (size_t i = 0; i < v->n; i++) {
			rp_buf_put_index(path, i);
			resolve(k, seg + 1, v->items[i], path, out);
			path->len = mark;
			path->data[mark] = '\0';
		}
	} else {
		/* no array, or an empty one: the path itself is what is missing */
		rp_buf_puts(path, "[*]");
		resolve(k, seg + 1, NULL, path, out);
	}
	path->len = mark;
	if (path->data)
		path->data[mark] = '\0';
}

void rp_keypath_resolve(const struct rp_keypath *k, const struct rp_value *root, bool flat,
                        struct rp_resolved_list *out)
{
	out->items = NULL;
	out->n = 0;
	if (flat) {
		add_result(out, k->text, rp_table_get(root, k->text, strlen(k->text)));
		return;
	}
	struct rp_buf path;
	rp_buf_init(&path);
	resolve(k, 0, root, &path, out);
	rp_buf_free(&path);
}

void rp_resolved_list_free(struct rp_resolved_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].path);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
