/* rp_proto_redis.c: redis://: AUTH (when a password is given) and PING,
 * pipelined; NOAUTH, WRONGPASS and LOADING read as the server means them. */
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void resp_bulk(struct rp_buf *out, const char *s)
{
	rp_buf_printf(out, "$%zu\r\n", strlen(s));
	rp_buf_puts(out, s);
	rp_buf_puts(out, "\r\n");
}

void rp_proto_redis_request(struct rp_buf *out, const char *user, const char *password)
{
	if (password) {
		rp_buf_printf(out, "*%d\r\n", user ? 3 : 2);
		resp_bulk(out, "AUTH");
		if (user)
			resp_bulk(out, user);
		resp_bulk(out, password);
	}
	rp_buf_puts(out, "*1\r\n$4\r\nPING\r\n");
}

static enum rp_verdict redis_auth_reply(const char *l, size_t n, char *why, size_t whylen)
{
	if (rp_proto_starts(l, n, "+OK"))
		return RP_V_MORE;
	if (rp_proto_starts(l, n, "-WRONGPASS") || rp_proto_contains(l, n, "invalid password") ||
	    rp_proto_contains(l, n, "invalid username"))
		return rp_proto_say(RP_V_DOWN, why, whylen,
		                    "AUTH refused: wrong credentials: ", l + 1, n - 1);
	if (rp_proto_contains(l, n, "without any password configured") ||
	    rp_proto_contains(l, n, "no password is set"))
		return rp_proto_say(
		        RP_V_DEGRADED, why, whylen,
		        "a password was sent to a server that has none configured: ", l + 1, n - 1);
	return rp_proto_say(RP_V_DOWN, why, whylen, "AUTH failed: ", l, n);
}

static enum rp_verdict redis_ping_reply(const char *l, size_t n, char *why, size_t whylen)
{
	if (rp_proto_starts(l, n, "+PONG"))
		return rp_proto_say(RP_V_UP, why, whylen, "PONG", NULL, 0);
	if (rp_proto_starts(l, n, "-NOAUTH"))
		return rp_proto_say(
		        RP_V_DOWN, why, whylen,
		        "NOAUTH: password required but none configured (?password-env=VAR)", NULL,
		        0);
	if (rp_proto_starts(l, n, "-LOADING"))
		return rp_proto_say(RP_V_DEGRADED, why, whylen,
		                    "loading the dataset into memory: ", l + 1, n - 1);
	if (rp_proto_starts(l, n, "-MASTERDOWN") || rp_proto_starts(l, n, "-BUSY"))
		return rp_proto_say(RP_V_DEGRADED, why, whylen, "", l + 1, n - 1);
	if (n && l[0] == '-')
		return rp_proto_say(RP_V_DOWN, why, whylen, "PING refused: ", l + 1, n - 1);
	return rp_proto_say(RP_V_DOWN, why, whylen, "not a Redis reply: ", l, n);
}

enum rp_verdict rp_proto_redis_judge(const char *buf, size_t len, bool eof, bool authed, char *why,
                                     size_t whylen)
{
	size_t at = 0;
	enum rp_verdict degraded = RP_V_MORE;
	char degraded_why[RP_WHY_MAX] = "";
	for (int reply = authed ? 0 : 1; reply < 2; reply++) {
		if (at < len && buf[at] != '+' && buf[at] != '-')
			return rp_proto_say(RP_V_DOWN, why, whylen, "not a Redis reply: ", buf + at,
			                    len - at);
		size_t n, next;
		if (!rp_proto_line_at(buf + at, len - at, &n, &next))
			return eof ? rp_proto_say(RP_V_DOWN, why, whylen,
			                          "the connection closed before Redis answered",
			                          NULL, 0)
			           : RP_V_MORE;
		enum rp_verdict v = reply == 0 ? redis_auth_reply(buf + at, n, why, whylen)
		                               : redis_ping_reply(buf + at, n, why, whylen);
		if (v == RP_V_DOWN)
			return v;
		if (v == RP_V_DEGRADED && reply == 0) {
			degraded = v;
			snprintf(degraded_why, sizeof degraded_why, "%s", why);
		} else if (v != RP_V_MORE) {
			if (degraded == RP_V_DEGRADED && v == RP_V_UP) {
				snprintf(why, whylen, "%s", degraded_why);
				return RP_V_DEGRADED;
			}
			return v;
		}
		at += next;
	}
	return RP_V_MORE;
}

static void redis_request(struct rp_proto_conv *c, struct rp_buf *out)
{
	c->authed = c->password != NULL;
	rp_proto_redis_request(out, rp_uri_param(c->uri, "user"), c->password);
}

static enum rp_verdict redis_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                   bool eof, char *why, size_t whylen)
{
	return rp_proto_redis_judge(buf, len, eof, c->authed, why, whylen);
}

static bool redis_validate(const struct rp_uri *u, char *err, size_t errlen)
{
	if (rp_uri_param(u, "password-env") && rp_uri_param(u, "password-file")) {
		snprintf(err, errlen, "?password-env= or ?password-file=, not both");
		return false;
	}
	return true;
}

const struct rp_proto_handler rp_proto_redis = {
	.scheme = "redis",
	.default_port = 6379,
	.params = "password-env password-file user",
	.validate = redis_validate,
	.request = redis_request,
	.judge = redis_judge,
};
