/* Secret names, placeholder values, entropy. */
#include "rp_secrets.h"
#include "rp_test.h"

#include <string.h>

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
	ck_assert(rp_algorithm_name("JWT_ALGORITHM"));
	ck_assert(rp_algorithm_name("jwt_alg"));
	ck_assert(!rp_algorithm_name("ALGOL"));
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
		ck_assert_msg(rp_placeholder_reason(ph[i], strlen(ph[i]), "JWT_SECRET", NULL, 0),
		              "'%s' should be a placeholder", ph[i]);
	const char *real[] = { "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		               "kR3x!v9Lq2#wZ8pT", "Tr0ub4dor&3-correct-horse" };
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
		ck_assert_msg(
		        !rp_placeholder_reason(real[i], strlen(real[i]), "JWT_SECRET", NULL, 0),
		        "'%s' is not a placeholder", real[i]);
	ck_assert_str_eq(rp_placeholder_reason("", 0, "K", NULL, 0), "empty");
	regex_t re;
	ck_assert(regcomp(&re, "^dev-", REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0);
	ck_assert_str_eq(rp_placeholder_reason("DEV-abcdef123", 13, "K", &re, 1),
	                 "placeholder (matches --placeholder)");
	regfree(&re);
}
END_TEST

START_TEST(test_reasons_never_hold_the_value)
{
	const char *values[] = { "your-fire22-api-token", "<generate-me>", "changeme", "${X}" };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		const char *why = rp_placeholder_reason(values[i], strlen(values[i]), "K", NULL, 0);
		ck_assert(why != NULL);
		ck_assert_msg(strstr(why, values[i]) == NULL, "%s", why);
	}
}
END_TEST

START_TEST(test_entropy)
{
	ck_assert(rp_entropy_bits("", 0) == 0);
	ck_assert(rp_entropy_bits("aaaa", 4) == 0);
	const char *hex = "9f86d081884c7d659a2feaa0c55ad015";
	ck_assert(rp_entropy_bits(hex, 32) > 100);
	const char *plain = "passwordpasswordpasswordpassword";
	ck_assert(rp_entropy_bits(plain, 32) < 96);
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
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(secrets_suite)
