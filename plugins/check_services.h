/* check_services.h: configuration and observations of check_services,
 * shared by the plugin and its pure evaluate step (services_eval.c). */
#ifndef CHECK_SERVICES_H
#define CHECK_SERVICES_H

#include "rp_check.h"
#include "rp_probe.h"
#include "rp_proto.h"
#include "rp_thresholds.h"
#include "rp_uri.h"

#include <stdbool.h>
#include <stddef.h>

struct svc {
	char *name;
	char *uri_text;
	struct rp_uri uri;
	const struct rp_proto_handler *proto; /* its scheme's */
	bool optional;
	char *target; /* http, ws: PATH?QUERY sent to the server */
};

struct services_config {
	struct svc *svcs;
	size_t n;
	char **optional; /* --optional names, checked against the services */
	size_t noptional;
};

/* What was seen of one service. */
struct svc_seen {
	char *load_error;   /* a password file or variable could not be read: UNKNOWN */
	char *load_warning; /* a password file others may read: WARNING */
	enum rp_verdict verdict;
	const char *why;
	const char *addr;
	double elapsed;
	bool have_cert; /* TLS: the leaf certificate's expiry is known */
	double cert_not_after;
	bool have_chain; /* TLS: the chain's earliest expiry is known */
	double chain_not_after;
	bool have_client_cert; /* ?client-cert=: ours, read before the probe */
	double client_cert_not_after;
	const char *unverified; /* TLS with ?insecure=1: why it did not verify */
};

/* now: the time of the probes, for cert_days */
struct rp_check *services_evaluate(const struct services_config *cfg, const struct svc_seen *seen,
                                   double now, const struct rp_thresholds *t);

/* "NAME=URI" into s; false with err on anything else. */
bool services_parse_spec(const char *spec, struct svc *s, char *err, size_t errlen);
void services_svc_free(struct svc *s);

#endif
