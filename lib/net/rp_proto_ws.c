/* rp_proto_ws.c: ws:// and wss://: a WebSocket upgrade (RFC 6455): 101,
 * Upgrade: websocket and the accept key computed from the key we sent. */
#include "config.h"

#include "rp_digest.h"
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

void rp_proto_ws_request(struct rp_buf *out, const char *host, int port, const char *path,
                         const char *key)
{
	bool v6 = strchr(host, ':') != NULL;
	rp_buf_printf(out,
	              "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\nUpgrade: websocket\r\n"
	              "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
	              "Sec-WebSocket-Version: 13\r\nUser-Agent: " RP_USER_AGENT "\r\n\r\n",
	              path, v6 ? "[" : "", host, v6 ? "]" : "", port, key);
}

/* The value of header name in the head buf[0..len), or NULL. */
static const char *header(const char *buf, size_t len, const char *name, size_t *vlen)
{
	size_t at = 0, n, next;
	bool first = true;
	while (at < len && rp_proto_line_at(buf + at, len - at, &n, &next)) {
		const char *l = buf + at;
		if (n == 0)
			break;
		if (!first && rp_proto_starts(l, n, name) && n > strlen(name) &&
		    l[strlen(name)] == ':') {
			const char *v = l + strlen(name) + 1;
			const char *end = l + n;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			*vlen = (size_t)(end - v);
			return v;
		}
		first = false;
		at += next;
	}
	return NULL;
}

static const char *end_of_head(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == '\n' && buf[i + 1] == '\n')
			return buf + i + 2;
		if (i + 3 < len && memcmp(buf + i, "\r\n\r\n", 4) == 0)
			return buf + i + 4;
	}
	return NULL;
}

enum rp_verdict rp_proto_ws_judge(const char *buf, size_t len, bool eof, const char *key, char *why,
                                  size_t whylen)
{
	long status;
	size_t llen;
	enum rp_verdict v;
	if (!rp_proto_http_status_line(buf, len, eof, &status, &llen, &v, why, whylen))
		return v;
	const char *sp = memchr(buf, ' ', llen);
	if (status != 101) {
		char *s = rp_text_sanitize(sp + 1, llen - (size_t)(sp + 1 - buf), 60);
		snprintf(why, whylen, "no 101 upgrade (HTTP %s)", s);
		free(s);
		return RP_V_DOWN;
	}
	const char *end = end_of_head(buf, len);
	if (!end)
		return eof ? rp_proto_say(RP_V_DOWN, why, whylen,
		                          "the upgrade response was cut short", NULL, 0)
		           : RP_V_MORE;
	size_t hl = (size_t)(end - buf), ul = 0, al = 0;
	const char *up = header(buf, hl, "Upgrade", &ul);
	if (!up || ul != 9 || strncasecmp(up, "websocket", 9) != 0)
		return rp_proto_say(RP_V_DOWN, why, whylen, "101 without Upgrade: websocket", NULL,
		                    0);
	char want[29];
	rp_proto_ws_accept(key, want);
	const char *acc = header(buf, hl, "Sec-WebSocket-Accept", &al);
	if (!acc)
		return rp_proto_say(RP_V_DOWN, why, whylen, "101 without Sec-WebSocket-Accept",
		                    NULL, 0);
	if (al != 28 || memcmp(acc, want, 28) != 0)
		return rp_proto_say(RP_V_DOWN, why, whylen,
		                    "101 with a wrong Sec-WebSocket-Accept: ", acc, al);
	return rp_proto_say(RP_V_UP, why, whylen, "101 Switching Protocols, accept key verified",
	                    NULL, 0);
}

void rp_proto_ws_accept(const char *key, char out[29])
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, key);
	rp_buf_puts(&b, guid);
	uint8_t d[20];
	rp_digest_sha1(b.data, b.len, d);
	rp_digest_base64(d, 20, out);
	rp_buf_free(&b);
}

/* A random key of 16 bytes, base64. */
static void ws_key(char out[25])
{
	uint8_t raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		for (size_t i = 0; i < sizeof raw; i++)
			raw[i] = (uint8_t)rand();
	rp_digest_base64(raw, sizeof raw, out);
}

static void ws_request(struct rp_proto_conv *c, struct rp_buf *out)
{
	ws_key(c->ws_key);
	rp_proto_ws_request(out, c->uri->host, c->uri->port, c->target, c->ws_key);
}

static enum rp_verdict ws_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                bool eof, char *why, size_t whylen)
{
	return rp_proto_ws_judge(buf, len, eof, c->ws_key, why, whylen);
}

const struct rp_proto_handler rp_proto_ws = {
	.scheme = "ws",
	.default_port = 80,
	.params = "*",
	.request = ws_request,
	.judge = ws_judge,
};

const struct rp_proto_handler rp_proto_wss = {
	.scheme = "wss",
	.default_port = 443,
	.tls = true,
	.params = "*",
	.request = ws_request,
	.judge = ws_judge,
};
