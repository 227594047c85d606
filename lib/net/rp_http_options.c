/* rp_http_options.c: the shared request options, and loading what they
 * name. Moved out of check_api so every HTTP plugin speaks the same words. */
#include "rp_http_options.h"
#include "rp_clientcert.h"
#include "rp_file.h"
#include "rp_number.h"
#include "rp_secret.h"
#include "rp_strv.h"
#include "rp_text.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_FILE_MAX (1024 * 1024)

/* Options that only name a file, a variable or a value: kept as given. */
static const struct {
	int id;
	size_t offset;
} plain_options[] = {
	{ RP_HTTP_OPT_HEADER_FILE, offsetof(struct rp_http_options, header_file) },
	{ RP_HTTP_OPT_DATA, offsetof(struct rp_http_options, data) },
	{ RP_HTTP_OPT_DATA_FILE, offsetof(struct rp_http_options, data_file) },
	{ RP_HTTP_OPT_TOKEN_ENV, offsetof(struct rp_http_options, token_env) },
	{ RP_HTTP_OPT_TOKEN_FILE, offsetof(struct rp_http_options, token_file) },
	{ RP_HTTP_OPT_USER, offsetof(struct rp_http_options, user) },
	{ RP_HTTP_OPT_PASSWORD_ENV, offsetof(struct rp_http_options, password_env) },
	{ RP_HTTP_OPT_PASSWORD_FILE, offsetof(struct rp_http_options, password_file) },
	{ RP_HTTP_OPT_CACERT, offsetof(struct rp_http_options, cacert) },
	{ RP_HTTP_OPT_CLIENT_CERT, offsetof(struct rp_http_options, client_cert) },
	{ RP_HTTP_OPT_CLIENT_KEY, offsetof(struct rp_http_options, client_key) },
	{ RP_HTTP_OPT_CLIENT_KEY_PASS_FILE,
	  offsetof(struct rp_http_options, client_key_pass_file) },
	{ RP_HTTP_OPT_CLIENT_KEY_PASS_ENV, offsetof(struct rp_http_options, client_key_pass_env) },
};

static bool set_plain(struct rp_http_options *o, int id, const char *arg)
{
	for (size_t i = 0; i < sizeof plain_options / sizeof plain_options[0]; i++) {
		if (plain_options[i].id == id) {
			*(const char **)((char *)o + plain_options[i].offset) = arg;
			return true;
		}
	}
	return false;
}

static bool set_url(struct rp_http_options *o, const char *arg, char *err, size_t errlen)
{
	if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0) {
		char *shown = rp_secret_redact_url(arg, 80);
		snprintf(err, errlen, "--url '%s': an http:// or https:// URL", shown);
		free(shown);
		return false;
	}
	o->url = arg;
	return true;
}

/* --resolve HOST:PORT:ADDR, ADDR may be [v6] */
static bool add_resolve(struct rp_http_options *o, const char *arg, char *err, size_t errlen)
{
	const char *c1 = strchr(arg, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	int port;
	if (!c1 || !c2 || c1 == arg || !c2[1] ||
	    !rp_number_parse_port(c1 + 1, (size_t)(c2 - c1 - 1), &port) ||
	    strpbrk(arg, " \t\r\n")) {
		snprintf(err, errlen, "--resolve '%.60s': write HOST:PORT:ADDR", arg);
		return false;
	}
	rp_strv_push(&o->resolve, &o->nresolve, arg);
	return true;
}

static bool set_method(struct rp_http_options *o, const char *arg, char *err, size_t errlen)
{
	for (const char *p = arg; *p; p++) {
		if (*p < 'A' || *p > 'Z') {
			snprintf(err, errlen, "--method '%.20s': an upper-case method like GET",
			         arg);
			return false;
		}
	}
	o->method = arg;
	return true;
}

static bool add_header_option(struct rp_http_options *o, const char *arg, char *err, size_t errlen)
{
	if (!strchr(arg, ':') || arg[0] == ':' || strpbrk(arg, "\r\n")) {
		/* only its first word: the rest may be a secret ("Bearer x") */
		char *first = rp_text_sanitize(arg, strcspn(arg, ": \t\r\n"), 40);
		snprintf(err, errlen, "--header '%s...': write 'Name: value' on one line", first);
		free(first);
		return false;
	}
	o->headers = rp_xreallocarray(o->headers, o->nheaders + 1, sizeof *o->headers);
	o->headers[o->nheaders].line = rp_xstrdup(arg);
	o->headers[o->nheaders].secret = false;
	o->nheaders++;
	return true;
}

/* --proxy URL: a scheme libcurl knows, and no credentials on the command
 * line (ps shows them to every user). */
static bool set_proxy(struct rp_http_options *o, const char *arg, char *err, size_t errlen)
{
	static const char *const schemes[] = { "http://",    "https://",  "socks4://",
		                               "socks4a://", "socks5://", "socks5h://" };
	bool known = false;
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		known |= strncmp(arg, schemes[i], strlen(schemes[i])) == 0;
	const char *authority = strstr(arg, "://");
	size_t alen = authority ? strcspn(authority + 3, "/?#") : 0;
	if (!known || alen == 0) {
		snprintf(err, errlen,
		         "--proxy '%.60s': a URL such as http://proxy:3128 or socks5h://proxy:1080",
		         arg);
		return false;
	}
	if (memchr(authority + 3, '@', alen)) {
		snprintf(err, errlen,
		         "--proxy: no credentials on the command line (every user can read it): "
		         "put the proxy URL with them in $https_proxy or $http_proxy");
		return false;
	}
	o->proxy = arg;
	return true;
}

static bool handle(struct rp_http_options *o, int id, const char *arg, char *err, size_t errlen)
{
	switch (id) {
	case RP_HTTP_OPT_URL:
		return set_url(o, arg, err, errlen);
	case RP_HTTP_OPT_METHOD:
		return set_method(o, arg, err, errlen);
	case RP_HTTP_OPT_HEADER:
		return add_header_option(o, arg, err, errlen);
	case RP_HTTP_OPT_RESOLVE:
		return add_resolve(o, arg, err, errlen);
	case RP_HTTP_OPT_INSECURE:
		o->insecure = true;
		return true;
	case RP_HTTP_OPT_PROXY:
		return set_proxy(o, arg, err, errlen);
	case RP_HTTP_OPT_NOPROXY:
		o->noproxy = true;
		return true;
	}
	return set_plain(o, id, arg);
}

enum rp_http_option_result rp_http_options_handle(struct rp_http_options *o, int id,
                                                  const char *arg, char *err, size_t errlen)
{
	if (id != RP_HTTP_OPT_URL &&
	    (id < RP_HTTP_OPT_METHOD || id > RP_HTTP_OPT_CLIENT_KEY_PASS_ENV))
		return RP_HTTP_OPTION_NOT_MINE;
	return handle(o, id, arg, err, errlen) ? RP_HTTP_OPTION_OK : RP_HTTP_OPTION_BAD;
}

const char *rp_http_options_conflict(const struct rp_http_options *o)
{
	if (!o->url)
		return "--url URL is required";
	if (o->token_env && o->token_file)
		return "give --token-env or --token-file, not both";
	if ((o->token_env || o->token_file) && o->user)
		return "give a Bearer token or --user, not both";
	if ((o->password_env || o->password_file) && !o->user)
		return "--password-env/--password-file need --user";
	if (o->password_env && o->password_file)
		return "give --password-env or --password-file, not both";
	if (o->data && o->data_file)
		return "give --data or --data-file, not both";
	if (o->proxy && o->noproxy)
		return "give --proxy or --noproxy, not both";
	if ((o->client_key || o->client_key_pass_file || o->client_key_pass_env) && !o->client_cert)
		return "--client-key and its passphrase go with --client-cert";
	if (o->client_key_pass_file && o->client_key_pass_env)
		return "give --client-key-pass-file or --client-key-pass-env, not both";
	return NULL;
}

/* The variable libcurl would take a proxy from for url, or NULL. */
static const char *env_proxy(const char *url, const char **name)
{
	bool https = strncmp(url, "https://", 8) == 0;
	const char *names[] = { https ? "https_proxy" : "http_proxy", https ? "HTTPS_PROXY" : NULL,
		                "all_proxy", "ALL_PROXY" };
	for (size_t i = 0; i < 4; i++) {
		const char *v = names[i] ? getenv(names[i]) : NULL;
		if (v && *v) {
			*name = names[i];
			return v;
		}
	}
	return NULL;
}

char *rp_http_options_route(const struct rp_http_options *o)
{
	if (o->noproxy)
		return rp_xstrdup("direct (--noproxy)");
	const char *name = NULL;
	const char *proxy = o->proxy ? o->proxy : o->url ? env_proxy(o->url, &name) : NULL;
	if (!proxy)
		return NULL;
	char *shown = rp_secret_redact_url(proxy, 120);
	char *words = o->proxy ? rp_xasprintf("through the proxy %s (--proxy)", shown)
	                       : rp_xasprintf("through the proxy %s in $%s (unless $no_proxy "
	                                      "names the host)",
	                                      shown, name);
	free(shown);
	return words;
}

void rp_http_options_free(struct rp_http_options *o)
{
	for (size_t i = 0; i < o->nheaders; i++)
		rp_secret_free(o->headers[i].line);
	free(o->headers);
	rp_strv_free(o->resolve, o->nresolve);
	memset(o, 0, sizeof *o);
}

/* ------------------------------------------------------------ loading */

static void note(struct rp_http_loaded *l, char *text)
{
	if (!text)
		return;
	l->notes = rp_xreallocarray(l->notes, l->nnotes + 1, sizeof *l->notes);
	l->notes[l->nnotes++] = text;
}

static char *load_secret(struct rp_http_loaded *l, const char *file, const char *env,
                         const char *what)
{
	if (!file && !env)
		return NULL;
	char *warning;
	char *v = rp_secret_load(file, env, what, &l->error, &warning);
	note(l, warning);
	return v;
}

static void add_header(struct rp_http_loaded *l, char *line, bool secret)
{
	l->headers = rp_xreallocarray(l->headers, l->nheaders + 1, sizeof *l->headers);
	l->headers[l->nheaders].line = line;
	l->headers[l->nheaders].secret = secret;
	l->nheaders++;
}

/* --header-file: "Name: value" lines, each a secret. */
static void load_header_file(const struct rp_http_options *o, struct rp_http_loaded *l)
{
	char *warning;
	char *text = rp_secret_read(o->header_file, NULL, "header", &l->error, &warning);
	note(l, warning);
	if (!text)
		return;
	size_t len = strlen(text); /* strtok_r cuts it into lines */
	char *save = NULL;
	for (char *line = strtok_r(text, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		if (!*line || *line == '#')
			continue;
		if (!strchr(line, ':') || line[0] == ':') {
			char *f = rp_text_sanitize(o->header_file, strlen(o->header_file), 120);
			l->error = rp_xasprintf(
			        "the header file %s has a line that is not 'Name: value'", f);
			free(f);
			break;
		}
		add_header(l, rp_xstrdup(line), true);
	}
	rp_secret_wipe(text, len);
	free(text);
}

/* Credentials in the URL itself ("https://user:pw@host/") are sent too. */
static bool url_has_userinfo(const char *url)
{
	const char *host = strstr(url, "://");
	if (!host)
		return false;
	host += 3;
	return memchr(host, '@', strcspn(host, "/?#")) != NULL;
}

static void load_body(const struct rp_http_options *o, struct rp_http_loaded *l)
{
	char why[200];
	l->body = rp_file_read(o->data_file, SMALL_FILE_MAX, NULL, NULL, why, sizeof why);
	if (!l->body) {
		char *f = rp_text_sanitize(o->data_file, strlen(o->data_file), 120);
		l->error = rp_xasprintf("cannot read the data file %s: it %s", f, why);
		free(f);
	}
}

/* The client certificate and key read as libcurl will read them, so a
 * problem with them is the check's own (UNKNOWN), said before connecting. */
static void load_client_cert(const struct rp_http_options *o, struct rp_http_loaded *l)
{
	l->key_password = load_secret(l, o->client_key_pass_file, o->client_key_pass_env,
	                              "client key passphrase");
	char err[300];
	if (!l->error && !rp_clientcert_check(o->client_cert, o->client_key, l->key_password,
	                                      &l->client_cert_not_after, err, sizeof err))
		l->error = rp_xstrdup(err);
	l->have_client_cert = !l->error;
}

void rp_http_options_load(const struct rp_http_options *o, struct rp_http_loaded *l)
{
	memset(l, 0, sizeof *l);
	char why[200];
	if (o->cacert && !rp_file_usable(o->cacert, why, sizeof why)) {
		/* libcurl would block on a FIFO, and the deadline would blame the peer */
		char *f = rp_text_sanitize_str(o->cacert, 120);
		l->error = rp_xasprintf("cannot use the --cacert file %s: it %s", f, why);
		free(f);
		return;
	}
	for (size_t i = 0; i < o->nheaders; i++)
		add_header(l, o->headers[i].line, false);
	l->token = load_secret(l, o->token_file, o->token_env, "token");
	if (!l->error)
		l->password = load_secret(l, o->password_file, o->password_env, "password");
	if (!l->error && o->header_file)
		load_header_file(o, l);
	if (!l->error && o->data_file)
		load_body(o, l);
	if (!l->error && o->client_cert)
		load_client_cert(o, l);
	l->credentials_sent = l->token || o->user || url_has_userinfo(o->url);
}

void rp_http_options_request(struct rp_http_request *req, const struct rp_http_options *o,
                             const struct rp_http_loaded *l, const struct rp_deadline *d)
{
	const char *body = l->body ? l->body : o->data;
	*req = (struct rp_http_request){
		.client_cert = o->client_cert,
		.client_key = o->client_key,
		.key_password = l->key_password,
		.url = o->url,
		.method = o->method,
		.headers = l->headers,
		.nheaders = l->nheaders,
		.body = body,
		.body_len = body ? strlen(body) : 0,
		.bearer = l->token,
		.user = o->user,
		.password = l->password,
		.deadline = d,
		.cacert = o->cacert,
		.insecure = o->insecure,
		.resolve = o->resolve,
		.nresolve = o->nresolve,
		.proxy = o->noproxy ? "" : o->proxy,
	};
}

void rp_http_options_loaded_free(struct rp_http_loaded *l)
{
	rp_secret_free(l->token);
	rp_secret_free(l->password);
	rp_secret_free(l->body);
	rp_secret_free(l->key_password);
	for (size_t i = 0; i < l->nheaders; i++)
		if (l->headers[i].secret)
			rp_secret_free(l->headers[i].line);
	free(l->headers);
	free(l->error);
	rp_strv_free(l->notes, l->nnotes);
	memset(l, 0, sizeof *l);
}
