/* rp_buf.h: a growable, always NUL-terminated byte buffer. */
#ifndef RP_BUF_H
#define RP_BUF_H

#include "rp_x.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct rp_buf {
	char *data;
	size_t len;
	size_t cap;
	bool secret; /* growing and freeing erase the old bytes */
};

void rp_buf_init(struct rp_buf *b);
/* For a buffer that will hold a secret (a request with a password, a
 * process's environment): no copy is left behind when it grows, and
 * rp_buf_free erases it (rp_secret_wipe). */
void rp_buf_init_secret(struct rp_buf *b);
void rp_buf_free(struct rp_buf *b);
void rp_buf_reset(struct rp_buf *b);
void rp_buf_append(struct rp_buf *b, const void *data, size_t n);
void rp_buf_puts(struct rp_buf *b, const char *s);
void rp_buf_putc(struct rp_buf *b, char c);
void rp_buf_printf(struct rp_buf *b, const char *fmt, ...) RP_PRINTF(2, 3);
void rp_buf_vprintf(struct rp_buf *b, const char *fmt, va_list ap) RP_PRINTF(2, 0);
/* Hands the string to the caller (who frees it) and leaves b empty. */
char *rp_buf_steal(struct rp_buf *b);
/* Appends "[i]" (an array index in a key path) without printf's cost. */
void rp_buf_put_index(struct rp_buf *b, size_t i);

#endif
