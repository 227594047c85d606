/* check_api's flows without a server: a step's words, the flow file,
 * captured values put into requests and taken from replies, and the
 * flow's verdict from exchanges built by hand. */
#include "check_api.h"
#include "rp_json.h"
#include "rp_render.h"
#include "rp_test.h"

#include <stdio.h>
#include <string.h>

START_TEST(test_step_words)
{
	struct api_step s;
	char err[300];
	ck_assert(api_step_parse("login: POST /auth/login", 1, &s, err, sizeof err));
	ck_assert_str_eq(s.name, "login");
	ck_assert(s.named);
	ck_assert_str_eq(s.method, "POST");
	ck_assert_str_eq(s.target, "/auth/login");
	ck_assert_str_eq(s.shown, "POST /auth/login");
	api_step_free(&s);
	ck_assert(api_step_parse("  /api/prices?x=1 ", 2, &s, err, sizeof err));
	ck_assert_str_eq(s.name, "2");
	ck_assert(!s.named && s.method == NULL);
	ck_assert_str_eq(s.shown, "GET /api/prices?x=1");
	api_step_free(&s);
	ck_assert(api_step_parse("me: https://api.example/v1/me", 3, &s, err, sizeof err));
	ck_assert_str_eq(s.target, "https://api.example/v1/me");
	api_step_free(&s);
	const char *bad[] = { "",         "login:", "POST", "GET /a /b", "bad name!: /x",
		              "a: b: /x", "FETCH",  NULL };
	for (size_t i = 0; bad[i]; i++) {
		err[0] = '\0';
		ck_assert_msg(!api_step_parse(bad[i], 1, &s, err, sizeof err), "%s", bad[i]);
		ck_assert_msg(strstr(err, "--step"), "%s: %s", bad[i], err);
	}
}
END_TEST

START_TEST(test_capture_words)
{
	struct api_capture c;
	char err[300];
	ck_assert(api_capture_parse("token=.access_token", &c, err, sizeof err));
	ck_assert_str_eq(c.name, "token");
	api_capture_free(&c);
	ck_assert(api_capture_parse("id=data.items[0].id", &c, err, sizeof err));
	api_capture_free(&c);
	ck_assert(!api_capture_parse("token", &c, err, sizeof err));
	ck_assert(strstr(err, "NAME=PATH"));
	ck_assert(!api_capture_parse("to ken=.a", &c, err, sizeof err));
	ck_assert(!api_capture_parse("=.a", &c, err, sizeof err));
	ck_assert(!api_capture_parse("t=", &c, err, sizeof err));
}
END_TEST

struct seen_lines {
	char text[2048];
};

static bool collect(void *ctx, const char *option, const char *value, char *err, size_t errlen)
{
	struct seen_lines *s = ctx;
	if (strcmp(option, "nope") == 0) {
		snprintf(err, errlen, "'nope' is not a step's option");
		return false;
	}
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "[%s|%s]", option, value);
	return true;
}

START_TEST(test_flow_file)
{
	const char *text = "# the login flow\n"
	                   "step login: POST /auth/login\r\n"
	                   "  header Content-Type: application/json\n"
	                   "\n"
	                   "\tcapture   token=.access_token  \n"
	                   "step /api/me\n"
	                   "json .price == 42 # not a comment\n";
	struct seen_lines s = { "" };
	char err[300];
	ck_assert_msg(api_flow_parse(text, strlen(text), "f", collect, &s, err, sizeof err), "%s",
	              err);
	ck_assert_str_eq(s.text, "[step|login: POST /auth/login]"
	                         "[header|Content-Type: application/json]"
	                         "[capture|token=.access_token][step|/api/me]"
	                         "[json|.price == 42 # not a comment]");
	memset(&s, 0, sizeof s);
	const char *refused = "step /a\n\nnope x\n";
	ck_assert(!api_flow_parse(refused, strlen(refused), "/etc/f.flow", collect, &s, err,
	                          sizeof err));
	ck_assert_str_eq(err, "/etc/f.flow line 3: 'nope' is not a step's option");
	const char nul[] = "step /a\0x\n";
	ck_assert(!api_flow_parse(nul, sizeof nul - 1, "f", collect, &s, err, sizeof err));
	ck_assert_str_eq(err, "f: a NUL byte: not a flow file");
	char *longline = rp_xmalloc(9000);
	memset(longline, 'a', 8999);
	longline[8999] = '\0';
	ck_assert(!api_flow_parse(longline, 8999, "f", collect, &s, err, sizeof err));
	ck_assert_str_eq(err, "f line 1: longer than 8192 bytes");
	free(longline);
	ck_assert(api_flow_parse("", 0, "f", collect, &s, err, sizeof err));
}
END_TEST

START_TEST(test_expand)
{
	char *names[] = { (char *)"token", (char *)"id", (char *)"token" };
	char *values[] = { (char *)"old", (char *)"42", (char *)"s3cr3t-value" };
	bool used[3] = { false, false, false };
	char *x = api_flow_expand("Authorization: Bearer {token}", names, values, 3, used);
	ck_assert_str_eq(x, "Authorization: Bearer s3cr3t-value"); /* the latest wins */
	ck_assert(!used[0] && !used[1] && used[2]);
	free(x);
	x = api_flow_expand("{\"a\":{\"id\":1},\"b\":\"{id}\",\"c\":\"{nope}\",\"d\":\"{\"}", names,
	                    values, 3, NULL);
	ck_assert_str_eq(x, "{\"a\":{\"id\":1},\"b\":\"42\",\"c\":\"{nope}\",\"d\":\"{\"}");
	free(x);
	x = api_flow_expand("/items/{id}{", names, values, 0, NULL);
	ck_assert_str_eq(x, "/items/{id}{");
	free(x);
}
END_TEST

static void make_steps(struct api_step *steps, size_t n, const char *const *words)
{
	char err[300];
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(api_step_parse(words[i], i + 1, &steps[i], err, sizeof err), "%s",
		              err);
		steps[i].url = rp_xasprintf("http://127.0.0.1:8000%s", steps[i].target);
		steps[i].cfg.http.url = steps[i].url;
		steps[i].cfg.max_body = 1 << 20;
	}
}

static void add_capture(struct api_step *s, const char *text)
{
	char err[300];
	s->captures = rp_xreallocarray(s->captures, s->ncaptures + 1, sizeof *s->captures);
	ck_assert(api_capture_parse(text, &s->captures[s->ncaptures++], err, sizeof err));
}

START_TEST(test_captures_in_order)
{
	struct api_step steps[3];
	const char *words[] = { "login: POST /auth/login", "me: /api/me/{id}", "/api/{token}" };
	make_steps(steps, 3, words);
	char *p = api_flow_check_captures(steps, 3);
	ck_assert_str_eq(p, "step 2 (me) uses {id}, which no step before it captures (--capture "
	                    "id=PATH)");
	free(p);
	add_capture(&steps[0], "id=.user.id");
	p = api_flow_check_captures(steps, 3);
	ck_assert_str_eq(p, "step 3 (3) uses {token}, which no step before it captures "
	                    "(--capture token=PATH)");
	free(p);
	add_capture(&steps[1], "token=.t");
	ck_assert_ptr_null(api_flow_check_captures(steps, 3));
	for (size_t i = 0; i < 3; i++)
		api_step_free(&steps[i]);
}
END_TEST

START_TEST(test_urls)
{
	char err[300];
	char *u = api_flow_url("http://h:8000/api/v1/login", "/api/me", err, sizeof err);
	ck_assert_str_eq(u, "http://h:8000/api/me");
	free(u);
	u = api_flow_url("http://h:8000/api/v1/login", "me?x=1", err, sizeof err);
	ck_assert_str_eq(u, "http://h:8000/api/v1/me?x=1");
	free(u);
	u = api_flow_url(NULL, "https://auth.example/token", err, sizeof err);
	ck_assert_str_eq(u, "https://auth.example/token");
	free(u);
	u = api_flow_url("http://h/", "/items/{id}", err, sizeof err);
	ck_assert_str_eq(u, "http://h/items/{id}");
	free(u);
	ck_assert_ptr_null(api_flow_url("http://h/", "hpt:/t/x", err, sizeof err));
	ck_assert_ptr_null(api_flow_url("http://h/", "ftp://h/x", err, sizeof err));
	ck_assert_str_eq(err, "'ftp://h/x' is not an http:// or https:// URL");
	ck_assert_ptr_null(api_flow_url(NULL, "/api/me", err, sizeof err));
	ck_assert(strstr(err, "is relative"));
}
END_TEST

START_TEST(test_capture_values)
{
	const char *json = "{\"access_token\":\"abc.def.ghi\",\"n\":7,\"ok\":true,\"o\":{},"
	                   "\"e\":\"\",\"list\":[1,2]}";
	char why[200];
	struct rp_value *doc = rp_json_parse_any(json, strlen(json), why, sizeof why);
	ck_assert_ptr_nonnull(doc);
	const struct {
		const char *path, *value, *why;
	} cases[] = {
		{ ".access_token", "abc.def.ghi", NULL },
		{ ".n", "7", NULL },
		{ ".ok", "true", NULL },
		{ ".o", NULL, ".o is table, not a value to send" },
		{ ".e", NULL, ".e is an empty string, not a value to send" },
		{ ".missing", NULL, "the reply has no .missing" },
		{ ".list[*]", NULL, ".list[*] matches 2 values, not one" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rp_keypath k;
		ck_assert(rp_keypath_parse(cases[i].path, &k, why, sizeof why));
		why[0] = '\0';
		char *v = api_flow_capture_value(doc, &k, why, sizeof why);
		if (cases[i].value) {
			ck_assert_str_eq(v, cases[i].value);
		} else {
			ck_assert_ptr_null(v);
			ck_assert_str_eq(why, cases[i].why);
		}
		free(v);
		rp_keypath_free(&k);
	}
	rp_value_free(doc);
}
END_TEST

static void exchange(struct api_observed *o, size_t step, long status, const char *line,
                     const char *body, double t)
{
	o->flow_step = step;
	o->url_shown = (char *)"http://127.0.0.1:8000/x";
	o->performed = true;
	o->resp.completed = true;
	o->resp.status = status;
	o->resp.status_line = (char *)line;
	o->resp.t_total = t;
	rp_buf_init(&o->resp.body);
	rp_buf_init(&o->resp.trace);
	rp_buf_puts(&o->resp.body, body);
}

/* The flow of the catalogue's 401: the login works, the token it gave is
 * refused; the third step is never run. */
START_TEST(test_verdict)
{
	struct api_config cfg;
	memset(&cfg, 0, sizeof cfg);
	struct api_step steps[3];
	const char *words[] = { "login: POST /auth/login", "GET /api/prices/latest",
		                "logout: POST /auth/logout" };
	make_steps(steps, 3, words);
	cfg.steps = steps;
	cfg.nsteps = 3;
	struct api_observed obs[3];
	memset(obs, 0, sizeof obs);
	exchange(&obs[0], 1, 200, "HTTP/1.1 200 OK", "{\"access_token\":\"tok-SECRET-1\"}", 0.25);
	exchange(&obs[1], 2, 401, "HTTP/1.1 401 Unauthorized", "{\"detail\":\"tok-SECRET-1\"}",
	         0.5);
	obs[1].sent_captures = (char *)"the token from step 1 (login)";
	char *names[] = { (char *)"token" }, *values[] = { (char *)"tok-SECRET-1" };
	char *errors[3] = { NULL, NULL, NULL };
	struct api_flow_seen f = { .steps = obs,
		                   .nsteps = 3,
		                   .nrun = 2,
		                   .names = names,
		                   .values = values,
		                   .ncaptured = 1,
		                   .capture_errors = errors };
	struct rp_thresholds t;
	rp_thresholds_init(&t);
	struct rp_check *root = api_flow_evaluate(&cfg, &f, &t);
	ck_assert_int_eq(rp_check_state(root), RP_CRITICAL);
	char *s = rp_render_summary(root);
	ck_assert_str_eq(s, "step 2/3 (GET /api/prices/latest): HTTP 401 Unauthorized with the "
	                    "token from step 1 (login)");
	free(s);
	struct rp_perf_list all;
	rp_perf_list_init(&all);
	rp_check_collect_perf(root, &all);
	ck_assert_uint_eq(all.n, 2);
	ck_assert_str_eq(all.items[0].label, "time.login");
	ck_assert_str_eq(all.items[1].label, "time.2");
	rp_perf_list_free(&all);
	struct rp_render_opts ro = { .plugin = "check_api", .label = "API", .verbosity = 3 };
	struct rp_buf out;
	rp_buf_init(&out);
	rp_render(root, &ro, &out);
	ck_assert_msg(strstr(out.data, "step 3/3 (POST /auth/logout): not run, step 2 failed"),
	              "%s", out.data);
	ck_assert_msg(!strstr(out.data, "tok-SECRET-1"), "%s", out.data);
	rp_buf_free(&out);
	rp_check_free(root);

	/* a reply without the value to capture stops the flow at its step */
	obs[1].resp.status = 200;
	obs[1].resp.status_line = (char *)"HTTP/1.1 200 OK";
	errors[0] = (char *)"cannot capture token: the reply has no .access_token";
	f.nrun = 1;
	root = api_flow_evaluate(&cfg, &f, &t);
	s = rp_render_summary(root);
	ck_assert_str_eq(s, "step 1/3 (POST /auth/login): cannot capture token: the reply has no "
	                    ".access_token");
	free(s);
	rp_check_free(root);
	errors[0] = NULL;
	f.nrun = 3;
	exchange(&obs[2], 3, 204, "HTTP/1.1 204 No Content", "", 0.1);
	root = api_flow_evaluate(&cfg, &f, &t);
	s = rp_render_summary(root);
	ck_assert_str_eq(s, "3 steps passed: login, GET /api/prices/latest, logout");
	free(s);
	rp_check_free(root);
	/* a reply's value quoted by a finding is masked once captured */
	struct api_json_check warn = { .fail_state = RP_WARNING };
	char why[200];
	ck_assert(rp_json_assert_parse(".access_token == \"nope\"", &warn.a, why, sizeof why));
	steps[0].cfg.json_checks = &warn;
	steps[0].cfg.njson = 1;
	root = api_flow_evaluate(&cfg, &f, &t);
	s = rp_render_summary(root);
	ck_assert_str_eq(s, "step 1/3 (POST /auth/login): json .access_token is \"[redacted]\", "
	                    "expected == \"nope\"");
	free(s);
	rp_check_free(root);
	steps[0].cfg.json_checks = NULL;
	steps[0].cfg.njson = 0;
	rp_json_assert_free(&warn.a);
	for (size_t i = 0; i < 3; i++) {
		rp_buf_free(&obs[i].resp.body);
		rp_buf_free(&obs[i].resp.trace);
		api_step_free(&steps[i]);
	}
	rp_thresholds_free(&t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("api_flow");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_step_words);
	tcase_add_test(tc, test_capture_words);
	tcase_add_test(tc, test_flow_file);
	tcase_add_test(tc, test_expand);
	tcase_add_test(tc, test_captures_in_order);
	tcase_add_test(tc, test_urls);
	tcase_add_test(tc, test_capture_values);
	tcase_add_test(tc, test_verdict);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(suite)
