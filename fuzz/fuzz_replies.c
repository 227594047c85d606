/* Fuzzes every reply judge of check_services (Redis, PostgreSQL, HTTP,
 * WebSocket, banner, SMTP, MySQL) on hostile bytes, fed whole and in two
 * parts: a judge must stay within the buffer, give a reason with every
 * verdict, and never let a peer's bytes add a line or a '|'. */
#include "fuzz_common.h"
#include "rp_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum rp_verdict v, const char *why)
{
	if (v < RP_V_MORE || v > RP_V_DOWN)
		abort();
	if (v != RP_V_MORE && !why[0] && v != RP_V_UP)
		abort();
	if (strpbrk(why, "\n\r|"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan sees any read past the end */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	static const struct rp_status_range r[] = { { 200, 204 } };
	for (size_t cut = 0; cut <= size; cut += size > 8 ? size / 4 : 1) {
		for (int eof = 0; eof < 2; eof++) {
			char why[RP_WHY_MAX] = "";
			check(rp_proto_redis_judge(buf, cut, eof, true, why, sizeof why), why);
			check(rp_proto_redis_judge(buf, cut, eof, false, why, sizeof why), why);
			check(rp_proto_postgres_judge(buf, cut, eof, why, sizeof why), why);
			check(rp_proto_http_judge(buf, cut, eof, NULL, 0, why, sizeof why), why);
			check(rp_proto_http_judge(buf, cut, eof, r, 1, why, sizeof why), why);
			check(rp_proto_ws_judge(buf, cut, eof, "dGhlIHNhbXBsZSBub25jZQ==", why,
			                        sizeof why),
			      why);
			check(rp_proto_tcp_judge(buf, cut, eof, "SSH-", why, sizeof why), why);
			check(rp_proto_smtp_judge(buf, cut, eof, why, sizeof why), why);
			check(rp_proto_mysql_judge(buf, cut, eof, why, sizeof why), why);
		}
	}
	free(buf);
	return 0;
}
