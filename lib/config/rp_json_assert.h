/* rp_jsonassert.h: assertions on a JSON document, as check_api's --json
 * takes them.
 *
 *   PATH OP VALUE     OP one of == != < <= > >= ~
 *   PATH exists
 *   PATH !exists
 *
 * PATH is a key path in jq's spelling (rp_keypath.h: ".status",
 * ".checks[\"db:responseTime\"][0].status", ".items[*].id"); VALUE is a
 * JSON literal ("healthy", 42, true, null, [1,2]). For ~ VALUE is a POSIX
 * extended regex, written as a JSON string or as it is.
 *
 * Semantics, chosen to fail loudly:
 * - a path that is missing fails every comparison (only !exists passes);
 * - with [*], every element must pass, and an empty array fails "exists";
 * - == and != compare deeply; numbers by value (1 == 1.0);
 * - < <= > >= compare two numbers, or two strings byte by byte; anything
 *   else fails as "not comparable";
 * - ~ matches a string, or a number's or boolean's JSON text. */
#ifndef RP_JSONASSERT_H
#define RP_JSONASSERT_H

#include "rp_keypath.h"
#include "rp_value.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

enum rp_json_op {
	RP_JOP_EQ,
	RP_JOP_NE,
	RP_JOP_LT,
	RP_JOP_LE,
	RP_JOP_GT,
	RP_JOP_GE,
	RP_JOP_MATCH,
	RP_JOP_EXISTS,
	RP_JOP_MISSING,
};

struct rp_json_assert {
	char *text; /* as given */
	struct rp_keypath path;
	enum rp_json_op op;
	struct rp_value *want; /* comparisons */
	char *want_text;       /* VALUE as written, for messages */
	regex_t re;            /* ~ */
	bool has_re;
};

/* Parses text; on failure err says what and where, and a is empty. */
bool rp_json_assert_parse(const char *text, struct rp_json_assert *a, char *err, size_t errlen);
void rp_json_assert_free(struct rp_json_assert *a);

/* The outcome of one assertion: on failure, the concrete path that failed
 * and what was found there ("missing", "\"degraded\"", "an object"...),
 * both sanitised. */
struct rp_json_verdict {
	bool ok;
	char *path;
	char *found;
	size_t checked; /* concrete paths looked at */
};

void rp_json_assert_eval(const struct rp_json_assert *a, const struct rp_value *doc,
                         struct rp_json_verdict *v);
void rp_json_assert_verdict_free(struct rp_json_verdict *v);

/* The operator as written: "==", "exists"... */
const char *rp_json_assert_op_text(enum rp_json_op op);

/* A short, safe description of a value for messages: strings quoted and
 * escaped, numbers in plain notation, "an object with 3 keys", "an array
 * of 2", at most max bytes. Caller frees. */
char *rp_json_assert_describe(const struct rp_value *v, size_t max);

#endif
