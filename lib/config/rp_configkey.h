/* rp_configkey.h: one value read from an application's own configuration
 * file, for a plugin that must use what the application uses (the API's
 * JWT_SECRET_KEY from its .env to verify the tokens it issues).
 *
 * "FILE:KEY": FILE read (at most 1 MiB, FIFO-safe) as TOML when it ends in
 * .toml, JSON when it ends in .json, else as a dotenv file; KEY is a name
 * in a dotenv file, a key path in TOML or JSON (rp_keypath). The split is
 * at the last ':' (a path may hold one, a key never does). Users link
 * $(JSONC_LIBS). */
#ifndef RP_CONFIGKEY_H
#define RP_CONFIGKEY_H

/* The value, a secret (free it with rp_secret_free); NULL with *error set
 * in words that never hold the value (caller frees): "FILE:KEY: write
 * FILE:KEY", "the JWT secret file /x does not exist", "/srv/.env has no
 * JWT_SECRET_KEY", "JWT_SECRET_KEY in /srv/.env is empty", "... is not
 * a string (table)". what names the value ("JWT secret"). */
char *rp_configkey_load(const char *spec, const char *what, char **error);

#endif
