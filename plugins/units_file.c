/* units_file.c: check_units --unit-file: a unit file checked on its own,
 * before or without installing it, for what makes a unit fail at its
 * first start: the programs its Exec lines run, its User and Group, its
 * WorkingDirectory and EnvironmentFiles. The part of `systemd-analyze
 * verify` a deployment gets wrong, without a manager and without running
 * anything. units_file_inspect looks (the only I/O); units_file_evaluate
 * words, pure. */
#include "check_units.h"
#include "rp_file.h"
#include "rp_unitfile.h"
#include "rp_util.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A unit file is small; a larger one is refused. */
#define UNIT_FILE_MAX (1024 * 1024)

/* Where systemd looks for an Exec program given without a path. */
static const char *const exec_path[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
	                                 "/usr/bin",        "/sbin",          "/bin" };

static const char *const exec_keys[] = { "ExecCondition", "ExecStartPre", "ExecStart",
	                                 "ExecStartPost", "ExecReload",   "ExecStop",
	                                 "ExecStopPost" };

static struct unitfile_fact *fact(struct unitfile_obs *u, enum unitfile_what what,
                                  const struct rp_unitfile_entry *e, const char *value)
{
	u->f = rp_xreallocarray(u->f, u->n + 1, sizeof *u->f);
	struct unitfile_fact *f = &u->f[u->n++];
	memset(f, 0, sizeof *f);
	f->what = what;
	f->key = rp_xstrdup(e ? e->key : "ExecStart");
	f->value = rp_xstrdup(value ? value : "");
	f->line = e ? e->line : 0;
	return f;
}

static bool unresolved(const char *s)
{
	return strchr(s, '%') || strchr(s, '$');
}

static enum unitfile_result executable(const char *program)
{
	struct stat st;
	if (stat(program, &st) != 0)
		return UF_MISSING;
	if (!S_ISREG(st.st_mode) || access(program, X_OK) != 0)
		return UF_NOT_EXECUTABLE;
	return UF_OK;
}

static void exec_line(struct unitfile_obs *u, const struct rp_unitfile_entry *e)
{
	bool optional;
	char *program = rp_unitfile_exec_program(e->value, &optional);
	if (!program)
		return; /* an empty assignment resets the list */
	struct unitfile_fact *f = fact(u, UF_EXEC, e, program);
	f->optional = optional;
	if (unresolved(program)) {
		f->result = UF_UNCHECKED;
	} else if (program[0] == '/') {
		f->result = executable(program);
	} else {
		f->result = UF_MISSING;
		for (size_t i = 0; i < sizeof exec_path / sizeof *exec_path && f->result; i++) {
			char *full = rp_xasprintf("%s/%s", exec_path[i], program);
			if (executable(full) == UF_OK) {
				f->result = UF_OK;
				free(f->value);
				f->value = full;
			} else {
				free(full);
			}
		}
	}
	free(program);
}

static void account(struct unitfile_obs *u, const struct rp_unitfile *uf, const char *key,
                    bool group)
{
	const struct rp_unitfile_entry *e = rp_unitfile_get(uf, "Service", key);
	if (!e || !*e->value)
		return;
	struct unitfile_fact *f = fact(u, group ? UF_GROUP : UF_USER, e, e->value);
	char *end;
	errno = 0;
	strtoul(e->value, &end, 10);
	bool numeric = !*end && !errno;
	if (unresolved(e->value))
		f->result = UF_UNCHECKED;
	else if (!numeric)
		f->result = (group ? (void *)getgrnam(e->value) : (void *)getpwnam(e->value))
		                    ? UF_OK
		                    : UF_MISSING;
}

/* A path setting: '-' makes it optional; '~' (the user's home) is known
 * only when it runs. */
static void path_setting(struct unitfile_obs *u, const struct rp_unitfile_entry *e,
                         enum unitfile_what what)
{
	const char *v = e->value;
	bool optional = *v == '-';
	v += optional;
	if (!*v)
		return;
	struct unitfile_fact *f = fact(u, what, e, v);
	f->optional = optional;
	struct stat st;
	if (unresolved(v) || *v == '~')
		f->result = UF_UNCHECKED;
	else if (stat(v, &st) != 0)
		f->result = UF_MISSING;
	else if (what == UF_WORKDIR)
		f->result = S_ISDIR(st.st_mode) ? UF_OK : UF_NOT_DIR;
	else
		f->result = S_ISREG(st.st_mode) ? UF_OK : UF_NOT_FILE;
}

static void service(struct unitfile_obs *u, const struct rp_unitfile *uf)
{
	size_t before = u->n;
	for (size_t i = 0; i < uf->n; i++) {
		const struct rp_unitfile_entry *e = &uf->e[i];
		if (strcmp(e->section, "Service") != 0)
			continue;
		for (size_t k = 0; k < sizeof exec_keys / sizeof *exec_keys; k++)
			if (!strcmp(e->key, exec_keys[k]))
				exec_line(u, e);
		if (!strcmp(e->key, "WorkingDirectory"))
			path_setting(u, e, UF_WORKDIR);
		if (!strcmp(e->key, "EnvironmentFile"))
			path_setting(u, e, UF_ENVFILE);
	}
	bool has_start = false;
	for (size_t i = before; i < u->n; i++)
		has_start |= !strcmp(u->f[i].key, "ExecStart");
	const struct rp_unitfile_entry *type = rp_unitfile_get(uf, "Service", "Type");
	if (!has_start && !(type && !strcmp(type->value, "oneshot")))
		fact(u, UF_NO_EXEC, NULL, NULL)->result = UF_MISSING;
	const struct rp_unitfile_entry *dyn = rp_unitfile_get(uf, "Service", "DynamicUser");
	if (!(dyn && (!strcmp(dyn->value, "yes") || !strcmp(dyn->value, "true")))) {
		account(u, uf, "User", false);
		account(u, uf, "Group", true);
	}
}

static int by_line(const void *a, const void *b)
{
	const struct unitfile_fact *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

void units_file_inspect(const char *path, struct unitfile_obs *u)
{
	memset(u, 0, sizeof *u);
	u->path = rp_xstrdup(path);
	char why[256];
	size_t len;
	char *text = rp_file_read(path, UNIT_FILE_MAX, &len, NULL, why, sizeof why);
	if (!text) {
		u->missing = access(path, F_OK) != 0 && errno == ENOENT;
		u->error = rp_xstrdup(why);
		return;
	}
	struct rp_unitfile uf;
	char err[256];
	if (!rp_unitfile_parse(text, len, &uf, err, sizeof err)) {
		u->parse_error = rp_xstrdup(err);
		free(text);
		return;
	}
	u->bad_line = uf.bad_line;
	const char *dot = strrchr(path, '.');
	if (dot && !strcmp(dot, ".service"))
		service(u, &uf);
	if (u->n)
		qsort(u->f, u->n, sizeof *u->f, by_line); /* the file's order */
	rp_unitfile_free(&uf);
	free(text);
}

void units_file_free(struct unitfile_obs *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->f[i].key);
		free(u->f[i].value);
	}
	free(u->f);
	free(u->path);
	free(u->error);
	free(u->parse_error);
	memset(u, 0, sizeof *u);
}

/* ------------------------------------------------------------- evaluate */

static const char *problem(const struct unitfile_fact *f)
{
	switch (f->result) {
	case UF_MISSING:
		return f->what == UF_USER || f->what == UF_GROUP ? "does not exist on this host"
		                                                 : "does not exist";
	case UF_NOT_EXECUTABLE:
		return "is not an executable file";
	case UF_NOT_DIR:
		return "is not a directory";
	case UF_NOT_FILE:
		return "is not a regular file";
	default:
		return NULL;
	}
}

static const char *const what_words[] = {
	[UF_EXEC] = "program", [UF_NO_EXEC] = "", [UF_USER] = "",
	[UF_GROUP] = "",       [UF_WORKDIR] = "", [UF_ENVFILE] = "",
};

static void word_fact(struct rp_check *root, const char *name, const struct unitfile_fact *f)
{
	const char *why = problem(f);
	const char *value = rp_check_clean(root, f->value, 160);
	if (f->what == UF_NO_EXEC) {
		rp_check_add(root, RP_CRITICAL, "%s has no ExecStart: it cannot start", name);
	} else if (f->result == UF_UNCHECKED) {
		rp_check_detail(root, 1, "%s: %s %s is resolved only when it runs (line %d)", name,
		                f->key, value, f->line);
	} else if (why && !f->optional) {
		rp_check_add(root, RP_CRITICAL, "%s: %s %s%s%s %s (line %d)", name, f->key,
		             what_words[f->what], *what_words[f->what] ? " " : "", value, why,
		             f->line);
	} else if (why) {
		rp_check_detail(root, 1, "%s: %s %s %s, which its '-' allows (line %d)", name,
		                f->key, value, why, f->line);
	} else {
		rp_check_detail(root, 1, "%s: %s %s present (line %d)", name, f->key, value,
		                f->line);
	}
}

bool units_file_evaluate(struct rp_check *root, const struct unitfile_obs *u)
{
	const char *name = rp_check_clean(root, u->path, 160);
	if (u->error) {
		rp_check_add(root, u->missing ? RP_CRITICAL : RP_UNKNOWN, "unit file %s %s", name,
		             rp_check_clean(root, u->error, 120));
		return false;
	}
	if (u->parse_error) {
		rp_check_add(root, RP_CRITICAL, "unit file %s: %s", name,
		             rp_check_clean(root, u->parse_error, 120));
		return false;
	}
	size_t before = rp_check_count(root, RP_CRITICAL);
	if (u->bad_line)
		rp_check_add(root, RP_WARNING,
		             "unit file %s line %d is not an assignment (systemd skips it)", name,
		             u->bad_line);
	for (size_t i = 0; i < u->n; i++)
		word_fact(root, name, &u->f[i]);
	bool sound = rp_check_count(root, RP_CRITICAL) == before && !u->bad_line;
	if (sound)
		rp_check_add(root, RP_OK, "unit file %s is sound", name);
	return sound;
}
