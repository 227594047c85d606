/* rp_timestamp.h: reading the timestamps applications store in a column.
 *
 * Numbers are recognised by magnitude (auto):
 *   2e6  <= v < 3e6    Julian day number (SQLite julianday())
 *   1e8  <= v < 1e11   unix seconds (1973 .. 5138)
 *   1e11 <= v < 1e14   unix milliseconds
 *   1e14 <= v < 1e17   unix microseconds
 * Text that is a number is read as one; other text must be ISO-8601 as
 * SQLite's datetime() and most languages write it:
 *   YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|(+|-)HH[:MM]]
 * UTC unless it carries an offset. A forced format skips detection. */
#ifndef RP_TIMESTAMP_H
#define RP_TIMESTAMP_H

#include <stdbool.h>
#include <time.h>
#include <stddef.h>

enum rp_timestamp_format {
	RP_TS_AUTO = 0,
	RP_TS_UNIX,
	RP_TS_UNIX_MS,
	RP_TS_UNIX_US,
	RP_TS_ISO,
	RP_TS_JULIAN,
};

/* "auto", "unix", "unix-ms", "unix-us", "iso", "julian" */
const char *rp_timestamp_format_name(enum rp_timestamp_format f);
bool rp_timestamp_format_parse(const char *name, enum rp_timestamp_format *out);

/* Converts a numeric column value to unix seconds. */
bool rp_timestamp_from_number(double v, enum rp_timestamp_format forced, double *unix_seconds,
                              enum rp_timestamp_format *detected, char *err, size_t errlen);
/* Converts a text column value (numeric text or ISO-8601) to unix seconds. */
bool rp_timestamp_from_text(const char *s, size_t len, enum rp_timestamp_format forced,
                            double *unix_seconds, enum rp_timestamp_format *detected, char *err,
                            size_t errlen);
/* Strict ISO-8601 date-time as above. */
bool rp_timestamp_parse_iso(const char *s, size_t len, double *unix_seconds);
/* A broken-down UTC time (struct tm, as OpenSSL's ASN1_TIME_to_tm fills
 * it) as unix seconds, without timegm or the TZ. */
double rp_timestamp_from_tm_utc(const struct tm *tm);

#endif
