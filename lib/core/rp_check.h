/* rp_check.h: the result tree.
 *
 * A check holds a text, an optional state of its own, perfdata, and
 * sub-checks kept in insertion order. Its state is the worst (see
 * rp_state.h) of its own state and its sub-checks' states; a check with
 * neither is UNKNOWN, so a plugin that forgot to decide cannot say OK.
 * Each check owns its strings, perfdata and sub-checks; freeing the root
 * frees the tree. */
#ifndef RP_CHECK_H
#define RP_CHECK_H

#include "rp_perf.h"
#include "rp_state.h"
#include "rp_thresholds.h"
#include "rp_unit.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stddef.h>

/* A time series of a run's primary metric (check_readiness' score from
 * its --history), oldest point first, for reports that draw it (HTML). */
struct rp_series_point {
	double at; /* unix seconds */
	double value;
	enum rp_state state;
};

struct rp_series {
	char *title;    /* "score" */
	double lo, hi;  /* the value axis */
	double warn_at; /* where a threshold starts, NAN: none to draw */
	double crit_at;
	struct rp_series_point *points;
	size_t n;
	size_t total; /* points there were; n is at most RP_SERIES_MAX of them */
};

#define RP_SERIES_MAX 2000

struct rp_check {
	char *text;
	char *name; /* a short, stable id ("database", "schema"), or NULL */
	bool has_state;
	bool decides; /* its own state is the state; sub-checks only inform */
	bool note;    /* a line of information, not a check: reports leave it out */
	bool skipped; /* not run (what it requires is not OK): see rp_check_skipped */
	bool blocker; /* alone it makes the run fail (reports list it first) */
	enum rp_state own_state;
	int min_verbosity; /* shown in text output only at -v this many times */
	bool timed;        /* seconds is known: how long this check took */
	double seconds;
	struct rp_perf_list perf;
	struct rp_check **kids;
	size_t nkids;
	char **owned; /* strings kept for the run (rp_check_keep) */
	size_t nowned;
	struct rp_series *series; /* the root's history, or NULL */
};

struct rp_check *rp_check_new(void);
void rp_check_free(struct rp_check *c);

/* Adds a sub-check with a state and a printf-formatted text. */
struct rp_check *rp_check_add(struct rp_check *parent, enum rp_state st, const char *fmt, ...)
        RP_PRINTF(3, 4);
/* Adds a sub-check whose state will come from its own sub-checks. */
struct rp_check *rp_check_add_group(struct rp_check *parent, const char *fmt, ...) RP_PRINTF(2, 3);
/* Adds a line of information (always shown, OK, not a test in JUnit/TAP). */
struct rp_check *rp_check_note(struct rp_check *parent, const char *fmt, ...) RP_PRINTF(2, 3);
/* Adds a check that was not run because what it requires is not OK. Its
 * state is UNKNOWN to whoever asks for it, but its parent's state and
 * counts leave it out (one root cause counts once), and reports say
 * "skipped" (JUnit <skipped/>, TAP "# SKIP", JSON "skipped": true). */
struct rp_check *rp_check_skipped(struct rp_check *parent, const char *fmt, ...) RP_PRINTF(2, 3);
/* Adds a detail line: OK, shown only at -v (or -vv with level 2). */
struct rp_check *rp_check_detail(struct rp_check *parent, int level, const char *fmt, ...)
        RP_PRINTF(3, 4);

/* Adds child, a tree of its own (another evaluate step's root), as a
 * sub-check; parent takes it and frees it with itself. */
void rp_check_adopt(struct rp_check *parent, struct rp_check *child);
/* Replaces every occurrence of the n known secret values in the texts of
 * c's tree with [redacted] (rp_secret_mask_values): values a run learnt
 * from a peer, which no evaluate step can know to leave out. */
void rp_check_mask_values(struct rp_check *c, char *const *values, size_t n);

void rp_check_set_state(struct rp_check *c, enum rp_state st);
/* For a check whose state follows a rule of its own (an aggregate score):
 * st is its state whatever its sub-checks say. */
void rp_check_decide(struct rp_check *c, enum rp_state st);
void rp_check_set_text(struct rp_check *c, const char *fmt, ...) RP_PRINTF(2, 3);
/* How long the check took, for reports that say so (JUnit's time). */
void rp_check_set_seconds(struct rp_check *c, double seconds);
/* The id reports use (JSON "name", JUnit, TAP); the text stays the line. */
void rp_check_set_name(struct rp_check *c, const char *name);
enum rp_state rp_check_state(const struct rp_check *c);

/* Metrics.
 *
 * Every perfdata item is recorded with the thresholds in force for its
 * label and the state they give its value. After evaluate, the runtime
 * judges every item (rp_judge_metrics): an alerting value the plugin did
 * not word itself becomes a finding on the check that holds it, so a
 * threshold shown in perfdata always decides the state.
 *
 * rp_check_add_perf*: record; the runtime words any alert ("rows is 5,
 * below the critical threshold 10:").
 * rp_check_metric*: record and return the state, for a plugin that words
 * the finding itself (it must add a sub-check in that state, or the
 * runtime adds its own). */
void rp_check_add_perf(struct rp_check *c, const char *label, double value, enum rp_unit unit,
                       const struct rp_thresholds *t);
/* The same with min and/or max (pass NAN to leave one out). */
void rp_check_add_perf_minmax(struct rp_check *c, const char *label, double value,
                              enum rp_unit unit, const struct rp_thresholds *t, double min,
                              double max);
/* Perfdata for a value that could not be measured ('U'). */
void rp_check_add_perf_unknown(struct rp_check *c, const char *label, enum rp_unit unit,
                               const struct rp_thresholds *t);

/* Records the perfdata and returns the state its thresholds give (OK when
 * none applies); the caller words that state. */
enum rp_state rp_check_metric(struct rp_check *c, const char *label, double value,
                              enum rp_unit unit, const struct rp_thresholds *t);
enum rp_state rp_check_metric_minmax(struct rp_check *c, const char *label, double value,
                                     enum rp_unit unit, const struct rp_thresholds *t, double min,
                                     double max);

/* Per-run strings: the tree owns them and frees them with itself, so an
 * evaluate step words its findings without freeing what it formatted. */
/* Takes ownership of s (freed with c's tree); returns s. */
char *rp_check_keep(struct rp_check *c, char *s);
/* Untrusted text made safe for a line (rp_text_sanitize_str), kept by c. */
const char *rp_check_clean(struct rp_check *c, const char *s, size_t max);

/* Gives c a series (a history) to report; c owns and frees it. */
void rp_check_set_series(struct rp_check *c, struct rp_series *s);
/* A new empty series: lo..hi, no thresholds drawn. */
struct rp_series *rp_check_series_new(const char *title, double lo, double hi);
/* Appends a point (ignored past RP_SERIES_MAX). */
void rp_check_series_add(struct rp_series *s, double at, double value, enum rp_state st);
void rp_check_series_free(struct rp_series *s);

/* Appends copies of every perfdata item of c's tree, in tree order. */
void rp_check_collect_perf(const struct rp_check *c, struct rp_perf_list *all);

/* Counts sub-checks (direct children) in state st. */
size_t rp_check_count(const struct rp_check *c, enum rp_state st);

/* Joins the texts of the direct children in the worst state present,
 * "; "-separated, cut near max bytes ("... and N more"). Empty string when
 * there are no children. Caller frees. */
char *rp_check_worst_texts(const struct rp_check *c, size_t max);

/* Sets c's text to its findings (the texts of its direct children not
 * OK, in order, "; "-separated): the one finding as it is, several as
 * "N findings on M NOUNs: ...". Returns how many; with none the text is
 * left for the caller to set. */
size_t rp_check_findings_text(struct rp_check *c, size_t total, const char *noun);

/* Adds text's lines (a log's tail) as detail lines under heading at
 * level, each indented by two spaces; nothing for NULL or "". */
void rp_check_detail_lines(struct rp_check *c, int level, const char *heading, const char *text);

#endif
