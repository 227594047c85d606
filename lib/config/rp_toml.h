/* rp_toml.h: a TOML 1.0.0 reader.
 *
 * Complete for TOML 1.0.0: every valid file of the toml-test suite's 1.0.0
 * list reads to exactly its expected values and every invalid one is
 * refused (tests/unit/test_toml_suite). Errors name the line and column.
 * The input must be UTF-8; newlines in multi-line strings are read as LF. */
#ifndef RP_TOML_H
#define RP_TOML_H

#include "rp_value.h"

#include <stddef.h>

/* Parses src[0..len) into a new table, or returns NULL with err set to
 * "line L, column C: what". */
struct rp_value *rp_toml_parse(const char *src, size_t len, char *err, size_t errlen);

#endif
