/* rp-testserver.h: what the test server's parts share. */
#ifndef RP_TESTSERVER_H
#define RP_TESTSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct server_config {
	const char *listen_addr;
	int port;
	const char *mode;
	const char *banner;
	int lifetime;
	const char *bearer;
	const char *basic; /* user:password */
	const char *unix_path;
	int fail_first;
	const char *login;           /* USER:PASSWORD /auth/login accepts */
	const char *jwt_secret_file; /* its tokens: HS256 with this secret */
	const char *jwt_key;         /* or RS256 with this private key (PEM) */
	long started; /* the tokens' iat: every login gives the same token */
};

void respond(int fd, int code, const char *ctype, const char *extra_headers, const char *body);
char *header_value(const char *head, const char *name);
char *query_param(const char *query, const char *name, int nth);
long query_long(const char *query, const char *name, long dflt);

/* The routes of rp-testserver-auth.c: true when path was one of them
 * (and answered). req is what was read of the request (len bytes). */
bool auth_route(int fd, const char *path, const char *query, const char *req, size_t len,
                const struct server_config *cfg);

#endif
