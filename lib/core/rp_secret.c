#include "rp_secret.h"

#include "rp_file.h"
#include "rp_text.h"
#include "rp_util.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

bool rp_secret_algorithm_name(const char *name)
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

/* The text that marks a value as a template's, in upper case u. */
static const char *template_text(const char *v, const char *u, size_t len)
{
	static const char *const template_words[] = { "PLACEHOLDER", "EXAMPLE",  "DUMMY", "INSERT_",
		                                      "ENTER_",      "GENERATE", NULL };
	if (strncmp(u, "YOUR_", 5) == 0 || strncmp(u, "YOUR ", 5) == 0 ||
	    strncmp(u, "YOUR-", 5) == 0)
		return "placeholder (template text)";
	if (v[0] == '<' && v[len - 1] == '>')
		return "placeholder (<...> template text)";
	if (strncmp(u, "CHANGE_ME", 9) == 0 || strncmp(u, "CHANGEME", 8) == 0 ||
	    strncmp(u, "CHANGE_IT", 9) == 0 || strncmp(u, "CHANGEIT", 8) == 0 ||
	    strncmp(u, "CHANGE-ME", 9) == 0)
		return "placeholder (change-me text)";
	if (strncmp(u, "XXX", 3) == 0)
		return "placeholder (xxx...)";
	if (strstr(u, "TODO") || strstr(u, "FIXME") || strstr(u, "TBD"))
		return "placeholder (TODO text)";
	if (any_contained(u, template_words))
		return "placeholder (example text)";
	return NULL;
}

/* What makes a secret's value a placeholder beyond template text: a
 * generic word, a reference, the key's name, a pattern of characters. */
static const char *secret_placeholder(const char *v, const char *u, size_t len, const char *key)
{
	static const char *const whole_words[] = {
		"SECRET",   "PASSWORD", "TOKEN",     "PASSWD", "PASS", "KEY",
		"TEST",     "DEFAULT",  "NULL",      "NIL",    "NONE", "UNDEFINED",
		"CHANGEME", "REPLACE",  "REPLACEME", NULL,
	};
	if (any_equal(u, whole_words))
		return "placeholder (a generic word)";
	if (strstr(v, "${") ||
	    (v[0] == '$' && len > 1 && (isalpha((unsigned char)v[1]) || v[1] == '_')))
		return "an unresolved variable reference";
	if (key && rp_text_caseeq(v, key))
		return "placeholder (the key's own name)";
	if (one_repeated_char(v, len))
		return "placeholder (one repeated character)";
	if (obvious_sequence(v, len))
		return "placeholder (an obvious sequence)";
	return NULL;
}

static const char *placeholder(const char *value, size_t len, const char *key, const regex_t *extra,
                               size_t nextra, bool secret)
{
	/* Trim white space: "  " is as empty as "". */
	while (len && isspace((unsigned char)*value))
		value++, len--;
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (len == 0)
		return secret ? "empty" : NULL;
	char *v = rp_xstrndup(value, len);
	char *u = upper(v);
	const char *why = template_text(v, u, len);
	if (!why && secret)
		why = secret_placeholder(v, u, len, key);
	for (size_t i = 0; !why && i < nextra; i++)
		if (regexec(&extra[i], v, 0, NULL, 0) == 0)
			why = "placeholder (matches --placeholder)";
	free(u);
	free(v);
	return why;
}

const char *rp_secret_placeholder_reason(const char *value, size_t len, const char *key,
                                         const regex_t *extra, size_t nextra)
{
	return placeholder(value, len, key, extra, nextra, true);
}

const char *rp_secret_template_text(const char *value, size_t len, const regex_t *extra,
                                    size_t nextra)
{
	return placeholder(value, len, NULL, extra, nextra, false);
}

double rp_secret_entropy_bits(const char *value, size_t len)
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

/* ------------------------------------------------------------- loading */

static char *read_secret_file(const char *file, const char *what, char **error, char **warning)
{
	char why[200];
	mode_t mode;
	char *v = rp_file_read(file, RP_SECRET_FILE_MAX, NULL, &mode, why, sizeof why);
	char *shown = rp_text_sanitize(file, strlen(file), 120);
	if (!v)
		*error = rp_xasprintf("cannot read the %s file %s: it %s", what, shown, why);
	else if (rp_file_readers(mode))
		*warning =
		        rp_xasprintf("the %s file %s is readable by %s (mode %04o); chmod 600 it",
		                     what, shown, rp_file_readers(mode), (unsigned)(mode & 07777));
	free(shown);
	return v;
}

static char *read_secret_env(const char *env, const char *what, char **error)
{
	const char *e = getenv(env);
	if (e)
		return rp_xstrdup(e);
	char *shown = rp_text_sanitize(env, strlen(env), 60);
	*error = rp_xasprintf("the %s variable %s is not set", what, shown);
	free(shown);
	return NULL;
}

char *rp_secret_read(const char *file, const char *env, const char *what, char **error,
                     char **warning)
{
	*error = NULL;
	*warning = NULL;
	char *v = file ? read_secret_file(file, what, error, warning)
	               : read_secret_env(env, what, error);
	if (v && !*v) {
		const char *from = file ? file : env;
		char *shown = rp_text_sanitize(from, strlen(from), 120);
		*error = rp_xasprintf("the %s from %s is empty", what, shown);
		free(shown);
		rp_secret_free(v);
		return NULL;
	}
	return v;
}

char *rp_secret_load(const char *file, const char *env, const char *what, char **error,
                     char **warning)
{
	char *v = rp_secret_read(file, env, what, error, warning);
	if (!v)
		return NULL;
	size_t line = strcspn(v, "\r\n");
	if (line == 0) {
		const char *from = file ? file : env;
		char *shown = rp_text_sanitize(from, strlen(from), 120);
		*error = rp_xasprintf("the %s from %s is empty on its first line", what, shown);
		free(shown);
		rp_secret_free(v);
		return NULL;
	}
	rp_secret_wipe(v + line, strlen(v + line));
	return v;
}

/* ------------------------------------------------------------- erasing */

void rp_secret_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

void rp_secret_free(char *s)
{
	if (!s)
		return;
	rp_secret_wipe(s, strlen(s));
	free(s);
}

bool rp_secret_header_name(const char *line, size_t len)
{
	static const char *const always[] = { "authorization", "proxy-authorization", "cookie",
		                              "set-cookie" };
	const char *colon = memchr(line, ':', len);
	size_t n = colon ? (size_t)(colon - line) : len;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)line[i]) && line[i] != '-' && line[i] != '_')
			return false; /* a request line, not a header */
	for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
		if (n == strlen(always[i]) && strncasecmp(line, always[i], n) == 0)
			return true;
	char *name = rp_xstrndup(line, n);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	bool secret = rp_secret_name(name);
	free(name);
	return secret;
}

/* ----------------------------------------------------------- redacting */

static bool secret_parameter(const char *name, size_t len)
{
	char *n = rp_xstrndup(name, len);
	bool secret = rp_secret_name(n) || rp_text_caseeq(n, "key") || rp_text_caseeq(n, "sig") ||
	              rp_text_caseeq(n, "signature");
	free(n);
	return secret;
}

static void redact_query(struct rp_buf *b, const char *p)
{
	while (*p) {
		size_t len = strcspn(p, "&#");
		const char *eq = memchr(p, '=', len);
		if (eq && secret_parameter(p, (size_t)(eq - p))) {
			rp_buf_append(b, p, (size_t)(eq - p) + 1);
			rp_buf_puts(b, "[redacted]");
		} else {
			rp_buf_append(b, p, len);
		}
		p += len;
		if (*p == '&' || *p == '#')
			rp_buf_putc(b, *p++);
	}
}

/* url[0..len) redacted into out, not sanitised. */
static void redact_url_into(struct rp_buf *out, const char *url, size_t len)
{
	char *u = rp_xstrndup(url, len);
	const char *scheme_end = strstr(u, "://");
	const char *host = scheme_end ? scheme_end + 3 : u;
	size_t authority = strcspn(host, "/?#");
	const char *at = scheme_end ? memchr(host, '@', authority) : NULL;
	rp_buf_append(out, u, (size_t)(host - u));
	const char *rest = at ? at + 1 : host;
	const char *q = strchr(rest, '?');
	if (!q) {
		rp_buf_puts(out, rest);
	} else {
		rp_buf_append(out, rest, (size_t)(q - rest) + 1);
		redact_query(out, q + 1);
	}
	free(u);
}

char *rp_secret_redact_url(const char *url, size_t max)
{
	struct rp_buf b;
	rp_buf_init(&b);
	redact_url_into(&b, url, strlen(url));
	char *clean = rp_text_sanitize(b.data, b.len, max);
	rp_buf_free(&b);
	return clean;
}

static bool scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

void rp_secret_redact_text(struct rp_buf *out, const char *text, size_t len)
{
	size_t done = 0;
	for (size_t i = 0; i + 3 <= len; i++) {
		if (memcmp(text + i, "://", 3) != 0)
			continue;
		size_t start = i;
		while (start > done && scheme_char(text[start - 1]))
			start--;
		if (start == i)
			continue; /* no scheme before it */
		size_t end = i + 3;
		while (end < len && !strchr(" \t\r\n'\"<>", text[end]))
			end++;
		rp_buf_append(out, text + done, start - done);
		redact_url_into(out, text + start, end - start);
		done = i = end;
	}
	rp_buf_append(out, text + done, len - done);
}

/* "--token=x", "PASSWORD=x": the name before '=' (dashes dropped) when it
 * is a secret's; its length, else 0. */
static size_t secret_assignment(const char *w)
{
	const char *name = w + strspn(w, "-");
	const char *eq = strchr(name, '=');
	if (!eq || eq == name || strstr(w, "://"))
		return 0;
	char *n = rp_xstrndup(name, (size_t)(eq - name));
	bool secret = rp_secret_name(n);
	free(n);
	return secret ? (size_t)(eq - w) + 1 : 0;
}

/* "--password", "--api-key": an option whose value is a secret. */
static bool secret_option(const char *w)
{
	return w[0] == '-' && w[1] == '-' && !strchr(w, '=') && rp_secret_name(w + 2);
}

/* "Authorization: Bearer x", "X-Api-Key:x": a header line whose value is a
 * secret; the length up to and with the ':', else 0. */
static size_t secret_header_word(const char *w)
{
	size_t n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	if (n == 0 || w[n] != ':' || strstr(w, "://") || !rp_secret_header_name(w, n))
		return 0;
	return n + 1;
}

static void redact_word(struct rp_buf *out, const char *w, bool value_is_secret)
{
	size_t keep;
	if (value_is_secret) {
		rp_buf_puts(out, "[redacted]");
	} else if (strstr(w, "://")) {
		char *r = rp_secret_redact_url(w, 1000);
		rp_text_shell_word(out, r);
		free(r);
	} else if ((keep = secret_assignment(w)) > 0 || (keep = secret_header_word(w)) > 0) {
		char *r = rp_xasprintf("%.*s%s[redacted]", (int)keep, w, w[keep] == ' ' ? " " : "");
		rp_text_shell_word(out, r);
		free(r);
	} else {
		rp_text_shell_word(out, w);
	}
}

void rp_secret_redact_command(struct rp_buf *out, const char *program, char *const *argv,
                              size_t argc)
{
	for (size_t i = 0; i < argc; i++) {
		if (i)
			rp_buf_putc(out, ' ');
		bool after_secret_option = i > 0 && secret_option(argv[i - 1]);
		redact_word(out, i == 0 && program ? program : argv[i], after_secret_option);
	}
}

void rp_secret_mask_values(struct rp_buf *text, char *const *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *secret = values[i];
		size_t len = strlen(secret);
		if (len < 4 || !text->len)
			continue;
		struct rp_buf out;
		rp_buf_init_secret(&out);
		const char *p = text->data, *end = text->data + text->len, *hit;
		while (p < end && (hit = memmem(p, (size_t)(end - p), secret, len)) != NULL) {
			rp_buf_append(&out, p, (size_t)(hit - p));
			rp_buf_puts(&out, "[redacted]");
			p = hit + len;
		}
		if (p == text->data) {
			rp_buf_free(&out);
			continue; /* not there: text unchanged */
		}
		rp_buf_append(&out, p, (size_t)(end - p));
		rp_secret_wipe(text->data, text->len);
		rp_buf_reset(text);
		rp_buf_append(text, out.data, out.len);
		rp_buf_free(&out);
	}
}

void rp_secret_clean_log(const char *raw, size_t len, char *const *values, size_t n, char **log,
                         char **error_line)
{
	struct rp_buf masked, text, clean;
	rp_buf_init_secret(&masked), rp_buf_init(&text), rp_buf_init(&clean);
	rp_buf_append(&masked, raw, len);
	rp_secret_mask_values(&masked, values, n);
	rp_secret_redact_text(&text, masked.data ? masked.data : "", masked.len);
	rp_buf_putc(&text, '\0');
	const char *line;
	size_t k;
	*error_line = NULL;
	if (rp_text_last_error_line(text.data, strlen(text.data), &line, &k))
		*error_line = rp_text_sanitize(line, k, 160);
	/* line by line: the log keeps its lines, each made safe */
	for (const char *p = text.data; *p;) {
		size_t l = strcspn(p, "\r\n");
		if (l) {
			rp_text_sanitize_into(&clean, p, l, 300);
			rp_buf_putc(&clean, '\n');
		}
		p += l;
		p += strspn(p, "\r\n");
	}
	*log = clean.len ? rp_buf_steal(&clean) : NULL;
	rp_buf_free(&clean);
	rp_secret_wipe(text.data, text.len);
	rp_buf_free(&text);
	rp_buf_free(&masked);
}
