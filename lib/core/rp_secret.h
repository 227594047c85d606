/* rp_secrets.h: secrets, the one path every plugin takes for them:
 * deciding what is a secret (and when a secret is not one), loading one
 * from a file or the environment, erasing it, and redacting URLs for
 * output. See docs/contract.md, "Secrets".
 *
 * Names.
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

#include "rp_buf.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

bool rp_secret_name(const char *name);
/* An HTTP header whose value is a secret, by the name in line[0..len) (up
 * to its ':' when there is one): Authorization, Proxy-Authorization,
 * Cookie, Set-Cookie, and any name that is a secret's with '-' read as '_'
 * (X-API-Key, X-Auth-Token). */
bool rp_secret_header_name(const char *line, size_t len);

/* Why value is a placeholder, or NULL when it is not one. key is the key's
 * own name; extra are --placeholder patterns (may be NULL). */
const char *rp_secret_placeholder_reason(const char *value, size_t len, const char *key,
                                         const regex_t *extra, size_t nextra);

/* For a value that is not a secret (a port, a count, a flag): why it is a
 * template's placeholder text (your-..., <...>, changeme, xxx, TODO,
 * example, --placeholder), or NULL. 8765, 4, 0 or y are values, not
 * placeholders, even when the template has them too. */
const char *rp_secret_template_text(const char *value, size_t len, const regex_t *extra,
                                    size_t nextra);

/* An estimate of the randomness in bits: length times the Shannon entropy
 * of the character frequencies. 32 random hex digits give about 120 bits,
 * "passwordpassword..." (32) about 88. */
double rp_secret_entropy_bits(const char *value, size_t len);

/* A key that selects a token algorithm (*_ALGORITHM, *_ALG)? */
bool rp_secret_algorithm_name(const char *name);

/* ------------------------------------------------------------- loading */

/* A secret file larger than this is refused: a token, a password or a
 * header file is small. */
#define RP_SECRET_FILE_MAX (64 * 1024)

/* A secret for a plugin: the whole of file (at most RP_SECRET_FILE_MAX
 * bytes, read FIFO-safe), or the value of the environment variable env
 * when file is NULL. what names it in messages ("token", "password").
 * On failure returns NULL and sets *error (caller frees): "the token file
 * /x does not exist", "the token variable T is not set", "the token from
 * /x is empty". A file its group or others may read sets *warning (caller
 * frees; NULL otherwise). Free the result with rp_secret_free. */
char *rp_secret_read(const char *file, const char *env, const char *what, char **error,
                     char **warning);
/* The same, cut to its first line (a token or a password: the trailing
 * newline an editor adds is not part of it). */
char *rp_secret_load(const char *file, const char *env, const char *what, char **error,
                     char **warning);

/* ------------------------------------------------------------- erasing */

/* Overwrites n bytes with zeros in a way the compiler may not remove
 * (explicit_bzero): every buffer that held a secret goes through here
 * before it is freed. */
void rp_secret_wipe(void *p, size_t n);
/* Wipes the NUL-terminated secret s and frees it; NULL is fine. */
void rp_secret_free(char *s);

/* ----------------------------------------------------------- redacting */

/* url for output: the userinfo ("user:password@") is dropped and the value
 * of each query parameter whose name is a secret's (rp_secret_name, key,
 * sig, signature) is replaced by [redacted]; then sanitised (rp_text_sanitize)
 * and cut to max bytes. Works on any scheme://authority/... URI and on a
 * bare path with a query. Caller frees. */
char *rp_secret_redact_url(const char *url, size_t max);
/* Appends text[0..len) with every URL in it (SCHEME://...) redacted as
 * above; the rest as it is (not sanitised): for traces and peers' words. */
void rp_secret_redact_text(struct rp_buf *out, const char *text, size_t len);
/* Replaces every occurrence in text of each of the n known secret values
 * with [redacted] (values shorter than 4 bytes are left: they would mask
 * ordinary words); the old text is wiped. */
void rp_secret_mask_values(struct rp_buf *text, char *const *values, size_t n);
/* A log's tail (a container's, a unit's journal) made fit to show: the n
 * known secret values masked, URLs' credentials redacted, each line
 * sanitised and cut at 300 bytes, empty lines dropped. *log gets the
 * lines, *error_line the last one that says why (rp_text_last_error_line,
 * cut at 160); each NULL when there is none. Caller frees both. */
void rp_secret_clean_log(const char *raw, size_t len, char *const *values, size_t n, char **log,
                         char **error_line);
/* A command line for output, shell-quoted word by word: URLs and URIs
 * redacted as above, the value of NAME=VALUE and of --NAME=VALUE (or of
 * the word after --NAME) replaced by [redacted] when NAME is a secret's
 * (rp_secret_name), and of a header word "NAME: VALUE" (as --header takes)
 * when NAME is a secret header's (rp_secret_header_name). program, when
 * not NULL, stands for argv[0]. */
void rp_secret_redact_command(struct rp_buf *out, const char *program, char *const *argv,
                              size_t argc);

#endif
