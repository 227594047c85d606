/* rp_compose against compose itself: for each project, every service's
 * environment as `docker-compose config` resolves it (env_file, lists and
 * maps, anchors and merges, the .env's interpolation, bare names) must be
 * what check_config computes, key for key and value for value. Without
 * docker-compose the test says SKIP loudly, and fails under CI. */
#include "harness.h"
#include "rp_compose.h"
#include "rp_test.h"
#include "rp_util.h"
#include "rp_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMPOSE_BIN "/usr/bin/docker-compose"

struct project {
	const char *compose;
	const char *dotenv;
	const char *env_file; /* written as common.env */
};

/* Only syntax compose 1.29 and 2.x both accept. */
static const struct project projects[] = {
	{ "x-common: &common\n"
	  "  image: app\n"
	  "  env_file: common.env\n"
	  "  environment: &env\n"
	  "    TZ: UTC\n"
	  "    LOG_LEVEL: ${LOG_LEVEL:-info}\n"
	  "services:\n"
	  "  gateway:\n"
	  "    <<: *common\n"
	  "    environment:\n"
	  "      <<: *env\n"
	  "      PORT: 8080\n"
	  "      JWT_SECRET_KEY: ${JWT_SECRET_KEY}\n"
	  "      RATIO: '0.5'\n"
	  "  worker:\n"
	  "    <<: *common\n"
	  "    environment:\n"
	  "      - REDIS_PASSWORD\n"
	  "      - REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379/0\n"
	  "      - PRICE=$$5\n"
	  "      - EMPTY=\n"
	  "      - UNSET_IN_DOTENV=${NOT_IN_DOTENV}x\n"
	  "  plain:\n"
	  "    image: app\n",
	  "REDIS_PASSWORD=pw-from-dotenv\nJWT_SECRET_KEY=\"quoted value\"\nLOG_LEVEL=\n",
	  "DATABASE_URL=postgres://app@db/app\nLOG_LEVEL=debug\n" },
	{ "services:\n"
	  "  api:\n"
	  "    image: api:${TAG-latest}\n"
	  "    env_file:\n"
	  "      - common.env\n"
	  "    environment:\n"
	  "      DATABASE_URL: postgres://override@db/app\n"
	  "      FROM_DOTENV:\n"
	  "      DEFAULTED: ${MISSING:-fallback}\n"
	  "      DASH: ${EMPTYVAR-kept}\n"
	  "      DOLLARS: a$$b\n",
	  "FROM_DOTENV=dotenv-value\nEMPTYVAR=\n",
	  "DATABASE_URL=postgres://app@db/app\nEXTRA=1\n" },
};

/* Compose's config output writes a literal dollar as $$. */
static char *unescape(const char *s)
{
	char *out = rp_xstrdup(s), *w = out;
	for (const char *p = s; *p; p++) {
		*w++ = *p;
		if (p[0] == '$' && p[1] == '$')
			p++;
	}
	*w = '\0';
	return out;
}

static const struct rp_value *service_env(const struct rp_value *config, const char *name)
{
	const struct rp_value *services = rp_value_table_get(config, "services", 8);
	ck_assert_ptr_nonnull(services);
	const struct rp_value *svc = rp_value_table_get(services, name, strlen(name));
	ck_assert_msg(svc != NULL, "compose has no service %s", name);
	return rp_value_table_get(svc, "environment", 11);
}

static void compare(const struct rp_compose_service *ours, const struct rp_value *theirs)
{
	size_t ntheirs = theirs ? theirs->n : 0;
	ck_assert_msg(ours->env != NULL, "%s: %s", ours->name, ours->refused);
	ck_assert_msg(ours->env->n == ntheirs, "%s: %zu keys, compose has %zu", ours->name,
	              ours->env->n, ntheirs);
	for (size_t i = 0; i < ntheirs; i++) {
		const struct rp_value *v =
		        rp_value_table_get(ours->env, theirs->keys[i].s, theirs->keys[i].len);
		ck_assert_msg(v != NULL, "%s: no %s", ours->name, theirs->keys[i].s);
		const struct rp_value *t = theirs->items[i];
		char *want = unescape(t->type == RP_V_STRING ? t->s : "");
		ck_assert_msg(strcmp(v->s, want) == 0, "%s.%s: '%s', compose says '%s'", ours->name,
		              theirs->keys[i].s, v->s, want);
		free(want);
	}
}

START_TEST(test_same_as_compose)
{
	if (access(COMPOSE_BIN, X_OK) != 0) {
		fprintf(stderr, "docker-compose is not installed: test_same_as_compose SKIPPED\n");
		ck_assert_msg(getenv("CI") == NULL, "docker-compose must be installed in CI");
		return;
	}
	const struct project *pj = &projects[_i];
	char *dir = h_tempdir();
	char *file = h_write_file(dir, "docker-compose.yml", pj->compose, strlen(pj->compose));
	free(h_write_file(dir, ".env", pj->dotenv, strlen(pj->dotenv)));
	free(h_write_file(dir, "common.env", pj->env_file, strlen(pj->env_file)));
	/* compose would read the shell's environment too: give it none */
	char *argv[] = { (char *)COMPOSE_BIN,
		         (char *)"--project-directory",
		         dir,
		         (char *)"-f",
		         file,
		         (char *)"config",
		         NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", (char *)"HOME=/nonexistent", NULL };
	struct h_run r;
	h_run_argv(&r, argv, envp, 60);
	ck_assert_msg(r.exit_code == 0, "docker-compose config: %s%s", r.out, r.raw.err);
	char err[256];
	struct rp_value *config = rp_yaml_parse(r.out, strlen(r.out), err, sizeof err);
	ck_assert_msg(config != NULL, "%s", err);
	struct rp_compose ours;
	ck_assert_msg(rp_compose_load(file, &ours, err, sizeof err), "%s", err);
	for (size_t i = 0; i < ours.n; i++)
		compare(&ours.services[i], service_env(config, ours.services[i].name));
	rp_compose_free(&ours);
	rp_value_free(config);
	h_run_free(&r);
	h_rmrf(dir);
	free(dir), free(file);
}
END_TEST

static Suite *compose_oracle_suite(void)
{
	Suite *s = suite_create("compose_oracle");
	TCase *tc = tcase_create("docker-compose");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_same_as_compose, 0,
	                    (int)(sizeof projects / sizeof projects[0]));
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(compose_oracle_suite)
