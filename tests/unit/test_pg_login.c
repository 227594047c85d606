/* A failed PostgreSQL login, told in words from the server's message
 * (lib/db/rp_pg): the messages are PostgreSQL 15's and libpq's own. */
#include "rp_pg.h"
#include "rp_test.h"

#include <string.h>

struct login_case {
	const char *message;
	enum rp_pg_login kind;
};

static const struct login_case cases[] = {
	{ "role \"ghost\" does not exist", RP_PG_LOGIN_NO_ROLE },
	{ "database \"nope\" does not exist", RP_PG_LOGIN_NO_DATABASE },
	{ "password authentication failed for user \"app\"", RP_PG_LOGIN_PASSWORD },
	{ "fe_sendauth: no password supplied", RP_PG_LOGIN_PASSWORD },
	{ "no pg_hba.conf entry for host \"10.0.0.5\", user \"app\", database \"app\", no "
	  "encryption",
	  RP_PG_LOGIN_HBA },
	{ "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"blocked\"",
	  RP_PG_LOGIN_HBA },
	{ "the database system is shutting down", RP_PG_LOGIN_NOT_ACCEPTING },
	{ "the database system is starting up", RP_PG_LOGIN_NOT_ACCEPTING },
	{ "the database system is not yet accepting connections", RP_PG_LOGIN_NOT_ACCEPTING },
	{ "Connection refused", RP_PG_LOGIN_UNREACHABLE },
	{ "could not translate host name \"db\" to address: Name or service not known",
	  RP_PG_LOGIN_UNREACHABLE },
	{ "timeout expired", RP_PG_LOGIN_TIMEOUT },
	{ "SSL error: certificate verify failed", RP_PG_LOGIN_OTHER },
	{ "", RP_PG_LOGIN_OTHER },
	/* a table, not a role: the words say which */
	{ "relation \"users\" does not exist", RP_PG_LOGIN_OTHER },
};

START_TEST(test_login_kind)
{
	const struct login_case *c = &cases[_i];
	ck_assert_msg(rp_pg_login_kind(c->message) == c->kind, "%s", c->message);
	ck_assert(strlen(rp_pg_login_words(c->kind)) > 0);
}
END_TEST

static Suite *pg_login_suite(void)
{
	Suite *s = suite_create("pg_login");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_login_kind, 0, (int)(sizeof cases / sizeof cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(pg_login_suite)
