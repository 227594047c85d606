/* rp_systemd.c: systemd's manager over D-Bus (sd-bus). Properties are
 * read with GetAll per interface: two round trips a unit on one
 * connection, where `systemctl show` starts a process and connects for
 * each. Reading a unit's object loads its file when needed, as systemctl
 * does; nothing is started, stopped or changed. */
#include "rp_systemd.h"
#include "rp_secret.h"
#include "rp_strv.h"
#include "rp_util.h"

#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#define MANAGER_DEST  "org.freedesktop.systemd1"
#define MANAGER_PATH  "/org/freedesktop/systemd1"
#define MANAGER_IFACE "org.freedesktop.systemd1.Manager"
#define UNIT_PREFIX   "/org/freedesktop/systemd1/unit"
/* a timer with more entries is unusual; the rest are not read */
#define SCHEDULE_MAX 64

struct rp_systemd {
	sd_bus *bus;
};

/* The bus's words for a failure: its D-Bus error, else errno's. */
static void say(char *err, size_t errlen, const char *what, const sd_bus_error *e, int r)
{
	if (e && sd_bus_error_is_set(e) && e->message)
		snprintf(err, errlen, "%s: %.200s", what, e->message);
	else
		snprintf(err, errlen, "%s: %s", what, strerror(r < 0 ? -r : r));
}

bool rp_systemd_open(struct rp_systemd **out, bool user, double timeout_s, char *err, size_t errlen)
{
	*out = NULL;
	sd_bus *bus = NULL;
	int r = user ? sd_bus_open_user(&bus) : sd_bus_open_system(&bus);
	if (r < 0) {
		const char *addr =
		        getenv(user ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS");
		char where[300] = "";
		const char *xdg = getenv("XDG_RUNTIME_DIR");
		if (addr)
			snprintf(where, sizeof where, "%.290s", addr);
		else if (!user)
			snprintf(where, sizeof where, "/run/dbus/system_bus_socket");
		else if (xdg)
			snprintf(where, sizeof where, "%.280s/bus", xdg);
		addr = where[0] ? where : NULL; /* sd-bus's defaults, said */
		if (r == -ENOMEDIUM)            /* sd-bus: no address to try */
			snprintf(
			        err, errlen,
			        "no user bus: neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR "
			        "is set");
		else
			snprintf(err, errlen, "no %s bus%s%.200s: %s", user ? "user" : "system",
			         addr ? " at " : "", addr ? addr : "", strerror(-r));
		return false;
	}
	struct rp_systemd *sd = rp_xcalloc(1, sizeof *sd);
	sd->bus = bus;
	rp_systemd_set_timeout(sd, timeout_s);
	*out = sd;
	return true;
}

void rp_systemd_close(struct rp_systemd *sd)
{
	if (!sd)
		return;
	sd_bus_flush_close_unref(sd->bus);
	free(sd);
}

void rp_systemd_set_timeout(struct rp_systemd *sd, double timeout_s)
{
	uint64_t usec = timeout_s > 0.001 ? (uint64_t)(timeout_s * 1e6) : 1000;
	sd_bus_set_method_call_timeout(sd->bus, usec);
}

/* ------------------------------------------------------------ properties */

enum kind { K_STR, K_U32, K_I32, K_U64, K_LOAD_ERROR, K_MONOTONIC, K_CALENDAR, K_ENV };

struct prop {
	const char *name;
	enum kind kind;
	size_t offset;
};

#define P(n, k, f)                                                                                 \
	{                                                                                          \
		n, k, offsetof(struct rp_systemd_unit, f)                                          \
	}

static const struct prop unit_props[] = {
	P("Id", K_STR, id),
	P("LoadState", K_STR, load_state),
	P("LoadError", K_LOAD_ERROR, load_error),
	P("ActiveState", K_STR, active_state),
	P("SubState", K_STR, sub_state),
	P("UnitFileState", K_STR, unit_file_state),
	P("ActiveEnterTimestamp", K_U64, active_enter),
	P("InactiveEnterTimestamp", K_U64, inactive_enter),
	{ NULL, K_STR, 0 },
};

static const struct prop service_props[] = {
	P("Type", K_STR, type),
	P("Result", K_STR, result),
	P("NRestarts", K_U32, n_restarts),
	P("ExecMainCode", K_I32, exec_main_code),
	P("ExecMainStatus", K_I32, exec_main_status),
	P("ExecMainExitTimestamp", K_U64, exec_main_exit),
	P("Environment", K_ENV, secrets),
	{ NULL, K_STR, 0 },
};

static const struct prop timer_props[] = {
	P("Unit", K_STR, trigger),
	P("Result", K_STR, result),
	P("LastTriggerUSec", K_U64, last_trigger),
	P("NextElapseUSecRealtime", K_U64, next_elapse),
	P("TimersMonotonic", K_MONOTONIC, schedule),
	P("TimersCalendar", K_CALENDAR, schedule),
	{ NULL, K_STR, 0 },
};

static const char *const signatures[] = {
	[K_STR] = "s",           [K_U32] = "u",           [K_I32] = "i",
	[K_U64] = "t",           [K_LOAD_ERROR] = "(ss)", [K_MONOTONIC] = "a(stt)",
	[K_CALENDAR] = "a(sst)", [K_ENV] = "as",
};

static void add_schedule(struct rp_systemd_unit *u, const char *base, const char *calendar,
                         uint64_t usec)
{
	if (u->nschedule >= SCHEDULE_MAX)
		return;
	u->schedule = rp_xreallocarray(u->schedule, u->nschedule + 1, sizeof *u->schedule);
	struct rp_systemd_schedule *s = &u->schedule[u->nschedule++];
	s->base = rp_xstrdup(base ? base : "");
	s->calendar = calendar ? rp_xstrdup(calendar) : NULL;
	s->usec = usec;
}

/* A timer's entries: a(stt) monotonic (base, interval, next) or a(sst)
 * calendar (base, expression, next). */
static int read_schedule(sd_bus_message *m, struct rp_systemd_unit *u, bool calendar)
{
	int r = sd_bus_message_enter_container(m, 'a', calendar ? "(sst)" : "(stt)");
	if (r < 0)
		return r;
	for (;;) {
		const char *base = NULL, *expr = NULL;
		uint64_t a = 0, next = 0;
		r = calendar ? sd_bus_message_read(m, "(sst)", &base, &expr, &next)
		             : sd_bus_message_read(m, "(stt)", &base, &a, &next);
		if (r <= 0)
			break;
		add_schedule(u, base, expr, a);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* Environment=: "NAME=value" strings; only secret-named values are kept. */
static int read_environment(sd_bus_message *m, struct rp_systemd_unit *u)
{
	int r = sd_bus_message_enter_container(m, 'a', "s");
	const char *kv;
	while (r >= 0 && (r = sd_bus_message_read_basic(m, 's', &kv)) > 0) {
		const char *eq = strchr(kv, '=');
		if (!eq || !eq[1] || u->nsecrets >= SCHEDULE_MAX)
			continue;
		char *name = rp_xstrndup(kv, (size_t)(eq - kv));
		if (rp_secret_name(name))
			rp_strv_push(&u->secrets, &u->nsecrets, eq + 1);
		free(name);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_value(sd_bus_message *m, const struct prop *p, struct rp_systemd_unit *u)
{
	char *at = (char *)u + p->offset;
	const char *s = NULL, *s2 = NULL;
	int r;
	switch (p->kind) {
	case K_STR:
		r = sd_bus_message_read_basic(m, 's', &s);
		if (r >= 0 && !*(char **)at)
			*(char **)at = rp_xstrdup(s ? s : "");
		return r;
	case K_U32:
		return sd_bus_message_read_basic(m, 'u', at);
	case K_I32:
		return sd_bus_message_read_basic(m, 'i', at);
	case K_U64:
		r = sd_bus_message_read_basic(m, 't', at);
		if (r >= 0 && *(uint64_t *)at == UINT64_MAX)
			*(uint64_t *)at = 0; /* "infinity": never, none planned */
		return r;
	case K_LOAD_ERROR:
		r = sd_bus_message_read(m, "(ss)", &s, &s2);
		if (r >= 0)
			*(char **)at = rp_xstrdup(s2 && *s2 ? s2 : "");
		return r;
	case K_MONOTONIC:
	case K_CALENDAR:
		return read_schedule(m, u, p->kind == K_CALENDAR);
	case K_ENV:
		return read_environment(m, u);
	}
	return -EINVAL;
}

/* One a{sv} entry: a property we know with the type we expect is read,
 * anything else skipped (a newer systemd may add or change some). */
static int read_entry(sd_bus_message *m, const struct prop *props, struct rp_systemd_unit *u)
{
	const char *name;
	int r = sd_bus_message_read_basic(m, 's', &name);
	if (r < 0)
		return r;
	const char *contents = NULL;
	r = sd_bus_message_peek_type(m, NULL, &contents);
	if (r < 0)
		return r;
	const struct prop *p = props;
	while (p->name && strcmp(p->name, name) != 0)
		p++;
	if (!p->name || !contents || strcmp(contents, signatures[p->kind]) != 0)
		return sd_bus_message_skip(m, "v");
	r = sd_bus_message_enter_container(m, 'v', contents);
	if (r < 0)
		return r;
	r = read_value(m, p, u);
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static bool get_all(struct rp_systemd *sd, const char *path, const char *iface,
                    const struct prop *props, struct rp_systemd_unit *u, char *err, size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r = sd_bus_call_method(sd->bus, MANAGER_DEST, path, "org.freedesktop.DBus.Properties",
	                           "GetAll", &e, &reply, "s", iface);
	if (r >= 0) {
		r = sd_bus_message_enter_container(reply, 'a', "{sv}");
		while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
			r = read_entry(reply, props, u);
			if (r >= 0)
				r = sd_bus_message_exit_container(reply);
		}
	}
	if (r < 0)
		say(err, errlen, "reading the unit's properties", &e, r);
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	return r >= 0;
}

static const char *ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix) ? s + n - k : NULL;
}

bool rp_systemd_unit_get(struct rp_systemd *sd, const char *name, struct rp_systemd_unit *u,
                         char *err, size_t errlen)
{
	memset(u, 0, sizeof *u);
	char *path = NULL;
	if (sd_bus_path_encode(UNIT_PREFIX, name, &path) < 0) {
		snprintf(err, errlen, "'%.100s' is not a unit name", name);
		return false;
	}
	bool ok = get_all(sd, path, "org.freedesktop.systemd1.Unit", unit_props, u, err, errlen);
	bool loaded = ok && u->load_state && !strcmp(u->load_state, "loaded");
	if (loaded && ends(name, ".service"))
		ok = get_all(sd, path, "org.freedesktop.systemd1.Service", service_props, u, err,
		             errlen);
	else if (loaded && ends(name, ".timer"))
		ok = get_all(sd, path, "org.freedesktop.systemd1.Timer", timer_props, u, err,
		             errlen);
	free(path);
	if (ok && !u->id)
		u->id = rp_xstrdup(name);
	return ok;
}

void rp_systemd_unit_free(struct rp_systemd_unit *u)
{
	char **strings[] = { &u->id,           &u->load_state, &u->load_error,
		             &u->active_state, &u->sub_state,  &u->unit_file_state,
		             &u->type,         &u->result,     &u->trigger };
	for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
		free(*strings[i]);
	for (size_t i = 0; i < u->nschedule; i++) {
		free(u->schedule[i].base);
		free(u->schedule[i].calendar);
	}
	free(u->schedule);
	for (size_t i = 0; i < u->nsecrets; i++)
		rp_secret_free(u->secrets[i]);
	free(u->secrets);
	memset(u, 0, sizeof *u);
}

/* ------------------------------------------------------------- listings */

static void add_name(char ***names, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*names)[i], name))
			return;
	rp_strv_push(names, n, name);
}

/* ListUnits... replies a(ssssssouso): the name, its description, its
 * load state, ... */
static int read_unit_list(sd_bus_message *m, const char *glob, char ***names, size_t *n)
{
	int r = sd_bus_message_enter_container(m, 'a', "(ssssssouso)");
	while (r >= 0) {
		const char *id, *load;
		r = sd_bus_message_read(m, "(ssssssouso)", &id, NULL, &load, NULL, NULL, NULL, NULL,
		                        NULL, NULL, NULL);
		if (r <= 0)
			break;
		/* a glob selects units that exist: one only named by another
		 * unit's Wants= is loaded as not-found, and is not selected */
		if (!glob || (fnmatch(glob, id, 0) == 0 && strcmp(load, "not-found") != 0))
			add_name(names, n, id);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* ListUnitFiles... replies a(ss): a path and its state; templates
 * ("name@.service") name no unit that could run. */
static int read_file_list(sd_bus_message *m, const char *glob, char ***names, size_t *n)
{
	int r = sd_bus_message_enter_container(m, 'a', "(ss)");
	while (r >= 0) {
		const char *file, *state;
		r = sd_bus_message_read(m, "(ss)", &file, &state);
		if (r <= 0)
			break;
		const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		const char *at = strchr(base, '@');
		bool template = at && at[1] == '.';
		if (!template && fnmatch(glob, base, 0) == 0)
			add_name(names, n, base);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A manager call whose reply read() takes apart into names. */
static bool list_call(struct rp_systemd *sd, const char *method, const char *glob,
                      int (*read)(sd_bus_message *, const char *, char ***, size_t *),
                      char ***names, size_t *n, char *err, size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL, *reply = NULL;
	int r = sd_bus_message_new_method_call(sd->bus, &call, MANAGER_DEST, MANAGER_PATH,
	                                       MANAGER_IFACE, method);
	if (r >= 0)
		r = strcmp(method, "ListUnitsFiltered") == 0
		            ? sd_bus_message_append(call, "as", 1, "failed")
		            : sd_bus_message_append(call, "asas", 0, 1, glob);
	if (r >= 0)
		r = sd_bus_call(sd->bus, call, 0, &e, &reply);
	if (r >= 0)
		r = read(reply, strcmp(method, "ListUnitsFiltered") ? glob : NULL, names, n);
	if (r < 0)
		say(err, errlen, method, &e, r);
	sd_bus_error_free(&e);
	sd_bus_message_unref(call);
	sd_bus_message_unref(reply);
	return r >= 0;
}

bool rp_systemd_match(struct rp_systemd *sd, const char *glob, char ***names, size_t *n, char *err,
                      size_t errlen)
{
	*names = NULL;
	*n = 0;
	bool ok =
	        list_call(sd, "ListUnitsByPatterns", glob, read_unit_list, names, n, err, errlen) &&
	        list_call(sd, "ListUnitFilesByPatterns", glob, read_file_list, names, n, err,
	                  errlen);
	if (*n)
		qsort(*names, *n, sizeof **names, by_text);
	return ok;
}

bool rp_systemd_failed(struct rp_systemd *sd, char ***names, size_t *n, char *err, size_t errlen)
{
	*names = NULL;
	*n = 0;
	bool ok = list_call(sd, "ListUnitsFiltered", NULL, read_unit_list, names, n, err, errlen);
	if (*n)
		qsort(*names, *n, sizeof **names, by_text);
	return ok;
}

void rp_systemd_exit_words(int code, int status, char *out, size_t outlen)
{
	const char *sig = status > 0 && status < NSIG ? sigabbrev_np(status) : NULL;
	if (code == 1 && status != 0)
		snprintf(out, outlen, "exit %d", status);
	else if (code == 2)
		snprintf(out, outlen, "signal %s", sig ? sig : "?");
	else if (code == 3)
		snprintf(out, outlen, "core dumped (SIG%s)", sig ? sig : "?");
	else
		out[0] = '\0';
}
