/* check_services: are the services behind the system listening and usable?
 * Every service is probed at once, in one process, under one deadline: a
 * TCP connect, then the protocol's own first exchange where there is one
 * (HTTP status, Redis AUTH/PING, the PostgreSQL start-up reply, a
 * WebSocket upgrade with its accept key, an SMTP or MySQL greeting, a
 * banner). Catches docs/incidents.md F12, F13 and F18.
 *
 * options -> load passwords -> rp_probe_run_all (the only network I/O) ->
 * services_evaluate (pure, services_eval.c) -> render. */
#include "check_services.h"
#include "rp_cli.h"
#include "rp_run.h"
#include "rp_secret.h"
#include "rp_file.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SERVICES      256
#define SERVICES_FILE_MAX (1024 * 1024)

enum {
	OPT_SERVICE = 's',
	OPT_SERVICES_FILE = 0x100,
	OPT_OPTIONAL,
};

static const struct rp_option options[] = {
	{ "service", 's', true, "NAME=URI", "a service to probe (repeatable); see URIS below",
	  OPT_SERVICE },
	{ "services-file", 0, true, "FILE", "services, one NAME=URI a line, # comments",
	  OPT_SERVICES_FILE },
	{ "optional", 0, true, "NAME", "NAME being down is WARNING, not CRITICAL (repeatable)",
	  OPT_OPTIONAL },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "time", RP_UNIT_SECONDS, true, "each service's probe time (time.NAME)", NULL },
	{ "down", RP_UNIT_NONE, false, "services down (default: any required one is CRITICAL)",
	  NULL },
	{ "cert_days", RP_UNIT_NONE, true, "days until a TLS service's certificate expires", NULL },
	{ "chain_days", RP_UNIT_NONE, true,
	  "days until the first certificate of a TLS service's presented chain expires", NULL },
	{ "client_cert_days", RP_UNIT_NONE, true,
	  "days until our client certificate for a service (?client-cert=) expires", NULL },
	{ "up", RP_UNIT_NONE, false, "services up", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "check_services",
	.label = "SERVICES",
	.purpose = "are the services behind the system listening and usable?",
	.synopsis = "-s NAME=URI [-s NAME=URI]... [--services-file FILE] [--optional NAME]\n"
	            "       [-w/-c time=DURATION] [-w/-c down=RANGE]",
	.options = options,
	.metrics = metrics,
	.primary_metric = NULL,
	.notes = "URIS (all probed at once; -t is one deadline for all):\n"
	         "  tcp://HOST:PORT[?expect=TEXT&send=TEXT]   connect [; a banner starting TEXT]\n"
	         "  tls://HOST:PORT[?cacert=FILE&insecure=1]  a verified TLS handshake; cert_days\n"
	         "  https://, wss://                          http://, ws:// over TLS (?cacert= "
	         "too)\n"
	         "  ...&client-cert=FILE[&client-key=FILE&client-key-pass-file=FILE]  on tls,\n"
	         "                                            https, wss: mutual TLS\n"
	         "  http://HOST:PORT/PATH[?expect=200,204]    GET; up on 200-399 or ?expect\n"
	         "  redis://HOST:PORT[?password-env=VAR|password-file=FILE&user=NAME]\n"
	         "                                            [AUTH,] PING -> +PONG\n"
	         "  postgres://HOST:PORT[?user=U&dbname=D]    start-up reply, as pg_isready\n"
	         "  ws://HOST:PORT/PATH                       101 with the right accept key\n"
	         "  smtp://HOST:PORT, mysql://HOST:PORT       the server's greeting\n"
	         "A down service is CRITICAL (--optional: WARNING); -w/-c down=RANGE lets the\n"
	         "count decide instead. Passwords come from files or the environment only.\n",
	.examples =
	        "  check_services -s db=postgres://127.0.0.1:5432 -s cache=redis://127.0.0.1:6379"
	        "?password-env=REDIS_PASSWORD \\\n"
	        "      -s api=http://127.0.0.1:8000/health -s ws=ws://127.0.0.1:8765/ -w "
	        "time=500ms\n"
	        "  check_services --services-file /etc/readiness/services --optional metrics\n",
};

static bool add_service(struct services_config *cfg, const char *spec, char *err, size_t errlen)
{
	if (cfg->n == MAX_SERVICES) {
		snprintf(err, errlen, "at most %d services", MAX_SERVICES);
		return false;
	}
	struct svc s;
	if (!services_parse_spec(spec, &s, err, errlen))
		return false;
	for (size_t i = 0; i < cfg->n; i++)
		if (strcmp(cfg->svcs[i].name, s.name) == 0) {
			snprintf(err, errlen, "two services are named %s", s.name);
			services_svc_free(&s);
			return false;
		}
	cfg->svcs = rp_xreallocarray(cfg->svcs, cfg->n + 1, sizeof *cfg->svcs);
	cfg->svcs[cfg->n++] = s;
	return true;
}

static bool load_services_file(struct services_config *cfg, const char *path, char *err,
                               size_t errlen)
{
	char why[200];
	char *text = rp_file_read(path, SERVICES_FILE_MAX, NULL, NULL, why, sizeof why);
	if (!text) {
		snprintf(err, errlen, "--services-file %.100s %s", path, why);
		return false;
	}
	bool ok = true;
	int lineno = 0;
	for (char *line = text; ok && line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		char *p = line + strspn(line, " \t");
		size_t len = strlen(p);
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			p[--len] = '\0';
		if (*p && *p != '#') {
			char e[400];
			ok = add_service(cfg, p, e, sizeof e);
			if (!ok)
				snprintf(err, errlen, "%.100s, line %d: %s", path, lineno, e);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return ok;
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct services_config *cfg = cfgp;
	switch (id) {
	case OPT_SERVICE:
		return add_service(cfg, arg, err, errlen);
	case OPT_SERVICES_FILE:
		return load_services_file(cfg, arg, err, errlen);
	case OPT_OPTIONAL:
		rp_strv_push(&cfg->optional, &cfg->noptional, arg);
		return true;
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

/* --optional names must name services: a typo would silently harden. */
static const char *mark_optional(struct services_config *cfg)
{
	for (size_t k = 0; k < cfg->noptional; k++) {
		bool found = false;
		for (size_t i = 0; i < cfg->n; i++)
			if (strcmp(cfg->svcs[i].name, cfg->optional[k]) == 0)
				found = cfg->svcs[i].optional = true;
		if (!found)
			return cfg->optional[k];
	}
	return NULL;
}

static void config_free(struct services_config *cfg)
{
	for (size_t i = 0; i < cfg->n; i++)
		services_svc_free(&cfg->svcs[i]);
	free(cfg->svcs);
	rp_strv_free(cfg->optional, cfg->noptional);
}

/* ---------------------------------------------------- the conversations */

/* What one probe needs beyond rp_probe: its request and its protocol's
 * conversation. */
struct conversation {
	const struct svc *svc;
	struct rp_buf request;
	struct rp_proto_conv conv;
	char *key_password; /* ?client-key-pass-...: held for the handshake, wiped after */
};

static enum rp_verdict judge(const char *buf, size_t len, bool eof, const void *arg, char *why,
                             size_t whylen)
{
	const struct conversation *c = arg;
	return c->svc->proto->judge(&c->conv, buf, len, eof, why, whylen);
}

/* The first WARNING about a secret file others may read is the one said. */
static void keep_warning(struct svc_seen *seen, char *warning)
{
	if (!seen->load_warning)
		seen->load_warning = warning;
	else
		free(warning);
}

/* The password of a redis:// service, from its file or variable. */
static char *load_password(const struct svc *s, struct svc_seen *seen)
{
	const char *env = rp_uri_param(&s->uri, "password-env");
	const char *file = rp_uri_param(&s->uri, "password-file");
	if (!env && !file)
		return NULL;
	char *warning = NULL;
	char *v = rp_secret_load(env ? NULL : file, env, "password", &seen->load_error, &warning);
	keep_warning(seen, warning);
	return v;
}

/* A file OpenSSL will open, checked first: it would block on a FIFO,
 * and the deadline would blame the peer. */
static bool usable(const char *path, const char *what, struct svc_seen *seen)
{
	char why[200];
	if (!path || rp_file_usable(path, why, sizeof why))
		return true;
	char *f = rp_text_sanitize_str(path, 120);
	seen->load_error = rp_xasprintf("cannot use the %s %s: it %s", what, f, why);
	free(f);
	return false;
}

/* ?client-cert=&client-key=&client-key-pass-file= (or -env): read as the
 * handshake will, so a problem is the check's own (UNKNOWN), in words. */
static void load_client_cert(struct conversation *c, struct svc_seen *seen)
{
	const struct svc *s = c->svc;
	const char *cert = rp_uri_param(&s->uri, "client-cert");
	const char *key = rp_uri_param(&s->uri, "client-key");
	const char *pf = rp_uri_param(&s->uri, "client-key-pass-file");
	const char *pe = rp_uri_param(&s->uri, "client-key-pass-env");
	if (!cert || !usable(cert, "client certificate", seen) || !usable(key, "client key", seen))
		return;
	if (pf || pe) {
		char *warning = NULL;
		c->key_password = rp_secret_load(pe ? NULL : pf, pe, "client key passphrase",
		                                 &seen->load_error, &warning);
		keep_warning(seen, warning);
	}
	char err[300];
	if (!seen->load_error &&
	    !rp_tls_check_client_cert(cert, key, c->key_password, &seen->client_cert_not_after, err,
	                              sizeof err))
		seen->load_error = rp_xstrdup(err);
	seen->have_client_cert = !seen->load_error;
}

static void prepare(struct conversation *c, struct rp_probe *p, struct svc_seen *seen)
{
	const struct svc *s = c->svc;
	rp_buf_init_secret(&c->request); /* a redis request carries its password */
	c->conv.uri = &s->uri;
	c->conv.target = s->target;
	if (usable(rp_uri_param(&s->uri, "cacert"), "CA file", seen))
		load_client_cert(c, seen);
	char *password = seen->load_error ? NULL : load_password(s, seen);
	c->conv.password = password;
	if (s->proto->request)
		s->proto->request(&c->conv, &c->request);
	c->conv.password = NULL;
	rp_secret_free(password);
	p->host = s->uri.host;
	p->port = s->uri.port;
	p->judge = rp_proto_expects_reply(s->proto, &c->conv) ? judge : NULL;
	p->judge_arg = c;
	p->fd = -1;
	p->tls = s->proto->tls;
	p->cacert = rp_uri_param(&s->uri, "cacert");
	const char *insecure = rp_uri_param(&s->uri, "insecure");
	p->insecure = insecure && strcmp(insecure, "1") == 0;
	p->request = c->request.data;
	p->request_len = c->request.len;
	p->client_cert = rp_uri_param(&s->uri, "client-cert");
	p->client_key = rp_uri_param(&s->uri, "client-key");
	p->key_password = c->key_password;
}

/* ------------------------------------------------------------ the runtime */

/* What one run saw: the probes, their conversations, and each service's
 * observations (services_evaluate's input). */
struct services_run {
	struct rp_probe *probes;
	struct conversation *convs;
	struct svc_seen *seen;
	size_t n, nrun;
	double now;
};

static void config_free_any(void *cfg)
{
	config_free(cfg);
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct services_config *cfg = cfgp;
	const char *stray = mark_optional(cfg);
	if (stray) {
		char *s = rp_text_sanitize(stray, strlen(stray), 40);
		snprintf(cli->err, sizeof cli->err, "--optional %s names no service", s);
		free(s);
		return false;
	}
	if (cfg->n == 0) {
		snprintf(cli->err, sizeof cli->err,
		         "no service to probe: give -s NAME=URI or --services-file FILE");
		return false;
	}
	return true;
}

/* Copies what the probes saw into each service's observations. */
static void collect(struct services_run *run)
{
	for (size_t i = 0, k = 0; i < run->n; i++) {
		struct svc_seen *seen = &run->seen[i];
		const struct rp_probe *p = &run->probes[k];
		if (seen->load_error)
			continue;
		seen->verdict = p->verdict;
		seen->why = p->why;
		seen->addr = p->addr;
		seen->elapsed = p->elapsed;
		seen->have_cert = p->have_cert;
		seen->cert_not_after = p->cert_not_after;
		seen->have_chain = p->have_chain;
		seen->chain_not_after = p->chain_not_after;
		seen->unverified = p->unverified[0] ? p->unverified : NULL;
		k++;
	}
}

static void probe(const void *cfgp, const struct rp_cli *cli, void *runp)
{
	const struct services_config *cfg = cfgp;
	struct services_run *run = runp;
	run->n = cfg->n;
	run->probes = rp_xcalloc(cfg->n, sizeof *run->probes);
	run->convs = rp_xcalloc(cfg->n, sizeof *run->convs);
	run->seen = rp_xcalloc(cfg->n, sizeof *run->seen);
	for (size_t i = 0; i < cfg->n; i++) {
		run->convs[i].svc = &cfg->svcs[i];
		prepare(&run->convs[i], &run->probes[i], &run->seen[i]);
	}
	/* a service whose password could not be loaded is not probed */
	for (size_t i = 0; i < cfg->n; i++)
		if (!run->seen[i].load_error)
			run->probes[run->nrun++] = run->probes[i];
	rp_probe_run_all(run->probes, run->nrun, &cli->deadline);
	collect(run);
	run->now = (double)time(NULL);
}

static struct rp_check *evaluate(const void *cfg, const void *runp, const struct rp_cli *cli)
{
	const struct services_run *run = runp;
	return services_evaluate(cfg, run->seen, run->now, &cli->thresholds);
}

static void observed_free(const void *cfg, void *runp)
{
	(void)cfg;
	struct services_run *run = runp;
	for (size_t i = 0; i < run->nrun; i++)
		rp_probe_release(&run->probes[i]);
	for (size_t i = 0; i < run->n; i++) {
		rp_buf_free(&run->convs[i].request);
		rp_secret_free(run->convs[i].key_password);
		rp_proto_conv_free(&run->convs[i].conv);
		free(run->seen[i].load_error);
		free(run->seen[i].load_warning);
	}
	free(run->probes);
	free(run->convs);
	free(run->seen);
}

static const struct rp_plugin check_services = {
	.info = &info,
	.config_size = sizeof(struct services_config),
	.observed_size = sizeof(struct services_run),
	.config_free = config_free_any,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_services, argc, argv);
}
