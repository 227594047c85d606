/* rp_proto_tcp.c: tcp:// (a connect; with ?send= and ?expect=, a line
 * sent and a banner read) and tls:// (a connect and a TLS handshake). */
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum rp_verdict rp_proto_tcp_judge(const char *buf, size_t len, bool eof, const char *expect,
                                   char *why, size_t whylen)
{
	size_t n = strlen(expect);
	size_t shown = len, next;
	rp_proto_line_at(buf, len, &shown, &next);
	if (len >= n || memchr(buf, '\n', len) || eof) {
		if (len >= n && memcmp(buf, expect, n) == 0)
			return rp_proto_say(RP_V_UP, why, whylen, "banner ", buf, shown);
		if (len == 0)
			return rp_proto_say(RP_V_DOWN, why, whylen, "closed without a banner", NULL,
			                    0);
		char *e = rp_text_sanitize(expect, n, 40);
		char *b = rp_text_sanitize(buf, shown, 60);
		snprintf(why, whylen, "banner '%s', expected it to start with '%s'", b, e);
		free(e);
		free(b);
		return RP_V_DOWN;
	}
	return RP_V_MORE;
}

static void tcp_request(struct rp_proto_conv *c, struct rp_buf *out)
{
	const char *send = rp_uri_param(c->uri, "send");
	if (send)
		rp_buf_puts(out, send);
}

static bool tcp_expects_reply(const struct rp_proto_conv *c)
{
	return rp_uri_param(c->uri, "expect") != NULL;
}

static enum rp_verdict tcp_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                 bool eof, char *why, size_t whylen)
{
	return rp_proto_tcp_judge(buf, len, eof, rp_uri_param(c->uri, "expect"), why, whylen);
}

static bool tcp_validate(const struct rp_uri *u, char *err, size_t errlen)
{
	const char *expect = rp_uri_param(u, "expect");
	if (expect && !*expect) {
		snprintf(err, errlen, "?expect= needs the text a banner starts with");
		return false;
	}
	return true;
}

const struct rp_proto_handler rp_proto_tcp = {
	.scheme = "tcp",
	.params = "expect send",
	.validate = tcp_validate,
	.request = tcp_request,
	.expects_reply = tcp_expects_reply,
	.judge = tcp_judge,
};

/* The handshake is the whole probe. */
const struct rp_proto_handler rp_proto_tls = {
	.scheme = "tls",
	.tls = true,
	.params = "insecure cacert client-cert client-key client-key-pass-file client-key-pass-env",
};
