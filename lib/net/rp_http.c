#include "config.h"

#include "rp_http.h"
#include "rp_http_handle.h"
#include "rp_timestamp.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <stddef.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct exchange {
	const struct rp_http_request *req;
	struct rp_http_response *resp;
	CURL *handle;
};

/* The leaf certificate's expiry, read from the live TLS session (OpenSSL
 * backend) while the first response header arrives: cheaper than
 * CURLOPT_CERTINFO, which prints the whole chain as text. */
static void read_cert(struct exchange *x)
{
	const struct curl_tlssessioninfo *ti = NULL;
	if (curl_easy_getinfo(x->handle, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || !ti ||
	    ti->backend != CURLSSLBACKEND_OPENSSL || !ti->internals)
		return;
	X509 *leaf = SSL_get1_peer_certificate((SSL *)ti->internals);
	if (!leaf)
		return;
	struct tm tm;
	if (ASN1_TIME_to_tm(X509_get0_notAfter(leaf), &tm) == 1) {
		x->resp->cert_not_after = rp_timestamp_from_tm_utc(&tm);
		x->resp->have_cert = true;
	}
	X509_free(leaf);
	/* the whole chain as presented (the leaf first): an intermediate
	 * that expires before the leaf ends the service as surely */
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain((SSL *)ti->internals);
	for (int i = 0; chain && i < sk_X509_num(chain); i++) {
		if (ASN1_TIME_to_tm(X509_get0_notAfter(sk_X509_value(chain, i)), &tm) != 1)
			continue;
		double t = rp_timestamp_from_tm_utc(&tm);
		if (!x->resp->have_chain || t < x->resp->chain_not_after)
			x->resp->chain_not_after = t;
		x->resp->have_chain = true;
	}
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	size_t len = size * n;
	if (x->req->discard_body)
		return len; /* libcurl counts the size; nobody reads the body */
	size_t room =
	        x->req->max_body > x->resp->body.len ? x->req->max_body - x->resp->body.len : 0;
	if (len > room) {
		rp_buf_append(&x->resp->body, data, room);
		x->resp->truncated = true;
		return 0; /* stop reading: the cap is reached */
	}
	rp_buf_append(&x->resp->body, data, len);
	return len;
}

static void keep_header(char **slot, const char *value, size_t len)
{
	while (len && (value[len - 1] == '\r' || value[len - 1] == '\n'))
		len--;
	while (len && (*value == ' ' || *value == '\t'))
		value++, len--;
	free(*slot);
	*slot = rp_xstrndup(value, len > 1024 ? 1024 : len);
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct exchange *x = arg;
	size_t len = size * n;
	struct rp_http_response *r = x->resp;
	if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {
		if (x->req->want_cert && !r->have_cert)
			read_cert(x);
		/* a new response (after a redirect or a 100): forget the last */
		keep_header(&r->status_line, data, len);
		free(r->location), r->location = NULL;
		free(r->www_authenticate), r->www_authenticate = NULL;
		free(r->content_type), r->content_type = NULL;
		return len;
	}
	static const struct {
		const char *name;
		size_t off;
	} wanted[] = {
		{ "location:", offsetof(struct rp_http_response, location) },
		{ "www-authenticate:", offsetof(struct rp_http_response, www_authenticate) },
		{ "content-type:", offsetof(struct rp_http_response, content_type) },
	};
	for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
		size_t nl = strlen(wanted[i].name);
		if (len > nl && strncasecmp(data, wanted[i].name, nl) == 0)
			keep_header((char **)((char *)r + wanted[i].off), data + nl, len - nl);
	}
	return len;
}

static bool is_secret_header(const struct rp_http_request *req, const char *line, size_t len)
{
	if (rp_secret_header_name(line, len) && memchr(line, ':', len))
		return true;
	for (size_t i = 0; i < req->nheaders; i++) {
		if (!req->headers[i].secret)
			continue;
		const char *colon = strchr(req->headers[i].line, ':');
		size_t nl = colon ? (size_t)(colon - req->headers[i].line) + 1 : 0;
		if (nl && len >= nl && strncasecmp(line, req->headers[i].line, nl) == 0)
			return true;
	}
	return false;
}

/* libcurl's note on a cookie it stored ("Added cookie NAME=\"VALUE\" for
 * domain ...", "Replaced cookie ..."): how much of it to keep (up to the
 * '='), or 0 when the line is not one. */
static size_t cookie_note(const char *line, size_t len)
{
	static const char *const leads[] = { "Added cookie ", "Replaced cookie " };
	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(leads[k]);
		const char *eq = len > n && strncmp(line, leads[k], n) == 0
		                         ? memchr(line + n, '=', len - n)
		                         : NULL;
		if (eq)
			return (size_t)(eq - line) + 1;
	}
	return 0;
}

/* The -vvv trace: header lines in and out, each secret value redacted. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct exchange *x = arg;
	(void)h;
	const char *mark = type == CURLINFO_HEADER_OUT  ? "> "
	                   : type == CURLINFO_HEADER_IN ? "< "
	                   : type == CURLINFO_TEXT      ? "* "
	                                                : NULL;
	if (!mark || x->resp->trace.len > 64 * 1024)
		return 0;
	for (size_t i = 0; i < size;) {
		size_t end = i;
		while (end < size && data[end] != '\n')
			end++;
		size_t len = end - i;
		while (len && data[i + len - 1] == '\r')
			len--;
		if (len) {
			rp_buf_puts(&x->resp->trace, mark);
			const char *sp =
			        type == CURLINFO_HEADER_OUT ? memchr(data + i, ' ', len) : NULL;
			if (sp && i == 0 && memchr(data + i, '?', len)) {
				/* the request line: its query may carry keys */
				char *line = rp_xstrndup(data + i, len);
				char *shown = rp_secret_redact_url(line, 1000);
				rp_buf_puts(&x->resp->trace, shown);
				free(shown);
				free(line);
			} else if (type == CURLINFO_TEXT && cookie_note(data + i, len)) {
				/* the cookie engine's own words hold the value */
				rp_buf_append(&x->resp->trace, data + i,
				              cookie_note(data + i, len));
				rp_buf_puts(&x->resp->trace, "[redacted]");
			} else if (type != CURLINFO_TEXT &&
			           is_secret_header(x->req, data + i, len)) {
				const char *colon = memchr(data + i, ':', len);
				rp_buf_append(&x->resp->trace, data + i,
				              (size_t)(colon - (data + i)) + 1);
				rp_buf_puts(&x->resp->trace, " [redacted]");
			} else {
				/* a Location or curl's own words may hold a URL with
				 * credentials */
				rp_secret_redact_text(&x->resp->trace, data + i, len);
			}
			rp_buf_putc(&x->resp->trace, '\n');
		}
		i = end + 1;
	}
	return 0;
}

static double info_seconds(CURL *h, CURLINFO what)
{
	curl_off_t us = 0;
	curl_easy_getinfo(h, what, &us);
	return (double)us / 1e6;
}

static void explain(struct rp_http_response *r, CURLcode rc, const char *detail, double limit)
{
	char num[RP_NUMBUF];
	r->curl_code = (int)rc;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		r->timed_out = true;
		snprintf(r->error, sizeof r->error, "no complete response within %s s",
		         rp_number_format(limit, num));
		break;
	case CURLE_COULDNT_CONNECT:
		snprintf(r->error, sizeof r->error, "connection refused or unreachable (%s)",
		         detail);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(r->error, sizeof r->error, "cannot resolve the host name (%s)", detail);
		break;
	case CURLE_GOT_NOTHING:
		snprintf(r->error, sizeof r->error,
		         "the server closed the connection without a reply");
		break;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(r->error, sizeof r->error, "the reply is not HTTP (%s)", detail);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		snprintf(r->error, sizeof r->error,
		         "the TLS certificate is not trusted (%s); --cacert FILE names the CA",
		         detail);
		break;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(r->error, sizeof r->error, "the TLS handshake failed (%s)", detail);
		break;
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(r->error, sizeof r->error, "cannot use the --cacert file (%s)", detail);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(r->error, sizeof r->error, "more redirects than --follow allows");
		break;
	default:
		snprintf(r->error, sizeof r->error, "%s",
		         detail[0] ? detail : curl_easy_strerror(rc));
	}
}

static struct curl_slist *tls_options(CURL *h, const struct rp_http_request *req)
{
	if (req->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, req->cacert);
	if (req->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (req->client_cert) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, req->client_cert);
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEY,
		                 req->client_key ? req->client_key : req->client_cert);
		if (req->key_password)
			curl_easy_setopt(h, CURLOPT_KEYPASSWD, req->key_password);
	}
	struct curl_slist *pins = NULL;
	for (size_t i = 0; i < req->nresolve; i++)
		pins = curl_slist_append(pins, req->resolve[i]);
	if (pins)
		curl_easy_setopt(h, CURLOPT_RESOLVE, pins);
	return pins;
}

/* The request's headers, with or without its secret ones (once the
 * exchange has left the origin they were given for); the bearer token in
 * *auth (erased by the caller) when the secrets go along. */
static struct curl_slist *build_headers(const struct rp_http_request *req, bool secrets,
                                        char **auth)
{
	struct curl_slist *headers = NULL;
	for (size_t i = 0; i < req->nheaders; i++)
		if (secrets || !req->headers[i].secret)
			headers = curl_slist_append(headers, req->headers[i].line);
	if (secrets && req->bearer) {
		*auth = rp_xasprintf("Authorization: Bearer %s", req->bearer);
		headers = curl_slist_append(headers, *auth);
	}
	return headers;
}

static bool has_secret_headers(const struct rp_http_request *req)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (req->headers[i].secret)
			return true;
	return false;
}

/* Scheme, host and port of both URLs alike (the default port spelled out). */
static bool same_origin(const char *a, const char *b)
{
	CURLU *ua = curl_url(), *ub = curl_url();
	bool same = false;
	if (ua && ub && curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
	    curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK) {
		static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST,
			                           CURLUPART_PORT };
		same = true;
		for (size_t i = 0; i < 3 && same; i++) {
			char *x = NULL, *y = NULL;
			unsigned flags = parts[i] == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0;
			same = curl_url_get(ua, parts[i], &x, flags) == CURLUE_OK &&
			       curl_url_get(ub, parts[i], &y, flags) == CURLUE_OK &&
			       strcasecmp(x, y) == 0;
			curl_free(x);
			curl_free(y);
		}
	}
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

struct rp_http_session {
	CURLSH *share;
};

/* One thread: the share needs no locks. */
struct rp_http_session *rp_http_session_new(void)
{
	/* held for the session's life, so handles come and go without
	 * libcurl's global state being torn down between them */
	curl_global_init(CURL_GLOBAL_NOTHING);
	CURLSH *sh = curl_share_init();
	if (!sh) {
		curl_global_cleanup();
		return NULL;
	}
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	struct rp_http_session *s = rp_xcalloc(1, sizeof *s);
	s->share = sh;
	return s;
}

void rp_http_session_free(struct rp_http_session *s)
{
	if (!s)
		return;
	curl_share_cleanup(s->share);
	free(s);
	curl_global_cleanup();
}

static void set_request_options(CURL *h, const struct rp_http_request *req, struct exchange *x,
                                char *errbuf)
{
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, RP_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	if (req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	if (req->unix_socket) {
		curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
		curl_easy_setopt(h, CURLOPT_PROXY, ""); /* a local socket is never proxied */
	} else if (req->proxy) {
		/* "" turns the environment's proxies off; a URL is used for every
		 * host, $no_proxy or not: the admin named it */
		curl_easy_setopt(h, CURLOPT_PROXY, req->proxy);
		if (*req->proxy)
			curl_easy_setopt(h, CURLOPT_NOPROXY, "");
	}
	if (req->session) {
		curl_easy_setopt(h, CURLOPT_SHARE, req->session->share);
		curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* the engine on, no file */
	}
	if (req->method)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->method && strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	if (req->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, req->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, req->password ? req->password : "");
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
	}
	if (req->trace) {
		curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
		curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(h, CURLOPT_DEBUGDATA, x);
	}
}

/* One exchange, within what is left of the deadline. */
static CURLcode perform(CURL *h, const struct rp_http_request *req)
{
	long ms = rp_deadline_remaining_ms(req->deadline);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms > 0 ? ms : 1L);
	return curl_easy_perform(h);
}

static void read_info(CURL *h, struct rp_http_response *r)
{
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	r->t_total = info_seconds(h, CURLINFO_TOTAL_TIME_T);
	r->t_connect = info_seconds(h, CURLINFO_CONNECT_TIME_T);
	double appconnect = info_seconds(h, CURLINFO_APPCONNECT_TIME_T);
	r->t_tls = appconnect > r->t_connect ? appconnect - r->t_connect : 0;
	r->t_firstbyte = info_seconds(h, CURLINFO_STARTTRANSFER_TIME_T);
	r->t_pretransfer = info_seconds(h, CURLINFO_PRETRANSFER_TIME_T);
	curl_off_t dl = 0;
	curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &dl);
	r->size = (double)dl;
	r->tls = appconnect > 0;
}

/* Redirects followed here rather than by libcurl, which sends every
 * custom header to any host: a secret header (--header-file) and the
 * credentials stay with the origin they were given for. */
struct hops {
	struct curl_slist *headers; /* the list in use */
	struct curl_slist *plain;   /* without the secrets, once needed */
	bool left_origin;
	long n;
	double total;
};

static CURLcode follow_by_hand(CURL *h, const struct rp_http_request *req,
                               struct rp_http_response *r, struct hops *hop)
{
	for (;;) {
		CURLcode rc = perform(h, req);
		read_info(h, r);
		hop->total += r->t_total;
		char *next = NULL;
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &next);
		if (rc != CURLE_OK || !next || r->status < 300 || r->status > 399)
			return rc;
		if (hop->n >= req->follow)
			return CURLE_TOO_MANY_REDIRECTS;
		hop->n++;
		char *url = rp_xstrdup(next);
		if (!hop->left_origin && !same_origin(req->url, url)) {
			hop->left_origin = true;
			char *none = NULL;
			hop->plain = build_headers(req, false, &none);
			curl_easy_setopt(h, CURLOPT_HTTPHEADER, hop->plain);
			curl_easy_setopt(h, CURLOPT_USERNAME, NULL);
			curl_easy_setopt(h, CURLOPT_PASSWORD, NULL);
			curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_NONE);
		}
		curl_easy_setopt(h, CURLOPT_URL, url); /* libcurl keeps a copy */
		free(url);
		if (r->status == 303 || ((r->status == 301 || r->status == 302) && req->body)) {
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
			curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		}
		rp_buf_reset(&r->body);
		r->truncated = false;
	}
}

struct rp_http_handle {
	struct exchange x; /* first: the callbacks get the handle as an exchange */
	struct hops hop;
	struct curl_slist *pins;
	char *auth; /* "Authorization: Bearer ...", erased with the handle */
	char errbuf[CURL_ERROR_SIZE];
};

struct rp_http_handle *rp_http_handle_new(const struct rp_http_request *req,
                                          struct rp_http_response *resp)
{
	/* Only what a plain HTTP exchange needs: TLS is set up by libcurl on
	 * demand for https:// URLs. */
	curl_global_init(CURL_GLOBAL_NOTHING);
	CURL *h = curl_easy_init();
	if (!h) {
		curl_global_cleanup();
		return NULL;
	}
	struct rp_http_handle *hh = rp_xcalloc(1, sizeof *hh);
	hh->x = (struct exchange){ req, resp, h };
	hh->hop.headers = build_headers(req, true, &hh->auth);
	set_request_options(h, req, &hh->x, hh->errbuf);
	if (hh->hop.headers)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hh->hop.headers);
	hh->pins = tls_options(h, req);
	return hh;
}

CURL *rp_http_handle_curl(const struct rp_http_handle *hh)
{
	return hh->x.handle;
}

static void response_clear(struct rp_http_response *r)
{
	rp_http_response_free(r);
	rp_buf_init(&r->body);
	rp_buf_init(&r->trace);
}

void rp_http_handle_arm(struct rp_http_handle *hh)
{
	response_clear(hh->x.resp);
	hh->errbuf[0] = '\0';
	long ms = rp_deadline_remaining_ms(hh->x.req->deadline);
	curl_easy_setopt(hh->x.handle, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	curl_easy_setopt(hh->x.handle, CURLOPT_CONNECTTIMEOUT_MS, ms > 0 ? ms : 1L);
}

/* A body cut at max_body on purpose is not a failure. */
static void conclude(struct rp_http_handle *hh, CURLcode rc)
{
	struct rp_http_response *r = hh->x.resp;
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && r->truncated)) {
		r->completed = r->status > 0;
		if (!r->completed)
			explain(r, CURLE_WEIRD_SERVER_REPLY, "no status line",
			        hh->x.req->deadline->seconds);
	} else {
		explain(r, rc, hh->errbuf, hh->x.req->deadline->seconds);
	}
}

void rp_http_handle_finish(struct rp_http_handle *hh, CURLcode rc)
{
	read_info(hh->x.handle, hh->x.resp);
	conclude(hh, rc);
}

void rp_http_handle_free(struct rp_http_handle *hh)
{
	if (!hh)
		return;
	curl_slist_free_all(hh->hop.headers);
	curl_slist_free_all(hh->hop.plain);
	curl_slist_free_all(hh->pins);
	/* the token leaves memory with the request */
	rp_secret_free(hh->auth);
	curl_easy_cleanup(hh->x.handle);
	free(hh);
	curl_global_cleanup();
}

void rp_http_perform(const struct rp_http_request *req, struct rp_http_response *r)
{
	memset(r, 0, sizeof *r);
	rp_buf_init(&r->body);
	rp_buf_init(&r->trace);
	struct rp_http_handle *hh = rp_http_handle_new(req, r);
	if (!hh) {
		snprintf(r->error, sizeof r->error, "cannot start libcurl");
		return;
	}
	CURL *h = hh->x.handle;
	bool by_hand = req->follow > 0 && has_secret_headers(req);
	if (req->follow > 0 && !by_hand) {
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, req->follow);
		/* credentials stay with the host they were meant for */
		curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
	}
	CURLcode rc;
	if (by_hand) {
		rc = follow_by_hand(h, req, r, &hh->hop);
		r->redirects = hh->hop.n;
		r->t_total = hh->hop.total;
	} else {
		rc = perform(h, req);
		read_info(h, r);
		curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &r->redirects);
	}
	char *eff = NULL;
	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
	r->final_url = rp_xstrdup(eff ? eff : req->url);
	conclude(hh, rc);
	rp_http_handle_free(hh);
}

void rp_http_response_free(struct rp_http_response *r)
{
	free(r->status_line);
	free(r->location);
	free(r->www_authenticate);
	free(r->content_type);
	free(r->final_url);
	rp_buf_free(&r->body);
	rp_buf_free(&r->trace);
	memset(r, 0, sizeof *r);
}
