/* The protocol judges and request builders of check_services, and the
 * service URI parser: byte by byte, including replies no test server
 * gives on demand (LOADING, 57P03, MySQL errors). */
#include "rp_digest.h"
#include "rp_proto.h"
#include "rp_test.h"
#include "rp_uri.h"

#include <stdio.h>
#include <string.h>

#define WHY 200

/* Judges text fed one byte at a time: every prefix must say MORE, the
 * whole must give want. */
typedef enum rp_verdict (*judge_fn)(const char *buf, size_t len, bool eof, const void *arg,
                                    char *why, size_t whylen);

static enum rp_verdict redis_noauth(const char *b, size_t l, bool e, const void *a, char *w,
                                    size_t wl)
{
	(void)a;
	return rp_proto_redis_judge(b, l, e, false, w, wl);
}

static enum rp_verdict redis_auth(const char *b, size_t l, bool e, const void *a, char *w,
                                  size_t wl)
{
	(void)a;
	return rp_proto_redis_judge(b, l, e, true, w, wl);
}

static enum rp_verdict pg(const char *b, size_t l, bool e, const void *a, char *w, size_t wl)
{
	(void)a;
	return rp_proto_postgres_judge(b, l, e, w, wl);
}

static void incremental(judge_fn f, const char *text, size_t len, enum rp_verdict want,
                        const char *why_has)
{
	char why[WHY];
	for (size_t i = 0; i < len; i++) {
		enum rp_verdict v = f(text, i, false, NULL, why, sizeof why);
		if (v != RP_V_MORE) {
			/* an early verdict must be the final one */
			ck_assert_msg(v == want, "prefix %zu: %d (%s)", i, v, why);
			ck_assert_msg(strstr(why, why_has) != NULL, "'%s' lacks '%s'", why,
			              why_has);
			return;
		}
	}
	enum rp_verdict v = f(text, len, false, NULL, why, sizeof why);
	ck_assert_msg(v == want, "verdict %d, want %d (%s)", v, want, why);
	ck_assert_msg(strstr(why, why_has) != NULL, "'%s' lacks '%s'", why, why_has);
}

START_TEST(test_redis)
{
	incremental(redis_noauth, "+PONG\r\n", 7, RP_V_UP, "PONG");
	incremental(redis_noauth, "-NOAUTH Authentication required.\r\n", 34, RP_V_DOWN,
	            "NOAUTH: password required but none configured");
	incremental(redis_noauth, "-LOADING Redis is loading the dataset in memory\r\n", 49,
	            RP_V_DEGRADED, "loading the dataset");
	incremental(redis_auth, "+OK\r\n+PONG\r\n", 12, RP_V_UP, "PONG");
	incremental(redis_auth,
	            "-WRONGPASS invalid username-password pair or user is disabled.\r\n", 64,
	            RP_V_DOWN, "wrong credentials");
	const char *none =
	        "-ERR AUTH <password> called without any password configured for "
	        "the default user. Are you sure your configuration is correct?\r\n+PONG\r\n";
	incremental(redis_auth, none, strlen(none), RP_V_DEGRADED,
	            "a password was sent to a server that has none configured");
	incremental(redis_noauth, "HTTP/1.1 400\r\n", 14, RP_V_DOWN, "not a Redis reply");
	char why[WHY];
	ck_assert_int_eq(rp_proto_redis_judge("+PO", 3, true, false, why, sizeof why), RP_V_DOWN);
	ck_assert(strstr(why, "closed") != NULL);
	struct rp_buf b;
	rp_buf_init(&b);
	rp_proto_redis_request(&b, "ops", "pw");
	ck_assert_str_eq(b.data,
	                 "*3\r\n$4\r\nAUTH\r\n$3\r\nops\r\n$2\r\npw\r\n*1\r\n$4\r\nPING\r\n");
	rp_buf_free(&b);
}
END_TEST

/* A backend message: type, length, fields */
static size_t pg_msg(char *out, char type, const char *fields, size_t flen)
{
	uint32_t len = (uint32_t)flen + 4;
	out[0] = type;
	out[1] = (char)(len >> 24), out[2] = (char)(len >> 16), out[3] = (char)(len >> 8),
	out[4] = (char)len;
	memcpy(out + 5, fields, flen);
	return flen + 5;
}

START_TEST(test_postgres)
{
	char m[256];
	size_t n = pg_msg(m, 'R', "\0\0\0\5abcd", 8); /* MD5 password request */
	incremental(pg, m, n, RP_V_UP, "authentication requested");
	const char starting[] = "SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0";
	n = pg_msg(m, 'E', starting, sizeof starting - 1);
	incremental(pg, m, n, RP_V_DEGRADED, "the database system is starting up (SQLSTATE 57P03)");
	const char nodb[] = "SFATAL\0C3D000\0Mdatabase \"x\" does not exist\0\0";
	n = pg_msg(m, 'E', nodb, sizeof nodb - 1);
	incremental(pg, m, n, RP_V_UP, "SQLSTATE 3D000");
	incremental(pg, "HTTP/1.1 200 OK\r\n", 17, RP_V_DOWN, "not PostgreSQL");
	char why[WHY];
	ck_assert_int_eq(rp_proto_postgres_judge("R\0\0", 3, true, why, sizeof why), RP_V_DOWN);
	/* a reason in whole words, with the length that gave it away */
	ck_assert_int_eq(rp_proto_postgres_judge("E\0\0\0\2", 5, false, why, sizeof why),
	                 RP_V_DOWN);
	ck_assert_str_eq(why, "not PostgreSQL: a message length of 2 bytes");
	struct rp_buf b;
	rp_buf_init(&b);
	rp_proto_postgres_startup(&b, "u", "d");
	ck_assert_uint_eq(b.len, 4 + 4 + 5 + 2 + 9 + 2 + 17 + 18 + 1);
	ck_assert_int_eq(b.data[3], (char)b.len);
	ck_assert_int_eq(b.data[5], 3); /* protocol 3.0 */
	rp_buf_free(&b);
}
END_TEST

START_TEST(test_http_and_ws)
{
	char why[WHY];
	ck_assert_int_eq(rp_proto_http_judge("HTTP/1.1 20", 11, false, NULL, 0, why, sizeof why),
	                 RP_V_MORE);
	ck_assert_int_eq(rp_proto_http_judge("HTTP/1.1 204 No Content\r\n", 25, false, NULL, 0, why,
	                                     sizeof why),
	                 RP_V_UP);
	ck_assert_int_eq(
	        rp_proto_http_judge("HTTP/1.0 302 Found\r\n", 20, false, NULL, 0, why, sizeof why),
	        RP_V_UP);
	ck_assert_int_eq(rp_proto_http_judge("HTTP/1.1 404 Not Found\n", 23, false, NULL, 0, why,
	                                     sizeof why),
	                 RP_V_DOWN);
	ck_assert_str_eq(why, "HTTP 404 Not Found");
	struct rp_status_range *r;
	size_t n;
	ck_assert(rp_status_parse("200,204", &r, &n));
	ck_assert_int_eq(
	        rp_proto_http_judge("HTTP/1.1 302 Found\r\n", 20, false, r, n, why, sizeof why),
	        RP_V_DOWN);
	free(r);
	ck_assert_int_eq(rp_proto_http_judge("SSH-2.0-x\r\n", 11, false, NULL, 0, why, sizeof why),
	                 RP_V_DOWN);
	ck_assert_int_eq(
	        rp_proto_http_judge("HTTP/1.1 abc\r\n", 14, false, NULL, 0, why, sizeof why),
	        RP_V_DOWN);
	/* RFC 6455's own example */
	char acc[29];
	rp_proto_ws_accept("dGhlIHNhbXBsZSBub25jZQ==", acc);
	ck_assert_str_eq(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	const char *ok =
	        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	        "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
	ck_assert_int_eq(rp_proto_ws_judge(ok, strlen(ok), false, "dGhlIHNhbXBsZSBub25jZQ==", why,
	                                   sizeof why),
	                 RP_V_UP);
	ck_assert_int_eq(rp_proto_ws_judge(ok, strlen(ok) - 2, false,
	                                   "dGhlIHNhbXBsZSBub25jZQ==", why, sizeof why),
	                 RP_V_MORE);
	ck_assert_int_eq(rp_proto_ws_judge(ok, strlen(ok), false, "AAAAAAAAAAAAAAAAAAAAAA==", why,
	                                   sizeof why),
	                 RP_V_DOWN);
	ck_assert(strstr(why, "wrong Sec-WebSocket-Accept") != NULL);
	const char *no_up = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n";
	ck_assert_int_eq(rp_proto_ws_judge(no_up, strlen(no_up), false, "x", why, sizeof why),
	                 RP_V_DOWN);
	ck_assert(strstr(why, "without Upgrade: websocket") != NULL);
}
END_TEST

START_TEST(test_banners_smtp_mysql)
{
	char why[WHY];
	ck_assert_int_eq(rp_proto_tcp_judge("SS", 2, false, "SSH-", why, sizeof why), RP_V_MORE);
	ck_assert_int_eq(rp_proto_tcp_judge("SSH-2.0-x\r\n", 11, false, "SSH-", why, sizeof why),
	                 RP_V_UP);
	ck_assert_int_eq(rp_proto_tcp_judge("HTTP", 4, false, "SSH-", why, sizeof why), RP_V_DOWN);
	ck_assert_int_eq(rp_proto_tcp_judge("", 0, true, "SSH-", why, sizeof why), RP_V_DOWN);
	ck_assert_int_eq(rp_proto_smtp_judge("220 mx ESMTP\r\n", 14, false, why, sizeof why),
	                 RP_V_UP);
	ck_assert_int_eq(rp_proto_smtp_judge("421 busy\r\n", 10, false, why, sizeof why),
	                 RP_V_DOWN);
	ck_assert_int_eq(rp_proto_smtp_judge("22", 2, false, why, sizeof why), RP_V_MORE);
	/* MySQL 8 handshake: length 3 bytes, seq 0, protocol 10, version */
	const char hs[] = "\x4a\x00\x00\x00\x0a"
	                  "8.0.36\0rest-of-handshake";
	ck_assert_int_eq(rp_proto_mysql_judge(hs, sizeof hs - 1, false, why, sizeof why), RP_V_UP);
	ck_assert(strstr(why, "server 8.0.36") != NULL);
	const char err[] = "\x17\x00\x00\x00\xff\x10\x04Too many connections";
	ck_assert_int_eq(rp_proto_mysql_judge(err, sizeof err - 1, false, why, sizeof why),
	                 RP_V_DOWN);
	ck_assert(strstr(why, "Too many connections") != NULL);
	ck_assert_int_eq(rp_proto_mysql_judge("+PONG\r\n", 7, false, why, sizeof why), RP_V_DOWN);
}
END_TEST

START_TEST(test_digests)
{
	uint8_t d[20];
	char hex[41];
	rp_digest_sha1("abc", 3, d);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	ck_assert_str_eq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	/* 56 bytes: the padding spills into a second block */
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	rp_digest_sha1(two, strlen(two), d);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	ck_assert_str_eq(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	char b64[16];
	rp_digest_base64((const uint8_t *)"f", 1, b64);
	ck_assert_str_eq(b64, "Zg==");
	rp_digest_base64((const uint8_t *)"fo", 2, b64);
	ck_assert_str_eq(b64, "Zm8=");
	rp_digest_base64((const uint8_t *)"foobar", 6, b64);
	ck_assert_str_eq(b64, "Zm9vYmFy");
}
END_TEST

/* The handler table: one handler a scheme, each whole. */
START_TEST(test_handlers)
{
	size_t n = 0;
	for (const struct rp_proto_handler *h; (h = rp_proto_handler_at(n)); n++) {
		ck_assert_ptr_eq(rp_proto_find(h->scheme), h);
		ck_assert_ptr_nonnull(h->params);
		ck_assert_msg(h->judge || !h->request || strcmp(h->scheme, "tcp") == 0,
		              "%s sends without judging", h->scheme);
	}
	ck_assert_uint_eq(n, 11);
	ck_assert_ptr_null(rp_proto_find("ftp"));
	ck_assert(rp_proto_find("wss")->tls && !rp_proto_find("ws")->tls);
	ck_assert_int_eq(rp_proto_find("redis")->default_port, 6379);
	/* a conversation: http keeps its ?expect= for its judge */
	struct rp_uri u;
	char err[300];
	ck_assert(rp_uri_parse("http://127.0.0.1:8080/x?expect=204", &u, err, sizeof err));
	const struct rp_proto_handler *h = rp_proto_find(u.scheme);
	ck_assert(h->validate(&u, err, sizeof err));
	struct rp_proto_conv c = { .uri = &u, .target = "/x" };
	struct rp_buf b;
	rp_buf_init(&b);
	h->request(&c, &b);
	ck_assert(strncmp(b.data, "GET /x HTTP/1.1\r\n", 17) == 0);
	ck_assert_uint_eq(c.nexpect, 1);
	char why[WHY];
	const char *no_content = "HTTP/1.1 204 No Content\r\n";
	ck_assert_int_eq(h->judge(&c, no_content, strlen(no_content), false, why, sizeof why),
	                 RP_V_UP);
	rp_proto_conv_free(&c);
	rp_buf_free(&b);
	rp_uri_free(&u);
	/* tcp waits for a reply only with ?expect= */
	ck_assert(rp_uri_parse("tcp://h:22", &u, err, sizeof err));
	struct rp_proto_conv t = { .uri = &u };
	ck_assert(!rp_proto_expects_reply(&rp_proto_tcp, &t));
	rp_uri_free(&u);
	ck_assert(rp_uri_parse("tcp://h:22?expect=SSH-", &u, err, sizeof err));
	t.uri = &u;
	ck_assert(rp_proto_expects_reply(&rp_proto_tcp, &t));
	rp_uri_free(&u);
	ck_assert(!rp_proto_expects_reply(&rp_proto_tls, &t));
}
END_TEST

START_TEST(test_uri)
{
	struct rp_uri u;
	char err[300];
	ck_assert_msg(
	        rp_uri_parse("redis://127.0.0.1?password-env=R%5FPW&user=ops", &u, err, sizeof err),
	        "%s", err);
	ck_assert_str_eq(u.host, "127.0.0.1");
	ck_assert_int_eq(u.port, 6379);
	ck_assert_str_eq(rp_uri_param(&u, "password-env"), "R_PW");
	ck_assert_str_eq(rp_uri_param(&u, "user"), "ops");
	ck_assert_str_eq(u.path, "/");
	rp_uri_free(&u);
	ck_assert(rp_uri_parse("HTTP://[::1]:8080/health?x=1", &u, err, sizeof err));
	ck_assert_str_eq(u.scheme, "http");
	ck_assert_str_eq(u.host, "::1");
	ck_assert_int_eq(u.port, 8080);
	ck_assert_str_eq(u.path, "/health");
	ck_assert_str_eq(u.query, "x=1");
	rp_uri_free(&u);
	const char *bad[] = { "127.0.0.1:80",      "tcp://",
		              "tcp://h",           "tcp://h:0",
		              "tcp://h:65536",     "tcp://h:8x",
		              "ftp://h:21",        "redis://u:p@h",
		              "http://h:1/#x",     "http://[::1:80",
		              "http://h:1/a b",    "tcp://h:1?x",
		              "tcp://h:1?x=%zz",   "tcp://h:1?x=%00",
		              "tcp://h h:1",       "://h:1",
		              "http://h:1/?a=b c", "http://h:1/?a=\r\nX: y" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(!rp_uri_parse(bad[i], &u, err, sizeof err), "'%s' accepted", bad[i]);
		ck_assert(err[0] != '\0');
	}
	ck_assert(!rp_uri_parse("ftp://h:21", &u, err, sizeof err));
	ck_assert(strstr(err, "known: tcp:// tls:// http://") != NULL);
	ck_assert(!rp_uri_parse("redis://u:secret@h", &u, err, sizeof err));
	ck_assert(strstr(err, "no user@") != NULL);
}
END_TEST

static Suite *proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_redis);
	tcase_add_test(tc, test_postgres);
	tcase_add_test(tc, test_http_and_ws);
	tcase_add_test(tc, test_banners_smtp_mysql);
	tcase_add_test(tc, test_digests);
	tcase_add_test(tc, test_handlers);
	tcase_add_test(tc, test_uri);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(proto_suite)
