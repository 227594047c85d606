/* rp_value.h: one tree for every configuration source.
 *
 * TOML, JSON and dotenv files all load into rp_value trees: tables (keys in
 * insertion order, looked up through a hash index once they grow), arrays,
 * and scalars. Strings keep their length: TOML allows "\u0000" in them. */
#ifndef RP_VALUE_H
#define RP_VALUE_H

#include <stdbool.h>
#include <stddef.h>

enum rp_value_type {
	RP_V_TABLE = 0,
	RP_V_ARRAY,
	RP_V_STRING,
	RP_V_INTEGER,
	RP_V_FLOAT,
	RP_V_BOOL,
	RP_V_DATETIME,       /* offset date-time, text normalised to 1979-05-27T07:32:00Z */
	RP_V_DATETIME_LOCAL, /* 1979-05-27T07:32:00 */
	RP_V_DATE_LOCAL,     /* 1979-05-27 */
	RP_V_TIME_LOCAL,     /* 07:32:00 */
	RP_V_NULL,           /* JSON null */
};

struct rp_key {
	char *s;
	size_t len;
};

struct rp_value {
	enum rp_value_type type;
	unsigned flags; /* the reader's bookkeeping */
	int line;       /* where it was defined, 1-based; 0 when unknown */
	/* strings and date/time text */
	char *s;
	size_t len;
	long long i;
	double f;
	bool b;
	/* tables: keys[k] -> items[k]; arrays: items only */
	struct rp_key *keys;
	struct rp_value **items;
	size_t n, cap;
	size_t *hash; /* table index: slot -> position + 1, 0 empty */
	size_t hash_cap;
};

const char *rp_value_type_name(enum rp_value_type t);

struct rp_value *rp_value_new(enum rp_value_type type);
void rp_value_free(struct rp_value *v);
struct rp_value *rp_value_new_string(const char *s, size_t len);

/* Tables. rp_value_table_get returns NULL when the key is absent. */
struct rp_value *rp_value_table_get(const struct rp_value *t, const char *key, size_t len);
/* Adds key -> v (the table takes v); the caller checks for duplicates. */
void rp_value_table_add(struct rp_value *t, const char *key, size_t len, struct rp_value *v);
/* Replaces or adds (dotenv's "last wins"); returns true when it replaced. */
bool rp_value_table_set(struct rp_value *t, const char *key, size_t len, struct rp_value *v);

void rp_value_array_push(struct rp_value *a, struct rp_value *v);

/* Deep equality; integers and floats compare by numeric value, tables
 * whatever their key order. */
bool rp_value_equal(const struct rp_value *a, const struct rp_value *b);
/* An integer or float as a double. */
double rp_value_number(const struct rp_value *v);

#endif
