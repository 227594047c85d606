/* rp_uri.h: the service URIs check_services probes.
 *
 *   SCHEME://HOST[:PORT][/PATH][?NAME=VALUE&...]
 *
 * HOST is a name, an IPv4 address or an IPv6 address in brackets
 * ([::1]); PORT defaults by scheme (rp_uri_default_port). Query values are
 * percent-decoded. A user@ part is refused: credentials never go in a URI
 * on a command line (use ?password-env= / ?password-file=). */
#ifndef RP_URI_H
#define RP_URI_H

#include <stdbool.h>
#include <stddef.h>

struct rp_uri_param {
	char *name;
	char *value;
};

struct rp_uri {
	char *scheme; /* lower case */
	char *host;   /* without brackets */
	int port;
	char *path;  /* "/" when absent */
	char *query; /* as written, without '?'; NULL when absent */
	struct rp_uri_param *params;
	size_t nparams;
};

/* Parses text. known_schemes is a NULL-terminated list; a scheme not in it
 * is refused, naming them. */
bool rp_uri_parse(const char *text, const char *const *known_schemes, struct rp_uri *out, char *err,
                  size_t errlen);
void rp_uri_free(struct rp_uri *u);

/* The value of ?name=, or NULL. */
const char *rp_uri_param(const struct rp_uri *u, const char *name);

/* The well-known port of a scheme, 0 when it has none. */
int rp_uri_default_port(const char *scheme);

#endif
