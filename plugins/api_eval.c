/* api_eval.c: check_api's evaluate step. Pure: the response in, verdicts
 * out. Text from the server (Location, WWW-Authenticate, the body) is
 * sanitised before it is shown. */
#include "check_api.h"
#include "rp_secret.h"
#include "rp_health.h"
#include "rp_json.h"
#include "rp_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool api_parse_json_perf(const char *text, struct api_json_perf *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	/* the label follows the last '=' outside quotes */
	const char *eq = NULL;
	char quote = 0;
	for (const char *p = text; *p; p++) {
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '=') {
			eq = p;
		}
	}
	char *path = eq ? rp_xstrndup(text, (size_t)(eq - text)) : rp_xstrdup(text);
	char why[200];
	bool ok = rp_keypath_parse(path, &out->path, why, sizeof why);
	if (!ok) {
		snprintf(err, errlen, "--json-perf '%.60s': %s", text, why);
	} else if (eq) {
		const char *label = eq + 1;
		if (!*label || strlen(label) > 40 || strpbrk(label, "'= \t\r\n|")) {
			snprintf(err, errlen,
			         "--json-perf '%.60s': a LABEL of 1 to 40 characters, without "
			         "quotes, "
			         "'=' or spaces",
			         text);
			ok = false;
		} else {
			out->label = rp_xstrdup(label);
		}
	} else {
		/* ".db.time" -> "db.time"; "." -> "json" */
		const char *l = path[0] == '.' ? path + 1 : path;
		out->label = *l ? rp_text_sanitize(l, strlen(l), 40) : rp_xstrdup("json");
		for (char *c = out->label; *c; c++)
			if (*c == '=' || *c == '\'' || *c == ' ')
				*c = '_';
	}
	free(path);
	if (!ok)
		api_json_perf_free(out);
	return ok;
}

void api_json_perf_free(struct api_json_perf *p)
{
	rp_keypath_free(&p->path);
	free(p->label);
	memset(p, 0, sizeof *p);
}

static bool expected(const struct api_config *cfg, long status)
{
	return rp_status_in(cfg->expect, cfg->nexpect, status, 200, 299);
}

/* "HTTP/1.1 401 Unauthorized" -> "401 Unauthorized"; "HTTP/1.1 500 "
 * (no reason phrase) -> "500" */
static char *status_words(const struct rp_http_response *r)
{
	const char *line = r->status_line ? r->status_line : "";
	const char *sp = strchr(line, ' ');
	if (sp && sp[1]) {
		size_t n = strlen(sp + 1);
		while (n && (sp[n] == ' ' || sp[n] == '\t' || sp[n] == '\r'))
			n--;
		if (n)
			return rp_text_sanitize(sp + 1, n, 60);
	}
	return rp_xasprintf("%ld", r->status);
}

/* ", expected 404" when --expect was given (a 200 may be wrong too),
 * else "". Caller frees. */
static char *expected_words(const struct api_config *cfg)
{
	struct rp_buf w;
	rp_buf_init(&w);
	for (size_t i = 0; i < cfg->nexpect && i < 8; i++) {
		const struct rp_status_range *e = &cfg->expect[i];
		rp_buf_printf(&w, "%s%ld", i ? "," : ", expected ", e->lo);
		if (e->hi != e->lo)
			rp_buf_printf(&w, "-%ld", e->hi);
	}
	return rp_buf_steal(&w);
}

static void judge_status(struct rp_check *root, const struct api_config *cfg,
                         const struct api_observed *o)
{
	const struct rp_http_response *r = &o->resp;
	char *words = status_words(r);
	long s = r->status;
	/* a flow's step is named on its line already */
	const char *from = o->flow_step ? "" : " from ";
	const char *url = o->flow_step ? "" : o->url_shown;
	if (expected(cfg, s)) {
		rp_check_add(root, RP_OK, "HTTP %s%s%s", words, from, url);
	} else if ((s == 401 || s == 403) && o->sent_captures) {
		const char *challenge = rp_check_clean(root, r->www_authenticate, 120);
		rp_check_add(root, RP_CRITICAL, "HTTP %s with %s%s%s", words, o->sent_captures,
		             r->www_authenticate ? "; the server asks for: " : "",
		             r->www_authenticate ? challenge : "");
	} else if (s == 401 || s == 403) {
		const char *challenge = rp_check_clean(root, r->www_authenticate, 120);
		rp_check_add(
		        root, RP_CRITICAL, "HTTP %s%s%s; %s%s%s", words, from, url,
		        o->in.credentials_sent ? "credentials were sent and refused"
		        : o->flow_step && o->body_sent
		                ? "the credentials in the request body were refused"
		                : "no credentials were sent (--token-file/--token-env, --user)",
		        r->www_authenticate ? "; the server asks for: " : "",
		        r->www_authenticate ? challenge : "");
	} else if (s >= 300 && s <= 399) {
		const char *loc = rp_check_clean(root, r->location, 120);
		bool login = r->location &&
		             (strstr(r->location, "login") || strstr(r->location, "signin") ||
		              strstr(r->location, "auth"));
		rp_check_add(root, RP_WARNING, "HTTP %s%s%s, redirecting to %s%s", words, from, url,
		             r->location ? loc : "(no Location)",
		             login ? " (a login page: the API is not answering)"
		                   : " (--follow to judge the final answer)");
	} else {
		/* nginx's words when ssl_verify_client refuses us */
		bool mtls = s == 400 && r->body.data &&
		            memmem(r->body.data, r->body.len, "SSL certificate", 15);
		char *wanted = expected_words(cfg);
		rp_check_add(root, RP_CRITICAL, "HTTP %s%s%s%s%s", words, from, url, wanted,
		             !mtls                   ? ""
		             : cfg->http.client_cert ? "; the server does not accept our client "
		                                       "certificate"
		                                     : "; the server wants a client certificate "
		                                       "(--client-cert)");
		free(wanted);
	}
	free(words);
}

static void judge_body(struct rp_check *root, const struct api_config *cfg,
                       const struct api_observed *o)
{
	const struct rp_http_response *r = &o->resp;
	const char *body = r->body.data ? r->body.data : "";
	for (size_t i = 0; i < cfg->ncontains; i++) {
		const char *want = rp_check_clean(root, cfg->contains[i], 60);
		if (memmem(body, r->body.len, cfg->contains[i], strlen(cfg->contains[i])))
			rp_check_add(root, RP_OK, "body contains '%s'", want);
		else
			rp_check_add(root, RP_CRITICAL, "body lacks '%s'%s", want,
			             r->truncated ? " (in the part read, --max-body)" : "");
	}
	for (size_t i = 0; i < cfg->nregex; i++) {
		const char *want = rp_check_clean(root, cfg->regex_texts[i], 60);
		/* regexec reads the body up to its first NUL byte, if it has one */
		if (regexec(&cfg->regexes[i], body, 0, NULL, 0) == 0)
			rp_check_add(root, RP_OK, "body matches /%s/", want);
		else
			rp_check_add(root, RP_CRITICAL, "body does not match /%s/", want);
	}
	if (r->truncated)
		rp_check_detail(root, 1,
		                "body cut at %zu bytes (--max-body); the rest was not read",
		                cfg->max_body);
}

/* The body as JSON, or a CRITICAL that says what it was instead. */
static struct rp_value *parse_body(struct rp_check *root, const struct api_observed *o)
{
	const struct rp_http_response *r = &o->resp;
	char why[200];
	struct rp_value *doc =
	        rp_json_parse_any(r->body.data ? r->body.data : "", r->body.len, why, sizeof why);
	if (doc)
		return doc;
	const char *ct = rp_check_clean(root, r->content_type ? r->content_type : "none", 60);
	char *excerpt = rp_text_sanitize(r->body.data ? r->body.data : "", r->body.len, 60);
	rp_check_add(root, RP_CRITICAL,
	             "the body is not JSON (content type %s, %zu bytes%s%s%s): %s", ct, r->body.len,
	             r->body.len ? ": '" : "", excerpt, r->body.len ? "'" : "", why);
	free(excerpt);
	return NULL;
}

static void judge_json(struct rp_check *root, const struct api_config *cfg,
                       const struct rp_value *doc, const struct rp_thresholds *t)
{
	for (size_t i = 0; i < cfg->njson; i++) {
		const struct rp_json_assert *a = &cfg->json_checks[i].a;
		struct rp_json_verdict v;
		const char *shown = rp_check_clean(root, a->text, 100);
		rp_json_assert_eval(a, doc, &v);
		if (v.ok)
			rp_check_add(root, RP_OK, "json %s: holds", shown);
		else if (a->op == RP_JOP_EXISTS)
			rp_check_add(root, cfg->json_checks[i].fail_state, "json %s is missing",
			             v.path);
		else if (a->op == RP_JOP_MISSING)
			rp_check_add(root, cfg->json_checks[i].fail_state,
			             "json %s should not exist, found %s", v.path, v.found);
		else {
			const char *want = rp_check_clean(root, a->want_text, 60);
			rp_check_add(root, cfg->json_checks[i].fail_state,
			             "json %s is %s, expected %s %s", v.path, v.found,
			             rp_json_assert_op_text(a->op), want);
		}
		rp_json_assert_verdict_free(&v);
	}
	for (size_t i = 0; i < cfg->njson_perf; i++) {
		const struct api_json_perf *p = &cfg->json_perf[i];
		struct rp_resolved_list l;
		rp_keypath_resolve(&p->path, doc, false, &l);
		const struct rp_value *v = l.n == 1 ? l.items[0].value : NULL;
		if (v &&
		    (v->type == RP_V_INTEGER || v->type == RP_V_FLOAT || v->type == RP_V_BOOL)) {
			double x = v->type == RP_V_BOOL ? (v->b ? 1 : 0) : rp_value_number(v);
			char num[RP_NUMBUF];
			enum rp_state st = rp_check_metric(root, p->label, x, RP_UNIT_NONE, t);
			if (st != RP_OK)
				rp_check_add(root, st, "%s is %s", p->label,
				             rp_number_format(x, num));
		} else {
			char *found = l.n == 1 ? rp_json_assert_describe(v, 60)
			                       : rp_xasprintf("%zu values", l.n);
			const char *path = rp_check_clean(root, p->path.text, 80);
			rp_check_add_perf_unknown(root, p->label, RP_UNIT_NONE, t);
			rp_check_add(root, RP_UNKNOWN, "--json-perf %s: not one number (found %s)",
			             path, found);
			free(found);
		}
		rp_keypath_resolved_free(&l);
	}
}

static void judge_health_read(struct rp_check *root, const struct api_observed *o,
                              struct rp_health *hp);

static void judge_health(struct rp_check *root, const struct api_observed *o,
                         const struct rp_value *doc)
{
	const struct rp_http_response *r = &o->resp;
	struct rp_health h;
	rp_health_read(doc, r->content_type, &h);
	judge_health_read(root, o, &h);
}

static void judge_health_read(struct rp_check *root, const struct api_observed *o,
                              struct rp_health *hp)
{
	const struct rp_http_response *r = &o->resp;
	struct rp_health h = *hp;
	if (h.format == RP_HEALTH_UNRECOGNISED) {
		rp_check_add(root, RP_UNKNOWN,
		             "health: the body has no status I can read (not IETF health+json, "
		             "Actuator or {\"status\": ...})");
		rp_health_free(&h);
		return;
	}
	bool http_ok = r->status >= 200 && r->status <= 299;
	const char *mismatch = http_ok && h.state == RP_CRITICAL ? " (yet HTTP said success)"
	                       : !http_ok && h.state == RP_OK    ? " (yet HTTP did not)"
	                                                         : "";
	struct rp_buf bad;
	rp_buf_init(&bad);
	size_t nbad = 0;
	for (size_t i = 0; i < h.n; i++) {
		const struct rp_health_item *it = &h.items[i];
		if (it->state == RP_OK)
			continue;
		if (nbad++ < 4)
			rp_buf_printf(&bad, "%s%s %s%s%s%s", nbad > 1 ? ", " : "", it->name,
			              it->status, it->output ? " (" : "",
			              it->output ? it->output : "", it->output ? ")" : "");
	}
	if (nbad > 4)
		rp_buf_printf(&bad, " and %zu more", nbad - 4);
	/* health "DOWN": db DOWN (Connection refused)
	 * health "ok" but db down, websocket down (yet HTTP said success) */
	struct rp_buf lead;
	rp_buf_init(&lead);
	rp_buf_puts(&lead, "health");
	if (h.status)
		rp_buf_printf(&lead, " \"%s\"", h.status);
	if (h.state == RP_OK && nbad)
		/* the document's own verdict holds (IETF, Actuator); who is not
		 * healthy is still said */
		rp_check_add(root, RP_OK, "%s; not healthy: %s%s", lead.data, bad.data, mismatch);
	else if (h.state == RP_OK)
		rp_check_add(root, RP_OK, "%s%s", lead.data, mismatch);
	else if (nbad)
		rp_check_add(root, h.state, "%s%s %s%s", lead.data,
		             h.status && h.own_state == RP_OK ? " but" : ":", bad.data, mismatch);
	else
		rp_check_add(root, h.state, "%s from %s%s", lead.data, o->url_shown, mismatch);
	rp_buf_free(&lead);
	rp_check_detail(root, 1, "health document: %s, %zu component%s",
	                rp_health_format_name(h.format), h.n, h.n == 1 ? "" : "s");
	for (size_t i = 0; i < h.n; i++)
		rp_check_detail(root, 1, "component %s: %s%s%s%s", h.items[i].name,
		                h.items[i].status, h.items[i].output ? " (" : "",
		                h.items[i].output ? h.items[i].output : "",
		                h.items[i].output ? ")" : "");
	rp_buf_free(&bad);
	rp_health_free(&h);
}

static void judge_document(struct rp_check *root, const struct api_config *cfg,
                           const struct api_observed *o, const struct rp_thresholds *t)
{
	if (!cfg->njson && !cfg->njson_perf && !cfg->health)
		return;
	struct rp_health text;
	const struct rp_buf *body = &o->resp.body;
	if (cfg->health && !cfg->njson && !cfg->njson_perf && body->len < 4096 &&
	    rp_health_read_text(body->data ? body->data : "", body->len, &text)) {
		/* a plain-text health body: "ok", "Healthy", Kubernetes' list */
		judge_health_read(root, o, &text);
		return;
	}
	struct rp_value *doc = parse_body(root, o);
	if (doc) {
		if (cfg->health)
			judge_health(root, o, doc);
		judge_json(root, cfg, doc, t);
	} else {
		for (size_t i = 0; i < cfg->njson_perf; i++)
			rp_check_add_perf_unknown(root, cfg->json_perf[i].label, RP_UNIT_NONE, t);
	}
	rp_value_free(doc);
}

/* Days from now until at, to two decimals, rounded down (a certificate
 * with 6.999 days left has 6.99, never 7). */
static double days_until(double at, double now)
{
	return floor((at - now) / 86400.0 * 100.0) / 100.0;
}

/* chain_days: the earliest expiry of every certificate the server
 * presented; worded when it comes before the leaf's. */
static void judge_chain(struct rp_check *root, const struct api_observed *o, double leaf_days,
                        const struct rp_thresholds *t)
{
	const struct rp_http_response *r = &o->resp;
	if (!r->have_chain) {
		rp_check_add_perf_unknown(root, "chain_days", RP_UNIT_NONE, t);
		return;
	}
	double days = days_until(r->chain_not_after, o->now);
	char num[RP_NUMBUF];
	enum rp_state st = rp_check_metric(root, "chain_days", days, RP_UNIT_NONE, t);
	if (days >= leaf_days)
		return; /* the leaf's own words say it */
	if (days < 0)
		rp_check_add(root, RP_CRITICAL,
		             "a certificate of the chain the server presents expired %s days ago",
		             rp_number_format(-days, num));
	else if (st != RP_OK)
		rp_check_add(root, st,
		             "a certificate of the chain the server presents expires in %s days, "
		             "before the leaf",
		             rp_number_format(days, num));
	else
		rp_check_detail(root, 1, "the chain's first expiry is in %s days",
		                rp_number_format(days, num));
}

void api_judge_client_cert(struct rp_check *root, const struct api_config *cfg,
                           const struct rp_http_loaded *in, double now,
                           const struct rp_thresholds *t)
{
	if (!in->have_client_cert)
		return;
	double days = days_until(in->client_cert_not_after, now);
	char num[RP_NUMBUF];
	const char *file = rp_check_clean(root, cfg->http.client_cert, 120);
	enum rp_state st = rp_check_metric(root, "client_cert_days", days, RP_UNIT_NONE, t);
	if (days < 0)
		rp_check_add(root, RP_CRITICAL, "our client certificate %s expired %s days ago",
		             file, rp_number_format(-days, num));
	else if (st != RP_OK)
		rp_check_add(root, st, "our client certificate %s expires in %s days", file,
		             rp_number_format(days, num));
	else
		rp_check_detail(root, 1, "our client certificate %s expires in %s days", file,
		                rp_number_format(days, num));
}

static void judge_cert(struct rp_check *root, const struct api_config *cfg,
                       const struct api_observed *o, const struct rp_thresholds *t)
{
	const struct rp_http_response *r = &o->resp;
	if (cfg->http.insecure)
		rp_check_add(root, RP_WARNING,
		             "TLS verification is off (--insecure): the peer is not authenticated");
	/* a flow's steps share the connection: its first step says */
	if (!r->tls || o->flow_step > 1)
		return;
	if (!r->have_cert) {
		rp_check_add_perf_unknown(root, "cert_days", RP_UNIT_NONE, t);
		return;
	}
	double days = days_until(r->cert_not_after, o->now);
	char num[RP_NUMBUF];
	enum rp_state st = rp_check_metric(root, "cert_days", days, RP_UNIT_NONE, t);
	if (days < 0)
		rp_check_add(root, RP_CRITICAL, "the TLS certificate expired %s days ago",
		             rp_number_format(-days, num));
	else if (st != RP_OK)
		rp_check_add(root, st, "the TLS certificate expires in %s days",
		             rp_number_format(days, num));
	else
		rp_check_detail(root, 1, "the TLS certificate expires in %s days",
		                rp_number_format(days, num));
	judge_chain(root, o, days, t);
}

/* ---------------------------------------------------------------- --jwt */

static const char *span(struct rp_check *root, double seconds)
{
	char buf[RP_DURATION_BUF];
	return rp_check_keep(root, rp_xstrdup(rp_unit_format_duration(fabs(seconds), buf)));
}

/* The key's answer on the signature. */
static void jwt_signature(struct rp_check *root, const struct api_jwt_seen *j)
{
	const char *alg = rp_check_clean(root, j->t.alg, 16);
	const char *source = rp_check_clean(root, j->key_source, 200);
	const char *why = rp_check_clean(root, j->verify_error, 240);
	if (!j->verified) {
		rp_check_detail(root, 1, "the token's %s signature is not verified (no key given)",
		                alg);
	} else if (j->key_unusable) {
		rp_check_add(root, RP_UNKNOWN, "the JWT key: %s", why);
	} else if (j->verdict == RP_JWT_VALID) {
		rp_check_add(root, RP_OK, "the token's %s signature verifies with %s", alg, source);
	} else if (j->verdict == RP_JWT_BAD_SIGNATURE) {
		rp_check_add(root, RP_CRITICAL,
		             "the token's %s signature does not verify with %s: not signed with it",
		             alg, source);
	} else if (j->verdict == RP_JWT_BAD_KEY) {
		rp_check_add(root, RP_UNKNOWN, "%s cannot be used: %s", source, why);
	} else {
		rp_check_add(root, RP_CRITICAL, "the token cannot be verified with %s: %s", source,
		             why);
	}
}

/* iss and aud against what the options expect (both non-secret claims,
 * named with their values). */
static void jwt_claims(struct rp_check *root, const struct api_config *cfg, const struct rp_jwt *t)
{
	if (cfg->jwt_iss && (!t->iss || strcmp(t->iss, cfg->jwt_iss) != 0))
		rp_check_add(root, RP_CRITICAL, "the token's issuer is %s, not %s",
		             t->iss ? rp_check_clean(root, t->iss, 80) : "not set",
		             rp_check_clean(root, cfg->jwt_iss, 80));
	bool aud = !cfg->jwt_aud;
	for (size_t i = 0; i < t->naud && !aud; i++)
		aud = !strcmp(t->aud[i], cfg->jwt_aud);
	if (!aud)
		rp_check_add(root, RP_CRITICAL, "the token is not for audience %s (aud: %s)",
		             rp_check_clean(root, cfg->jwt_aud, 80),
		             t->naud ? rp_check_clean(root, t->aud[0], 80) : "not set");
}

/* exp and nbf against the clock, exp as perfdata with its thresholds. */
static void jwt_times(struct rp_check *root, const struct rp_jwt *t, double now,
                      const struct rp_thresholds *th)
{
	if (t->has_nbf && t->nbf > now)
		rp_check_add(root, RP_CRITICAL, "the token is not valid yet: for %s more",
		             span(root, t->nbf - now));
	if (!t->has_exp) {
		rp_check_add_perf_unknown(root, "exp", RP_UNIT_SECONDS, th);
		rp_check_detail(root, 1, "the token never expires (no exp claim)");
		return;
	}
	double left = t->exp - now;
	enum rp_state st = rp_check_metric(root, "exp", left, RP_UNIT_SECONDS, th);
	if (left <= 0)
		rp_check_add(root, RP_CRITICAL, "the token expired %s ago", span(root, left));
	else if (st != RP_OK)
		rp_check_add(root, st, "the token expires in %s", span(root, left));
	else
		rp_check_detail(root, 1, "the token expires in %s", span(root, left));
}

static void judge_jwt(struct rp_check *root, const struct api_config *cfg,
                      const struct api_observed *o, const struct rp_thresholds *th)
{
	api_judge_jwt(root, cfg, &o->jwt, o->now, th);
}

void api_judge_jwt(struct rp_check *root, const struct api_config *cfg,
                   const struct api_jwt_seen *j, double now, const struct rp_thresholds *th)
{
	if (!j->asked)
		return;
	if (!j->decoded) {
		rp_check_add(root, RP_CRITICAL, "the token is not a JWT (%s)",
		             rp_check_clean(root, j->error, 160));
		rp_check_add_perf_unknown(root, "exp", RP_UNIT_SECONDS, th);
		return;
	}
	const struct rp_jwt *t = &j->t;
	if (!strcmp(t->alg, "none") || !strcmp(t->alg, "None") || !strcmp(t->alg, "NONE"))
		rp_check_add(root, RP_CRITICAL,
		             "the token is not signed (alg none): anyone can forge one");
	else
		jwt_signature(root, j);
	jwt_times(root, t, now, th);
	jwt_claims(root, cfg, t);
	struct rp_buf names;
	rp_buf_init(&names);
	for (size_t i = 0; i < t->nclaims; i++)
		rp_buf_printf(&names, "%s%s", i ? ", " : "", t->claims[i]);
	rp_check_detail(root, 2, "the token's claims: %s",
	                rp_check_clean(root, names.data ? names.data : "none", 300));
	rp_buf_free(&names);
}

/* 'time' is the runtime's (the check's duration, worded as the response
 * time by its metric's noun); these are the phases libcurl measured. */
static void add_timings(struct rp_check *root, const struct api_observed *o,
                        const struct rp_thresholds *t)
{
	const struct rp_http_response *r = &o->resp;
	if (!o->performed || !r->completed)
		return;
	rp_check_add_perf(root, "time_connect", r->t_connect, RP_UNIT_SECONDS, t);
	rp_check_add_perf(root, "time_tls", r->t_tls, RP_UNIT_SECONDS, t);
	rp_check_add_perf(root, "time_firstbyte", r->t_firstbyte, RP_UNIT_SECONDS, t);
	enum rp_state st = rp_check_metric(root, "size", r->size, RP_UNIT_BYTES, t);
	if (st != RP_OK)
		rp_check_add(root, st, "body size %.0f B", r->size);
}

static void add_trace(struct rp_check *root, const struct api_observed *o)
{
	const struct rp_buf *tr = &o->resp.trace;
	for (size_t i = 0; i < tr->len;) {
		const char *line = tr->data + i;
		size_t len = strcspn(line, "\n");
		char *c = rp_text_sanitize(line, len, 300);
		rp_check_detail(root, 3, "%s", c);
		free(c);
		i += len + 1;
	}
}

struct rp_check *api_evaluate(const struct api_config *cfg, const struct api_observed *o,
                              const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	const struct rp_http_response *r = &o->resp;
	for (size_t i = 0; i < o->in.nnotes; i++)
		rp_check_add(root, RP_WARNING, "%s", o->in.notes[i]);
	/* a refused token: why it was refused comes first */
	bool refused = r->completed && (r->status == 401 || r->status == 403);
	if (!o->in.error && refused)
		judge_jwt(root, cfg, o, t);
	if (o->in.error) {
		rp_check_add(root, RP_UNKNOWN, "%s", o->in.error);
	} else if (!r->completed) {
		rp_check_add(root, r->timed_out ? cfg->timeout_state : RP_CRITICAL, "%s: %s",
		             o->url_shown, r->error);
	} else {
		/* with --health the body speaks first: a 503 from Actuator names
		 * its failing components before its status line */
		if (!cfg->health)
			judge_status(root, cfg, o);
		judge_document(root, cfg, o, t);
		if (cfg->health)
			judge_status(root, cfg, o);
		judge_body(root, cfg, o);
		judge_cert(root, cfg, o, t);
		if (r->redirects > 0) {
			const char *final =
			        rp_check_keep(root, rp_secret_redact_url(r->final_url, 160));
			rp_check_detail(root, 1, "followed %ld redirect%s to %s", r->redirects,
			                r->redirects == 1 ? "" : "s", final);
		}
		if (r->content_type) {
			const char *ct = rp_check_clean(root, r->content_type, 80);
			rp_check_detail(root, 2, "content type %s, %.0f bytes", ct, r->size);
		}
	}
	if (!o->in.error && !refused)
		judge_jwt(root, cfg, o, t);
	if (o->route)
		rp_check_detail(root, 1, "%s", rp_check_clean(root, o->route, 200));
	/* a flow's steps: time.NAME each (api_flow_evaluate) */
	if (!o->flow_step) {
		add_timings(root, o, t);
		api_judge_client_cert(root, cfg, &o->in, o->now, t);
	}
	add_trace(root, o);
	char *worst = rp_check_worst_texts(root, 180);
	rp_check_set_text(root, "%s", worst);
	free(worst);
	return root;
}
