/* rp_proto.c: the protocol handlers, and what their files share. One file
 * a protocol (rp_proto_NAME.c) defines its handler; this table lists them.
 * Adding a protocol: docs/design.md, "Adding a protocol". */
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct rp_proto_handler *const handlers[] = {
	&rp_proto_tcp,   &rp_proto_tls,      &rp_proto_http,       &rp_proto_https,
	&rp_proto_redis, &rp_proto_postgres, &rp_proto_postgresql, &rp_proto_ws,
	&rp_proto_wss,   &rp_proto_smtp,     &rp_proto_mysql,      NULL,
};

const struct rp_proto_handler *rp_proto_find(const char *scheme)
{
	for (size_t i = 0; handlers[i]; i++)
		if (strcmp(handlers[i]->scheme, scheme) == 0)
			return handlers[i];
	return NULL;
}

const struct rp_proto_handler *rp_proto_handler_at(size_t i)
{
	return i < sizeof handlers / sizeof handlers[0] ? handlers[i] : NULL;
}

bool rp_proto_expects_reply(const struct rp_proto_handler *h, const struct rp_proto_conv *c)
{
	if (!h->judge)
		return false;
	return h->expects_reply ? h->expects_reply(c) : true;
}

void rp_proto_conv_free(struct rp_proto_conv *c)
{
	free(c->expect);
	c->expect = NULL;
	c->nexpect = 0;
}

/* "what" followed by a sanitised excerpt of peer text */
enum rp_verdict rp_proto_say(enum rp_verdict v, char *why, size_t whylen, const char *what,
                             const char *text, size_t len)
{
	if (text) {
		char *c = rp_text_sanitize(text, len, 80);
		snprintf(why, whylen, "%s%s", what, c);
		free(c);
	} else {
		snprintf(why, whylen, "%s", what);
	}
	return v;
}

/* The length of the line at buf (without CR LF) when it is complete. */
bool rp_proto_line_at(const char *buf, size_t len, size_t *line_len, size_t *next)
{
	const char *nl = memchr(buf, '\n', len);
	if (!nl)
		return false;
	size_t l = (size_t)(nl - buf);
	*next = l + 1;
	if (l && buf[l - 1] == '\r')
		l--;
	*line_len = l;
	return true;
}

bool rp_proto_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && strncasecmp(s, prefix, n) == 0;
}

bool rp_proto_contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return true;
	return false;
}
