/* rp_keypath.h: addressing a key the same way in every configuration source.
 *
 *   JWT_SECRET                      a key (flat sources: the whole text is the key)
 *   env.production.vars.JWT_SECRET  tables by dotted path
 *   "quoted.key".x                  a quoted segment may hold dots
 *   kv_namespaces[1].id             an array element
 *   kv_namespaces[*].id             every element: each must have it
 *   kv_namespaces[binding=AUTH].id  the element whose binding is "AUTH"
 *                                   (a string member; the value may be quoted)
 *   env.*.vars.JWT_SECRET           every member of a table: each must have it
 *
 * and jq's spelling of the same, for JSON bodies:
 *
 *   .status  .items[2].id  .checks["db:responseTime"][0].status  .  (all)
 *
 * A backslash in a quoted key takes the next character as it is.
 * Resolving yields one result per concrete path ("kv_namespaces[1].id"),
 * with the value found or NULL, so a missing id is named exactly. An
 * element reached through [*] that names itself (binding, name or service,
 * as wrangler names them) is named so, as a selector that can be given
 * back ("kv_namespaces[binding=SESSIONS].id"), when no sibling has the
 * same name; else by its index, with the name in ident. jq paths keep
 * indexes. A selector that matches nothing is itself what is missing. */
#ifndef RP_KEYPATH_H
#define RP_KEYPATH_H

#include "rp_util.h"
#include "rp_value.h"

#include <stdbool.h>
#include <stddef.h>

enum rp_seg_kind { RP_SEG_KEY, RP_SEG_INDEX, RP_SEG_ALL, RP_SEG_MEMBERS, RP_SEG_MATCH };

struct rp_seg {
	enum rp_seg_kind kind;
	char *key; /* RP_SEG_KEY: the key; RP_SEG_MATCH: the member compared */
	size_t len;
	size_t index;
	char *value; /* RP_SEG_MATCH: the string it must equal */
};

struct rp_keypath {
	struct rp_seg *segs;
	size_t n;
	char *text; /* as given */
	bool jq;    /* written jq's way (".a.b"): resolved paths are spelt so too */
};

/* A path has at most this many segments: TOML nests no deeper, and
 * resolving recurses a segment a level. */
#define RP_KEYPATH_MAX_SEGMENTS 256

bool rp_keypath_parse(const char *text, struct rp_keypath *out, char *err, size_t errlen);
void rp_keypath_free(struct rp_keypath *k);

struct rp_resolved {
	char *path;                   /* concrete: kv_namespaces[1].id */
	const struct rp_value *value; /* NULL: missing */
	char *ident; /* "binding=SESSIONS" for an element named by index, or NULL */
};

struct rp_resolved_list {
	struct rp_resolved *items;
	size_t n;
};

/* Resolves k in root. A flat source (dotenv, a process environment) is
 * looked up with the whole text as one key. */
void rp_keypath_resolve(const struct rp_keypath *k, const struct rp_value *root, bool flat,
                        struct rp_resolved_list *out);
void rp_keypath_resolved_free(struct rp_resolved_list *l);

/* Appends element i of array arr to a path: [binding=AUTH] when it names
 * itself so and no sibling shares the name (in arrays of up to 256), else
 * [i]. Returns the name ("binding=AUTH") when the index was used for an
 * element that has one (caller frees), else NULL. */
char *rp_keypath_append_element(struct rp_buf *path, const struct rp_value *arr, size_t i);

/* Appends a key to a path as text, quoting it when it is not a bare key. */
void rp_keypath_append_key(struct rp_buf *path, const char *key, size_t len);

#endif
