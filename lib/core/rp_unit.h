/* rp_units.h: values with units, as admins write them on a command line.
 *
 *   seconds  500ms 2s 1.5 10m 10min 1h 1d 1w 250us  (a bare number is seconds)
 *   bytes    512 512B 10KB 10kB (x1000) 10K 10KiB (x1024) MB/MiB GB/GiB TB/TiB
 *   percent  10 or 10%
 *   none     a plain number
 *
 * Everything is converted to the base unit (s, B, %) that perfdata uses. */
#ifndef RP_UNITS_H
#define RP_UNITS_H

#include <stdbool.h>
#include <stddef.h>

enum rp_unit {
	RP_UNIT_NONE = 0,
	RP_UNIT_SECONDS,
	RP_UNIT_BYTES,
	RP_UNIT_PERCENT,
	RP_UNIT_COUNTER,
};

/* The perfdata unit of measure: "", "s", "B", "%", "c". */
const char *rp_unit_uom(enum rp_unit u);
/* Words for help texts: "a duration (500ms, 2s, 10m, 1h, 1d)". */
const char *rp_unit_describe(enum rp_unit u);

/* Parses s[0..len) as a number with an optional suffix allowed for unit u.
 * On failure writes a message naming the text into err. */
bool rp_unit_parse_value(const char *s, size_t len, enum rp_unit u, double *out, char *err,
                         size_t errlen);

bool rp_unit_parse_duration(const char *s, double *seconds, char *err, size_t errlen);
bool rp_unit_parse_size(const char *s, double *bytes, char *err, size_t errlen);
bool rp_unit_parse_percent(const char *s, double *pct, char *err, size_t errlen);

/* A duration for people: "0.25 s", "42 s", "12 min", "3.5 h", "2 d".
 * buf needs RP_DURATION_BUF bytes. */
#define RP_DURATION_BUF 64
char *rp_unit_format_duration(double seconds, char buf[RP_DURATION_BUF]);

#endif
