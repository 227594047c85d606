/* readiness_discover_env.c: --discover's .env files: a check_config
 * check each (with the template beside it), and what their URLs name:
 * APIs, services, SQLite databases. A URL loses its credentials and query;
 * one that is a credential itself is not written. */
#include "readiness_discover.h"
#include "rp_dotenv.h"
#include "rp_file.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ env files */

/* The template beside an env file: NAME.example, else the directory's
 * .env.example (or .dev.vars.example for .dev.vars). */
static const char *template_for(const struct found *f, const char *env)
{
	char *dir = discover_dir_of(env);
	const char *base = discover_base_of(env);
	bool vars = strcmp(base, ".dev.vars") == 0;
	static const char *const dotenv[] = { ".env.example", ".env.sample", ".env.template",
		                              ".env.dist", NULL };
	char *p = rp_xasprintf("%s/%s.example", dir, base);
	const char *t = discover_find_path(f, K_TEMPLATE, p);
	for (int i = 0; !t && !vars && dotenv[i]; i++) {
		free(p);
		p = rp_xasprintf("%s/%s", dir, dotenv[i]);
		t = discover_find_path(f, K_TEMPLATE, p);
	}
	free(p);
	free(dir);
	return t;
}

void discover_env_checks(struct draft *d, const struct found *f, const char *root)
{
	bool *used = rp_xcalloc(f->n[K_TEMPLATE] + 1, sizeof *used);
	for (size_t i = 0; i < f->n[K_ENV]; i++) {
		const char *env = f->paths[K_ENV][i], *t = template_for(f, env);
		char *why =
		        t ? rp_xasprintf("%s: the settings the app reads, against %s (the keys "
		                         "it needs); placeholders and weak secrets fail (F2, F3)",
		                         discover_rel(root, env), discover_rel(root, t))
		          : rp_xasprintf("%s: the settings the app reads; placeholders and weak "
		                         "secrets fail (F2)",
		                         discover_rel(root, env));
		discover_check_start(d, C_CONFIG, discover_base_of(env), why);
		free(why);
		discover_word(d, C_CONFIG, "check_config");
		discover_word(d, C_CONFIG, "--env-file");
		discover_word(d, C_CONFIG, env);
		for (size_t k = 0; t && k < f->n[K_TEMPLATE]; k++)
			used[k] |= f->paths[K_TEMPLATE][k] == t;
		if (t) {
			discover_word(d, C_CONFIG, "--template");
			discover_word(d, C_CONFIG, t);
		}
		discover_check_end(d, C_CONFIG);
	}
	/* a template alone: the deployment's own file is missing (F3) */
	for (size_t k = 0; k < f->n[K_TEMPLATE]; k++) {
		if (used[k])
			continue;
		const char *t = f->paths[K_TEMPLATE][k];
		char *dir = discover_dir_of(t);
		char *env = rp_xasprintf("%s/%s", dir,
		                         strcmp(discover_base_of(t), ".dev.vars.example") == 0
		                                 ? ".dev.vars"
		                                 : ".env");
		char *why = rp_xasprintf("%s names the settings the app needs, and no file with "
		                         "them was found beside it: this check fails until %s "
		                         "exists (F3)",
		                         discover_rel(root, t), discover_rel(root, env));
		discover_check_start(d, C_CONFIG, discover_base_of(env), why);
		free(why);
		discover_word(d, C_CONFIG, "check_config");
		discover_word(d, C_CONFIG, "--env-file");
		discover_word(d, C_CONFIG, env);
		discover_word(d, C_CONFIG, "--template");
		discover_word(d, C_CONFIG, t);
		discover_check_end(d, C_CONFIG);
		free(env);
		free(dir);
	}
	free(used);
}

/* ------------------------------------------------------- URLs in .env */

static int default_port(const char *scheme)
{
	static const struct {
		const char *scheme;
		int port;
	} ports[] = { { "postgres", 5432 }, { "postgresql", 5432 }, { "redis", 6379 },
		      { "rediss", 6379 },   { "mysql", 3306 },      { "smtp", 25 },
		      { NULL, 0 } };
	for (int i = 0; ports[i].scheme; i++)
		if (strcmp(scheme, ports[i].scheme) == 0)
			return ports[i].port;
	return 0;
}

/* Keys whose URL is itself a credential (a webhook, a signed URL). */
static bool secret_url_key(const char *key)
{
	static const char *const words[] = { "WEBHOOK", "SECRET",   "TOKEN",
		                             "SIGNED",  "PASSWORD", NULL };
	for (int i = 0; words[i]; i++)
		if (strstr(key, words[i]))
			return true;
	return false;
}

static bool url_key(const char *key)
{
	return discover_ends_with(key, "_URL") || discover_ends_with(key, "_URI") ||
	       discover_ends_with(key, "_DSN") || strcmp(key, "URL") == 0;
}

/* "NAME_URL" -> "name" */
static char *service_name(const char *key)
{
	size_t n = strlen(key);
	if (n > 4 && (discover_ends_with(key, "_URL") || discover_ends_with(key, "_URI") ||
	              discover_ends_with(key, "_DSN")))
		n -= 4;
	char *s = rp_xstrndup(key, n);
	for (char *p = s; *p; p++)
		*p = *p == '_' ? '-' : (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	return s;
}

/* What one env file's URLs give: a check per HTTP URL, one check_services
 * for the rest, a database check per sqlite:// URL. */
struct urls {
	struct draft *d;
	const char *root, *env;
	struct rp_buf services; /* " -s name=url" words */
	struct rp_buf names;    /* "DATABASE_URL, REDIS_URL" */
	bool dropped;           /* credentials or a query left out */
	char ***dbs;            /* database paths already checked */
	size_t *ndbs;
};

static void url_note(struct urls *x, const char *key, const char *what)
{
	char *s = rp_xasprintf("%s in %s: %s", key, discover_rel(x->root, x->env), what);
	discover_comment(&x->d->notes, s);
	free(s);
}

static void http_url(struct urls *x, const char *key, const struct rd_url *u)
{
	char *url =
	        u->port ? rp_xasprintf("%s://%s:%d%s", u->scheme, u->host, u->port,
	                               *u->path ? u->path : "/")
	                : rp_xasprintf("%s://%s%s", u->scheme, u->host, *u->path ? u->path : "/");
	char *why = rp_xasprintf("%s in %s: does it answer? (add --health for a health endpoint, "
	                         "--token-file FILE for one behind a token)%s%s",
	                         key, discover_rel(x->root, x->env),
	                         u->creds ? "; the credentials in it were left out" : "",
	                         u->query ? "; its query was left out" : "");
	discover_check_start(x->d, C_API, key, why);
	discover_word(x->d, C_API, "check_api");
	discover_word(x->d, C_API, "-u");
	discover_word(x->d, C_API, url);
	discover_check_end(x->d, C_API);
	free(why);
	free(url);
}

static void sqlite_url(struct urls *x, const char *key, const struct rd_url *u)
{
	/* SQLAlchemy: sqlite:////abs/app.db is absolute, sqlite:///app.db relative */
	const char *p = u->path;
	if (!*p || !p[1])
		return;
	char *dir = discover_dir_of(x->env);
	char *path = p[1] == '/' ? rp_xstrdup(p + 1) : rp_xasprintf("%s/%s", dir, p + 1);
	free(dir);
	if (!discover_clean_name(path)) {
		free(path);
		return;
	}
	char *why = rp_xasprintf("%s in %s names this SQLite database: it opens, and has tables "
	                         "(F7, F8)",
	                         key, discover_rel(x->root, x->env));
	discover_sqlite_check(x->d, discover_base_of(path), why, path, NULL);
	rp_strv_push(x->dbs, x->ndbs, path);
	free(why);
	free(path);
}

static bool service_scheme(const char *s)
{
	static const char *const schemes[] = { "postgres", "postgresql", "redis", "rediss",
		                               "mysql",    "ws",         "wss",   "tcp",
		                               "tls",      "smtp",       "smtps", NULL };
	for (int i = 0; schemes[i]; i++)
		if (strcmp(s, schemes[i]) == 0)
			return true;
	return false;
}

static void service_url(struct urls *x, const char *key, const struct rd_url *u)
{
	int port = u->port ? u->port : default_port(u->scheme);
	struct rp_buf url;
	rp_buf_init(&url);
	char *name = service_name(key);
	rp_buf_printf(&url, "%s=%s://%s", name, u->scheme, u->host);
	if (port)
		rp_buf_printf(&url, ":%d", port);
	bool ws = !strcmp(u->scheme, "ws") || !strcmp(u->scheme, "wss");
	bool pg = !strcmp(u->scheme, "postgres") || !strcmp(u->scheme, "postgresql");
	if (ws)
		rp_buf_puts(&url, *u->path ? u->path : "/");
	if (pg && u->user[0])
		rp_buf_printf(&url, "?user=%s", u->user);
	if (pg && u->path[0] == '/' && u->path[1])
		rp_buf_printf(&url, "%sdbname=%s", u->user[0] ? "&" : "?", u->path + 1);
	rp_buf_putc(&x->services, ' ');
	rp_text_shell_word(&x->services, "-s");
	rp_buf_putc(&x->services, ' ');
	rp_text_shell_word(&x->services, url.data);
	rp_buf_printf(&x->names, "%s%s", x->names.len ? ", " : "", key);
	x->dropped |= u->creds || (u->query && !pg);
	free(name);
	rp_buf_free(&url);
}

static void url_found(struct urls *x, const char *key, const char *value)
{
	struct rd_url u;
	if (!url_key(key) || !readiness_url_parse(value, &u))
		return;
	if (strstr(value, "${") || !discover_clean_name(value) || strchr(value, ' ')) {
		url_note(x, key, "a URL built from variables: not written here");
	} else if (secret_url_key(key) || u.secret_path) {
		url_note(x, key,
		         "a URL that is a credential itself (a webhook?): not written here");
	} else if (!strcmp(u.scheme, "http") || !strcmp(u.scheme, "https")) {
		http_url(x, key, &u);
	} else if (!strcmp(u.scheme, "sqlite")) {
		sqlite_url(x, key, &u);
	} else if (service_scheme(u.scheme)) {
		service_url(x, key, &u);
	} else {
		char *what = rp_xasprintf("a %s:// URL; no plugin of this suite speaks it yet",
		                          u.scheme);
		url_note(x, key, what);
		free(what);
	}
}

void discover_env_urls(struct draft *d, const char *root, const char *env, char ***dbs,
                       size_t *ndbs)
{
	size_t len = 0;
	char *text = rp_file_read(env, READ_MAX, &len, NULL, NULL, 0);
	if (!text)
		return;
	char err[200];
	struct rp_dotenv_notes notes = { 0 };
	struct rp_value *t = rp_dotenv_parse(text, len, &notes, err, sizeof err);
	struct urls x = { .d = d, .root = root, .env = env, .dbs = dbs, .ndbs = ndbs };
	rp_buf_init(&x.services);
	rp_buf_init(&x.names);
	for (size_t i = 0; t && i < t->n; i++)
		if (t->items[i]->type == RP_V_STRING)
			url_found(&x, t->keys[i].s, t->items[i]->s);
	if (x.services.len) {
		char *why = rp_xasprintf("%s in %s: each answers in its own protocol (F12, F13)%s",
		                         x.names.data, discover_rel(root, env),
		                         x.dropped ? "; credentials left out: add "
		                                     "?password-file=FILE where one is needed"
		                                   : "");
		char *name = rp_xasprintf("%s-urls", discover_base_of(env));
		discover_check_start(d, C_SERVICES, name, why);
		discover_word(d, C_SERVICES, "check_services");
		rp_buf_puts(&d->cat[C_SERVICES], x.services.data);
		discover_check_end(d, C_SERVICES);
		free(name);
		free(why);
	}
	rp_buf_free(&x.services);
	rp_buf_free(&x.names);
	rp_value_free(t);
	rp_dotenv_notes_free(&notes);
	rp_secret_free(text);
}
