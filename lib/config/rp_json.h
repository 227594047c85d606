/* rp_jsonvalue.h: a JSON document (json-c) as an rp_value tree, so JSON
 * configuration is addressed like TOML. Errors name line and column. */
#ifndef RP_JSONVALUE_H
#define RP_JSONVALUE_H

#include "rp_value.h"

#include <stddef.h>

/* A JSON object (configuration files must be one). */
struct rp_value *rp_json_parse_value(const char *src, size_t len, char *err, size_t errlen);
/* Any JSON document: an object, an array or a scalar (API bodies, literals). */
struct rp_value *rp_json_parse_any(const char *src, size_t len, char *err, size_t errlen);

#endif
