/* check_api.h: configuration and observations of check_api, shared by the
 * plugin and its pure evaluate step (api_eval.c). */
#ifndef CHECK_API_H
#define CHECK_API_H

#include "rp_check.h"
#include "rp_http.h"
#include "rp_http_options.h"
#include "rp_json_assert.h"
#include "rp_jwt.h"
#include "rp_keypath.h"
#include "rp_value.h"
#include "rp_status.h"
#include "rp_thresholds.h"

struct rp_cli;

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

/* check_api's own option ids (the shared request options are
 * RP_HTTP_OPT_*): the flow file names the same options, so its reader
 * (api_flow.c) needs them too. */
enum {
	OPT_EXPECT = 0x100,
	OPT_FOLLOW,
	OPT_CONTAINS,
	OPT_REGEX,
	OPT_MAX_BODY,
	OPT_JSON,
	OPT_JSON_WARN,
	OPT_JSON_PERF,
	OPT_HEALTH,
	OPT_JWT,
	OPT_JWT_SECRET_FILE,
	OPT_JWT_SECRET_ENV,
	OPT_JWT_KEY,
	OPT_JWT_JWKS,
	OPT_JWT_ISS,
	OPT_JWT_AUD,
	OPT_STEP,
	OPT_FLOW,
	OPT_CAPTURE,
	OPT_JWT_SECRET_CONFIG,
	OPT_TOKEN_CONFIG,
	OPT_JWT_CAPTURE,
};

/* --capture NAME=PATH: a value of a step's JSON reply kept for the steps
 * after it, which write {NAME} in their URL, headers or body. */
struct api_capture {
	char *name;
	struct rp_keypath path;
};

struct api_step;

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
	/* a flow (--step, --flow): each step is a request with its own
	 * api_config (the options after its --step); this one is the run's */
	struct api_step *steps;
	size_t nsteps;
	bool flow_file_read; /* --flow was given */
	char **flow_text;    /* the flow file's values, which options point into */
	size_t nflow_text;
	const char *before_steps; /* a step's option given before any --step */
	/* --jwt: the Bearer token taken apart as a JWT and judged */
	bool jwt;
	const char *jwt_secret_file, *jwt_secret_env; /* HS* */
	const char *jwt_secret_config;                /* HS*: FILE:KEY */
	const char *jwt_capture;                      /* a flow's value to judge */
	const char *token_config;                     /* the Bearer token from FILE:KEY */
	const char *jwt_key, *jwt_jwks;               /* RS*, PS*, ES* */
	const char *jwt_iss, *jwt_aud;
	/* from the standard options */
	double timeout;
	enum rp_state timeout_state;
	int verbosity;
};

/* One step of a flow: "[NAME:] [METHOD] TARGET" and the options that
 * follow it. */
struct api_step {
	struct api_config cfg; /* its request and expectations */
	char *name;            /* "login"; "2" when none was given */
	bool named;            /* NAME: was written */
	char *method;          /* NULL: GET, or POST with a body */
	char *target;          /* as written: a path, or an absolute URL */
	char *shown;           /* "POST /auth/login" for lines (no captured value) */
	char *url;             /* target resolved (validate), {NAME}s as written */
	struct api_capture *captures;
	size_t ncaptures;
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
	/* one step of a flow: its 1-based number (0: not a flow), and whose
	 * captured values its request carried ("the token from step 1
	 * (login)"), for a 401 to say */
	size_t flow_step;
	char *sent_captures;
	bool body_sent;             /* a flow's step sent a body (a login's credentials) */
	struct api_flow_seen *flow; /* the run's: the flow's steps, or NULL */
};

/* What a flow's run saw: each step's exchange (observed as a single
 * check_api run is), the values captured, and where it stopped. */
struct api_flow_seen {
	struct api_observed *steps; /* nsteps of them; those after a failure not run */
	size_t nsteps, nrun;
	char **names, **values; /* captured so far; values are secrets */
	size_t *from_step;      /* the 0-based step each was captured by */
	size_t ncaptured;
	char **capture_errors;               /* per step: why a capture failed, or NULL */
	struct api_jwt_seen jwt;             /* --jwt-capture: the value judged as a JWT */
	size_t jwt_step;                     /* the step (1-based) that captured it; 0: none */
	const struct rp_http_loaded *run_in; /* the run's own: its client certificate */
	double now;                          /* when the flow began */
};

struct rp_check *api_evaluate(const struct api_config *cfg, const struct api_observed *o,
                              const struct rp_thresholds *t);
/* client_cert_days for --client-cert, and what it says. */
void api_judge_client_cert(struct rp_check *root, const struct api_config *cfg,
                           const struct rp_http_loaded *in, double now,
                           const struct rp_thresholds *t);
/* --jwt's findings on token j under root, at time now. */
void api_judge_jwt(struct rp_check *root, const struct api_config *cfg,
                   const struct api_jwt_seen *j, double now, const struct rp_thresholds *th);
/* --jwt's probe (check_api.c): token taken apart, verified with the key
 * the options name. */
void api_jwt_probe(const struct api_config *cfg, const char *token, struct api_jwt_seen *j);

/* ---------------------------------------------------------- flows (api_flow.c) */

/* "[NAME:] [METHOD] TARGET" as --step and the flow file's step lines
 * write it; false with err set. */
bool api_step_parse(const char *text, size_t number, struct api_step *out, char *err,
                    size_t errlen);
void api_step_free(struct api_step *s);
/* "NAME=PATH" */
bool api_capture_parse(const char *text, struct api_capture *out, char *err, size_t errlen);
void api_capture_free(struct api_capture *c);

/* A flow file, line by line: "# comment", blank, or "OPTION VALUE" where
 * OPTION is a long option's name without its dashes ("step", "header",
 * "json", "capture"...); apply gets each and says whether it took it. At
 * most 1 MiB, lines of at most 8 KiB, no NUL byte. false with err set
 * ("FILE line 3: ..."). */
typedef bool (*api_flow_apply)(void *ctx, const char *option, const char *value, char *err,
                               size_t errlen);
bool api_flow_parse(const char *text, size_t len, const char *file, api_flow_apply apply, void *ctx,
                    char *err, size_t errlen);

/* A step's URL, header, or body with each {NAME} of a value captured so
 * far replaced (an unknown {word} stays as written: JSON bodies have
 * braces). used[k] (NULL: not wanted) is set for each value replaced.
 * Caller frees (a secret: rp_secret_free). */
char *api_flow_expand(const char *tmpl, char *const *names, char *const *values, size_t n,
                      bool *used);
/* The {NAME}s a step uses that no earlier step captures: a usage error
 * in words, or NULL. */
char *api_flow_check_captures(const struct api_step *steps, size_t n);
/* The step's URL: target resolved against base (the -u URL, or the first
 * step's). Caller frees; NULL with err set when it cannot be. */
char *api_flow_url(const char *base, const char *target, char *err, size_t errlen);

/* A value of a step's JSON reply at path, as text for the steps after it:
 * a string as it is, a number or boolean as written; NULL with why set
 * for anything else. Caller frees (a secret: rp_secret_free). */
char *api_flow_capture_value(const struct rp_value *doc, const struct rp_keypath *path, char *why,
                             size_t whylen);

/* The flow's result: each step run judged as a check_api run, the first
 * that fails on the first line ("step 2/3 (GET /api/prices): HTTP 401
 * with the token from step 1 (login)"), the steps after it skipped, the
 * captured values masked everywhere; perfdata time.NAME per step. */
/* The run of a flow (api_flow_run.c): each step's request in order, in
 * one session (connections and cookies kept), until one fails. */
void api_flow_probe(const struct api_config *cfg, const struct rp_cli *cli,
                    struct api_observed *seen);
void api_flow_seen_free(struct api_flow_seen *f);

struct rp_check *api_flow_evaluate(const struct api_config *cfg, const struct api_flow_seen *f,
                                   const struct rp_thresholds *t);

/* "PATH[=LABEL]": the label defaults to the path's last key ("db.time" ->
 * "time"), or "json" for a path without one. */
bool api_parse_json_perf(const char *text, struct api_json_perf *out, char *err, size_t errlen);
void api_json_perf_free(struct api_json_perf *p);

#endif
