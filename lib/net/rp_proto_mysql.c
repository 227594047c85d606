/* rp_proto_mysql.c: mysql://: the server speaks first; its handshake
 * packet (protocol 10) is up, an error packet is down. */
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum rp_verdict rp_proto_mysql_judge(const char *buf, size_t len, bool eof, char *why,
                                     size_t whylen)
{
	if (len < 5)
		return eof ? rp_proto_say(RP_V_DOWN, why, whylen, "closed without a handshake",
		                          NULL, 0)
		           : RP_V_MORE;
	const unsigned char *u = (const unsigned char *)buf;
	size_t plen = (size_t)u[0] | (size_t)u[1] << 8 | (size_t)u[2] << 16;
	if (plen == 0 || plen > 4096 || u[3] != 0)
		return rp_proto_say(RP_V_DOWN, why, whylen, "not MySQL: ", buf, len);
	if (u[4] == 10) {
		const char *ver = buf + 5;
		size_t avail = len - 5;
		const char *nul = memchr(ver, '\0', avail < plen - 1 ? avail : plen - 1);
		if (!nul)
			return eof ? rp_proto_say(RP_V_DOWN, why, whylen,
			                          "the handshake was cut short", NULL, 0)
			           : RP_V_MORE;
		return rp_proto_say(RP_V_UP, why, whylen, "handshake, server ", ver,
		                    (size_t)(nul - ver));
	}
	if (u[4] == 0xff) {
		if (len < plen + 4)
			return eof ? rp_proto_say(RP_V_DOWN, why, whylen, "the error was cut short",
			                          NULL, 0)
			           : RP_V_MORE;
		size_t skip = plen >= 9 && buf[7] == '#' ? 9 : 3; /* code, then #SQLSTATE */
		if (skip > plen)
			skip = plen;
		return rp_proto_say(RP_V_DOWN, why, whylen, "refused: ", buf + 4 + skip,
		                    plen - skip);
	}
	return rp_proto_say(RP_V_DOWN, why, whylen, "not a MySQL handshake", NULL, 0);
}
static enum rp_verdict mysql_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                   bool eof, char *why, size_t whylen)
{
	(void)c;
	return rp_proto_mysql_judge(buf, len, eof, why, whylen);
}

const struct rp_proto_handler rp_proto_mysql = {
	.scheme = "mysql",
	.default_port = 3306,
	.params = "",
	.judge = mysql_judge,
};
