/* readiness_eval.c: check_readiness' judging and scoring. Pure: runs in,
 * verdicts out; the unit tests drive it with made-up runs. */
#include "check_readiness.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double readiness_check_score(enum rp_state st, const struct readiness_opts *o)
{
	switch (st) {
	case RP_OK:
		return 100;
	case RP_WARNING:
		return o->warning_score;
	case RP_UNKNOWN:
		return o->unknown_score;
	default:
		return 0;
	}
}

/* scores are shown and graphed to one decimal */
double readiness_result_score(const struct rd_result *r, const struct readiness_opts *o)
{
	if (!r->cat->score_subchecks || !r->parsed.long_output)
		return readiness_check_score(r->state, o);
	/* the mean of the child's own top-level lines ("[CRITICAL] cache
	 * ...": one a service), so two of eight services recovering moves the
	 * score; a child without such lines is scored by its exit code */
	static const char *const words[] = { "[OK] ", "[WARNING] ", "[CRITICAL] ", "[UNKNOWN] " };
	double sum = 0;
	size_t n = 0;
	for (const char *l = r->parsed.long_output; *l;
	     l += strcspn(l, "\n") + (l[strcspn(l, "\n")] ? 1 : 0)) {
		for (int st = 0; st < 4; st++) {
			if (strncmp(l, words[st], strlen(words[st])) == 0) {
				sum += readiness_check_score((enum rp_state)st, o);
				n++;
			}
		}
	}
	/* a check that failed to run has no lines of its own worth scoring */
	if (n == 0 || r->state == RP_UNKNOWN)
		return readiness_check_score(r->state, o);
	return sum / (double)n;
}

static double one_decimal(double v)
{
	return floor(v * 10 + 0.5) / 10;
}

static void set(struct rd_result *r, enum rp_state st, char *summary)
{
	r->state = st;
	free(r->summary);
	r->summary = summary;
}

void readiness_judge(struct rd_result *r, double timeout, enum rp_state timeout_state)
{
	char num[RP_NUMBUF];
	if (!r->program) {
		set(r, RP_UNKNOWN,
		    rp_xasprintf("cannot run %s: not found (plugin-dir, then PATH)",
		                 r->def->argv[0]));
		return;
	}
	const struct rp_spawn_result *raw = &r->raw;
	switch (raw->outcome) {
	case RP_SPAWN_TIMED_OUT:
		/* like any plugin's timeout: a finding, CRITICAL by default */
		set(r, timeout_state,
		    rp_xasprintf("no answer within %s s (stopped)",
		                 rp_number_format(timeout, num)));
		return;
	case RP_SPAWN_SIGNALED:
		set(r, RP_UNKNOWN,
		    rp_xasprintf("killed by signal %d (%s)", raw->term_signal,
		                 strsignal(raw->term_signal)));
		return;
	case RP_SPAWN_EXEC_FAILED:
		set(r, RP_UNKNOWN,
		    rp_xasprintf("exited 127: cannot be executed: %s", strerror(raw->exec_errno)));
		return;
	case RP_SPAWN_EXITED:
		break;
	}
	rp_plugin_output_parse(raw->out, raw->out_len, &r->parsed);
	const char *line = r->parsed.first_line ? r->parsed.first_line : "";
	char *shown = rp_text_sanitize(line, strlen(line), 160);
	if (raw->exit_code < 0 || raw->exit_code > 3) {
		/* with nothing on stdout, stderr's first line says most */
		char *err = NULL;
		if (!*shown && raw->err && raw->err_len)
			err = rp_text_sanitize(raw->err, strcspn(raw->err, "\n"), 120);
		set(r, RP_UNKNOWN,
		    rp_xasprintf("exited %d, outside 0-3%s%s%s%s", raw->exit_code,
		                 *shown ? ": " : "", shown, err ? "; stderr: " : "",
		                 err ? err : ""));
		free(err);
		free(shown);
		return;
	}
	if (raw->out_len == 0 || !*line) {
		set(r, RP_UNKNOWN, rp_xasprintf("printed nothing (exit %d)", raw->exit_code));
		free(shown);
		return;
	}
	/* the exit code is the state, as every engine reads it */
	set(r, (enum rp_state)raw->exit_code, shown);
}

/* One line of a child's long output: "[CRITICAL] table x: missing" keeps
 * its own state (it informs; the check's state is its exit code), any
 * other line is "said: ...". */
static void add_said(struct rp_check *k, const char *line, size_t len)
{
	static const char *const words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	size_t indent = 0;
	while (indent < len && line[indent] == ' ')
		indent++;
	for (int st = 0; st < 4; st++) {
		size_t w = strlen(words[st]);
		if (len >= indent + w + 3 && line[indent] == '[' &&
		    strncmp(line + indent + 1, words[st], w) == 0 && line[indent + 1 + w] == ']' &&
		    line[indent + 2 + w] == ' ') {
			size_t skip = indent + w + 3;
			char *rest = rp_text_sanitize(line + skip, len - skip, 200);
			struct rp_check *said = rp_check_add(k, (enum rp_state)st, "%s", rest);
			said->min_verbosity = 1;
			free(rest);
			return;
		}
	}
	char *l = rp_text_sanitize(line, len, 200);
	rp_check_detail(k, 1, "said: %s", l);
	free(l);
}

/* -v: the child's long output; -vv: its command and its time. JSON keeps
 * them all (with "detail"). */
static void add_details(struct rp_check *k, const struct rd_result *r)
{
	const char *lo = r->parsed.long_output;
	for (size_t at = 0, lines = 0; lo && lo[at] && lines < 20; lines++) {
		size_t len = strcspn(lo + at, "\n");
		add_said(k, lo + at, len);
		at += len + (lo[at + len] ? 1 : 0);
	}
	/* shell-quoted, every secret in it redacted */
	struct rp_buf cmd;
	rp_buf_init(&cmd);
	rp_secret_redact_command(&cmd, r->program, r->def->argv, r->def->argc);
	char num[RP_NUMBUF];
	rp_check_detail(k, 2, "command: %s (%s, line %d)", cmd.data, r->def->file, r->def->line);
	if (r->parsed.perf.n) {
		/* the child's perfdata as parsed, re-written in our own syntax */
		struct rp_buf perf;
		rp_buf_init(&perf);
		rp_perf_list_format(&r->parsed.perf, &perf);
		rp_check_detail(k, 2, "perfdata: %s", perf.data);
		rp_buf_free(&perf);
	} else if (!r->parsed.perf_valid && r->parsed.perf_error[0]) {
		rp_check_detail(k, 2, "perfdata that does not parse: %s", r->parsed.perf_error);
	}
	if (r->ran) {
		rp_check_detail(k, 2, "took %s s", rp_number_format(r->raw.elapsed, num));
		rp_check_set_seconds(k, r->raw.elapsed);
	}
	rp_buf_free(&cmd);
}

/* "database/schema (0 tables)": the child's summary, or its whole line */
/* The reason, without the path most summaries start with: a blocker
 * reads "database/schema (has 0 tables; expected 3...)", not
 * "(.wrangler/state/v3/d1/m...)". */
static const char *after_path(const char *s)
{
	size_t word = strcspn(s, " ");
	if (!memchr(s, '/', word))
		return s;
	const char *rest = s + word; /* "PATH has ..." and "PATH: reason" alike */
	while (*rest == ' ')
		rest++;
	return *rest ? rest : s;
}

static void blocker_text(struct rp_buf *b, const struct rd_result *r)
{
	const char *why = r->parsed.summary && *r->parsed.summary ? r->parsed.summary : r->summary;
	why = after_path(why ? why : "");
	char *brief = rp_text_sanitize(why, strlen(why), 48);
	rp_buf_printf(b, "%s/%s (%s)", r->cat->name, r->def->name, brief);
	free(brief);
}

bool readiness_met(const struct rd_result *r, bool warning_ok)
{
	return !r->skipped && (r->state == RP_OK || (warning_ok && r->state == RP_WARNING));
}

void readiness_skip(struct rd_result *r, const struct rd_result *need)
{
	/* a chain names the failure at its end: that is the one to fix */
	const struct rd_result *cause = need->skipped && need->cause ? need->cause : need;
	r->skipped = true;
	r->cause = cause;
	r->state = RP_UNKNOWN;
	free(r->summary);
	if (cause == need)
		r->summary = rp_xasprintf("skipped: requires %s/%s (%s)", need->cat->name,
		                          need->def->name, rp_state_text(need->state));
	else
		r->summary = rp_xasprintf("skipped: requires %s/%s, which requires %s/%s (%s)",
		                          need->cat->name, need->def->name, cause->cat->name,
		                          cause->def->name, rp_state_text(cause->state));
}

/* What the categories add up to. A skipped check is in none of the
 * states' counts and in no score: one root cause counts once. */
struct tally {
	size_t counts[4];
	size_t nchecks, nskipped, nblockers;
	double weighted, weights; /* over the categories */
	double sum;               /* over the scored checks, for all-zero weights */
	size_t nscored;
	struct rp_buf blockers;
};

static void add_item(struct rp_check *g, const struct rd_result *r, struct tally *t)
{
	t->nchecks++;
	struct rp_check *item;
	if (r->skipped) {
		t->nskipped++;
		item = rp_check_skipped(g, "%s: %s", r->def->name, r->summary ? r->summary : "");
	} else {
		t->counts[r->state]++;
		item = rp_check_add(g, r->state, "%s: %s", r->def->name,
		                    r->summary ? r->summary : "");
		/* its exit code is its state; its own lines only inform */
		rp_check_decide(item, r->state);
	}
	rp_check_set_name(item, r->def->name);
	add_details(item, r);
	if (r->cat->blocking && !r->skipped && r->state == RP_CRITICAL) {
		item->blocker = true;
		if (t->nblockers < 3) {
			if (t->nblockers)
				rp_buf_puts(&t->blockers, ", ");
			blocker_text(&t->blockers, r);
		}
		t->nblockers++;
	}
}

/* A category's group: its score (the mean of its checks that ran), or
 * "not scored" when every one of them was skipped. */
static void add_category(struct rp_check *root, const struct rp_mf_category *cat,
                         const struct rd_result *res, size_t n, const struct readiness_opts *o,
                         struct tally *t)
{
	double sum = 0;
	size_t k = 0, all = 0;
	for (size_t i = 0; i < n; i++) {
		if (res[i].cat != cat)
			continue;
		all++;
		if (res[i].skipped)
			continue;
		double s = readiness_result_score(&res[i], o);
		sum += s;
		t->sum += s;
		k++;
	}
	if (all == 0)
		return; /* --only left nothing of it */
	t->nscored += k;
	char num[RP_NUMBUF], weight[RP_NUMBUF], skipped[48] = "";
	rp_number_format(cat->weight, weight);
	if (k < all)
		snprintf(skipped, sizeof skipped, ", %zu skipped", all - k);
	struct rp_check *g;
	if (k) {
		double score = one_decimal(sum / (double)k);
		t->weighted += score * cat->weight;
		t->weights += cat->weight;
		g = rp_check_add_group(root, "%s: score %s/100 (%zu check%s%s, weight %s%s)",
		                       cat->name, rp_number_format(score, num), all,
		                       all == 1 ? "" : "s", skipped, weight,
		                       cat->blocking ? ", blocking" : "");
		rp_check_add_perf_minmax(root, cat->name, score, RP_UNIT_PERCENT, NULL, 0, 100);
	} else {
		g = rp_check_add_group(
		        root, "%s: not scored (%zu check%s, all skipped, weight %s%s)", cat->name,
		        all, all == 1 ? "" : "s", weight, cat->blocking ? ", blocking" : "");
		g->skipped = true;
		rp_check_add_perf_unknown(root, cat->name, RP_UNIT_PERCENT, NULL);
	}
	rp_check_set_name(g, cat->name);
	for (size_t i = 0; i < n; i++)
		if (res[i].cat == cat)
			add_item(g, &res[i], t);
}

/* The root's line: the score, then the blockers or how many are OK. */
static void summarize(struct rp_check *root, double score, struct tally *t)
{
	char num[RP_NUMBUF], skipped[48] = "";
	if (t->nskipped)
		snprintf(skipped, sizeof skipped, "%s%zu skipped (not checked)",
		         t->nblockers ? "; " : ", ", t->nskipped);
	if (t->nblockers > 3)
		rp_buf_printf(&t->blockers, " and %zu more", t->nblockers - 3);
	if (t->nblockers)
		rp_check_set_text(root, "score %s/100, %zu blocker%s: %s%s",
		                  rp_number_format(score, num), t->nblockers,
		                  t->nblockers == 1 ? "" : "s", t->blockers.data, skipped);
	else
		rp_check_set_text(root, "score %s/100, %zu of %zu checks OK%s",
		                  rp_number_format(score, num), t->counts[0],
		                  t->nchecks - t->nskipped, skipped);
}

struct rp_check *readiness_evaluate(const struct rp_manifest *m, const struct rd_result *res,
                                    size_t n, const struct readiness_opts *o,
                                    const struct rp_thresholds *th)
{
	struct rp_check *root = rp_check_new();
	struct tally t;
	memset(&t, 0, sizeof t);
	rp_buf_init(&t.blockers);
	for (size_t c = 0; c < m->ncats; c++)
		add_category(root, &m->cats[c], res, n, o, &t);
	if (t.nchecks == 0 || t.nscored == 0) {
		rp_check_add(root, RP_UNKNOWN,
		             t.nchecks ? "no check ran: every one was skipped"
		                       : "no check to run (an empty manifest, or --only "
		                         "matched no category)");
		rp_buf_free(&t.blockers);
		return root;
	}
	/* categories of weight 0 count for nothing; all of weight 0: the plain
	 * mean of the checks that ran */
	double score = t.weights > 0 ? t.weighted / t.weights : t.sum / (double)t.nscored;
	score = one_decimal(score);
	enum rp_state st =
	        rp_check_metric_minmax(root, "score", score, RP_UNIT_PERCENT, th, 0, 100);
	static const char *const names[] = { "ok", "warning", "critical", "unknown" };
	for (int s = 0; s < 4; s++)
		rp_check_add_perf(root, names[s], (double)t.counts[s], RP_UNIT_NONE, NULL);
	rp_check_add_perf(root, "skipped", (double)t.nskipped, RP_UNIT_NONE, NULL);
	if (t.nblockers)
		st = RP_CRITICAL;
	/* OK says everything was checked: a skipped check was not */
	if (t.nskipped && st == RP_OK)
		st = RP_WARNING;
	summarize(root, score, &t);
	/* the run's state is the rule's, not the worst child's: a WARNING
	 * check must not make a 95/100 run WARNING */
	rp_check_decide(root, st);
	rp_buf_free(&t.blockers);
	return root;
}

double readiness_score_of(const struct rp_check *root)
{
	for (size_t i = 0; i < root->perf.n; i++)
		if (strcmp(root->perf.items[i].label, "score") == 0)
			return root->perf.items[i].value;
	return 0;
}
