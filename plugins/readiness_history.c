/* readiness_history.c: check_readiness --history FILE.db. Every run is
 * recorded in a SQLite database of check_readiness' own (never one it
 * checks): the time, the score, the state, and each check's state and
 * first line; and the run says what changed since the previous one. WAL
 * and a busy timeout let two runs that overlap both record. */
#include "check_readiness.h"
#include "rp_text.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* results.state: 0-3 as plugins, or this for a check skipped (requires) */
#define STATE_SKIPPED 4

static int state_of(const struct rd_result *r)
{
	return r->skipped ? STATE_SKIPPED : (int)r->state;
}

static const char *state_text(int st)
{
	return st == STATE_SKIPPED ? "SKIPPED" : rp_state_text((enum rp_state)st);
}

/* Kept back from the run's deadline while waiting for a locked history. */
#define BUSY_MARGIN_MS 250

static const char schema[] =
        "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
        " score REAL NOT NULL, state INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS results(run INTEGER NOT NULL, category TEXT NOT NULL,"
        " name TEXT NOT NULL, state INTEGER NOT NULL, summary TEXT);"
        "CREATE INDEX IF NOT EXISTS results_run ON results(run);"
        "CREATE INDEX IF NOT EXISTS runs_at ON runs(at);";

struct previous {
	bool found;
	sqlite3_int64 id, at;
	double score;
	char **keys; /* "category/name" */
	int *states;
	size_t n;
};

static void previous_free(struct previous *p)
{
	rp_strv_free(p->keys, p->n);
	free(p->states);
}

static bool load_previous(sqlite3 *db, struct previous *p)
{
	sqlite3_stmt *st;
	memset(p, 0, sizeof *p);
	if (sqlite3_prepare_v2(db, "SELECT id, at, score FROM runs ORDER BY id DESC LIMIT 1", -1,
	                       &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		p->found = true;
		p->id = sqlite3_column_int64(st, 0);
		p->at = sqlite3_column_int64(st, 1);
		p->score = sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
	if (!p->found)
		return true;
	if (sqlite3_prepare_v2(db,
	                       "SELECT category || '/' || name, state FROM results WHERE run = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, p->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		p->keys = rp_xreallocarray(p->keys, p->n + 1, sizeof *p->keys);
		p->states = rp_xreallocarray(p->states, p->n + 1, sizeof *p->states);
		const char *k = (const char *)sqlite3_column_text(st, 0);
		p->keys[p->n] = rp_xstrdup(k ? k : "");
		p->states[p->n++] = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return true;
}

static int previous_state(const struct previous *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->states[i];
	return -1;
}

static bool record(sqlite3 *db, time_t now, double score, enum rp_state state,
                   const struct rd_result *res, size_t n, double keep_days)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO runs(at, score, state) VALUES (?, ?, ?)", -1, &st,
	                       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_double(st, 2, score);
	sqlite3_bind_int(st, 3, (int)state);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	sqlite3_int64 run = sqlite3_last_insert_rowid(db);
	if (!ok || sqlite3_prepare_v2(db,
	                              "INSERT INTO results(run, category, name, state, summary) "
	                              "VALUES (?, ?, ?, ?, ?)",
	                              -1, &st, NULL) != SQLITE_OK)
		return false;
	for (size_t i = 0; i < n && ok; i++) {
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_text(st, 2, res[i].cat->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, res[i].def->name, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, state_of(&res[i]));
		sqlite3_bind_text(st, 5, res[i].summary ? res[i].summary : "", -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (ok && keep_days > 0) {
		sqlite3_int64 cut = (sqlite3_int64)now - (sqlite3_int64)(keep_days * 86400);
		char *sql = sqlite3_mprintf("DELETE FROM results WHERE run IN (SELECT id FROM runs "
		                            "WHERE at < %lld); DELETE FROM runs WHERE at < %lld;",
		                            cut, cut);
		ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
		sqlite3_free(sql);
	}
	return ok;
}

/* "newly failing: auth/config; recovered: database/fresh; score 55 -> 80" */
static void describe_changes(struct rp_check *root, const struct previous *p, time_t now,
                             double score, const struct rd_result *res, size_t n)
{
	char num[RP_NUMBUF], num2[RP_NUMBUF];
	if (!p->found) {
		rp_check_note(root, "history: the first recorded run");
		return;
	}
	/* every change of state, by kind: newly failing (was OK, or not
	 * known), recovered (is OK), changed (not OK before or after: UNKNOWN
	 * -> CRITICAL, CRITICAL -> SKIPPED); a check skipped now, that was not
	 * failing before, is its requirement's news, not its own */
	struct rp_buf failing, recovered, changed;
	rp_buf_init(&failing);
	rp_buf_init(&recovered);
	rp_buf_init(&changed);
	for (size_t i = 0; i < n; i++) {
		char *key = rp_xasprintf("%s/%s", res[i].cat->name, res[i].def->name);
		int before = previous_state(p, key);
		int now_st = state_of(&res[i]);
		bool was_failing = before > 0 && before != STATE_SKIPPED;
		if (now_st == STATE_SKIPPED && !was_failing) {
			/* its requirement's news */
		} else if (now_st != RP_OK && !was_failing)
			rp_buf_printf(&failing, "%s%s", failing.len ? ", " : "", key);
		else if (now_st == RP_OK && before > 0)
			rp_buf_printf(&recovered, "%s%s", recovered.len ? ", " : "", key);
		else if (was_failing && now_st != before)
			rp_buf_printf(&changed, "%s%s %s -> %s", changed.len ? ", " : "", key,
			              state_text(before), state_text(now_st));
		free(key);
	}
	struct rp_buf line;
	rp_buf_init(&line);
	rp_buf_printf(&line, "since the previous run (%lld s ago): score %s -> %s",
	              (long long)(now - p->at), rp_number_format(p->score, num),
	              rp_number_format(score, num2));
	if (failing.len)
		rp_buf_printf(&line, "; newly failing: %s", failing.data);
	if (recovered.len)
		rp_buf_printf(&line, "; recovered: %s", recovered.data);
	if (changed.len)
		rp_buf_printf(&line, "; changed: %s", changed.data);
	if (!failing.len && !recovered.len && !changed.len)
		rp_buf_puts(&line, "; no check changed state");
	rp_check_note(root, "%s", line.data);
	rp_buf_free(&line);
	rp_buf_free(&failing);
	rp_buf_free(&recovered);
	rp_buf_free(&changed);
}

/* The recorded runs as the score over time (the last RP_SERIES_MAX), for
 * the reports that draw it; NULL when they cannot be read. */
static struct rp_series *load_series(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
	                       "SELECT at, score, state, (SELECT count(*) FROM runs) FROM "
	                       "(SELECT id, at, score, state FROM runs ORDER BY id DESC LIMIT ?) "
	                       "ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int(st, 1, RP_SERIES_MAX);
	struct rp_series *s = rp_check_series_new("score", 0, 100);
	size_t total = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int state = sqlite3_column_int(st, 2);
		rp_check_series_add(s, (double)sqlite3_column_int64(st, 0),
		                    sqlite3_column_double(st, 1),
		                    state >= 0 && state <= 3 ? (enum rp_state)state : RP_UNKNOWN);
		total = (size_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (total > s->total)
		s->total = total;
	return s;
}

/* The names of the tables that are not a history's ("users, events"),
 * or NULL when there are none: a history is never written into a database
 * of something else (a database a check inspects). */
static char *foreign_tables(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
	                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
	                       "IN ('runs', 'results') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	                       "ORDER BY name LIMIT 4",
	                       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	struct rp_buf b;
	rp_buf_init(&b);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char *c = rp_text_sanitize_str(name, 40);
		rp_buf_printf(&b, "%s%s", b.len ? ", " : "", c);
		free(c);
	}
	sqlite3_finalize(st);
	if (!b.len) {
		rp_buf_free(&b);
		return NULL;
	}
	return rp_buf_steal(&b);
}

void readiness_history(struct rp_check *root, const char *path, double keep_days, time_t now,
                       double score, const struct rd_result *res, size_t n,
                       const struct rp_deadline *deadline, bool series)
{
	sqlite3 *db = NULL;
	struct previous prev = { 0 };
	const char *what = "cannot open it";
	char *foreign = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		/* a locked history is waited for within the run's deadline only */
		int wait = rp_deadline_remaining_ms(deadline) - BUSY_MARGIN_MS;
		sqlite3_busy_timeout(db, wait > 0 ? wait : 0);
		what = "cannot read it";
		foreign = foreign_tables(db);
		rc = sqlite3_errcode(db) == SQLITE_OK || sqlite3_errcode(db) == SQLITE_DONE
		             ? SQLITE_OK
		             : sqlite3_errcode(db);
	}
	if (rc == SQLITE_OK && foreign) {
		char *p = rp_text_sanitize(path, strlen(path), 120);
		rp_check_note(root,
		              "history not recorded: %s is not a readiness history (it has other "
		              "tables: %s); give --history a file of its own",
		              p, foreign);
		free(p);
		free(foreign);
		sqlite3_close(db);
		return;
	}
	if (rc == SQLITE_OK) {
		what = "cannot set it up";
		rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		what = "cannot record the run";
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		bool ok = load_previous(db, &prev) &&
		          record(db, now, score, rp_check_state(root), res, n, keep_days);
		rc = ok ? sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) : SQLITE_ERROR;
		if (!ok)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		describe_changes(root, &prev, now, score, res, n);
		if (series)
			rp_check_set_series(root, load_series(db));
	} else {
		char *p = rp_text_sanitize(path, strlen(path), 120);
		rp_check_note(root, "history not recorded in %s: %s (%s)", p, what,
		              db ? sqlite3_errmsg(db) : "out of memory");
		free(p);
	}
	previous_free(&prev);
	sqlite3_close(db);
}
