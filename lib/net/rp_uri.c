#include "rp_uri.h"
#include "rp_proto.h"
#include "rp_secret.h"
#include "rp_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 32

/* Percent-decodes s[0..len); NULL when an escape is broken or decodes to
 * a NUL byte. */
static char *decode(const char *s, size_t len)
{
	char *out = rp_xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			out[n++] = s[i];
			continue;
		}
		int hi = i + 1 < len ? rp_number_hex_digit(s[i + 1]) : -1;
		int lo = i + 2 < len ? rp_number_hex_digit(s[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		out[n++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[n] = '\0';
	return out;
}

static bool fail(struct rp_uri *u, char *err, size_t errlen, const char *text, const char *why)
{
	/* the URI as refused, with its credentials redacted */
	char *shown = rp_secret_redact_url(text, 80);
	snprintf(err, errlen, "'%s': %s", shown, why);
	free(shown);
	rp_uri_free(u);
	return false;
}

static bool parse_query(struct rp_uri *u, const char *q, const char *text, char *err, size_t errlen)
{
	while (*q) {
		size_t len = strcspn(q, "&");
		if (len > 0) {
			const char *eq = memchr(q, '=', len);
			if (!eq || eq == q)
				return fail(u, err, errlen, text, "a query is NAME=VALUE&...");
			if (u->nparams == MAX_PARAMS)
				return fail(u, err, errlen, text, "too many query parameters");
			char *name = decode(q, (size_t)(eq - q));
			char *value = decode(eq + 1, len - (size_t)(eq - q) - 1);
			if (!name || !value) {
				free(name);
				free(value);
				return fail(u, err, errlen, text, "a broken %-escape in the query");
			}
			u->params = rp_xreallocarray(u->params, u->nparams + 1, sizeof *u->params);
			u->params[u->nparams].name = name;
			u->params[u->nparams++].value = value;
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return true;
}

bool rp_uri_parse(const char *text, struct rp_uri *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof *u);
	const char *sep = strstr(text, "://");
	if (!sep || sep == text)
		return fail(u, err, errlen, text, "expected SCHEME://HOST:PORT");
	u->scheme = rp_xstrndup(text, (size_t)(sep - text));
	for (char *c = u->scheme; *c; c++) {
		if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-' && *c != '.')
			return fail(u, err, errlen, text, "a scheme is letters and digits");
		*c = (char)tolower((unsigned char)*c);
	}
	const struct rp_proto_handler *h = rp_proto_find(u->scheme);
	if (!h) {
		struct rp_buf b;
		rp_buf_init(&b);
		rp_buf_printf(&b, "unknown scheme %.20s; known:", u->scheme);
		for (size_t i = 0; rp_proto_handler_at(i); i++)
			rp_buf_printf(&b, " %s://", rp_proto_handler_at(i)->scheme);
		fail(u, err, errlen, text, b.data);
		rp_buf_free(&b);
		return false;
	}
	const char *p = sep + 3;
	size_t auth_len = strcspn(p, "/?#");
	if (memchr(p, '@', auth_len))
		return fail(u, err, errlen, text,
		            "no user@ in a URI: credentials come from ?password-env= or "
		            "?password-file=, user names from ?user=");
	if (p[auth_len] == '#')
		return fail(u, err, errlen, text, "no #fragment in a service URI");
	const char *host_end;
	if (*p == '[') {
		const char *close = memchr(p, ']', auth_len);
		if (!close || close == p + 1)
			return fail(u, err, errlen, text, "an IPv6 address is written [::1]");
		u->host = rp_xstrndup(p + 1, (size_t)(close - p - 1));
		host_end = close + 1;
	} else {
		host_end = p;
		while (host_end < p + auth_len && *host_end != ':')
			host_end++;
		u->host = rp_xstrndup(p, (size_t)(host_end - p));
	}
	if (!u->host[0])
		return fail(u, err, errlen, text, "the host is missing");
	for (const char *c = u->host; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr(".-_:%", *c))
			return fail(u, err, errlen, text, "the host has a character a host cannot");
	u->port = h->default_port;
	if (host_end < p + auth_len) {
		if (*host_end != ':')
			return fail(u, err, errlen, text, "expected ':PORT' after the host");
		size_t nl = (size_t)(p + auth_len - host_end - 1);
		if (!rp_number_parse_port(host_end + 1, nl, &u->port))
			return fail(u, err, errlen, text, "a port is 1 to 65535");
	}
	if (u->port == 0)
		return fail(u, err, errlen, text, "this scheme needs a :PORT");
	p += auth_len;
	if (strchr(p, '#'))
		return fail(u, err, errlen, text, "no #fragment in a service URI");
	size_t path_len = strcspn(p, "?");
	u->path = path_len ? rp_xstrndup(p, path_len) : rp_xstrdup("/");
	/* path and query go into a request line as they are: no byte that could
	 * end it (write %20, %0D%0A) */
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return fail(
			        u, err, errlen, text,
			        "a space or control byte in the path or query (percent-encode it)");
	if (p[path_len] == '?') {
		u->query = rp_xstrdup(p + path_len + 1);
		return parse_query(u, u->query, text, err, errlen);
	}
	return true;
}

void rp_uri_free(struct rp_uri *u)
{
	free(u->scheme);
	free(u->host);
	free(u->path);
	free(u->query);
	for (size_t i = 0; i < u->nparams; i++) {
		free(u->params[i].name);
		free(u->params[i].value);
	}
	free(u->params);
	memset(u, 0, sizeof *u);
}

const char *rp_uri_param(const struct rp_uri *u, const char *name)
{
	for (size_t i = 0; i < u->nparams; i++)
		if (strcmp(u->params[i].name, name) == 0)
			return u->params[i].value;
	return NULL;
}
