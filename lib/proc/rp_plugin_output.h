/* rp_output.h: reading a plugin's output back, as an engine does.
 *
 * Nagios plugin API 3: line 1 is "TEXT | PERFDATA"; the following lines are
 * long output, and a '|' in them starts more perfdata, which runs to the end.
 * Line 1's text is split into the label ("SQLITE"), the state word, and the
 * summary after " - " (or ": ", as many other plugins write). Used by the
 * tests and by check_readiness for its children. */
#ifndef RP_OUTPUT_H
#define RP_OUTPUT_H

#include "rp_perf.h"
#include "rp_state.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_plugin_output {
	char *first_line; /* the text part of line 1, without perfdata */
	char *label;      /* words before the state word, or "" */
	bool has_state;   /* a state word was found in line 1 */
	enum rp_state state;
	char *summary;     /* after the state word and its separator */
	char *long_output; /* lines 2.., without perfdata, or "" */
	struct rp_perf_list perf;
	bool perf_valid; /* false: perf_error says what did not parse */
	char perf_error[256];
	size_t nlines; /* lines of text in total */
};

void rp_plugin_output_parse(const char *text, size_t len, struct rp_plugin_output *out);
void rp_plugin_output_free(struct rp_plugin_output *out);

#endif
