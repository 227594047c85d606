/* rp_uri.h: the service URIs check_services probes.
 *
 *   SCHEME://HOST[:PORT][/PATH][?NAME=VALUE&...]
 *
 * HOST is a name, an IPv4 address or an IPv6 address in brackets
 * ([::1]); PORT defaults by scheme (its handler's). Query values are
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

/* Parses text. The scheme must have a protocol handler (rp_proto.h), which
 * gives the default port; another is refused, naming those known. */
bool rp_uri_parse(const char *text, struct rp_uri *out, char *err, size_t errlen);
void rp_uri_free(struct rp_uri *u);

/* The value of ?name=, or NULL. */
const char *rp_uri_param(const struct rp_uri *u, const char *name);

#endif
