#include "rp_secrets.h"
#include "rp_util.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* s in upper case into out (len + 1 bytes); dashes and dots separate
 * words like underscores do. */
static char *upper_into(char *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = (char)toupper((unsigned char)s[i]);
		out[i] = c == '-' || c == '.' ? '_' : c;
	}
	out[len] = '\0';
	return out;
}

static char *upper(const char *s)
{
	size_t len = strlen(s);
	return upper_into(rp_xmalloc(len + 1), s, len);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool any_contained(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return true;
	return false;
}

static bool any_suffix(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (ends_with(s, *words))
			return true;
	return false;
}

static bool any_equal(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return true;
	return false;
}

bool rp_secret_name(const char *name)
{
	static const char *const secret_words[] = { "SECRET",     "TOKEN",       "PASSWORD",
		                                    "PASSWD",     "PASSPHRASE",  "API_KEY",
		                                    "APIKEY",     "PRIVATE_KEY", "CREDENTIAL",
		                                    "ACCESS_KEY", "AUTH_KEY",    NULL };
	static const char *const setting_suffixes[] = {
		"_URL",       "_URI",    "_FILE",     "_PATH",     "_DIR",   "_ID",     "_TTL",
		"_ALGORITHM", "_ALG",    "_LENGTH",   "_TYPE",     "_NAME",  "_HEADER", "_ENABLED",
		"_TIMEOUT",   "_ISSUER", "_AUDIENCE", "_ENDPOINT", "_HOST",  "_PORT",   "_USER",
		"_USERNAME",  "_PREFIX", "_FORMAT",   "_VERSION",  "_COUNT", "_SIZE",   NULL,
	};
	static const char *const setting_words[] = { "EXPIRE", "EXPIRY",   "LIFETIME", "_MIN_",
		                                     "_MAX_",  "ROTATION", NULL };
	static const char *const not_secret[] = { "PUBLIC_KEY",  "PUBLISHABLE_KEY", "PRIMARY_KEY",
		                                  "SORT_KEY",    "PARTITION_KEY",   "CACHE_KEY",
		                                  "ROUTING_KEY", "IDEMPOTENCY_KEY", NULL };
	/* names are short: a stack copy spares a malloc per key of a big file */
	char small[128];
	size_t len = strlen(name);
	char *u = len < sizeof small ? upper_into(small, name, len) : upper(name);
	bool secret =
	        any_contained(u, secret_words) || ends_with(u, "_KEY") || strcmp(u, "KEY") == 0;
	if (secret && (any_suffix(u, setting_suffixes) || any_contained(u, setting_words) ||
	               any_suffix(u, not_secret)))
		secret = false;
	if (u != small)
		free(u);
	return secret;
}

bool rp_algorithm_name(const char *name)
{
	char *u = upper(name);
	bool alg = ends_with(u, "_ALGORITHM") || ends_with(u, "_ALG") ||
	           strcmp(u, "ALGORITHM") == 0 || strcmp(u, "ALG") == 0;
	free(u);
	return alg;
}

static bool one_repeated_char(const char *v, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (v[i] != v[0])
			return false;
	return len > 0;
}

/* 1234..., abcd..., 9876..., dcba...: four or more steps of one. */
static bool obvious_sequence(const char *v, size_t len)
{
	if (len < 4)
		return false;
	int step = (unsigned char)v[1] - (unsigned char)v[0];
	if (step != 1 && step != -1)
		return false;
	for (size_t i = 1; i < len; i++) {
		unsigned char a = (unsigned char)tolower((unsigned char)v[i - 1]);
		unsigned char b = (unsigned char)tolower((unsigned char)v[i]);
		if (!isalnum(a) || !isalnum(b) || b - a != step)
			return false;
	}
	return true;
}

const char *rp_placeholder_reason(const char *value, size_t len, const char *key,
                                  const regex_t *extra, size_t nextra)
{
	static const char *const whole_words[] = {
		"SECRET",   "PASSWORD", "TOKEN",     "PASSWD", "PASS", "KEY",
		"TEST",     "DEFAULT",  "NULL",      "NIL",    "NONE", "UNDEFINED",
		"CHANGEME", "REPLACE",  "REPLACEME", NULL,
	};
	static const char *const template_words[] = { "PLACEHOLDER", "EXAMPLE",  "DUMMY", "INSERT_",
		                                      "ENTER_",      "GENERATE", NULL };
	/* Trim white space: "  " is as empty as "". */
	while (len && isspace((unsigned char)*value))
		value++, len--;
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (len == 0)
		return "empty";
	char *v = rp_xstrndup(value, len);
	char *u = upper(v);
	const char *why = NULL;
	if (strncmp(u, "YOUR_", 5) == 0 || strncmp(u, "YOUR ", 5) == 0)
		why = "placeholder (template text)";
	else if (v[0] == '<' && v[len - 1] == '>')
		why = "placeholder (<...> template text)";
	else if (strncmp(u, "CHANGE_ME", 9) == 0 || strncmp(u, "CHANGEME", 8) == 0 ||
	         strncmp(u, "CHANGE_IT", 9) == 0 || strncmp(u, "CHANGEIT", 8) == 0)
		why = "placeholder (change-me text)";
	else if (strncmp(u, "XXX", 3) == 0)
		why = "placeholder (xxx...)";
	else if (strstr(u, "TODO") || strstr(u, "FIXME") || strstr(u, "TBD"))
		why = "placeholder (TODO text)";
	else if (any_contained(u, template_words))
		why = "placeholder (example text)";
	else if (any_equal(u, whole_words))
		why = "placeholder (a generic word)";
	else if (strstr(v, "${") ||
	         (v[0] == '$' && len > 1 && (isalpha((unsigned char)v[1]) || v[1] == '_')))
		why = "an unresolved variable reference";
	else if (key && rp_strcaseeq(v, key))
		why = "placeholder (the key's own name)";
	else if (one_repeated_char(v, len))
		why = "placeholder (one repeated character)";
	else if (obvious_sequence(v, len))
		why = "placeholder (an obvious sequence)";
	for (size_t i = 0; !why && i < nextra; i++)
		if (regexec(&extra[i], v, 0, NULL, 0) == 0)
			why = "placeholder (matches --placeholder)";
	free(u);
	free(v);
	return why;
}

double rp_entropy_bits(const char *value, size_t len)
{
	if (len == 0)
		return 0;
	size_t counts[256] = { 0 };
	for (size_t i = 0; i < len; i++)
		counts[(unsigned char)value[i]]++;
	double h = 0;
	for (int c = 0; c < 256; c++) {
		if (!counts[c])
			continue;
		double p = (double)counts[c] / (double)len;
		h -= p * log2(p);
	}
	return h * (double)len;
}
