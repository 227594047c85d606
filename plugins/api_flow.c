/* api_flow.c: check_api's flows, the pure part: a step's words, the flow
 * file, captured values put into later requests, and the flow's verdict.
 * The requests themselves are made in api_flow_run.c. */
#include "check_api.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#define FLOW_MAX_LINE 8192
#define NAME_MAX_LEN  40

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* A step's or a capture's name: what a perfdata label and {NAME} allow. */
static bool valid_name(const char *s, size_t len)
{
	if (len == 0 || len > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

static bool is_method(const char *s, size_t len)
{
	static const char *const methods[] = { "GET",  "POST",    "PUT",   "PATCH",
		                               "HEAD", "OPTIONS", "DELETE" };
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strlen(methods[i]) == len && strncmp(methods[i], s, len) == 0)
			return true;
	return false;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

bool api_step_parse(const char *text, size_t number, struct api_step *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *p = skip_space(text);
	size_t w = strcspn(p, " \t");
	if (w > 1 && p[w - 1] == ':') {
		if (!valid_name(p, w - 1)) {
			snprintf(err, errlen,
			         "--step '%.60s': a step's name is 1 to %d letters, digits, _ or -",
			         text, NAME_MAX_LEN);
			return false;
		}
		out->name = rp_xstrndup(p, w - 1);
		out->named = true;
		p = skip_space(p + w);
		w = strcspn(p, " \t");
	}
	if (is_method(p, w)) {
		out->method = rp_xstrndup(p, w);
		p = skip_space(p + w);
		w = strcspn(p, " \t");
	}
	if (w == 0 || *skip_space(p + w) != '\0' ||
	    (!out->method && w > 0 && isupper((unsigned char)p[0]) &&
	     p[strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")] == '\0')) {
		snprintf(err, errlen,
		         "--step '%.60s': write [NAME:] [METHOD] PATH, e.g. 'login: POST "
		         "/auth/login'",
		         text);
		api_step_free(out);
		return false;
	}
	out->target = rp_xstrndup(p, w);
	if (!out->name)
		out->name = rp_xasprintf("%zu", number);
	out->shown = rp_xasprintf("%s %s", out->method ? out->method : "GET", out->target);
	return true;
}

void api_step_free(struct api_step *s)
{
	free(s->name);
	free(s->method);
	free(s->target);
	free(s->shown);
	free(s->url);
	for (size_t i = 0; i < s->ncaptures; i++)
		api_capture_free(&s->captures[i]);
	free(s->captures);
	memset(s, 0, sizeof *s);
}

bool api_capture_parse(const char *text, struct api_capture *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *eq = strchr(text, '=');
	if (!eq || !valid_name(text, (size_t)(eq - text))) {
		snprintf(err, errlen,
		         "--capture '%.60s': write NAME=PATH, e.g. token=.access_token (NAME: 1 "
		         "to %d letters, digits, _ or -)",
		         text, NAME_MAX_LEN);
		return false;
	}
	char why[200];
	if (!rp_keypath_parse(eq + 1, &out->path, why, sizeof why)) {
		snprintf(err, errlen, "--capture '%.60s': %s", text, why);
		return false;
	}
	out->name = rp_xstrndup(text, (size_t)(eq - text));
	return true;
}

void api_capture_free(struct api_capture *c)
{
	free(c->name);
	rp_keypath_free(&c->path);
	memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------ flow file */

/* One line "OPTION VALUE" (trimmed), handed to apply. */
static bool flow_line(const char *line, size_t len, const char *file, int lineno,
                      api_flow_apply apply, void *ctx, char *err, size_t errlen)
{
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	size_t lead = 0;
	while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
		lead++;
	if (lead == len || line[lead] == '#')
		return true;
	char *copy = rp_xstrndup(line + lead, len - lead);
	size_t w = strcspn(copy, " \t");
	const char *value = copy[w] ? skip_space(copy + w) : copy + w;
	copy[w] = '\0';
	char why[400];
	why[0] = '\0';
	bool ok = apply(ctx, copy, value, why, sizeof why);
	if (!ok) {
		char *f = rp_text_sanitize_str(file, 120);
		snprintf(err, errlen, "%s line %d: %s", f, lineno, why[0] ? why : "not understood");
		free(f);
	}
	free(copy);
	return ok;
}

bool api_flow_parse(const char *text, size_t len, const char *file, api_flow_apply apply, void *ctx,
                    char *err, size_t errlen)
{
	if (memchr(text, '\0', len)) {
		char *f = rp_text_sanitize_str(file, 120);
		snprintf(err, errlen, "%s: a NUL byte: not a flow file", f);
		free(f);
		return false;
	}
	int lineno = 0;
	for (size_t i = 0; i < len;) {
		lineno++;
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		if (n > FLOW_MAX_LINE) {
			char *f = rp_text_sanitize_str(file, 120);
			snprintf(err, errlen, "%s line %d: longer than %d bytes", f, lineno,
			         FLOW_MAX_LINE);
			free(f);
			return false;
		}
		if (!flow_line(text + i, n, file, lineno, apply, ctx, err, errlen))
			return false;
		i += n + 1;
	}
	return true;
}

/* ------------------------------------------------------ captured values */

static ssize_t find_name(char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = n; i-- > 0;)
		if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0)
			return (ssize_t)i;
	return -1;
}

char *api_flow_expand(const char *tmpl, char *const *names, char *const *values, size_t n,
                      bool *used)
{
	struct rp_buf out;
	rp_buf_init_secret(&out);
	for (const char *p = tmpl; *p;) {
		const char *close = p[0] == '{' ? strchr(p + 1, '}') : NULL;
		ssize_t k = close ? find_name(names, n, p + 1, (size_t)(close - p - 1)) : -1;
		if (k >= 0) {
			rp_buf_puts(&out, values[k]);
			if (used)
				used[k] = true;
			p = close + 1;
		} else {
			rp_buf_putc(&out, *p++);
		}
	}
	return rp_buf_steal(&out);
}

/* The first {NAME} in text that looks like a capture's and is not in
 * known[0..n), or NULL. */
static char *unknown_use(const char *text, char *const *known, size_t n)
{
	for (const char *p = text ? strchr(text, '{') : NULL; p; p = strchr(p + 1, '{')) {
		size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                           "0123456789_-");
		if (len && p[1 + len] == '}' && find_name(known, n, p + 1, len) < 0)
			return rp_xstrndup(p + 1, len);
	}
	return NULL;
}

static char *step_unknown_use(const struct api_step *s, char *const *known, size_t n)
{
	char *u = unknown_use(s->target, known, n);
	for (size_t i = 0; !u && i < s->cfg.http.nheaders; i++)
		u = unknown_use(s->cfg.http.headers[i].line, known, n);
	if (!u)
		u = unknown_use(s->cfg.http.data, known, n);
	return u;
}

char *api_flow_check_captures(const struct api_step *steps, size_t n)
{
	char **known = NULL;
	size_t nknown = 0;
	char *problem = NULL;
	for (size_t i = 0; i < n && !problem; i++) {
		char *u = step_unknown_use(&steps[i], known, nknown);
		if (u)
			problem = rp_xasprintf("step %zu (%s) uses {%s}, which no step before it "
			                       "captures (--capture %s=PATH)",
			                       i + 1, steps[i].name, u, u);
		free(u);
		for (size_t c = 0; c < steps[i].ncaptures; c++)
			rp_strv_push(&known, &nknown, steps[i].captures[c].name);
	}
	rp_strv_free(known, nknown);
	return problem;
}

char *api_flow_url(const char *base, const char *target, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *out = NULL, *got = NULL;
	if (!u) {
		snprintf(err, errlen, "cannot start libcurl's URL parser");
		return NULL;
	}
	bool absolute = strncmp(target, "http://", 7) == 0 || strncmp(target, "https://", 8) == 0;
	if (!absolute && !base) {
		snprintf(err, errlen,
		         "'%.80s' is relative: give -u URL or make the first step's "
		         "URL absolute",
		         target);
	} else if ((base && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK) ||
	           curl_url_set(u, CURLUPART_URL, target, 0) != CURLUE_OK ||
	           curl_url_get(u, CURLUPART_URL, &got, 0) != CURLUE_OK) {
		snprintf(err, errlen, "'%.80s' is not a URL (relative to the first)", target);
	} else if (strncmp(got, "http://", 7) != 0 && strncmp(got, "https://", 8) != 0) {
		snprintf(err, errlen, "'%.80s' is not an http:// or https:// URL", target);
	} else {
		out = rp_xstrdup(got);
	}
	curl_free(got);
	curl_url_cleanup(u);
	return out;
}

char *api_flow_capture_value(const struct rp_value *doc, const struct rp_keypath *path, char *why,
                             size_t whylen)
{
	struct rp_resolved_list l;
	rp_keypath_resolve(path, doc, false, &l);
	char *v = NULL;
	const struct rp_value *x = l.n == 1 ? l.items[0].value : NULL;
	if (l.n > 1)
		snprintf(why, whylen, "%s matches %zu values, not one", path->text, l.n);
	else if (!x)
		snprintf(why, whylen, "the reply has no %s", path->text);
	else if (x->type == RP_V_STRING && x->len && !memchr(x->s, '\0', x->len))
		v = rp_xstrndup(x->s, x->len);
	else if (x->type == RP_V_INTEGER)
		v = rp_xasprintf("%lld", x->i);
	else if (x->type == RP_V_BOOL)
		v = rp_xstrdup(x->b ? "true" : "false");
	else
		snprintf(why, whylen, "%s is %s, not a value to send", path->text,
		         x->type == RP_V_STRING ? "an empty string" : rp_value_type_name(x->type));
	rp_keypath_resolved_free(&l);
	return v;
}

/* ------------------------------------------------------------- verdict */

/* One step run, judged as a check_api run is, its line named after it. */
static struct rp_check *judge_step(const struct api_config *cfg, const struct api_flow_seen *f,
                                   size_t i, const struct rp_thresholds *t)
{
	const struct api_step *s = &cfg->steps[i];
	const struct api_observed *o = &f->steps[i];
	struct rp_check *c = api_evaluate(&s->cfg, o, t);
	if (f->capture_errors[i])
		rp_check_add(c, RP_CRITICAL, "%s", f->capture_errors[i]);
	if (f->jwt_step == i + 1)
		api_judge_jwt(c, cfg, &f->jwt, o->now, t);
	if (o->performed && o->resp.completed) {
		char *label = rp_xasprintf("time.%s", s->name);
		rp_check_add_perf(c, label, o->resp.t_total, RP_UNIT_SECONDS, t);
		free(label);
	}
	char *worst = rp_check_worst_texts(c, 180);
	const char *shown = rp_check_clean(c, s->shown, 100);
	rp_check_set_text(c, "step %zu/%zu (%s): %s", i + 1, cfg->nsteps, shown, worst);
	free(worst);
	/* the step's line says what passed; the lines it is made of, at -v */
	for (size_t k = 0; k < c->nkids; k++)
		if (rp_check_state(c->kids[k]) == RP_OK && c->kids[k]->min_verbosity < 1)
			c->kids[k]->min_verbosity = 1;
	char *name = rp_xasprintf("step.%s", s->name);
	rp_check_set_name(c, name);
	free(name);
	return c;
}

struct rp_check *api_flow_evaluate(const struct api_config *cfg, const struct api_flow_seen *f,
                                   const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	if (cfg->http.insecure)
		rp_check_add(
		        root, RP_WARNING,
		        "TLS verification is off (--insecure): the peers are not authenticated");
	if (f->run_in)
		api_judge_client_cert(root, cfg, f->run_in, f->now, t);
	struct rp_check **judged = rp_xcalloc(cfg->nsteps + 1, sizeof *judged);
	for (size_t i = 0; i < cfg->nsteps; i++) {
		if (i < f->nrun) {
			judged[i] = judge_step(cfg, f, i, t);
			rp_check_adopt(root, judged[i]);
		} else {
			rp_check_skipped(root, "step %zu/%zu (%s): not run, step %zu failed", i + 1,
			                 cfg->nsteps,
			                 rp_check_clean(root, cfg->steps[i].shown, 100), f->nrun);
		}
	}
	/* the first step in the worst state speaks for the flow */
	enum rp_state worst = rp_check_state(root);
	const struct rp_check *speaker = NULL;
	for (size_t i = 0; judged[i] && !speaker && worst != RP_OK; i++)
		if (rp_check_state(judged[i]) == worst)
			speaker = judged[i];
	free(judged);
	if (speaker) {
		rp_check_set_text(root, "%s", speaker->text);
	} else if (worst != RP_OK) {
		char *w = rp_check_worst_texts(root, 180);
		rp_check_set_text(root, "%s", w);
		free(w);
	} else {
		struct rp_buf names;
		rp_buf_init(&names);
		for (size_t i = 0; i < cfg->nsteps; i++)
			rp_buf_printf(&names, "%s%s", i ? ", " : "",
			              cfg->steps[i].named ? cfg->steps[i].name
			                                  : cfg->steps[i].shown);
		rp_check_set_text(root, "%zu step%s passed: %s", cfg->nsteps,
		                  cfg->nsteps == 1 ? "" : "s",
		                  rp_check_clean(root, names.data, 160));
		rp_buf_free(&names);
	}
	rp_check_mask_values(root, f->values, f->ncaptured);
	return root;
}
