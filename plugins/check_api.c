/* check_api: is this HTTP API or health endpoint ready? The status it
 * answers, whether credentials were accepted, where it redirects, how fast
 * it is, and what its body says. Catches docs/incidents.md F1, F14-F16.
 * Credentials come from files or the environment and never appear in any
 * output; the -vvv trace has them redacted.
 *
 * options -> load credentials and data -> one request (the only network
 * I/O) -> api_evaluate (pure, api_eval.c) -> render. */
#include "check_api.h"
#include "rp_configkey.h"
#include "rp_http_options.h"
#include "rp_cli.h"
#include "rp_run.h"
#include "rp_file.h"
#include "rp_regex.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_BODY (1024 * 1024)
#define MAX_BODY_LIMIT   (256 * 1024 * 1024)
#define DEFAULT_FOLLOW   10
#define MAX_STEPS        32
#define FLOW_FILE_MAX    (1024 * 1024)

/* A key or JWKS file is small. */
#define JWT_KEY_MAX (1024 * 1024)

static const struct rp_option options[] = {
	RP_HTTP_REQUEST_OPTIONS,
	{ "expect", 0, true, "CODES",
	  "accepted statuses, e.g. 200,204 or 200-299,304 (default "
	  "200-299); a 3xx otherwise is WARNING",
	  OPT_EXPECT },
	{ "follow", 0, RP_OPTIONAL_ARG, "N",
	  "follow up to N redirects (default 10) and judge the last", OPT_FOLLOW },
	{ "contains", 0, true, "STRING", "the body must contain STRING (repeatable)",
	  OPT_CONTAINS },
	{ "regex", 0, true, "ERE", "the body must match this POSIX extended regex (repeatable)",
	  OPT_REGEX },
	{ "max-body", 0, true, "SIZE", "read at most this much of the body (default 1MiB)",
	  OPT_MAX_BODY },
	{ "json", 0, true, "'PATH OP VALUE'",
	  "an assertion on the JSON body, CRITICAL when it fails (repeatable): "
	  "'.status == \"ok\"', '.items[0].id exists', '.load < 0.8', '.v ~ \"^2\\\\.\"'",
	  OPT_JSON },
	{ "json-warn", 0, true, "'PATH OP VALUE'", "the same, WARNING when it fails",
	  OPT_JSON_WARN },
	{ "json-perf", 0, true, "PATH[=LABEL]",
	  "a number in the JSON body as perfdata LABEL (default: the path), with -w/-c LABEL=...",
	  OPT_JSON_PERF },
	{ "health", 0, false, NULL,
	  "judge the body as a health document (IETF health+json, Spring Actuator, "
	  "{\"status\": ...})",
	  OPT_HEALTH },
	{ "jwt", 0, false, NULL,
	  "the Bearer token (--token-file/--token-env) is a JWT: its alg, exp, nbf, issuer, "
	  "audience and, with a key, signature",
	  OPT_JWT },
	{ "jwt-secret-file", 0, true, "FILE", "the HS256/384/512 secret the token must verify with",
	  OPT_JWT_SECRET_FILE },
	{ "jwt-secret-env", 0, true, "VAR", "the same secret from the environment variable VAR",
	  OPT_JWT_SECRET_ENV },
	{ "jwt-key", 0, true, "FILE",
	  "a PEM public key or certificate the token (RS*, PS*, ES*) must verify with",
	  OPT_JWT_KEY },
	{ "jwt-jwks", 0, true, "FILE", "a JWKS document holding the key (by the token's kid)",
	  OPT_JWT_JWKS },
	{ "jwt-secret-config", 0, true, "FILE:KEY",
	  "the same secret from the application's own configuration (.env, TOML, JSON)",
	  OPT_JWT_SECRET_CONFIG },
	{ "jwt-iss", 0, true, "ISSUER", "the issuer (iss) the token must have", OPT_JWT_ISS },
	{ "jwt-aud", 0, true, "AUDIENCE", "an audience (aud) the token must name", OPT_JWT_AUD },
	{ "step", 0, true, "'[NAME:] [METHOD] PATH'",
	  "a flow's next request (repeatable, in order; PATH relative to -u); the request and "
	  "expectation options after it are its own",
	  OPT_STEP },
	{ "flow", 0, true, "FILE", "the flow's steps from FILE (see FLOWS in check_api(1))",
	  OPT_FLOW },
	{ "jwt-capture", 0, true, "NAME",
	  "with a flow: judge the value captured as NAME as --jwt judges a token",
	  OPT_JWT_CAPTURE },
	{ "token-config", 0, true, "FILE:KEY",
	  "the Bearer token from the application's configuration (.env, TOML, JSON)",
	  OPT_TOKEN_CONFIG },
	{ "capture", 0, true, "NAME=PATH",
	  "keep this value of the step's JSON reply for the steps after it, which write {NAME} "
	  "(a secret: never shown)",
	  OPT_CAPTURE },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "time", RP_UNIT_SECONDS, true,
	  "total response time (primary); time.STEP: one step of a flow", "response time" },
	{ "time_connect", RP_UNIT_SECONDS, false, "time to connect", NULL },
	{ "time_tls", RP_UNIT_SECONDS, false, "time of the TLS handshake", NULL },
	{ "time_firstbyte", RP_UNIT_SECONDS, false, "time to the first byte", NULL },
	{ "size", RP_UNIT_BYTES, false, "body size", NULL },
	{ "cert_days", RP_UNIT_NONE, false, "days until the TLS certificate expires (https)",
	  NULL },
	{ "exp", RP_UNIT_SECONDS, false, "seconds until the JWT expires (--jwt; -w exp=7d:)",
	  NULL },
	{ "chain_days", RP_UNIT_NONE, false,
	  "days until the first certificate of the presented chain expires (https)", NULL },
	{ "client_cert_days", RP_UNIT_NONE, false,
	  "days until our client certificate expires (--client-cert)", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static size_t json_metrics(const void *cfgp, struct rp_metric_spec *extra, size_t max,
                           const char **primary);

static const struct rp_plugin_info info = {
	.name = "check_api",
	.label = "API",
	.purpose = "HTTP API and health-endpoint readiness",
	.synopsis = "-u URL [--expect CODES] [--token-file FILE | --token-env VAR]\n"
	            "       [--user NAME --password-file FILE] [--contains TEXT] [-w/-c time=...]\n"
	            "       check_api [-u URL] --step '[NAME:] [METHOD] PATH' [its options]\n"
	            "                 [--capture NAME=PATH] [--step ...]... | --flow FILE",
	.options = options,
	.metrics = metrics,
	.primary_metric = "time",
	.dynamic_metrics = json_metrics,
	.notes = "A 401/403 names the status, whether credentials were sent and the server's\n"
	         "challenge. Credentials are never printed, not even with -vvv. With --json or\n"
	         "--health a body that is not JSON is CRITICAL; a path that is missing fails\n"
	         "every comparison. cert_days is measured for https:// URLs; an expired or\n"
	         "untrusted certificate is CRITICAL. A flow (--step, --flow) runs its steps in\n"
	         "order in one session (cookies kept); the first that fails is the finding;\n"
	         "captured values are never shown.\n",
	.examples =
	        "  check_api -u http://127.0.0.1:8000/health --health -w 500ms -c 2s\n"
	        "  check_api -u https://api.example.com/v1/status --json '.db.status == \"ok\"' "
	        "\\\n"
	        "            -w cert_days=30: -c cert_days=7:\n"
	        "  check_api -u http://127.0.0.1:8000/v1/customers --token-file /etc/app/token\n"
	        "  check_api -u http://127.0.0.1:8080/ --expect 200 --contains '<title>App'\n"
	        "  check_api -u http://127.0.0.1:8000/ --step 'login: POST /auth/login' \\\n"
	        "            --data-file /etc/readiness/login.json --capture token=.access_token "
	        "\\\n"
	        "            --step /api/me --header 'Authorization: Bearer {token}'\n",
};

/* --json-perf labels are metrics too: -w/-c LABEL=RANGE. */
static size_t json_metrics(const void *cfgp, struct rp_metric_spec *extra, size_t max,
                           const char **primary)
{
	const struct api_config *cfg = cfgp;
	(void)primary;
	size_t n = 0;
	for (; n < cfg->njson_perf && n < max; n++) {
		extra[n].name = cfg->json_perf[n].label;
		extra[n].unit = RP_UNIT_NONE;
		extra[n].help = "a number from the JSON body (--json-perf)";
	}
	return n;
}

static bool add_json_check(struct api_config *cfg, const char *arg, enum rp_state st, char *err,
                           size_t errlen)
{
	struct rp_json_assert a;
	char why[300];
	if (!rp_json_assert_parse(arg, &a, why, sizeof why)) {
		snprintf(err, errlen, "--json%s %s", st == RP_WARNING ? "-warn" : "", why);
		return false;
	}
	cfg->json_checks =
	        rp_xreallocarray(cfg->json_checks, cfg->njson + 1, sizeof *cfg->json_checks);
	cfg->json_checks[cfg->njson].a = a;
	cfg->json_checks[cfg->njson++].fail_state = st;
	return true;
}

static bool add_json_perf(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	struct api_json_perf p;
	if (cfg->njson_perf >= RP_MAX_DYNAMIC_METRICS) {
		snprintf(err, errlen, "--json-perf: at most %d", RP_MAX_DYNAMIC_METRICS);
		return false;
	}
	if (!api_parse_json_perf(arg, &p, err, errlen))
		return false;
	if (rp_thresholds_find_spec(metrics, p.label)) {
		snprintf(err, errlen,
		         "--json-perf '%.60s': the label %s is check_api's own; add =LABEL", arg,
		         p.label);
		api_json_perf_free(&p);
		return false;
	}
	cfg->json_perf =
	        rp_xreallocarray(cfg->json_perf, cfg->njson_perf + 1, sizeof *cfg->json_perf);
	cfg->json_perf[cfg->njson_perf++] = p;
	return true;
}

static bool set_follow(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	long long n = DEFAULT_FOLLOW;
	if (arg && !rp_number_parse_bounded(arg, 1, 50, &n)) {
		snprintf(err, errlen, "--follow=%.20s: a number of redirects from 1 to 50", arg);
		return false;
	}
	cfg->follow = (long)n;
	return true;
}

static bool add_regex(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	regex_t re;
	char why[160];
	if (!rp_regex_compile(&re, arg, REG_NOSUB, why, sizeof why)) {
		snprintf(err, errlen, "--regex '%.60s': %s", arg, why);
		return false;
	}
	cfg->regexes = rp_xreallocarray(cfg->regexes, cfg->nregex + 1, sizeof re);
	cfg->regexes[cfg->nregex] = re;
	size_t n = cfg->nregex;
	rp_strv_push(&cfg->regex_texts, &n, arg);
	cfg->nregex++;
	return true;
}

static bool set_max_body(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	double v;
	if (!rp_unit_parse_size(arg, &v, err, errlen))
		return false;
	if (v < 1 || v > MAX_BODY_LIMIT) {
		snprintf(err, errlen, "--max-body '%.20s': from 1 B to 256MiB", arg);
		return false;
	}
	cfg->max_body = (size_t)v;
	return true;
}

/* ---------------------------------------------------------------- flows */

/* The options a step takes for itself once its --step is given: its
 * request's content and credentials, and what its answer must be. */
static bool step_option(int id)
{
	switch (id) {
	case RP_HTTP_OPT_HEADER:
	case RP_HTTP_OPT_HEADER_FILE:
	case RP_HTTP_OPT_DATA:
	case RP_HTTP_OPT_DATA_FILE:
	case RP_HTTP_OPT_TOKEN_ENV:
	case RP_HTTP_OPT_TOKEN_FILE:
	case RP_HTTP_OPT_USER:
	case RP_HTTP_OPT_PASSWORD_ENV:
	case RP_HTTP_OPT_PASSWORD_FILE:
	case OPT_EXPECT:
	case OPT_CONTAINS:
	case OPT_REGEX:
	case OPT_JSON:
	case OPT_JSON_WARN:
	case OPT_CAPTURE:
		return true;
	}
	return false;
}

static const struct rp_option *option_by_id(int id)
{
	for (const struct rp_option *o = options; o->name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

static bool add_step(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	if (cfg->nsteps >= MAX_STEPS) {
		snprintf(err, errlen, "a flow has at most %d steps", MAX_STEPS);
		return false;
	}
	struct api_step s;
	if (!api_step_parse(arg, cfg->nsteps + 1, &s, err, errlen))
		return false;
	for (size_t i = 0; i < cfg->nsteps; i++) {
		if (strcmp(cfg->steps[i].name, s.name) == 0) {
			snprintf(err, errlen,
			         "two steps are named %s: give each its own NAME:", s.name);
			api_step_free(&s);
			return false;
		}
	}
	s.cfg.max_body = DEFAULT_MAX_BODY;
	cfg->steps = rp_xreallocarray(cfg->steps, cfg->nsteps + 1, sizeof *cfg->steps);
	cfg->steps[cfg->nsteps++] = s;
	return true;
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen);

static bool step_handle(struct api_step *s, int id, const char *arg, char *err, size_t errlen)
{
	if (id != OPT_CAPTURE)
		return handle_option(&s->cfg, id, arg, err, errlen);
	struct api_capture c;
	if (!api_capture_parse(arg, &c, err, errlen))
		return false;
	s->captures = rp_xreallocarray(s->captures, s->ncaptures + 1, sizeof *s->captures);
	s->captures[s->ncaptures++] = c;
	return true;
}

/* A flow file's line: the option it names, with a value the run keeps. */
static bool flow_apply(void *ctx, const char *name, const char *value, char *err, size_t errlen)
{
	struct api_config *cfg = ctx;
	const struct rp_option *o = options;
	while (o->name && strcmp(o->name, name) != 0)
		o++;
	if (!o->name || (o->id != OPT_STEP && !step_option(o->id))) {
		snprintf(err, errlen, "'%.40s' is not a step's option (FLOWS in check_api(1))",
		         name);
		return false;
	}
	if (o->id != OPT_STEP && !cfg->nsteps) {
		snprintf(err, errlen, "'%s' comes before the first step line", name);
		return false;
	}
	if (!*value) {
		snprintf(err, errlen, "'%s' needs a value", name);
		return false;
	}
	size_t n = cfg->nflow_text;
	rp_strv_push(&cfg->flow_text, &n, value);
	return handle_option(cfg, o->id, cfg->flow_text[cfg->nflow_text++], err, errlen);
}

static bool read_flow(struct api_config *cfg, const char *path, char *err, size_t errlen)
{
	if (cfg->flow_file_read || cfg->nsteps) {
		snprintf(err, errlen, "give one --flow FILE, or --step options, not both");
		return false;
	}
	char why[200];
	size_t len;
	char *text = rp_file_read(path, FLOW_FILE_MAX, &len, NULL, why, sizeof why);
	if (!text) {
		char *f = rp_text_sanitize_str(path, 120);
		snprintf(err, errlen, "--flow %s %s", f, why);
		free(f);
		return false;
	}
	bool ok = api_flow_parse(text, len, path, flow_apply, cfg, err, errlen);
	free(text);
	cfg->flow_file_read = true; /* after its steps: no --step may follow */
	if (ok && !cfg->nsteps) {
		char *f = rp_text_sanitize_str(path, 120);
		snprintf(err, errlen, "--flow %s has no step line", f);
		free(f);
		ok = false;
	}
	return ok;
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct api_config *cfg = cfgp;
	if (id == OPT_STEP) {
		if (cfg->flow_file_read) {
			snprintf(err, errlen, "give one --flow FILE, or --step options, not both");
			return false;
		}
		return add_step(cfg, arg, err, errlen);
	}
	if (id == OPT_FLOW)
		return read_flow(cfg, arg, err, errlen);
	if (step_option(id) && cfg->nsteps)
		return step_handle(&cfg->steps[cfg->nsteps - 1], id, arg, err, errlen);
	if (id == OPT_CAPTURE) {
		snprintf(err, errlen, "--capture belongs to a step: give it after its --step");
		return false;
	}
	if (step_option(id) && !cfg->before_steps)
		cfg->before_steps = option_by_id(id)->name;
	enum rp_http_option_result shared =
	        rp_http_options_handle(&cfg->http, id, arg, err, errlen);
	if (shared != RP_HTTP_OPTION_NOT_MINE)
		return shared == RP_HTTP_OPTION_OK;
	switch (id) {
	case OPT_JSON:
		return add_json_check(cfg, arg, RP_CRITICAL, err, errlen);
	case OPT_JSON_WARN:
		return add_json_check(cfg, arg, RP_WARNING, err, errlen);
	case OPT_JSON_PERF:
		return add_json_perf(cfg, arg, err, errlen);
	case OPT_HEALTH:
		cfg->health = true;
		return true;
	case OPT_JWT:
		cfg->jwt = true;
		return true;
	case OPT_JWT_SECRET_FILE:
		cfg->jwt_secret_file = arg;
		return true;
	case OPT_JWT_SECRET_ENV:
		cfg->jwt_secret_env = arg;
		return true;
	case OPT_JWT_KEY:
		cfg->jwt_key = arg;
		return true;
	case OPT_JWT_JWKS:
		cfg->jwt_jwks = arg;
		return true;
	case OPT_JWT_ISS:
		cfg->jwt_iss = arg;
		return true;
	case OPT_JWT_SECRET_CONFIG:
		cfg->jwt_secret_config = arg;
		return true;
	case OPT_JWT_CAPTURE:
		cfg->jwt_capture = arg;
		cfg->jwt = true;
		return true;
	case OPT_TOKEN_CONFIG:
		cfg->token_config = arg;
		return true;
	case OPT_JWT_AUD:
		cfg->jwt_aud = arg;
		return true;
	case OPT_EXPECT:
		return rp_status_option(arg, &cfg->expect, &cfg->nexpect, err, errlen);
	case OPT_FOLLOW:
		return set_follow(cfg, arg, err, errlen);
	case OPT_CONTAINS:
		rp_strv_push(&cfg->contains, &cfg->ncontains, arg);
		return true;
	case OPT_REGEX:
		return add_regex(cfg, arg, err, errlen);
	case OPT_MAX_BODY:
		return set_max_body(cfg, arg, err, errlen);
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

static void config_free(struct api_config *cfg)
{
	for (size_t i = 0; i < cfg->nsteps; i++) {
		config_free(&cfg->steps[i].cfg);
		api_step_free(&cfg->steps[i]);
	}
	free(cfg->steps);
	rp_strv_free(cfg->flow_text, cfg->nflow_text);
	rp_http_options_free(&cfg->http);
	free(cfg->expect);
	rp_strv_free(cfg->contains, cfg->ncontains);
	for (size_t i = 0; i < cfg->nregex; i++)
		regfree(&cfg->regexes[i]);
	free(cfg->regexes);
	rp_strv_free(cfg->regex_texts, cfg->nregex);
	for (size_t i = 0; i < cfg->njson; i++)
		rp_json_assert_free(&cfg->json_checks[i].a);
	free(cfg->json_checks);
	for (size_t i = 0; i < cfg->njson_perf; i++)
		api_json_perf_free(&cfg->json_perf[i]);
	free(cfg->json_perf);
}

/* ------------------------------------------------------------------ probe */

/* "the secret KEY in FILE" for --jwt-secret-config FILE:KEY. */
static void config_source(struct api_jwt_seen *j, const char *spec)
{
	const char *colon = strrchr(spec, ':');
	char *file = rp_text_sanitize(spec, colon ? (size_t)(colon - spec) : strlen(spec), 100);
	char *key = rp_text_sanitize_str(colon ? colon + 1 : "", 60);
	snprintf(j->key_source, sizeof j->key_source, "the secret %s in %s", key, file);
	free(file), free(key);
}

/* The verification key the options name, used on the token. */
static void jwt_verify_secret(const struct api_config *cfg, struct api_jwt_seen *j)
{
	char *error = NULL, *warning = NULL;
	char *secret = cfg->jwt_secret_config
	                       ? rp_configkey_load(cfg->jwt_secret_config, "JWT secret", &error)
	                       : rp_secret_load(cfg->jwt_secret_file, cfg->jwt_secret_env,
	                                        "JWT secret", &error, &warning);
	if (cfg->jwt_secret_config)
		config_source(j, cfg->jwt_secret_config);
	else if (cfg->jwt_secret_file)
		snprintf(j->key_source, sizeof j->key_source, "the secret from %.160s",
		         cfg->jwt_secret_file);
	else
		snprintf(j->key_source, sizeof j->key_source, "the secret in $%.160s",
		         cfg->jwt_secret_env);
	if (!secret) {
		j->key_unusable = true;
		snprintf(j->verify_error, sizeof j->verify_error, "%s", error ? error : "?");
	} else {
		j->verdict = rp_jwt_verify_secret(&j->t, secret, strlen(secret), j->verify_error,
		                                  sizeof j->verify_error);
		rp_secret_free(secret);
	}
	free(error), free(warning);
}

static void jwt_verify_file(const struct api_config *cfg, struct api_jwt_seen *j)
{
	const char *path = cfg->jwt_key ? cfg->jwt_key : cfg->jwt_jwks;
	snprintf(j->key_source, sizeof j->key_source, "the %s in %.160s",
	         cfg->jwt_key ? "key" : "JWKS", path);
	char why[200];
	size_t len;
	char *text = rp_file_read(path, JWT_KEY_MAX, &len, NULL, why, sizeof why);
	if (!text) {
		j->key_unusable = true;
		snprintf(j->verify_error, sizeof j->verify_error, "%.160s %.70s", path, why);
		return;
	}
	j->verdict = cfg->jwt_key ? rp_jwt_verify_pem(&j->t, text, len, j->verify_error,
	                                              sizeof j->verify_error)
	                          : rp_jwt_verify_jwks(&j->t, text, len, j->verify_error,
	                                               sizeof j->verify_error);
	free(text);
}

/* --jwt: the token taken apart, then verified when a key is named. */
void api_jwt_probe(const struct api_config *cfg, const char *token, struct api_jwt_seen *j)
{
	j->asked = true;
	j->decoded = rp_jwt_decode(token, strlen(token), &j->t, j->error, sizeof j->error);
	if (!j->decoded)
		return;
	bool secret = cfg->jwt_secret_file || cfg->jwt_secret_env || cfg->jwt_secret_config;
	j->verified = secret || cfg->jwt_key || cfg->jwt_jwks;
	if (secret)
		jwt_verify_secret(cfg, j);
	else if (j->verified)
		jwt_verify_file(cfg, j);
}

static void probe(const void *cfgp, const struct rp_cli *cli, void *seenp)
{
	const struct api_config *cfg = cfgp;
	struct api_observed *seen = seenp;
	seen->url_shown = rp_secret_redact_url(cfg->http.url, 160);
	seen->route = rp_http_options_route(&cfg->http);
	rp_http_options_load(&cfg->http, &seen->in);
	if (cfg->nsteps) {
		/* the run's own: the client certificate; the steps load theirs */
		if (!seen->in.error)
			api_flow_probe(cfg, cli, seen);
		return;
	}
	if (!seen->in.error && cfg->token_config) {
		seen->in.token = rp_configkey_load(cfg->token_config, "token", &seen->in.error);
		seen->in.credentials_sent = seen->in.token != NULL;
	}
	if (seen->in.error)
		return;
	seen->now = (double)time(NULL);
	if (cfg->jwt && seen->in.token)
		api_jwt_probe(cfg, seen->in.token, &seen->jwt);
	struct rp_http_request req;
	rp_http_options_request(&req, &cfg->http, &seen->in, &cli->deadline);
	req.follow = cfg->follow;
	req.max_body = cfg->max_body;
	req.trace = cli->verbosity >= 3;
	req.want_cert = strncmp(cfg->http.url, "https://", 8) == 0;
	rp_http_perform(&req, &seen->resp);
	seen->performed = true;
	seen->now = (double)time(NULL);
}

static struct rp_check *evaluate(const void *cfgp, const void *runp, const struct rp_cli *cli)
{
	const struct api_config *cfg = cfgp;
	const struct api_observed *seen = runp;
	if (!cfg->nsteps)
		return api_evaluate(cfg, seen, &cli->thresholds);
	if (seen->in.error) {
		struct rp_check *root = rp_check_new();
		rp_check_add(root, RP_UNKNOWN, "%s", seen->in.error);
		rp_check_set_text(root, "%s", seen->in.error);
		return root;
	}
	struct rp_check *root = api_flow_evaluate(cfg, seen->flow, &cli->thresholds);
	if (seen->route)
		rp_check_detail(root, 1, "%s", rp_check_clean(root, seen->route, 200));
	return root;
}

static void observed_free(const void *cfg, void *seenp)
{
	(void)cfg;
	struct api_observed *seen = seenp;
	rp_http_options_loaded_free(&seen->in);
	rp_jwt_free(&seen->jwt.t);
	free(seen->route);
	free(seen->url_shown);
	api_flow_seen_free(seen->flow);
	rp_http_response_free(&seen->resp);
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct api_config *cfg = cfgp;
	cfg->max_body = DEFAULT_MAX_BODY;
}

static void config_free_any(void *cfg)
{
	config_free(cfg);
}

static const char *jwt_conflict(const struct api_config *cfg)
{
	int keys = (cfg->jwt_secret_file || cfg->jwt_secret_env || cfg->jwt_secret_config) +
	           !!cfg->jwt_key + !!cfg->jwt_jwks;
	bool any = keys || cfg->jwt_iss || cfg->jwt_aud;
	int tokens = !!cfg->http.token_file + !!cfg->http.token_env + !!cfg->token_config;
	if (tokens > 1)
		return "give one of --token-file, --token-env and --token-config";
	if (cfg->token_config && cfg->http.user)
		return "give a Bearer token or --user, not both";
	if (any && !cfg->jwt)
		return "the --jwt-... options judge the token with --jwt";
	if (cfg->jwt_capture && !cfg->nsteps)
		return "--jwt-capture judges a value a flow's step captures: give --step or --flow";
	if (cfg->jwt && !tokens && !cfg->jwt_capture)
		return "--jwt judges the Bearer token: give --token-file, --token-env or "
		       "--token-config";
	if ((!!cfg->jwt_secret_file + !!cfg->jwt_secret_env + !!cfg->jwt_secret_config) > 1)
		return "give one of --jwt-secret-file, --jwt-secret-env and --jwt-secret-config";
	if (keys > 1)
		return "give one key: a secret (file, env, config), --jwt-key or --jwt-jwks";
	return NULL;
}

/* What a flow cannot have: options for one request given to the run, and
 * the single-request features. */
static const char *flow_run_conflict(const struct api_config *cfg)
{
	if (cfg->before_steps)
		return "comes before the first --step: a step's options follow its --step";
	if (cfg->http.method)
		return "--method: a step writes its method, '--step \"login: POST /auth/login\"'";
	if (cfg->health || cfg->njson_perf || (cfg->jwt && !cfg->jwt_capture))
		return "--health, --json-perf and --jwt judge one request, not a flow "
		       "(--jwt-capture "
		       "NAME judges a captured token)";
	if (cfg->token_config)
		return "--token-config is for one request; a step sends a token with --header";
	return NULL;
}

/* Each step's URL resolved against the base (-u, or the first step's
 * own), the run's settings handed down, its own options checked. */
static bool flow_validate(struct api_config *cfg, struct rp_cli *cli)
{
	const char *problem = flow_run_conflict(cfg);
	if (problem) {
		snprintf(cli->err, sizeof cli->err, "%s%s", cfg->before_steps ? "--" : "",
		         cfg->before_steps ? cfg->before_steps : "");
		snprintf(cli->err + strlen(cli->err), sizeof cli->err - strlen(cli->err), "%s%s",
		         cfg->before_steps ? " " : "", problem);
		return false;
	}
	const char *base = cfg->http.url;
	for (size_t i = 0; i < cfg->nsteps; i++) {
		struct api_step *s = &cfg->steps[i];
		char why[200];
		s->url = api_flow_url(base, s->target, why, sizeof why);
		if (!s->url) {
			snprintf(cli->err, sizeof cli->err, "step %zu (%s): %s", i + 1, s->name,
			         why);
			return false;
		}
		if (!base)
			base = cfg->http.url = s->url;
		s->cfg.http.url = s->url;
		s->cfg.follow = cfg->follow;
		s->cfg.max_body = cfg->max_body;
		s->cfg.timeout = cli->timeout;
		s->cfg.timeout_state = cli->timeout_state;
		s->cfg.verbosity = cli->verbosity;
		problem = rp_http_options_conflict(&s->cfg.http);
		if (problem) {
			snprintf(cli->err, sizeof cli->err, "step %zu (%s): %s", i + 1, s->name,
			         problem);
			return false;
		}
	}
	bool captured = !cfg->jwt_capture;
	for (size_t i = 0; i < cfg->nsteps && !captured; i++)
		for (size_t c = 0; c < cfg->steps[i].ncaptures && !captured; c++)
			captured = !strcmp(cfg->steps[i].captures[c].name, cfg->jwt_capture);
	if (!captured) {
		snprintf(cli->err, sizeof cli->err,
		         "--jwt-capture %.40s: no step captures it (--capture %.40s=PATH)",
		         cfg->jwt_capture, cfg->jwt_capture);
		return false;
	}
	char *unknown = api_flow_check_captures(cfg->steps, cfg->nsteps);
	if (unknown) {
		snprintf(cli->err, sizeof cli->err, "%s", unknown);
		free(unknown);
		return false;
	}
	return true;
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct api_config *cfg = cfgp;
	if (cfg->nsteps && !flow_validate(cfg, cli))
		return false;
	const char *problem = rp_http_options_conflict(&cfg->http);
	if (!problem)
		problem = jwt_conflict(cfg);
	if (problem) {
		snprintf(cli->err, sizeof cli->err, "%s", problem);
		return false;
	}
	cfg->timeout = cli->timeout;
	cfg->timeout_state = cli->timeout_state;
	cfg->verbosity = cli->verbosity;
	return true;
}

static const struct rp_plugin check_api = {
	.info = &info,
	.config_size = sizeof(struct api_config),
	.observed_size = sizeof(struct api_observed),
	.config_init = config_init,
	.config_free = config_free_any,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_api, argc, argv);
}
