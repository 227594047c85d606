/* rp_configkey: one value from an application's own configuration file,
 * by its kind (dotenv, TOML, JSON), and what is said when it cannot be
 * had: never the value. */
#include "rp_configkey.h"
#include "rp_secret.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/rp-configkey-XXXXXX";

static char *put(const char *name, const char *text)
{
	char *p = rp_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void expect(const char *spec, const char *value, const char *error)
{
	char *err = NULL;
	char *v = rp_configkey_load(spec, "JWT secret", &err);
	if (value) {
		ck_assert_msg(v && !strcmp(v, value), "%s: %s", spec, err ? err : "(wrong value)");
		ck_assert_ptr_null(err);
	} else {
		ck_assert_msg(!v, "%s: a value", spec);
		ck_assert_msg(err && strstr(err, error), "%s: %s", spec, err ? err : "no error");
		ck_assert_msg(!strstr(err, "s3cr3t"), "%s", err);
	}
	rp_secret_free(v);
	free(err);
}

START_TEST(test_kinds)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *env = put(".env", "DEBUG=1\nexport JWT_SECRET_KEY=\"s3cr3t-from-env\"\nEMPTY=\n");
	char *toml = put("app.toml", "[auth]\njwt_secret = \"s3cr3t-from-toml\"\nn = 3\n");
	char *json = put("app.json", "{\"auth\": {\"jwt\": {\"secret\": \"s3cr3t-from-json\"}}}");
	char *spec = rp_xasprintf("%s:JWT_SECRET_KEY", env);
	expect(spec, "s3cr3t-from-env", NULL);
	free(spec);
	spec = rp_xasprintf("%s:auth.jwt_secret", toml);
	expect(spec, "s3cr3t-from-toml", NULL);
	free(spec);
	spec = rp_xasprintf("%s:auth.jwt.secret", json);
	expect(spec, "s3cr3t-from-json", NULL);
	free(spec);
	spec = rp_xasprintf("%s:NOPE", env);
	expect(spec, NULL, ".env has no NOPE");
	free(spec);
	spec = rp_xasprintf("%s:EMPTY", env);
	expect(spec, NULL, "EMPTY in ");
	free(spec);
	spec = rp_xasprintf("%s:auth", toml);
	expect(spec, NULL, "is not a string (table)");
	free(spec);
	spec = rp_xasprintf("%s:auth.n", toml);
	expect(spec, NULL, "auth.n in ");
	free(spec);
	expect("/nonexistent/.env:KEY", NULL,
	       "the JWT secret file /nonexistent/.env does not exist");
	expect("no-key-here", NULL, "write FILE:KEY");
	expect("/x/.env:", NULL, "write FILE:KEY");
	char *bad = put("bad.toml", "[auth\n");
	spec = rp_xasprintf("%s:a", bad);
	expect(spec, NULL, "does not parse");
	free(spec);
	/* a FIFO is refused, not waited on */
	char *fifo = rp_xasprintf("%s/fifo.env", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	spec = rp_xasprintf("%s:KEY", fifo);
	expect(spec, NULL, "is not a regular file");
	free(spec);
	unlink(fifo), unlink(env), unlink(toml), unlink(json), unlink(bad);
	rmdir(dir);
	free(fifo), free(env), free(toml), free(json), free(bad);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("configkey");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_kinds);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(suite)
