#include "rp_regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COUNT   255
#define MAX_PRODUCT 1000
#define MAX_NESTING 64

/* The upper bound of a {m}, {m,} or {m,n} at p (just after '{'); sets *end
 * past the '}'. An open bound counts as 1: like * or +, it adds no copy. */
static long count_at(const char *p, const char **end)
{
	char *e;
	long m = strtol(p, &e, 10);
	long n = m;
	if (*e == ',') {
		n = e[1] == '}' ? 1 : strtol(e + 1, &e, 10);
		if (e[0] == ',' && e[1] == '}')
			e++;
	}
	*end = strchr(e, '}') ? strchr(e, '}') + 1 : e + strlen(e);
	return n < m ? m : n;
}

static const char *skip_bracket(const char *p)
{
	p++; /* '[' */
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *close = strstr(p + 2, (char[]){ p[1], ']', '\0' });
			p = close ? close + 2 : p + strlen(p);
		} else {
			p++;
		}
	}
	return *p ? p + 1 : p;
}

static bool too_costly(const char *pattern, char *err, size_t errlen)
{
	/* factor[d]: the largest product of counts inside the open group d */
	long factor[MAX_NESTING + 1];
	long last_atom = 1; /* the factor of the atom a repetition would apply to */
	int depth = 0;
	bool after_repeat = false, have_atom = false;
	factor[0] = 1;
	for (const char *p = pattern; *p;) {
		char c = *p;
		if (c == '*' || c == '+' || c == '?' || (c == '{' && have_atom)) {
			if (after_repeat) {
				snprintf(err, errlen,
				         "two repetition operators in a row at '%.10s'", p);
				return true;
			}
			long n = 1;
			if (c == '{') {
				n = count_at(p + 1, &p);
				if (n > MAX_COUNT) {
					snprintf(err, errlen, "a count over %d", MAX_COUNT);
					return true;
				}
			} else {
				p++;
			}
			long product = last_atom * n;
			if (product > MAX_PRODUCT) {
				snprintf(err, errlen, "nested counts repeat it over %d times",
				         MAX_PRODUCT);
				return true;
			}
			if (product > factor[depth])
				factor[depth] = product;
			after_repeat = true;
			continue;
		}
		after_repeat = false;
		if (c == '(') {
			if (depth == MAX_NESTING) {
				snprintf(err, errlen, "groups nested over %d deep", MAX_NESTING);
				return true;
			}
			factor[++depth] = 1;
			have_atom = false;
			p++;
		} else if (c == ')' && depth > 0) {
			last_atom = factor[depth--];
			if (last_atom > factor[depth])
				factor[depth] = last_atom;
			have_atom = true;
			p++;
		} else if (c == '|') {
			have_atom = false;
			p++;
		} else if (c == '[') {
			p = skip_bracket(p);
			last_atom = 1;
			have_atom = true;
		} else {
			p += c == '\\' && p[1] ? 2 : 1;
			last_atom = 1;
			have_atom = c != '^';
		}
	}
	return false;
}

bool rp_regex_compile(regex_t *re, const char *pattern, int flags, char *err, size_t errlen)
{
	if (strlen(pattern) > RP_REGEX_MAX_LEN) {
		snprintf(err, errlen, "a regex of at most %d bytes", RP_REGEX_MAX_LEN);
		return false;
	}
	if (too_costly(pattern, err, errlen))
		return false;
	int rc = regcomp(re, pattern, flags | REG_EXTENDED);
	if (rc != 0) {
		char why[128];
		regerror(rc, re, why, sizeof why);
		snprintf(err, errlen, "%s", why);
		return false;
	}
	return true;
}
