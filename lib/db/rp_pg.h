/* rp_pg.h: PostgreSQL for the database checks, through libpq: a login
 * that keeps the deadline and says in words why it failed, a session
 * where every statement is read-only and stopped by the server at the
 * deadline, and the connection as an rp_db engine. */
#ifndef RP_PG_H
#define RP_PG_H

#include "rp_db.h"
#include "rp_deadline.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* Why a login failed, from the server's words (or libpq's). */
enum rp_pg_login {
	RP_PG_LOGIN_OK = 0,
	RP_PG_LOGIN_UNREACHABLE,   /* refused, no route, timed out */
	RP_PG_LOGIN_NO_ROLE,       /* role "x" does not exist */
	RP_PG_LOGIN_NO_DATABASE,   /* database "x" does not exist */
	RP_PG_LOGIN_PASSWORD,      /* password authentication failed / none given */
	RP_PG_LOGIN_HBA,           /* pg_hba.conf rejects or has no entry */
	RP_PG_LOGIN_NOT_ACCEPTING, /* starting up, shutting down, recovering (57P03) */
	RP_PG_LOGIN_TIMEOUT,       /* the deadline passed */
	RP_PG_LOGIN_OTHER,
};

/* Connects with the keywords and values given (NULL-terminated arrays,
 * as PQconnectStartParams takes them, without "options") within the
 * deadline; every statement of the session is read-only
 * (default_transaction_read_only) and stopped by the server at the
 * deadline (statement_timeout), and search_path (may be NULL) is the
 * schema searched. NULL with the reason and the server's words in why. */
PGconn *rp_pg_connect(const char *const *keys, const char *const *values, const char *search_path,
                      const struct rp_deadline *dl, enum rp_pg_login *login, char *why,
                      size_t whylen);
/* The kind of a login failure from its message. */
enum rp_pg_login rp_pg_login_kind(const char *message);
/* Words for a kind ("the role does not exist"). */
const char *rp_pg_login_words(enum rp_pg_login kind);

/* The session as an engine for the shared checks (rp_db); a statement the
 * server cancelled at statement_timeout is RP_DB_INTERRUPTED. */
struct rp_db rp_pg_db(PGconn *conn);

#endif
