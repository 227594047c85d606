/* rp_manifest.h: check_readiness's manifest (check_readiness-manifest(5)).
 *
 *   # comment              ; comment too
 *   [readiness]            global: jobs, timeout, warning, critical, plugin-dir
 *   include = other.ini    relative to this file; at most 8 deep, no cycles
 *   [database]             every other section is a category
 *   weight = 3
 *   blocking = yes
 *   timeout = 10
 *   check schema = check_sqlite --db /srv/app.db --migrations '/srv/my migrations'
 *   [api]
 *   requires = database           every check of [api] needs every check of [database]
 *   requires login = auth/config  one check needs one check
 *
 * A command is split into words as a POSIX shell splits them (single and
 * double quotes, backslash) but nothing is expanded and no shell runs. A
 * comment starts at '#' or ';' at the start of a line or after white space,
 * outside quotes. Errors name the file and the line. */
#ifndef RP_MANIFEST_H
#define RP_MANIFEST_H

#include "rp_range.h"

#include <stdbool.h>
#include <stddef.h>

/* "requires = CATEGORY[/CHECK], ..." as written, resolved once every
 * manifest is loaded (rp_manifest_resolve). */
struct rp_mf_require {
	char *from;     /* the check it is for in its category; NULL: every check */
	char *category; /* what is required */
	char *check;    /* NULL: every check of category */
	char *file;
	int line;
};

struct rp_mf_check {
	char *name;
	char **argv; /* NULL-terminated */
	size_t argc;
	char *file; /* where it was defined */
	int line;
	/* resolved: the checks it requires, its own and its category's */
	const struct rp_mf_check **needs;
	size_t nneeds;
	int depth; /* the longest chain of requirements under it (0: none) */
};

struct rp_mf_category {
	char *name;
	double weight;        /* default 1 */
	bool blocking;        /* default no */
	double timeout;       /* per check, default 10 s */
	bool score_subchecks; /* score = sub-checks: a check by its own lines' states */
	struct rp_mf_check *checks;
	size_t n;
	struct rp_mf_require *requires;
	size_t nrequires;
};

struct rp_manifest {
	int jobs;       /* 0: not set */
	double timeout; /* whole run; 0: not set */
	char *warning;  /* ranges on the score as written; NULL: not set */
	char *critical;
	char *plugin_dir;         /* NULL: not set */
	bool requires_warning_ok; /* requires-state = warning: a WARNING requirement is met */
	int depth;                /* the longest chain of requirements (rp_manifest_resolve) */
	struct rp_mf_category *cats;
	size_t ncats;
};

/* Splits a command into words. NULL with err on an unterminated quote or
 * an empty command. */
char **rp_manifest_split_words(const char *s, size_t *argc, char *err, size_t errlen);

/* Reads path into m (which may already hold categories from an earlier
 * manifest: a category of the same name gets more checks). false with err
 * ("file, line N: why") on the first error. */
bool rp_manifest_load(struct rp_manifest *m, const char *path, char *err, size_t errlen);
/* The same on text already in memory (name is used in messages and to
 * resolve include). */
bool rp_manifest_parse(struct rp_manifest *m, const char *name, const char *text, char *err,
                       size_t errlen);
/* After the last load: resolves every requires to the checks it names.
 * false with err ("file, line N: why") for a name that is not in the
 * manifest or a cycle ("a cycle: a/x -> b/y -> a/x"). Loading more after
 * it is not allowed (the checks' arrays would move). */
bool rp_manifest_resolve(struct rp_manifest *m, char *err, size_t errlen);
/* The category a resolved check belongs to. */
const struct rp_mf_category *rp_manifest_category_of(const struct rp_manifest *m,
                                                     const struct rp_mf_check *ck);
void rp_manifest_free(struct rp_manifest *m);

#endif
