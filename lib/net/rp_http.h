/* rp_http.h: one HTTP(S) exchange with libcurl, inside the run's deadline.
 *
 * The whole exchange (name resolution, connect, TLS, transfer) ends at the
 * deadline. The body is read up to max_body bytes and no further. Response
 * headers of interest are kept (Location, WWW-Authenticate, Content-Type).
 * Credentials are passed in memory and never echoed: the debug trace that
 * -vvv shows has Authorization, Proxy-Authorization, Cookie and Set-Cookie
 * values, and those of headers marked secret, replaced by "[redacted]". */
#ifndef RP_HTTP_H
#define RP_HTTP_H

#include "rp_deadline.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_http_header {
	char *line;  /* "Name: value" */
	bool secret; /* value hidden in the trace (headers from --header-file) */
};

/* Exchanges that belong together (the steps of a flow): one connection
 * cache, so a connection is reused from one exchange to the next, and one
 * cookie store, so a session cookie set by one is sent by the next (to the
 * hosts its domain and path allow, as a browser would). Kept in memory
 * only: no cookie file is read or written. */
struct rp_http_session;

struct rp_http_session *rp_http_session_new(void);
void rp_http_session_free(struct rp_http_session *s);

struct rp_http_request {
	const char *url;
	const char *method; /* NULL: GET, or POST when there is a body */
	struct rp_http_header *headers;
	size_t nheaders;
	const char *body;
	size_t body_len;
	const char *bearer; /* secret */
	const char *user;
	const char *password; /* secret */
	long follow;          /* redirects to follow; 0: none */
	size_t max_body;
	bool discard_body; /* count the body's bytes, keep none (load runs) */
	bool trace;        /* keep a (redacted) trace of the exchange */
	const struct rp_deadline *deadline;
	/* TLS (https:// URLs): verification is on unless insecure */
	const char *cacert; /* a CA bundle instead of the system's */
	bool insecure;      /* no verification of the peer or its name */
	bool want_cert;     /* read the leaf's and the chain's expiry */
	/* mutual TLS: our certificate, its key (NULL: in the certificate's
	 * file) and the key's passphrase (a secret) */
	const char *client_cert, *client_key, *key_password;
	char *const *resolve; /* "HOST:PORT:ADDR" pins, as curl --resolve */
	/* a unix socket to speak HTTP over instead of the URL's host (a
	 * container engine's API); the URL's host is then only a name */
	const char *unix_socket;
	size_t nresolve;
	/* the proxy: a URL, "" for none whatever the environment says, or
	 * NULL for libcurl's environment ($http_proxy, $https_proxy,
	 * $all_proxy, $no_proxy); never used for a unix socket */
	const char *proxy;
	struct rp_http_session *session; /* NULL: an exchange of its own */
};

struct rp_http_response {
	bool completed; /* a response arrived and was read (maybe cut at max_body) */
	int curl_code;
	char error[256]; /* what went wrong, in words */
	bool timed_out;
	long status;
	char *status_line;
	char *location;
	char *www_authenticate;
	char *content_type;
	struct rp_buf body;
	bool truncated;
	double t_total, t_connect, t_tls, t_firstbyte;
	double t_pretransfer; /* from the start until the request was about to be sent */
	double size;
	long redirects;
	char *final_url;
	bool tls;               /* the exchange used TLS */
	bool have_cert;         /* cert_not_after is known */
	double cert_not_after;  /* the leaf certificate's expiry, unix seconds */
	bool have_chain;        /* chain_not_after is known */
	double chain_not_after; /* the earliest expiry of all the peer presented */
	struct rp_buf trace;
};

void rp_http_perform(const struct rp_http_request *req, struct rp_http_response *resp);

void rp_http_response_free(struct rp_http_response *resp);

#endif
