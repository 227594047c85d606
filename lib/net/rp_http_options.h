/* rp_http_options.h: the request options every HTTP plugin shares, so
 * check_api and check_latency take the same words and load credentials the
 * same way: the table fragment, its handler, the checks across options,
 * and the loading of what they name (a token or password from a file or
 * the environment, a header file, a body file) into a request.
 *
 * Secrets never come from the command line: --token-file/--token-env,
 * --password-file/--password-env and --header-file name where they are.
 * What was loaded is erased (explicit_bzero) when it is freed. */
#ifndef RP_HTTP_OPTIONS_H
#define RP_HTTP_OPTIONS_H

#include "rp_cli.h"
#include "rp_http.h"

#include <stdbool.h>
#include <stddef.h>

enum {
	RP_HTTP_OPT_URL = 'u',
	RP_HTTP_OPT_METHOD = 0x300,
	RP_HTTP_OPT_HEADER,
	RP_HTTP_OPT_HEADER_FILE,
	RP_HTTP_OPT_DATA,
	RP_HTTP_OPT_DATA_FILE,
	RP_HTTP_OPT_TOKEN_ENV,
	RP_HTTP_OPT_TOKEN_FILE,
	RP_HTTP_OPT_USER,
	RP_HTTP_OPT_PASSWORD_ENV,
	RP_HTTP_OPT_PASSWORD_FILE,
	RP_HTTP_OPT_CACERT,
	RP_HTTP_OPT_INSECURE,
	RP_HTTP_OPT_RESOLVE,
	RP_HTTP_OPT_PROXY,
	RP_HTTP_OPT_NOPROXY,
	RP_HTTP_OPT_CLIENT_CERT,
	RP_HTTP_OPT_CLIENT_KEY,
	RP_HTTP_OPT_CLIENT_KEY_PASS_FILE,
	RP_HTTP_OPT_CLIENT_KEY_PASS_ENV,
};

/* The entries of a plugin's option table, in the order --help shows them. */
#define RP_HTTP_REQUEST_OPTIONS                                                                        \
	{                                                                                              \
		"url",          'u', true, "URL", "the http:// or https:// URL to ask (required)",     \
		RP_HTTP_OPT_URL                                                                        \
	},                                                                                             \
	        { "method",                                                                            \
		  0,                                                                                   \
		  true,                                                                                \
		  "METHOD",                                                                            \
		  "GET (default; POST with --data), HEAD, PUT...",                                     \
		  RP_HTTP_OPT_METHOD },                                                                \
	        { "header",          0, true, "'Name: value'", "a request header (repeatable)",        \
		  RP_HTTP_OPT_HEADER },                                                                \
	        { "header-file",                                                                       \
		  0,                                                                                   \
		  true,                                                                                \
		  "FILE",                                                                              \
		  "request headers, one a line, kept secret (API keys)",                               \
		  RP_HTTP_OPT_HEADER_FILE },                                                           \
	        { "data", 0, true, "STRING", "a request body", RP_HTTP_OPT_DATA },                     \
	        { "data-file", 0, true, "FILE", "a request body from a file", RP_HTTP_OPT_DATA_FILE }, \
	        { "token-env",                                                                         \
		  0,                                                                                   \
		  true,                                                                                \
		  "VAR",                                                                               \
		  "a Bearer token from this environment variable",                                     \
		  RP_HTTP_OPT_TOKEN_ENV },                                                             \
	        { "token-file",          0, true, "FILE", "a Bearer token from this file",             \
		  RP_HTTP_OPT_TOKEN_FILE },                                                            \
	        { "user", 0, true, "NAME", "Basic authentication as NAME", RP_HTTP_OPT_USER },         \
	        { "password-env",          0, true, "VAR", "the --user password from this variable",   \
		  RP_HTTP_OPT_PASSWORD_ENV },                                                          \
	        { "password-file",          0, true, "FILE", "the --user password from this file",     \
		  RP_HTTP_OPT_PASSWORD_FILE },                                                         \
	        { "cacert",                                                                            \
		  0,                                                                                   \
		  true,                                                                                \
		  "FILE",                                                                              \
		  "trust the CAs in FILE for https:// (default: the system's)",                        \
		  RP_HTTP_OPT_CACERT },                                                                \
	        { "insecure",                                                                          \
		  0,                                                                                   \
		  false,                                                                               \
		  NULL,                                                                                \
		  "do not verify the TLS certificate (a WARNING says so)",                             \
		  RP_HTTP_OPT_INSECURE },                                                              \
	        { "resolve",                                                                           \
		  0,                                                                                   \
		  true,                                                                                \
		  "HOST:PORT:ADDR",                                                                    \
		  "connect to ADDR for HOST:PORT, keeping HOST for SNI and Host "                      \
		  "(repeatable)",                                                                      \
		  RP_HTTP_OPT_RESOLVE },                                                               \
	        { "proxy",                                                                             \
		  0,                                                                                   \
		  true,                                                                                \
		  "URL",                                                                               \
		  "through this proxy (http://, https://, socks5h://), whatever the environment "      \
		  "says",                                                                              \
		  RP_HTTP_OPT_PROXY },                                                                 \
	        { "noproxy",                                                                           \
		  0,                                                                                   \
		  false,                                                                               \
		  NULL,                                                                                \
		  "no proxy, whatever $http_proxy, $https_proxy or $all_proxy say",                    \
		  RP_HTTP_OPT_NOPROXY },                                                               \
	        { "client-cert",                                                                       \
		  0,                                                                                   \
		  true,                                                                                \
		  "FILE",                                                                              \
		  "mutual TLS: our PEM certificate (its key too, without --client-key)",               \
		  RP_HTTP_OPT_CLIENT_CERT },                                                           \
	        { "client-key",                                                                        \
		  0,                                                                                   \
		  true,                                                                                \
		  "FILE",                                                                              \
		  "the client certificate's PEM private key",                                          \
		  RP_HTTP_OPT_CLIENT_KEY },                                                            \
	        { "client-key-pass-file",                                                              \
		  0,                                                                                   \
		  true,                                                                                \
		  "FILE",                                                                              \
		  "the client key's passphrase from this file",                                        \
		  RP_HTTP_OPT_CLIENT_KEY_PASS_FILE },                                                  \
	{                                                                                              \
		"client-key-pass-env", 0, true, "VAR",                                                 \
		        "the client key's passphrase from this variable",                              \
		        RP_HTTP_OPT_CLIENT_KEY_PASS_ENV                                                \
	}

struct rp_http_options {
	const char *url;
	const char *method;
	struct rp_http_header *headers; /* --header: copies, freed with the options */
	size_t nheaders;
	const char *data, *data_file;
	const char *token_env, *token_file;
	const char *user;
	const char *password_env, *password_file;
	const char *header_file;
	const char *cacert;
	bool insecure;
	char **resolve;
	size_t nresolve;
	const char *proxy;                                      /* --proxy */
	bool noproxy;                                           /* --noproxy */
	const char *client_cert, *client_key;                   /* mutual TLS */
	const char *client_key_pass_file, *client_key_pass_env; /* its key's passphrase */
};

enum rp_http_option_result { RP_HTTP_OPTION_NOT_MINE, RP_HTTP_OPTION_OK, RP_HTTP_OPTION_BAD };

/* One option of the fragment; BAD with err set for a bad argument. */
enum rp_http_option_result rp_http_options_handle(struct rp_http_options *o, int id,
                                                  const char *arg, char *err, size_t errlen);
/* A usage error across options (no --url, a token and --user...), or NULL. */
/* How the exchange reaches url, in words for -v: "through the proxy
 * URL (--proxy)", "through the proxy in $https_proxy", "direct
 * (--noproxy)", or NULL when it goes direct with no proxy in sight. The
 * proxy's credentials are redacted. Caller frees. Without --proxy or
 * --noproxy libcurl reads the environment: $http_proxy (lower case only)
 * for http://, $https_proxy or $HTTPS_PROXY for https://, else
 * $all_proxy or $ALL_PROXY, and skips the hosts $no_proxy or $NO_PROXY
 * name. */
char *rp_http_options_route(const struct rp_http_options *o);
const char *rp_http_options_conflict(const struct rp_http_options *o);
void rp_http_options_free(struct rp_http_options *o);

/* What one run loaded from the places the options name. */
struct rp_http_loaded {
	char *token, *password, *body;  /* secrets, erased when freed */
	struct rp_http_header *headers; /* --header's (borrowed), then --header-file's */
	size_t nheaders;
	char *error;  /* a file or variable could not be used: the run is UNKNOWN */
	char **notes; /* WARNINGs: a token file others can read */
	size_t nnotes;
	bool credentials_sent; /* a token, --user or credentials in the URL */
	char *key_password;    /* the client key's passphrase (a secret) */
	bool have_client_cert; /* --client-cert read: client_cert_not_after */
	double client_cert_not_after;
};

void rp_http_options_load(const struct rp_http_options *o, struct rp_http_loaded *l);
/* A request for what was loaded; the caller sets the rest (follow,
 * max_body, trace, want_cert...). */
void rp_http_options_request(struct rp_http_request *req, const struct rp_http_options *o,
                             const struct rp_http_loaded *l, const struct rp_deadline *d);
void rp_http_options_loaded_free(struct rp_http_loaded *l);

#endif
