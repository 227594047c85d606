/* rp_util.h: allocation that never returns NULL, a growable string buffer,
 * and locale-independent number parsing and formatting.
 *
 * Every plugin output path goes through these, so a German locale or an
 * out-of-memory condition can never produce a malformed first line. */
#ifndef RP_UTIL_H
#define RP_UTIL_H

#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define RP_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* What our requests call themselves: no plugin's name, lib/ serves them
 * all (PACKAGE_VERSION comes from config.h where it is used). */
#define RP_USER_AGENT "readiness-plugins/" PACKAGE_VERSION

/* On allocation failure these print "UNKNOWN - out of memory" and exit 3:
 * the contract says an inability to check is UNKNOWN, never a crash. */
void *rp_xmalloc(size_t n);
void *rp_xcalloc(size_t n, size_t size);
void *rp_xrealloc(void *p, size_t n);
void *rp_xreallocarray(void *p, size_t n, size_t size);
char *rp_xstrdup(const char *s);
char *rp_xstrndup(const char *s, size_t n);
char *rp_xasprintf(const char *fmt, ...) RP_PRINTF(1, 2);
char *rp_xvasprintf(const char *fmt, va_list ap) RP_PRINTF(1, 0);

/* A growable, always NUL-terminated byte buffer. */
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

/* Strict decimal number: [+-]digits[.digits] or [+-].digits; no exponent,
 * no "inf"/"nan", no white space, finite. Parsed the same in every locale. */
bool rp_parse_number(const char *s, size_t len, double *out);
/* Like rp_parse_number but also takes an exponent ("1.5e-05"): for reading
 * other programs' perfdata, never for our own options. */
bool rp_parse_number_lenient(const char *s, size_t len, double *out);
/* A whole non-negative integer that fits in long long. */
bool rp_parse_ll(const char *s, long long *out);
/* A whole non-negative integer from min to max (strtonum's contract: the
 * whole text, digits only, in range, or false). */
bool rp_parse_bounded(const char *s, long long min, long long max, long long *out);
/* A TCP port, 1 to 65535, from s[0..len). */
bool rp_parse_port(const char *s, size_t len, int *port);
/* The value of a hex digit, or -1. */
int rp_hex_digit(int c);

/* The C locale, made once (thread-safe): for strtod_l and friends. */
locale_t rp_c_locale(void);

/* Formats v with '.' as decimal point whatever the locale, no exponent,
 * at most 6 decimals with trailing zeros dropped ("0.0123", "12030").
 * Returns buf. A non-finite value formats as "U". */
#define RP_NUMBUF 400
char *rp_format_number(double v, char buf[RP_NUMBUF]);

/* A vector of strings as (char **v, size_t n): appends a copy of s. */
void rp_strv_push(char ***v, size_t *n, const char *s);
/* The same with the first len bytes of s. */
void rp_strv_pushn(char ***v, size_t *n, const char *s, size_t len);
/* Frees an array of n strings and the array. */
void rp_strv_free(char **v, size_t n);

/* Case-insensitive ASCII comparison, independent of locale. */
bool rp_strcaseeq(const char *a, const char *b);
bool rp_has_prefix(const char *s, const char *prefix);

#endif
