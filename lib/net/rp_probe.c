#include "rp_probe.h"
#include "rp_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum phase { P_RESOLVING, P_CONNECTING, P_HANDSHAKE, P_SENDING, P_READING, P_DONE };

/* While names resolve, poll wakes this often to look at them. */
#define RESOLVE_TICK_MS 5

struct lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char service[8];
};

static void finish(struct rp_probe *p, enum rp_verdict v, double t0, const char *fmt, ...)
        RP_PRINTF(4, 5);

static void finish(struct rp_probe *p, enum rp_verdict v, double t0, const char *fmt, ...)
{
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->why, sizeof p->why, fmt, ap);
		va_end(ap);
	}
	p->verdict = v;
	p->elapsed = rp_deadline_now() - t0;
	p->phase = P_DONE;
	if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
}

static const char *connect_error(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "connection refused";
	case ETIMEDOUT:
		return "connection timed out";
	case EHOSTUNREACH:
		return "host unreachable";
	case ENETUNREACH:
		return "network unreachable";
	case EADDRNOTAVAIL:
		return "address not available";
	default:
		return strerror(e);
	}
}

static void describe_addr(struct rp_probe *p, const struct addrinfo *ai)
{
	char host[INET6_ADDRSTRLEN] = "?";
	const void *a =
	        ai->ai_family == AF_INET6
	                ? (const void *)&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
	                : (const void *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
	inet_ntop(ai->ai_family, a, host, sizeof host);
	snprintf(p->addr, sizeof p->addr, ai->ai_family == AF_INET6 ? "[%s]:%d" : "%s:%d", host,
	         p->port);
}

/* The request, then the reply; or up at once when there is neither. */
static void converse(struct rp_probe *p, double t0)
{
	if (p->request && p->request_len)
		p->phase = P_SENDING;
	else if (p->judge)
		p->phase = P_READING;
	else
		finish(p, RP_V_UP, t0, p->tls ? "TLS handshake complete" : "port open");
}

static void handshake(struct rp_probe *p, double t0)
{
	enum rp_tls_io io = rp_tls_handshake(p->session);
	if (io == RP_TLS_WANT_READ || io == RP_TLS_WANT_WRITE) {
		p->tls_want = io == RP_TLS_WANT_READ ? POLLIN : POLLOUT;
		return;
	}
	if (io != RP_TLS_OK) {
		finish(p, RP_V_DOWN, t0, "%s", rp_tls_error(p->session));
		return;
	}
	p->tls_want = 0;
	p->have_cert = rp_tls_not_after(p->session, &p->cert_not_after);
	p->have_chain = rp_tls_chain_not_after(p->session, &p->chain_not_after);
	const char *bad = rp_tls_verify_error(p->session);
	if (bad && !p->insecure) {
		finish(p, RP_V_DOWN, t0, "the TLS certificate is not trusted: %s", bad);
		return;
	}
	if (bad)
		snprintf(p->unverified, sizeof p->unverified, "%s", bad);
	converse(p, t0);
}

static void connected(struct rp_probe *p, double t0)
{
	p->connected = true;
	if (!p->tls) {
		converse(p, t0);
		return;
	}
	char err[200];
	p->session = rp_tls_new(p->fd, p->host, p->cacert, err, sizeof err);
	if (!p->session) {
		finish(p, RP_V_DOWN, t0, "%s", err);
		return;
	}
	if (p->client_cert && !rp_tls_use_client_cert(p->session, p->client_cert, p->client_key,
	                                              p->key_password, NULL)) {
		finish(p, RP_V_DOWN, t0, "%s", rp_tls_error(p->session));
		return;
	}
	p->phase = P_HANDSHAKE;
	handshake(p, t0);
}

/* Connects to the next address; a refusal moves on to the one after. */
static void try_connect(struct rp_probe *p, double t0, int last_error)
{
	while (p->next_addr) {
		struct addrinfo *ai = p->next_addr;
		p->next_addr = ai->ai_next;
		describe_addr(p, ai);
		p->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (p->fd < 0) {
			last_error = errno;
			continue;
		}
		if (connect(p->fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			connected(p, t0);
			return;
		}
		if (errno == EINPROGRESS) {
			p->phase = P_CONNECTING;
			return;
		}
		last_error = errno;
		close(p->fd);
		p->fd = -1;
	}
	finish(p, RP_V_DOWN, t0, "%s", connect_error(last_error ? last_error : ECONNREFUSED));
}

static void resolved(struct rp_probe *p, double t0, int rc, struct addrinfo *res)
{
	if (rc != 0) {
		finish(p, RP_V_DOWN, t0, "cannot resolve the host name: %s", gai_strerror(rc));
		return;
	}
	p->addrs = p->next_addr = res;
	try_connect(p, t0, 0);
}

static void start(struct rp_probe *p, double t0, struct gaicb **pending, size_t *npending)
{
	p->fd = -1;
	p->verdict = RP_V_MORE;
	p->why[0] = '\0';
	snprintf(p->addr, sizeof p->addr, "%s:%d", p->host, p->port);
	struct addrinfo hints = { 0 };
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	char service[8];
	snprintf(service, sizeof service, "%d", p->port);
	struct addrinfo *res = NULL;
	if (getaddrinfo(p->host, service, &hints, &res) == 0) {
		resolved(p, t0, 0, res);
		return;
	}
	struct lookup *l = rp_xcalloc(1, sizeof *l);
	l->hints.ai_socktype = SOCK_STREAM;
	l->hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
	memcpy(l->service, service, sizeof service);
	l->cb.ar_name = p->host;
	l->cb.ar_service = l->service;
	l->cb.ar_request = &l->hints;
	p->gai = l;
	p->phase = P_RESOLVING;
	pending[(*npending)++] = &l->cb;
}

static void check_resolving(struct rp_probe *p, double t0)
{
	struct lookup *l = p->gai;
	int rc = gai_error(&l->cb);
	if (rc == EAI_INPROGRESS)
		return;
	struct addrinfo *res = l->cb.ar_result;
	l->cb.ar_result = NULL;
	free(l);
	p->gai = NULL;
	resolved(p, t0, rc, res);
}

static void on_connect(struct rp_probe *p, double t0)
{
	int err = 0;
	socklen_t len = sizeof err;
	getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		close(p->fd);
		p->fd = -1;
		try_connect(p, t0, err);
		return;
	}
	connected(p, t0);
}

static void on_send(struct rp_probe *p, double t0)
{
	size_t put = 0;
	const char *data = p->request + p->sent;
	size_t left = p->request_len - p->sent;
	if (p->session) {
		enum rp_tls_io io = rp_tls_write(p->session, data, left, &put);
		p->tls_want = io == RP_TLS_WANT_READ    ? POLLIN
		              : io == RP_TLS_WANT_WRITE ? POLLOUT
		                                        : 0;
		if (io == RP_TLS_FAILED || io == RP_TLS_CLOSED) {
			finish(p, RP_V_DOWN, t0, "%s", rp_tls_error(p->session));
			return;
		}
	} else {
		ssize_t n = send(p->fd, data, left, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			finish(p, RP_V_DOWN, t0, "connected, then the request failed: %s",
			       strerror(errno));
			return;
		}
		put = (size_t)n;
	}
	p->sent += put;
	if (p->sent < p->request_len)
		return;
	if (p->judge)
		p->phase = P_READING;
	else
		finish(p, RP_V_UP, t0, "port open");
}

static void on_readable(struct rp_probe *p, double t0)
{
	if (!p->in)
		p->in = rp_xmalloc(RP_PROBE_READ_MAX);
	size_t got = 0;
	bool eof = false;
	if (p->session) {
		enum rp_tls_io io = rp_tls_read(p->session, p->in + p->in_len,
		                                RP_PROBE_READ_MAX - p->in_len, &got);
		p->tls_want = io == RP_TLS_WANT_READ    ? POLLIN
		              : io == RP_TLS_WANT_WRITE ? POLLOUT
		                                        : 0;
		if (io == RP_TLS_WANT_READ || io == RP_TLS_WANT_WRITE)
			return;
		eof = io != RP_TLS_OK;
	} else {
		ssize_t n = recv(p->fd, p->in + p->in_len, RP_PROBE_READ_MAX - p->in_len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		eof = n <= 0;
		got = n > 0 ? (size_t)n : 0;
	}
	p->in_len += got;
	char why[RP_WHY_MAX];
	why[0] = '\0';
	enum rp_verdict v = p->judge(p->in, p->in_len, eof, p->judge_arg, why, sizeof why);
	if (v != RP_V_MORE)
		finish(p, v, t0, "%s", why);
	else if (eof)
		finish(p, RP_V_DOWN, t0, "the connection closed before an answer (%zu bytes read)",
		       p->in_len);
	else if (p->in_len == RP_PROBE_READ_MAX)
		finish(p, RP_V_DOWN, t0, "%d bytes without a complete answer", RP_PROBE_READ_MAX);
}

/* What poll should wait for on this probe's socket. */
static short events_of(const struct rp_probe *p)
{
	if (p->phase == P_CONNECTING)
		return POLLOUT;
	if (p->session && p->tls_want)
		return p->tls_want;
	return p->phase == P_READING ? POLLIN : POLLOUT;
}

static void step(struct rp_probe *p, double t0)
{
	switch (p->phase) {
	case P_CONNECTING:
		on_connect(p, t0);
		break;
	case P_HANDSHAKE:
		handshake(p, t0);
		break;
	case P_SENDING:
		on_send(p, t0);
		break;
	case P_READING:
		on_readable(p, t0);
		break;
	default:
		break;
	}
}

static void expire(struct rp_probe *p, double t0, double limit)
{
	char num[RP_NUMBUF];
	rp_number_format(limit, num);
	switch (p->phase) {
	case P_RESOLVING:
		finish(p, RP_V_DOWN, t0, "the host name did not resolve within %s s", num);
		break;
	case P_CONNECTING:
		finish(p, RP_V_DOWN, t0, "no answer to connect within %s s", num);
		break;
	case P_HANDSHAKE:
		finish(p, RP_V_DOWN, t0, "connected, but no TLS handshake within %s s", num);
		break;
	default:
		finish(p, RP_V_DOWN, t0, "connected, but no answer within %s s", num);
		break;
	}
}

void rp_probe_run_all(struct rp_probe *probes, size_t n, const struct rp_deadline *deadline)
{
	double t0 = rp_deadline_now();
	struct gaicb **pending = rp_xcalloc(n + 1, sizeof *pending);
	size_t npending = 0;
	for (size_t i = 0; i < n; i++)
		start(&probes[i], t0, pending, &npending);
	if (npending && getaddrinfo_a(GAI_NOWAIT, pending, (int)npending, NULL) != 0) {
		for (size_t i = 0; i < n; i++)
			if (probes[i].phase == P_RESOLVING) {
				free(probes[i].gai);
				probes[i].gai = NULL;
				finish(&probes[i], RP_V_DOWN, t0, "cannot start name resolution");
			}
	}
	free(pending);
	struct pollfd *fds = rp_xcalloc(n + 1, sizeof *fds);
	size_t *owner = rp_xcalloc(n + 1, sizeof *owner);
	for (;;) {
		size_t nfds = 0;
		bool resolving = false;
		for (size_t i = 0; i < n; i++) {
			struct rp_probe *p = &probes[i];
			if (p->phase == P_RESOLVING) {
				check_resolving(p, t0);
				resolving |= p->phase == P_RESOLVING;
			}
			if (p->phase >= P_CONNECTING && p->phase <= P_READING) {
				fds[nfds].fd = p->fd;
				fds[nfds].events = events_of(p);
				fds[nfds].revents = 0;
				owner[nfds++] = i;
			}
		}
		if (nfds == 0 && !resolving)
			break;
		int wait = rp_deadline_remaining_ms(deadline);
		if (wait <= 0)
			break;
		if (resolving && wait > RESOLVE_TICK_MS)
			wait = RESOLVE_TICK_MS;
		int rc = poll(fds, nfds, wait);
		if (rc < 0 && errno != EINTR)
			break;
		for (size_t k = 0; rc > 0 && k < nfds; k++) {
			struct rp_probe *p = &probes[owner[k]];
			if (fds[k].revents)
				step(p, t0);
		}
	}
	double limit = deadline->seconds;
	for (size_t i = 0; i < n; i++)
		if (probes[i].phase != P_DONE)
			expire(&probes[i], t0, limit);
	free(fds);
	free(owner);
}

void rp_probe_release(struct rp_probe *p)
{
	rp_tls_free(p->session);
	p->session = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->in);
	p->in = NULL;
	if (p->addrs)
		freeaddrinfo(p->addrs);
	p->addrs = p->next_addr = NULL;
	/* a lookup still running belongs to its resolver thread now: cancel,
	 * and free only what it no longer touches */
	if (p->gai) {
		struct lookup *l = p->gai;
		if (gai_cancel(&l->cb) == EAI_CANCELED || gai_error(&l->cb) != EAI_INPROGRESS) {
			if (l->cb.ar_result)
				freeaddrinfo(l->cb.ar_result);
			free(l);
		}
		p->gai = NULL;
	}
}
