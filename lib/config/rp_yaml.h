/* rp_yaml.h: YAML files (compose files) as an rp_value tree, read with
 * libyaml's event parser.
 *
 * The first document only. Mappings become tables (a key twice is an
 * error, as compose says), sequences arrays, scalars strings exactly as
 * written (no YAML 1.1 booleans: "yes" stays "yes", as compose keeps it),
 * except a plain empty, "~" or "null", which is RP_V_NULL. Aliases are
 * expanded and merge keys ("<<: *defaults", or a list of them) applied,
 * keys already in the mapping winning. Bounded against hostile input:
 * nesting depth, and the nodes built counting every alias's expansion
 * (a "billion laughs" file is refused, not expanded). */
#ifndef RP_YAML_H
#define RP_YAML_H

#include "rp_value.h"

#include <stddef.h>

#define RP_YAML_DEPTH_MAX 64
#define RP_YAML_NODES_MAX 200000

/* The tree, or NULL with err "line L, column C: why". Caller frees. */
struct rp_value *rp_yaml_parse(const char *src, size_t len, char *err, size_t errlen);

#endif
