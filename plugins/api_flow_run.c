/* api_flow_run.c: a flow's requests, in order, in one HTTP session: a
 * connection reused and the cookies kept from step to step, the values
 * captured from one reply put into the requests after it. The first step
 * that fails ends the run: the steps after it depend on it. */
#include "check_api.h"
#include "rp_cli.h"
#include "rp_json.h"
#include "rp_secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A request's parts with the captured values put in: owned, wiped. */
struct expanded {
	char *url;
	struct rp_http_header *headers;
	size_t nheaders;
	char *body;
	bool *used; /* per captured value: this request carries it */
};

static void expand_request(const struct api_flow_seen *f, const struct api_step *s,
                           const struct rp_http_loaded *in, struct expanded *x)
{
	size_t n = f->ncaptured;
	x->used = rp_xcalloc(n + 1, sizeof *x->used);
	x->url = api_flow_expand(s->url, f->names, f->values, n, x->used);
	x->nheaders = in->nheaders;
	x->headers = rp_xcalloc(in->nheaders + 1, sizeof *x->headers);
	for (size_t i = 0; i < in->nheaders; i++) {
		bool *mark = rp_xcalloc(n + 1, sizeof *mark);
		x->headers[i].line =
		        api_flow_expand(in->headers[i].line, f->names, f->values, n, mark);
		bool any = false;
		for (size_t k = 0; k < n; k++)
			if (mark[k])
				any = x->used[k] = true;
		/* a header carrying a captured value is a secret one: redacted
		 * in the trace, dropped when a redirect leaves the origin */
		x->headers[i].secret = in->headers[i].secret || any;
		free(mark);
	}
	const char *body = in->body ? in->body : s->cfg.http.data;
	if (body)
		x->body = api_flow_expand(body, f->names, f->values, n, x->used);
}

static void expanded_free(struct expanded *x)
{
	rp_secret_free(x->url);
	for (size_t i = 0; i < x->nheaders; i++)
		rp_secret_free(x->headers[i].line);
	free(x->headers);
	rp_secret_free(x->body);
	free(x->used);
}

/* "the token from step 1 (login)", for a refusal to name what it
 * refused; NULL when the request carried no captured value. */
static char *sent_words(const struct api_config *cfg, const struct api_flow_seen *f,
                        const bool *used)
{
	struct rp_buf w;
	rp_buf_init(&w);
	for (size_t k = 0; k < f->ncaptured; k++) {
		if (!used[k])
			continue;
		const struct api_step *from = &cfg->steps[f->from_step[k]];
		rp_buf_printf(&w, "%sthe %s from step %zu%s%s%s", w.len ? " and " : "", f->names[k],
		              f->from_step[k] + 1, from->named ? " (" : "",
		              from->named ? from->name : "", from->named ? ")" : "");
	}
	return w.len ? rp_buf_steal(&w) : (rp_buf_free(&w), NULL);
}

/* The step's request as check_api would make it, with the run's TLS,
 * proxy and name pins. */
static void perform_step(const struct api_config *cfg, const struct api_flow_seen *f,
                         const struct api_step *s, const struct rp_cli *cli,
                         struct rp_http_session *session, const struct expanded *x,
                         struct api_observed *o)
{
	struct rp_http_request req;
	rp_http_options_request(&req, &s->cfg.http, &o->in, &cli->deadline);
	req.url = x->url;
	req.method = s->method;
	req.headers = x->headers;
	req.nheaders = x->nheaders;
	req.body = x->body;
	req.body_len = x->body ? strlen(x->body) : 0;
	req.cacert = cfg->http.cacert;
	req.client_cert = cfg->http.client_cert;
	req.client_key = cfg->http.client_key;
	req.key_password = f->run_in->key_password;
	req.insecure = cfg->http.insecure;
	req.resolve = cfg->http.resolve;
	req.nresolve = cfg->http.nresolve;
	req.proxy = cfg->http.noproxy ? "" : cfg->http.proxy;
	req.follow = cfg->follow;
	req.max_body = cfg->max_body;
	req.trace = cli->verbosity >= 3;
	req.want_cert = strncmp(x->url, "https://", 8) == 0;
	req.session = session;
	rp_http_perform(&req, &o->resp);
	o->performed = true;
	o->now = (double)time(NULL);
}

static void keep_capture(struct api_flow_seen *f, const char *name, char *value, size_t step)
{
	size_t n = f->ncaptured;
	rp_strv_push(&f->names, &n, name);
	f->values = rp_xreallocarray(f->values, f->ncaptured + 1, sizeof *f->values);
	f->values[f->ncaptured] = value;
	f->from_step = rp_xreallocarray(f->from_step, f->ncaptured + 1, sizeof *f->from_step);
	f->from_step[f->ncaptured++] = step;
}

/* The step's captures from its JSON reply; false (with the step's
 * capture error set) when one cannot be taken. */
static bool take_captures(const struct api_config *cfg, const struct api_step *s, size_t i,
                          struct api_flow_seen *f)
{
	if (!s->ncaptures)
		return true;
	const struct rp_http_response *r = &f->steps[i].resp;
	char why[200];
	struct rp_value *doc =
	        rp_json_parse_any(r->body.data ? r->body.data : "", r->body.len, why, sizeof why);
	if (!doc) {
		f->capture_errors[i] = rp_xasprintf("cannot capture %s: the reply is not JSON (%s)",
		                                    s->captures[0].name, why);
		return false;
	}
	for (size_t c = 0; c < s->ncaptures; c++) {
		char *v = api_flow_capture_value(doc, &s->captures[c].path, why, sizeof why);
		if (!v) {
			f->capture_errors[i] =
			        rp_xasprintf("cannot capture %s: %s", s->captures[c].name, why);
			break;
		}
		keep_capture(f, s->captures[c].name, v, i);
		if (cfg->jwt_capture && !strcmp(cfg->jwt_capture, s->captures[c].name)) {
			/* judged as taken: a later step may take another */
			rp_jwt_free(&f->jwt.t);
			memset(&f->jwt, 0, sizeof f->jwt);
			api_jwt_probe(cfg, v, &f->jwt);
			f->jwt_step = i + 1;
		}
	}
	rp_value_free(doc);
	return f->capture_errors[i] == NULL;
}

/* Whether the step, as judged alone, lets the flow go on. */
static bool step_passed(const struct api_step *s, const struct api_observed *o,
                        const struct rp_cli *cli)
{
	if (o->in.error || !o->resp.completed)
		return false;
	struct rp_check *c = api_evaluate(&s->cfg, o, &cli->thresholds);
	enum rp_state st = rp_check_state(c);
	rp_check_free(c);
	return st == RP_OK || st == RP_WARNING;
}

static bool run_step(const struct api_config *cfg, size_t i, const struct rp_cli *cli,
                     struct rp_http_session *session, struct api_flow_seen *f)
{
	const struct api_step *s = &cfg->steps[i];
	struct api_observed *o = &f->steps[i];
	o->flow_step = i + 1;
	o->url_shown = rp_secret_redact_url(s->url, 160);
	rp_http_options_load(&s->cfg.http, &o->in);
	if (o->in.error)
		return false;
	struct expanded x = { 0 };
	expand_request(f, s, &o->in, &x);
	o->sent_captures = sent_words(cfg, f, x.used);
	o->body_sent = x.body != NULL;
	perform_step(cfg, f, s, cli, session, &x, o);
	expanded_free(&x);
	return step_passed(s, o, cli) && take_captures(cfg, s, i, f);
}

void api_flow_probe(const struct api_config *cfg, const struct rp_cli *cli,
                    struct api_observed *seen)
{
	struct api_flow_seen *f = rp_xcalloc(1, sizeof *f);
	seen->flow = f;
	f->nsteps = cfg->nsteps;
	f->steps = rp_xcalloc(cfg->nsteps, sizeof *f->steps);
	f->capture_errors = rp_xcalloc(cfg->nsteps, sizeof *f->capture_errors);
	f->run_in = &seen->in;
	f->now = (double)time(NULL);
	struct rp_http_session *session = rp_http_session_new();
	if (!session) {
		seen->in.error = rp_xstrdup("cannot start libcurl");
		return;
	}
	bool go = true;
	for (size_t i = 0; i < cfg->nsteps && go; i++) {
		go = run_step(cfg, i, cli, session, f);
		f->nrun = i + 1;
	}
	rp_http_session_free(session);
}

void api_flow_seen_free(struct api_flow_seen *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nsteps; i++) {
		struct api_observed *o = &f->steps[i];
		rp_http_options_loaded_free(&o->in);
		/* a reply may hold what was captured from it */
		if (o->resp.body.data)
			rp_secret_wipe(o->resp.body.data, o->resp.body.len);
		rp_http_response_free(&o->resp);
		free(o->url_shown);
		free(o->sent_captures);
		free(f->capture_errors[i]);
	}
	free(f->steps);
	free(f->capture_errors);
	rp_strv_free(f->names, f->ncaptured);
	for (size_t k = 0; k < f->ncaptured; k++)
		rp_secret_free(f->values[k]);
	free(f->values);
	free(f->from_step);
	rp_jwt_free(&f->jwt.t);
	free(f);
}
