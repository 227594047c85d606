/* rp_x.c: allocation that never returns NULL ("x" as in xmalloc). */
#include "rp_x.h"
#include "rp_buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void rp_xdie_oom(void)
{
	static const char msg[] = "UNKNOWN - out of memory\n";
	ssize_t r = write(STDOUT_FILENO, msg, sizeof msg - 1);
	(void)r;
	_exit(3);
}

void *rp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		rp_xdie_oom();
	return p;
}

void *rp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		rp_xdie_oom();
	return p;
}

void *rp_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		rp_xdie_oom();
	return q;
}

void *rp_xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		rp_xdie_oom();
	return rp_xrealloc(p, n * size);
}

char *rp_xstrdup(const char *s)
{
	return rp_xstrndup(s, strlen(s));
}

char *rp_xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = rp_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *rp_xvasprintf(const char *fmt, va_list ap)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_vprintf(&b, fmt, ap);
	return rp_buf_steal(&b);
}

char *rp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = rp_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
