/* rp_journal.c: a unit's last journal lines with sd-journal. */
#include "rp_journal.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#define LINE_MAX_BYTES 1000
#define LINES_MAX      1000
/* the manager's messages looked back through for a unit's last result */
#define RESULT_LOOKBACK 200

/* sd-messages.h: a unit's run ended in failure (UNIT_RESULT=), ended
 * well, and its process exited (EXIT_CODE=, EXIT_STATUS=) */
#define MID_FAILURE "MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c"
#define MID_SUCCESS "MESSAGE_ID=7ad2d189f7e94e70a38c781354912448"
#define MID_EXIT    "MESSAGE_ID=98e322203f7a4ed290d09fe03c09fe15"

/* The entry's MESSAGE without its "MESSAGE=" and trailing newlines. */
static bool message(sd_journal *j, const char **text, size_t *len)
{
	const void *data;
	size_t n;
	if (sd_journal_get_data(j, "MESSAGE", &data, &n) < 0 || n < 8)
		return false;
	*text = (const char *)data + 8;
	*len = n - 8;
	while (*len && ((*text)[*len - 1] == '\n' || (*text)[*len - 1] == '\r'))
		(*len)--;
	if (*len > LINE_MAX_BYTES)
		*len = LINE_MAX_BYTES;
	return true;
}

static bool open_journal(sd_journal **j, const char *dir, bool user, char *err, size_t errlen)
{
	int r = dir ? sd_journal_open_directory(j, dir, 0)
	            : sd_journal_open(j, SD_JOURNAL_LOCAL_ONLY | (user ? SD_JOURNAL_CURRENT_USER
	                                                               : SD_JOURNAL_SYSTEM));
	if (r < 0)
		snprintf(err, errlen, "the journal%s%.200s: %s", dir ? " in " : "", dir ? dir : "",
		         strerror(-r));
	return r >= 0;
}

bool rp_journal_tail(const char *dir, const char *unit, bool user, size_t lines, struct rp_buf *out,
                     char *err, size_t errlen)
{
	sd_journal *j = NULL;
	if (!open_journal(&j, dir, user, err, errlen))
		return false;
	char *match = rp_xasprintf("%s=%s", user ? "_SYSTEMD_USER_UNIT" : "_SYSTEMD_UNIT", unit);
	int r = sd_journal_add_match(j, match, 0);
	free(match);
	if (r >= 0)
		r = sd_journal_seek_tail(j);
	if (lines > LINES_MAX)
		lines = LINES_MAX;
	/* newest first from the tail (copied: the journal's data is valid
	 * only until the next move), put back in order below */
	size_t *len = rp_xcalloc(lines + 1, sizeof *len);
	char **copy = rp_xcalloc(lines + 1, sizeof *copy);
	size_t got = 0;
	while (r >= 0 && got < lines && (r = sd_journal_previous(j)) > 0) {
		const char *text;
		if (!message(j, &text, &len[got]))
			continue;
		copy[got] = rp_xstrndup(text, len[got]);
		got++;
	}
	for (size_t i = got; i-- > 0;) {
		rp_buf_append(out, copy[i], len[i]);
		rp_buf_putc(out, '\n');
		free(copy[i]);
	}
	if (r < 0)
		snprintf(err, errlen, "reading the journal: %s", strerror(-r));
	free(copy);
	free(len);
	sd_journal_close(j);
	return r >= 0;
}

/* The value of field in the current entry, into out ("" when absent). */
static void field(sd_journal *j, const char *name, char *out, size_t outlen)
{
	const void *data;
	size_t n, k = strlen(name);
	out[0] = '\0';
	if (sd_journal_get_data(j, name, &data, &n) >= 0 && n > k + 1)
		snprintf(out, outlen, "%.*s", (int)(n - k - 1), (const char *)data + k + 1);
}

/* "exit 2", "signal KILL", from a process-exit message's fields. */
static void process_end(sd_journal *j, char *how, size_t howlen)
{
	char code[16], status[16];
	field(j, "EXIT_CODE", code, sizeof code);
	field(j, "EXIT_STATUS", status, sizeof status);
	if (!strcmp(code, "exited") && strcmp(status, "0") != 0)
		snprintf(how, howlen, "exit %s", status);
	else if (!strcmp(code, "killed") || !strcmp(code, "dumped"))
		snprintf(how, howlen, "%s %s", !strcmp(code, "killed") ? "signal" : "core dumped,",
		         status);
}

bool rp_journal_last_result(const char *dir, const char *unit, bool user,
                            struct rp_journal_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	sd_journal *j = NULL;
	if (!open_journal(&j, dir, user, err, errlen))
		return false;
	char *match = rp_xasprintf("%s=%s", user ? "USER_UNIT" : "UNIT", unit);
	int r = sd_journal_add_match(j, match, 0);
	free(match);
	const char *ids[] = { MID_FAILURE, MID_SUCCESS, MID_EXIT };
	for (size_t i = 0; i < 3 && r >= 0; i++)
		r = sd_journal_add_match(j, ids[i], 0);
	if (r >= 0)
		r = sd_journal_seek_tail(j);
	char id[64];
	for (int seen = 0; r >= 0 && seen < RESULT_LOOKBACK && (r = sd_journal_previous(j)) > 0;
	     seen++) {
		field(j, "MESSAGE_ID", id, sizeof id);
		if (!out->known &&
		    (!strcmp(id, MID_FAILURE + 11) || !strcmp(id, MID_SUCCESS + 11))) {
			out->known = true;
			if (!strcmp(id, MID_SUCCESS + 11))
				snprintf(out->result, sizeof out->result, "success");
			else
				field(j, "UNIT_RESULT", out->result, sizeof out->result);
			sd_journal_get_realtime_usec(j, &out->when);
		} else if (out->known && !strcmp(id, MID_EXIT + 11)) {
			process_end(j, out->how, sizeof out->how);
			break;
		} else if (out->known) {
			break; /* an older run's result: this one logged no exit */
		}
	}
	if (r < 0)
		snprintf(err, errlen, "reading the journal: %s", strerror(-r));
	sd_journal_close(j);
	return r >= 0;
}
