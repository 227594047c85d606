/* check_readiness: one run, one readiness score, the blockers named, a
 * deployment gate. Runs the checks of one or more manifests
 * (check_readiness-manifest(5)) in parallel, each in its own process group
 * under its own deadline, reads each child's output as an engine does, and
 * scores the run per category and overall. Catches docs/incidents.md F19 and
 * F20: readiness summed up by hand, verification by a fragile script.
 *
 * options -> manifests -> resolve programs -> run (the only I/O: children)
 * -> readiness_evaluate (pure, readiness_eval.c) -> render. */
#include "check_readiness.h"
#include "rp_cli.h"
#include "rp_run.h"
#include "rp_secret.h"
#include "rp_text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 256

enum {
	OPT_MANIFEST = 'f',
	OPT_JOBS = 'j',
	OPT_ONLY = 0x100,
	OPT_LIST,
	OPT_DRY_RUN,
	OPT_WARNING_SCORE,
	OPT_UNKNOWN_SCORE,
	OPT_HISTORY,
	OPT_HISTORY_KEEP,
	OPT_WAIT,
	OPT_WAIT_FOR,
	OPT_DISCOVER,
};

/* --wait: the first pause between rounds, its growth and its ceiling. */
#define WAIT_FIRST_PAUSE 0.25
#define WAIT_GROWTH      1.6
#define WAIT_MAX_PAUSE   2.0

struct readiness_config {
	char **manifests;
	size_t nmanifests;
	int jobs;
	char **only;
	size_t nonly;
	bool list, dry_run;
	const char *history;
	const char *discover;   /* --discover DIR: write a manifest, run nothing */
	double history_keep;    /* days; 0 keeps every run */
	double wait;            /* --wait: seconds; 0 runs once */
	enum rp_state wait_for; /* the state that counts as ready */
	struct readiness_opts scoring;
	struct rp_manifest m; /* loaded by validate */
};

static const struct rp_option options[] = {
	{ "manifest", 'f', true, "FILE", "the manifest to run (repeatable; required)",
	  OPT_MANIFEST },
	{ "jobs", 'j', true, "N", "checks run at once (default: the manifest's, else 2 x CPUs)",
	  OPT_JOBS },
	{ "only", 0, true, "CATEGORY", "run only this category (repeatable)", OPT_ONLY },
	{ "list", 0, false, NULL, "list the checks and run nothing", OPT_LIST },
	{ "dry-run", 0, false, NULL, "print each check's resolved command and run nothing",
	  OPT_DRY_RUN },
	{ "warning-score", 0, true, "N", "what a WARNING check scores (default 50)",
	  OPT_WARNING_SCORE },
	{ "unknown-score", 0, true, "N", "what an UNKNOWN check scores (default 0)",
	  OPT_UNKNOWN_SCORE },
	{ "history", 0, true, "FILE.db",
	  "record every run in this SQLite file and say what changed since the last", OPT_HISTORY },
	{ "history-keep", 0, true, "DAYS",
	  "prune recorded runs older than DAYS (default: keep all)", OPT_HISTORY_KEEP },
	{ "wait", 0, true, "DURATION",
	  "a deployment gate: run again, the checks not yet OK only, until ready or DURATION "
	  "is spent",
	  OPT_WAIT },
	{ "wait-for", 0, true, "ok|warning",
	  "with --wait, the state that counts as ready (default ok)", OPT_WAIT_FOR },
	{ "discover", 0, true, "DIR",
	  "print a starter manifest for the deployment in DIR (runs nothing, prints no secret)",
	  OPT_DISCOVER },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "score", RP_UNIT_PERCENT, false, "the overall readiness score, 0-100 (primary)", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "check_readiness",
	.label = "READINESS",
	.purpose = "one readiness score over many checks, the blockers named",
	.synopsis = "-f MANIFEST [-f MANIFEST]... [-j N] [--only CATEGORY] [--list | --dry-run]\n"
	            "       [-w SCORE_RANGE] [-c SCORE_RANGE]\n"
	            "       check_readiness --discover DIR > starter.ini",
	.options = options,
	.metrics = metrics,
	.primary_metric = "score",
	.test_reports = true,
	.notes = "A check scores OK 100, WARNING 50, CRITICAL 0, UNKNOWN 0; a category the mean\n"
	         "of its checks; the run the weighted mean of its categories. CRITICAL when a\n"
	         "blocking category has a CRITICAL check; else the score against -w/-c (default\n"
	         "the manifest's warning/critical, else 90: and 70:). The manifest format:\n"
	         "check_readiness-manifest(5). Commands run without a shell.\n",
	.examples = "  check_readiness -f /etc/readiness/tracking.ini\n"
	            "  check_readiness -f stack.ini --only database --only auth -w 95: -c 80:\n"
	            "  check_readiness -f stack.ini --output-format json   # for a CI gate\n"
	            "  check_readiness --discover /srv/app > /etc/readiness/app.ini\n",
};

static bool score_arg(const char *arg, double *out, char *err, size_t errlen, const char *name)
{
	double d;
	if (!rp_number_parse(arg, strlen(arg), &d) || d < 0 || d > 100) {
		snprintf(err, errlen, "--%s '%.20s': a score from 0 to 100", name, arg);
		return false;
	}
	*out = d;
	return true;
}

static bool wait_arg(struct readiness_config *cfg, const char *arg, char *err, size_t errlen)
{
	char why[200];
	if (!rp_unit_parse_duration(arg, &cfg->wait, why, sizeof why)) {
		snprintf(err, errlen, "--wait: %s", why);
		return false;
	}
	if (!(cfg->wait > 0) || cfg->wait > RP_MAX_TIMEOUT / 2) {
		snprintf(err, errlen, "--wait '%.20s': above 0 and at most 12 h", arg);
		return false;
	}
	return true;
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct readiness_config *cfg = cfgp;
	long long n;
	switch (id) {
	case OPT_MANIFEST:
		cfg->manifests =
		        rp_xreallocarray(cfg->manifests, cfg->nmanifests + 1, sizeof(char *));
		cfg->manifests[cfg->nmanifests++] = rp_xstrdup(arg);
		return true;
	case OPT_JOBS:
		if (!rp_number_parse_ll(arg, &n) || n < 1 || n > MAX_JOBS) {
			snprintf(err, errlen, "--jobs '%.20s': 1 to %d", arg, MAX_JOBS);
			return false;
		}
		cfg->jobs = (int)n;
		return true;
	case OPT_ONLY:
		rp_strv_push(&cfg->only, &cfg->nonly, arg);
		return true;
	case OPT_LIST:
		cfg->list = true;
		return true;
	case OPT_DRY_RUN:
		cfg->dry_run = true;
		return true;
	case OPT_WARNING_SCORE:
		return score_arg(arg, &cfg->scoring.warning_score, err, errlen, "warning-score");
	case OPT_UNKNOWN_SCORE:
		return score_arg(arg, &cfg->scoring.unknown_score, err, errlen, "unknown-score");
	case OPT_HISTORY:
		cfg->history = arg;
		return true;
	case OPT_DISCOVER:
		cfg->discover = arg;
		return true;
	case OPT_WAIT:
		return wait_arg(cfg, arg, err, errlen);
	case OPT_WAIT_FOR:
		if (strcmp(arg, "ok") != 0 && strcmp(arg, "warning") != 0) {
			snprintf(err, errlen, "--wait-for '%.20s': ok or warning", arg);
			return false;
		}
		cfg->wait_for = strcmp(arg, "ok") == 0 ? RP_OK : RP_WARNING;
		return true;
	case OPT_HISTORY_KEEP: {
		double d;
		if (!rp_number_parse(arg, strlen(arg), &d) || d <= 0 || d > 36500) {
			snprintf(err, errlen, "--history-keep '%.20s': days, above 0", arg);
			return false;
		}
		cfg->history_keep = d;
		return true;
	}
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

static void config_free(struct readiness_config *cfg)
{
	rp_strv_free(cfg->manifests, cfg->nmanifests);
	rp_strv_free(cfg->only, cfg->nonly);
	rp_manifest_free(&cfg->m);
}

/* ------------------------------------------------------- finding programs */

static char *executable_in(const char *dir, const char *name)
{
	if (!dir || !*dir)
		return NULL;
	char *p = rp_xasprintf("%s/%s", dir, name);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/* A bare name: plugin-dir, then the directory this program is in, then
 * PATH. A name with a '/' is taken as it is. */
static char *resolve(const char *name, const char *plugin_dir, const char *self_dir)
{
	if (strchr(name, '/'))
		return rp_xstrdup(name);
	char *p = executable_in(plugin_dir, name);
	if (!p)
		p = executable_in(self_dir, name);
	const char *path = getenv("PATH");
	if (!p && path) {
		char *copy = rp_xstrdup(path);
		char *save = NULL;
		/* only absolute directories: "." or "bin" in PATH would make what
		 * runs depend on where the scheduler happens to start us */
		for (char *d = strtok_r(copy, ":", &save); d && !p; d = strtok_r(NULL, ":", &save))
			if (d[0] == '/')
				p = executable_in(d, name);
		free(copy);
	}
	return p;
}

static char *self_directory(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return rp_xstrdup(buf);
}

/* ------------------------------------------------------ listing, dry run */

static bool selected(const struct readiness_config *cfg, const char *category)
{
	if (cfg->nonly == 0)
		return true;
	for (size_t i = 0; i < cfg->nonly; i++)
		if (strcmp(cfg->only[i], category) == 0)
			return true;
	return false;
}

/* --list and --dry-run: what would run, one check a line. */
static void print_plan(const struct rd_result *res, size_t n, bool resolved)
{
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		const struct rd_result *r = &res[i];
		rp_buf_printf(&b, "%s/%s", r->cat->name, r->def->name);
		if (resolved) {
			rp_buf_puts(&b, ":");
			rp_buf_putc(&b, ' ');
			rp_secret_redact_command(&b, r->program, r->def->argv, r->def->argc);
			if (!r->program)
				rp_buf_puts(&b, "   # not found");
		}
		for (size_t j = 0; j < r->nneeds; j++) {
			const struct rd_result *need = &res[r->needs[j]];
			rp_buf_printf(&b, "%s%s/%s", j ? ", " : "   # requires ", need->cat->name,
			              need->def->name);
		}
		rp_buf_putc(&b, '\n');
	}
	rp_file_write_all(STDOUT_FILENO, b.data ? b.data : "", b.len);
	rp_buf_free(&b);
}

/* ------------------------------------------------------------ the runtime */

/* One run: the checks selected, each with what running it gave. */
struct readiness_run {
	struct rd_result *res;
	size_t n;
	/* --wait */
	int rounds;
	double waited;
	bool ready;
};

static void config_init(void *cfgp)
{
	struct readiness_config *cfg = cfgp;
	cfg->scoring.warning_score = 50;
	cfg->scoring.unknown_score = 0;
}

static void config_free_any(void *cfg)
{
	config_free(cfg);
}

static int jobs_of(const struct readiness_config *cfg)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cfg->jobs ? cfg->jobs : cfg->m.jobs ? cfg->m.jobs : (int)(cpus > 0 ? 2 * cpus : 2);
}

/* Without -t the manifest's timeouts govern: its whole-run timeout, else
 * room for every check to use its own (in rounds of jobs), and the time to
 * stop the last one and report. */
static double manifest_time(const struct readiness_config *cfg)
{
	if (cfg->m.timeout > 0)
		return cfg->m.timeout;
	double longest = 0;
	size_t n = 0;
	for (size_t c = 0; c < cfg->m.ncats; c++) {
		if (cfg->m.cats[c].timeout > longest)
			longest = cfg->m.cats[c].timeout;
		n += cfg->m.cats[c].n;
	}
	size_t jobs = (size_t)jobs_of(cfg);
	/* a chain of requirements runs one link at a time */
	size_t rounds = (n ? (n + jobs - 1) / jobs : 1) + (size_t)cfg->m.depth;
	double t = longest * (double)rounds + READINESS_KILL_GRACE + READINESS_REPORT_MARGIN + 0.5;
	return t < RP_MAX_TIMEOUT ? t : RP_MAX_TIMEOUT;
}

/* Every --only must name a category: a typo would silently check less. */
static bool only_known(const struct readiness_config *cfg, struct rp_cli *cli)
{
	for (size_t i = 0; i < cfg->nonly; i++) {
		bool found = false;
		for (size_t c = 0; c < cfg->m.ncats && !found; c++)
			found = strcmp(cfg->m.cats[c].name, cfg->only[i]) == 0;
		if (!found) {
			char *o = rp_text_sanitize(cfg->only[i], strlen(cfg->only[i]), 40);
			snprintf(cli->err, sizeof cli->err,
			         "--only %s: no such category in the manifest", o);
			free(o);
			return false;
		}
	}
	return true;
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct readiness_config *cfg = cfgp;
	if (cfg->discover) {
		/* a mode of its own: it writes a manifest instead of running one */
		if (cfg->nmanifests || cfg->list || cfg->dry_run || cfg->wait > 0 || cfg->history) {
			snprintf(cli->err, sizeof cli->err,
			         "--discover writes a manifest: it goes without -f, --list, "
			         "--dry-run, --wait and --history");
			return false;
		}
		return true;
	}
	if (cfg->nmanifests == 0) {
		snprintf(cli->err, sizeof cli->err, "-f MANIFEST is required");
		return false;
	}
	/* a manifest that does not parse: UNKNOWN with file and line */
	for (size_t i = 0; i < cfg->nmanifests; i++)
		if (!rp_manifest_load(&cfg->m, cfg->manifests[i], cli->err, sizeof cli->err))
			return false;
	if (!rp_manifest_resolve(&cfg->m, cli->err, sizeof cli->err) || !only_known(cfg, cli))
		return false;
	/* without -t: the wait, then time for a last round and the report */
	if (!cli->timeout_given)
		rp_cli_set_timeout(cli, fmin(manifest_time(cfg) + cfg->wait, RP_MAX_TIMEOUT));
	if (cfg->wait_for != RP_OK && cfg->wait <= 0) {
		snprintf(cli->err, sizeof cli->err, "--wait-for goes with --wait");
		return false;
	}
	/* the manifest's thresholds on the score, unless -w/-c gave one */
	if (!rp_thresholds_has(&cli->thresholds, "score")) {
		char err[256];
		rp_thresholds_add(&cli->thresholds, metrics, "score", 'w',
		                  cfg->m.warning ? cfg->m.warning : "90:", err, sizeof err);
		rp_thresholds_add(&cli->thresholds, metrics, "score", 'c',
		                  cfg->m.critical ? cfg->m.critical : "70:", err, sizeof err);
	}
	return true;
}

static int by_def(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct rd_result *const *)a)[0]->def;
	uintptr_t y = (uintptr_t)((const struct rd_result *const *)b)[0]->def;
	return x < y ? -1 : x > y;
}

/* Each result's requirements as indexes of the run's results. One outside
 * the run (--only left its category out) is not checked and does not
 * hold anything back. */
static void link_needs(struct readiness_run *run)
{
	struct rd_result **sorted = rp_xcalloc(run->n ? run->n : 1, sizeof *sorted);
	for (size_t i = 0; i < run->n; i++)
		sorted[i] = &run->res[i];
	qsort(sorted, run->n, sizeof *sorted, by_def);
	for (size_t i = 0; i < run->n; i++) {
		struct rd_result *r = &run->res[i];
		r->needs = rp_xcalloc(r->def->nneeds ? r->def->nneeds : 1, sizeof *r->needs);
		for (size_t j = 0; j < r->def->nneeds; j++) {
			struct rd_result key = { .def = r->def->needs[j] };
			const struct rd_result *kp = &key;
			struct rd_result **hit =
			        bsearch(&kp, sorted, run->n, sizeof *sorted, by_def);
			if (hit)
				r->needs[r->nneeds++] = (size_t)(*hit - run->res);
		}
	}
	free(sorted);
}

/* The selected checks, each with its program resolved. */
static void plan(const struct readiness_config *cfg, struct readiness_run *run)
{
	const struct rp_manifest *m = &cfg->m;
	for (size_t c = 0; c < m->ncats; c++)
		if (selected(cfg, m->cats[c].name))
			run->n += m->cats[c].n;
	run->res = rp_xcalloc(run->n ? run->n : 1, sizeof *run->res);
	char *self_dir = self_directory();
	size_t k = 0;
	for (size_t c = 0; c < m->ncats; c++) {
		if (!selected(cfg, m->cats[c].name))
			continue;
		for (size_t i = 0; i < m->cats[c].n; i++, k++) {
			run->res[k].cat = &m->cats[c];
			run->res[k].def = &m->cats[c].checks[i];
			run->res[k].program =
			        resolve(run->res[k].def->argv[0], m->plugin_dir, self_dir);
		}
	}
	free(self_dir);
	link_needs(run);
}

static void run_free(struct readiness_run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		free(run->res[i].program);
		free(run->res[i].summary);
		free(run->res[i].needs);
		if (run->res[i].ran)
			rp_spawn_result_free(&run->res[i].raw);
		rp_plugin_output_free(&run->res[i].parsed);
	}
	free(run->res);
}

/* --discover: the manifest on stdout (exit 0), or why not (UNKNOWN). */
static int discover(const char *dir, const struct rp_cli *cli)
{
	struct rp_buf out;
	rp_buf_init(&out);
	char why[512];
	bool ok = readiness_discover(dir, &out, why, sizeof why);
	if (!ok) {
		rp_buf_reset(&out);
		rp_buf_printf(&out, "%s UNKNOWN - ", cli->info->label);
		rp_text_sanitize_into(&out, why, strlen(why), 400);
		rp_buf_putc(&out, '\n');
	}
	rp_file_write_all(STDOUT_FILENO, out.data, out.len);
	rp_buf_free(&out);
	return ok ? 0 : rp_cli_exit_code(cli, RP_UNKNOWN);
}

static int instead(const void *cfgp, const struct rp_cli *cli)
{
	const struct readiness_config *cfg = cfgp;
	if (cfg->discover)
		return discover(cfg->discover, cli);
	if (!cfg->list && !cfg->dry_run)
		return -1;
	struct readiness_run run = { NULL, 0, 0, 0, false };
	plan(cfg, &run);
	print_plan(run.res, run.n, cfg->dry_run);
	run_free(&run);
	return 0;
}

/* ------------------------------------------------------------- --wait */

/* The state the run has now (the same scoring as its report). */
static enum rp_state state_now(const struct readiness_config *cfg, const struct readiness_run *run,
                               const struct rp_cli *cli, double *score)
{
	struct rp_check *tree =
	        readiness_evaluate(&cfg->m, run->res, run->n, &cfg->scoring, &cli->thresholds);
	enum rp_state st = rp_check_state(tree);
	*score = readiness_score_of(tree);
	rp_check_free(tree);
	return st;
}

/* One line on a terminal, rewritten in place; nothing on a pipe, where a
 * log would fill with carriage returns. */
static void progress(const struct readiness_run *run, double elapsed, double score)
{
	if (!isatty(STDERR_FILENO))
		return;
	size_t ok = 0;
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < run->n; i++) {
		const struct rd_result *r = &run->res[i];
		if (r->state == RP_OK) {
			ok++;
		} else if (b.len < 80) {
			rp_buf_puts(&b, b.len ? ", " : "; not yet: ");
			rp_text_sanitize_into(&b, r->cat->name, strlen(r->cat->name), 30);
			rp_buf_putc(&b, '/');
			rp_text_sanitize_into(&b, r->def->name, strlen(r->def->name), 30);
		}
	}
	char num[RP_NUMBUF];
	fprintf(stderr, "\r\033[Kwaiting %.0f s, round %d: %zu of %zu checks OK, score %s/100%s",
	        elapsed, run->rounds, ok, run->n, rp_number_format(round(score * 10) / 10, num),
	        b.len ? b.data : "");
	fflush(stderr);
	rp_buf_free(&b);
}

static void pause_for(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - floor(seconds)) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Rounds until the run is ready or --wait is spent, with a pause that
 * starts small and grows; only the checks not yet OK run again. The
 * report is the last round's. */
static void wait_until_ready(const struct readiness_config *cfg, const struct rp_cli *cli,
                             struct readiness_run *run, const struct rp_deadline *d)
{
	double start = rp_deadline_elapsed(&cli->deadline), pause = WAIT_FIRST_PAUSE;
	run->rounds = 1;
	for (;;) {
		double score;
		enum rp_state st = state_now(cfg, run, cli, &score);
		double elapsed = rp_deadline_elapsed(&cli->deadline) - start;
		progress(run, elapsed, score);
		run->ready = st == RP_OK || (cfg->wait_for == RP_WARNING && st == RP_WARNING);
		/* the last pause is cut to end with the wait: one round then */
		double left = cfg->wait - elapsed;
		if (run->ready || left <= 0.01 ||
		    rp_deadline_remaining(d) <= fmin(pause, left) + READINESS_REPORT_MARGIN)
			break;
		pause_for(fmin(pause, left));
		pause = fmin(pause * WAIT_GROWTH, WAIT_MAX_PAUSE);
		struct readiness_round o = { jobs_of(cfg), d, cli->timeout_state,
			                     cfg->m.requires_warning_ok };
		readiness_rerun(run->res, run->n, false, &o);
		run->rounds++;
	}
	run->waited = rp_deadline_elapsed(&cli->deadline) - start;
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
}

static void probe(const void *cfgp, const struct rp_cli *cli, void *runp)
{
	const struct readiness_config *cfg = cfgp;
	struct readiness_run *run = runp;
	plan(cfg, run);
	/* with -t, the manifest's whole-run timeout when shorter; without,
	 * validate set the deadline from the manifest */
	struct rp_deadline run_deadline = cli->deadline;
	if (cli->timeout_given && cfg->m.timeout > 0 &&
	    cfg->m.timeout < rp_deadline_remaining(&cli->deadline))
		rp_deadline_start(&run_deadline, cfg->m.timeout);
	struct readiness_round o = { jobs_of(cfg), &run_deadline, cli->timeout_state,
		                     cfg->m.requires_warning_ok };
	readiness_rerun(run->res, run->n, true, &o);
	if (cfg->wait > 0)
		wait_until_ready(cfg, cli, run, &run_deadline);
}

static struct rp_check *evaluate(const void *cfgp, const void *runp, const struct rp_cli *cli)
{
	const struct readiness_config *cfg = cfgp;
	const struct readiness_run *run = runp;
	struct rp_check *root =
	        readiness_evaluate(&cfg->m, run->res, run->n, &cfg->scoring, &cli->thresholds);
	if (cfg->wait > 0 && run->rounds > 0) {
		/* a gate says how long it waited, and whether that was enough */
		char num[RP_NUMBUF];
		rp_number_format(round(run->waited * 10) / 10, num);
		rp_check_set_text(root, "%s; %s %s s (%d round%s)", root->text ? root->text : "",
		                  run->ready ? "ready after" : "not ready after waiting", num,
		                  run->rounds, run->rounds == 1 ? "" : "s");
	}
	return root;
}

/* Where a threshold on the score starts, to draw it ("90:" at 90); NAN
 * for none or one a line cannot show (@ ranges). */
static double threshold_line(const struct rp_thresholds *t, char which)
{
	const struct rp_range *r = rp_thresholds_get(t, "score", which);
	if (!r || r->alert_inside)
		return NAN;
	return !r->start_infinite ? r->start : !r->end_infinite ? r->end : NAN;
}

static void after(const void *cfgp, const void *runp, const struct rp_cli *cli,
                  struct rp_check *root)
{
	const struct readiness_config *cfg = cfgp;
	const struct readiness_run *run = runp;
	if (!cfg->history || !run->n)
		return;
	readiness_history(root, cfg->history, cfg->history_keep, time(NULL),
	                  readiness_score_of(root), run->res, run->n, &cli->deadline,
	                  cli->format == RP_FORMAT_HTML);
	if (root->series) {
		root->series->warn_at = threshold_line(&cli->thresholds, 'w');
		root->series->crit_at = threshold_line(&cli->thresholds, 'c');
	}
}

static void observed_free(const void *cfg, void *runp)
{
	(void)cfg;
	run_free(runp);
}

static const struct rp_plugin check_readiness = {
	.info = &info,
	.config_size = sizeof(struct readiness_config),
	.observed_size = sizeof(struct readiness_run),
	.config_init = config_init,
	.config_free = config_free_any,
	.option = handle_option,
	.validate = validate,
	.instead = instead,
	.probe = probe,
	.evaluate = evaluate,
	.after = after,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_readiness, argc, argv);
}
