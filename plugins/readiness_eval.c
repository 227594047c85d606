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

struct rp_check *readiness_evaluate(const struct rp_manifest *m, const struct rd_result *res,
                                    size_t n, const struct readiness_opts *o,
                                    const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	size_t counts[4] = { 0 };
	double weighted = 0, weights = 0;
	size_t nblockers = 0, nchecks = 0;
	struct rp_buf blockers;
	rp_buf_init(&blockers);
	char num[RP_NUMBUF];
	for (size_t c = 0; c < m->ncats; c++) {
		const struct rp_mf_category *cat = &m->cats[c];
		double sum = 0;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (res[i].cat == cat) {
				sum += readiness_result_score(&res[i], o);
				k++;
			}
		if (k == 0)
			continue; /* --only left nothing of it */
		double score = one_decimal(sum / (double)k);
		weighted += score * cat->weight;
		weights += cat->weight;
		struct rp_check *g = rp_check_add_group(
		        root, "%s: score %s/100 (%zu check%s, weight %s%s)", cat->name,
		        rp_number_format(score, num), k, k == 1 ? "" : "s",
		        rp_number_format(cat->weight, (char[RP_NUMBUF]){ 0 }),
		        cat->blocking ? ", blocking" : "");
		rp_check_set_name(g, cat->name);
		rp_check_add_perf_minmax(root, cat->name, score, RP_UNIT_PERCENT, NULL, 0, 100);
		for (size_t i = 0; i < n; i++) {
			const struct rd_result *r = &res[i];
			if (r->cat != cat)
				continue;
			nchecks++;
			counts[r->state]++;
			struct rp_check *item = rp_check_add(g, r->state, "%s: %s", r->def->name,
			                                     r->summary ? r->summary : "");
			/* its exit code is its state; its own lines only inform */
			rp_check_decide(item, r->state);
			rp_check_set_name(item, r->def->name);
			add_details(item, r);
			if (cat->blocking && r->state == RP_CRITICAL) {
				if (nblockers < 3) {
					if (nblockers)
						rp_buf_puts(&blockers, ", ");
					blocker_text(&blockers, r);
				}
				nblockers++;
			}
		}
	}
	if (nchecks == 0) {
		rp_check_add(root, RP_UNKNOWN,
		             "no check to run (an empty manifest, or --only "
		             "matched no category)");
		rp_buf_free(&blockers);
		return root;
	}
	/* categories of weight 0 count for nothing; all of weight 0: the plain mean */
	double score = weights > 0 ? weighted / weights : 0;
	if (weights == 0) {
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += readiness_result_score(&res[i], o);
		score = sum / (double)n;
	}
	score = one_decimal(score);
	enum rp_state st = rp_check_metric_minmax(root, "score", score, RP_UNIT_PERCENT, t, 0, 100);
	static const char *const names[] = { "ok", "warning", "critical", "unknown" };
	for (int s = 0; s < 4; s++)
		rp_check_add_perf(root, names[s], (double)counts[s], RP_UNIT_NONE, NULL);
	if (nblockers > 3)
		rp_buf_printf(&blockers, " and %zu more", nblockers - 3);
	if (nblockers) {
		st = RP_CRITICAL;
		rp_check_set_text(root, "score %s/100, %zu blocker%s: %s",
		                  rp_number_format(score, num), nblockers,
		                  nblockers == 1 ? "" : "s", blockers.data);
	} else {
		rp_check_set_text(root, "score %s/100, %zu of %zu checks OK",
		                  rp_number_format(score, num), counts[0], nchecks);
	}
	/* the run's state is the rule's, not the worst child's: a WARNING
	 * check must not make a 95/100 run WARNING */
	rp_check_decide(root, st);
	rp_buf_free(&blockers);
	return root;
}

double readiness_score_of(const struct rp_check *root)
{
	for (size_t i = 0; i < root->perf.n; i++)
		if (strcmp(root->perf.items[i].label, "score") == 0)
			return root->perf.items[i].value;
	return 0;
}
