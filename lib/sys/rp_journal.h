/* rp_journal.h: the last lines a unit wrote to the journal (sd-journal),
 * read-only: the journal's files are mapped, never written. Users link
 * $(SYSTEMD_LIBS). */
#ifndef RP_JOURNAL_H
#define RP_JOURNAL_H

#include "rp_buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Appends to out the MESSAGE of the last `lines` entries of unit (a user
 * manager's unit with user), oldest first, one a line, each cut at 1000
 * bytes; from the journal files in dir when given, else the local
 * system's (and, with user, the user's). False with err when the journal
 * cannot be opened or read. */
bool rp_journal_tail(const char *dir, const char *unit, bool user, size_t lines, struct rp_buf *out,
                     char *err, size_t errlen);

/* How the unit's last finished run ended, from the manager's own journal
 * messages about it: result "success" ("Deactivated successfully") or
 * the failure result ("exit-code", "signal", "timeout", ...), with its
 * main process's end in words ("exit 2", "signal KILL") when logged, and
 * when (CLOCK_REALTIME microseconds). For a unit running again now, whose
 * manager properties describe the run in progress. */
struct rp_journal_result {
	bool known;
	char result[32];
	char how[48]; /* "" when not logged */
	uint64_t when;
};
bool rp_journal_last_result(const char *dir, const char *unit, bool user,
                            struct rp_journal_result *out, char *err, size_t errlen);

#endif
