#include "rp_compose.h"
#include "rp_buf.h"
#include "rp_dotenv.h"
#include "rp_file.h"
#include "rp_secret.h"
#include "rp_util.h"
#include "rp_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ${A:-${B:-${C}}} nests; a file nesting deeper is refused. */
#define NEST_MAX 8

static bool name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* The variable's value, or NULL when unset. */
static const struct rp_value *lookup(const struct rp_value *env, const char *name, size_t len)
{
	const struct rp_value *v = env ? rp_value_table_get(env, name, len) : NULL;
	return v && v->type == RP_V_STRING ? v : NULL;
}

static bool expand(struct rp_buf *out, const char *p, const char *end, const struct rp_value *env,
                   int depth, char *err, size_t errlen);

/* Where the '}' closing the ${ at open is, counting nested ${...}. */
static const char *closing(const char *p, const char *end)
{
	int depth = 1;
	for (; p < end; p++) {
		if (p[0] == '$' && p + 1 < end && p[1] == '{') {
			depth++;
			p++;
		} else if (*p == '}' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* ${NAME<op>word}: p after "${", close at its '}'. */
static bool braced(struct rp_buf *out, const char *p, const char *close, const struct rp_value *env,
                   int depth, char *err, size_t errlen)
{
	const char *n = p;
	while (n < close && name_char(*n))
		n++;
	size_t nlen = (size_t)(n - p);
	if (nlen == 0 || !name_start(*p)) {
		snprintf(err, errlen, "invalid interpolation format: ${%.*s}",
		         (int)(close - p > 60 ? 60 : close - p), p);
		return false;
	}
	const struct rp_value *v = lookup(env, p, nlen);
	if (n == close) {
		if (v)
			rp_buf_append(out, v->s, v->len);
		return true;
	}
	bool colon = *n == ':';
	const char *op = colon ? n + 1 : n;
	if (op >= close || (*op != '-' && *op != '?' && *op != '+')) {
		snprintf(err, errlen, "invalid interpolation format for %.*s", (int)nlen, p);
		return false;
	}
	bool set = v && (!colon || v->len > 0);
	const char *word = op + 1;
	if (*op == '-' || *op == '+') {
		bool use_word = *op == '-' ? !set : set;
		if (use_word)
			return expand(out, word, close, env, depth + 1, err, errlen);
		if (*op == '-')
			rp_buf_append(out, v->s, v->len);
		return true;
	}
	if (set) {
		rp_buf_append(out, v->s, v->len);
		return true;
	}
	snprintf(err, errlen, "required variable %.*s is missing a value%s%.*s", (int)nlen, p,
	         close > word ? ": " : "", (int)(close - word > 120 ? 120 : close - word), word);
	return false;
}

static bool expand(struct rp_buf *out, const char *p, const char *end, const struct rp_value *env,
                   int depth, char *err, size_t errlen)
{
	if (depth > NEST_MAX) {
		snprintf(err, errlen, "interpolation nested deeper than %d levels", NEST_MAX);
		return false;
	}
	while (p < end) {
		if (*p != '$' || p + 1 >= end) {
			rp_buf_putc(out, *p++);
		} else if (p[1] == '$') {
			rp_buf_putc(out, '$');
			p += 2;
		} else if (p[1] == '{') {
			const char *close = closing(p + 2, end);
			if (!close) {
				snprintf(err, errlen, "invalid interpolation format: unclosed ${");
				return false;
			}
			if (!braced(out, p + 2, close, env, depth, err, errlen))
				return false;
			p = close + 1;
		} else if (name_start(p[1])) {
			const char *n = p + 1;
			while (n < end && name_char(*n))
				n++;
			const struct rp_value *v = lookup(env, p + 1, (size_t)(n - p - 1));
			if (v)
				rp_buf_append(out, v->s, v->len);
			p = n;
		} else {
			rp_buf_putc(out, *p++);
		}
	}
	return true;
}

char *rp_compose_interpolate(const char *text, size_t len, const struct rp_value *env, char *err,
                             size_t errlen)
{
	struct rp_buf b;
	rp_buf_init_secret(&b);
	if (!expand(&b, text, text + len, env, 0, err, errlen)) {
		rp_buf_free(&b);
		return NULL;
	}
	rp_buf_putc(&b, '\0');
	b.len--;
	return rp_buf_steal(&b);
}

/* What one service's environment is computed from. */
struct project {
	char *dir;               /* the compose file's directory */
	struct rp_value *dotenv; /* the project's .env, or NULL */
};

static void set_string(struct rp_value *env, const char *key, size_t klen, const char *s,
                       size_t len)
{
	rp_value_table_set(env, key, klen, rp_value_new_string(s, len));
}

/* A dotenv file's variables: the table, or NULL with why (missing says
 * the file does not exist, so the caller may allow it). */
static struct rp_value *dotenv_file(const char *path, bool *missing, char *why, size_t whylen)
{
	char w[200], perr[256];
	size_t len = 0;
	char *text = rp_file_read(path, RP_COMPOSE_FILE_MAX, &len, NULL, w, sizeof w);
	*missing = !text && strcmp(w, "does not exist") == 0;
	if (!text) {
		snprintf(why, whylen, "%.200s %s", path, w);
		return NULL;
	}
	struct rp_dotenv_notes notes = { 0 };
	struct rp_value *vars = rp_dotenv_parse(text, len, &notes, perr, sizeof perr);
	if (!vars)
		snprintf(why, whylen, "%.200s does not parse: %s", path, perr);
	rp_dotenv_notes_free(&notes);
	rp_secret_wipe(text, len);
	free(text);
	return vars;
}

/* One env_file: its variables into env, later ones winning. */
static bool env_file(struct rp_value *env, const struct project *pj, const char *path,
                     bool required, char *why, size_t whylen)
{
	char *full = path[0] == '/' ? rp_xstrdup(path) : rp_xasprintf("%s/%s", pj->dir, path);
	char w[400];
	bool missing;
	struct rp_value *vars = dotenv_file(full, &missing, w, sizeof w);
	free(full);
	if (!vars) {
		if (missing && !required)
			return true;
		snprintf(why, whylen, "env_file %s", w);
		return false;
	}
	for (size_t i = 0; i < vars->n; i++)
		set_string(env, vars->keys[i].s, vars->keys[i].len, vars->items[i]->s,
		           vars->items[i]->len);
	rp_value_free(vars);
	return true;
}

/* env_file: a path, or a list of paths or of {path, required}. */
static bool env_files(struct rp_value *env, const struct project *pj, const struct rp_value *spec,
                      char *why, size_t whylen)
{
	const struct rp_value *one = spec;
	size_t n = spec->type == RP_V_ARRAY ? spec->n : 1;
	for (size_t i = 0; i < n; i++) {
		if (spec->type == RP_V_ARRAY)
			one = spec->items[i];
		bool required = true;
		const struct rp_value *path = one;
		if (one->type == RP_V_TABLE) {
			const struct rp_value *req = rp_value_table_get(one, "required", 8);
			required = !req || req->type != RP_V_STRING || strcmp(req->s, "false") != 0;
			path = rp_value_table_get(one, "path", 4);
		}
		if (!path || path->type != RP_V_STRING) {
			snprintf(why, whylen, "env_file: a path, or a list of paths");
			return false;
		}
		char *p = rp_compose_interpolate(path->s, path->len, pj->dotenv, why, whylen);
		bool ok = p && env_file(env, pj, p, required, why, whylen);
		free(p);
		if (!ok)
			return false;
	}
	return true;
}

/* KEY with no value: the .env's, else not set. */
static void from_dotenv(struct rp_value *env, const struct project *pj, const char *key,
                        size_t klen)
{
	const struct rp_value *v = lookup(pj->dotenv, key, klen);
	if (v)
		set_string(env, key, klen, v->s, v->len);
}

static bool environment_map(struct rp_value *env, const struct project *pj,
                            const struct rp_value *spec, char *why, size_t whylen)
{
	for (size_t i = 0; i < spec->n; i++) {
		const struct rp_key *k = &spec->keys[i];
		const struct rp_value *v = spec->items[i];
		if (v->type == RP_V_NULL) {
			from_dotenv(env, pj, k->s, k->len);
			continue;
		}
		if (v->type != RP_V_STRING) {
			snprintf(why, whylen, "environment: %.60s is not a value", k->s);
			return false;
		}
		char *s = rp_compose_interpolate(v->s, v->len, pj->dotenv, why, whylen);
		if (!s)
			return false;
		set_string(env, k->s, k->len, s, strlen(s));
		rp_secret_wipe(s, strlen(s));
		free(s);
	}
	return true;
}

static bool environment_list(struct rp_value *env, const struct project *pj,
                             const struct rp_value *spec, char *why, size_t whylen)
{
	for (size_t i = 0; i < spec->n; i++) {
		const struct rp_value *v = spec->items[i];
		if (v->type != RP_V_STRING) {
			snprintf(why, whylen, "environment: item %zu is not KEY=VALUE", i + 1);
			return false;
		}
		char *s = rp_compose_interpolate(v->s, v->len, pj->dotenv, why, whylen);
		if (!s)
			return false;
		size_t slen = strlen(s);
		const char *eq = strchr(s, '=');
		if (!eq)
			from_dotenv(env, pj, s, slen);
		else if (eq > s)
			set_string(env, s, (size_t)(eq - s), eq + 1, slen - (size_t)(eq - s) - 1);
		rp_secret_wipe(s, slen);
		free(s);
	}
	return true;
}

static void service(struct rp_compose_service *svc, const struct project *pj,
                    const struct rp_value *def)
{
	char why[512] = "";
	struct rp_value *env = rp_value_new(RP_V_TABLE);
	const struct rp_value *files =
	        def->type == RP_V_TABLE ? rp_value_table_get(def, "env_file", 8) : NULL;
	const struct rp_value *vars =
	        def->type == RP_V_TABLE ? rp_value_table_get(def, "environment", 11) : NULL;
	bool ok = !files || files->type == RP_V_NULL || env_files(env, pj, files, why, sizeof why);
	if (ok && vars && vars->type == RP_V_TABLE)
		ok = environment_map(env, pj, vars, why, sizeof why);
	else if (ok && vars && vars->type == RP_V_ARRAY)
		ok = environment_list(env, pj, vars, why, sizeof why);
	else if (ok && vars && vars->type != RP_V_NULL)
		ok = (snprintf(why, sizeof why, "environment: a map or a list"), false);
	if (ok) {
		svc->env = env;
	} else {
		rp_value_free(env);
		svc->refused = rp_xstrdup(why);
	}
}

/* The project's .env: absent is fine; present and unreadable is not. */
static bool read_dotenv(struct project *pj, char *err, size_t errlen)
{
	char *path = rp_xasprintf("%s/.env", pj->dir);
	bool missing;
	pj->dotenv = dotenv_file(path, &missing, err, errlen);
	free(path);
	return pj->dotenv || missing;
}

static struct rp_value *read_yaml(const char *path, char *err, size_t errlen)
{
	char w[200], perr[256];
	size_t len = 0;
	char *text = rp_file_read(path, RP_COMPOSE_FILE_MAX, &len, NULL, w, sizeof w);
	if (!text) {
		snprintf(err, errlen, "%s", w);
		return NULL;
	}
	struct rp_value *root = rp_yaml_parse(text, len, perr, sizeof perr);
	if (!root)
		snprintf(err, errlen, "does not parse: %s", perr);
	rp_secret_wipe(text, len);
	free(text);
	return root;
}

bool rp_compose_load(const char *path, struct rp_compose *out, char *err, size_t errlen)
{
	*out = (struct rp_compose){ 0 };
	struct rp_value *root = read_yaml(path, err, errlen);
	if (!root)
		return false;
	const struct rp_value *services =
	        root->type == RP_V_TABLE ? rp_value_table_get(root, "services", 8) : NULL;
	if (!services || services->type != RP_V_TABLE) {
		snprintf(err, errlen, "not a compose file: no services: mapping");
		rp_value_free(root);
		return false;
	}
	const char *slash = strrchr(path, '/');
	struct project pj = { slash ? rp_xstrndup(path, (size_t)(slash - path) + (slash == path))
		                    : rp_xstrdup("."),
		              NULL };
	bool ok = read_dotenv(&pj, err, errlen);
	out->services = rp_xcalloc(services->n + 1, sizeof *out->services);
	for (size_t i = 0; ok && i < services->n; i++) {
		out->services[i].name = rp_xstrndup(services->keys[i].s, services->keys[i].len);
		service(&out->services[i], &pj, services->items[i]);
		out->n = i + 1;
	}
	out->dotenv = pj.dotenv;
	free(pj.dir);
	rp_value_free(root);
	if (!ok)
		rp_compose_free(out);
	return ok;
}

void rp_compose_free(struct rp_compose *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->services[i].name);
		rp_value_free(c->services[i].env);
		free(c->services[i].refused);
	}
	free(c->services);
	rp_value_free(c->dotenv);
	*c = (struct rp_compose){ 0 };
}
