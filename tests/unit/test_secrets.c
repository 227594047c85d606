/* Secret names, placeholder values, entropy. */
#include "rp_secret.h"
#include "rp_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

START_TEST(test_names)
{
	const char *secret[] = {
		"JWT_SECRET",         "JWT_SECRET_KEY", "FIRE22_TOKEN",    "REDIS_PASSWORD",
		"DB_PASSWD",          "STRIPE_API_KEY", "SSH_PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY",
		"GOOGLE_CREDENTIALS", "SIGNING_KEY",    "api-token",       "KEY",
		"passphrase"
	};
	const char *setting[] = { "ACCESS_TOKEN_EXPIRE_MINUTES",
		                  "JWT_ALGORITHM",
		                  "TOKEN_URL",
		                  "SECRET_FILE",
		                  "PASSWORD_MIN_LENGTH",
		                  "SESSION_TOKEN_TTL",
		                  "API_KEY_PATH",
		                  "KV_ID",
		                  "STRIPE_PUBLISHABLE_KEY",
		                  "PUBLIC_KEY",
		                  "PRIMARY_KEY",
		                  "DATABASE_URL",
		                  "PORT",
		                  "LOG_LEVEL",
		                  "TOKEN_HEADER" };
	for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
		ck_assert_msg(rp_secret_name(secret[i]), "%s should be a secret", secret[i]);
	for (size_t i = 0; i < sizeof setting / sizeof setting[0]; i++)
		ck_assert_msg(!rp_secret_name(setting[i]), "%s should not be a secret", setting[i]);
	ck_assert(rp_secret_algorithm_name("JWT_ALGORITHM"));
	ck_assert(rp_secret_algorithm_name("jwt_alg"));
	ck_assert(!rp_secret_algorithm_name("ALGOL"));
}
END_TEST

START_TEST(test_placeholders)
{
	const char *ph[] = { "",
		             "   ",
		             "your-fire22-api-token",
		             "your_secret",
		             "<generate-with-openssl>",
		             "changeme",
		             "change-me",
		             "CHANGE_ME",
		             "xxxxxxxx",
		             "TODO",
		             "fixme later",
		             "placeholder",
		             "example-key",
		             "dummy",
		             "secret",
		             "password",
		             "token",
		             "${JWT_SECRET}",
		             "$JWT_SECRET",
		             "JWT_SECRET",
		             "aaaaaaaaaaaaaaaa",
		             "123456789",
		             "abcdefgh",
		             "987654",
		             "undefined",
		             "null" };
	for (size_t i = 0; i < sizeof ph / sizeof ph[0]; i++)
		ck_assert_msg(
		        rp_secret_placeholder_reason(ph[i], strlen(ph[i]), "JWT_SECRET", NULL, 0),
		        "'%s' should be a placeholder", ph[i]);
	const char *real[] = { "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		               "kR3x!v9Lq2#wZ8pT", "Tr0ub4dor&3-correct-horse" };
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
		ck_assert_msg(!rp_secret_placeholder_reason(real[i], strlen(real[i]), "JWT_SECRET",
		                                            NULL, 0),
		              "'%s' is not a placeholder", real[i]);
	ck_assert_str_eq(rp_secret_placeholder_reason("", 0, "K", NULL, 0), "empty");
	regex_t re;
	ck_assert(regcomp(&re, "^dev-", REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0);
	ck_assert_str_eq(rp_secret_placeholder_reason("DEV-abcdef123", 13, "K", &re, 1),
	                 "placeholder (matches --placeholder)");
	regfree(&re);
}
END_TEST

START_TEST(test_reasons_never_hold_the_value)
{
	const char *values[] = { "your-fire22-api-token", "<generate-me>", "changeme", "${X}" };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		const char *why =
		        rp_secret_placeholder_reason(values[i], strlen(values[i]), "K", NULL, 0);
		ck_assert(why != NULL);
		ck_assert_msg(strstr(why, values[i]) == NULL, "%s", why);
	}
}
END_TEST

START_TEST(test_entropy)
{
	ck_assert(rp_secret_entropy_bits("", 0) == 0);
	ck_assert(rp_secret_entropy_bits("aaaa", 4) == 0);
	const char *hex = "9f86d081884c7d659a2feaa0c55ad015";
	ck_assert(rp_secret_entropy_bits(hex, 32) > 100);
	const char *plain = "passwordpasswordpasswordpassword";
	ck_assert(rp_secret_entropy_bits(plain, 32) < 96);
}
END_TEST

/* One loader for every plugin: files (first line, no newline) and
 * variables; empty is an error; a file others may read is a warning. */
START_TEST(test_load)
{
	char dir[] = "/tmp/rp-secrets-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/token", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("s3cr3t-value\nsecond line\n", f);
	fclose(f);
	chmod(path, 0600);
	char *error, *warning;
	char *v = rp_secret_load(path, NULL, "token", &error, &warning);
	ck_assert_str_eq(v, "s3cr3t-value");
	ck_assert_ptr_null(error);
	ck_assert_ptr_null(warning);
	rp_secret_free(v);
	chmod(path, 0644);
	v = rp_secret_load(path, NULL, "token", &error, &warning);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(strstr(warning, "readable by others (mode 0644); chmod 600 it"));
	ck_assert_ptr_null(strstr(warning, "s3cr3t"));
	free(warning);
	rp_secret_free(v);
	f = fopen(path, "w");
	fputs("\n", f);
	fclose(f);
	ck_assert_ptr_null(rp_secret_load(path, NULL, "token", &error, &warning));
	ck_assert_ptr_nonnull(strstr(error, "empty"));
	free(error);
	free(warning);
	unlink(path);
	ck_assert_ptr_null(rp_secret_load(path, NULL, "token", &error, &warning));
	ck_assert_ptr_nonnull(strstr(error, "cannot read the token file"));
	free(error);
	rmdir(dir);
	setenv("RP_TEST_SECRET", "from-env", 1);
	v = rp_secret_load(NULL, "RP_TEST_SECRET", "password", &error, &warning);
	ck_assert_str_eq(v, "from-env");
	rp_secret_free(v);
	setenv("RP_TEST_SECRET", "", 1);
	ck_assert_ptr_null(rp_secret_load(NULL, "RP_TEST_SECRET", "password", &error, &warning));
	ck_assert_str_eq(error, "the password from RP_TEST_SECRET is empty");
	free(error);
	unsetenv("RP_TEST_SECRET");
	ck_assert_ptr_null(rp_secret_load(NULL, "RP_TEST_SECRET", "password", &error, &warning));
	ck_assert_str_eq(error, "the password variable RP_TEST_SECRET is not set");
	free(error);
}
END_TEST

START_TEST(test_redact_url)
{
	const char *cases[][2] = {
		{ "https://u:pw@h:1/p?a=1&token=abc&b=2#f",
		  "https://h:1/p?a=1&token=[redacted]&b=2#f" },
		{ "redis://:pw@127.0.0.1:6379", "redis://127.0.0.1:6379" },
		{ "http://h/?api_key=k&sig=s&key=x",
		  "http://h/?api_key=[redacted]&sig=[redacted]&key=[redacted]" },
		{ "GET /x?password=p HTTP/1.1", "GET /x?password=[redacted]" },
		{ "http://h/a@b", "http://h/a@b" },
		{ "x=ftp://u:p@h", "x=ftp://h" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = rp_secret_redact_url(cases[i][0], 200);
		ck_assert_msg(strcmp(r, cases[i][1]) == 0, "%s -> %s", cases[i][0], r);
		free(r);
	}
}
END_TEST

/* Commands shown (--dry-run, -vv): every way a manifest can spell a secret
 * on a command line is redacted, header words included. */
START_TEST(test_redact_command)
{
	const char *cases[][2] = {
		{ "--header", "'Authorization: [redacted]'" },
		{ "-H", "'proxy-authorization: [redacted]'" },
		{ "X-Api-Key:k1", "X-Api-Key:[redacted]" },
		{ "X-Auth-Token: t1", "'X-Auth-Token: [redacted]'" },
		{ "--token=t2", "'--token=[redacted]'" },
		{ "--api-key", "[redacted]" },
		{ "Cookie: s=1", "'Cookie: [redacted]'" },
		{ "Accept: text/html", "'Accept: text/html'" },
		{ "X-Token-Expires: 5", "'X-Token-Expires: 5'" },
		{ "redis://:pw@h:1", "redis://h:1" },
	};
	const char *values[] = { "Authorization: Bearer s3",
		                 "proxy-authorization: Basic s4",
		                 "",
		                 "",
		                 "",
		                 "s5",
		                 "",
		                 "",
		                 "",
		                 "" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[] = { (char *)"check_api", (char *)cases[i][0], (char *)values[i] };
		struct rp_buf b;
		rp_buf_init(&b);
		rp_secret_redact_command(&b, NULL, argv, values[i][0] ? 3 : 2);
		rp_buf_putc(&b, '\0');
		ck_assert_msg(strstr(b.data, cases[i][1]) != NULL, "%s -> %s", cases[i][0], b.data);
		ck_assert_msg(
		        strstr(b.data, "s3") == NULL && strstr(b.data, "s4") == NULL &&
		                strstr(b.data, "s5") == NULL && strstr(b.data, "k1") == NULL &&
		                strstr(b.data, "t1") == NULL && strstr(b.data, "t2") == NULL &&
		                strstr(b.data, "pw") == NULL && strstr(b.data, "s=1") == NULL,
		        "%s", b.data);
		rp_buf_free(&b);
	}
	ck_assert(rp_secret_header_name("Authorization: x", 16));
	ck_assert(rp_secret_header_name("X-API-KEY", 9));
	ck_assert(!rp_secret_header_name("Content-Type: x", 15));
	ck_assert(!rp_secret_header_name("GET /?token:x", 13));
}
END_TEST

/* A log's tail made fit to show: known values masked (never a short
 * one), URLs' credentials gone, lines sanitised, the reason found. */
START_TEST(test_clean_log)
{
	char *values[] = { (char *)"Tok3n-Value-99", (char *)"ab" };
	const char *raw = "starting with Tok3n-Value-99\r\n\n"
	                  "connecting to redis://:pw-in-url@cache:6379/0 ab\n"
	                  "Error: auth \x1b[31mfailed\n";
	char *log, *line;
	rp_secret_clean_log(raw, strlen(raw), values, 2, &log, &line);
	ck_assert_str_eq(log, "starting with [redacted]\n"
	                      "connecting to redis://cache:6379/0 ab\n"
	                      "Error: auth \\x1b[31mfailed\n");
	ck_assert_str_eq(line, "Error: auth \\x1b[31mfailed");
	free(log), free(line);
	rp_secret_clean_log("", 0, values, 2, &log, &line);
	ck_assert_ptr_null(log);
	ck_assert_ptr_null(line);
}
END_TEST

static Suite *secrets_suite(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_placeholders);
	tcase_add_test(tc, test_reasons_never_hold_the_value);
	tcase_add_test(tc, test_entropy);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_redact_url);
	tcase_add_test(tc, test_redact_command);
	tcase_add_test(tc, test_clean_log);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(secrets_suite)
