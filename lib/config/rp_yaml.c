#include "rp_yaml.h"
#include "rp_util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct anchor {
	char *name;
	struct rp_value *value; /* a copy of the node, as it was completed */
};

struct reader {
	yaml_parser_t parser;
	struct anchor *anchors;
	size_t nanchors;
	size_t nodes; /* built so far, expansions included */
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct reader *r, const yaml_mark_t *at, const char *fmt, ...) RP_PRINTF(3, 4);

static void fail(struct reader *r, const yaml_mark_t *at, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = true;
	int n = snprintf(r->err, r->errlen, "line %zu, column %zu: ", at->line + 1, at->column + 1);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* One more node; false once the budget is spent. */
static bool count_node(struct reader *r, const yaml_mark_t *at)
{
	if (++r->nodes <= RP_YAML_NODES_MAX)
		return true;
	fail(r, at, "more than %d nodes (aliases expanded): refused", RP_YAML_NODES_MAX);
	return false;
}

static bool next(struct reader *r, yaml_event_t *ev)
{
	if (yaml_parser_parse(&r->parser, ev))
		return true;
	fail(r, &r->parser.problem_mark, "%s", r->parser.problem ? r->parser.problem : "not YAML");
	return false;
}

/* A deep copy within the node budget; NULL when it is spent. */
static struct rp_value *copy(struct reader *r, const struct rp_value *v, const yaml_mark_t *at)
{
	if (!count_node(r, at))
		return NULL;
	struct rp_value *c = rp_value_new(v->type);
	c->line = v->line;
	if (v->type == RP_V_STRING) {
		rp_value_free(c);
		c = rp_value_new_string(v->s, v->len);
		c->line = v->line;
		return c;
	}
	for (size_t i = 0; i < v->n; i++) {
		struct rp_value *item = copy(r, v->items[i], at);
		if (!item) {
			rp_value_free(c);
			return NULL;
		}
		if (v->type == RP_V_TABLE)
			rp_value_table_add(c, v->keys[i].s, v->keys[i].len, item);
		else
			rp_value_array_push(c, item);
	}
	return c;
}

static void remember(struct reader *r, const yaml_char_t *name, const struct rp_value *v,
                     const yaml_mark_t *at)
{
	if (!name || !v)
		return;
	struct rp_value *c = copy(r, v, at);
	if (!c)
		return;
	/* a name given again refers to the newer node from here on */
	for (size_t i = r->nanchors; i-- > 0;)
		if (strcmp(r->anchors[i].name, (const char *)name) == 0) {
			rp_value_free(r->anchors[i].value);
			r->anchors[i].value = c;
			return;
		}
	r->anchors = rp_xreallocarray(r->anchors, r->nanchors + 1, sizeof *r->anchors);
	r->anchors[r->nanchors++] = (struct anchor){ rp_xstrdup((const char *)name), c };
}

static struct rp_value *alias(struct reader *r, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	for (size_t i = r->nanchors; i-- > 0;)
		if (strcmp(r->anchors[i].name, name) == 0)
			return copy(r, r->anchors[i].value, &ev->start_mark);
	fail(r, &ev->start_mark, "alias *%.60s before its anchor (or inside it)", name);
	return NULL;
}

static struct rp_value *scalar(struct reader *r, const yaml_event_t *ev)
{
	if (!count_node(r, &ev->start_mark))
		return NULL;
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	struct rp_value *v;
	if (plain && (len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	              strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0))
		v = rp_value_new(RP_V_NULL);
	else
		v = rp_value_new_string(s, len);
	v->line = (int)ev->start_mark.line + 1;
	return v;
}

static struct rp_value *node(struct reader *r, yaml_event_t *ev, int depth);

/* Merge keys: the mapping (or each of a list of mappings) given to "<<"
 * lends its keys to t, those t already has staying. */
static void merge(struct reader *r, struct rp_value *t, const struct rp_value *from,
                  const yaml_mark_t *at)
{
	if (from->type == RP_V_ARRAY) {
		for (size_t i = 0; i < from->n && !r->failed; i++)
			merge(r, t, from->items[i], at);
		return;
	}
	if (from->type != RP_V_TABLE) {
		fail(r, at, "a merge key (<<) takes a mapping or a list of mappings");
		return;
	}
	for (size_t i = 0; i < from->n && !r->failed; i++) {
		if (rp_value_table_get(t, from->keys[i].s, from->keys[i].len))
			continue;
		struct rp_value *c = copy(r, from->items[i], at);
		if (c)
			rp_value_table_add(t, from->keys[i].s, from->keys[i].len, c);
	}
}

/* A mapping's key: a scalar; *is_merge for a plain "<<". */
static bool key_of(struct reader *r, yaml_event_t *ev, char **key, size_t *len, bool *is_merge)
{
	if (ev->type != YAML_SCALAR_EVENT) {
		fail(r, &ev->start_mark, "a mapping key that is not a plain value");
		return false;
	}
	*len = ev->data.scalar.length;
	*key = rp_xmalloc(*len + 1);
	memcpy(*key, ev->data.scalar.value, *len);
	(*key)[*len] = '\0';
	*is_merge = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(*key, "<<") == 0;
	return true;
}

/* Explicit keys win over merged ones, whatever their order: merges are
 * applied when the mapping is complete. */
static struct rp_value *mapping(struct reader *r, const yaml_event_t *start, int depth)
{
	struct rp_value *t = rp_value_new(RP_V_TABLE), *merges = rp_value_new(RP_V_ARRAY);
	t->line = (int)start->start_mark.line + 1;
	yaml_event_t ev;
	while (!r->failed && next(r, &ev)) {
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		char *key = NULL;
		size_t klen = 0;
		bool is_merge = false;
		yaml_mark_t at = ev.start_mark;
		bool ok = key_of(r, &ev, &key, &klen, &is_merge);
		yaml_event_delete(&ev);
		struct rp_value *v = ok && next(r, &ev) ? node(r, &ev, depth + 1) : NULL;
		if (!v) {
			free(key);
			break;
		}
		if (is_merge)
			rp_value_array_push(merges, v);
		else if (rp_value_table_get(t, key, klen)) {
			fail(r, &at, "the key '%.60s' is given twice", key);
			rp_value_free(v);
		} else
			rp_value_table_add(t, key, klen, v);
		free(key);
	}
	if (!r->failed)
		merge(r, t, merges, &start->start_mark);
	rp_value_free(merges);
	return t;
}

static struct rp_value *sequence(struct reader *r, const yaml_event_t *start, int depth)
{
	struct rp_value *a = rp_value_new(RP_V_ARRAY);
	a->line = (int)start->start_mark.line + 1;
	yaml_event_t ev;
	while (!r->failed && next(r, &ev)) {
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		struct rp_value *v = node(r, &ev, depth + 1);
		if (!v)
			break;
		rp_value_array_push(a, v);
	}
	return a;
}

/* The node ev starts (ev is consumed); NULL on failure. */
static struct rp_value *node(struct reader *r, yaml_event_t *ev, int depth)
{
	struct rp_value *v = NULL;
	const yaml_char_t *anchor = NULL;
	if (depth > RP_YAML_DEPTH_MAX) {
		fail(r, &ev->start_mark, "nested deeper than %d levels", RP_YAML_DEPTH_MAX);
	} else if (ev->type == YAML_SCALAR_EVENT) {
		v = scalar(r, ev);
		anchor = ev->data.scalar.anchor;
	} else if (ev->type == YAML_ALIAS_EVENT) {
		v = alias(r, ev);
	} else if (ev->type == YAML_MAPPING_START_EVENT && count_node(r, &ev->start_mark)) {
		v = mapping(r, ev, depth);
		anchor = ev->data.mapping_start.anchor;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT && count_node(r, &ev->start_mark)) {
		v = sequence(r, ev, depth);
		anchor = ev->data.sequence_start.anchor;
	} else {
		fail(r, &ev->start_mark, "unexpected YAML event");
	}
	if (!r->failed)
		remember(r, anchor, v, &ev->start_mark);
	yaml_event_delete(ev);
	if (r->failed) {
		rp_value_free(v);
		return NULL;
	}
	return v;
}

/* Past the stream and document starts to the first document's root. */
static struct rp_value *document(struct reader *r)
{
	yaml_event_t ev;
	while (next(r, &ev)) {
		yaml_event_type_t type = ev.type;
		if (type == YAML_STREAM_START_EVENT || type == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return rp_value_new(RP_V_NULL); /* an empty file */
		}
		return node(r, &ev, 0);
	}
	return NULL;
}

struct rp_value *rp_yaml_parse(const char *src, size_t len, char *err, size_t errlen)
{
	struct reader r = { .err = err, .errlen = errlen };
	if (errlen)
		err[0] = '\0';
	if (!yaml_parser_initialize(&r.parser)) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)src, len);
	struct rp_value *root = document(&r);
	if (r.failed) {
		rp_value_free(root);
		root = NULL;
	}
	for (size_t i = 0; i < r.nanchors; i++) {
		free(r.anchors[i].name);
		rp_value_free(r.anchors[i].value);
	}
	free(r.anchors);
	yaml_parser_delete(&r.parser);
	return root;
}
