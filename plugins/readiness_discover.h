/* readiness_discover.h: what the parts of check_readiness --discover
 * share (readiness_discover.c: the walk, the writing, the assembly;
 * readiness_discover_env.c: .env files and their URLs;
 * readiness_discover_files.c: wrangler.toml, compose files, databases,
 * units). Not for other code. */
#ifndef READINESS_DISCOVER_H
#define READINESS_DISCOVER_H

#include "check_readiness.h"
#include "rp_buf.h"

#include <stdbool.h>
#include <stddef.h>

#define READ_MAX (1024 * 1024) /* bytes read of any one file */

enum kind { K_ENV, K_TEMPLATE, K_WRANGLER, K_COMPOSE, K_UNIT, K_MIGRATIONS, K_DB, K_ALEMBIC, NK };

/* What the walk found, by kind, each list sorted. */
struct found {
	char **paths[NK];
	size_t n[NK];
	size_t entries;
	bool cut;   /* the walk stopped at a bound */
	size_t odd; /* names left out: control characters in them */
};

enum { C_CONFIG, C_DATABASE, C_SERVICES, C_API, NCATS };

/* What the manifest is made of: a buffer per category, and notes. */
struct draft {
	struct rp_buf cat[NCATS];
	size_t nchecks[NCATS];
	char **names[NCATS]; /* check names used, per category */
	size_t nnames[NCATS];
	struct rp_buf notes;
};

bool discover_ends_with(const char *s, const char *suffix);
/* No control character in s: safe in a manifest line. */
bool discover_clean_name(const char *s);
/* "# text": sanitised, so no name or value starts a line of its own. */
void discover_comment(struct rp_buf *b, const char *text);
/* A blank line, "# why", then "check NAME =" (a unique name made from
 * name_from) in category cat; discover_word adds its words, shell-quoted,
 * and discover_check_end the newline. */
void discover_check_start(struct draft *d, int cat, const char *name_from, const char *why);
void discover_word(struct draft *d, int cat, const char *w);
void discover_check_end(struct draft *d, int cat);
/* path relative to root, for comments; its directory (caller frees); its
 * last component. */
const char *discover_rel(const char *root, const char *path);
char *discover_dir_of(const char *path);
const char *discover_base_of(const char *path);
/* "check NAME = check_sqlite --db DB [--migrations DIR]" in [database]. */
void discover_sqlite_check(struct draft *d, const char *name_from, const char *why, const char *db,
                           const char *migrations);
/* The found path equal to path, or NULL. */
const char *discover_find_path(const struct found *f, int kind, const char *path);

/* .env files (a check each, with their templates) and their URLs. */
void discover_env_checks(struct draft *d, const struct found *f, const char *root);
void discover_env_urls(struct draft *d, const char *root, const char *env, char ***dbs,
                       size_t *ndbs);
/* wrangler.toml and its local D1 copies; compose files; the databases and
 * migrations left; units and Alembic as notes. db_used and mig_used mark
 * what a check already covers. */
void discover_wrangler_checks(struct draft *d, const struct found *f, const char *root,
                              bool *db_used, bool *mig_used);
void discover_compose_checks(struct draft *d, const struct found *f, const char *root);
void discover_db_checks(struct draft *d, const struct found *f, const char *root,
                        const bool *db_used, bool *mig_used, char **url_dbs, size_t nurl_dbs);
void discover_unit_notes(struct draft *d, const struct found *f, const char *root);

#endif
