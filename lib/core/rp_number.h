/* rp_number.h: numbers read and written the same in every locale, so a
 * German locale can never produce a malformed first line. */
#ifndef RP_NUMBER_H
#define RP_NUMBER_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

/* Strict decimal number: [+-]digits[.digits] or [+-].digits; no exponent,
 * no "inf"/"nan", no white space, finite. */
bool rp_number_parse(const char *s, size_t len, double *out);
/* Like rp_number_parse but also takes an exponent ("1.5e-05"): for
 * reading other programs' perfdata, never for our own options. */
bool rp_number_parse_lenient(const char *s, size_t len, double *out);
/* A whole non-negative integer that fits in long long. */
bool rp_number_parse_ll(const char *s, long long *out);
/* A whole non-negative integer from min to max (strtonum's contract: the
 * whole text, digits only, in range, or false). */
bool rp_number_parse_bounded(const char *s, long long min, long long max, long long *out);
/* A TCP port, 1 to 65535, from s[0..len). */
bool rp_number_parse_port(const char *s, size_t len, int *port);
/* The value of a hex digit, or -1. */
int rp_number_hex_digit(int c);

/* The C locale, made once (thread-safe): for strtod_l and friends. */
locale_t rp_number_c_locale(void);

/* Formats v with '.' as decimal point whatever the locale, no exponent,
 * 6 decimals (below 1: 6 significant digits) with trailing zeros dropped
 * ("0.0123", "12030", "0.00000015").
 * Returns buf. A non-finite value formats as "U". */
#define RP_NUMBUF 400
char *rp_number_format(double v, char buf[RP_NUMBUF]);

#endif
