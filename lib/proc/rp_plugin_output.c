#include "rp_plugin_output.h"
#include "rp_util.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char *trimmed_copy(const char *s, size_t len)
{
	while (len && is_blank(*s))
		s++, len--;
	while (len && (is_blank(s[len - 1]) || s[len - 1] == '\n'))
		len--;
	return rp_xstrndup(s, len);
}

static const char *const state_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Finds the first whole word in line that is a state word (optionally
 * followed by ':'), among the first few words. */
static void split_status(struct rp_plugin_output *o)
{
	const char *line = o->first_line;
	const char *p = line;
	for (int word = 0; word < 6 && *p; word++) {
		while (*p == ' ')
			p++;
		size_t wl = strcspn(p, " ");
		size_t core = wl;
		if (core && p[core - 1] == ':')
			core--;
		for (int s = 0; s < 4; s++) {
			if (strlen(state_words[s]) == core &&
			    strncmp(p, state_words[s], core) == 0) {
				o->has_state = true;
				o->state = (enum rp_state)s;
				o->label = trimmed_copy(line, (size_t)(p - line));
				const char *rest = p + wl;
				while (*rest == ' ')
					rest++;
				if (rest[0] == '-' && (rest[1] == ' ' || rest[1] == '\0'))
					rest++;
				else if (rest[0] == ':' && (rest[1] == ' ' || rest[1] == '\0'))
					rest++;
				o->summary = trimmed_copy(rest, strlen(rest));
				return;
			}
		}
		p += wl;
	}
	o->label = rp_xstrdup("");
	o->summary = rp_xstrdup(line);
}

static void add_perf(struct rp_plugin_output *o, const char *s, size_t len)
{
	if (!o->perf_valid)
		return;
	if (!rp_perf_parse(s, len, &o->perf, o->perf_error, sizeof o->perf_error))
		o->perf_valid = false;
}

void rp_plugin_output_parse(const char *text, size_t len, struct rp_plugin_output *o)
{
	memset(o, 0, sizeof *o);
	rp_perf_list_init(&o->perf);
	o->perf_valid = true;

	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n' && i + 1 < len)
			o->nlines++;
	if (len)
		o->nlines++;

	const char *nl = memchr(text, '\n', len);
	size_t l1 = nl ? (size_t)(nl - text) : len;
	const char *bar = memchr(text, '|', l1);
	if (bar) {
		o->first_line = trimmed_copy(text, (size_t)(bar - text));
		add_perf(o, bar + 1, l1 - (size_t)(bar - text) - 1);
	} else {
		o->first_line = trimmed_copy(text, l1);
	}
	split_status(o);

	if (!nl) {
		o->long_output = rp_xstrdup("");
		return;
	}
	const char *rest = nl + 1;
	size_t rest_len = len - l1 - 1;
	const char *bar2 = memchr(rest, '|', rest_len);
	if (bar2) {
		o->long_output = trimmed_copy(rest, (size_t)(bar2 - rest));
		add_perf(o, bar2 + 1, rest_len - (size_t)(bar2 - rest) - 1);
	} else {
		o->long_output = trimmed_copy(rest, rest_len);
	}
}

void rp_plugin_output_free(struct rp_plugin_output *o)
{
	free(o->first_line);
	free(o->label);
	free(o->summary);
	free(o->long_output);
	rp_perf_list_free(&o->perf);
	memset(o, 0, sizeof *o);
}
