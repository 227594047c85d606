/* check_api.h: configuration and observations of check_api, shared by the
 * plugin and its pure evaluate step (api_eval.c). */
#ifndef CHECK_API_H
#define CHECK_API_H

#include "rp_check.h"
#include "rp_http.h"
#include "rp_http_options.h"
#include "rp_json_assert.h"
#include "rp_jwt.h"
#include "rp_status.h"
#include "rp_thresholds.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct api_json_check {
	struct rp_json_assert a;
	enum rp_state fail_state;
};

struct api_json_perf {
	struct rp_keypath path;
	char *label;
};

struct api_config {
	struct rp_http_options http; /* the request (rp_http_options.h) */
	struct rp_status_range *expect;
	size_t nexpect;
	long follow;
	char **contains;
	size_t ncontains;
	regex_t *regexes;
	char **regex_texts;
	size_t nregex;
	size_t max_body;
	/* the body as JSON: --json (CRITICAL), --json-warn (WARNING), --json-perf */
	struct api_json_check *json_checks;
	size_t njson;
	struct api_json_perf *json_perf;
	size_t njson_perf;
	bool health;
	/* --jwt: the Bearer token taken apart as a JWT and judged */
	bool jwt;
	const char *jwt_secret_file, *jwt_secret_env; /* HS* */
	const char *jwt_key, *jwt_jwks;               /* RS*, PS*, ES* */
	const char *jwt_iss, *jwt_aud;
	/* from the standard options */
	double timeout;
	enum rp_state timeout_state;
	int verbosity;
};

/* --jwt: the token as taken apart, and what its key said. */
struct api_jwt_seen {
	bool asked;
	bool decoded;
	char error[200]; /* why it is not a JWT */
	struct rp_jwt t;
	bool verified; /* a key was given and used */
	enum rp_jwt_verdict verdict;
	char verify_error[240];
	char key_source[200]; /* "the secret from FILE", "the JWKS in FILE" */
	bool key_unusable;    /* the key could not be loaded: verify_error says why */
};

/* What was loaded before the request, and what came back. */
struct api_observed {
	char *url_shown;          /* the URL without credentials or secret query values */
	struct rp_http_loaded in; /* credentials and body; in.error: UNKNOWN */
	struct rp_http_response resp;
	bool performed;
	double now; /* when the answer came, for cert_days */
	struct api_jwt_seen jwt;
	char *route; /* through a proxy or not, in words (-v), or NULL */
};

struct rp_check *api_evaluate(const struct api_config *cfg, const struct api_observed *o,
                              const struct rp_thresholds *t);

/* "PATH[=LABEL]": the label defaults to the path's last key ("db.time" ->
 * "time"), or "json" for a path without one. */
bool api_parse_json_perf(const char *text, struct api_json_perf *out, char *err, size_t errlen);
void api_json_perf_free(struct api_json_perf *p);

#endif
