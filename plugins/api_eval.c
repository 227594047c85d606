/* api_eval.c: check_api's evaluate step. Pure: the response in, verdicts
 * out. Text from the server (Location, WWW-Authenticate, the body) is
 * sanitised before it is shown. */
#include "check_api.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool api_parse_expect(const char *text, struct api_status_range **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const char *p = text;
	for (;;) {
		size_t len = strcspn(p, ",");
		char part[32];
		if (len == 0 || len >= sizeof part)
			goto bad;
		memcpy(part, p, len);
		part[len] = '\0';
		char *dash = strchr(part, '-');
		long long lo, hi;
		if (dash) {
			*dash = '\0';
			if (!rp_parse_ll(part, &lo) || !rp_parse_ll(dash + 1, &hi))
				goto bad;
		} else {
			if (!rp_parse_ll(part, &lo))
				goto bad;
			hi = lo;
		}
		if (lo < 100 || hi > 599 || lo > hi)
			goto bad;
		*out = rp_xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].lo = (long)lo;
		(*out)[*n].hi = (long)hi;
		(*n)++;
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
bad:
	free(*out);
	*out = NULL;
	*n = 0;
	return false;
}

static bool expected(const struct api_config *cfg, long status)
{
	if (cfg->nexpect == 0)
		return status >= 200 && status <= 299;
	for (size_t i = 0; i < cfg->nexpect; i++)
		if (status >= cfg->expect[i].lo && status <= cfg->expect[i].hi)
			return true;
	return false;
}

static char *clean(const char *s, size_t max)
{
	return rp_sanitize(s ? s : "", s ? strlen(s) : 0, max);
}

/* "HTTP/1.1 401 Unauthorized" -> "401 Unauthorized" */
static char *status_words(const struct rp_http_response *r)
{
	const char *line = r->status_line ? r->status_line : "";
	const char *sp = strchr(line, ' ');
	if (sp && sp[1])
		return clean(sp + 1, 60);
	return rp_xasprintf("%ld", r->status);
}

static void judge_status(struct rp_check *root, const struct api_config *cfg,
                         const struct api_observed *o)
{
	const struct rp_http_response *r = &o->resp;
	char *words = status_words(r);
	long s = r->status;
	if (expected(cfg, s)) {
		rp_check_add(root, RP_OK, "HTTP %s from %s", words, o->url_shown);
	} else if (s == 401 || s == 403) {
		char *challenge = clean(r->www_authenticate, 120);
		rp_check_add(
		        root, RP_CRITICAL, "HTTP %s from %s; %s%s%s", words, o->url_shown,
		        o->credentials_sent
		                ? "credentials were sent and refused"
		                : "no credentials were sent (--token-file/--token-env, --user)",
		        r->www_authenticate ? "; the server asks for: " : "",
		        r->www_authenticate ? challenge : "");
		free(challenge);
	} else if (s >= 300 && s <= 399) {
		char *loc = clean(r->location, 120);
		bool login = r->location &&
		             (strstr(r->location, "login") || strstr(r->location, "signin") ||
		              strstr(r->location, "auth"));
		rp_check_add(root, RP_WARNING, "HTTP %s from %s, redirecting to %s%s", words,
		             o->url_shown, r->location ? loc : "(no Location)",
		             login ? " (a login page: the API is not answering)"
		                   : " (--follow to judge the final answer)");
		free(loc);
	} else {
		rp_check_add(root, RP_CRITICAL, "HTTP %s from %s", words, o->url_shown);
	}
	free(words);
}

static void judge_body(struct rp_check *root, const struct api_config *cfg,
                       const struct api_observed *o)
{
	const struct rp_http_response *r = &o->resp;
	const char *body = r->body.data ? r->body.data : "";
	for (size_t i = 0; i < cfg->ncontains; i++) {
		char *want = clean(cfg->contains[i], 60);
		if (memmem(body, r->body.len, cfg->contains[i], strlen(cfg->contains[i])))
			rp_check_add(root, RP_OK, "body contains '%s'", want);
		else
			rp_check_add(root, RP_CRITICAL, "body lacks '%s'%s", want,
			             r->truncated ? " (in the part read, --max-body)" : "");
		free(want);
	}
	for (size_t i = 0; i < cfg->nregex; i++) {
		char *want = clean(cfg->regex_texts[i], 60);
		/* regexec reads the body up to its first NUL byte, if it has one */
		if (regexec(&cfg->regexes[i], body, 0, NULL, 0) == 0)
			rp_check_add(root, RP_OK, "body matches /%s/", want);
		else
			rp_check_add(root, RP_CRITICAL, "body does not match /%s/", want);
		free(want);
	}
	if (r->truncated)
		rp_check_detail(root, 1,
		                "body cut at %zu bytes (--max-body); the rest was not read",
		                cfg->max_body);
}

static void add_timings(struct rp_check *root, const struct api_observed *o,
                        const struct rp_thresholds *t)
{
	const struct rp_http_response *r = &o->resp;
	if (!o->performed || !r->completed) {
		rp_check_add_perf_unknown(root, "time", RP_UNIT_SECONDS, t);
		return;
	}
	char d[RP_DURATION_BUF];
	enum rp_state st = rp_check_metric(root, "time", r->t_total, RP_UNIT_SECONDS, t);
	if (st != RP_OK)
		rp_check_add(root, st, "response time %s", rp_format_duration(r->t_total, d));
	rp_check_metric(root, "time_connect", r->t_connect, RP_UNIT_SECONDS, t);
	rp_check_metric(root, "time_tls", r->t_tls, RP_UNIT_SECONDS, t);
	rp_check_metric(root, "time_firstbyte", r->t_firstbyte, RP_UNIT_SECONDS, t);
	st = rp_check_metric(root, "size", r->size, RP_UNIT_BYTES, t);
	if (st != RP_OK)
		rp_check_add(root, st, "body size %.0f B", r->size);
}

static void add_trace(struct rp_check *root, const struct api_observed *o)
{
	const struct rp_buf *tr = &o->resp.trace;
	for (size_t i = 0; i < tr->len;) {
		const char *line = tr->data + i;
		size_t len = strcspn(line, "\n");
		char *c = rp_sanitize(line, len, 300);
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
	for (size_t i = 0; i < o->nnotes; i++)
		rp_check_add(root, RP_WARNING, "%s", o->notes[i]);
	if (o->load_error) {
		rp_check_add(root, RP_UNKNOWN, "%s", o->load_error);
	} else if (!r->completed) {
		rp_check_add(root, r->timed_out ? cfg->timeout_state : RP_CRITICAL, "%s: %s",
		             o->url_shown, r->error);
	} else {
		judge_status(root, cfg, o);
		judge_body(root, cfg, o);
		if (r->redirects > 0) {
			char *final = clean(r->final_url, 160);
			rp_check_detail(root, 1, "followed %ld redirect%s to %s", r->redirects,
			                r->redirects == 1 ? "" : "s", final);
			free(final);
		}
		if (r->content_type) {
			char *ct = clean(r->content_type, 80);
			rp_check_detail(root, 2, "content type %s, %.0f bytes", ct, r->size);
			free(ct);
		}
	}
	add_timings(root, o, t);
	add_trace(root, o);
	char *worst = rp_check_worst_texts(root, 180);
	rp_check_set_text(root, "%s", worst);
	free(worst);
	return root;
}
