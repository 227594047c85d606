#include "rp_pg.h"

#include "rp_util.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The server's words, first line, without "FATAL:  " and the newline. */
static void first_line(const char *msg, char *out, size_t outlen)
{
	const char *p = msg ? msg : "";
	if (strncmp(p, "connection to server", 20) == 0 && strstr(p, "failed: "))
		p = strstr(p, "failed: ") + 8;
	if (strncmp(p, "FATAL:  ", 8) == 0)
		p += 8;
	size_t len = strcspn(p, "\n");
	snprintf(out, outlen, "%.*s", (int)len, p);
}

enum rp_pg_login rp_pg_login_kind(const char *m)
{
	static const struct {
		const char *text;
		enum rp_pg_login kind;
	} kinds[] = {
		{ "password authentication failed", RP_PG_LOGIN_PASSWORD },
		{ "no password supplied", RP_PG_LOGIN_PASSWORD },
		{ "fe_sendauth", RP_PG_LOGIN_PASSWORD },
		{ "pg_hba.conf", RP_PG_LOGIN_HBA },
		{ "shutting down", RP_PG_LOGIN_NOT_ACCEPTING },
		{ "starting up", RP_PG_LOGIN_NOT_ACCEPTING },
		{ "not yet accepting connections", RP_PG_LOGIN_NOT_ACCEPTING },
		{ "in recovery mode", RP_PG_LOGIN_NOT_ACCEPTING },
		{ "Connection refused", RP_PG_LOGIN_UNREACHABLE },
		{ "No route to host", RP_PG_LOGIN_UNREACHABLE },
		{ "could not translate host name", RP_PG_LOGIN_UNREACHABLE },
		{ "No such file or directory", RP_PG_LOGIN_UNREACHABLE },
		{ "timeout expired", RP_PG_LOGIN_TIMEOUT },
	};
	if (!m)
		return RP_PG_LOGIN_OTHER;
	if (strstr(m, "role \"") && strstr(m, "does not exist"))
		return RP_PG_LOGIN_NO_ROLE;
	if (strstr(m, "database \"") && strstr(m, "does not exist"))
		return RP_PG_LOGIN_NO_DATABASE;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strstr(m, kinds[i].text))
			return kinds[i].kind;
	return RP_PG_LOGIN_OTHER;
}

const char *rp_pg_login_words(enum rp_pg_login kind)
{
	switch (kind) {
	case RP_PG_LOGIN_OK:
		return "logged in";
	case RP_PG_LOGIN_UNREACHABLE:
		return "the server cannot be reached";
	case RP_PG_LOGIN_NO_ROLE:
		return "the role does not exist";
	case RP_PG_LOGIN_NO_DATABASE:
		return "the database does not exist";
	case RP_PG_LOGIN_PASSWORD:
		return "the password was refused (or none was given)";
	case RP_PG_LOGIN_HBA:
		return "pg_hba.conf does not let this login in";
	case RP_PG_LOGIN_NOT_ACCEPTING:
		return "the server is not accepting connections";
	case RP_PG_LOGIN_TIMEOUT:
		return "no answer within the deadline";
	case RP_PG_LOGIN_OTHER:
		break;
	}
	return "the login failed";
}

/* Drives an asynchronous connection to its end or to the deadline. */
static bool poll_connect(PGconn *conn, const struct rp_deadline *dl)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		int ms = rp_deadline_remaining_ms(dl);
		if (ms <= 0)
			return false;
		struct pollfd p = { PQsocket(conn), st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
			            0 };
		int n = poll(&p, 1, ms);
		if (n < 0 && errno == EINTR)
			continue; /* the deadline is read again */
		if (n <= 0)
			return false;
		st = PQconnectPoll(conn);
	}
	return true;
}

/* "-c name=value" for libpq's options, spaces and backslashes escaped. */
static void add_setting(struct rp_buf *b, const char *name, const char *value)
{
	rp_buf_printf(b, "%s-c %s=", b->len ? " " : "", name);
	for (const char *p = value; *p; p++) {
		if (*p == ' ' || *p == '\\')
			rp_buf_putc(b, '\\');
		rp_buf_putc(b, *p);
	}
}

/* The session's settings: read-only, bounded, and the schema searched. */
static char *session_options(const struct rp_deadline *dl, const char *search_path)
{
	struct rp_buf b;
	rp_buf_init(&b);
	char ms[32];
	int left = rp_deadline_remaining_ms(dl);
	snprintf(ms, sizeof ms, "%d", left > 1 ? left : 1);
	add_setting(&b, "default_transaction_read_only", "on");
	add_setting(&b, "statement_timeout", ms);
	if (search_path)
		add_setting(&b, "search_path", search_path);
	return rp_buf_steal(&b);
}

static void login_failed(PGconn *conn, bool polled, enum rp_pg_login *login, char *why,
                         size_t whylen)
{
	if (!polled && PQstatus(conn) != CONNECTION_BAD) {
		*login = RP_PG_LOGIN_TIMEOUT;
		snprintf(why, whylen, "no answer within the deadline");
	} else if (PQstatus(conn) != CONNECTION_OK) {
		char words[400];
		first_line(PQerrorMessage(conn), words, sizeof words);
		*login = rp_pg_login_kind(words);
		snprintf(why, whylen, "%s", words);
	}
}

PGconn *rp_pg_connect(const char *const *keys, const char *const *values, const char *search_path,
                      const struct rp_deadline *dl, enum rp_pg_login *login, char *why,
                      size_t whylen)
{
	size_t n = 0;
	while (keys[n])
		n++;
	const char **k = rp_xcalloc(n + 3, sizeof *k), **v = rp_xcalloc(n + 3, sizeof *v);
	memcpy(k, keys, n * sizeof *k);
	memcpy(v, values, n * sizeof *v);
	char *options = session_options(dl, search_path);
	k[n] = "options", v[n] = options;
	k[n + 1] = "application_name", v[n + 1] = "readiness-plugins";
	PGconn *conn = PQconnectStartParams(k, v, 0);
	free(k), free(v), free(options);
	*login = RP_PG_LOGIN_OK;
	if (!conn) {
		*login = RP_PG_LOGIN_OTHER;
		snprintf(why, whylen, "libpq could not start a connection");
		return NULL;
	}
	bool polled = PQstatus(conn) != CONNECTION_BAD && poll_connect(conn, dl);
	login_failed(conn, polled, login, why, whylen);
	if (*login != RP_PG_LOGIN_OK) {
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static void take_rows(PGresult *res, size_t max_rows, struct rp_db_rows *out)
{
	size_t rows = (size_t)PQntuples(res), cols = (size_t)PQnfields(res);
	out->truncated = rows > max_rows;
	out->nrows = rows > max_rows ? max_rows : rows;
	out->ncols = cols;
	out->cells = rp_xcalloc(out->nrows * cols + 1, sizeof *out->cells);
	for (size_t r = 0; r < out->nrows; r++)
		for (size_t c = 0; c < cols; c++)
			if (!PQgetisnull(res, (int)r, (int)c))
				out->cells[r * cols + c] =
				        rp_xstrdup(PQgetvalue(res, (int)r, (int)c));
}

/* The extended protocol: one statement only ("cannot insert multiple
 * commands into a prepared statement" otherwise). */
static enum rp_db_status pg_query(void *handle, const char *sql, size_t max_rows,
                                  struct rp_db_rows *out, char *err, size_t errlen)
{
	PGconn *conn = handle;
	memset(out, 0, sizeof *out);
	PGresult *res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	enum rp_db_status ret = RP_DB_OK;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		take_rows(res, max_rows, out);
	} else {
		const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		snprintf(err, errlen, "%s%s%s%s", msg ? msg : PQerrorMessage(conn),
		         state ? " (SQLSTATE " : "", state ? state : "", state ? ")" : "");
		/* 57014: cancelled, here by statement_timeout */
		ret = state && strcmp(state, "57014") == 0 ? RP_DB_INTERRUPTED : RP_DB_ERROR;
	}
	PQclear(res);
	return ret;
}

struct rp_db rp_pg_db(PGconn *conn)
{
	return (struct rp_db){ .engine = "PostgreSQL",
		               .handle = conn,
		               .query = pg_query,
		               .columns_sql = "SELECT a.attname, format_type(a.atttypid, "
		                              "a.atttypmod) FROM pg_catalog.pg_attribute a JOIN "
		                              "pg_catalog.pg_class c ON c.oid = a.attrelid JOIN "
		                              "pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		                              "WHERE n.nspname = current_schema() AND a.attnum > 0 "
		                              "AND NOT a.attisdropped AND c.relname = ",
		               .columns_sql_end = " ORDER BY a.attnum",
		               .tables_sql = "SELECT tablename FROM pg_catalog.pg_tables WHERE "
		                             "schemaname = current_schema() ORDER BY tablename",
		               .schema = "public" };
}
