/* check_api: is this HTTP API or health endpoint ready? The status it
 * answers, whether credentials were accepted, where it redirects, how fast
 * it is, and what its body says. Catches docs/incidents.md F1, F14-F16.
 * Credentials come from files or the environment and never appear in any
 * output; the -vvv trace has them redacted.
 *
 * options -> load credentials and data -> one request (the only network
 * I/O) -> api_evaluate (pure, api_eval.c) -> render. */
#include "check_api.h"
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
#define SMALL_FILE_MAX   (1024 * 1024)

enum {
	OPT_URL = 'u',
	OPT_METHOD = 0x100,
	OPT_HEADER,
	OPT_HEADER_FILE,
	OPT_DATA,
	OPT_DATA_FILE,
	OPT_TOKEN_ENV,
	OPT_TOKEN_FILE,
	OPT_USER,
	OPT_PASSWORD_ENV,
	OPT_PASSWORD_FILE,
	OPT_EXPECT,
	OPT_FOLLOW,
	OPT_CONTAINS,
	OPT_REGEX,
	OPT_MAX_BODY,
	OPT_JSON,
	OPT_JSON_WARN,
	OPT_JSON_PERF,
	OPT_HEALTH,
	OPT_CACERT,
	OPT_INSECURE,
	OPT_RESOLVE,
};

static const struct rp_option options[] = {
	{ "url", 'u', true, "URL", "the http:// or https:// URL to ask (required)", OPT_URL },
	{ "method", 0, true, "METHOD", "GET (default; POST with --data), HEAD, PUT...",
	  OPT_METHOD },
	{ "header", 0, true, "'Name: value'", "a request header (repeatable)", OPT_HEADER },
	{ "header-file", 0, true, "FILE", "request headers, one a line, kept secret (API keys)",
	  OPT_HEADER_FILE },
	{ "data", 0, true, "STRING", "a request body", OPT_DATA },
	{ "data-file", 0, true, "FILE", "a request body from a file", OPT_DATA_FILE },
	{ "token-env", 0, true, "VAR", "a Bearer token from this environment variable",
	  OPT_TOKEN_ENV },
	{ "token-file", 0, true, "FILE", "a Bearer token from this file", OPT_TOKEN_FILE },
	{ "user", 0, true, "NAME", "Basic authentication as NAME", OPT_USER },
	{ "password-env", 0, true, "VAR", "the --user password from this variable",
	  OPT_PASSWORD_ENV },
	{ "password-file", 0, true, "FILE", "the --user password from this file",
	  OPT_PASSWORD_FILE },
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
	{ "cacert", 0, true, "FILE", "trust the CAs in FILE for https:// (default: the system's)",
	  OPT_CACERT },
	{ "insecure", 0, false, NULL, "do not verify the TLS certificate (a WARNING says so)",
	  OPT_INSECURE },
	{ "resolve", 0, true, "HOST:PORT:ADDR",
	  "connect to ADDR for HOST:PORT, keeping HOST for SNI and Host (repeatable)",
	  OPT_RESOLVE },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "time", RP_UNIT_SECONDS, false, "total response time (primary)", "response time" },
	{ "time_connect", RP_UNIT_SECONDS, false, "time to connect", NULL },
	{ "time_tls", RP_UNIT_SECONDS, false, "time of the TLS handshake", NULL },
	{ "time_firstbyte", RP_UNIT_SECONDS, false, "time to the first byte", NULL },
	{ "size", RP_UNIT_BYTES, false, "body size", NULL },
	{ "cert_days", RP_UNIT_NONE, false, "days until the TLS certificate expires (https)",
	  NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static size_t json_metrics(const void *cfgp, struct rp_metric_spec *extra, size_t max,
                           const char **primary);

static const struct rp_plugin_info info = {
	.name = "check_api",
	.label = "API",
	.purpose = "HTTP API and health-endpoint readiness",
	.synopsis = "-u URL [--expect CODES] [--token-file FILE | --token-env VAR]\n"
	            "       [--user NAME --password-file FILE] [--contains TEXT] [-w/-c time=...]",
	.options = options,
	.metrics = metrics,
	.primary_metric = "time",
	.dynamic_metrics = json_metrics,
	.notes = "A 401/403 names the status, whether credentials were sent and the server's\n"
	         "challenge. Credentials are never printed, not even with -vvv. With --json or\n"
	         "--health a body that is not JSON is CRITICAL; a path that is missing fails\n"
	         "every comparison. cert_days is measured for https:// URLs; an expired or\n"
	         "untrusted certificate is CRITICAL.\n",
	.examples =
	        "  check_api -u http://127.0.0.1:8000/health --health -w 500ms -c 2s\n"
	        "  check_api -u https://api.example.com/v1/status --json '.db.status == \"ok\"' "
	        "\\\n"
	        "            -w cert_days=30: -c cert_days=7:\n"
	        "  check_api -u http://127.0.0.1:8000/v1/customers --token-file /etc/app/token\n"
	        "  check_api -u http://127.0.0.1:8080/ --expect 200 --contains '<title>App'\n",
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

/* Options that only name a file, a variable or a value: kept as given. */
static const struct {
	int id;
	size_t offset;
} plain_options[] = {
	{ OPT_HEADER_FILE, offsetof(struct api_config, header_file) },
	{ OPT_DATA, offsetof(struct api_config, data) },
	{ OPT_DATA_FILE, offsetof(struct api_config, data_file) },
	{ OPT_TOKEN_ENV, offsetof(struct api_config, token_env) },
	{ OPT_TOKEN_FILE, offsetof(struct api_config, token_file) },
	{ OPT_USER, offsetof(struct api_config, user) },
	{ OPT_PASSWORD_ENV, offsetof(struct api_config, password_env) },
	{ OPT_PASSWORD_FILE, offsetof(struct api_config, password_file) },
	{ OPT_CACERT, offsetof(struct api_config, cacert) },
};

static bool set_plain(struct api_config *cfg, int id, const char *arg)
{
	for (size_t i = 0; i < sizeof plain_options / sizeof plain_options[0]; i++) {
		if (plain_options[i].id == id) {
			*(const char **)((char *)cfg + plain_options[i].offset) = arg;
			return true;
		}
	}
	return false;
}

static bool set_url(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0) {
		char *shown = rp_secret_redact_url(arg, 80);
		snprintf(err, errlen, "--url '%s': an http:// or https:// URL", shown);
		free(shown);
		return false;
	}
	cfg->url = arg;
	return true;
}

/* --resolve HOST:PORT:ADDR, ADDR may be [v6] */
static bool add_resolve(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	const char *c1 = strchr(arg, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	int port;
	if (!c1 || !c2 || c1 == arg || !c2[1] ||
	    !rp_number_parse_port(c1 + 1, (size_t)(c2 - c1 - 1), &port) ||
	    strpbrk(arg, " \t\r\n")) {
		snprintf(err, errlen, "--resolve '%.60s': write HOST:PORT:ADDR", arg);
		return false;
	}
	rp_strv_push(&cfg->resolve, &cfg->nresolve, arg);
	return true;
}

static bool set_method(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	for (const char *p = arg; *p; p++) {
		if (*p < 'A' || *p > 'Z') {
			snprintf(err, errlen, "--method '%.20s': an upper-case method like GET",
			         arg);
			return false;
		}
	}
	cfg->method = arg;
	return true;
}

static bool add_header_option(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	if (!strchr(arg, ':') || arg[0] == ':' || strpbrk(arg, "\r\n")) {
		/* only its first word: the rest may be a secret ("Bearer x") */
		char *first = rp_text_sanitize(arg, strcspn(arg, ": \t\r\n"), 40);
		snprintf(err, errlen, "--header '%s...': write 'Name: value' on one line", first);
		free(first);
		return false;
	}
	cfg->headers = rp_xreallocarray(cfg->headers, cfg->nheaders + 1, sizeof *cfg->headers);
	cfg->headers[cfg->nheaders].line = rp_xstrdup(arg);
	cfg->headers[cfg->nheaders].secret = false;
	cfg->nheaders++;
	return true;
}

static bool set_expect(struct api_config *cfg, const char *arg, char *err, size_t errlen)
{
	free(cfg->expect);
	if (!rp_status_parse(arg, &cfg->expect, &cfg->nexpect)) {
		snprintf(err, errlen, "--expect '%.40s': statuses like 200,204 or 200-299,304",
		         arg);
		return false;
	}
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

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct api_config *cfg = cfgp;
	if (set_plain(cfg, id, arg))
		return true;
	switch (id) {
	case OPT_URL:
		return set_url(cfg, arg, err, errlen);
	case OPT_JSON:
		return add_json_check(cfg, arg, RP_CRITICAL, err, errlen);
	case OPT_JSON_WARN:
		return add_json_check(cfg, arg, RP_WARNING, err, errlen);
	case OPT_JSON_PERF:
		return add_json_perf(cfg, arg, err, errlen);
	case OPT_HEALTH:
		cfg->health = true;
		return true;
	case OPT_INSECURE:
		cfg->insecure = true;
		return true;
	case OPT_RESOLVE:
		return add_resolve(cfg, arg, err, errlen);
	case OPT_METHOD:
		return set_method(cfg, arg, err, errlen);
	case OPT_HEADER:
		return add_header_option(cfg, arg, err, errlen);
	case OPT_EXPECT:
		return set_expect(cfg, arg, err, errlen);
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
	for (size_t i = 0; i < cfg->nheaders; i++)
		rp_secret_free(cfg->headers[i].line);
	free(cfg->headers);
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
	rp_strv_free(cfg->resolve, cfg->nresolve);
}

/* ------------------------------------------------------------------ probe */

/* What one run loaded and saw. The credentials, the body and the header
 * file's headers are the probe's own, erased when the run ends. */
struct api_run {
	struct api_observed seen;
	char *token, *password, *body;
	struct rp_http_header *headers; /* the command line's, then the file's */
	size_t nheaders;
};

static void note(struct api_observed *o, char *text)
{
	if (!text)
		return;
	o->notes = rp_xreallocarray(o->notes, o->nnotes + 1, sizeof *o->notes);
	o->notes[o->nnotes++] = text;
}

static char *load_secret(struct api_observed *o, const char *file, const char *env,
                         const char *what)
{
	if (!file && !env)
		return NULL;
	char *warning;
	char *v = rp_secret_load(file, env, what, &o->load_error, &warning);
	note(o, warning);
	return v;
}

static void add_header(struct api_run *run, char *line, bool secret)
{
	run->headers = rp_xreallocarray(run->headers, run->nheaders + 1, sizeof *run->headers);
	run->headers[run->nheaders].line = line;
	run->headers[run->nheaders].secret = secret;
	run->nheaders++;
}

/* --header-file: "Name: value" lines, each a secret. */
static void load_header_file(const struct api_config *cfg, struct api_run *run)
{
	char *warning;
	char *text =
	        rp_secret_read(cfg->header_file, NULL, "header", &run->seen.load_error, &warning);
	note(&run->seen, warning);
	if (!text)
		return;
	size_t len = strlen(text); /* strtok_r cuts it into lines */
	char *save = NULL;
	for (char *line = strtok_r(text, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		if (!*line || *line == '#')
			continue;
		if (!strchr(line, ':') || line[0] == ':') {
			char *f = rp_text_sanitize(cfg->header_file, strlen(cfg->header_file), 120);
			run->seen.load_error = rp_xasprintf(
			        "the header file %s has a line that is not 'Name: value'", f);
			free(f);
			break;
		}
		add_header(run, rp_xstrdup(line), true);
	}
	rp_secret_wipe(text, len);
	free(text);
}

/* Credentials in the URL itself ("https://user:pw@host/") are sent too. */
static bool url_has_userinfo(const char *url)
{
	const char *host = strstr(url, "://");
	if (!host)
		return false;
	host += 3;
	return memchr(host, '@', strcspn(host, "/?#")) != NULL;
}

static void load_inputs(const struct api_config *cfg, struct api_run *run)
{
	struct api_observed *seen = &run->seen;
	char why[200];
	if (cfg->cacert && !rp_file_usable(cfg->cacert, why, sizeof why)) {
		/* libcurl would block on a FIFO, and the deadline would blame the peer */
		char *f = rp_text_sanitize_str(cfg->cacert, 120);
		seen->load_error = rp_xasprintf("cannot use the --cacert file %s: it %s", f, why);
		free(f);
		return;
	}
	for (size_t i = 0; i < cfg->nheaders; i++)
		add_header(run, cfg->headers[i].line, false);
	run->token = load_secret(seen, cfg->token_file, cfg->token_env, "token");
	if (!seen->load_error)
		run->password =
		        load_secret(seen, cfg->password_file, cfg->password_env, "password");
	if (!seen->load_error && cfg->header_file)
		load_header_file(cfg, run);
	if (!seen->load_error && cfg->data_file) {
		run->body =
		        rp_file_read(cfg->data_file, SMALL_FILE_MAX, NULL, NULL, why, sizeof why);
		if (!run->body) {
			char *f = rp_text_sanitize(cfg->data_file, strlen(cfg->data_file), 120);
			seen->load_error =
			        rp_xasprintf("cannot read the data file %s: it %s", f, why);
			free(f);
		}
	}
}

static void probe(const void *cfgp, const struct rp_cli *cli, void *runp)
{
	const struct api_config *cfg = cfgp;
	struct api_run *run = runp;
	struct api_observed *seen = &run->seen;
	seen->url_shown = rp_secret_redact_url(cfg->url, 160);
	load_inputs(cfg, run);
	seen->credentials_sent = run->token || cfg->user || url_has_userinfo(cfg->url);
	if (seen->load_error)
		return;
	const char *body = run->body ? run->body : cfg->data;
	struct rp_http_request req = {
		.url = cfg->url,
		.method = cfg->method,
		.headers = run->headers,
		.nheaders = run->nheaders,
		.body = body,
		.body_len = body ? strlen(body) : 0,
		.bearer = run->token,
		.user = cfg->user,
		.password = run->password,
		.follow = cfg->follow,
		.max_body = cfg->max_body,
		.trace = cli->verbosity >= 3,
		.deadline = &cli->deadline,
		.cacert = cfg->cacert,
		.insecure = cfg->insecure,
		.want_cert = strncmp(cfg->url, "https://", 8) == 0,
		.resolve = cfg->resolve,
		.nresolve = cfg->nresolve,
	};
	rp_http_perform(&req, &seen->resp);
	seen->performed = true;
	seen->now = (double)time(NULL);
}

static struct rp_check *evaluate(const void *cfg, const void *runp, const struct rp_cli *cli)
{
	const struct api_run *run = runp;
	return api_evaluate(cfg, &run->seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *runp)
{
	(void)cfg;
	struct api_run *run = runp;
	rp_secret_free(run->token);
	rp_secret_free(run->password);
	rp_secret_free(run->body);
	for (size_t i = 0; i < run->nheaders; i++)
		if (run->headers[i].secret)
			rp_secret_free(run->headers[i].line);
	free(run->headers);
	free(run->seen.url_shown);
	free(run->seen.load_error);
	rp_strv_free(run->seen.notes, run->seen.nnotes);
	rp_http_response_free(&run->seen.resp);
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

static const char *conflict(const struct api_config *cfg)
{
	if (!cfg->url)
		return "--url URL is required";
	if (cfg->token_env && cfg->token_file)
		return "give --token-env or --token-file, not both";
	if ((cfg->token_env || cfg->token_file) && cfg->user)
		return "give a Bearer token or --user, not both";
	if ((cfg->password_env || cfg->password_file) && !cfg->user)
		return "--password-env/--password-file need --user";
	if (cfg->password_env && cfg->password_file)
		return "give --password-env or --password-file, not both";
	if (cfg->data && cfg->data_file)
		return "give --data or --data-file, not both";
	return NULL;
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct api_config *cfg = cfgp;
	const char *problem = conflict(cfg);
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
	.observed_size = sizeof(struct api_run),
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
