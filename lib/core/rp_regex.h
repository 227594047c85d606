/* rp_regex.h: POSIX extended regexes from the command line, compiled with a
 * bound on their cost.
 *
 * glibc's regcomp builds a copy of a sub-expression for every repetition
 * it must count, so "((a{100}){100}){100}" or "x++++..." can take seconds
 * and gigabytes before a check even starts. Refused before regcomp sees
 * them: patterns over 512 bytes, a repetition operator straight after
 * another (undefined in POSIX ERE anyway), a count over 255 (POSIX's
 * RE_DUP_MAX), and nested counts whose product exceeds 1000. */
#ifndef RP_REGEX_H
#define RP_REGEX_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#define RP_REGEX_MAX_LEN 512

/* flags are regcomp's (REG_EXTENDED is always added). On failure err says
 * why and re is left unset. */
bool rp_regex_compile(regex_t *re, const char *pattern, int flags, char *err, size_t errlen);

#endif
