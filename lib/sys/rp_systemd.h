/* rp_systemd.h: systemd's manager, asked over D-Bus with sd-bus: a unit's
 * states, its service's last exit and restarts, a timer's triggers, the
 * units a glob names and the units that failed. One connection serves a
 * whole check; never `systemctl` text. Users link $(SYSTEMD_LIBS).
 *
 * The system bus is $DBUS_SYSTEM_BUS_ADDRESS when set (sd-bus reads it),
 * the user bus $DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus. */
#ifndef RP_SYSTEMD_H
#define RP_SYSTEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rp_systemd;

/* Connects to the system manager (or the user's with user). Each call
 * afterwards waits at most timeout_s. False with err in words. */
bool rp_systemd_open(struct rp_systemd **out, bool user, double timeout_s, char *err,
                     size_t errlen);
void rp_systemd_close(struct rp_systemd *sd);
/* The time left for each later call (a check's deadline shrinks). */
void rp_systemd_set_timeout(struct rp_systemd *sd, double timeout_s);

/* A timer's schedule entry: OnCalendar's expression, or a monotonic base
 * (OnUnitActiveUSec, OnBootUSec, ...) and its interval. */
struct rp_systemd_schedule {
	char *base; /* "OnCalendar", "OnUnitActiveUSec", ... */
	char *calendar;
	uint64_t usec;
};

/* A unit as the manager sees it. Timestamps are CLOCK_REALTIME
 * microseconds, 0 when it never happened. */
struct rp_systemd_unit {
	char *id;
	char *load_state; /* loaded, not-found, masked, bad-setting, error */
	char *load_error; /* the reason a unit did not load, "" when none */
	char *active_state, *sub_state;
	char *unit_file_state; /* enabled, disabled, static, masked, "" */
	uint64_t active_enter, inactive_enter;
	/* a service */
	char *type;   /* simple, oneshot, ... */
	char *result; /* success, exit-code, signal, core-dump, timeout, ... */
	unsigned n_restarts;
	int exec_main_code; /* CLD_EXITED 1, CLD_KILLED 2, CLD_DUMPED 3; 0: never */
	int exec_main_status;
	uint64_t exec_main_exit;
	/* the values of its Environment= settings whose names are secrets'
	 * (rp_secret_name): kept only to mask them in its journal lines */
	char **secrets;
	size_t nsecrets;
	/* a timer */
	char *trigger;         /* the unit it starts */
	uint64_t last_trigger; /* realtime */
	uint64_t next_elapse;  /* realtime, 0 when none is planned */
	struct rp_systemd_schedule *schedule;
	size_t nschedule;
};

/* The unit's properties (a unit with no file is load_state "not-found";
 * that is an answer, not an error). False with err when asking failed. */
bool rp_systemd_unit_get(struct rp_systemd *sd, const char *name, struct rp_systemd_unit *u,
                         char *err, size_t errlen);
void rp_systemd_unit_free(struct rp_systemd_unit *u);

/* The names a glob matches among loaded units and installed unit files
 * (templates excluded), sorted, each once. */
bool rp_systemd_match(struct rp_systemd *sd, const char *glob, char ***names, size_t *n, char *err,
                      size_t errlen);

/* The names of the units in state "failed", sorted. */
bool rp_systemd_failed(struct rp_systemd *sd, char ***names, size_t *n, char *err, size_t errlen);

/* "exit 1", "signal SEGV", "core dumped (ABRT)", or "" for an exit 0 or
 * none: how a service's main process ended, in words. */
void rp_systemd_exit_words(int code, int status, char *out, size_t outlen);

#endif
