/* rp_text.h: making untrusted text safe to print, and JSON string output.
 *
 * Text that came from outside (a server reply, a file, a column name) goes
 * through rp_text_sanitize before it reaches any output, so a hostile peer cannot
 * start a new line, forge perfdata with '|', or smuggle terminal escapes:
 *
 *   '|'            -> "\x7c"
 *   newline, tab   -> "\n", "\t"
 *   other control bytes and invalid UTF-8 -> "\xNN"
 *   longer than max bytes -> cut at a character boundary, "..." appended
 *
 * Valid UTF-8 is kept as it is. */
#ifndef RP_TEXT_H
#define RP_TEXT_H

#include "rp_util.h"

#include <stdbool.h>
#include <stddef.h>

/* Default bound for one item of untrusted text in output. */
#define RP_SANITIZE_MAX 160

char *rp_text_sanitize(const char *s, size_t len, size_t max);
/* rp_text_sanitize of a NUL-terminated string; NULL reads as "". */
char *rp_text_sanitize_str(const char *s, size_t max);
void rp_text_sanitize_into(struct rp_buf *out, const char *s, size_t len, size_t max);

/* Case-insensitive ASCII comparison, independent of locale. */
bool rp_text_caseeq(const char *a, const char *b);
bool rp_text_has_prefix(const char *s, const char *prefix);

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one. */
size_t rp_text_utf8_len(const unsigned char *s, size_t avail);

/* Appends s as a JSON string literal (with quotes); invalid UTF-8 becomes
 * U+FFFD so the document always parses. */
void rp_text_json_string(struct rp_buf *out, const char *s);
/* Appends a number, or null when v is not finite. */
void rp_text_json_number(struct rp_buf *out, double v);

/* Appends w as one shell word: as it is when that is safe, else in single
 * quotes; control bytes become '?'. */
void rp_text_shell_word(struct rp_buf *b, const char *w);

/* The last line of a log that reads as the reason something stopped: an
 * error, exception, fatal or panic line, a refusal or a failure (words
 * matched without case). A Python traceback's last line names the
 * exception. False when no line does; else *line, *n point into text
 * (without the line's end). */
bool rp_text_last_error_line(const char *text, size_t len, const char **line, size_t *n);

#endif
