/* rp_alembic.h: Alembic's revision graph, read from a versions/ directory
 * without running Python, and what a database's alembic_version rows say
 * is applied of it.
 *
 * Each migration script declares, at the start of a line, `revision`,
 * `down_revision` (None for a base, a string, or a tuple or list of
 * strings for a merge) and optionally `depends_on`, with or without a type
 * annotation (`revision: str = "abc"`, Alembic 1.11's template). Only
 * literals are read: a value computed by code is reported, not guessed.
 * alembic_version holds one row per head the database is at; a revision
 * is applied when it is one of them or an ancestor of one (through
 * down_revision or depends_on). */
#ifndef RP_ALEMBIC_H
#define RP_ALEMBIC_H

#include <stdbool.h>
#include <stddef.h>

/* Bounds on one script: an identifier's length, the revisions one
 * assignment may name. */
#define RP_ALEMBIC_ID_MAX   128
#define RP_ALEMBIC_REFS_MAX 64
/* At most this much of a script is read: the assignments are at its top. */
#define RP_ALEMBIC_SCRIPT_MAX (1024 * 1024)

struct rp_alembic_rev {
	char *id;
	char *file; /* the script's name in the directory (NULL when parsed from memory) */
	char **down;
	size_t ndown;
	char **deps;
	size_t ndeps;
	/* down_revision or depends_on is not a literal: what it was */
	const char *bad;
	/* after rp_alembic_order: the indexes of down (first ndown) and of
	 * the depends_on revisions found in the tree */
	size_t *up;
	size_t nup;
};

struct rp_alembic_key {
	const char *id;
	size_t index;
};

struct rp_alembic_tree {
	struct rp_alembic_rev *revs; /* base first once ordered */
	size_t n;
	struct rp_alembic_key *keys; /* by id, once ordered */
};

/* Reads one script's declarations. False when it declares no revision
 * (rev is then empty); true with rev->bad set when down_revision or
 * depends_on is not a literal. Free with rp_alembic_rev_free. */
bool rp_alembic_parse(const char *text, size_t len, struct rp_alembic_rev *rev);
void rp_alembic_rev_free(struct rp_alembic_rev *rev);

/* Adds rev to t (t owns it then). */
void rp_alembic_tree_add(struct rp_alembic_tree *t, struct rp_alembic_rev *rev);
void rp_alembic_tree_free(struct rp_alembic_tree *t);

/* Reads every script in dir (*.py but __init__.py; files declaring no
 * revision are left out, as helpers), at most max of them. False with err
 * when dir cannot be read or holds more than max scripts. */
bool rp_alembic_read_dir(const char *dir, size_t max, struct rp_alembic_tree *t, char *err,
                         size_t errlen);

/* Orders t base first (a revision after everything it revises or depends
 * on) and resolves each rev's up. False with err in words when two scripts
 * declare one revision, a down_revision names a revision no script
 * declares, a value is not a literal, or the revisions form a cycle. */
bool rp_alembic_order(struct rp_alembic_tree *t, char *err, size_t errlen);

/* The index of revision id in an ordered tree, or (size_t)-1. */
size_t rp_alembic_find(const struct rp_alembic_tree *t, const char *id);

/* For an ordered tree and the database's versions: applied[i] for each
 * revision, and unknown[v] for each version no script declares (both
 * caller-allocated). Returns how many revisions are applied. */
size_t rp_alembic_applied(const struct rp_alembic_tree *t, char *const *versions, size_t nversions,
                          bool *applied, bool *unknown);

/* The heads of an ordered tree: the revisions no other revises (their
 * indexes in heads, caller-allocated with t->n entries). */
size_t rp_alembic_heads(const struct rp_alembic_tree *t, size_t *heads);

#endif
