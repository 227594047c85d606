/* sqlite_eval_migrations.c: check_sqlite's verdict on migrations: the
 * shipped ones against the ledger, per layout (SQL files and Django's
 * apps matched by name, Alembic's revisions through their graph). Pure. */
#include "check_sqlite.h"
#include "rp_migration.h"
#include "rp_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where the probe looked, for "no ledger in the database (...)". */
static const char *looked_for(const struct sqlite_config *cfg,
                              const struct sqlite_migrations_obs *m)
{
	if (cfg->migrations_table)
		return cfg->migrations_table;
	switch (m->layout) {
	case LAYOUT_ALEMBIC:
		return "alembic_version";
	case LAYOUT_DJANGO:
		return "django_migrations";
	case LAYOUT_SQL:
		break;
	}
	return "d1_migrations, _prisma_migrations, flyway_schema_history, "
	       "knex_migrations, goose_db_version, __drizzle_migrations, schema_migrations; "
	       "PRAGMA user_version is 0";
}

/* Pending migrations are CRITICAL unless -w/-c pending say otherwise. */
static enum rp_state pending_state(struct rp_check *root, size_t npending,
                                   const struct rp_thresholds *t)
{
	if (rp_thresholds_has(t, "pending"))
		return rp_check_metric(root, "pending", (double)npending, RP_UNIT_NONE, t);
	rp_check_add_perf(root, "pending", (double)npending, RP_UNIT_NONE, t);
	return npending ? RP_CRITICAL : RP_OK;
}

/* Which files the ledger records as applied. */
static bool *applied_files(const struct sqlite_migrations_obs *m, bool **entry_used)
{
	bool *applied = rp_xcalloc(m->nfiles + 1, sizeof *applied);
	*entry_used = rp_xcalloc(m->napplied + 1, sizeof **entry_used);
	for (size_t f = 0; f < m->nfiles; f++) {
		switch (m->kind) {
		case LEDGER_ROWS:
			for (size_t e = 0; e < m->napplied; e++) {
				if (rp_migration_matches(m->files[f], m->applied[e])) {
					applied[f] = true;
					(*entry_used)[e] = true;
				}
			}
			break;
		case LEDGER_UPTO: {
			char v[RP_MIGRATION_NAME_MAX];
			applied[f] = m->upto && rp_migration_version(m->files[f], v, sizeof v) &&
			             rp_migration_version_cmp(v, m->upto) <= 0;
			break;
		}
		case LEDGER_COUNT:
			applied[f] = (long long)f < m->count;
			break;
		case LEDGER_NONE:
		case LEDGER_ALEMBIC: /* eval_alembic's */
			break;
		}
	}
	return applied;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tables the applied migrations leave behind, which the database
 * lacks: a ledger that says "applied" over a database recreated or
 * emptied behind its back is F9 all the same. Only when every migration
 * could be read (one unread might rename or drop). */
static void eval_migrated_tables(struct rp_check *root, const struct sqlite_observed *o,
                                 const bool *applied)
{
	const struct sqlite_migrations_obs *m = &o->migrations;
	if (!m->all_read || !m->ops)
		return;
	char **want = NULL;
	size_t nwant = 0, napplied = 0;
	for (size_t f = 0; f < m->nfiles; f++)
		if (applied[f]) {
			rp_migration_sql_apply(m->ops[f], m->nops[f], &want, &nwant);
			napplied++;
		}
	/* the database's tables as the migrations' names are: lower-cased,
	 * sorted, looked up by bisection (thousands of tables stay cheap) */
	char **have = rp_xcalloc(o->ntables + 1, sizeof *have);
	for (size_t i = 0; i < o->ntables; i++) {
		have[i] = rp_xstrdup(o->tables[i]);
		for (char *c = have[i]; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	}
	qsort(have, o->ntables, sizeof *have, by_name);
	char **missing = rp_xcalloc(nwant + 1, sizeof *missing);
	size_t nmissing = 0;
	for (size_t i = 0; i < nwant; i++)
		if (!bsearch(&want[i], have, o->ntables, sizeof *have, by_name))
			missing[nmissing++] = want[i];
	rp_strv_free(have, o->ntables);
	if (nmissing) {
		struct rp_buf b;
		rp_buf_init(&b);
		rp_buf_printf(
		        &b,
		        "migrations: the ledger says %zu applied, yet %zu table%s they create "
		        "%s missing (recreated or emptied behind the ledger?): ",
		        napplied, nmissing, nmissing == 1 ? "" : "s", nmissing == 1 ? "is" : "are");
		sqlite_list_names(&b, missing, nmissing);
		rp_check_add(root, RP_CRITICAL, "%s", rp_check_clean(root, b.data, 400));
		rp_buf_free(&b);
	}
	free(missing);
	rp_strv_free(want, nwant);
}

static void eval_listed(struct rp_check *root, const struct sqlite_config *cfg,
                        const struct sqlite_observed *o, const struct rp_thresholds *t)
{
	const struct sqlite_migrations_obs *m = &o->migrations;
	bool *entry_used;
	bool *applied = applied_files(m, &entry_used);
	/* the migrations Django leaves out of its plan for a squashed one */
	bool *skip = rp_xcalloc(m->nfiles + 1, sizeof *skip);
	if (m->layout == LAYOUT_DJANGO && m->django.n == m->nfiles)
		rp_django_squashed(&m->django, m->applied, m->napplied, applied, skip, entry_used);
	char **pending = rp_xcalloc(m->nfiles + 1, sizeof *pending);
	size_t npending = 0, nfiles = 0;
	for (size_t f = 0; f < m->nfiles; f++) {
		nfiles += !skip[f];
		if (!applied[f] && !skip[f])
			pending[npending++] = m->files[f];
	}

	const char *ledger = rp_check_clean(root, m->ledger ? m->ledger : "no ledger", 80);
	enum rp_state st = pending_state(root, npending, t);

	struct rp_buf b;
	rp_buf_init(&b);
	if (m->kind == LEDGER_NONE && m->nfiles) {
		rp_buf_printf(
		        &b,
		        "migrations: all %zu pending, no ledger in the database (looked for %s): ",
		        nfiles, looked_for(cfg, m));
		sqlite_list_names(&b, pending, npending);
	} else if (npending) {
		rp_buf_printf(&b, "migrations: %zu of %zu pending (%s): ", npending, nfiles,
		              ledger);
		sqlite_list_names(&b, pending, npending);
	} else {
		rp_buf_printf(&b, "migrations: all %zu applied (%s)", nfiles, ledger);
	}
	rp_check_add(root, st, "%s", b.data);
	rp_buf_free(&b);
	eval_migrated_tables(root, o, applied);

	if (m->kind == LEDGER_UPTO && m->dirty) {
		const char *v = rp_check_clean(root, m->upto ? m->upto : "?", 80);
		rp_check_add(
		        root, RP_CRITICAL,
		        "migrations: dirty at version %s (a migration failed midway; fix it, then "
		        "force the version)",
		        v);
	}
	if (m->kind == LEDGER_ROWS) {
		size_t orphans = 0;
		char **names = rp_xcalloc(m->napplied + 1, sizeof *names);
		for (size_t e = 0; e < m->napplied; e++)
			if (!entry_used[e])
				names[orphans++] = m->applied[e];
		if (orphans) {
			rp_buf_init(&b);
			rp_buf_printf(&b, "migrations: %zu applied with no file in %s: ", orphans,
			              cfg->migrations_dir);
			sqlite_list_names(&b, names, orphans);
			rp_check_add(root, RP_WARNING, "%s", b.data);
			rp_buf_free(&b);
		}
		free(names);
	}
	if (m->kind == LEDGER_COUNT && m->count > (long long)m->nfiles)
		rp_check_add(root, RP_WARNING,
		             "migrations: %s counts %lld applied, but only %zu file%s shipped",
		             ledger, m->count, m->nfiles, m->nfiles == 1 ? " is" : "s are");
	free(pending);
	free(applied);
	free(skip);
	free(entry_used);
}

/* "abc123" or "a, b" or "base" (no row: nothing applied). */
static void list_or(struct rp_buf *b, char *const *names, size_t n, const char *none)
{
	if (n)
		sqlite_list_names(b, names, n);
	else
		rp_buf_puts(b, none);
}

/* The database at versions no script declares: it was migrated by newer
 * code, or another branch's. What is pending cannot be told. */
static bool alembic_unknown(struct rp_check *root, const struct sqlite_config *cfg,
                            const struct sqlite_migrations_obs *m, const bool *unknown,
                            const struct rp_thresholds *t)
{
	char **names = rp_xcalloc(m->napplied + 1, sizeof *names);
	size_t n = 0;
	for (size_t v = 0; v < m->napplied; v++)
		if (unknown[v])
			names[n++] = m->applied[v];
	if (n) {
		struct rp_buf b;
		rp_buf_init(&b);
		rp_buf_printf(&b, "migrations: the database is at ");
		sqlite_list_names(&b, names, n);
		rp_buf_printf(&b,
		              ", which no script in %s declares (migrated by newer code, or "
		              "another branch's): pending not known",
		              cfg->migrations_dir);
		rp_check_add(root, RP_WARNING, "%s", rp_check_clean(root, b.data, 400));
		rp_check_add_perf_unknown(root, "pending", RP_UNIT_NONE, t);
		rp_buf_free(&b);
	}
	free(names);
	return n > 0;
}

static void eval_alembic(struct rp_check *root, const struct sqlite_config *cfg,
                         const struct sqlite_observed *o, const struct rp_thresholds *t)
{
	const struct sqlite_migrations_obs *m = &o->migrations;
	const struct rp_alembic_tree *tree = &m->alembic;
	bool *applied = rp_xcalloc(tree->n + 1, sizeof *applied);
	bool *unknown = rp_xcalloc(m->napplied + 1, sizeof *unknown);
	rp_alembic_applied(tree, m->applied, m->napplied, applied, unknown);
	if (!alembic_unknown(root, cfg, m, unknown, t)) {
		char **pending = rp_xcalloc(tree->n + 1, sizeof *pending);
		char **heads = rp_xcalloc(tree->n + 1, sizeof *heads);
		size_t *at = rp_xcalloc(tree->n + 1, sizeof *at);
		size_t npending = 0, nheads = rp_alembic_heads(tree, at);
		for (size_t i = 0; i < tree->n; i++)
			if (!applied[i])
				pending[npending++] = tree->revs[i].id;
		for (size_t i = 0; i < nheads; i++)
			heads[i] = tree->revs[at[i]].id;
		enum rp_state st = pending_state(root, npending, t);
		struct rp_buf b;
		rp_buf_init(&b);
		if (m->kind == LEDGER_NONE) {
			rp_buf_printf(&b,
			              "migrations: all %zu pending, no ledger in the database "
			              "(looked for %s): ",
			              npending, looked_for(cfg, m));
			sqlite_list_names(&b, pending, npending);
		} else if (npending) {
			rp_buf_puts(&b, "migrations: database at ");
			list_or(&b, m->applied, m->napplied, "base (no row)");
			rp_buf_printf(&b, ", head%s ", nheads == 1 ? " is" : "s are");
			sqlite_list_names(&b, heads, nheads);
			rp_buf_printf(&b, ", %zu revision%s behind: ", npending,
			              npending == 1 ? "" : "s");
			sqlite_list_names(&b, pending, npending);
			rp_buf_printf(&b, " (%s)", m->ledger);
		} else {
			rp_buf_printf(&b, "migrations: at head%s ", nheads == 1 ? "" : "s");
			sqlite_list_names(&b, heads, nheads);
			rp_buf_printf(&b, " (%s, %zu revision%s)", m->ledger, tree->n,
			              tree->n == 1 ? "" : "s");
		}
		rp_check_add(root, st, "%s", rp_check_clean(root, b.data, 400));
		rp_buf_free(&b);
		free(pending), free(heads), free(at);
	}
	free(applied), free(unknown);
}

void sqlite_eval_migrations(struct rp_check *root, const struct sqlite_config *cfg,
                            const struct sqlite_observed *o, const struct rp_thresholds *t)
{
	const struct sqlite_migrations_obs *m = &o->migrations;
	if (!cfg->migrations_dir)
		return;
	const char *why = m->error ? m->error : m->tree_error;
	if (why) {
		rp_check_add(root, RP_UNKNOWN, "migrations: %s", rp_check_clean(root, why, 160));
		return;
	}
	if (m->layout == LAYOUT_ALEMBIC)
		eval_alembic(root, cfg, o, t);
	else
		eval_listed(root, cfg, o, t);
}

void sqlite_migrations_free(struct sqlite_migrations_obs *m)
{
	free(m->error);
	free(m->tree_error);
	rp_strv_free(m->files, m->nfiles);
	rp_alembic_tree_free(&m->alembic);
	rp_django_listing_free(&m->django);
	free(m->ledger);
	rp_strv_free(m->applied, m->napplied);
	for (size_t i = 0; m->ops && i < m->nfiles; i++)
		rp_migration_sql_free(m->ops[i], m->nops[i]);
	free(m->ops);
	free(m->nops);
	free(m->upto);
}
