/* config_eval.c: check_config's evaluate step. Pure: sources in, verdicts
 * out. It names keys and reasons and never copies a value into any text:
 * only the key paths, the files, and words about the values. */
#include "check_config.h"
#include "rp_strv.h"
#include "rp_file.h"
#include "rp_keypath.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a finding is about, for grouping the summary. */
enum finding_kind {
	F_SOURCE,      /* the source did not load */
	F_MISSING,     /* a required key is absent */
	F_EMPTY,       /* a required key is empty */
	F_PLACEHOLDER, /* a secret (or a template value) is a placeholder */
	F_ALG_NONE,    /* a token algorithm set to none */
	F_WEAK,        /* a secret too short or too plain */
	F_MODE,        /* a file with secrets readable by others */
	F_DUPLICATE,   /* a key given twice in a dotenv file */
	F_SKIPPED,     /* a dotenv line that is not KEY=VALUE */
	F_KINDS,
};

struct finding {
	enum finding_kind kind;
	enum rp_state state;
	size_t source;
	char *path;
	char *text;
};

struct findings {
	struct finding *items;
	size_t n;
	size_t counts[F_KINDS];
	size_t secrets_checked;
	size_t real_secrets; /* neither empty nor a placeholder */
	size_t keys;
	/* the source being read: the values its --secret paths reach (sorted),
	 * so env.*.vars.X or kv[binding=A].token mark each leaf they name */
	const struct rp_value **named;
	size_t nnamed;
};

static void add(struct findings *f, enum finding_kind kind, enum rp_state st, size_t source,
                const char *path, const char *text)
{
	f->items = rp_xreallocarray(f->items, f->n + 1, sizeof *f->items);
	f->items[f->n].kind = kind;
	f->items[f->n].state = st;
	f->items[f->n].source = source;
	f->items[f->n].path = rp_text_sanitize(path, strlen(path), 120);
	f->items[f->n].text = rp_xstrdup(text);
	f->n++;
	f->counts[kind]++;
}

/* The key's own name: the last segment of a path. */
static const char *leaf_name(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

static bool named_secret(const struct config_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->nsecrets; i++)
		if (strcmp(cfg->secrets[i], path) == 0 ||
		    strcmp(cfg->secrets[i], leaf_name(path)) == 0)
			return true;
	return false;
}

/* Adds key unless one of the first `among` entries is the same. */
static void add_unique(const char **list, size_t *n, size_t among, const char *key)
{
	for (size_t i = 0; i < among; i++)
		if (strcmp(list[i], key) == 0)
			return;
	list[(*n)++] = key;
}

/* --require keys, --secret keys (a named secret must exist) and the
 * template's keys, each once. */
static const char **required_keys(const struct config_config *cfg, const struct config_observed *o,
                                  size_t *n)
{
	const struct rp_value *tr = o->has_template ? o->template_src.root : NULL;
	size_t cap = cfg->nrequire + cfg->nsecrets + (tr ? tr->n : 0) + 1;
	const char **list = rp_xcalloc(cap, sizeof *list);
	*n = 0;
	for (size_t i = 0; i < cfg->nrequire; i++)
		add_unique(list, n, *n, cfg->require[i]);
	for (size_t i = 0; i < cfg->nsecrets; i++)
		add_unique(list, n, *n, cfg->secrets[i]);
	/* the template's keys are unique already (a table); those it marks
	 * optional are not required */
	size_t named = *n;
	const struct rp_dotenv_notes *tn = &o->template_src.notes;
	for (size_t i = 0; tr && i < tr->n; i++) {
		bool optional = false;
		for (size_t j = 0; j < tn->noptional && !optional; j++)
			optional = strcmp(tn->optional[j], tr->keys[i].s) == 0;
		if (!optional)
			add_unique(list, n, named, tr->keys[i].s);
	}
	return list;
}

/* True when path lies under scope: "env.production" covers
 * "env.production.vars.JWT_SECRET"; a * segment matches any one key. */
static bool under(const char *scope, const char *path)
{
	while (*scope) {
		if (scope[0] == '*' && (scope[1] == '.' || scope[1] == '\0')) {
			path += strcspn(path, ".[");
			scope++;
			continue;
		}
		if (*scope != *path)
			return false;
		scope++, path++;
	}
	return *path == '\0' || *path == '.' || *path == '[';
}

/* Where secrets are found by their names (--secrets-in): everywhere, or
 * under the tables given (a production section, not its staging one). */
static bool in_secret_scope(const struct config_config *cfg, const char *path)
{
	if (cfg->nsecrets_in == 0)
		return true;
	for (size_t i = 0; i < cfg->nsecrets_in; i++)
		if (under(cfg->secrets_in[i], path))
			return true;
	return false;
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const struct rp_value *const *)a;
	uintptr_t y = (uintptr_t) * (const struct rp_value *const *)b;
	return x < y ? -1 : x > y;
}

/* The values source s's --secret paths reach, into f->named. Dotenv files
 * and environments name keys whole: named_secret covers them. */
static void resolve_named(const struct config_config *cfg, const struct config_source *s,
                          struct findings *f)
{
	f->nnamed = 0;
	if (s->flat)
		return;
	for (size_t i = 0; i < cfg->nsecrets; i++) {
		struct rp_keypath kp;
		char err[200];
		if (!rp_keypath_parse(cfg->secrets[i], &kp, err, sizeof err))
			continue; /* refused at startup where it matters */
		struct rp_resolved_list found;
		rp_keypath_resolve(&kp, s->root, false, &found);
		for (size_t k = 0; k < found.n; k++) {
			if (!found.items[k].value)
				continue;
			f->named = rp_xreallocarray(f->named, f->nnamed + 1, sizeof *f->named);
			f->named[f->nnamed++] = found.items[k].value;
		}
		rp_keypath_resolved_free(&found);
		rp_keypath_free(&kp);
	}
	if (f->nnamed > 1)
		qsort(f->named, f->nnamed, sizeof *f->named, by_address);
}

static bool is_secret(const struct config_config *cfg, const struct findings *f, const char *path,
                      const struct rp_value *v)
{
	if (named_secret(cfg, path) ||
	    (f->nnamed && bsearch(&v, f->named, f->nnamed, sizeof *f->named, by_address)))
		return true;
	return !cfg->no_auto_secrets && in_secret_scope(cfg, path) &&
	       rp_secret_name(leaf_name(path));
}

static bool is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static const struct rp_value *template_value(const struct config_observed *o, const char *path)
{
	if (!o->has_template || !o->template_src.root)
		return NULL;
	return rp_value_table_get(o->template_src.root, path, strlen(path));
}

/* One string leaf: secret rules, algorithm rule. */
static void check_leaf(const struct config_config *cfg, const struct config_observed *o,
                       struct findings *f, size_t si, const char *path, const struct rp_value *v)
{
	const char *name = leaf_name(path);
	char text[256];
	f->keys++;
	if (v->type != RP_V_STRING)
		return;
	if (rp_secret_algorithm_name(name) && rp_text_caseeq(v->s, "none")) {
		add(f, F_ALG_NONE, RP_CRITICAL, si, path,
		    "algorithm 'none': tokens would be accepted unsigned");
		return;
	}
	const struct rp_value *tv = template_value(o, path);
	bool from_template = tv && tv->type == RP_V_STRING && tv->len > 0 && tv->len == v->len &&
	                     memcmp(tv->s, v->s, v->len) == 0;
	bool secret = o->sources[si].all_secret || is_secret(cfg, f, path, v);
	if (!secret) {
		/* a value that is not a secret may well equal the template's
		 * (WEBSOCKET_PORT=8765, WORKERS=4): only template text is a
		 * placeholder */
		if (from_template &&
		    rp_secret_template_text(v->s, v->len, cfg->placeholders, cfg->nplaceholders))
			add(f, F_PLACEHOLDER, RP_CRITICAL, si, path,
			    "placeholder (unchanged from the template)");
		return;
	}
	f->secrets_checked++;
	const char *why = rp_secret_placeholder_reason(v->s, v->len, name, cfg->placeholders,
	                                               cfg->nplaceholders);
	if (!why && from_template)
		why = "placeholder (unchanged from the template)";
	if (why) {
		add(f, strcmp(why, "empty") == 0 ? F_EMPTY : F_PLACEHOLDER, RP_CRITICAL, si, path,
		    strcmp(why, "empty") == 0 ? "secret is empty" : why);
		return;
	}
	f->real_secrets++;
	double bits = rp_secret_entropy_bits(v->s, v->len);
	if ((long)v->len < cfg->min_length) {
		snprintf(text, sizeof text, "weak: %zu characters, need %ld", v->len,
		         cfg->min_length);
		add(f, F_WEAK, cfg->weak_state, si, path, text);
	} else if (bits < cfg->min_entropy_bits) {
		snprintf(text, sizeof text,
		         "weak: too little variety (about %.0f bits of entropy, need %.0f)", bits,
		         cfg->min_entropy_bits);
		add(f, F_WEAK, cfg->weak_state, si, path, text);
	}
}

static void walk(const struct config_config *cfg, const struct config_observed *o,
                 struct findings *f, size_t si, const struct rp_value *v, struct rp_buf *path,
                 bool flat)
{
	size_t mark = path->len;
	for (size_t i = 0; i < v->n; i++) {
		if (v->type == RP_V_TABLE) {
			if (flat)
				rp_buf_append(path, v->keys[i].s, v->keys[i].len);
			else
				rp_keypath_append_key(path, v->keys[i].s, v->keys[i].len);
		} else if (flat) {
			rp_buf_put_index(path, i);
		} else {
			/* kv_namespaces[binding=AUTH].id: a path --require takes */
			free(rp_keypath_append_element(path, v, i));
		}
		const struct rp_value *c = v->items[i];
		if (c->type == RP_V_TABLE || c->type == RP_V_ARRAY)
			walk(cfg, o, f, si, c, path, flat);
		else
			check_leaf(cfg, o, f, si, path->data, c);
		path->len = mark;
		if (path->data)
			path->data[mark] = '\0';
	}
}

static bool in_project_env(const struct config_source *s, const char *key)
{
	for (size_t i = 0; i < s->nproject_keys; i++)
		if (strcmp(s->project_keys[i], key) == 0)
			return true;
	return false;
}

static void check_required(const struct config_config *cfg, struct findings *f, size_t si,
                           const struct config_source *s, const char *key)
{
	struct rp_keypath kp;
	char err[256];
	if (!rp_keypath_parse(key, &kp, err, sizeof err)) {
		/* flat sources can still hold such a key */
		memset(&kp, 0, sizeof kp);
		kp.text = rp_xstrdup(key);
		if (!s->flat) {
			add(f, F_MISSING, RP_UNKNOWN, si, key, err);
			free(kp.text);
			return;
		}
	}
	struct rp_resolved_list found;
	rp_keypath_resolve(&kp, s->root, s->flat, &found);
	for (size_t i = 0; i < found.n; i++) {
		const struct rp_value *v = found.items[i].value;
		/* an element named by its index and, when it has one, its own
		 * name, as wrangler names it: kv_namespaces[1].id (binding=CACHE) */
		char *named = found.items[i].ident ? rp_xasprintf("%s (%s)", found.items[i].path,
		                                                  found.items[i].ident)
		                                   : NULL;
		const char *path = named ? named : found.items[i].path;
		if (!v && s->kind == SRC_PID)
			/* a process may read a file itself after it started */
			add(f, F_MISSING, cfg->missing_state, si, path,
			    "not in the environment the process started with; if it reads a file "
			    "such as .env itself (load_dotenv), check that file");
		else if (!v && s->kind == SRC_COMPOSE && in_project_env(s, path))
			add(f, F_MISSING, cfg->missing_state, si, path,
			    "in the project's .env but not passed to the service (not in its "
			    "environment: or env_file:)");
		else if (!v)
			add(f, F_MISSING, cfg->missing_state, si, path, "missing");
		else if (v->type == RP_V_STRING && is_blank(v->s, v->len) &&
		         !is_secret(cfg, f, found.items[i].path, v))
			add(f, F_EMPTY, RP_CRITICAL, si, path,
			    "empty"); /* secrets: said by walk() */
		free(named);
	}
	rp_keypath_resolved_free(&found);
	rp_keypath_free(&kp);
}

static const char *kind_words(enum finding_kind k, size_t n)
{
	switch (k) {
	case F_SOURCE:
		return n == 1 ? "source unusable" : "sources unusable";
	case F_MISSING:
		return n == 1 ? "required key missing" : "required keys missing";
	case F_EMPTY:
		return n == 1 ? "empty secret or required key" : "empty secrets or required keys";
	case F_PLACEHOLDER:
		return n == 1 ? "placeholder secret" : "placeholder secrets";
	case F_ALG_NONE:
		return n == 1 ? "algorithm set to none" : "algorithms set to none";
	case F_WEAK:
		return n == 1 ? "weak secret" : "weak secrets";
	case F_MODE:
		return n == 1 ? "file readable by others" : "files readable by others";
	case F_SKIPPED:
		return n == 1 ? "line skipped" : "lines skipped";
	case F_DUPLICATE:
		return n == 1 ? "duplicate key" : "duplicate keys";
	case F_KINDS:
		break;
	}
	return "findings";
}

/* "2 placeholder secrets in wrangler.toml: vars.FIRE22_TOKEN, vars.JWT_SECRET" */
static void summary_group(struct rp_buf *b, const struct findings *f,
                          const struct config_observed *o, enum finding_kind k, enum rp_state st)
{
	for (size_t si = 0; si < o->nsources; si++) {
		size_t n = 0;
		for (size_t i = 0; i < f->n; i++)
			if (f->items[i].kind == k && f->items[i].source == si &&
			    f->items[i].state == st)
				n++;
		if (!n)
			continue;
		/* the file's own name: the long output has the whole path */
		const char *base = strrchr(o->sources[si].name, '/');
		char *src =
		        rp_text_sanitize_str(base && base[1] ? base + 1 : o->sources[si].name, 160);
		if (b->len)
			rp_buf_puts(b, "; ");
		if (k == F_SOURCE || k == F_MODE) {
			/* "app.env holds secrets and is readable by others ..." */
			for (size_t i = 0; i < f->n; i++)
				if (f->items[i].kind == k && f->items[i].source == si)
					rp_buf_printf(b, "%s%s %s", src, k == F_SOURCE ? ":" : "",
					              f->items[i].text);
			free(src);
			continue;
		}
		rp_buf_printf(b, "%zu %s %s %s: ", n, kind_words(k, n),
		              k == F_MISSING ? "from" : "in", src);
		size_t shown = 0;
		for (size_t i = 0; i < f->n && shown < 4; i++) {
			if (f->items[i].kind == k && f->items[i].source == si &&
			    f->items[i].state == st)
				rp_buf_printf(b, "%s%s", shown++ ? ", " : "", f->items[i].path);
		}
		if (n > shown)
			rp_buf_printf(b, " and %zu more", n - shown);
		free(src);
	}
}

/* The children: one per finding, in the order found. */
static void add_findings(struct rp_check *root, const struct config_observed *o,
                         const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const char *src = rp_check_clean(root, o->sources[f->items[i].source].name, 160);
		const char *why = rp_check_clean(root, f->items[i].text, 160);
		if (f->items[i].kind == F_SOURCE || f->items[i].kind == F_MODE)
			rp_check_add(root, f->items[i].state, "%s: %s", src, why);
		else
			rp_check_add(root, f->items[i].state, "%s (%s): %s", f->items[i].path, src,
			             why);
	}
}

/* Line 1: the worst findings, grouped by kind and source. */
static void summarize(struct rp_check *root, const struct config_config *cfg,
                      const struct config_observed *o, const struct findings *f, size_t loaded)
{
	enum rp_state worst = rp_check_state(root);
	struct rp_buf b;
	rp_buf_init(&b);
	if (worst == RP_OK) {
		rp_buf_printf(&b,
		              "%zu key%s in %zu source%s; %zu secret%s checked, none a placeholder",
		              f->keys, f->keys == 1 ? "" : "s", loaded, loaded == 1 ? "" : "s",
		              f->secrets_checked, f->secrets_checked == 1 ? "" : "s");
		if (cfg->nrequire || o->has_template)
			rp_buf_puts(&b, "; every required key set");
	} else {
		static const enum finding_kind order[] = { F_SOURCE,      F_MISSING,  F_EMPTY,
			                                   F_PLACEHOLDER, F_ALG_NONE, F_WEAK,
			                                   F_MODE,        F_SKIPPED,  F_DUPLICATE };
		for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
			summary_group(&b, f, o, order[k], worst);
		if (!b.len) {
			char *w = rp_check_worst_texts(root, 170);
			rp_buf_puts(&b, w);
			free(w);
		}
	}
	rp_check_set_text(root, "%s", b.data);
	rp_buf_free(&b);
}

struct rp_check *config_evaluate(const struct config_config *cfg, const struct config_observed *o,
                                 const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	struct findings f;
	memset(&f, 0, sizeof f);
	size_t nreq = 0;
	const char **req = required_keys(cfg, o, &nreq);

	for (size_t si = 0; si < o->nsources; si++) {
		const struct config_source *s = &o->sources[si];
		if (s->error) {
			add(&f, F_SOURCE, s->error_state, si, s->name, s->error);
			continue;
		}
		size_t before = f.real_secrets;
		resolve_named(cfg, s, &f);
		struct rp_buf path;
		rp_buf_init(&path);
		walk(cfg, o, &f, si, s->root, &path, s->flat);
		rp_buf_free(&path);
		for (size_t r = 0; r < nreq; r++)
			check_required(cfg, &f, si, s, req[r]);
		const char *readers = s->has_mode ? rp_file_readers(s->mode) : NULL;
		/* placeholders are findings of their own, not secrets to hide */
		if (readers && f.real_secrets > before) {
			char text[160];
			snprintf(text, sizeof text,
			         "holds secrets and is readable by %s (mode %04o); chmod 600 it",
			         readers, (unsigned)(s->mode & 07777));
			add(&f, F_MODE, RP_WARNING, si, s->name, text);
		}
		for (size_t d = 0; d < s->notes.nskipped; d++)
			add(&f, F_SKIPPED, RP_WARNING, si, s->notes.skipped[d],
			    "not KEY=VALUE: skipped, as compose skips it");
		for (size_t d = 0; d < s->notes.ndups; d++)
			add(&f, F_DUPLICATE, RP_WARNING, si, s->notes.dups[d],
			    "given more than once; the last one wins");
	}
	if (o->has_template && o->template_src.error) {
		const char *name = rp_check_clean(root, o->template_src.name, 160);
		const char *why = rp_check_clean(root, o->template_src.error, 160);
		rp_check_add(root, o->template_src.error_state, "template %s: %s", name, why);
	}

	add_findings(root, o, &f);
	size_t missing = f.counts[F_MISSING] + f.counts[F_EMPTY];
	size_t placeholders = f.counts[F_PLACEHOLDER] + f.counts[F_ALG_NONE];
	/* judged by the runtime against -w/-c, worded by their metrics' nouns */
	rp_check_add_perf(root, "keys", (double)f.keys, RP_UNIT_NONE, t);
	rp_check_add_perf(root, "missing", (double)missing, RP_UNIT_NONE, t);
	rp_check_add_perf(root, "placeholders", (double)placeholders, RP_UNIT_NONE, t);
	rp_check_add_perf(root, "weak", (double)f.counts[F_WEAK], RP_UNIT_NONE, t);

	size_t loaded = 0;
	for (size_t si = 0; si < o->nsources; si++)
		loaded += o->sources[si].error == NULL;
	rp_check_detail(root, 1,
	                "%zu key%s in %zu source%s; %zu secret%s checked (values never shown)",
	                f.keys, f.keys == 1 ? "" : "s", loaded, loaded == 1 ? "" : "s",
	                f.secrets_checked, f.secrets_checked == 1 ? "" : "s");
	if (o->nsources == 0)
		rp_check_add(root, RP_UNKNOWN, "no source given");

	summarize(root, cfg, o, &f, loaded);
	for (size_t i = 0; i < f.n; i++) {
		free(f.items[i].path);
		free(f.items[i].text);
	}
	free(f.items);
	free(f.named);
	free(req);
	return root;
}

void config_source_free(struct config_source *s)
{
	free(s->name);
	free(s->error);
	rp_value_free(s->root);
	rp_dotenv_notes_free(&s->notes);
	rp_strv_free(s->project_keys, s->nproject_keys);
	memset(s, 0, sizeof *s);
}
