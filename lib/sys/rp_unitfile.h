/* rp_unitfile.h: a systemd unit file read as systemd reads it, for
 * checking one before (or without) installing it: [Section] headers,
 * Key=Value assignments (space around '=' and the value's ends trimmed),
 * '#' and ';' comment lines, a trailing backslash continuing a line.
 * Pure: no I/O; what the values name is looked at by the caller. */
#ifndef RP_UNITFILE_H
#define RP_UNITFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Bounds: a unit file with more is refused (systemd's own limit on a
 * line is 1 MiB; a real unit has a few dozen lines). */
#define RP_UNITFILE_ENTRIES_MAX 4096
#define RP_UNITFILE_VALUE_MAX   (64 * 1024)

struct rp_unitfile_entry {
	char *section; /* "Service" */
	char *key;     /* "ExecStart" */
	char *value;   /* as written, continuation lines joined with a space */
	int line;      /* 1-based line of its key */
};

struct rp_unitfile {
	struct rp_unitfile_entry *e;
	size_t n;
	int bad_line; /* the first line that is none of the above, 0 when none */
};

/* False with err ("line 3: ...") when the text is not a unit file at all:
 * a NUL byte, an assignment before any section, a section header never
 * closed, a bound passed. A stray line systemd would skip with a warning is kept in
 * bad_line. */
bool rp_unitfile_parse(const char *text, size_t len, struct rp_unitfile *out, char *err,
                       size_t errlen);
void rp_unitfile_free(struct rp_unitfile *f);

/* The last assignment of section.key (a later one overrides), or NULL;
 * an empty value counts (it resets). */
const struct rp_unitfile_entry *rp_unitfile_get(const struct rp_unitfile *f, const char *section,
                                                const char *key);

/* The program an Exec*= value runs: its special prefixes (@ - : + ! !!
 * |) skipped, the first word unquoted. *optional is set when '-' (its
 * failure is ignored) is among them. NULL for an empty value. Caller
 * frees. */
char *rp_unitfile_exec_program(const char *value, bool *optional);

#endif
