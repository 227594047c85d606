/* rp_compose.h: the environment compose gives each service of a compose
 * file, computed without compose and without a container engine.
 *
 * Per service, in compose's order: each env_file (a path, a list of
 * paths, or of {path, required}), later files winning, then environment:
 * (a map, or a list of KEY=VALUE), winning over env_file. Values written
 * in the compose file are interpolated as compose does, from the
 * project's .env beside the file: $VAR, ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt},
 * nested defaults, and $$ for a dollar. A name without a value (KEY in the
 * list form, KEY: in the map form) takes the .env's value, and is not set
 * when the .env has none (compose would look in the shell that runs it,
 * which a check cannot see). env_file contents are taken as written. */
#ifndef RP_COMPOSE_H
#define RP_COMPOSE_H

#include "rp_value.h"

#include <stdbool.h>
#include <stddef.h>

#define RP_COMPOSE_FILE_MAX (4 * 1024 * 1024)

struct rp_compose_service {
	char *name;
	struct rp_value *env; /* a table of strings */
	/* compose would refuse to start it: why (a ${VAR:?} unset, an
	 * env_file missing); env is then NULL */
	char *refused;
};

struct rp_compose {
	struct rp_compose_service *services;
	size_t n;
	struct rp_value *dotenv; /* the project's .env (NULL without one) */
};

/* Reads the compose file at path and the .env beside it. False with err
 * when the file cannot be read or is not a compose file (no services:
 * mapping). Caller frees with rp_compose_free. */
bool rp_compose_load(const char *path, struct rp_compose *out, char *err, size_t errlen);
void rp_compose_free(struct rp_compose *c);

/* Interpolates text[0..len) from env (a table of strings, or NULL). The
 * result (caller frees), or NULL with err: a required variable unset, or
 * a malformed ${...}. */
char *rp_compose_interpolate(const char *text, size_t len, const struct rp_value *env, char *err,
                             size_t errlen);

#endif
