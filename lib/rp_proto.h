/* rp_proto.h: the small protocol conversations of check_services, as pure
 * functions: a request builder per protocol, and a judge that reads the
 * bytes received so far and says "need more", up, degraded or down, with
 * the reason in words (sanitised: peers are untrusted).
 *
 * Judges never read past len and never need a NUL terminator. */
#ifndef RP_PROTO_H
#define RP_PROTO_H

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

/* HTTP statuses: "200,204" or "200-299,304" (100-599). */
struct rp_status_range {
	long lo, hi;
};
bool rp_parse_statuses(const char *text, struct rp_status_range **out, size_t *n);
/* status within one of the n ranges, or within [lo, hi] when n is 0 */
bool rp_status_in(const struct rp_status_range *r, size_t n, long status, long lo, long hi);

/* ------------------------------------------------------------- Redis */
/* AUTH (when password is not NULL; with user for ACLs) then PING, as RESP
 * arrays, pipelined. */
void rp_redis_request(struct rp_buf *out, const char *user, const char *password);
/* Expects the AUTH reply (when authed) and the PING reply. */
enum rp_verdict rp_redis_judge(const char *buf, size_t len, bool eof, bool authed, char *why,
                               size_t whylen);

/* ---------------------------------------------------------- Postgres */
/* A protocol 3.0 StartupMessage for user and database. */
void rp_pg_startup(struct rp_buf *out, const char *user, const char *database);
/* Like pg_isready: an authentication request, or any error but 57P03,
 * means the server accepts connections; 57P03 (starting up, shutting
 * down, in recovery) is degraded. */
enum rp_verdict rp_pg_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen);

/* -------------------------------------------------- HTTP, WebSocket */
void rp_http_get(struct rp_buf *out, const char *host, int port, const char *path);
/* The status line: up when the status is in ranges (n == 0: 200-399). */
enum rp_verdict rp_http_judge(const char *buf, size_t len, bool eof,
                              const struct rp_status_range *ranges, size_t n, char *why,
                              size_t whylen);
/* key: 16 random bytes, base64 (24 characters). */
void rp_ws_request(struct rp_buf *out, const char *host, int port, const char *path,
                   const char *key);
/* Up only on 101 with Upgrade: websocket and the right Sec-WebSocket-Accept. */
enum rp_verdict rp_ws_judge(const char *buf, size_t len, bool eof, const char *key, char *why,
                            size_t whylen);
/* base64(SHA-1(key + the RFC 6455 GUID)), 28 characters and a NUL. */
void rp_ws_accept(const char *key, char out[29]);

/* ---------------------------------------------------- banners, SMTP */
/* The peer's first bytes must start with expect (tcp://?expect=). */
enum rp_verdict rp_banner_judge(const char *buf, size_t len, bool eof, const char *expect,
                                char *why, size_t whylen);
/* A 220 greeting is up; 4xx/5xx (554 no service) is down, with the text. */
enum rp_verdict rp_smtp_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen);
/* MySQL/MariaDB: the server's handshake packet (protocol 10) is up; an
 * error packet (too many connections, host blocked) is down. */
enum rp_verdict rp_mysql_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen);

/* ------------------------------------------------------------ digests */
void rp_sha1(const void *data, size_t len, uint8_t out[20]);
/* Standard base64 with padding; out holds 4 * ceil(len / 3) + 1 bytes. */
void rp_base64(const uint8_t *data, size_t len, char *out);

#endif
