/* rp_health.h: reading a health document (check_api --health).
 *
 * Three shapes are understood, tried in this order:
 *
 * - IETF health check format (draft-inadarei-api-health-check, served as
 *   application/health+json, or any body with a "checks" object of arrays):
 *   "status" pass/ok/up -> OK, warn -> WARNING, fail/error/down -> CRITICAL;
 *   every entry of "checks" ("component:measurement": [{status, output}])
 *   that does not pass is a finding, named with its output.
 * - Spring Boot Actuator: "status" UP -> OK, DOWN and OUT_OF_SERVICE ->
 *   CRITICAL, UNKNOWN -> UNKNOWN, with "components" (or the older
 *   "details") nested to any depth; each component not UP is named by its
 *   dotted path ("db", "composite.primary").
 * - the common ad-hoc form: a top-level "status" such as healthy / ok / up,
 *   degraded / warn, unhealthy / down / fail / error, plus every object
 *   member elsewhere in the document whose value is such a word
 *   ("websocket": "down", "database": {"status": "error"}) or, for
 *   members named healthy/ok/up/ready/connected/alive, false.
 *
 * IETF and Actuator documents aggregate themselves: their own top-level
 * status is the verdict (the IETF draft's own example is "pass" with "warn"
 * checks; Actuator's UP with an UNKNOWN component is UP), and every
 * component that is not healthy is still named. An ad-hoc document's state
 * is the worst of its own status and its components', and in a table of
 * statuses a value in words outside the vocabulary ("fire22_api":
 * "unauthorized" is CRITICAL; "lukewarm" is WARNING) is named, never
 * dropped. */
#ifndef RP_HEALTH_H
#define RP_HEALTH_H

#include "rp_state.h"
#include "rp_value.h"

#include <stdbool.h>
#include <stddef.h>

enum rp_health_format {
	RP_HEALTH_UNRECOGNISED = 0,
	RP_HEALTH_IETF,
	RP_HEALTH_ACTUATOR,
	RP_HEALTH_ADHOC,
	RP_HEALTH_TEXT,
};

struct rp_health_item {
	char *name;   /* sanitised: "db", "postgres:responseTime", "websocket" */
	char *status; /* sanitised, as written */
	char *output; /* sanitised; NULL when the document gives none */
	enum rp_state state;
};

struct rp_health {
	enum rp_health_format format;
	enum rp_state state;          /* worst of the status and the components */
	enum rp_state own_state;      /* what the top-level status says */
	char *status;                 /* the top-level status, sanitised; NULL if none */
	struct rp_health_item *items; /* every component, in document order */
	size_t n;
};

/* Reads doc; content_type may be NULL. Always fills h; format
 * RP_HEALTH_UNRECOGNISED when no status was found anywhere. */
void rp_health_read(const struct rp_value *doc, const char *content_type, struct rp_health *h);
/* A body that is not JSON: one status word (Kubernetes' "ok", ASP.NET
 * Core's "Healthy", "Degraded", "Unhealthy"), or Kubernetes' verbose form
 * ("[+]ping ok", "[-]etcd failed: ...", "readyz check passed"). False, and
 * h empty, when the text is neither. */
bool rp_health_read_text(const char *body, size_t len, struct rp_health *h);
void rp_health_free(struct rp_health *h);

const char *rp_health_format_name(enum rp_health_format f);

/* A status word as a state: false when the word is not a status word. */
bool rp_health_word_state(const char *word, size_t len, enum rp_state *st);

#endif
