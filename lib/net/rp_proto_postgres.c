/* rp_proto_postgres.c: postgres:// and postgresql://: the start-up message
 * and its first reply, read the way pg_isready reads it. */
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

void rp_proto_postgres_startup(struct rp_buf *out, const char *user, const char *database)
{
	struct rp_buf body;
	rp_buf_init(&body);
	put32(&body, 196608); /* protocol 3.0 */
	rp_buf_append(&body, "user", 5);
	rp_buf_append(&body, user, strlen(user) + 1);
	rp_buf_append(&body, "database", 9);
	rp_buf_append(&body, database, strlen(database) + 1);
	rp_buf_append(&body, "application_name", 17);
	rp_buf_append(&body, "readiness-plugins", 18);
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

enum rp_verdict rp_proto_postgres_judge(const char *buf, size_t len, bool eof, char *why,
                                        size_t whylen)
{
	if (len >= 1 && buf[0] != 'R' && buf[0] != 'E' && buf[0] != 'N')
		return rp_proto_say(RP_V_DOWN, why, whylen, "not PostgreSQL: ", buf, len);
	if (len < 5)
		return eof ? rp_proto_say(RP_V_DOWN, why, whylen,
		                          "the connection closed before PostgreSQL answered", NULL,
		                          0)
		           : RP_V_MORE;
	uint32_t mlen = get32(buf + 1);
	if (mlen < 4 || mlen > 16384) {
		snprintf(why, whylen, "not PostgreSQL: a message length of %lu bytes",
		         (unsigned long)mlen);
		return RP_V_DOWN;
	}
	if (buf[0] == 'R')
		return rp_proto_say(RP_V_UP, why, whylen,
		                    "accepting connections (authentication requested)", NULL, 0);
	if (len < mlen + 1)
		return eof ? rp_proto_say(RP_V_DOWN, why, whylen, "the reply was cut short", NULL,
		                          0)
		           : RP_V_MORE;
	size_t cl = 0, ml = 0;
	const char *code = pg_field(buf + 5, mlen - 4, 'C', &cl);
	const char *msg = pg_field(buf + 5, mlen - 4, 'M', &ml);
	char *m = rp_text_sanitize(msg ? msg : "", msg ? ml : 0, 100);
	char *c = rp_text_sanitize(code ? code : "?", code ? cl : 1, 8);
	enum rp_verdict v;
	if (buf[0] == 'N') {
		v = RP_V_MORE; /* a notice before the answer: read on */
		if (len > mlen + 1) {
			free(m);
			free(c);
			return rp_proto_postgres_judge(buf + mlen + 1, len - mlen - 1, eof, why,
			                               whylen);
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

static void postgres_request(struct rp_proto_conv *c, struct rp_buf *out)
{
	const char *user = rp_uri_param(c->uri, "user");
	const char *db = rp_uri_param(c->uri, "dbname");
	user = user ? user : "postgres";
	rp_proto_postgres_startup(out, user, db ? db : user);
}

static enum rp_verdict postgres_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                      bool eof, char *why, size_t whylen)
{
	(void)c;
	return rp_proto_postgres_judge(buf, len, eof, why, whylen);
}

const struct rp_proto_handler rp_proto_postgres = {
	.scheme = "postgres",
	.default_port = 5432,
	.params = "user dbname",
	.request = postgres_request,
	.judge = postgres_judge,
};

const struct rp_proto_handler rp_proto_postgresql = {
	.scheme = "postgresql",
	.default_port = 5432,
	.params = "user dbname",
	.request = postgres_request,
	.judge = postgres_judge,
};
