/* rp_proto_http.c: http:// and https://: a GET and its status line. */
#include "config.h"

#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rp_status.h"

void rp_proto_http_request(struct rp_buf *out, const char *host, int port, const char *path)
{
	bool v6 = strchr(host, ':') != NULL;
	rp_buf_printf(out,
	              "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\nUser-Agent: " RP_USER_AGENT
	              "\r\nAccept: */*\r\nConnection: close\r\n\r\n",
	              path, v6 ? "[" : "", host, v6 ? "]" : "", port);
}

/* "HTTP/1.1 200 OK": the status, and the line for messages. */
bool rp_proto_http_status_line(const char *buf, size_t len, bool eof, long *status, size_t *llen,
                               enum rp_verdict *v, char *why, size_t whylen)
{
	if (len >= 5 && strncmp(buf, "HTTP/", 5) != 0) {
		*v = rp_proto_say(RP_V_DOWN, why, whylen, "not HTTP: ", buf, len);
		return false;
	}
	size_t next;
	if (!rp_proto_line_at(buf, len, llen, &next)) {
		*v = eof ? rp_proto_say(RP_V_DOWN, why, whylen,
		                        "the connection closed before a status line", NULL, 0)
		         : RP_V_MORE;
		return false;
	}
	const char *sp = memchr(buf, ' ', *llen);
	char num[4] = "";
	if (sp && (size_t)(sp - buf) + 4 <= *llen)
		memcpy(num, sp + 1, 3);
	long long s;
	if (!rp_number_parse_ll(num, &s) || s < 100 || s > 599) {
		*v = rp_proto_say(RP_V_DOWN, why, whylen, "not an HTTP status line: ", buf, *llen);
		return false;
	}
	*status = (long)s;
	return true;
}

enum rp_verdict rp_proto_http_judge(const char *buf, size_t len, bool eof,
                                    const struct rp_status_range *ranges, size_t n, char *why,
                                    size_t whylen)
{
	long status;
	size_t llen;
	enum rp_verdict v;
	if (!rp_proto_http_status_line(buf, len, eof, &status, &llen, &v, why, whylen))
		return v;
	bool ok = rp_status_in(ranges, n, status, 200, 399);
	const char *sp = memchr(buf, ' ', llen);
	return rp_proto_say(ok ? RP_V_UP : RP_V_DOWN, why, whylen, "HTTP ", sp + 1,
	                    llen - (size_t)(sp + 1 - buf));
}

static void http_request(struct rp_proto_conv *c, struct rp_buf *out)
{
	const char *expect = rp_uri_param(c->uri, "expect");
	if (expect) /* validated with the URI */
		rp_status_parse(expect, &c->expect, &c->nexpect);
	rp_proto_http_request(out, c->uri->host, c->uri->port, c->target);
}

static enum rp_verdict http_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                  bool eof, char *why, size_t whylen)
{
	return rp_proto_http_judge(buf, len, eof, c->expect, c->nexpect, why, whylen);
}

static bool http_validate(const struct rp_uri *u, char *err, size_t errlen)
{
	const char *expect = rp_uri_param(u, "expect");
	struct rp_status_range *r = NULL;
	size_t n = 0;
	if (expect && !rp_status_parse(expect, &r, &n)) {
		snprintf(err, errlen, "?expect= takes statuses like 200,204 or 200-299");
		return false;
	}
	free(r);
	return true;
}

const struct rp_proto_handler rp_proto_http = {
	.scheme = "http",
	.default_port = 80,
	.params = "*",
	.validate = http_validate,
	.request = http_request,
	.judge = http_judge,
};

const struct rp_proto_handler rp_proto_https = {
	.scheme = "https",
	.default_port = 443,
	.tls = true,
	.params = "*",
	.validate = http_validate,
	.request = http_request,
	.judge = http_judge,
};
