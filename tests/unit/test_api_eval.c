/* check_api's evaluate step, driven with responses built by hand: every
 * verdict without a server. */
#include "check_api.h"
#include "rp_render.h"
#include "rp_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct rp_metric_spec specs[] = {
	{ "time", RP_UNIT_SECONDS, false, NULL, "response time" },
	{ "time_connect", RP_UNIT_SECONDS, false, NULL, NULL },
	{ "time_tls", RP_UNIT_SECONDS, false, NULL, NULL },
	{ "time_firstbyte", RP_UNIT_SECONDS, false, NULL, NULL },
	{ "size", RP_UNIT_BYTES, false, NULL, NULL },
	{ "cert_days", RP_UNIT_NONE, false, NULL, NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

struct fixture {
	struct api_config cfg;
	struct api_observed o;
	struct rp_thresholds t;
};

static void init(struct fixture *f, long status, const char *status_line, const char *body)
{
	memset(f, 0, sizeof *f);
	f->cfg.http.url = "http://127.0.0.1:8000/health";
	f->cfg.max_body = 1 << 20;
	f->cfg.timeout = 10;
	f->cfg.timeout_state = RP_CRITICAL;
	rp_thresholds_init(&f->t);
	f->o.url_shown = (char *)"http://127.0.0.1:8000/health";
	f->o.performed = true;
	f->o.now = 1714564800;
	struct rp_http_response *r = &f->o.resp;
	r->completed = true;
	r->status = status;
	r->status_line = (char *)status_line;
	rp_buf_init(&r->body);
	rp_buf_init(&r->trace);
	if (body)
		rp_buf_puts(&r->body, body);
	r->size = (double)r->body.len;
}

static void done(struct fixture *f, struct rp_check *root)
{
	rp_check_free(root);
	rp_buf_free(&f->o.resp.body);
	rp_buf_free(&f->o.resp.trace);
	rp_thresholds_free(&f->t);
}

static void threshold(struct fixture *f, char which, const char *arg)
{
	char err[256];
	ck_assert_msg(rp_thresholds_add(&f->t, specs, "time", which, arg, err, sizeof err), "%s",
	              err);
}

static char *summary(const struct rp_check *root)
{
	return rp_render_summary(root);
}

START_TEST(test_ok)
{
	struct fixture f;
	init(&f, 200, "HTTP/1.1 200 OK", "ok");
	struct rp_check *root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_OK);
	char *s = summary(root);
	ck_assert_str_eq(s, "HTTP 200 OK from http://127.0.0.1:8000/health");
	free(s);
	done(&f, root);
}
END_TEST

/* F1: a 401 says whether credentials were sent and what the server asks. */
START_TEST(test_unauthorized)
{
	struct fixture f;
	init(&f, 401, "HTTP/1.1 401 Unauthorized", "");
	f.o.resp.www_authenticate = (char *)"Bearer realm=\"api\"";
	struct rp_check *root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	char *s = summary(root);
	ck_assert_str_eq(s, "HTTP 401 Unauthorized from http://127.0.0.1:8000/health; no "
	                    "credentials were sent (--token-file/--token-env, --user); the "
	                    "server asks for: Bearer realm=\"api\"");
	free(s);
	done(&f, root);
	init(&f, 403, "HTTP/1.1 403 Forbidden", "");
	f.o.in.credentials_sent = true;
	root = api_evaluate(&f.cfg, &f.o, &f.t);
	s = summary(root);
	ck_assert_ptr_nonnull(strstr(s, "credentials were sent and refused"));
	free(s);
	done(&f, root);
}
END_TEST

/* F15: an unexpected status is CRITICAL; --expect changes what is expected;
 * a redirect to a login page is named. */
START_TEST(test_statuses)
{
	struct fixture f;
	init(&f, 500, "HTTP/1.1 500 Internal Server Error", "");
	struct rp_check *root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	done(&f, root);
	init(&f, 404, "HTTP/1.1 404 Not Found", "");
	ck_assert(rp_status_parse("404", &f.cfg.expect, &f.cfg.nexpect));
	root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_OK);
	free(f.cfg.expect);
	done(&f, root);
	/* a 200 where a 404 was expected (a route that must be gone) */
	init(&f, 200, "HTTP/1.1 200 OK", "");
	ck_assert(rp_status_parse("404,410-411", &f.cfg.expect, &f.cfg.nexpect));
	root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	char *t = summary(root);
	ck_assert_str_eq(t, "HTTP 200 OK from http://127.0.0.1:8000/health, expected 404,410-411");
	free(t);
	free(f.cfg.expect);
	done(&f, root);
	init(&f, 302, "HTTP/1.1 302 Found", "");
	f.o.resp.location = (char *)"/login?next=/api";
	root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	char *s = summary(root);
	ck_assert_ptr_nonnull(strstr(s, "(a login page: the API is not answering)"));
	free(s);
	done(&f, root);
}
END_TEST

/* No answer: the timeout state; an input that could not be loaded:
 * UNKNOWN, and nothing was sent. */
START_TEST(test_no_answer_and_load_errors)
{
	struct fixture f;
	init(&f, 0, NULL, NULL);
	f.o.resp.completed = false;
	f.o.resp.timed_out = true;
	snprintf(f.o.resp.error, sizeof f.o.resp.error, "no response within 2 s");
	f.cfg.timeout_state = RP_WARNING;
	struct rp_check *root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	char *s = summary(root);
	ck_assert_str_eq(s, "http://127.0.0.1:8000/health: no response within 2 s");
	free(s);
	done(&f, root);
	init(&f, 0, NULL, NULL);
	f.o.performed = false;
	f.o.resp.completed = false;
	f.o.in.error = (char *)"the token variable T is not set";
	root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_UNKNOWN);
	ck_assert_uint_eq(root->perf.n, 0); /* nothing was measured */
	done(&f, root);
}
END_TEST

/* F14: the body decides under --health. */
START_TEST(test_health_body)
{
	struct fixture f;
	init(&f, 200, "HTTP/1.1 200 OK", "{\"status\": \"degraded\"}");
	f.cfg.health = true;
	struct rp_check *root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	done(&f, root);
	init(&f, 200, "HTTP/1.1 200 OK", "<html>login</html>");
	f.cfg.health = true;
	f.o.resp.content_type = (char *)"text/html";
	root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	char *s = summary(root);
	ck_assert_ptr_nonnull(strstr(s, "the body is not JSON (content type text/html"));
	free(s);
	done(&f, root);
}
END_TEST

/* Certificate expiry against -c cert_days; the phase times are recorded
 * with their thresholds (the runtime judges them). */
START_TEST(test_cert_and_phases)
{
	struct fixture f;
	init(&f, 200, "HTTP/1.1 200 OK", "ok");
	f.o.resp.tls = true;
	f.o.resp.have_cert = true;
	f.o.resp.cert_not_after = f.o.now + 3 * 86400;
	f.o.resp.t_connect = 0.25;
	threshold(&f, 'c', "cert_days=7:");
	threshold(&f, 'w', "time_connect=0.1");
	struct rp_check *root = api_evaluate(&f.cfg, &f.o, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	char *s = summary(root);
	ck_assert_ptr_nonnull(strstr(s, "the TLS certificate expires in 3 days"));
	free(s);
	bool found = false;
	for (size_t i = 0; i < root->perf.n; i++) {
		const struct rp_perf *p = &root->perf.items[i];
		if (strcmp(p->label, "time_connect") == 0) {
			found = true;
			ck_assert_str_eq(p->warn, "0.1");
			ck_assert_int_eq(p->state, RP_WARNING);
			ck_assert(!p->worded); /* the runtime words it */
		}
	}
	ck_assert(found);
	done(&f, root);
}
END_TEST

static Suite *api_eval_suite(void)
{
	Suite *s = suite_create("api_eval");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_ok);
	tcase_add_test(tc, test_unauthorized);
	tcase_add_test(tc, test_statuses);
	tcase_add_test(tc, test_no_answer_and_load_errors);
	tcase_add_test(tc, test_health_body);
	tcase_add_test(tc, test_cert_and_phases);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(api_eval_suite)
