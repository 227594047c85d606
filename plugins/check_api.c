/* check_api: is this HTTP API or health endpoint ready? The status it
 * answers, whether credentials were accepted, where it redirects, how fast
 * it is, and what its body says. Catches INCIDENTS.md F1, F14-F16.
 * Credentials come from files or the environment and never appear in any
 * output; the -vvv trace has them redacted.
 *
 * options -> load credentials and data -> one request (the only network
 * I/O) -> api_evaluate (pure, api_eval.c) -> render. */
#include "check_api.h"
#include "rp_cli.h"
#include "rp_file.h"
#include "rp_regex.h"
#include "rp_secrets.h"
#include "rp_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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
	{ "time", RP_UNIT_SECONDS, false, "total response time (primary)" },
	{ "time_connect", RP_UNIT_SECONDS, false, "time to connect" },
	{ "time_tls", RP_UNIT_SECONDS, false, "time of the TLS handshake" },
	{ "time_firstbyte", RP_UNIT_SECONDS, false, "time to the first byte" },
	{ "size", RP_UNIT_BYTES, false, "body size" },
	{ "cert_days", RP_UNIT_NONE, false, "days until the TLS certificate expires (https)" },
	{ NULL, RP_UNIT_NONE, false, NULL },
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
	if (rp_metric_spec_find(metrics, p.label)) {
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

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct api_config *cfg = cfgp;
	switch (id) {
	case OPT_URL:
		if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0) {
			snprintf(err, errlen, "--url '%.80s': an http:// or https:// URL", arg);
			return false;
		}
		cfg->url = arg;
		return true;
	case OPT_JSON:
		return add_json_check(cfg, arg, RP_CRITICAL, err, errlen);
	case OPT_JSON_WARN:
		return add_json_check(cfg, arg, RP_WARNING, err, errlen);
	case OPT_JSON_PERF:
		return add_json_perf(cfg, arg, err, errlen);
	case OPT_HEALTH:
		cfg->health = true;
		return true;
	case OPT_CACERT:
		cfg->cacert = arg;
		return true;
	case OPT_INSECURE:
		cfg->insecure = true;
		return true;
	case OPT_RESOLVE: {
		/* HOST:PORT:ADDR, ADDR may be [v6] */
		const char *c1 = strchr(arg, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		long long port;
		char num[8] = "";
		if (c1 && c2 && c2 - c1 - 1 > 0 && c2 - c1 - 1 < (long)sizeof num)
			memcpy(num, c1 + 1, (size_t)(c2 - c1 - 1));
		if (!c1 || !c2 || c1 == arg || !c2[1] || !rp_parse_ll(num, &port) || port < 1 ||
		    port > 65535 || strpbrk(arg, " \t\r\n")) {
			snprintf(err, errlen, "--resolve '%.60s': write HOST:PORT:ADDR", arg);
			return false;
		}
		cfg->resolve = rp_xreallocarray(cfg->resolve, cfg->nresolve + 1, sizeof(char *));
		cfg->resolve[cfg->nresolve++] = rp_xstrdup(arg);
		return true;
	}
	case OPT_METHOD:
		for (const char *p = arg; *p; p++)
			if (*p < 'A' || *p > 'Z') {
				snprintf(err, errlen,
				         "--method '%.20s': an upper-case method like GET", arg);
				return false;
			}
		cfg->method = arg;
		return true;
	case OPT_HEADER:
		if (!strchr(arg, ':') || arg[0] == ':' || strpbrk(arg, "\r\n")) {
			snprintf(err, errlen, "--header '%.60s': write 'Name: value'", arg);
			return false;
		}
		cfg->headers =
		        rp_xreallocarray(cfg->headers, cfg->nheaders + 1, sizeof *cfg->headers);
		cfg->headers[cfg->nheaders].line = rp_xstrdup(arg);
		cfg->headers[cfg->nheaders].secret = false;
		cfg->nheaders++;
		return true;
	case OPT_HEADER_FILE:
		cfg->header_file = arg;
		return true;
	case OPT_DATA:
		cfg->data = arg;
		return true;
	case OPT_DATA_FILE:
		cfg->data_file = arg;
		return true;
	case OPT_TOKEN_ENV:
		cfg->token_env = arg;
		return true;
	case OPT_TOKEN_FILE:
		cfg->token_file = arg;
		return true;
	case OPT_USER:
		cfg->user = arg;
		return true;
	case OPT_PASSWORD_ENV:
		cfg->password_env = arg;
		return true;
	case OPT_PASSWORD_FILE:
		cfg->password_file = arg;
		return true;
	case OPT_EXPECT:
		free(cfg->expect);
		if (!rp_parse_statuses(arg, &cfg->expect, &cfg->nexpect)) {
			snprintf(err, errlen,
			         "--expect '%.40s': statuses like 200,204 or 200-299,304", arg);
			return false;
		}
		return true;
	case OPT_FOLLOW: {
		long long n = DEFAULT_FOLLOW;
		if (arg && (!rp_parse_ll(arg, &n) || n < 1 || n > 50)) {
			snprintf(err, errlen, "--follow=%.20s: a number of redirects from 1 to 50",
			         arg);
			return false;
		}
		cfg->follow = (long)n;
		return true;
	}
	case OPT_CONTAINS:
		cfg->contains = rp_xreallocarray(cfg->contains, cfg->ncontains + 1, sizeof(char *));
		cfg->contains[cfg->ncontains++] = rp_xstrdup(arg);
		return true;
	case OPT_REGEX: {
		regex_t re;
		char why[160];
		if (!rp_regex_compile(&re, arg, REG_NOSUB, why, sizeof why)) {
			snprintf(err, errlen, "--regex '%.60s': %s", arg, why);
			return false;
		}
		cfg->regexes = rp_xreallocarray(cfg->regexes, cfg->nregex + 1, sizeof re);
		cfg->regex_texts =
		        rp_xreallocarray(cfg->regex_texts, cfg->nregex + 1, sizeof(char *));
		cfg->regexes[cfg->nregex] = re;
		cfg->regex_texts[cfg->nregex++] = rp_xstrdup(arg);
		return true;
	}
	case OPT_MAX_BODY: {
		double v;
		if (!rp_parse_size(arg, &v, err, errlen))
			return false;
		if (v < 1 || v > MAX_BODY_LIMIT) {
			snprintf(err, errlen, "--max-body '%.20s': from 1 B to 256MiB", arg);
			return false;
		}
		cfg->max_body = (size_t)v;
		return true;
	}
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

static void config_free(struct api_config *cfg)
{
	for (size_t i = 0; i < cfg->nheaders; i++) {
		memset(cfg->headers[i].line, 0, strlen(cfg->headers[i].line));
		free(cfg->headers[i].line);
	}
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

/* ------------------------------------------------------ loading secrets */

static void note(struct api_observed *o, const char *fmt, ...) RP_PRINTF(2, 3);

static void note(struct api_observed *o, const char *fmt, ...)
{
	struct rp_buf b;
	va_list ap;
	rp_buf_init(&b);
	va_start(ap, fmt);
	rp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	o->notes = rp_xreallocarray(o->notes, o->nnotes + 1, sizeof *o->notes);
	o->notes[o->nnotes++] = rp_buf_steal(&b);
}

/* A small file's contents; a secret file readable by others gets a note. */
static char *read_small(struct api_observed *o, const char *path, const char *what, bool secret)
{
	char why[200];
	mode_t mode;
	char *buf = rp_read_file(path, SMALL_FILE_MAX, NULL, &mode, why, sizeof why);
	char *p = rp_sanitize(path, strlen(path), 120);
	if (!buf)
		o->load_error = rp_xasprintf("cannot read the %s file %s: it %s", what, p, why);
	else if (secret && rp_secret_file_readers(mode))
		note(o, "the %s file %s is readable by %s (mode %04o); chmod 600 it", what, p,
		     rp_secret_file_readers(mode), (unsigned)(mode & 07777));
	free(p);
	return buf;
}

/* A secret from a file or a variable: one line, without its newline. */
static char *load_secret(struct api_observed *o, const char *file, const char *env,
                         const char *what)
{
	char *v = NULL;
	if (file) {
		v = read_small(o, file, what, true);
		if (v)
			v[strcspn(v, "\r\n")] = '\0';
	} else if (env) {
		const char *e = getenv(env);
		if (!e) {
			o->load_error = rp_xasprintf("the %s variable %s is not set", what, env);
			return NULL;
		}
		v = rp_xstrdup(e);
	}
	if (v && !*v) {
		o->load_error = rp_xasprintf("the %s from %s is empty", what, file ? file : env);
		free(v);
		return NULL;
	}
	return v;
}

static void load_header_file(struct api_config *cfg, struct api_observed *o)
{
	char *text = read_small(o, cfg->header_file, "header", true);
	if (!text)
		return;
	char *save = NULL;
	for (char *line = strtok_r(text, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		if (!*line || *line == '#')
			continue;
		if (!strchr(line, ':') || line[0] == ':') {
			o->load_error = rp_xasprintf("the header file %s has a line that is not "
			                             "'Name: value'",
			                             cfg->header_file);
			break;
		}
		cfg->headers =
		        rp_xreallocarray(cfg->headers, cfg->nheaders + 1, sizeof *cfg->headers);
		cfg->headers[cfg->nheaders].line = rp_xstrdup(line);
		cfg->headers[cfg->nheaders].secret = true;
		cfg->nheaders++;
	}
	memset(text, 0, strlen(text));
	free(text);
}

int main(int argc, char **argv)
{
	struct api_config cfg = { 0 };
	cfg.max_body = DEFAULT_MAX_BODY;
	struct rp_cli cli;
	if (!rp_cli_parse(&cli, &info, argc, argv, handle_option, &cfg)) {
		config_free(&cfg);
		rp_cli_usage_error(&cli);
	}
	const char *problem = NULL;
	if (!cfg.url)
		problem = "--url URL is required";
	else if (cfg.token_env && cfg.token_file)
		problem = "give --token-env or --token-file, not both";
	else if ((cfg.token_env || cfg.token_file) && cfg.user)
		problem = "give a Bearer token or --user, not both";
	else if ((cfg.password_env || cfg.password_file) && !cfg.user)
		problem = "--password-env/--password-file need --user";
	else if (cfg.password_env && cfg.password_file)
		problem = "give --password-env or --password-file, not both";
	else if (cfg.data && cfg.data_file)
		problem = "give --data or --data-file, not both";
	if (problem) {
		config_free(&cfg);
		rp_cli_fail(&cli, "%s", problem);
	}
	cfg.timeout = cli.timeout;
	cfg.timeout_state = cli.timeout_state;
	cfg.verbosity = cli.verbosity;

	struct api_observed seen = { 0 };
	seen.url_shown = rp_http_redact_url(cfg.url, 160);
	char *token = load_secret(&seen, cfg.token_file, cfg.token_env, "token");
	char *password = seen.load_error ? NULL
	                                 : load_secret(&seen, cfg.password_file, cfg.password_env,
	                                               "password");
	char *body = NULL;
	if (!seen.load_error && cfg.header_file)
		load_header_file(&cfg, &seen);
	if (!seen.load_error && cfg.data_file)
		body = read_small(&seen, cfg.data_file, "data", false);
	seen.credentials_sent = token || cfg.user;
	if (!seen.load_error) {
		struct rp_http_request req = {
			.url = cfg.url,
			.method = cfg.method,
			.headers = cfg.headers,
			.nheaders = cfg.nheaders,
			.body = body ? body : cfg.data,
			.body_len = body       ? strlen(body)
			            : cfg.data ? strlen(cfg.data)
			                       : 0,
			.bearer = token,
			.user = cfg.user,
			.password = password,
			.follow = cfg.follow,
			.max_body = cfg.max_body,
			.trace = cli.verbosity >= 3,
			.deadline = &cli.deadline,
			.cacert = cfg.cacert,
			.insecure = cfg.insecure,
			.want_cert = strncmp(cfg.url, "https://", 8) == 0,
			.resolve = cfg.resolve,
			.nresolve = cfg.nresolve,
		};
		rp_http_perform(&req, &seen.resp);
		seen.performed = true;
		seen.now = (double)time(NULL);
	}
	struct rp_check *root = api_evaluate(&cfg, &seen, &cli.thresholds);
	if (token)
		memset(token, 0, strlen(token));
	if (password)
		memset(password, 0, strlen(password));
	free(token);
	free(password);
	free(body);
	free(seen.url_shown);
	free(seen.load_error);
	rp_strv_free(seen.notes, seen.nnotes);
	rp_http_response_free(&seen.resp);
	config_free(&cfg);
	rp_cli_finish(&cli, root);
}
