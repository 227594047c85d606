/* check_latency: how fast and how reliably does this HTTP endpoint answer
 * under a small, bounded load? Percentiles of every request's latency and
 * the error rate, where one request (check_api) flaps between "fine" and
 * "5 s" from run to run. Catches docs/incidents.md F16, F17.
 *
 * options (check_api's request options, the same code) -> load what they
 * name -> the load (rp_load over rp_load_http: the only network I/O) ->
 * latency_evaluate (pure, latency_eval.c) -> render. */
#include "check_latency.h"
#include "rp_cli.h"
#include "rp_load_http.h"
#include "rp_run.h"
#include "rp_secret.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_EXPECT = 0x100,
	OPT_REQUESTS = 'n',
	OPT_CONCURRENCY = 0x101,
	OPT_RATE,
	OPT_DURATION,
	OPT_WARMUP,
	OPT_NO_REUSE,
	OPT_REQUEST_TIMEOUT,
};

static const struct rp_option options[] = {
	RP_HTTP_REQUEST_OPTIONS,
	{ "expect", 0, true, "CODES",
	  "statuses that count as answered, e.g. 200,204 or 200-299,304 (default 200-299); "
	  "any other is an error",
	  OPT_EXPECT },
	{ "requests", 'n', true, "N", "requests to count (default 50; at most 10000)",
	  OPT_REQUESTS },
	{ "concurrency", 0, true, "C",
	  "connections, each with one request in flight (default 4; at most 256)",
	  OPT_CONCURRENCY },
	{ "rate", 0, true, "R",
	  "open loop: R requests a second on schedule, latency from when each was due "
	  "(default: closed loop)",
	  OPT_RATE },
	{ "duration", 0, true, "DURATION",
	  "start requests for this long (at most 60s); alone, up to 10000 requests", OPT_DURATION },
	{ "warmup", 0, true, "N", "requests sent first and not counted (default 0)", OPT_WARMUP },
	{ "no-reuse", 0, false, NULL,
	  "a new connection for every request (connect and TLS in each latency)", OPT_NO_REUSE },
	{ "request-timeout", 0, true, "DURATION",
	  "a request slower than this is an error of kind timeout (default: none)",
	  OPT_REQUEST_TIMEOUT },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "min", RP_UNIT_SECONDS, false, "fastest request", NULL },
	{ "avg", RP_UNIT_SECONDS, false, "mean latency", NULL },
	{ "p50", RP_UNIT_SECONDS, false, "median latency", NULL },
	{ "p90", RP_UNIT_SECONDS, false, "90th percentile latency", NULL },
	{ "p95", RP_UNIT_SECONDS, false, "95th percentile latency (primary)", NULL },
	{ "p99", RP_UNIT_SECONDS, false, "99th percentile latency", NULL },
	{ "max", RP_UNIT_SECONDS, false, "slowest request", NULL },
	{ "errors", RP_UNIT_PERCENT, false,
	  "requests failed: transport errors or a status outside --expect (default -w 1 -c 5)",
	  NULL },
	{ "rps", RP_UNIT_NONE, false, "requests a second achieved", NULL },
	{ "requests", RP_UNIT_NONE, false, "requests counted", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "check_latency",
	.label = "LATENCY",
	.purpose = "HTTP latency percentiles and error rate under a small, bounded load",
	.synopsis = "-u URL [-n N] [--concurrency C | --rate R] [--duration D] [--warmup N]\n"
	            "       [--token-file FILE] [-w/-c p95=...] [-w/-c errors=...]",
	.options = options,
	.metrics = metrics,
	.primary_metric = "p95",
	.notes = "Every request's latency goes into a histogram (relative error at most 1/256);\n"
	         "percentiles are read from it by the nearest-rank rule, never from averages.\n"
	         "Connections are kept alive and reused unless --no-reuse. Under --rate each\n"
	         "request's latency runs from when it was due, so a server that stalls shows\n"
	         "its stall in every request due meanwhile (no coordinated omission).\n"
	         "Latency covers requests that got an answer (any status) and those given up\n"
	         "by --request-timeout; a refused or reset connection is an error without one.\n"
	         "errors defaults to -w errors=1 -c errors=5 (percent) unless a threshold on\n"
	         "errors is given; when no request succeeds the run is CRITICAL whatever the\n"
	         "thresholds. Hard caps no option lifts: 10000 requests, 60 s of load, and the\n"
	         "run's -t; a plan that cannot fit them is a usage error. When -t ends the\n"
	         "load early, what was measured is judged and the cut is a finding in the\n"
	         "--timeout-state (CRITICAL by default).\n",
	.examples =
	        "  check_latency -u http://127.0.0.1:8000/health -w p95=500ms -c p95=2s -c "
	        "errors=5%\n"
	        "  check_latency -u https://api.example.com/v1/prices --token-file "
	        "/etc/app/token \\\n"
	        "                --rate 20 --duration 5s -t 15 -c p99=1s\n"
	        "  check_latency -u http://127.0.0.1:8080/ -n 200 --concurrency 10 --warmup 20\n",
};

static bool set_count(size_t *out, const char *opt, const char *arg, long long min, long long max,
                      char *err, size_t errlen)
{
	long long n;
	if (!rp_number_parse_bounded(arg, min, max, &n)) {
		snprintf(err, errlen, "--%s '%.20s': a whole number from %lld to %lld", opt, arg,
		         min, max);
		return false;
	}
	*out = (size_t)n;
	return true;
}

static bool set_seconds(double *out, const char *opt, const char *arg, double max, char *err,
                        size_t errlen)
{
	double v;
	char why[200];
	if (!rp_unit_parse_duration(arg, &v, why, sizeof why)) {
		snprintf(err, errlen, "--%s: %s", opt, why);
		return false;
	}
	if (!(v > 0) || v > max) {
		snprintf(err, errlen, "--%s '%.20s': more than 0 and at most %g s", opt, arg, max);
		return false;
	}
	*out = v;
	return true;
}

static bool set_rate(struct latency_config *cfg, const char *arg, char *err, size_t errlen)
{
	double v;
	if (!rp_number_parse(arg, strlen(arg), &v) || v < 0.1 || v > 10000) {
		snprintf(err, errlen, "--rate '%.20s': requests a second, from 0.1 to 10000", arg);
		return false;
	}
	cfg->rate = v;
	return true;
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct latency_config *cfg = cfgp;
	enum rp_http_option_result shared =
	        rp_http_options_handle(&cfg->http, id, arg, err, errlen);
	if (shared != RP_HTTP_OPTION_NOT_MINE)
		return shared == RP_HTTP_OPTION_OK;
	size_t n;
	switch (id) {
	case OPT_EXPECT:
		return rp_status_option(arg, &cfg->expect, &cfg->nexpect, err, errlen);
	case OPT_REQUESTS:
		cfg->requests_given = true;
		return set_count(&cfg->requests, "requests", arg, 1, RP_LOAD_MAX_REQUESTS, err,
		                 errlen);
	case OPT_CONCURRENCY:
		if (!set_count(&n, "concurrency", arg, 1, RP_LOAD_MAX_CONCURRENCY, err, errlen))
			return false;
		cfg->concurrency = (unsigned)n;
		return true;
	case OPT_RATE:
		return set_rate(cfg, arg, err, errlen);
	case OPT_DURATION:
		return set_seconds(&cfg->duration, "duration", arg, RP_LOAD_MAX_SECONDS, err,
		                   errlen);
	case OPT_WARMUP:
		return set_count(&cfg->warmup, "warmup", arg, 0, RP_LOAD_MAX_REQUESTS, err, errlen);
	case OPT_NO_REUSE:
		cfg->no_reuse = true;
		return true;
	case OPT_REQUEST_TIMEOUT:
		return set_seconds(&cfg->request_timeout, "request-timeout", arg,
		                   RP_LOAD_MAX_SECONDS, err, errlen);
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

/* ------------------------------------------------------------ the plan */

/* How many requests the plan counts, from -n, --duration and --rate. */
static const char *settle_requests(struct latency_config *cfg, char *buf, size_t len)
{
	if (!cfg->requests_given && cfg->duration > 0) {
		double n = cfg->rate > 0 ? ceil(cfg->rate * cfg->duration) : RP_LOAD_MAX_REQUESTS;
		if (n > RP_LOAD_MAX_REQUESTS) {
			snprintf(buf, len,
			         "--rate %g for %g s makes %.0f requests; at most %d a run "
			         "(a hard cap)",
			         cfg->rate, cfg->duration, n, RP_LOAD_MAX_REQUESTS);
			return buf;
		}
		cfg->requests = (size_t)n;
	}
	if (cfg->requests + cfg->warmup > RP_LOAD_MAX_REQUESTS) {
		snprintf(buf, len,
		         "-n %zu and --warmup %zu: at most %d requests a run (a hard cap)",
		         cfg->requests, cfg->warmup, RP_LOAD_MAX_REQUESTS);
		return buf;
	}
	return NULL;
}

/* A plan that cannot fit in the run's time is refused before it starts. */
static const char *plan_fits(const struct latency_config *cfg, char *buf, size_t len)
{
	double limit = fmin(cfg->timeout, RP_LOAD_MAX_SECONDS);
	if (cfg->duration > cfg->timeout) {
		snprintf(buf, len, "--duration %g s is longer than the run's -t %g s: raise -t",
		         cfg->duration, cfg->timeout);
		return buf;
	}
	double scheduled = cfg->rate > 0 ? (double)(cfg->requests - 1) / cfg->rate : 0;
	if (cfg->duration > 0 && scheduled > cfg->duration)
		scheduled = cfg->duration;
	if (scheduled > limit) {
		snprintf(buf, len,
		         "--rate %g for %zu requests takes %g s, longer than %s %g s: lower -n "
		         "or raise %s",
		         cfg->rate, cfg->requests, scheduled,
		         limit < cfg->timeout ? "the cap of" : "the run's -t", limit,
		         limit < cfg->timeout ? "--rate" : "-t");
		return buf;
	}
	return NULL;
}

static const char *conflict(struct latency_config *cfg, char *buf, size_t len)
{
	const char *problem = rp_http_options_conflict(&cfg->http);
	if (!problem)
		problem = settle_requests(cfg, buf, len);
	if (!problem)
		problem = plan_fits(cfg, buf, len);
	return problem;
}

/* errors has a threshold unless the admin gave one: a load where every
 * other request fails is not fine by default. */
static bool default_error_thresholds(struct rp_cli *cli)
{
	if (rp_thresholds_has(&cli->thresholds, "errors"))
		return true;
	return rp_thresholds_add(&cli->thresholds, cli->metrics, "p95", 'w', "errors=1", cli->err,
	                         sizeof cli->err) &&
	       rp_thresholds_add(&cli->thresholds, cli->metrics, "p95", 'c', "errors=5", cli->err,
	                         sizeof cli->err);
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct latency_config *cfg = cfgp;
	cfg->timeout = cli->timeout;
	cfg->timeout_state = cli->timeout_state;
	char buf[300];
	const char *problem = conflict(cfg, buf, sizeof buf);
	if (problem) {
		snprintf(cli->err, sizeof cli->err, "%s", problem);
		return false;
	}
	return default_error_thresholds(cli);
}

/* ------------------------------------------------------------ probe */

static void probe(const void *cfgp, const struct rp_cli *cli, void *seenp)
{
	const struct latency_config *cfg = cfgp;
	struct latency_observed *seen = seenp;
	seen->url_shown = rp_secret_redact_url(cfg->http.url, 160);
	rp_load_stats_init(&seen->stats);
	rp_http_options_load(&cfg->http, &seen->in);
	if (seen->in.error)
		return;
	struct rp_http_request req;
	rp_http_options_request(&req, &cfg->http, &seen->in, &cli->deadline);
	req.want_cert = false;
	char err[200];
	struct rp_load_http *lh = rp_load_http_open(&req, cfg->concurrency, cfg->request_timeout,
	                                            !cfg->no_reuse, err, sizeof err);
	if (!lh) {
		seen->start_error = rp_xstrdup(err);
		return;
	}
	struct rp_load_driver d;
	rp_load_http_driver(lh, &d);
	double start = rp_deadline_now();
	struct rp_load_plan plan = {
		.requests = cfg->requests,
		.warmup = cfg->warmup,
		.concurrency = cfg->concurrency,
		.rate = cfg->rate,
		.duration = cfg->duration,
		.deadline =
		        start + fmin(rp_deadline_remaining(&cli->deadline), RP_LOAD_MAX_SECONDS),
		.expect = cfg->expect,
		.nexpect = cfg->nexpect,
	};
	rp_load_run(&plan, &d, &seen->stats);
	seen->ran = true;
	rp_load_http_close(lh);
}

static struct rp_check *evaluate(const void *cfg, const void *seen, const struct rp_cli *cli)
{
	return latency_evaluate(cfg, seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *seenp)
{
	(void)cfg;
	struct latency_observed *seen = seenp;
	rp_http_options_loaded_free(&seen->in);
	free(seen->url_shown);
	free(seen->start_error);
	rp_load_stats_free(&seen->stats);
}

static void config_init(void *cfgp)
{
	struct latency_config *cfg = cfgp;
	cfg->requests = LATENCY_DEFAULT_REQUESTS;
	cfg->concurrency = LATENCY_DEFAULT_CONCURRENCY;
}

static void config_free(void *cfgp)
{
	struct latency_config *cfg = cfgp;
	rp_http_options_free(&cfg->http);
	free(cfg->expect);
}

static const struct rp_plugin check_latency = {
	.info = &info,
	.config_size = sizeof(struct latency_config),
	.observed_size = sizeof(struct latency_observed),
	.config_init = config_init,
	.config_free = config_free,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_latency, argc, argv);
}
