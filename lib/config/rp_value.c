#include "rp_value.h"
#include "rp_secret.h"
#include "rp_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Tables up to this size are searched linearly; larger ones get a hash. */
#define LINEAR_MAX 16

const char *rp_value_type_name(enum rp_value_type t)
{
	static const char *const names[] = {
		"table",    "array",          "string",     "integer",    "float", "bool",
		"datetime", "datetime-local", "date-local", "time-local", "null"
	};
	return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

struct rp_value *rp_value_new(enum rp_value_type type)
{
	struct rp_value *v = rp_xcalloc(1, sizeof *v);
	v->type = type;
	return v;
}

struct rp_value *rp_value_new_string(const char *s, size_t len)
{
	struct rp_value *v = rp_value_new(RP_V_STRING);
	v->s = rp_xmalloc(len + 1);
	memcpy(v->s, s, len);
	v->s[len] = '\0';
	v->len = len;
	return v;
}

void rp_value_free(struct rp_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		rp_value_free(v->items[i]);
		if (v->keys)
			free(v->keys[i].s);
	}
	free(v->items);
	free(v->keys);
	free(v->hash);
	/* a value may be a secret (a configuration's, a token in a reply) */
	rp_secret_wipe(v->s, v->len);
	free(v->s);
	free(v);
}

static size_t hash_key(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (size_t)h;
}

static void hash_insert(struct rp_value *t, size_t pos)
{
	size_t mask = t->hash_cap - 1;
	size_t slot = hash_key(t->keys[pos].s, t->keys[pos].len) & mask;
	while (t->hash[slot])
		slot = (slot + 1) & mask;
	t->hash[slot] = pos + 1;
}

static void hash_rebuild(struct rp_value *t)
{
	size_t cap = 64;
	while (cap < t->n * 2)
		cap *= 2;
	free(t->hash);
	t->hash = rp_xcalloc(cap, sizeof *t->hash);
	t->hash_cap = cap;
	for (size_t i = 0; i < t->n; i++)
		hash_insert(t, i);
}

static bool key_eq(const struct rp_key *k, const char *s, size_t len)
{
	return k->len == len && memcmp(k->s, s, len) == 0;
}

static long find(const struct rp_value *t, const char *key, size_t len)
{
	if (!t->hash) {
		for (size_t i = 0; i < t->n; i++)
			if (key_eq(&t->keys[i], key, len))
				return (long)i;
		return -1;
	}
	size_t mask = t->hash_cap - 1;
	for (size_t slot = hash_key(key, len) & mask; t->hash[slot]; slot = (slot + 1) & mask)
		if (key_eq(&t->keys[t->hash[slot] - 1], key, len))
			return (long)(t->hash[slot] - 1);
	return -1;
}

struct rp_value *rp_value_table_get(const struct rp_value *t, const char *key, size_t len)
{
	long i = find(t, key, len);
	return i < 0 ? NULL : t->items[i];
}

static void grow(struct rp_value *v, bool keys)
{
	if (v->n < v->cap)
		return;
	v->cap = v->cap ? v->cap * 2 : 4;
	v->items = rp_xreallocarray(v->items, v->cap, sizeof *v->items);
	if (keys)
		v->keys = rp_xreallocarray(v->keys, v->cap, sizeof *v->keys);
}

void rp_value_table_add(struct rp_value *t, const char *key, size_t len, struct rp_value *v)
{
	grow(t, true);
	t->keys[t->n].s = rp_xmalloc(len + 1);
	memcpy(t->keys[t->n].s, key, len);
	t->keys[t->n].s[len] = '\0';
	t->keys[t->n].len = len;
	t->items[t->n] = v;
	t->n++;
	if (t->hash && t->n * 2 <= t->hash_cap)
		hash_insert(t, t->n - 1);
	else if (t->n > LINEAR_MAX)
		hash_rebuild(t);
}

bool rp_value_table_set(struct rp_value *t, const char *key, size_t len, struct rp_value *v)
{
	long i = find(t, key, len);
	if (i >= 0) {
		rp_value_free(t->items[i]);
		t->items[i] = v;
		return true;
	}
	rp_value_table_add(t, key, len, v);
	return false;
}

void rp_value_array_push(struct rp_value *a, struct rp_value *v)
{
	grow(a, false);
	a->items[a->n++] = v;
}

static bool is_number(const struct rp_value *v)
{
	return v->type == RP_V_INTEGER || v->type == RP_V_FLOAT;
}

double rp_value_number(const struct rp_value *v)
{
	return v->type == RP_V_INTEGER ? (double)v->i : v->f;
}

bool rp_value_equal(const struct rp_value *a, const struct rp_value *b)
{
	if (is_number(a) && is_number(b)) {
		if (a->type == RP_V_INTEGER && b->type == RP_V_INTEGER)
			return a->i == b->i;
		return rp_value_number(a) == rp_value_number(b);
	}
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case RP_V_NULL:
		return true;
	case RP_V_BOOL:
		return a->b == b->b;
	case RP_V_ARRAY:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!rp_value_equal(a->items[i], b->items[i]))
				return false;
		return true;
	case RP_V_TABLE:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++) {
			const struct rp_value *other =
			        rp_value_table_get(b, a->keys[i].s, a->keys[i].len);
			if (!other || !rp_value_equal(a->items[i], other))
				return false;
		}
		return true;
	default: /* strings and date/time text */
		return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	}
}
