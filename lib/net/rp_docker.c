#include "rp_docker.h"
#include "rp_json.h"
#include "rp_secret.h"
#include "rp_strv.h"
#include "rp_util.h"
#include "rp_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct rp_value *get(const struct rp_value *t, const char *key)
{
	return t && t->type == RP_V_TABLE ? rp_value_table_get(t, key, strlen(key)) : NULL;
}

/* The string at key, copied, or NULL (absent, not a string, or empty). */
static char *text(const struct rp_value *t, const char *key)
{
	const struct rp_value *v = get(t, key);
	return v && v->type == RP_V_STRING && v->len ? rp_xstrndup(v->s, v->len) : NULL;
}

static bool flag(const struct rp_value *t, const char *key)
{
	const struct rp_value *v = get(t, key);
	return v && v->type == RP_V_BOOL && v->b;
}

static long long integer(const struct rp_value *t, const char *key)
{
	const struct rp_value *v = get(t, key);
	return v && (v->type == RP_V_INTEGER || v->type == RP_V_FLOAT)
	               ? (long long)rp_value_number(v)
	               : 0;
}

static struct rp_value *parse(const char *body, size_t len, enum rp_value_type want, char *err,
                              size_t errlen)
{
	struct rp_value *v = rp_json_parse_any(body, len, err, errlen);
	if (v && v->type != want) {
		snprintf(err, errlen, "the engine's reply is not a JSON %s",
		         want == RP_V_ARRAY ? "array" : "object");
		rp_value_free(v);
		return NULL;
	}
	return v;
}

void rp_docker_error_message(const char *body, size_t len, char *out, size_t outlen)
{
	char err[64];
	out[0] = '\0';
	if (!body || !len)
		return;
	struct rp_value *v = rp_json_parse_any(body, len, err, sizeof err);
	const struct rp_value *m = v && v->type == RP_V_TABLE ? get(v, "message") : NULL;
	if (m && m->type == RP_V_STRING && m->s[0]) {
		snprintf(out, outlen, "%s", m->s);
	} else {
		size_t line = 0;
		while (line < len && body[line] != '\n' && body[line] != '\r' && body[line])
			line++;
		snprintf(out, outlen, "%.*s", (int)(line < 1000 ? line : 1000), body);
	}
	rp_value_free(v);
}

static void summary(struct rp_docker_summary *s, const struct rp_value *c)
{
	const struct rp_value *names = get(c, "Names");
	if (names && names->type == RP_V_ARRAY && names->n &&
	    names->items[0]->type == RP_V_STRING) {
		const char *n = names->items[0]->s;
		s->name = rp_xstrdup(n[0] == '/' ? n + 1 : n);
	}
	s->id = text(c, "Id");
	s->state = text(c, "State");
	const struct rp_value *labels = get(c, "Labels");
	s->project = text(labels, "com.docker.compose.project");
	s->service = text(labels, "com.docker.compose.service");
}

bool rp_docker_parse_list(const char *body, size_t len, struct rp_docker_summary **out, size_t *n,
                          char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	struct rp_value *list = parse(body, len, RP_V_ARRAY, err, errlen);
	if (!list)
		return false;
	size_t count = list->n < RP_DOCKER_CONTAINERS_MAX ? list->n : RP_DOCKER_CONTAINERS_MAX;
	*out = rp_xcalloc(count + 1, sizeof **out);
	for (size_t i = 0; i < count; i++)
		if (list->items[i]->type == RP_V_TABLE)
			summary(&(*out)[(*n)++], list->items[i]);
	rp_value_free(list);
	return true;
}

void rp_docker_summaries_free(struct rp_docker_summary *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].id);
		free(s[i].name);
		free(s[i].state);
		free(s[i].project);
		free(s[i].service);
	}
	free(s);
}

/* Config.Env, "NAME=value" each: the names, never the values. */
static void env_names(struct rp_docker_inspect *c, const struct rp_value *env)
{
	if (!env || env->type != RP_V_ARRAY)
		return;
	c->env = rp_xcalloc(env->n + 1, sizeof *c->env);
	for (size_t i = 0; i < env->n; i++) {
		const struct rp_value *e = env->items[i];
		if (e->type != RP_V_STRING || e->len == 0)
			continue;
		const char *eq = memchr(e->s, '=', e->len);
		size_t nlen = eq ? (size_t)(eq - e->s) : e->len;
		if (nlen == 0)
			continue;
		c->env[c->nenv].name = rp_xstrndup(e->s, nlen);
		c->env[c->nenv].empty = !eq || eq + 1 == e->s + e->len;
		size_t vlen = eq ? e->len - nlen - 1 : 0;
		if (vlen >= 4 && rp_secret_name(c->env[c->nenv].name))
			rp_strv_pushn(&c->secrets, &c->nsecrets, eq + 1, vlen);
		c->nenv++;
	}
}

/* State.Health: its status and the last check's output. */
static void health(struct rp_docker_inspect *c, const struct rp_value *state)
{
	const struct rp_value *h = get(state, "Health");
	c->health = text(h, "Status");
	const struct rp_value *log = get(h, "Log");
	if (!c->health || !log || log->type != RP_V_ARRAY || log->n == 0)
		return;
	const struct rp_value *last = log->items[log->n - 1];
	c->health_output = text(last, "Output");
	c->health_exit = integer(last, "ExitCode");
}

bool rp_docker_parse_inspect(const char *body, size_t len, struct rp_docker_inspect *c, char *err,
                             size_t errlen)
{
	memset(c, 0, sizeof *c);
	struct rp_value *v = parse(body, len, RP_V_TABLE, err, errlen);
	if (!v)
		return false;
	const struct rp_value *state = get(v, "State");
	c->status = text(state, "Status");
	c->running = flag(state, "Running");
	c->restarting = flag(state, "Restarting");
	c->oom_killed = flag(state, "OOMKilled");
	c->dead = flag(state, "Dead");
	c->exit_code = integer(state, "ExitCode");
	c->pid = integer(state, "Pid");
	c->error = text(state, "Error");
	/* a container never started or stopped says 0001-01-01T00:00:00Z */
	c->started_at = text(state, "StartedAt");
	c->finished_at = text(state, "FinishedAt");
	health(c, state);
	c->restart_count = integer(v, "RestartCount");
	const struct rp_value *config = get(v, "Config");
	c->tty = flag(config, "Tty");
	env_names(c, get(config, "Env"));
	rp_value_free(v);
	return true;
}

void rp_docker_inspect_free(struct rp_docker_inspect *c)
{
	free(c->status);
	free(c->started_at);
	free(c->finished_at);
	free(c->error);
	free(c->health);
	free(c->health_output);
	for (size_t i = 0; i < c->nenv; i++)
		free(c->env[i].name);
	free(c->env);
	for (size_t i = 0; i < c->nsecrets; i++)
		rp_secret_free(c->secrets[i]);
	free(c->secrets);
	memset(c, 0, sizeof *c);
}

void rp_docker_logs_text(const char *body, size_t len, bool tty, struct rp_buf *out)
{
	const unsigned char *p = (const unsigned char *)body, *end = p + len;
	if (tty) {
		rp_buf_append(out, body, len);
		return;
	}
	while (end - p >= 8) {
		/* stream 0-2, then three zero bytes: else not framed after all */
		if (p[0] > 2 || p[1] || p[2] || p[3]) {
			rp_buf_append(out, p, (size_t)(end - p));
			return;
		}
		size_t n = (size_t)p[4] << 24 | (size_t)p[5] << 16 | (size_t)p[6] << 8 | p[7];
		p += 8;
		size_t take = n < (size_t)(end - p) ? n : (size_t)(end - p);
		rp_buf_append(out, p, take);
		p += take;
	}
}

void rp_docker_mask_secrets(const struct rp_docker_inspect *c, struct rp_buf *text)
{
	rp_secret_mask_values(text, c->secrets, c->nsecrets);
}
