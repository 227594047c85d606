/* Health documents: IETF health+json, Spring Boot Actuator and ad-hoc
 * status fields, as check_api --health reads them. */
#include "rp_health.h"
#include "rp_json.h"
#include "rp_test.h"
#include "rp_util.h"

#include <string.h>

static void read_doc(const char *text, const char *ctype, struct rp_health *h)
{
	char err[200];
	struct rp_value *d = rp_json_parse_any(text, strlen(text), err, sizeof err);
	ck_assert_msg(d != NULL, "%s: %s", text, err);
	rp_health_read(d, ctype, h);
	rp_value_free(d);
}

START_TEST(test_states)
{
	struct {
		const char *doc, *ctype;
		enum rp_health_format format;
		enum rp_state state;
		size_t n;
	} cases[] = {
		{ "{\"status\":\"pass\"}", "application/health+json", RP_HEALTH_IETF, RP_OK, 0 },
		{ "{\"status\":\"warn\"}", "application/health+json; charset=utf-8", RP_HEALTH_IETF,
		  RP_WARNING, 0 },
		{ "{\"status\":\"fail\"}", "application/health+json", RP_HEALTH_IETF, RP_CRITICAL,
		  0 },
		/* IETF and Actuator: the document's own status is the verdict */
		{ "{\"status\":\"pass\",\"checks\":{\"db:ping\":[{\"status\":\"fail\"}],"
		  "\"up:time\":[{\"status\":\"pass\"}]}}",
		  NULL, RP_HEALTH_IETF, RP_OK, 2 },
		{ "{\"status\":\"pass\",\"checks\":{\"cpu:utilization\":[{\"status\":\"warn\"}]}}",
		  "application/health+json", RP_HEALTH_IETF, RP_OK, 1 },
		{ "{\"checks\":{\"db:ping\":[{\"status\":\"fail\"}]}}", NULL, RP_HEALTH_IETF,
		  RP_CRITICAL, 1 },
		{ "{\"status\":\"UP\"}", NULL, RP_HEALTH_ACTUATOR, RP_OK, 0 },
		{ "{\"status\":\"DOWN\"}", NULL, RP_HEALTH_ACTUATOR, RP_CRITICAL, 0 },
		{ "{\"status\":\"OUT_OF_SERVICE\"}", NULL, RP_HEALTH_ACTUATOR, RP_CRITICAL, 0 },
		{ "{\"status\":\"UNKNOWN\"}", NULL, RP_HEALTH_ACTUATOR, RP_UNKNOWN, 0 },
		{ "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\"},\"c\":{\"status\":"
		  "\"UP\",\"components\":{\"p\":{\"status\":\"DOWN\"}}}}}",
		  NULL, RP_HEALTH_ACTUATOR, RP_OK, 3 },
		{ "{\"status\":\"UP\",\"components\":{\"discovery\":{\"status\":\"UNKNOWN\"}}}",
		  NULL, RP_HEALTH_ACTUATOR, RP_OK, 1 },
		{ "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\"}}}", NULL,
		  RP_HEALTH_ACTUATOR, RP_CRITICAL, 1 },
		/* an unknown word in a table of statuses is named, not dropped */
		{ "{\"status\":\"degraded\",\"services\":{\"db\":\"ok\",\"fire22_api\":"
		  "\"unauthorized\",\"cache\":\"lukewarm\",\"version\":\"1.2\"}}",
		  NULL, RP_HEALTH_ADHOC, RP_CRITICAL, 3 },
		{ "{\"status\":\"UP\",\"details\":{\"db\":{\"status\":\"UP\"}}}", NULL,
		  RP_HEALTH_ACTUATOR, RP_OK, 1 },
		{ "{\"status\":\"healthy\"}", NULL, RP_HEALTH_ADHOC, RP_OK, 0 },
		{ "{\"status\":\"degraded\"}", NULL, RP_HEALTH_ADHOC, RP_WARNING, 0 },
		{ "{\"status\":\"unhealthy\"}", NULL, RP_HEALTH_ADHOC, RP_CRITICAL, 0 },
		{ "{\"status\":\"Healthy\",\"websocket\":\"down\"}", NULL, RP_HEALTH_ADHOC,
		  RP_CRITICAL, 1 },
		{ "{\"status\":\"ok\",\"deps\":{\"db\":{\"status\":\"ok\"},\"cache\":{\"status\":"
		  "\"degraded\"}}}",
		  NULL, RP_HEALTH_ADHOC, RP_WARNING, 2 },
		{ "{\"status\":\"ok\",\"database\":{\"connected\":false}}", NULL, RP_HEALTH_ADHOC,
		  RP_CRITICAL, 1 },
		{ "{\"status\":\"starting-ish\"}", NULL, RP_HEALTH_ADHOC, RP_WARNING, 0 },
		{ "{\"redis\":\"up\",\"db\":\"up\"}", NULL, RP_HEALTH_ADHOC, RP_OK, 2 },
		{ "[{\"name\":\"db\",\"status\":\"down\"}]", NULL, RP_HEALTH_ADHOC, RP_CRITICAL,
		  1 },
		{ "{\"version\":\"1.0\",\"message\":\"error connecting\"}", NULL,
		  RP_HEALTH_UNRECOGNISED, RP_UNKNOWN, 0 },
		{ "42", NULL, RP_HEALTH_UNRECOGNISED, RP_UNKNOWN, 0 },
		{ "{\"status\":7}", NULL, RP_HEALTH_UNRECOGNISED, RP_UNKNOWN, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rp_health h;
		read_doc(cases[i].doc, cases[i].ctype, &h);
		ck_assert_msg(h.format == cases[i].format, "%zu: format %d", i, h.format);
		ck_assert_msg(h.state == cases[i].state, "%zu: state %d", i, h.state);
		ck_assert_msg(h.n == cases[i].n, "%zu: %zu components", i, h.n);
		rp_health_free(&h);
	}
}
END_TEST

START_TEST(test_names_and_outputs)
{
	struct rp_health h;
	read_doc("{\"status\":\"fail\",\"checks\":{\"db:responseTime\":[{\"componentId\":\"a\","
	         "\"status\":\"pass\"},{\"componentId\":\"b\",\"status\":\"fail\",\"output\":"
	         "\"timeout|x\\n[OK] y\"}]}}",
	         "application/health+json", &h);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_str_eq(h.items[1].name, "db:responseTime (b)");
	ck_assert_str_eq(h.items[1].output, "timeout\\x7cx\\n[OK] y");
	ck_assert_int_eq(h.items[1].state, RP_CRITICAL);
	ck_assert_str_eq(h.status, "fail");
	rp_health_free(&h);
	read_doc("{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\",\"details\":"
	         "{\"error\":\"java.net.ConnectException: refused\"}},\"composite\":{\"status\":"
	         "\"DOWN\",\"components\":{\"primary\":{\"status\":\"DOWN\"}}}}}",
	         NULL, &h);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_str_eq(h.items[0].name, "db");
	ck_assert_str_eq(h.items[0].output, "java.net.ConnectException: refused");
	ck_assert_str_eq(h.items[2].name, "composite.primary");
	rp_health_free(&h);
	read_doc("{\"status\":\"ok\",\"deps\":{\"db\":{\"status\":\"error\",\"error\":\"NOAUTH\"},"
	         "\"ws\":\"down\"}}",
	         NULL, &h);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_str_eq(h.items[0].name, "deps.db");
	ck_assert_str_eq(h.items[0].output, "NOAUTH");
	ck_assert_str_eq(h.items[1].name, "deps.ws");
	ck_assert_int_eq(h.own_state, RP_OK);
	ck_assert_int_eq(h.state, RP_CRITICAL);
	rp_health_free(&h);
}
END_TEST

START_TEST(test_bounded)
{
	/* thousands of components: kept to a bound, never unbounded output */
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, "{\"status\":\"ok\"");
	for (int i = 0; i < 5000; i++)
		rp_buf_printf(&b, ",\"c%d\":\"down\"", i);
	rp_buf_puts(&b, "}");
	struct rp_health h;
	read_doc(b.data, NULL, &h);
	ck_assert(h.n > 0 && h.n <= 256);
	ck_assert_int_eq(h.state, RP_CRITICAL);
	rp_health_free(&h);
	rp_buf_free(&b);
	enum rp_state st;
	ck_assert(rp_health_word_state("DeGrAdEd", 8, &st) && st == RP_WARNING);
	ck_assert(!rp_health_word_state("fine", 4, &st));
}
END_TEST

/* Plain-text health bodies: one word, or Kubernetes' verbose list. */
START_TEST(test_plain_text)
{
	struct {
		const char *body;
		bool read;
		enum rp_state state;
		size_t n;
	} cases[] = {
		{ "ok", true, RP_OK, 0 },
		{ "Healthy\r\n", true, RP_OK, 0 },
		{ "Degraded", true, RP_WARNING, 0 },
		{ "Unhealthy", true, RP_CRITICAL, 0 },
		{ "[+]ping ok\n[+]log ok\nreadyz check passed\n", true, RP_OK, 2 },
		{ "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n", true,
		  RP_CRITICAL, 2 },
		{ "<html>login</html>", false, RP_OK, 0 },
		{ "", false, RP_OK, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rp_health h;
		bool read = rp_health_read_text(cases[i].body, strlen(cases[i].body), &h);
		ck_assert_msg(read == cases[i].read, "%zu", i);
		if (read) {
			ck_assert_msg(h.state == cases[i].state, "%zu: state %d", i, h.state);
			ck_assert_msg(h.n == cases[i].n, "%zu: %zu items", i, h.n);
			ck_assert_int_eq(h.format, RP_HEALTH_TEXT);
		}
		rp_health_free(&h);
	}
	struct rp_health h;
	const char *k8s = "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed";
	ck_assert(rp_health_read_text(k8s, strlen(k8s), &h));
	ck_assert_str_eq(h.items[1].name, "etcd");
	ck_assert_str_eq(h.items[1].output, "reason withheld");
	rp_health_free(&h);
}
END_TEST

static Suite *health_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_names_and_outputs);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_plain_text);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(health_suite)
