/* units_eval.c: check_units' evaluate step, pure: what the manager said
 * of each unit and timer in, findings out. A unit is ready when it is
 * loaded and active; one that is not says why in the manager's words
 * (its result, how its main process ended) and the line its journal ends
 * on. A timer is ready when it is active, has triggered within its own
 * period (times --timer-factor) and the service it starts last succeeded. */
#include "check_units.h"
#include "rp_state.h"
#include "rp_strv.h"
#include "rp_unit.h"
#include "rp_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A service restarted and up for less than this is still looping. */
#define LOOP_UP_SECONDS 60

static double seconds(uint64_t usec)
{
	return (double)usec / 1e6;
}

static const char *duration(struct rp_check *root, double s)
{
	char buf[RP_DURATION_BUF];
	return rp_check_keep(root, rp_xstrdup(rp_unit_format_duration(s < 0 ? 0 : s, buf)));
}

/* " 5m ago", or "" when the time is unknown. */
static const char *ago(struct rp_check *root, double now, uint64_t then)
{
	if (!then || now < seconds(then))
		return "";
	return rp_check_keep(root, rp_xasprintf(" %s ago", duration(root, now - seconds(then))));
}

/* ": the error line" when there is one. */
static const char *because(struct rp_check *root, const struct unit_obs *c)
{
	return c->error_line ? rp_check_keep(root, rp_xasprintf(": %s", c->error_line)) : "";
}

static bool is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

/* How a service's last run ended, from its Result and main process:
 * "exit 1", "signal SEGV", "timed out", ... ; "" for success. */
static const char *ended(struct rp_check *root, const struct rp_systemd_unit *u)
{
	char how[64];
	rp_systemd_exit_words(u->exec_main_code, u->exec_main_status, how, sizeof how);
	const char *r = u->result ? u->result : "";
	const char *words = *how                       ? how
	                    : is(r, "timeout")         ? "timed out"
	                    : is(r, "start-limit-hit") ? "start limit hit: restarted too often"
	                    : is(r, "oom-kill")        ? "killed for lack of memory (OOM)"
	                    : is(r, "watchdog")        ? "watchdog timeout"
	                    : is(r, "resources")       ? "could not get its resources (a file, "
	                                                 "user or directory missing)"
	                    : is(r, "exec-condition")  ? "its ExecCondition failed"
	                    : *r && !is(r, "success")  ? r
	                                               : "";
	if (*how && *r && !is(r, "success") && !is(r, "exit-code") && !is(r, "signal") &&
	    !is(r, "core-dump"))
		return rp_check_keep(root,
		                     rp_xasprintf("%s, %s", rp_check_clean(root, r, 30), how));
	return rp_check_clean(root, words, 100);
}

/* " (how)" or "". */
static const char *paren(struct rp_check *root, const char *how)
{
	return *how ? rp_check_keep(root, rp_xasprintf(" (%s)", how)) : "";
}

/* A unit whose file did not load: missing, masked, broken. */
static struct rp_check *not_loaded(struct rp_check *root, const struct unit_obs *c,
                                   const char *name)
{
	const char *load = c->u.load_state ? c->u.load_state : "";
	if (is(load, "not-found"))
		return rp_check_add(root, RP_CRITICAL, "%s: no such unit", name);
	if (is(load, "masked"))
		return rp_check_add(root, RP_CRITICAL, "%s is masked", name);
	if (is(load, "bad-setting") || is(load, "error"))
		return rp_check_add(root, RP_CRITICAL, "%s cannot be loaded (%s)%s%s", name, load,
		                    c->u.load_error && *c->u.load_error ? ": " : "",
		                    c->u.load_error ? rp_check_clean(root, c->u.load_error, 120)
		                                    : "");
	return rp_check_add(root, RP_UNKNOWN, "%s: load state '%s'", name,
	                    rp_check_clean(root, load, 30));
}

/* Restarted by its policy: waiting to restart, or up again too briefly to
 * count as running. */
static bool looping(const struct rp_systemd_unit *u, double now)
{
	if (is(u->sub_state, "auto-restart"))
		return true;
	if (!u->n_restarts)
		return false;
	if (is(u->active_state, "activating"))
		return true;
	return is(u->active_state, "active") && u->active_enter &&
	       now - seconds(u->active_enter) < LOOP_UP_SECONDS;
}

/* An inactive unit: done (a oneshot that succeeded, with --oneshot-ok) or
 * not running. */
static struct rp_check *inactive(struct rp_check *root, const struct units_config *cfg,
                                 const struct unit_obs *c, const char *name, double now)
{
	const struct rp_systemd_unit *u = &c->u;
	const char *how = ended(root, u);
	if (cfg->oneshot_ok && is(u->type, "oneshot") && u->exec_main_code && !*how)
		return rp_check_add(root, RP_OK, "%s exited successfully%s", name,
		                    ago(root, now, u->exec_main_exit));
	if (!u->inactive_enter && !u->exec_main_exit)
		return rp_check_add(root, RP_CRITICAL, "%s inactive, never started", name);
	return rp_check_add(root, RP_CRITICAL, "%s inactive (%s)%s%s%s", name,
	                    rp_check_clean(root, u->sub_state ? u->sub_state : "dead", 20),
	                    *how ? ", last run " : "", how, ago(root, now, u->inactive_enter));
}

/* A loaded unit's active state, worded. */
static struct rp_check *activity(struct rp_check *root, const struct units_config *cfg,
                                 const struct unit_obs *c, const char *name, double now)
{
	const struct rp_systemd_unit *u = &c->u;
	const char *sub = rp_check_clean(root, u->sub_state ? u->sub_state : "", 20);
	if (looping(u, now))
		return rp_check_add(root, RP_CRITICAL,
		                    "%s restarting in a loop (%s%s%u restart%s)%s", name,
		                    ended(root, u), *ended(root, u) ? ", " : "", u->n_restarts,
		                    u->n_restarts == 1 ? "" : "s", because(root, c));
	if (is(u->active_state, "active") || is(u->active_state, "reloading"))
		return rp_check_add(root, RP_OK, "%s active (%s)", name, sub);
	if (is(u->active_state, "failed"))
		return rp_check_add(root, RP_CRITICAL, "%s failed%s%s%s", name,
		                    paren(root, ended(root, u)), ago(root, now, u->inactive_enter),
		                    because(root, c));
	if (is(u->active_state, "activating"))
		return rp_check_add(root, RP_WARNING, "%s starting (activating/%s)", name, sub);
	if (is(u->active_state, "deactivating"))
		return rp_check_add(root, RP_CRITICAL, "%s stopping (deactivating/%s)", name, sub);
	if (is(u->active_state, "inactive"))
		return inactive(root, cfg, c, name, now);
	return rp_check_add(root, RP_UNKNOWN, "%s: active state '%s'", name,
	                    rp_check_clean(root, u->active_state ? u->active_state : "", 30));
}

/* The unit starts at boot (or is pulled in by one that does): asked with
 * --enabled, and always of a timer (one started by hand stops at the
 * next boot, and its job with it). */
static void enabled(struct rp_check *root, const struct units_config *cfg, const struct unit_obs *c,
                    const char *name)
{
	const char *f = c->u.unit_file_state ? c->u.unit_file_state : "";
	static const char *const fine[] = { "enabled",   "enabled-runtime", "static",
		                            "generated", "alias",           "transient" };
	if (!cfg->enabled && c->role != ROLE_TIMER)
		return;
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++)
		if (is(f, fine[i]))
			return;
	rp_check_add(root, RP_CRITICAL, "%s is not enabled (%s): it does not start at boot", name,
	             *f ? rp_check_clean(root, f, 20) : "no unit file state");
}

/* The shortest period among a timer's entries: a repeating monotonic one
 * (OnUnitActiveSec, OnUnitInactiveSec), else for a calendar the span from
 * its last trigger to its next; 0 when it has none. */
static double period(const struct rp_systemd_unit *u)
{
	double p = 0;
	for (size_t i = 0; i < u->nschedule; i++) {
		const struct rp_systemd_schedule *s = &u->schedule[i];
		bool repeats = is(s->base, "OnUnitActiveUSec") || is(s->base, "OnUnitInactiveUSec");
		if (repeats && s->usec && (!p || seconds(s->usec) < p))
			p = seconds(s->usec);
	}
	if (!p && u->last_trigger && u->next_elapse > u->last_trigger)
		p = seconds(u->next_elapse - u->last_trigger);
	return p;
}

/* The service a timer starts, running again now: its properties are this
 * run's, so the last finished run is the one the manager logged. */
static void previous_run(struct rp_check *root, const struct unit_obs *c, const char *name,
                         const char *sname, double now)
{
	const struct rp_journal_result *p = &c->previous;
	if (!p->known) {
		rp_check_detail(root, 1,
		                "%s is running now; how its last run ended is not in the "
		                "journal",
		                sname);
		return;
	}
	if (is(p->result, "success"))
		return;
	const char *how =
	        *p->how ? rp_check_clean(root, p->how, 40) : rp_check_clean(root, p->result, 30);
	rp_check_add(root, RP_CRITICAL, "%s: its last run of %s failed (%s)%s%s, running again now",
	             name, sname, how, ago(root, now, p->when), because(root, c));
}

/* The service a timer starts: its last run must have succeeded. */
static void timer_service(struct rp_check *root, const struct unit_obs *c, const char *name,
                          double now)
{
	const struct rp_systemd_unit *s = &c->service;
	if (!s->id)
		return;
	const char *sname = rp_check_clean(root, s->id, 80);
	if (!is(s->load_state, "loaded")) {
		rp_check_add(root, RP_CRITICAL, "%s starts %s, which is %s", name, sname,
		             is(s->load_state, "not-found")
		                     ? "not installed"
		                     : rp_check_clean(root, s->load_state, 20));
		return;
	}
	if (is(s->active_state, "activating") || is(s->active_state, "active") ||
	    is(s->active_state, "reloading") || is(s->active_state, "deactivating")) {
		previous_run(root, c, name, sname, now);
		return;
	}
	const char *how = ended(root, s);
	if (is(s->active_state, "failed") || *how)
		rp_check_add(root, RP_CRITICAL, "%s: its last run of %s failed%s%s%s", name, sname,
		             paren(root, how), ago(root, now, s->exec_main_exit), because(root, c));
}

static enum rp_state timer(struct rp_check *root, const struct units_config *cfg,
                           const struct unit_obs *c, const char *name, double now,
                           const struct rp_thresholds *t)
{
	const struct rp_systemd_unit *u = &c->u;
	char *label = rp_xasprintf("age.%s", c->name);
	double every = period(u), age = u->last_trigger ? now - seconds(u->last_trigger) : NAN;
	double limit = every * cfg->timer_factor;
	struct rp_check *line;
	if (!is(u->active_state, "active"))
		line = rp_check_add(root, RP_CRITICAL, "%s inactive (%s): it triggers nothing",
		                    name,
		                    rp_check_clean(root, u->sub_state ? u->sub_state : "dead", 20));
	else if (!u->last_trigger && !u->next_elapse)
		line = rp_check_add(root, RP_CRITICAL, "%s never triggered and has nothing planned",
		                    name);
	else if (!u->last_trigger && every && u->active_enter &&
	         now - seconds(u->active_enter) > limit)
		line = rp_check_add(root, RP_CRITICAL, "%s never triggered in %s (every %s)", name,
		                    duration(root, now - seconds(u->active_enter)),
		                    duration(root, every));
	else if (!u->last_trigger)
		line = rp_check_add(root, RP_OK, "%s not triggered yet (next in %s)", name,
		                    duration(root, seconds(u->next_elapse) - now));
	else if (every && age > limit)
		line = rp_check_add(root, RP_CRITICAL,
		                    "%s last triggered %s ago, expected every %s", name,
		                    duration(root, age), duration(root, every));
	else
		line = rp_check_add(root, RP_OK, "%s triggered %s ago%s", name, duration(root, age),
		                    every ? rp_check_keep(root, rp_xasprintf(" (every %s)",
		                                                             duration(root, every)))
		                          : "");
	enum rp_state st = rp_check_state(line);
	if (isnan(age))
		rp_check_add_perf_unknown(root, label, RP_UNIT_SECONDS, t);
	else
		st = rp_state_worst(st, rp_check_metric(root, label, age, RP_UNIT_SECONDS, t));
	if (st != rp_check_state(line))
		rp_check_add(root, st, "%s last triggered %s ago", name, duration(root, age));
	free(label);
	timer_service(root, c, name, now);
	rp_check_detail_lines(line, 1, "the last journal lines of the service it starts:", c->log);
	return st;
}

/* A service's restarts against -w/-c restarts=, worded here so the first
 * line says it. */
static void restarts(struct rp_check *root, const struct unit_obs *c, const char *name,
                     const struct rp_thresholds *t)
{
	if (!c->u.type)
		return; /* not a service */
	char *label = rp_xasprintf("restarts.%s", c->name);
	enum rp_state st = rp_check_metric(root, label, c->u.n_restarts, RP_UNIT_NONE, t);
	if (st != RP_OK)
		rp_check_add(root, st, "%s restarted %u time%s%s", name, c->u.n_restarts,
		             c->u.n_restarts == 1 ? "" : "s", because(root, c));
	free(label);
}

static void one(struct rp_check *root, const struct units_config *cfg, const struct unit_obs *c,
                double now, const struct rp_thresholds *t)
{
	const char *name = rp_check_clean(root, c->name, 80);
	if (c->pattern) {
		rp_check_add(root, RP_CRITICAL, "no unit matches '%s'", name);
		return;
	}
	if (!c->read) {
		rp_check_add(root, RP_UNKNOWN, "%s: cannot read it: %s", name,
		             c->error ? rp_check_clean(root, c->error, 160) : "?");
		return;
	}
	if (!is(c->u.load_state, "loaded")) {
		not_loaded(root, c, name);
		return;
	}
	enabled(root, cfg, c, name);
	if (c->role == ROLE_TIMER) {
		timer(root, cfg, c, name, now, t);
	} else {
		struct rp_check *line = activity(root, cfg, c, name, now);
		rp_check_detail_lines(line, 1, "its last journal lines:", c->log);
		restarts(root, c, name, t);
	}
	if (c->log_error)
		rp_check_detail(root, 1, "%s: %s", name, rp_check_clean(root, c->log_error, 160));
}

static void summarize(struct rp_check *root, const struct units_config *cfg, size_t nactive,
                      size_t ndone, size_t ntimers, size_t nsound);

struct rp_check *units_evaluate(const struct units_config *cfg, const struct units_observed *o,
                                const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	if (!o->reached) {
		rp_check_add(root, RP_UNKNOWN, "%s", rp_check_clean(root, o->error, 300));
		rp_check_add_perf_unknown(root, "active", RP_UNIT_NONE, t);
		return root;
	}
	size_t nactive = 0, nfailed = 0, ntimers = 0, ndone = 0, nsound = 0;
	for (size_t i = 0; i < o->nfiles; i++)
		nsound += units_file_evaluate(root, &o->files[i]);
	for (size_t i = 0; i < o->n; i++) {
		const struct unit_obs *c = &o->u[i];
		one(root, cfg, c, o->now, t);
		bool loaded = c->read && is(c->u.load_state, "loaded");
		ntimers += loaded && c->role == ROLE_TIMER;
		nactive += loaded && c->role == ROLE_UNIT && is(c->u.active_state, "active");
		nfailed += loaded && is(c->u.active_state, "failed");
		ndone += loaded && c->role == ROLE_UNIT && cfg->oneshot_ok &&
		         is(c->u.active_state, "inactive") && is(c->u.type, "oneshot") &&
		         c->u.exec_main_code && !c->u.exec_main_status;
	}
	if (cfg->failed && !o->nfailed)
		rp_check_add(root, RP_OK, "no failed unit");
	if (cfg->nunits || cfg->ntimers || cfg->failed) { /* unit files alone: no counts */
		rp_check_add_perf(root, "active", (double)nactive, RP_UNIT_NONE, t);
		rp_check_add_perf(root, "failed", (double)(cfg->failed ? o->nfailed : nfailed),
		                  RP_UNIT_NONE, t);
	}
	if (rp_check_findings_text(root, o->n + o->nfiles, "unit"))
		return root;
	summarize(root, cfg, nactive, ndone, ntimers, nsound);
	return root;
}

static void summarize(struct rp_check *root, const struct units_config *cfg, size_t nactive,
                      size_t ndone, size_t ntimers, size_t nsound)
{
	const char *files =
	        nsound ? rp_check_keep(root, rp_xasprintf("%s%zu unit file%s sound",
	                                                  cfg->nunits || cfg->ntimers ? ", " : "",
	                                                  nsound, nsound == 1 ? "" : "s"))
	               : "";
	if (!cfg->nunits && !cfg->ntimers)
		rp_check_set_text(root, "%s%s%s", files, *files && cfg->failed ? ", " : "",
		                  cfg->failed ? "no failed unit" : "");
	else
		rp_check_set_text(
		        root, "%zu unit%s active%s%s%s%s", nactive, nactive == 1 ? "" : "s",
		        ndone ? rp_check_keep(root, rp_xasprintf(", %zu oneshot%s done", ndone,
		                                                 ndone == 1 ? "" : "s"))
		              : "",
		        ntimers ? rp_check_keep(root,
		                                rp_xasprintf(", %zu timer%s on schedule", ntimers,
		                                             ntimers == 1 ? "" : "s"))
		                : "",
		        files, cfg->failed ? ", no failed unit" : "");
}

void units_observed_free(struct units_observed *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct unit_obs *c = &o->u[i];
		free(c->name);
		free(c->error);
		rp_systemd_unit_free(&c->u);
		rp_systemd_unit_free(&c->service);
		free(c->log);
		free(c->error_line);
		free(c->log_error);
	}
	free(o->u);
	rp_strv_free(o->failed, o->nfailed);
	for (size_t i = 0; i < o->nfiles; i++)
		units_file_free(&o->files[i]);
	free(o->files);
	memset(o, 0, sizeof *o);
}
