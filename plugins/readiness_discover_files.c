/* readiness_discover_files.c: --discover's other finds: wrangler.toml
 * (its bindings, its local D1 copies, its crons), compose files (the
 * ports they publish), SQLite files with their migrations, and what no
 * plugin checks yet (systemd units) or that need a choice (DuckDB, Alembic)
 * as notes. */
#include "readiness_discover.h"
#include "rp_compose.h"
#include "rp_file.h"
#include "rp_secret.h"
#include "rp_text.h"
#include "rp_toml.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ wrangler */

static const char *str_of(const struct rp_value *t, const char *key)
{
	const struct rp_value *v =
	        t && t->type == RP_V_TABLE ? rp_value_table_get(t, key, strlen(key)) : NULL;
	return v && v->type == RP_V_STRING && discover_clean_name(v->s) ? v->s : NULL;
}

static const struct rp_value *array_of(const struct rp_value *t, const char *key)
{
	const struct rp_value *v = rp_value_table_get(t, key, strlen(key));
	return v && v->type == RP_V_ARRAY ? v : NULL;
}

/* The migrations directory of a D1 binding (migrations_dir, default
 * "migrations"), when it was found. */
static const char *d1_migrations(const struct found *f, const char *dir, const struct rp_value *d1)
{
	const char *m = str_of(d1, "migrations_dir");
	char *p = rp_xasprintf("%s/%s", dir, m ? m : "migrations");
	const char *hit = discover_find_path(f, K_MIGRATIONS, p);
	free(p);
	return hit;
}

/* The local copies wrangler keeps of D1 databases, checked against the
 * first binding's migrations. */
static void d1_checks(struct draft *d, const struct found *f, const char *root, const char *dir,
                      const struct rp_value *d1s, bool *db_used, bool *mig_used)
{
	char *state = rp_xasprintf("%s/.wrangler/state/", dir);
	const struct rp_value *first = d1s && d1s->n ? d1s->items[0] : NULL;
	const char *mig = first ? d1_migrations(f, dir, first) : NULL;
	const char *dbname = first ? str_of(first, "database_name") : NULL;
	size_t found = 0;
	for (size_t i = 0; i < f->n[K_DB]; i++) {
		const char *db = f->paths[K_DB][i];
		if (strncmp(db, state, strlen(state)) != 0 || !discover_ends_with(db, ".sqlite"))
			continue;
		db_used[i] = true;
		found++;
		char *why = rp_xasprintf("the local copy of D1 database %s (%s): its tables%s%s "
		                         "(F8, F9)",
		                         dbname ? dbname : "?", discover_rel(root, db),
		                         mig ? ", against the migrations in " : "",
		                         mig ? discover_rel(root, mig) : "");
		char *name = rp_xasprintf("d1-%s", dbname ? dbname : "db");
		discover_sqlite_check(d, name, why, db, mig);
		free(name);
		free(why);
	}
	for (size_t k = 0; mig && found && k < f->n[K_MIGRATIONS]; k++)
		mig_used[k] |= f->paths[K_MIGRATIONS][k] == mig;
	if (d1s && d1s->n && !found)
		discover_comment(&d->notes,
		                 "wrangler.toml binds D1 databases and no local copy was found "
		                 "under .wrangler/state (wrangler d1 migrations apply --local "
		                 "makes one); check the deployed API with check_api");
	free(state);
}

/* What wrangler.toml binds, in a comment; a binding without its id. */
static char *wrangler_summary(const struct rp_value *t, const char *path, bool *need_d1_id,
                              bool *need_kv_id)
{
	const struct rp_value *d1 = array_of(t, "d1_databases"), *kv = array_of(t, "kv_namespaces");
	const struct rp_value *vars = rp_value_table_get(t, "vars", 4);
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "%s: %zu D1 database(s), %zu KV namespace(s), %zu var(s)", path,
	              d1 ? d1->n : 0, kv ? kv->n : 0,
	              vars && vars->type == RP_V_TABLE ? vars->n : 0);
	*need_d1_id = d1 && d1->n;
	*need_kv_id = kv && kv->n;
	for (size_t i = 0; kv && i < kv->n; i++)
		if (!str_of(kv->items[i], "id"))
			rp_buf_printf(&b, "; KV binding %s has no id: it is silently off (F6)",
			              str_of(kv->items[i], "binding")
			                      ? str_of(kv->items[i], "binding")
			                      : "?");
	rp_buf_puts(&b, "; a placeholder secret in vars fails too (F2)");
	return rp_buf_steal(&b);
}

static void cron_note(struct draft *d, const struct rp_value *t)
{
	const struct rp_value *tr = rp_value_table_get(t, "triggers", 8);
	const struct rp_value *crons = tr && tr->type == RP_V_TABLE ? array_of(tr, "crons") : NULL;
	for (size_t i = 0; crons && i < crons->n && i < 4; i++) {
		if (crons->items[i]->type != RP_V_STRING ||
		    !discover_clean_name(crons->items[i]->s))
			continue;
		char *s = rp_xasprintf(
		        "the Worker runs on cron '%s': once you know the table its job "
		        "fills, check the age of the newest row (F10, F11):",
		        crons->items[i]->s);
		discover_comment(&d->notes, s);
		discover_comment(&d->notes,
		                 "check collector = check_sqlite --db FILE --fresh TABLE.COLUMN -w "
		                 "age=10m -c age=30m");
		free(s);
	}
}

void discover_wrangler_checks(struct draft *d, const struct found *f, const char *root,
                              bool *db_used, bool *mig_used)
{
	for (size_t i = 0; i < f->n[K_WRANGLER]; i++) {
		const char *path = f->paths[K_WRANGLER][i];
		size_t len = 0;
		char err[200];
		char *text = rp_file_read(path, READ_MAX, &len, NULL, err, sizeof err);
		struct rp_value *t = text ? rp_toml_parse(text, len, err, sizeof err) : NULL;
		rp_secret_free(text);
		bool d1_id = false, kv_id = false;
		char *why = t ? wrangler_summary(t, discover_rel(root, path), &d1_id, &kv_id)
		              : rp_xasprintf("%s does not parse (%s): the check says where",
		                             discover_rel(root, path), err);
		discover_check_start(d, C_CONFIG, "wrangler", why);
		free(why);
		discover_word(d, C_CONFIG, "check_config");
		discover_word(d, C_CONFIG, "--toml");
		discover_word(d, C_CONFIG, path);
		if (d1_id) {
			discover_word(d, C_CONFIG, "--require");
			discover_word(d, C_CONFIG, "d1_databases[*].database_id");
		}
		if (kv_id) {
			discover_word(d, C_CONFIG, "--require");
			discover_word(d, C_CONFIG, "kv_namespaces[*].id");
		}
		discover_check_end(d, C_CONFIG);
		char *dir = discover_dir_of(path);
		d1_checks(d, f, root, dir, t ? array_of(t, "d1_databases") : NULL, db_used,
		          mig_used);
		if (t)
			cron_note(d, t);
		free(dir);
		rp_value_free(t);
	}
}

/* ------------------------------------------------------------- compose */

/* The protocol a published port most likely speaks, by image or name. */
static const char *scheme_for(const struct rd_compose_port *p)
{
	static const struct {
		const char *word, *scheme;
	} known[] = { { "postgres", "postgres" }, { "redis", "redis" },  { "mysql", "mysql" },
		      { "mariadb", "mysql" },     { "valkey", "redis" }, { NULL, NULL } };
	for (int i = 0; known[i].word; i++)
		if ((p->image && strstr(p->image, known[i].word)) ||
		    strstr(p->service, known[i].word))
			return known[i].scheme;
	return "tcp";
}

/* The settings compose hands the services that are given any: check_config
 * reads them as compose computes them from .env and env_file (F2, F4). */
static void compose_env_check(struct draft *d, const char *root, const char *path)
{
	struct rp_compose c;
	char err[256];
	if (!rp_compose_load(path, &c, err, sizeof err))
		return; /* the ports' reading below says what it can */
	size_t with_env = 0;
	for (size_t i = 0; i < c.n; i++)
		with_env += c.services[i].refused || (c.services[i].env && c.services[i].env->n);
	if (with_env) {
		char *why = rp_xasprintf(
		        "%s: the settings compose gives its %zu service(s) with an environment: "
		        "placeholders, empty secrets, a service compose would refuse to start "
		        "(F2, F4); add --service NAME --require KEY for what each one needs",
		        discover_rel(root, path), with_env);
		discover_check_start(d, C_CONFIG, "compose-env", why);
		free(why);
		discover_word(d, C_CONFIG, "check_config");
		discover_word(d, C_CONFIG, "--compose");
		discover_word(d, C_CONFIG, path);
		discover_check_end(d, C_CONFIG);
	}
	rp_compose_free(&c);
}

void discover_compose_checks(struct draft *d, const struct found *f, const char *root)
{
	for (size_t i = 0; i < f->n[K_COMPOSE]; i++) {
		const char *path = f->paths[K_COMPOSE][i];
		compose_env_check(d, root, path);
		size_t len = 0;
		char *text = rp_file_read(path, READ_MAX, &len, NULL, NULL, 0);
		if (!text)
			continue;
		struct rd_compose c;
		readiness_compose_scan(text, len, &c);
		rp_secret_free(text);
		for (size_t k = 0; k < c.nnotes; k++) {
			char *s = rp_xasprintf("%s: %s", discover_rel(root, path), c.notes[k]);
			discover_comment(&d->notes, s);
			free(s);
		}
		if (c.n) {
			char *why = rp_xasprintf(
			        "%s: the ports its %zu service(s) publish, each probed "
			        "in its protocol where the image says which (tcp: "
			        "give a web service http://HOST:PORT/health) (F12, F13)",
			        discover_rel(root, path), c.nservices);
			discover_check_start(d, C_SERVICES, "compose", why);
			free(why);
			discover_word(d, C_SERVICES, "check_services");
			for (size_t k = 0; k < c.n; k++) {
				const struct rd_compose_port *p = &c.ports[k];
				bool more =
				        (k > 0 && !strcmp(c.ports[k - 1].service, p->service)) ||
				        (k + 1 < c.n &&
				         !strcmp(c.ports[k + 1].service, p->service));
				char *name = more ? rp_xasprintf("%s-%d", p->service, p->port)
				                  : rp_xstrdup(p->service);
				char *spec = rp_xasprintf("%s=%s://%s:%d", name, scheme_for(p),
				                          p->host, p->port);
				discover_word(d, C_SERVICES, "-s");
				discover_word(d, C_SERVICES, spec);
				free(spec);
				free(name);
			}
			discover_check_end(d, C_SERVICES);
		} else {
			char *s = rp_xasprintf(
			        "%s: no service publishes a port (nothing to probe from "
			        "this host)",
			        discover_rel(root, path));
			discover_comment(&d->notes, s);
			free(s);
		}
		readiness_compose_free(&c);
	}
}

/* ------------------------------------------------------------ databases */

enum db_kind { DB_EMPTY, DB_SQLITE, DB_DUCKDB, DB_OTHER, DB_UNREADABLE };

/* By its first bytes, without blocking on anything that is not a file. */
static enum db_kind db_kind(const char *path, off_t *size)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return DB_UNREADABLE;
	}
	*size = st.st_size;
	unsigned char head[16] = { 0 };
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	if (st.st_size == 0)
		return DB_EMPTY;
	if (n == 16 && memcmp(head, "SQLite format 3", 16) == 0)
		return DB_SQLITE;
	if (n >= 12 && memcmp(head + 8, "DUCK", 4) == 0)
		return DB_DUCKDB;
	return DB_OTHER;
}

/* The migrations directory closest above path (its parent an ancestor of
 * path's directory), or NULL. */
static const char *migrations_for(const struct found *f, const char *path, size_t *index)
{
	const char *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < f->n[K_MIGRATIONS]; i++) {
		char *parent = discover_dir_of(f->paths[K_MIGRATIONS][i]);
		size_t n = strlen(parent);
		if (strncmp(path, parent, n) == 0 && path[n] == '/' && n >= best_len) {
			best = f->paths[K_MIGRATIONS][i];
			best_len = n;
			*index = i;
		}
		free(parent);
	}
	return best;
}

static void db_note(struct draft *d, const char *root, const char *path, const char *what)
{
	char *s = rp_xasprintf("%s: %s", discover_rel(root, path), what);
	discover_comment(&d->notes, s);
	free(s);
}

static void db_check(struct draft *d, const struct found *f, const char *root, const char *db,
                     enum db_kind kind, bool *mig_used)
{
	size_t mi = 0;
	const char *mig = migrations_for(f, db, &mi);
	char *why = rp_xasprintf(
	        "%s%s: it opens read-only, has tables%s%s (F7, F8, F9)", discover_rel(root, db),
	        kind == DB_EMPTY ? " is an empty file: no schema was ever created" : "",
	        mig ? ", and the migrations in " : "", mig ? discover_rel(root, mig) : "");
	discover_sqlite_check(d, discover_base_of(db), why, db, mig);
	free(why);
	if (mig)
		mig_used[mi] = true;
}

void discover_db_checks(struct draft *d, const struct found *f, const char *root,
                        const bool *db_used, bool *mig_used, char **url_dbs, size_t nurl_dbs)
{
	for (size_t i = 0; i < f->n[K_DB]; i++) {
		const char *db = f->paths[K_DB][i];
		bool seen = db_used[i];
		for (size_t k = 0; k < nurl_dbs && !seen; k++)
			seen = strcmp(url_dbs[k], db) == 0;
		off_t size = 0;
		enum db_kind kind = seen ? DB_UNREADABLE : db_kind(db, &size);
		if (seen || kind == DB_UNREADABLE)
			continue;
		if (kind == DB_DUCKDB)
			db_note(d, root, db,
			        "a DuckDB database: check_duckdb --db FILE checks it where "
			        "DuckDB's "
			        "library is installed, while the app does not hold it open (not "
			        "added: neither can be seen from here)");
		else if (kind == DB_OTHER)
			db_note(d, root, db,
			        "neither SQLite nor DuckDB by its first bytes: left out");
		else
			db_check(d, f, root, db, kind, mig_used);
	}
	for (size_t k = 0; k < f->n[K_MIGRATIONS]; k++) {
		if (mig_used[k])
			continue;
		db_note(d, root, f->paths[K_MIGRATIONS][k],
		        "migrations, and no database file was found for them: where does the "
		        "app keep it? check_sqlite --db FILE --migrations DIR checks them (F9)");
	}
}

/* --------------------------------------------------------------- units */

void discover_unit_notes(struct draft *d, const struct found *f, const char *root)
{
	if (f->n[K_UNIT]) {
		struct rp_buf b;
		rp_buf_init(&b);
		rp_buf_puts(&b, "systemd units: ");
		for (size_t i = 0; i < f->n[K_UNIT]; i++)
			rp_buf_printf(&b, "%s%s", i ? ", " : "",
			              discover_rel(root, f->paths[K_UNIT][i]));
		rp_buf_puts(&b,
		            ". This suite has no unit check yet; until it has, check what they "
		            "serve: their ports (check_services) and the age of what their timers "
		            "write (check_sqlite --fresh) (F11, F18)");
		discover_comment(&d->notes, b.data);
		rp_buf_free(&b);
	}
	for (size_t i = 0; i < f->n[K_ALEMBIC]; i++)
		db_note(d, root, f->paths[K_ALEMBIC][i],
		        "Alembic migrations: their ledger (alembic_version) lives in the "
		        "application's database; on SQLite or DuckDB, check_sqlite or "
		        "check_duckdb --migrations DIR compares it with the scripts (a database "
		        "server's, no plugin of this suite reads yet)");
}
