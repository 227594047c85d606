/* check_config's evaluate step on sources built in memory. */
#include "check_config.h"
#include "rp_render.h"
#include "rp_test.h"
#include "rp_test_render.h"
#include "rp_toml.h"

#include <stdio.h>
#include <string.h>

static struct config_config cfg;
static struct config_observed obs;
static struct config_source src[2];

static void setup(void)
{
	memset(&cfg, 0, sizeof cfg);
	cfg.min_length = 32;
	cfg.min_entropy_bits = 96;
	cfg.weak_state = RP_WARNING;
	cfg.missing_state = RP_CRITICAL;
	memset(&obs, 0, sizeof obs);
	memset(src, 0, sizeof src);
	obs.sources = src;
}

static void teardown(void)
{
	for (size_t i = 0; i < 2; i++)
		config_source_free(&src[i]);
	config_source_free(&obs.template_src);
}

static void flat_source(struct config_source *s, const char *name, const char *const *kv)
{
	s->name = strdup(name);
	s->flat = true;
	s->root = rp_value_new(RP_V_TABLE);
	for (; kv[0]; kv += 2)
		rp_value_table_add(s->root, kv[0], strlen(kv[0]),
		                   rp_value_new_string(kv[1], strlen(kv[1])));
	obs.nsources++;
}

static char *verdict(enum rp_state *st)
{
	return rp_test_render(config_evaluate(&cfg, &obs, NULL), "check_config", "CONFIG", 3, st);
}

#define EXPECT(state, text)                                                                        \
	do {                                                                                       \
		enum rp_state st_;                                                                 \
		char *out_ = verdict(&st_);                                                        \
		ck_assert_msg(st_ == (state), "state %s:\n%s", rp_state_text(st_), out_);          \
		ck_assert_msg(strstr(out_, (text)) != NULL, "no '%s' in:\n%s", (text), out_);      \
		ck_assert_msg(strstr(out_, "hunter2-but-long-enough-to-pass-32") == NULL,          \
		              "value printed:\n%s", out_);                                         \
		free(out_);                                                                        \
	} while (0)

START_TEST(test_required_and_secrets)
{
	static const char *const kv[] = { "DB_PASSWORD", "hunter2-but-long-enough-to-pass-32",
		                          "JWT_SECRET",  "your-jwt-secret",
		                          "EMPTY_REQ",   "",
		                          NULL };
	flat_source(&src[0], ".env", kv);
	char *req[] = { (char *)"EMPTY_REQ", (char *)"NOT_THERE" };
	cfg.require = req;
	cfg.nrequire = 2;
	EXPECT(RP_CRITICAL, "1 required key missing from .env: NOT_THERE");
	EXPECT(RP_CRITICAL, "[CRITICAL] EMPTY_REQ (.env): empty");
	EXPECT(RP_CRITICAL, "[CRITICAL] JWT_SECRET (.env): placeholder (template text)");
	EXPECT(RP_CRITICAL, "'missing'=2");
	cfg.nrequire = 0;
	cfg.no_auto_secrets = true;
	EXPECT(RP_OK, "3 keys in 1 source; 0 secrets checked");
	cfg.require = NULL;
}
END_TEST

START_TEST(test_each_source_is_checked)
{
	static const char *const file[] = { "REDIS_PASSWORD", "hunter2-but-long-enough-to-pass-32",
		                            NULL };
	static const char *const proc[] = { "PATH", "/bin", NULL };
	flat_source(&src[0], ".env", file);
	flat_source(&src[1], "pid 42", proc);
	char *req[] = { (char *)"REDIS_PASSWORD" };
	cfg.require = req;
	cfg.nrequire = 1;
	EXPECT(RP_CRITICAL, "1 required key missing from pid 42: REDIS_PASSWORD");
	cfg.require = NULL;
}
END_TEST

START_TEST(test_source_errors_and_template)
{
	src[0].name = strdup("wrangler.toml");
	src[0].error = strdup("does not parse: line 3, column 1: key 'A' is defined twice");
	src[0].error_state = RP_CRITICAL;
	obs.nsources = 1;
	EXPECT(RP_CRITICAL, "wrangler.toml: does not parse: line 3, column 1");
	free(src[0].error);
	src[0].error = strdup("no such process");
	src[0].error_state = RP_UNKNOWN;
	EXPECT(RP_UNKNOWN, "no such process");
	config_source_free(&src[0]);
	obs.nsources = 0;

	static const char *const tmpl[] = { "API_URL", "<your-api-url>", "MODE", "prod", NULL };
	static const char *const env[] = { "API_URL", "<your-api-url>", "MODE", "prod", NULL };
	flat_source(&src[0], ".env", env);
	obs.nsources = 0;
	flat_source(&obs.template_src, ".env.example", tmpl);
	obs.has_template = true;
	/* a non-secret left at the template's placeholder text; MODE is fine */
	EXPECT(RP_CRITICAL, "API_URL (.env): placeholder (unchanged from the template)");
}
END_TEST

START_TEST(test_nested_paths)
{
	const char *toml = "[vars]\nTOKEN = \"hunter2-but-long-enough-to-pass-32\"\n"
	                   "[[kv_namespaces]]\nbinding = \"A\"\n[[kv_namespaces]]\nid = \"x\"\n";
	char err[128];
	src[0].name = strdup("wrangler.toml");
	src[0].root = rp_toml_parse(toml, strlen(toml), err, sizeof err);
	obs.nsources = 1;
	char *req[] = { (char *)"kv_namespaces[*].id", (char *)"vars.TOKEN" };
	cfg.require = req;
	cfg.nrequire = 2;
	EXPECT(RP_CRITICAL,
	       "1 required key missing from wrangler.toml: kv_namespaces[binding=A].id");
	cfg.missing_state = RP_WARNING;
	EXPECT(RP_WARNING, "kv_namespaces[binding=A].id");
	cfg.require = NULL;
}
END_TEST

static Suite *config_eval_suite(void)
{
	Suite *s = suite_create("config_eval");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_required_and_secrets);
	tcase_add_test(tc, test_each_source_is_checked);
	tcase_add_test(tc, test_source_errors_and_template);
	tcase_add_test(tc, test_nested_paths);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(config_eval_suite)
