/* rp_x.h: allocation that never returns NULL ("x" as in xmalloc).
 *
 * On failure these print "UNKNOWN - out of memory" and exit 3: the
 * contract says an inability to check is UNKNOWN, never a crash. */
#ifndef RP_X_H
#define RP_X_H

#include <stdarg.h>
#include <stddef.h>

#define RP_PRINTF(f, a) __attribute__((format(printf, f, a)))

void *rp_xmalloc(size_t n);
void *rp_xcalloc(size_t n, size_t size);
void *rp_xrealloc(void *p, size_t n);
void *rp_xreallocarray(void *p, size_t n, size_t size);
char *rp_xstrdup(const char *s);
char *rp_xstrndup(const char *s, size_t n);
char *rp_xasprintf(const char *fmt, ...) RP_PRINTF(1, 2);
char *rp_xvasprintf(const char *fmt, va_list ap) RP_PRINTF(1, 0);
/* "UNKNOWN - out of memory" on stdout, exit 3 (async-signal-safe). */
_Noreturn void rp_xdie_oom(void);

#endif
