#include "rp_health.h"
#include "rp_text.h"
#include "rp_util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deeper than this, a document is not walked further (json-c already caps
 * nesting; this bounds our own recursion whatever the source). */
#define MAX_DEPTH 32
/* Components kept: a health document with more is cut, not trusted to
 * grow the output without bound. */
#define MAX_ITEMS 256

static const struct {
	const char *word;
	enum rp_state state;
} words[] = {
	{ "pass", RP_OK },
	{ "ok", RP_OK },
	{ "up", RP_OK },
	{ "healthy", RP_OK },
	{ "green", RP_OK },
	{ "ready", RP_OK },
	{ "available", RP_OK },
	{ "online", RP_OK },
	{ "running", RP_OK },
	{ "alive", RP_OK },
	{ "connected", RP_OK },
	{ "operational", RP_OK },
	{ "warn", RP_WARNING },
	{ "warning", RP_WARNING },
	{ "degraded", RP_WARNING },
	{ "yellow", RP_WARNING },
	{ "fail", RP_CRITICAL },
	{ "failed", RP_CRITICAL },
	{ "failure", RP_CRITICAL },
	{ "error", RP_CRITICAL },
	{ "down", RP_CRITICAL },
	{ "unhealthy", RP_CRITICAL },
	{ "red", RP_CRITICAL },
	{ "critical", RP_CRITICAL },
	{ "unavailable", RP_CRITICAL },
	{ "offline", RP_CRITICAL },
	{ "disconnected", RP_CRITICAL },
	{ "out_of_service", RP_CRITICAL },
	{ "not_ready", RP_CRITICAL },
	{ "stopped", RP_CRITICAL },
	{ "unauthorized", RP_CRITICAL },
	{ "unauthorised", RP_CRITICAL },
	{ "forbidden", RP_CRITICAL },
	{ "unreachable", RP_CRITICAL },
	{ "refused", RP_CRITICAL },
	{ "timeout", RP_CRITICAL },
	{ "timed_out", RP_CRITICAL },
	{ "starting", RP_WARNING },
	{ "maintenance", RP_WARNING },
	{ "unknown", RP_UNKNOWN },
};

/* Members of a status table that say more about a status, not one. */
static const char *const detail_members[] = {
	"message", "error", "output",    "description", "details", "reason", "version", "name",
	"id",      "time",  "timestamp", "uptime",      "url",     "host",   "type",    "hint",
};

/* Members whose boolean value is itself a health verdict. */
static const char *const bool_members[] = { "healthy", "ok", "up", "ready", "connected", "alive" };

bool rp_health_word_state(const char *word, size_t len, enum rp_state *st)
{
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == len && strncasecmp(word, words[i].word, len) == 0) {
			*st = words[i].state;
			return true;
		}
	return false;
}

const char *rp_health_format_name(enum rp_health_format f)
{
	switch (f) {
	case RP_HEALTH_IETF:
		return "IETF health check (application/health+json)";
	case RP_HEALTH_ACTUATOR:
		return "Spring Boot Actuator";
	case RP_HEALTH_ADHOC:
		return "status fields";
	case RP_HEALTH_TEXT:
		return "plain text";
	default:
		return "unrecognised";
	}
}

static const struct rp_value *member(const struct rp_value *t, const char *key)
{
	return t && t->type == RP_V_TABLE ? rp_value_table_get(t, key, strlen(key)) : NULL;
}

static const struct rp_value *status_of(const struct rp_value *t)
{
	const struct rp_value *s = member(t, "status");
	return s && s->type == RP_V_STRING ? s : NULL;
}

static void add_item(struct rp_health *h, const char *name, size_t name_len,
                     const struct rp_value *status, enum rp_state st, const struct rp_value *output)
{
	if (h->n >= MAX_ITEMS)
		return;
	h->items = rp_xreallocarray(h->items, h->n + 1, sizeof *h->items);
	struct rp_health_item *it = &h->items[h->n++];
	it->name = rp_text_sanitize(name, name_len, 80);
	it->status = status ? rp_text_sanitize(status->s, status->len, 40) : rp_xstrdup("false");
	it->output = output && output->type == RP_V_STRING
	                     ? rp_text_sanitize(output->s, output->len, 120)
	                     : NULL;
	it->state = st;
	h->state = rp_state_worst(h->state, st);
}

/* A status string as a state; a word outside the vocabulary is WARNING
 * (something other than healthy was said). */
static enum rp_state judge(const struct rp_value *status)
{
	enum rp_state st;
	if (rp_health_word_state(status->s, status->len, &st))
		return st;
	return RP_WARNING;
}

static void set_own(struct rp_health *h, const struct rp_value *status)
{
	h->status = rp_text_sanitize(status->s, status->len, 40);
	h->own_state = judge(status);
	h->state = rp_state_worst(h->state, h->own_state);
}

/* ------------------------------------------------------------------ IETF */

static bool looks_ietf(const struct rp_value *doc, const char *content_type)
{
	if (content_type && strncasecmp(content_type, "application/health+json", 23) == 0)
		return true;
	const struct rp_value *checks = member(doc, "checks");
	if (!checks || checks->type != RP_V_TABLE || checks->n == 0)
		return false;
	for (size_t i = 0; i < checks->n; i++)
		if (checks->items[i]->type != RP_V_ARRAY)
			return false;
	return true;
}

/* IETF health+json and Actuator aggregate themselves: the document's own
 * status is its verdict (the draft's example is "pass" with "warn" checks;
 * Actuator's UP with an UNKNOWN component is UP). Components that are not
 * healthy are named either way. Without a status, the worst component. */
static void own_verdict(struct rp_health *h)
{
	if (h->status)
		h->state = h->own_state;
}

static void read_ietf(const struct rp_value *doc, struct rp_health *h)
{
	h->format = RP_HEALTH_IETF;
	const struct rp_value *s = status_of(doc);
	if (s)
		set_own(h, s);
	const struct rp_value *checks = member(doc, "checks");
	if (!checks || checks->type != RP_V_TABLE)
		return;
	for (size_t i = 0; i < checks->n; i++) {
		const struct rp_value *list = checks->items[i];
		const struct rp_key *k = &checks->keys[i];
		for (size_t j = 0; list->type == RP_V_ARRAY && j < list->n; j++) {
			const struct rp_value *entry = list->items[j];
			const struct rp_value *es = status_of(entry);
			if (!es)
				continue;
			/* several entries of one measurement: name each by its
			 * componentId when it has one */
			const struct rp_value *id = member(entry, "componentId");
			struct rp_buf name;
			rp_buf_init(&name);
			rp_buf_append(&name, k->s, k->len);
			if (list->n > 1 && id && id->type == RP_V_STRING)
				rp_buf_printf(&name, " (%s)", id->s);
			else if (list->n > 1)
				rp_buf_printf(&name, "[%zu]", j);
			add_item(h, name.data, name.len, es, judge(es), member(entry, "output"));
			rp_buf_free(&name);
		}
	}
	own_verdict(h);
}

/* -------------------------------------------------------------- Actuator */

static bool actuator_word(const struct rp_value *s)
{
	static const char *const w[] = { "UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN" };
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (s->len == strlen(w[i]) && memcmp(s->s, w[i], s->len) == 0)
			return true;
	return false;
}

static const struct rp_value *actuator_children(const struct rp_value *t)
{
	const struct rp_value *c = member(t, "components");
	if (!c)
		c = member(t, "details");
	return c && c->type == RP_V_TABLE ? c : NULL;
}

static bool looks_actuator(const struct rp_value *doc)
{
	const struct rp_value *s = status_of(doc);
	return s && actuator_word(s);
}

static void walk_actuator(const struct rp_value *t, struct rp_buf *path, int depth,
                          struct rp_health *h)
{
	const struct rp_value *kids = actuator_children(t);
	if (!kids || depth > MAX_DEPTH)
		return;
	for (size_t i = 0; i < kids->n; i++) {
		const struct rp_value *c = kids->items[i];
		const struct rp_value *s = status_of(c);
		if (!s)
			continue;
		size_t mark = path->len;
		if (path->len)
			rp_buf_putc(path, '.');
		rp_buf_append(path, kids->keys[i].s, kids->keys[i].len);
		/* the reason Spring gives: details.error, else details.message */
		const struct rp_value *details = member(c, "details");
		const struct rp_value *why = member(details, "error");
		if (!why)
			why = member(details, "message");
		add_item(h, path->data, path->len, s, judge(s), why);
		walk_actuator(c, path, depth + 1, h);
		path->len = mark;
		path->data[mark] = '\0';
	}
}

static void read_actuator(const struct rp_value *doc, struct rp_health *h)
{
	h->format = RP_HEALTH_ACTUATOR;
	set_own(h, status_of(doc));
	struct rp_buf path;
	rp_buf_init(&path);
	walk_actuator(doc, &path, 0, h);
	rp_buf_free(&path);
	own_verdict(h);
}

/* --------------------------------------------------------------- ad hoc */

static bool bool_member(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof bool_members / sizeof bool_members[0]; i++)
		if (strlen(bool_members[i]) == len && strncasecmp(key, bool_members[i], len) == 0)
			return true;
	return false;
}

static bool detail_member(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof detail_members / sizeof detail_members[0]; i++)
		if (strlen(detail_members[i]) == len &&
		    strncasecmp(key, detail_members[i], len) == 0)
			return true;
	return false;
}

/* A table whose members hold status words ("db": "ok"): its other string
 * members are statuses too, in words we do not know ("fire22_api":
 * "unauthorized" must be named, not dropped). */
static bool status_table(const struct rp_value *t)
{
	enum rp_state st;
	for (size_t i = 0; t->type == RP_V_TABLE && i < t->n; i++) {
		const struct rp_value *v = t->items[i];
		bool is_status = t->keys[i].len == 6 && strncasecmp(t->keys[i].s, "status", 6) == 0;
		if (!is_status && v->type == RP_V_STRING && rp_health_word_state(v->s, v->len, &st))
			return true;
	}
	return false;
}

static void walk_adhoc(const struct rp_value *t, struct rp_buf *path, int depth,
                       struct rp_health *h)
{
	bool statuses = status_table(t);
	if (depth > MAX_DEPTH)
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct rp_value *v = t->items[i];
		size_t mark = path->len;
		if (t->type == RP_V_TABLE) {
			const struct rp_key *k = &t->keys[i];
			bool is_status = k->len == 6 && strncasecmp(k->s, "status", 6) == 0;
			enum rp_state st;
			if (v->type == RP_V_STRING && rp_health_word_state(v->s, v->len, &st)) {
				if (depth == 0 && is_status)
					continue; /* the document's own status */
				/* "db": {"status": "down"} names "db"; "db": "down" too;
				 * [{"name": "db", "status": "down"}] names "db" */
				const struct rp_value *nm = is_status ? member(t, "name") : NULL;
				if (!is_status || path->len == 0) {
					if (path->len)
						rp_buf_putc(path, '.');
					rp_buf_append(path, k->s, k->len);
				}
				bool named = nm && nm->type == RP_V_STRING;
				add_item(h, named ? nm->s : path->data, named ? nm->len : path->len,
				         v, st, is_status ? member(t, "error") : NULL);
			} else if (statuses && v->type == RP_V_STRING && !is_status &&
			           !detail_member(k->s, k->len)) {
				/* a status in words we do not know: named, WARNING */
				if (path->len)
					rp_buf_putc(path, '.');
				rp_buf_append(path, k->s, k->len);
				add_item(h, path->data, path->len, v, RP_WARNING, NULL);
			} else if (v->type == RP_V_BOOL && !v->b && bool_member(k->s, k->len)) {
				if (path->len)
					rp_buf_putc(path, '.');
				rp_buf_append(path, k->s, k->len);
				add_item(h, path->data, path->len, NULL, RP_CRITICAL, NULL);
			} else if (v->type == RP_V_TABLE || v->type == RP_V_ARRAY) {
				if (path->len)
					rp_buf_putc(path, '.');
				rp_buf_append(path, k->s, k->len);
				walk_adhoc(v, path, depth + 1, h);
			}
		} else if (v->type == RP_V_TABLE || v->type == RP_V_ARRAY) {
			rp_buf_put_index(path, i);
			walk_adhoc(v, path, depth + 1, h);
		}
		path->len = mark;
		if (path->data)
			path->data[mark] = '\0';
	}
}

static void read_adhoc(const struct rp_value *doc, struct rp_health *h)
{
	/* a status outside the vocabulary still is one: WARNING, as written */
	const struct rp_value *s = status_of(doc);
	if (s)
		set_own(h, s);
	if (doc->type == RP_V_TABLE || doc->type == RP_V_ARRAY) {
		struct rp_buf path;
		rp_buf_init(&path);
		walk_adhoc(doc, &path, 0, h);
		rp_buf_free(&path);
	}
	if (h->status || h->n)
		h->format = RP_HEALTH_ADHOC;
}

void rp_health_read(const struct rp_value *doc, const char *content_type, struct rp_health *h)
{
	memset(h, 0, sizeof *h);
	h->state = RP_OK;
	h->own_state = RP_OK;
	if (!doc)
		return;
	if (looks_ietf(doc, content_type))
		read_ietf(doc, h);
	else if (looks_actuator(doc))
		read_actuator(doc, h);
	else
		read_adhoc(doc, h);
	if (!h->status && h->n == 0) {
		h->format = RP_HEALTH_UNRECOGNISED;
		h->state = RP_UNKNOWN;
	}
}

void rp_health_free(struct rp_health *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->items[i].name);
		free(h->items[i].status);
		free(h->items[i].output);
	}
	free(h->items);
	free(h->status);
	memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------ plain text */

static bool starts_word(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w);
	return len >= n && strncasecmp(s, w, n) == 0;
}

/* True when the line l[0..n) holds needle. */
static bool line_has(const char *l, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(l + i, needle, k) == 0)
			return true;
	return false;
}

/* One "[+]name ok" or "[-]name failed: reason" line. */
static void kubernetes_item(const char *l, size_t n, struct rp_health *h)
{
	bool ok = l[1] == '+';
	size_t name = 0;
	while (3 + name < n && l[3 + name] != ' ')
		name++;
	struct rp_value st = { .type = RP_V_STRING,
		               .s = (char *)(ok ? "ok" : "failed"),
		               .len = ok ? 2 : 6 };
	size_t rest = n - 3 - name;
	const char *why = l + 3 + name;
	while (rest && *why == ' ')
		why++, rest--;
	if (rest >= 7 && strncasecmp(why, "failed:", 7) == 0)
		why += 7, rest -= 7;
	while (rest && *why == ' ')
		why++, rest--;
	struct rp_value out = { .type = RP_V_STRING, .s = (char *)why, .len = rest };
	add_item(h, l + 3, name, &st, ok ? RP_OK : RP_CRITICAL, !ok && rest ? &out : NULL);
}

/* Kubernetes' verbose /readyz and /livez: "[+]ping ok", "[-]etcd failed:
 * reason withheld", then "readyz check passed" or "... failed". */
static bool read_kubernetes(const char *body, size_t len, struct rp_health *h)
{
	bool seen = false;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(body + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (body + at)) : len - at;
		const char *l = body + at;
		if (n > 3 && (starts_word(l, n, "[+]") || starts_word(l, n, "[-]"))) {
			kubernetes_item(l, n, h);
			seen = true;
		} else if (line_has(l, n, "check passed") || line_has(l, n, "check failed")) {
			bool passed = line_has(l, n, "check passed");
			free(h->status);
			h->status = rp_xstrdup(passed ? "passed" : "failed");
			h->own_state = passed ? RP_OK : RP_CRITICAL;
			seen = true;
		}
		at += n + 1;
	}
	return seen;
}

bool rp_health_read_text(const char *body, size_t len, struct rp_health *h)
{
	memset(h, 0, sizeof *h);
	h->state = RP_OK;
	h->own_state = RP_OK;
	size_t a = 0, b = len;
	while (a < b && strchr(" \t\r\n", body[a]))
		a++;
	while (b > a && strchr(" \t\r\n", body[b - 1]))
		b--;
	enum rp_state st;
	/* one word: Kubernetes' "ok", ASP.NET Core's Healthy/Degraded/Unhealthy */
	if (b > a && rp_health_word_state(body + a, b - a, &st)) {
		h->format = RP_HEALTH_TEXT;
		h->status = rp_text_sanitize(body + a, b - a, 40);
		h->own_state = h->state = st;
		return true;
	}
	if (!read_kubernetes(body + a, b - a, h)) {
		rp_health_free(h);
		return false;
	}
	h->format = RP_HEALTH_TEXT;
	if (h->status)
		h->state = h->own_state;
	return true;
}
