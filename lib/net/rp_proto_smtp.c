/* rp_proto_smtp.c: smtp://: the server speaks first; a 220 greeting is up. */
#include "rp_proto.h"
#include "rp_proto_impl.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum rp_verdict rp_proto_smtp_judge(const char *buf, size_t len, bool eof, char *why, size_t whylen)
{
	size_t n, next;
	if (!rp_proto_line_at(buf, len, &n, &next)) {
		if (len >= 4 && !(buf[0] >= '1' && buf[0] <= '5'))
			return rp_proto_say(RP_V_DOWN, why, whylen, "not SMTP: ", buf, len);
		return eof ? rp_proto_say(RP_V_DOWN, why, whylen, "closed without a greeting", NULL,
		                          0)
		           : RP_V_MORE;
	}
	if (rp_proto_starts(buf, n, "220"))
		return rp_proto_say(RP_V_UP, why, whylen, "", buf, n);
	if (n >= 3 && (buf[0] == '4' || buf[0] == '5'))
		return rp_proto_say(RP_V_DOWN, why, whylen, "refuses service: ", buf, n);
	return rp_proto_say(RP_V_DOWN, why, whylen, "not an SMTP greeting: ", buf, n);
}

static enum rp_verdict smtp_judge(const struct rp_proto_conv *c, const char *buf, size_t len,
                                  bool eof, char *why, size_t whylen)
{
	(void)c;
	return rp_proto_smtp_judge(buf, len, eof, why, whylen);
}

const struct rp_proto_handler rp_proto_smtp = {
	.scheme = "smtp",
	.default_port = 25,
	.params = "",
	.judge = smtp_judge,
};
