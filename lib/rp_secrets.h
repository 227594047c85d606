/* rp_secrets.h: deciding what is a secret, and when a secret is not one.
 *
 * A key is a secret by its name when, upper-cased, it contains SECRET,
 * TOKEN, PASSWORD, PASSWD, PASSPHRASE, API_KEY, APIKEY, PRIVATE_KEY,
 * CREDENTIAL, ACCESS_KEY or AUTH_KEY, or ends in _KEY or is KEY, unless the
 * name describes a setting about a secret: it ends in _URL, _URI, _FILE,
 * _PATH, _DIR, _ID, _TTL, _ALGORITHM, _ALG, _LENGTH, _TYPE, _NAME, _HEADER,
 * _ENABLED, _TIMEOUT, _ISSUER, _AUDIENCE, _ENDPOINT, _HOST, _PORT, _USER,
 * _USERNAME, _PREFIX, _FORMAT, _VERSION, _COUNT, _SIZE, or contains EXPIRE,
 * EXPIRY, LIFETIME, _MIN_, _MAX_, ROTATION; and PUBLIC_KEY, PUBLISHABLE_KEY,
 * PRIMARY_KEY, SORT_KEY, PARTITION_KEY, CACHE_KEY, ROUTING_KEY,
 * IDEMPOTENCY_KEY are not secrets.
 *
 * Reasons are words about the value, never the value or a part of it. */
#ifndef RP_SECRETS_H
#define RP_SECRETS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

bool rp_secret_name(const char *name);

/* Why value is a placeholder, or NULL when it is not one. key is the key's
 * own name; extra are --placeholder patterns (may be NULL). */
const char *rp_placeholder_reason(const char *value, size_t len, const char *key,
                                  const regex_t *extra, size_t nextra);

/* An estimate of the randomness in bits: length times the Shannon entropy
 * of the character frequencies. 32 random hex digits give about 120 bits,
 * "passwordpassword..." (32) about 88. */
double rp_entropy_bits(const char *value, size_t len);

/* A key that selects a token algorithm (*_ALGORITHM, *_ALG)? */
bool rp_algorithm_name(const char *name);

#endif
