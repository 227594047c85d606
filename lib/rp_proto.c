#include "rp_proto.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "what" followed by a sanitised excerpt of peer text */
static enum rp_verdict say(enum rp_verdict v, char *why, size_t whylen, const char *what,
                           const char *text, size_t len)
{
	if (text) {
		char *c = rp_sanitize(text, len, 80);
		snprintf(why, whylen, "%s%s", what, c);
		free(c);
	} else {
		snprintf(why, whylen, "%s", what);
	}
	return v;
}

/* The length of the line at buf (without CR LF) when it is complete. */
static bool line_at(const char *buf, size_t len, size_t *line_len, size_t *next)
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

static bool starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static bool contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------- statuses */

bool rp_parse_statuses(const char *text, struct rp_status_range **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const char *p = text;
	for (;;) {
		size_t len = strcspn(p, ",");
		char part[32];
		if (len == 0 || len >= sizeof part)
			goto bad;
		memcpy(part, p, len);
		part[len] = '\0';
		char *dash = strchr(part, '-');
		long long lo, hi;
		if (dash) {
			*dash = '\0';
			if (!rp_parse_ll(part, &lo) || !rp_parse_ll(dash + 1, &hi))
				goto bad;
		} else {
			if (!rp_parse_ll(part, &lo))
				goto bad;
			hi = lo;
		}
		if (lo < 100 || hi > 599 || lo > hi)
			goto bad;
		*out = rp_xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].lo = (long)lo;
		(*out)[*n].hi = (long)hi;
		(*n)++;
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
bad:
	free(*out);
	*out = NULL;
	*n = 0;
	return false;
}

bool rp_status_in(const struct rp_status_range *r, size_t n, long status, long lo, long hi)
{
	if (n == 0)
		return status >= lo && status <= hi;
	for (size_t i = 0; i < n; i++)
		if (status >= r[i].lo && status <= r[i].hi)
			return true;
	return false;
}

/* ---------------------------------------------------------------- Redis */

static void resp_bulk(struct rp_buf *out, const char *s)
{
	rp_buf_printf(out, "$%zu\r\n", strlen(s));
	rp_buf_puts(out, s);
	rp_buf_puts(out, "\r\n");
}

void rp_redis_request(struct rp_buf *out, const char *user, const char *password)
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
	if (starts(l, n, "+OK"))
		return RP_V_MORE;
	if (starts(l, n, "-WRONGPASS") || contains(l, n, "invalid password") ||
	    contains(l, n, "invalid username"))
		return say(RP_V_DOWN, why, whylen, "AUTH refused: wrong credentials: ", l + 1,
		           n - 1);
	if (contains(l, n, "without any password configured") ||
	    contains(l, n, "no password is set"))
		return say(RP_V_DEGRADED, why, whylen,
		           "a password was sent to a server that has none configured: ", l + 1,
		           n - 1);
	return say(RP_V_DOWN, why, whylen, "AUTH failed: ", l, n);
}

static enum rp_verdict redis_ping_reply(const char *l, size_t n, char *why, size_t whylen)
{
	if (starts(l, n, "+PONG"))
		return say(RP_V_UP, why, whylen, "PONG", NULL, 0);
	if (starts(l, n, "-NOAUTH"))
		return say(RP_V_DOWN, why, whylen,
		           "NOAUTH: password required but none configured (?password-env=VAR)",
		           NULL, 0);
	if (starts(l, n, "-LOADING"))
		return say(RP_V_DEGRADED, why, whylen, "loading the dataset into memory: ", l + 1,
		           n - 1);
	if (starts(l, n, "-MASTERDOWN") || starts(l, n, "-BUSY"))
		return say(RP_V_DEGRADED, why, whylen, "", l + 1, n - 1);
	if (n && l[0] == '-')
		return say(RP_V_DOWN, why, whylen, "PING refused: ", l + 1, n - 1);
	return say(RP_V_DOWN, why, whylen, "not a Redis reply: ", l, n);
}

enum rp_verdict rp_redis_judge(const char *buf, size_t len, bool eof, bool authed, char *why,
                               size_t whylen)
{
	size_t at = 0;
	enum rp_verdict degraded = RP_V_MORE;
	char degraded_why[RP_WHY_MAX] = "";
	for (int reply = authed ? 0 : 1; reply < 2; reply++) {
		if (at < len && buf[at] != '+' && buf[at] != '-')
			return say(RP_V_DOWN, why, whylen, "not a Redis reply: ", buf + at,
			           len - at);
		size_t n, next;
		if (!line_at(buf + at, len - at, &n, &next))
			return eof ? say(RP_V_DOWN, why, whylen,
			                 "the connection closed before Redis answered", NULL, 0)
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

/* ------------------------------------------------------------- Postgres */

static void put32(struct rp_buf *out, uint32_t v)
{
	char b[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };
	rp_buf_append(out, b, 4);
}

static uint32_t get32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

void rp_pg_startup(struct rp_buf *out, const char *user, const char *database)
{
	struct rp_buf body;
	rp_buf_init(&body);
	put32(&body, 196608); /* protocol 3.0 */
	rp_buf_append(&body, "user", 5);
	rp_buf_append(&body, user, strlen(user) + 1);
	rp_buf_append(&body, "database", 9);
	rp_buf_append(&body, database, strlen(database) + 1);
	rp_buf_append(&body, "application_name", 17);
	rp_buf_append(&body, "check_services", 15);
	rp_buf_putc(&body, '\0');
	put32(out, (uint32_t)body.len + 4);
	rp_buf_append(out, body.data, body.len);
	rp_buf_free(&body);
}

/* The value of an ErrorResponse field ('C' SQLSTATE, 'M' message). */
static const char *pg_field(const char *msg, size_t len, char code, size_t *flen)
{
	size_t i = 0;
	while (i < len && msg[i]) {
		char c = msg[i++];
		const char *v = msg + i;
		const char *end = memchr(v, '\0', len - i);
		if (!end)
			return NULL;
		if (c == code) {
			*flen = (size_t)(end - v);
			return v;
		}
		i += (size_t)(end - v) + 1;
	}
	return NULL;
}

enum rp_verdict rp_pg_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen)
{
	if (len >= 1 && buf[0] != 'R' && buf[0] != 'E' && buf[0] != 'N')
		return say(RP_V_DOWN, why, whylen, "not PostgreSQL: ", buf, len);
	if (len < 5)
		return eof ? say(RP_V_DOWN, why, whylen,
		                 "the connection closed before PostgreSQL answered", NULL, 0)
		           : RP_V_MORE;
	uint32_t mlen = get32(buf + 1);
	if (mlen < 4 || mlen > 16384)
		return say(RP_V_DOWN, why, whylen, "not PostgreSQL: a message length of ", NULL, 0);
	if (buf[0] == 'R')
		return say(RP_V_UP, why, whylen, "accepting connections (authentication requested)",
		           NULL, 0);
	if (len < mlen + 1)
		return eof ? say(RP_V_DOWN, why, whylen, "the reply was cut short", NULL, 0)
		           : RP_V_MORE;
	size_t cl = 0, ml = 0;
	const char *code = pg_field(buf + 5, mlen - 4, 'C', &cl);
	const char *msg = pg_field(buf + 5, mlen - 4, 'M', &ml);
	char *m = rp_sanitize(msg ? msg : "", msg ? ml : 0, 100);
	char *c = rp_sanitize(code ? code : "?", code ? cl : 1, 8);
	enum rp_verdict v;
	if (buf[0] == 'N') {
		v = RP_V_MORE; /* a notice before the answer: read on */
		if (len > mlen + 1) {
			free(m);
			free(c);
			return rp_pg_judge(buf + mlen + 1, len - mlen - 1, eof, why, whylen);
		}
	} else if (code && cl == 5 && memcmp(code, "57P03", 5) == 0) {
		snprintf(why, whylen, "not accepting connections yet: %s (SQLSTATE 57P03)", m);
		v = RP_V_DEGRADED;
	} else {
		/* pg_isready's view: the server answered, so it accepts */
		snprintf(why, whylen, "accepting connections (it answered: %s, SQLSTATE %s)", m, c);
		v = RP_V_UP;
	}
	free(m);
	free(c);
	return v;
}

/* --------------------------------------------------------- HTTP and WS */

void rp_http_get(struct rp_buf *out, const char *host, int port, const char *path)
{
	bool v6 = strchr(host, ':') != NULL;
	rp_buf_printf(out,
	              "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\nUser-Agent: readiness-plugins "
	              "check_services\r\nAccept: */*\r\nConnection: close\r\n\r\n",
	              path, v6 ? "[" : "", host, v6 ? "]" : "", port);
}

/* "HTTP/1.1 200 OK": the status, and the line for messages. */
static bool status_line(const char *buf, size_t len, bool eof, long *status, size_t *llen,
                        enum rp_verdict *v, char *why, size_t whylen)
{
	if (len >= 5 && strncmp(buf, "HTTP/", 5) != 0) {
		*v = say(RP_V_DOWN, why, whylen, "not HTTP: ", buf, len);
		return false;
	}
	size_t next;
	if (!line_at(buf, len, llen, &next)) {
		*v = eof ? say(RP_V_DOWN, why, whylen, "the connection closed before a status line",
		               NULL, 0)
		         : RP_V_MORE;
		return false;
	}
	const char *sp = memchr(buf, ' ', *llen);
	char num[4] = "";
	if (sp && (size_t)(sp - buf) + 4 <= *llen)
		memcpy(num, sp + 1, 3);
	long long s;
	if (!rp_parse_ll(num, &s) || s < 100 || s > 599) {
		*v = say(RP_V_DOWN, why, whylen, "not an HTTP status line: ", buf, *llen);
		return false;
	}
	*status = (long)s;
	return true;
}

enum rp_verdict rp_http_judge(const char *buf, size_t len, bool eof,
                              const struct rp_status_range *ranges, size_t n, char *why,
                              size_t whylen)
{
	long status;
	size_t llen;
	enum rp_verdict v;
	if (!status_line(buf, len, eof, &status, &llen, &v, why, whylen))
		return v;
	bool ok = rp_status_in(ranges, n, status, 200, 399);
	const char *sp = memchr(buf, ' ', llen);
	return say(ok ? RP_V_UP : RP_V_DOWN, why, whylen, "HTTP ", sp + 1,
	           llen - (size_t)(sp + 1 - buf));
}

void rp_ws_request(struct rp_buf *out, const char *host, int port, const char *path,
                   const char *key)
{
	bool v6 = strchr(host, ':') != NULL;
	rp_buf_printf(
	        out,
	        "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\nUpgrade: websocket\r\n"
	        "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
	        "Sec-WebSocket-Version: 13\r\nUser-Agent: readiness-plugins check_services\r\n\r\n",
	        path, v6 ? "[" : "", host, v6 ? "]" : "", port, key);
}

/* The value of header name in the head buf[0..len), or NULL. */
static const char *header(const char *buf, size_t len, const char *name, size_t *vlen)
{
	size_t at = 0, n, next;
	bool first = true;
	while (at < len && line_at(buf + at, len - at, &n, &next)) {
		const char *l = buf + at;
		if (n == 0)
			break;
		if (!first && starts(l, n, name) && n > strlen(name) && l[strlen(name)] == ':') {
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

enum rp_verdict rp_ws_judge(const char *buf, size_t len, bool eof, const char *key, char *why,
                            size_t whylen)
{
	long status;
	size_t llen;
	enum rp_verdict v;
	if (!status_line(buf, len, eof, &status, &llen, &v, why, whylen))
		return v;
	const char *sp = memchr(buf, ' ', llen);
	if (status != 101) {
		char *s = rp_sanitize(sp + 1, llen - (size_t)(sp + 1 - buf), 60);
		snprintf(why, whylen, "no 101 upgrade (HTTP %s)", s);
		free(s);
		return RP_V_DOWN;
	}
	const char *end = end_of_head(buf, len);
	if (!end)
		return eof ? say(RP_V_DOWN, why, whylen, "the upgrade response was cut short", NULL,
		                 0)
		           : RP_V_MORE;
	size_t hl = (size_t)(end - buf), ul = 0, al = 0;
	const char *up = header(buf, hl, "Upgrade", &ul);
	if (!up || ul != 9 || strncasecmp(up, "websocket", 9) != 0)
		return say(RP_V_DOWN, why, whylen, "101 without Upgrade: websocket", NULL, 0);
	char want[29];
	rp_ws_accept(key, want);
	const char *acc = header(buf, hl, "Sec-WebSocket-Accept", &al);
	if (!acc)
		return say(RP_V_DOWN, why, whylen, "101 without Sec-WebSocket-Accept", NULL, 0);
	if (al != 28 || memcmp(acc, want, 28) != 0)
		return say(RP_V_DOWN, why, whylen, "101 with a wrong Sec-WebSocket-Accept: ", acc,
		           al);
	return say(RP_V_UP, why, whylen, "101 Switching Protocols, accept key verified", NULL, 0);
}

/* ----------------------------------------------------- banners, SMTP, MySQL */

enum rp_verdict rp_banner_judge(const char *buf, size_t len, bool eof, const char *expect,
                                char *why, size_t whylen)
{
	size_t n = strlen(expect);
	size_t shown = len, next;
	line_at(buf, len, &shown, &next);
	if (len >= n || memchr(buf, '\n', len) || eof) {
		if (len >= n && memcmp(buf, expect, n) == 0)
			return say(RP_V_UP, why, whylen, "banner ", buf, shown);
		if (len == 0)
			return say(RP_V_DOWN, why, whylen, "closed without a banner", NULL, 0);
		char *e = rp_sanitize(expect, n, 40);
		char *b = rp_sanitize(buf, shown, 60);
		snprintf(why, whylen, "banner '%s', expected it to start with '%s'", b, e);
		free(e);
		free(b);
		return RP_V_DOWN;
	}
	return RP_V_MORE;
}

enum rp_verdict rp_smtp_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen)
{
	size_t n, next;
	if (!line_at(buf, len, &n, &next)) {
		if (len >= 4 && !(buf[0] >= '1' && buf[0] <= '5'))
			return say(RP_V_DOWN, why, whylen, "not SMTP: ", buf, len);
		return eof ? say(RP_V_DOWN, why, whylen, "closed without a greeting", NULL, 0)
		           : RP_V_MORE;
	}
	if (starts(buf, n, "220"))
		return say(RP_V_UP, why, whylen, "", buf, n);
	if (n >= 3 && (buf[0] == '4' || buf[0] == '5'))
		return say(RP_V_DOWN, why, whylen, "refuses service: ", buf, n);
	return say(RP_V_DOWN, why, whylen, "not an SMTP greeting: ", buf, n);
}

enum rp_verdict rp_mysql_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen)
{
	if (len < 5)
		return eof ? say(RP_V_DOWN, why, whylen, "closed without a handshake", NULL, 0)
		           : RP_V_MORE;
	const unsigned char *u = (const unsigned char *)buf;
	size_t plen = (size_t)u[0] | (size_t)u[1] << 8 | (size_t)u[2] << 16;
	if (plen == 0 || plen > 4096 || u[3] != 0)
		return say(RP_V_DOWN, why, whylen, "not MySQL: ", buf, len);
	if (u[4] == 10) {
		const char *ver = buf + 5;
		size_t avail = len - 5;
		const char *nul = memchr(ver, '\0', avail < plen - 1 ? avail : plen - 1);
		if (!nul)
			return eof ? say(RP_V_DOWN, why, whylen, "the handshake was cut short",
			                 NULL, 0)
			           : RP_V_MORE;
		return say(RP_V_UP, why, whylen, "handshake, server ", ver, (size_t)(nul - ver));
	}
	if (u[4] == 0xff) {
		if (len < plen + 4)
			return eof ? say(RP_V_DOWN, why, whylen, "the error was cut short", NULL, 0)
			           : RP_V_MORE;
		size_t skip = plen >= 9 && buf[7] == '#' ? 9 : 3; /* code, then #SQLSTATE */
		if (skip > plen)
			skip = plen;
		return say(RP_V_DOWN, why, whylen, "refused: ", buf + 4 + skip, plen - skip);
	}
	return say(RP_V_DOWN, why, whylen, "not a MySQL handshake", NULL, 0);
}

/* ------------------------------------------------------------ digests */

/* SHA-1 of our own: a ws:// probe then costs no libcrypto load, and the
 * digest is only a handshake check (RFC 6455), not security. */
static uint32_t rol(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5A827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ED9EBA1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
		else
			f = b ^ c ^ d, k = 0xCA62C1D6;
		uint32_t t = rol(a, 5) + f + e + k + w[i];
		e = d, d = c, c = rol(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

void rp_sha1(const void *data, size_t len, uint8_t out[20])
{
	uint32_t h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
	const uint8_t *p = data;
	size_t full = len / 64 * 64;
	for (size_t i = 0; i < full; i += 64)
		sha1_block(h, p + i);
	uint8_t tail[128] = { 0 };
	size_t rest = len - full;
	memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	size_t tl = rest + 9 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (size_t i = 0; i < tl; i += 64)
		sha1_block(h, tail + i);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

void rp_base64(const uint8_t *data, size_t len, char *out)
{
	static const char tab[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

void rp_ws_accept(const char *key, char out[29])
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, key);
	rp_buf_puts(&b, guid);
	uint8_t d[20];
	rp_sha1(b.data, b.len, d);
	rp_base64(d, 20, out);
	rp_buf_free(&b);
}
