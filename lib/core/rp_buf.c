/* rp_buf.c: the growable string buffer. */
#include "rp_buf.h"
#include "rp_secret.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_buf_init(struct rp_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->secret = false;
}

void rp_buf_init_secret(struct rp_buf *b)
{
	rp_buf_init(b);
	b->secret = true;
}

void rp_buf_free(struct rp_buf *b)
{
	if (b->secret)
		rp_secret_wipe(b->data, b->cap);
	free(b->data);
	rp_buf_init(b);
}

/* A secret buffer moves by copy and erase: realloc would leave the old
 * bytes behind in freed memory. */
static char *grow_secret(struct rp_buf *b, size_t cap)
{
	char *p = rp_xmalloc(cap);
	if (b->data) {
		memcpy(p, b->data, b->len + 1);
		rp_secret_wipe(b->data, b->cap);
		free(b->data);
	}
	return p;
}

void rp_buf_reset(struct rp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void buf_reserve(struct rp_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		rp_xdie_oom();
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = b->secret ? grow_secret(b, cap) : rp_xrealloc(b->data, cap);
	b->cap = cap;
}

void rp_buf_append(struct rp_buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rp_buf_puts(struct rp_buf *b, const char *s)
{
	rp_buf_append(b, s, strlen(s));
}

void rp_buf_putc(struct rp_buf *b, char c)
{
	rp_buf_append(b, &c, 1);
}

void rp_buf_vprintf(struct rp_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void rp_buf_printf(struct rp_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rp_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *rp_buf_steal(struct rp_buf *b)
{
	char *s = b->data;
	if (!s)
		s = rp_xstrdup("");
	rp_buf_init(b);
	return s;
}

void rp_buf_put_index(struct rp_buf *b, size_t i)
{
	char tmp[24];
	size_t n = sizeof tmp;
	tmp[--n] = ']';
	do {
		tmp[--n] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	tmp[--n] = '[';
	rp_buf_append(b, tmp + n, sizeof tmp - n);
}
