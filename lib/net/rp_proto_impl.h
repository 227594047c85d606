/* rp_proto_impl.h: what the protocol files share (private to
 * lib/net/rp_proto*.c). */
#ifndef RP_PROTO_IMPL_H
#define RP_PROTO_IMPL_H

#include "rp_proto.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes "what" and a sanitised excerpt of the peer's text to why;
 * returns v. */
enum rp_verdict rp_proto_say(enum rp_verdict v, char *why, size_t whylen, const char *what,
                             const char *text, size_t len);
/* The length of the line at buf (without CR LF) when it is complete. */
bool rp_proto_line_at(const char *buf, size_t len, size_t *line_len, size_t *next);
/* Case-insensitive prefix and substring tests on peer bytes. */
bool rp_proto_starts(const char *s, size_t len, const char *prefix);
bool rp_proto_contains(const char *s, size_t len, const char *needle);

/* "HTTP/1.1 200 OK": the status and the line's length once it is whole;
 * false with the verdict in *v (more, or down with why) before that. */
bool rp_proto_http_status_line(const char *buf, size_t len, bool eof, long *status, size_t *llen,
                               enum rp_verdict *v, char *why, size_t whylen);

#endif
