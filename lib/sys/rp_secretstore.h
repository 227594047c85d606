/* rp_secretstore.h: an item of the OS secret store (the freedesktop.org
 * Secret Service: gnome-keyring, KeePassXC...), looked up by attributes as
 * libsecret looks items up (Bun.secrets.get(), keyring, secret-tool).
 *
 * libsecret is loaded with dlopen when a lookup is made: a plugin that
 * links it would map glib, gio and gobject on every run, store or not,
 * and would not start where it is absent. Nothing is ever unlocked and no
 * prompt is ever shown: a check must not wait for a person. */
#ifndef RP_SECRETSTORE_H
#define RP_SECRETSTORE_H

#include <stdbool.h>
#include <stddef.h>

struct rp_secretstore_attr {
	char *key, *value;
};

/* "service=fire22,account=api-token": up to 32 attributes, each KEY=VALUE,
 * keys not empty and not repeated. False with err. */
bool rp_secretstore_parse(const char *spec, struct rp_secretstore_attr **out, size_t *n, char *err,
                          size_t errlen);
void rp_secretstore_attrs_free(struct rp_secretstore_attr *a, size_t n);

enum rp_secretstore_status {
	RP_SS_FOUND,       /* *value is the item's secret */
	RP_SS_NOT_FOUND,   /* no item has these attributes */
	RP_SS_LOCKED,      /* the items are in a locked collection */
	RP_SS_NO_BUS,      /* no session bus to reach the store over */
	RP_SS_NO_PROVIDER, /* the bus has no Secret Service */
	RP_SS_NO_LIBRARY,  /* libsecret is not installed */
	RP_SS_FAILED,      /* anything else: why says */
};

/* The secret of the first unlocked item with the attributes (*value, a
 * secret: rp_secret_free; *len its length, which may hold NUL bytes).
 * why: the status in words for every status but FOUND. */
enum rp_secretstore_status rp_secretstore_lookup(const struct rp_secretstore_attr *a, size_t n,
                                                 char **value, size_t *len, char *why,
                                                 size_t whylen);

#endif
