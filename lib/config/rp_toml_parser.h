/* rp_toml_parser.h: what the TOML reader's two halves share (private to
 * lib/config/rp_toml*.c): the parser's state, its primitives (rp_toml.c) and the
 * scalars, strings, numbers and date-times (rp_toml_scalar.c). */
#ifndef RP_TOML_PARSER_H
#define RP_TOML_PARSER_H

#include "rp_util.h"
#include "rp_value.h"

#include <stdbool.h>
#include <stddef.h>

struct parser {
	const char *src;
	size_t len, pos;
	int line;
	size_t line_start;
	char *err;
	size_t errlen;
	bool failed;
	int depth;
	/* how deep in the tree the table keys now go into lies (the root: 0):
	 * dotted keys and headers nest as arrays and inline tables do, and
	 * every reader of the tree recurses */
	size_t tree_depth;
	const char *key; /* the key whose value is being read, for messages */
	size_t key_len;
};

/* Records the first error ("line L, column C: ...") and returns false. */
bool rp_toml_fail(struct parser *p, const char *fmt, ...) RP_PRINTF(2, 3);
/* The byte ahead bytes from the position, or -1 past the end. */
int rp_toml_peek(const struct parser *p, size_t ahead);
bool rp_toml_at_eof(const struct parser *p);
void rp_toml_newline_seen(struct parser *p);
void rp_toml_skip_ws(struct parser *p);
bool rp_toml_is_bad_control(int c);
bool rp_toml_eat_newline(struct parser *p);

/* Strings, at their opening quote; the text is appended to b. */
bool rp_toml_scalar_basic_string(struct parser *p, struct rp_buf *b);
bool rp_toml_scalar_literal_string(struct parser *p, struct rp_buf *b);
bool rp_toml_scalar_multiline_string(struct parser *p, struct rp_buf *b, char q);
/* Numbers from a whole token. */
bool rp_toml_scalar_parse_integer(const char *tok, size_t len, long long *out);
bool rp_toml_scalar_parse_float(const char *tok, size_t len, double *out);
/* Dates and times, at the position. */
bool rp_toml_scalar_looks_like_date(const struct parser *p);
bool rp_toml_scalar_looks_like_time(const struct parser *p, size_t at);
struct rp_value *rp_toml_scalar_datetime(struct parser *p);

#endif
