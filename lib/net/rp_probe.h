/* rp_net.h: many small TCP conversations at once, in one process, under
 * one deadline.
 *
 * Each probe: resolve (numeric addresses at once; names all together with
 * getaddrinfo_a, so a slow resolver does not serialise them), a
 * non-blocking connect to each address in turn, the request, and the
 * reply read until its judge decides (capped at RP_PROBE_READ_MAX bytes).
 * poll() drives every probe; nothing blocks. A probe still undecided at
 * the deadline is down: "no answer within 2 s". With tls set, a TLS
 * handshake (rp_tls.h: OpenSSL is loaded only then) comes between the
 * connect and the request, and the certificate must verify unless
 * insecure is set. */
#ifndef RP_NET_H
#define RP_NET_H

#include "rp_deadline.h"
#include "rp_proto.h"
#include "rp_tls.h"

#include <stdbool.h>
#include <netdb.h>
#include <stddef.h>

#define RP_PROBE_READ_MAX 16384

/* Judges the bytes read so far (see rp_proto.h); NULL judge: up once
 * connected. */
typedef enum rp_verdict (*rp_judge_fn)(const char *buf, size_t len, bool eof, const void *arg,
                                       char *why, size_t whylen);

struct rp_probe {
	/* set by the caller */
	const char *host;
	int port;
	const char *request; /* sent once connected; may be NULL */
	size_t request_len;
	rp_judge_fn judge;
	const void *judge_arg;
	/* TLS before the request (tls://, https://, wss://) */
	bool tls;
	const char *cacert; /* NULL: the system's CAs */
	bool insecure;      /* go on when the certificate does not verify */
	/* mutual TLS: our certificate, its key (NULL: in the certificate's
	 * file) and its passphrase (a secret, kept by the caller) */
	const char *client_cert, *client_key, *key_password;
	/* results */
	enum rp_verdict verdict;
	char why[RP_WHY_MAX + 64];
	double elapsed; /* seconds from the start to the verdict */
	char addr[64];  /* the address tried last, "127.0.0.1:6379" */
	bool connected; /* a TCP connection was made */
	bool have_cert; /* TLS: cert_not_after is known */
	double cert_not_after;
	bool have_chain;             /* TLS: chain_not_after is known */
	double chain_not_after;      /* the earliest expiry of all the peer presented */
	char unverified[RP_WHY_MAX]; /* TLS with insecure: why it did not verify */
	/* the engine's own */
	int fd;
	int phase;
	size_t sent;
	struct addrinfo *addrs, *next_addr;
	char *in;
	size_t in_len;
	void *gai; /* struct gaicb while resolving */
	struct rp_tls *session;
	short tls_want; /* POLLIN or POLLOUT, as OpenSSL asked */
};

/* Runs every probe to a verdict or to the deadline. */
void rp_probe_run_all(struct rp_probe *probes, size_t n, const struct rp_deadline *deadline);
/* Frees what the engine kept (buffers, addresses). */
void rp_probe_release(struct rp_probe *p);

#endif
