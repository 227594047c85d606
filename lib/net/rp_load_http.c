#include "rp_load_http.h"
#include "rp_deadline.h"
#include "rp_http_handle.h"
#include "rp_number.h"
#include "rp_x.h"

#include <curl/curl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <time.h>

/* The last stretch before a due time is spun, not slept (wake-up latency). */
#define SPIN 0.00015
/* libcurl's limit lies this far past the run's deadline (see start). */
#define DEADLINE_MARGIN_MS 250

struct conn {
	struct rp_http_handle *hh;
	struct rp_http_response resp;
	bool active;
};

struct rp_load_http {
	CURLM *multi;
	struct rp_http_request req; /* the caller's, with the body discarded */
	struct conn *conns;
	unsigned n;
	double request_timeout;
};

static double now(void *ctx)
{
	(void)ctx;
	return rp_deadline_now();
}

static bool start(void *ctx, unsigned slot, char *why, size_t whylen)
{
	struct rp_load_http *lh = ctx;
	struct conn *c = &lh->conns[slot];
	rp_http_handle_arm(c->hh);
	CURL *h = rp_http_handle_curl(c->hh);
	/* The engine ends the run at the deadline and counts what is still in
	 * flight as cut; libcurl's own limit comes later, or is the
	 * --request-timeout that makes a request an error. */
	long left = rp_deadline_remaining_ms(lh->req.deadline) + DEADLINE_MARGIN_MS;
	long ms = lh->request_timeout > 0 ? (long)ceil(lh->request_timeout * 1000) : left;
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms < left ? ms : left);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms < left ? ms : left);
	CURLMcode mc = curl_multi_add_handle(lh->multi, h);
	if (mc != CURLM_OK) {
		snprintf(why, whylen, "cannot start a request: %s", curl_multi_strerror(mc));
		return false;
	}
	c->active = true;
	return true;
}

static enum rp_load_kind kind_of(int curl_code)
{
	switch (curl_code) {
	case CURLE_COULDNT_CONNECT:
		return RP_LOAD_REFUSED;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return RP_LOAD_RESET;
	case CURLE_OPERATION_TIMEDOUT:
		return RP_LOAD_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
		return RP_LOAD_TLS;
	}
	return RP_LOAD_OTHER;
}

static void reply_of(struct rp_load_http *lh, unsigned slot, struct rp_load_reply *r)
{
	const struct rp_http_response *resp = &lh->conns[slot].resp;
	memset(r, 0, sizeof *r);
	r->slot = slot;
	/* From when the request went out (on a new connection, from the start:
	 * name lookup, connect and TLS count) to its last byte; the time
	 * libcurl spent preparing the request on a ready connection is the
	 * client's, not the server's (wrk measures the same way). */
	double ready = resp->t_connect + resp->t_tls;
	double prep = resp->t_pretransfer > ready ? resp->t_pretransfer - ready : 0;
	r->service = resp->t_total > prep ? resp->t_total - prep : resp->t_total;
	/* the first byte on the same clock as the latency it is part of */
	r->t_firstbyte = resp->t_firstbyte > prep ? resp->t_firstbyte - prep : resp->t_firstbyte;
	r->t_connect = resp->t_connect;
	r->t_tls = resp->t_tls;
	if (resp->completed) {
		r->kind = RP_LOAD_ANSWERED;
		r->status = resp->status;
		return;
	}
	r->kind = kind_of(resp->curl_code);
	if (r->kind == RP_LOAD_TIMEOUT) {
		char num[RP_NUMBUF];
		snprintf(r->error, sizeof r->error, "no answer within %s s",
		         rp_number_format(resp->t_total, num));
	} else {
		snprintf(r->error, sizeof r->error, "%s", resp->error);
	}
}

static size_t collect(struct rp_load_http *lh, struct rp_load_reply *out, size_t max)
{
	size_t k = 0;
	CURLMsg *msg;
	int left;
	while (k < max && (msg = curl_multi_info_read(lh->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		unsigned slot = (unsigned)(uintptr_t)priv;
		CURLcode rc = msg->data.result;
		struct conn *c = &lh->conns[slot];
		curl_multi_remove_handle(lh->multi, msg->easy_handle);
		c->active = false;
		rp_http_handle_finish(c->hh, rc);
		reply_of(lh, slot, &out[k++]);
	}
	return k;
}

static struct timespec timespec_of(double seconds)
{
	if (seconds < 0)
		seconds = 0;
	struct timespec ts;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	return ts;
}

/* Waits for socket activity up to `seconds`, with the nanosecond
 * precision an open loop's schedule needs (curl_multi_poll counts whole
 * milliseconds: up to 1 ms late for every due request). */
static void wait_sockets(struct rp_load_http *lh, double seconds)
{
	long curl_ms = -1;
	curl_multi_timeout(lh->multi, &curl_ms);
	if (curl_ms >= 0 && (double)curl_ms / 1000.0 < seconds)
		seconds = (double)curl_ms / 1000.0;
	fd_set r, w, e;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	int maxfd = -1;
	curl_multi_fdset(lh->multi, &r, &w, &e, &maxfd);
	struct timespec ts = timespec_of(seconds);
	if (maxfd < 0)
		nanosleep(&ts, NULL);
	else
		pselect(maxfd + 1, &r, &w, &e, &ts, NULL);
}

static size_t wait_replies(void *ctx, double until, struct rp_load_reply *out, size_t max)
{
	struct rp_load_http *lh = ctx;
	for (;;) {
		int running = 0;
		curl_multi_perform(lh->multi, &running);
		size_t k = collect(lh, out, max);
		double t = rp_deadline_now();
		if (k > 0 || t >= until)
			return k;
		/* waking takes this machine a moment: sleep until just before
		 * and spin the rest, so a request due at T starts at T */
		if (until - t > SPIN)
			wait_sockets(lh, until - t - SPIN);
	}
}

static void cancel(void *ctx, unsigned slot)
{
	struct rp_load_http *lh = ctx;
	struct conn *c = &lh->conns[slot];
	if (c->active)
		curl_multi_remove_handle(lh->multi, rp_http_handle_curl(c->hh));
	c->active = false;
}

static bool open_slot(struct rp_load_http *lh, unsigned i, bool reuse)
{
	struct conn *c = &lh->conns[i];
	rp_buf_init(&c->resp.body);
	rp_buf_init(&c->resp.trace);
	c->hh = rp_http_handle_new(&lh->req, &c->resp);
	if (!c->hh)
		return false;
	CURL *h = rp_http_handle_curl(c->hh);
	curl_easy_setopt(h, CURLOPT_PRIVATE, (void *)(uintptr_t)i);
	if (!reuse) {
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	}
	return true;
}

struct rp_load_http *rp_load_http_open(const struct rp_http_request *req, unsigned concurrency,
                                       double request_timeout, bool reuse, char *err, size_t errlen)
{
	struct rp_load_http *lh = rp_xcalloc(1, sizeof *lh);
	lh->req = *req;
	lh->req.discard_body = true;
	lh->req.follow = 0;
	lh->req.trace = false;
	lh->request_timeout = request_timeout;
	lh->conns = rp_xcalloc(concurrency, sizeof *lh->conns);
	lh->n = concurrency;
	/* an open loop's schedule wants its wakeups on time, not batched by
	 * the default 50 us timer slack */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	curl_global_init(CURL_GLOBAL_NOTHING);
	lh->multi = curl_multi_init();
	bool ok = lh->multi != NULL;
	for (unsigned i = 0; ok && i < concurrency; i++)
		ok = open_slot(lh, i, reuse);
	if (!ok) {
		snprintf(err, errlen, "cannot start libcurl");
		rp_load_http_close(lh);
		return NULL;
	}
	/* a pool as large as the concurrency, kept between requests */
	curl_multi_setopt(lh->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)concurrency);
	curl_multi_setopt(lh->multi, CURLMOPT_MAXCONNECTS, (long)concurrency);
	return lh;
}

void rp_load_http_driver(struct rp_load_http *lh, struct rp_load_driver *d)
{
	*d = (struct rp_load_driver){ lh, now, start, wait_replies, cancel };
}

void rp_load_http_close(struct rp_load_http *lh)
{
	if (!lh)
		return;
	for (unsigned i = 0; i < lh->n; i++) {
		struct conn *c = &lh->conns[i];
		cancel(lh, i);
		rp_http_handle_free(c->hh);
		rp_http_response_free(&c->resp);
	}
	if (lh->multi)
		curl_multi_cleanup(lh->multi);
	curl_global_cleanup();
	free(lh->conns);
	free(lh);
}
