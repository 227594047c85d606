/* check_services' service specs and evaluate step, with observations
 * built by hand: every verdict without a network. */
#include "check_services.h"
#include "rp_render.h"
#include "rp_test.h"

#include <string.h>

static const struct rp_metric_spec specs[] = {
	{ "time", RP_UNIT_SECONDS, true, NULL, NULL },
	{ "down", RP_UNIT_NONE, false, NULL, NULL },
	{ "cert_days", RP_UNIT_NONE, true, NULL, NULL },
	{ "up", RP_UNIT_NONE, false, NULL, NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

struct fixture {
	struct services_config cfg;
	struct svc_seen seen[4];
	struct rp_thresholds t;
};

/* Services from specs; each is seen up in 0.01 s until a test says more. */
static void init(struct fixture *f, const char *const *specs_in, size_t n)
{
	memset(f, 0, sizeof *f);
	rp_thresholds_init(&f->t);
	f->cfg.svcs = rp_xcalloc(n, sizeof *f->cfg.svcs);
	for (size_t i = 0; i < n; i++) {
		char err[300];
		ck_assert_msg(services_parse_spec(specs_in[i], &f->cfg.svcs[i], err, sizeof err),
		              "%s", err);
		f->seen[i].verdict = RP_V_UP;
		f->seen[i].why = "fine";
		f->seen[i].addr = "127.0.0.1:1";
		f->seen[i].elapsed = 0.01;
	}
	f->cfg.n = n;
}

static void done(struct fixture *f, struct rp_check *root)
{
	rp_check_free(root);
	for (size_t i = 0; i < f->cfg.n; i++)
		services_svc_free(&f->cfg.svcs[i]);
	free(f->cfg.svcs);
	rp_thresholds_free(&f->t);
}

static void threshold(struct fixture *f, char which, const char *arg)
{
	char err[256];
	ck_assert_msg(rp_thresholds_add(&f->t, specs, NULL, which, arg, err, sizeof err), "%s",
	              err);
}

static const char *const three[] = { "db=postgres://127.0.0.1:5432", "cache=redis://127.0.0.1",
	                             "ws=ws://127.0.0.1:8765/" };

START_TEST(test_all_up)
{
	struct fixture f;
	init(&f, three, 3);
	struct rp_check *root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_OK);
	ck_assert_str_eq(root->text, "all 3 services up");
	done(&f, root);
}
END_TEST

/* F12, F13: each service down is named with its address and why. */
START_TEST(test_down_named)
{
	struct fixture f;
	init(&f, three, 3);
	f.seen[1].verdict = RP_V_DOWN;
	f.seen[1].why = "NOAUTH: password required but none configured";
	f.seen[2].verdict = RP_V_DOWN;
	f.seen[2].why = "connection refused";
	struct rp_check *root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	ck_assert_ptr_nonnull(strstr(root->text, "2 of 3 down: cache 127.0.0.1:1 (NOAUTH"));
	ck_assert_ptr_nonnull(strstr(root->text, "ws 127.0.0.1:1 (connection refused)"));
	done(&f, root);
}
END_TEST

/* --optional: down is WARNING; -c down=RANGE: the count decides. */
START_TEST(test_optional_and_count)
{
	struct fixture f;
	init(&f, three, 3);
	f.cfg.svcs[2].optional = true;
	f.seen[2].verdict = RP_V_DOWN;
	struct rp_check *root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	done(&f, root);
	init(&f, three, 3);
	threshold(&f, 'w', "down=0");
	threshold(&f, 'c', "down=1");
	f.seen[0].verdict = RP_V_DOWN;
	root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING); /* 1 down: within 0..1 */
	done(&f, root);
	init(&f, three, 3);
	threshold(&f, 'c', "down=1");
	f.seen[0].verdict = RP_V_DOWN;
	f.seen[1].verdict = RP_V_DOWN;
	root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	done(&f, root);
}
END_TEST

/* A slow service that answered is judged by time; a down one's time is
 * shown without the time thresholds (it is judged as down). */
START_TEST(test_time_thresholds)
{
	struct fixture f;
	init(&f, three, 3);
	threshold(&f, 'w', "time=0.5");
	f.seen[0].elapsed = 0.7;
	f.seen[2].verdict = RP_V_DOWN;
	f.seen[2].elapsed = 9;
	f.cfg.svcs[2].optional = true;
	struct rp_check *root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	for (size_t i = 0; i < root->perf.n; i++) {
		const struct rp_perf *p = &root->perf.items[i];
		if (strcmp(p->label, "time.db") == 0)
			ck_assert(p->warn && p->state == RP_WARNING && p->worded);
		if (strcmp(p->label, "time.ws") == 0)
			ck_assert(!p->warn && p->state == RP_OK);
	}
	done(&f, root);
}
END_TEST

/* A password that could not be loaded: UNKNOWN for that service. */
START_TEST(test_load_error_and_warning)
{
	struct fixture f;
	init(&f, three, 2);
	f.seen[1].load_error = (char *)"the password variable P is not set";
	struct rp_check *root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_UNKNOWN);
	done(&f, root);
	init(&f, three, 2);
	f.seen[1].load_warning = (char *)"the password file /p is readable by others";
	root = services_evaluate(&f.cfg, f.seen, 0, &f.t);
	ck_assert_int_eq(rp_check_state(root), RP_WARNING);
	ck_assert_ptr_nonnull(strstr(root->text, "cache: the password file /p is readable"));
	done(&f, root);
}
END_TEST

/* Specs: the protocol's own parameters, and its rules. */
START_TEST(test_specs)
{
	struct svc s;
	char err[300];
	ck_assert(services_parse_spec("api=https://h/health?expect=200-204&x=1", &s, err,
	                              sizeof err));
	ck_assert(s.proto->tls);
	ck_assert_str_eq(s.target, "/health?x=1");
	services_svc_free(&s);
	ck_assert(!services_parse_spec("c=redis://h?password-env=A&password-file=B", &s, err,
	                               sizeof err));
	ck_assert_str_eq(err, "service c: ?password-env= or ?password-file=, not both");
	ck_assert(!services_parse_spec("w=http://h:1/?client-cert=/c.pem", &s, err, sizeof err));
	ck_assert_str_eq(err, "service w: ?client-cert= is for tls://, https:// and wss://, not "
	                      "http://");
	ck_assert(!services_parse_spec("w=tls://h:1?client-key=/k.pem", &s, err, sizeof err));
	ck_assert_str_eq(err, "service w: ?client-key and its passphrase go with ?client-cert");
	ck_assert(services_parse_spec("w=wss://h:1/?client-cert=/c.pem&client-key-pass-env=P", &s,
	                              err, sizeof err));
	services_svc_free(&s);
	ck_assert(!services_parse_spec("x=tcp://h:1?expect=", &s, err, sizeof err));
	ck_assert(!services_parse_spec("x=http://h/?expect=abc", &s, err, sizeof err));
	ck_assert(!services_parse_spec("x=tls://h:1?insecure=2", &s, err, sizeof err));
	ck_assert(!services_parse_spec("x=smtp://h?user=a", &s, err, sizeof err));
	ck_assert_str_eq(err, "service x: smtp:// takes no ?user=");
	/* white space around '=' and at the ends, as a manifest allows */
	ck_assert_msg(
	        services_parse_spec("  db =\tpostgres://h:5432?user=app  ", &s, err, sizeof err),
	        "%s", err);
	ck_assert_str_eq(s.name, "db");
	ck_assert_str_eq(s.uri_text, "postgres://h:5432?user=app");
	services_svc_free(&s);
	ck_assert(!services_parse_spec("d b = tcp://h:1", &s, err, sizeof err));
	ck_assert(!services_parse_spec(" = tcp://h:1", &s, err, sizeof err));
}
END_TEST

static Suite *services_eval_suite(void)
{
	Suite *s = suite_create("services_eval");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_all_up);
	tcase_add_test(tc, test_down_named);
	tcase_add_test(tc, test_optional_and_count);
	tcase_add_test(tc, test_time_thresholds);
	tcase_add_test(tc, test_load_error_and_warning);
	tcase_add_test(tc, test_specs);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(services_eval_suite)
