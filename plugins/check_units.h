/* check_units.h: configuration and observations of check_units, shared by
 * the plugin (options, the manager's D-Bus API and the journal: the only
 * I/O) and its pure evaluate step (units_eval.c). */
#ifndef CHECK_UNITS_H
#define CHECK_UNITS_H

#include "rp_check.h"
#include "rp_journal.h"
#include "rp_systemd.h"
#include "rp_thresholds.h"

#include <stdbool.h>
#include <stddef.h>

struct units_config {
	char **units; /* --unit: names or globs */
	size_t nunits;
	char **timers; /* --timer */
	size_t ntimers;
	bool failed;             /* --failed: no unit of the system may be failed */
	bool oneshot_ok;         /* --oneshot-ok: an exited oneshot that succeeded is fine */
	bool enabled;            /* --enabled: every --unit and --timer enabled */
	bool user;               /* --user: the user's manager */
	const char *journal_dir; /* --journal-dir */
	long log_lines;          /* --log-lines */
	double timer_factor;     /* --timer-factor: late after factor x interval */
	char **unit_files;       /* --unit-file: checked on its own, not installed */
	size_t nunit_files;
};

/* What a unit file names, looked at (units_file.c). */
enum unitfile_what { UF_EXEC, UF_NO_EXEC, UF_USER, UF_GROUP, UF_WORKDIR, UF_ENVFILE };
enum unitfile_result {
	UF_OK = 0,
	UF_MISSING,
	UF_NOT_EXECUTABLE,
	UF_NOT_DIR,
	UF_NOT_FILE,
	UF_UNCHECKED, /* a specifier (%h) or variable: known only when it runs */
};

struct unitfile_fact {
	enum unitfile_what what;
	char *key;   /* "ExecStartPre", "User", ... */
	char *value; /* the program, user, group or path */
	int line;
	enum unitfile_result result;
	bool optional; /* '-': systemd tolerates its absence */
};

struct unitfile_obs {
	char *path;
	char *error;  /* it could not be read: why */
	bool missing; /* it does not exist */
	char *parse_error;
	int bad_line;
	struct unitfile_fact *f;
	size_t n;
};

enum unit_role {
	ROLE_UNIT = 0, /* asked for with --unit */
	ROLE_TIMER,    /* asked for with --timer */
};

/* One unit asked for (or a glob that matched none). */
struct unit_obs {
	char *name; /* the unit's id; or the glob asked for */
	enum unit_role role;
	bool pattern; /* a glob that matched nothing */
	bool read;    /* its properties were read */
	char *error;  /* reading them failed: why */
	struct rp_systemd_unit u;
	/* a timer: the unit it starts, as read (service.id NULL when not),
	 * and, while that runs again, how its previous run ended (journal) */
	struct rp_systemd_unit service;
	struct rp_journal_result previous;
	char *log;        /* the last journal lines, redacted and sanitised, or NULL */
	char *error_line; /* the last one that says why, or NULL */
	char *log_error;  /* the journal could not be read: why */
};

struct units_observed {
	bool reached;
	char error[512];
	double now; /* unix seconds */
	struct unit_obs *u;
	size_t n;
	char **failed; /* --failed: units in state failed */
	size_t nfailed;
	struct unitfile_obs *files; /* --unit-file */
	size_t nfiles;
};

struct rp_check *units_evaluate(const struct units_config *cfg, const struct units_observed *o,
                                const struct rp_thresholds *t);

void units_observed_free(struct units_observed *o);

/* --unit-file (units_file.c): read and parse path, then look at what it
 * names (the only I/O); and the findings on one, pure. */
void units_file_inspect(const char *path, struct unitfile_obs *u);
/* Adds its findings to root; returns true when it is sound. */
bool units_file_evaluate(struct rp_check *root, const struct unitfile_obs *u);
void units_file_free(struct unitfile_obs *u);

#endif
