/* rp_proto.h: the protocols check_services speaks, one handler each.
 *
 * A handler (curl's Curl_handler is the model) names its scheme, its
 * default port, whether it runs over TLS, the query parameters it takes,
 * and its conversation as pure functions: the bytes to send first, and a
 * judge that reads the bytes received so far and says "need more", up,
 * degraded or down, with the reason in words (sanitised: peers are
 * untrusted). The probe engine (rp_net.h) does the I/O; a handler never
 * touches a socket. Each protocol is one file, rp_proto_NAME.c, and one
 * line in the table in rp_proto.c (docs/design.md, "Adding a protocol").
 *
 * Judges never read past len and never need a NUL terminator. */
#ifndef RP_PROTO_H
#define RP_PROTO_H

#include "rp_status.h"
#include "rp_uri.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rp_verdict {
	RP_V_MORE = -1, /* incomplete: read on */
	RP_V_UP = 0,
	RP_V_DEGRADED = 1, /* answers, but not fully usable yet (loading, starting) */
	RP_V_DOWN = 2,
};

#define RP_WHY_MAX 160

/* One conversation: what the plugin gives it, and what its request step
 * keeps for its judge. */
struct rp_proto_conv {
	const struct rp_uri *uri;
	const char *target;             /* PATH?QUERY for the server (http, ws) */
	const char *password;           /* loaded by the plugin, or NULL */
	struct rp_status_range *expect; /* http: ?expect=, set by the request step */
	size_t nexpect;
	bool authed;     /* redis: AUTH was sent */
	char ws_key[25]; /* ws: the key sent */
};

struct rp_proto_handler {
	const char *scheme;
	int default_port; /* 0: the URI must give one */
	bool tls;         /* the conversation runs inside TLS */
	/* The query parameters it takes, space separated; "*": any, and the
	 * query (less insecure=, cacert=, expect=) goes on to the server. */
	const char *params;
	/* Optional: more rules on the URI than params (false with err set). */
	bool (*validate)(const struct rp_uri *u, char *err, size_t errlen);
	/* Optional: the bytes to send once connected (NULL: the server speaks
	 * first, or connecting is the whole probe). */
	void (*request)(struct rp_proto_conv *c, struct rp_buf *out);
	/* Optional: whether this conversation waits for a reply; NULL: it
	 * does when there is a judge. */
	bool (*expects_reply)(const struct rp_proto_conv *c);
	/* NULL: the connection (and TLS handshake) is the whole probe. */
	enum rp_verdict (*judge)(const struct rp_proto_conv *c, const char *buf, size_t len,
	                         bool eof, char *why, size_t whylen);
};

/* The handler of a scheme (lower case), or NULL. */
const struct rp_proto_handler *rp_proto_find(const char *scheme);
/* The i-th handler in the table, NULL past the end. */
const struct rp_proto_handler *rp_proto_handler_at(size_t i);
/* Whether the conversation waits for a reply from the server. */
bool rp_proto_expects_reply(const struct rp_proto_handler *h, const struct rp_proto_conv *c);
/* Frees what the request step kept. */
void rp_proto_conv_free(struct rp_proto_conv *c);

extern const struct rp_proto_handler rp_proto_tcp, rp_proto_tls, rp_proto_http, rp_proto_https,
        rp_proto_redis, rp_proto_postgres, rp_proto_postgresql, rp_proto_ws, rp_proto_wss,
        rp_proto_smtp, rp_proto_mysql;

/* The conversations' pure parts, for the tests and the fuzzers. */

/* redis: AUTH (when password is not NULL; with user for ACLs) then PING,
 * as RESP arrays, pipelined; the judge expects the AUTH reply (when
 * authed) and the PING reply. */
void rp_proto_redis_request(struct rp_buf *out, const char *user, const char *password);
enum rp_verdict rp_proto_redis_judge(const char *buf, size_t len, bool eof, bool authed, char *why,
                                     size_t whylen);

/* postgres: a protocol 3.0 StartupMessage. Like pg_isready: an
 * authentication request, or any error but 57P03, means the server
 * accepts connections; 57P03 (starting up, shutting down, in recovery) is
 * degraded. */
void rp_proto_postgres_startup(struct rp_buf *out, const char *user, const char *database);
enum rp_verdict rp_proto_postgres_judge(const char *buf, size_t len, bool eof, char *why,
                                        size_t whylen);

/* http: a GET; up when the status is in ranges (n == 0: 200-399). */
void rp_proto_http_request(struct rp_buf *out, const char *host, int port, const char *path);
enum rp_verdict rp_proto_http_judge(const char *buf, size_t len, bool eof,
                                    const struct rp_status_range *ranges, size_t n, char *why,
                                    size_t whylen);
/* ws: key is 16 random bytes, base64 (24 characters). Up only on 101 with
 * Upgrade: websocket and the right Sec-WebSocket-Accept. */
void rp_proto_ws_request(struct rp_buf *out, const char *host, int port, const char *path,
                         const char *key);
enum rp_verdict rp_proto_ws_judge(const char *buf, size_t len, bool eof, const char *key, char *why,
                                  size_t whylen);
/* base64(SHA-1(key + the RFC 6455 GUID)), 28 characters and a NUL. */
void rp_proto_ws_accept(const char *key, char out[29]);

/* tcp: the peer's first bytes must start with expect (?expect=). */
enum rp_verdict rp_proto_tcp_judge(const char *buf, size_t len, bool eof, const char *expect,
                                   char *why, size_t whylen);
/* smtp: a 220 greeting is up; 4xx/5xx (554 no service) is down. */
enum rp_verdict rp_proto_smtp_judge(const char *buf, size_t len, bool eof, char *why,
                                    size_t whylen);
/* mysql: the server's handshake packet (protocol 10) is up; an error
 * packet (too many connections, host blocked) is down. */
enum rp_verdict rp_proto_mysql_judge(const char *buf, size_t len, bool eof, char *why,
                                     size_t whylen);

#endif
