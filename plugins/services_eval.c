/* services_eval.c: check_services' service specs and its evaluate step.
 * Pure: specs in, configuration out; observations in, verdicts out. */
#include "check_services.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Our own query parameters on http(s):// and ws(s)://: not sent on. */
static bool ours(const char *segment, size_t len)
{
	static const char *const names[] = { "expect=",
		                             "insecure=",
		                             "cacert=",
		                             "client-cert=",
		                             "client-key=",
		                             "client-key-pass-file=",
		                             "client-key-pass-env=" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (len >= strlen(names[i]) && strncmp(segment, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

static bool name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 40)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");
		if (l == n && strncmp(p, word, n) == 0)
			return true;
		p += l;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* PATH?QUERY for the server: the query as written, less our own */
static char *request_target(const struct rp_uri *u)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_puts(&b, u->path);
	char sep = '?';
	for (const char *q = u->query; q && *q;) {
		size_t len = strcspn(q, "&");
		if (len && !ours(q, len)) {
			rp_buf_putc(&b, sep);
			rp_buf_append(&b, q, len);
			sep = '&';
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return rp_buf_steal(&b);
}

/* The URI's parameters against its protocol's: the ones it takes, its own
 * rules, and ?insecure= on TLS. */
static bool spec_rules(const struct svc *s, char *err, size_t errlen)
{
	const struct rp_proto_handler *h = s->proto;
	bool any = strcmp(h->params, "*") == 0;
	for (size_t i = 0; i < s->uri.nparams && !any; i++) {
		if (word_in(s->uri.params[i].name, h->params))
			continue;
		char *p = rp_text_sanitize_str(s->uri.params[i].name, 30);
		snprintf(err, errlen, "service %s: %s:// takes no ?%s=%s%s%s", s->name, h->scheme,
		         p, h->params[0] ? " (it takes: " : "", h->params, h->params[0] ? ")" : "");
		free(p);
		return false;
	}
	char why[200];
	if (h->validate && !h->validate(&s->uri, why, sizeof why)) {
		snprintf(err, errlen, "service %s: %s", s->name, why);
		return false;
	}
	bool client = rp_uri_param(&s->uri, "client-cert") != NULL;
	if (!client &&
	    (rp_uri_param(&s->uri, "client-key") || rp_uri_param(&s->uri, "client-key-pass-file") ||
	     rp_uri_param(&s->uri, "client-key-pass-env"))) {
		snprintf(err, errlen,
		         "service %s: ?client-key and its passphrase go with ?client-cert",
		         s->name);
		return false;
	}
	if (client && !h->tls) {
		snprintf(err, errlen,
		         "service %s: ?client-cert= is for tls://, https:// and wss://, not %s://",
		         s->name, h->scheme);
		return false;
	}
	if (rp_uri_param(&s->uri, "client-key-pass-file") &&
	    rp_uri_param(&s->uri, "client-key-pass-env")) {
		snprintf(err, errlen,
		         "service %s: ?client-key-pass-file= or ?client-key-pass-env=, not both",
		         s->name);
		return false;
	}
	const char *insecure = rp_uri_param(&s->uri, "insecure");
	if (h->tls && insecure && strcmp(insecure, "1") != 0 && strcmp(insecure, "0") != 0) {
		snprintf(err, errlen, "service %s: ?insecure= takes 1 or 0", s->name);
		return false;
	}
	return true;
}

/* "NAME=URI", or "NAME = URI" as a manifest writes its settings: white
 * space around the '=' and at either end does not count. */
bool services_parse_spec(const char *spec, struct svc *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	spec += strspn(spec, " \t");
	const char *eq = strchr(spec, '=');
	size_t nlen = eq ? (size_t)(eq - spec) : 0;
	while (nlen && (spec[nlen - 1] == ' ' || spec[nlen - 1] == '\t'))
		nlen--;
	if (!eq || !name_ok(spec, nlen)) {
		char *shown = rp_secret_redact_url(spec, 60);
		snprintf(err, errlen,
		         "'%s': write NAME=URI, NAME of 1 to 40 letters, digits, '_', '-', '.'",
		         shown);
		free(shown);
		return false;
	}
	const char *u = eq + 1 + strspn(eq + 1, " \t");
	char *uri = rp_xstrndup(u, strlen(u));
	for (size_t n = strlen(uri); n && (uri[n - 1] == ' ' || uri[n - 1] == '\t');)
		uri[--n] = '\0';
	char why[300];
	if (!rp_uri_parse(uri, &s->uri, why, sizeof why)) {
		snprintf(err, errlen, "service %.*s: %s", (int)nlen, spec, why);
		free(uri);
		return false;
	}
	s->name = rp_xstrndup(spec, nlen);
	s->uri_text = uri;
	s->proto = rp_proto_find(s->uri.scheme);
	if (!spec_rules(s, err, errlen)) {
		services_svc_free(s);
		return false;
	}
	if (strcmp(s->proto->params, "*") == 0)
		s->target = request_target(&s->uri);
	return true;
}

void services_svc_free(struct svc *s)
{
	free(s->target);
	free(s->name);
	free(s->uri_text);
	rp_uri_free(&s->uri);
	memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------ evaluate */

/* probe times to a tenth of a millisecond */
static char *seconds(double s, char buf[RP_NUMBUF])
{
	return rp_number_format(round(s * 10000) / 10000, buf);
}

static bool is_down(const struct svc_seen *o)
{
	return !o->load_error && o->verdict == RP_V_DOWN;
}

static double days_until(double at, double now)
{
	return floor((at - now) / 86400.0 * 100.0) / 100.0;
}

/* chain_days.NAME (the earliest expiry the server presents, said when it
 * comes before the leaf's) or client_cert_days.NAME (ours). */
static enum rp_state judge_days(struct rp_check *root, const char *stem, const struct svc *s,
                                bool known, double at, double now, double leaf_days,
                                const struct rp_thresholds *t, struct rp_buf *note)
{
	char *label = rp_xasprintf("%s.%s", stem, s->name);
	bool ours = !strcmp(stem, "client_cert_days");
	if (!known) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		free(label);
		return RP_OK;
	}
	double days = days_until(at, now);
	enum rp_state st = rp_check_metric(root, label, days, RP_UNIT_NONE, t);
	free(label);
	const char *what = ours ? "our client certificate" : "a certificate of the chain";
	char num[RP_NUMBUF];
	if (days >= leaf_days)
		return RP_OK; /* the leaf's own words say it */
	if (days < 0) {
		rp_buf_printf(note, "; %s expired %s days ago", what, rp_number_format(-days, num));
		return RP_CRITICAL;
	}
	if (st != RP_OK)
		rp_buf_printf(note, "; %s expires in %s days", what, rp_number_format(days, num));
	return st;
}

/* cert_days.NAME for a TLS service, and what its certificate says. */
static enum rp_state judge_cert(struct rp_check *root, const struct svc *s,
                                const struct svc_seen *o, double now, const struct rp_thresholds *t,
                                struct rp_buf *note)
{
	enum rp_state st = RP_OK;
	char num[RP_NUMBUF];
	if (o->unverified) {
		char *why = rp_text_sanitize(o->unverified, strlen(o->unverified), 80);
		rp_buf_printf(note, "; certificate not verified (?insecure=1): %s", why);
		free(why);
		st = RP_WARNING;
	}
	char *label = rp_xasprintf("cert_days.%s", s->name);
	if (!o->have_cert) {
		rp_check_add_perf_unknown(root, label, RP_UNIT_NONE, t);
		free(label);
		return st;
	}
	double days = days_until(o->cert_not_after, now);
	enum rp_state cs = rp_check_metric(root, label, days, RP_UNIT_NONE, t);
	free(label);
	if (days < 0) {
		rp_buf_printf(note, "; the certificate expired %s days ago",
		              rp_number_format(-days, num));
		cs = RP_CRITICAL;
	} else if (cs != RP_OK) {
		rp_buf_printf(note, "; the certificate expires in %s days",
		              rp_number_format(days, num));
	}
	cs = rp_state_worst(cs, judge_days(root, "chain_days", s, o->have_chain, o->chain_not_after,
	                                   now, days, t, note));
	if (o->have_client_cert)
		cs = rp_state_worst(cs,
		                    judge_days(root, "client_cert_days", s, true,
		                               o->client_cert_not_after, now, INFINITY, t, note));
	return rp_state_worst(st, cs);
}

struct rp_check *services_evaluate(const struct services_config *cfg, const struct svc_seen *seen,
                                   double now, const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	size_t ndown = 0, nup = 0;
	for (size_t i = 0; i < cfg->n; i++)
		ndown += is_down(&seen[i]);
	/* with -w/-c down=RANGE the count decides what a down service means */
	bool by_count = rp_thresholds_has(t, "down");
	enum rp_state count_state =
	        by_count ? rp_thresholds_state(t, "down", (double)ndown) : RP_OK;
	char dur[RP_NUMBUF];
	struct rp_buf summary;
	rp_buf_init(&summary);
	size_t listed = 0;
	for (size_t i = 0; i < cfg->n; i++) {
		const struct svc *s = &cfg->svcs[i];
		const struct svc_seen *o = &seen[i];
		char *label = rp_xasprintf("time.%s", s->name);
		if (o->load_warning)
			rp_check_add(root, RP_WARNING, "%s: %s", s->name, o->load_warning);
		if (o->load_error) {
			rp_check_add(root, RP_UNKNOWN, "%s: %s", s->name, o->load_error);
			rp_check_add_perf_unknown(root, label, RP_UNIT_SECONDS, t);
			free(label);
			continue;
		}
		char *why =
		        rp_text_sanitize(o->why ? o->why : "", o->why ? strlen(o->why) : 0, 160);
		enum rp_state st;
		const char *word;
		if (o->verdict == RP_V_UP) {
			st = RP_OK, word = "up";
			nup++;
		} else if (o->verdict == RP_V_DEGRADED) {
			st = RP_WARNING, word = "degraded";
			nup++;
		} else {
			st = by_count ? count_state : s->optional ? RP_WARNING : RP_CRITICAL;
			word = "down";
			if (listed < 4) {
				/* the first line names each briefly; the long output says all */
				char *brief = rp_text_sanitize(o->why ? o->why : "",
				                               o->why ? strlen(o->why) : 0, 40);
				rp_buf_printf(&summary, "%s%s %s (%s)", listed ? ", " : "", s->name,
				              o->addr, brief);
				free(brief);
			}
			listed++;
		}
		/* time thresholds judge how fast a service answered; a down one is
		 * judged as down (and by -w/-c down=), its time shown without them */
		enum rp_state slow = RP_OK;
		if (o->verdict == RP_V_DOWN)
			rp_check_add_perf(root, label, o->elapsed, RP_UNIT_SECONDS, NULL);
		else
			slow = rp_check_metric(root, label, o->elapsed, RP_UNIT_SECONDS, t);
		struct rp_buf note;
		rp_buf_init(&note);
		if (s->proto->tls && o->verdict != RP_V_DOWN)
			st = rp_state_worst(st, judge_cert(root, s, o, now, t, &note));
		if (o->verdict != RP_V_DOWN && slow != RP_OK) {
			st = rp_state_worst(st, slow);
			rp_check_add(root, st, "%s %s: %s, slow: %s s%s", s->name, o->addr, word,
			             seconds(o->elapsed, dur), note.len ? note.data : "");
		} else {
			rp_check_add(root, st, "%s %s: %s%s, %s%s (%s s)", s->name, o->addr, word,
			             s->optional ? " (optional)" : "", why,
			             note.len ? note.data : "", seconds(o->elapsed, dur));
		}
		rp_buf_free(&note);
		free(why);
		free(label);
	}
	if (listed > 4)
		rp_buf_printf(&summary, " and %zu more", listed - 4);
	rp_check_add_perf_minmax(root, "up", (double)nup, RP_UNIT_NONE, t, 0, (double)cfg->n);
	/* worded above: each down service carries the count's state */
	rp_check_metric_minmax(root, "down", (double)ndown, RP_UNIT_NONE, t, 0, (double)cfg->n);
	if (ndown)
		rp_check_set_text(root, "%zu of %zu down: %s", ndown, cfg->n, summary.data);
	else if (rp_check_state(root) == RP_OK)
		rp_check_set_text(root, "all %zu service%s up", cfg->n, cfg->n == 1 ? "" : "s");
	else {
		char *worst = rp_check_worst_texts(root, 180);
		rp_check_set_text(root, "%s", worst);
		free(worst);
	}
	rp_buf_free(&summary);
	return root;
}
