/* check_units: are the systemd units and timers the system needs there,
 * loaded, active and on schedule? Through systemd's D-Bus API (sd-bus):
 * no systemctl is started and no text of its is parsed. A unit that is
 * down says why in the manager's words and in the last line its journal
 * holds, redacted.
 *
 * options -> probe (the manager's API and the journal: the only I/O) ->
 * units_evaluate (pure, units_eval.c) -> render. */
#include "check_units.h"
#include "rp_cli.h"
#include "rp_journal.h"
#include "rp_number.h"
#include "rp_run.h"
#include "rp_secret.h"
#include "rp_strv.h"
#include "rp_unit.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_LINES_MAX 1000

enum {
	OPT_UNIT = 0x100,
	OPT_TIMER,
	OPT_FAILED,
	OPT_ONESHOT_OK,
	OPT_ENABLED,
	OPT_USER,
	OPT_JOURNAL_DIR,
	OPT_LOG_LINES,
	OPT_TIMER_FACTOR,
	OPT_UNIT_FILE,
};

static const struct rp_option options[] = {
	{ "unit", 0, true, "NAME",
	  "a unit that must be active (repeatable; globs allowed; no suffix means .service)",
	  OPT_UNIT },
	{ "timer", 0, true, "NAME",
	  "a timer that must be active, on schedule, its service's last run successful "
	  "(repeatable)",
	  OPT_TIMER },
	{ "failed", 0, false, NULL, "no unit of the manager may be failed (systemctl --failed)",
	  OPT_FAILED },
	{ "oneshot-ok", 0, false, NULL, "a oneshot service that ran and exited 0 counts as ready",
	  OPT_ONESHOT_OK },
	{ "enabled", 0, false, NULL,
	  "every --unit must be enabled: start at boot (a --timer always must)", OPT_ENABLED },
	{ "user", 0, false, NULL, "the user's service manager instead of the system's", OPT_USER },
	{ "journal-dir", 0, true, "DIR",
	  "read the journal files in DIR (a container's) instead of the local journal",
	  OPT_JOURNAL_DIR },
	{ "log-lines", 0, true, "N", "journal lines read for a unit that is not ready (default 20)",
	  OPT_LOG_LINES },
	{ "timer-factor", 0, true, "F",
	  "a timer is late when its last trigger is older than F times its period (default 2)",
	  OPT_TIMER_FACTOR },
	{ "unit-file", 0, true, "PATH",
	  "a unit file checked on its own, installed or not: its Exec programs, User, Group, "
	  "WorkingDirectory, EnvironmentFile (repeatable; no manager needed)",
	  OPT_UNIT_FILE },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "active", RP_UNIT_NONE, false, "checked units active", NULL },
	{ "failed", RP_UNIT_NONE, false,
	  "checked units failed (with --failed: the manager's failed units)", NULL },
	{ "restarts", RP_UNIT_NONE, true, "restarts.NAME: how often the manager restarted it",
	  NULL },
	{ "age", RP_UNIT_SECONDS, true, "age.NAME: seconds since the timer last triggered", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "check_units",
	.label = "UNITS",
	.purpose = "systemd units and timers: installed, loaded, active, on schedule, and why not",
	.synopsis = "(--unit NAME | --timer NAME | --failed | --unit-file PATH)... [--enabled]\n"
	            "       [--oneshot-ok]"
	            "       [--user] [--journal-dir DIR] [--log-lines N] [--timer-factor F]\n"
	            "       [-w/-c restarts=RANGE] [-w/-c age=RANGE]",
	.options = options,
	.metrics = metrics,
	.primary_metric = NULL,
	.notes = "Through systemd's D-Bus API (sd-bus): the system bus is\n"
	         "$DBUS_SYSTEM_BUS_ADDRESS when set. A unit that is not ready shows its last\n"
	         "journal lines with -v, redacted; reading them needs the adm or\n"
	         "systemd-journal group.\n",
	.examples = "  check_units --unit api --unit 'worker@*' -c restarts=3\n"
	            "  check_units --unit nginx --unit redis-server --enabled --failed\n"
	            "  check_units --timer integration.timer -c age=30m\n"
	            "  check_units --user --unit syncthing\n"
	            "  check_units --unit-file deploy/systemd/api.service\n",
};

/* The types a unit name may end in; a name with none is a service's, as
 * systemctl reads it. */
static bool has_type(const char *name)
{
	static const char *const types[] = { ".service", ".socket",    ".target", ".device",
		                             ".mount",   ".automount", ".swap",   ".timer",
		                             ".path",    ".slice",     ".scope" };
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		size_t k = strlen(types[i]);
		if (n > k && !strcmp(name + n - k, types[i]))
			return true;
	}
	return false;
}

/* A name or glob with no type gets suffix (".service", ".timer"). */
static void push_unit(char ***v, size_t *n, const char *arg, const char *suffix)
{
	char *name = has_type(arg) ? rp_xstrdup(arg) : rp_xasprintf("%s%s", arg, suffix);
	rp_strv_push(v, n, name);
	free(name);
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct units_config *cfg = cfgp;
	long long n;
	switch (id) {
	case OPT_UNIT:
	case OPT_TIMER:
		if (!*arg || strchr(arg, '/')) {
			snprintf(err, errlen, "--%s '%.60s': a unit name, not a path",
			         id == OPT_UNIT ? "unit" : "timer", arg);
			return false;
		}
		if (id == OPT_UNIT)
			push_unit(&cfg->units, &cfg->nunits, arg, ".service");
		else
			push_unit(&cfg->timers, &cfg->ntimers, arg, ".timer");
		return true;
	case OPT_FAILED:
		cfg->failed = true;
		return true;
	case OPT_UNIT_FILE:
		rp_strv_push(&cfg->unit_files, &cfg->nunit_files, arg);
		return true;
	case OPT_ONESHOT_OK:
		cfg->oneshot_ok = true;
		return true;
	case OPT_ENABLED:
		cfg->enabled = true;
		return true;
	case OPT_USER:
		cfg->user = true;
		return true;
	case OPT_JOURNAL_DIR:
		cfg->journal_dir = arg;
		return true;
	case OPT_LOG_LINES:
		if (!rp_number_parse_ll(arg, &n) || n < 0 || n > LOG_LINES_MAX) {
			snprintf(err, errlen, "--log-lines '%.40s': a number from 0 to %d", arg,
			         LOG_LINES_MAX);
			return false;
		}
		cfg->log_lines = (long)n;
		return true;
	case OPT_TIMER_FACTOR:
		if (!rp_number_parse(arg, strlen(arg), &cfg->timer_factor) ||
		    cfg->timer_factor < 1 || cfg->timer_factor > 1000) {
			snprintf(err, errlen, "--timer-factor '%.40s': a number from 1 to 1000",
			         arg);
			return false;
		}
		return true;
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct units_config *cfg = cfgp;
	if (!cfg->nunits && !cfg->ntimers && !cfg->failed && !cfg->nunit_files) {
		snprintf(cli->err, sizeof cli->err,
		         "say what must run: --unit NAME, --timer NAME, --failed or --unit-file "
		         "PATH");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ probe */

static struct unit_obs *add_obs(struct units_observed *o, const char *name, enum unit_role role)
{
	for (size_t i = 0; i < o->n; i++)
		if (!o->u[i].pattern && !strcmp(o->u[i].name, name))
			return NULL; /* asked for twice: checked once */
	o->u = rp_xreallocarray(o->u, o->n + 1, sizeof *o->u);
	struct unit_obs *c = &o->u[o->n++];
	memset(c, 0, sizeof *c);
	c->name = rp_xstrdup(name);
	c->role = role;
	return c;
}

static void read_unit(struct rp_systemd *sd, const struct rp_deadline *dl, struct unit_obs *c)
{
	char err[300];
	rp_systemd_set_timeout(sd, rp_deadline_remaining(dl));
	c->read = rp_systemd_unit_get(sd, c->name, &c->u, err, sizeof err);
	if (!c->read) {
		c->error = rp_xstrdup(err);
		return;
	}
	if (c->role == ROLE_TIMER && c->u.trigger && *c->u.trigger &&
	    !rp_systemd_unit_get(sd, c->u.trigger, &c->service, err, sizeof err))
		rp_systemd_unit_free(&c->service); /* the timer is still judged */
}

/* Each name a --unit or --timer gives: itself, or what its glob matches. */
static void select_units(struct rp_systemd *sd, const struct rp_deadline *dl,
                         struct units_observed *o, char **wanted, size_t nwanted,
                         enum unit_role role)
{
	for (size_t k = 0; k < nwanted; k++) {
		const char *want = wanted[k];
		if (!strpbrk(want, "*?[")) {
			struct unit_obs *c = add_obs(o, want, role);
			if (c)
				read_unit(sd, dl, c);
			continue;
		}
		char **names = NULL, err[300];
		size_t n = 0;
		rp_systemd_set_timeout(sd, rp_deadline_remaining(dl));
		if (!rp_systemd_match(sd, want, &names, &n, err, sizeof err)) {
			struct unit_obs *c = add_obs(o, want, role);
			if (c)
				c->error = rp_xstrdup(err);
		} else if (!n) {
			add_obs(o, want, role)->pattern = true;
		}
		for (size_t i = 0; i < n; i++) {
			struct unit_obs *c = add_obs(o, names[i], role);
			if (c)
				read_unit(sd, dl, c);
		}
		rp_strv_free(names, n);
	}
}

/* A service running now (started again, or long-running): its manager
 * properties describe this run, not how the last one ended. */
static bool running_now(const struct rp_systemd_unit *u)
{
	const char *a = u->active_state ? u->active_state : "";
	return !strcmp(a, "activating") || !strcmp(a, "active") || !strcmp(a, "reloading") ||
	       !strcmp(a, "deactivating");
}

/* Worth its journal lines: not ready, or restarted; for a timer, the
 * service it starts when its last run failed. */
static const struct rp_systemd_unit *troubled(const struct unit_obs *c)
{
	if (!c->read || !c->u.load_state || strcmp(c->u.load_state, "loaded") != 0)
		return NULL;
	const struct rp_systemd_unit *u = c->role == ROLE_TIMER ? &c->service : &c->u;
	if (!u->id)
		return NULL;
	if (c->role == ROLE_TIMER) {
		bool failed = (u->result && strcmp(u->result, "success") != 0) ||
		              (u->active_state && !strcmp(u->active_state, "failed")) ||
		              (c->previous.known && strcmp(c->previous.result, "success") != 0);
		return failed ? u : NULL;
	}
	bool ok = u->active_state && !strcmp(u->active_state, "active") && !u->n_restarts;
	return ok ? NULL : u;
}

/* Its last journal lines, its own secret values masked, URLs redacted. */
static void read_journal(const struct units_config *cfg, struct unit_obs *c)
{
	char err[300];
	if (c->role == ROLE_TIMER && c->service.id && running_now(&c->service) &&
	    !rp_journal_last_result(cfg->journal_dir, c->service.id, cfg->user, &c->previous, err,
	                            sizeof err))
		c->log_error = rp_xstrdup(err);
	const struct rp_systemd_unit *u = troubled(c);
	if (!u || cfg->log_lines <= 0)
		return;
	struct rp_buf raw;
	rp_buf_init_secret(&raw);
	if (rp_journal_tail(cfg->journal_dir, u->id, cfg->user, (size_t)cfg->log_lines, &raw, err,
	                    sizeof err))
		rp_secret_clean_log(raw.data ? raw.data : "", raw.len, u->secrets, u->nsecrets,
		                    &c->log, &c->error_line);
	else if (!c->log_error)
		c->log_error = rp_xstrdup(err);
	rp_buf_free(&raw);
}

static void read_failed(struct rp_systemd *sd, const struct rp_deadline *dl,
                        struct units_observed *o)
{
	char err[300];
	rp_systemd_set_timeout(sd, rp_deadline_remaining(dl));
	if (!rp_systemd_failed(sd, &o->failed, &o->nfailed, err, sizeof err)) {
		o->reached = false;
		snprintf(o->error, sizeof o->error, "%s", err);
		return;
	}
	for (size_t i = 0; i < o->nfailed; i++) {
		struct unit_obs *c = add_obs(o, o->failed[i], ROLE_UNIT);
		if (c)
			read_unit(sd, dl, c);
	}
}

static void probe(const void *cfgp, const struct rp_cli *cli, void *seen)
{
	const struct units_config *cfg = cfgp;
	struct units_observed *o = seen;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	o->now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	o->files = rp_xcalloc(cfg->nunit_files + 1, sizeof *o->files);
	for (; o->nfiles < cfg->nunit_files; o->nfiles++)
		units_file_inspect(cfg->unit_files[o->nfiles], &o->files[o->nfiles]);
	o->reached = true;
	if (!cfg->nunits && !cfg->ntimers && !cfg->failed)
		return; /* unit files only: no manager needed */
	o->reached = false;
	struct rp_systemd *sd = NULL;
	char err[300];
	if (!rp_systemd_open(&sd, cfg->user, rp_deadline_remaining(&cli->deadline), err,
	                     sizeof err)) {
		snprintf(o->error, sizeof o->error, "cannot reach systemd: %s", err);
		return;
	}
	o->reached = true;
	select_units(sd, &cli->deadline, o, cfg->units, cfg->nunits, ROLE_UNIT);
	select_units(sd, &cli->deadline, o, cfg->timers, cfg->ntimers, ROLE_TIMER);
	if (cfg->failed)
		read_failed(sd, &cli->deadline, o);
	rp_systemd_close(sd);
	for (size_t i = 0; i < o->n && o->reached; i++)
		read_journal(cfg, &o->u[i]);
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct units_config *cfg = cfgp;
	cfg->log_lines = 20;
	cfg->timer_factor = 2;
}

static void config_free(void *cfgp)
{
	struct units_config *cfg = cfgp;
	rp_strv_free(cfg->units, cfg->nunits);
	rp_strv_free(cfg->timers, cfg->ntimers);
	rp_strv_free(cfg->unit_files, cfg->nunit_files);
}

static struct rp_check *evaluate(const void *cfg, const void *seen, const struct rp_cli *cli)
{
	return units_evaluate(cfg, seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *seen)
{
	(void)cfg;
	units_observed_free(seen);
}

static const struct rp_plugin check_units = {
	.info = &info,
	.config_size = sizeof(struct units_config),
	.observed_size = sizeof(struct units_observed),
	.config_init = config_init,
	.config_free = config_free,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_units, argc, argv);
}
