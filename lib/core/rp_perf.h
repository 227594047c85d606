/* rp_perf.h: performance data, formatted and parsed.
 *
 *   'label'=value[UOM];[warn];[crit];[min];[max]
 *
 * Labels are always quoted; a quote, '=', '|', a control byte or invalid
 * UTF-8 in one is written '_' (the parser still reads others' doubled
 * quotes). Values use '.' in every locale and never an
 * exponent; an unmeasured value is 'U'. Trailing empty fields are dropped. */
#ifndef RP_PERF_H
#define RP_PERF_H

#include "rp_state.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stddef.h>

#define RP_UOM_MAX 8

struct rp_perf {
	char *label;
	double value;
	bool unknown; /* 'U' */
	char uom[RP_UOM_MAX];
	char *warn; /* range text, or NULL */
	char *crit;
	bool has_min, has_max;
	double min, max;
	/* Set when recorded by a check (rp_check.h): the state its thresholds
	 * give the value, and whether the plugin worded that state itself. */
	enum rp_state state;
	bool worded;
};

struct rp_perf_list {
	struct rp_perf *items;
	size_t n;
};

void rp_perf_free(struct rp_perf *p);
void rp_perf_list_init(struct rp_perf_list *l);
void rp_perf_list_free(struct rp_perf_list *l);
/* Appends a deep copy of p. */
void rp_perf_list_add(struct rp_perf_list *l, const struct rp_perf *p);

/* Appends one formatted item (no leading or trailing space). */
void rp_perf_format(const struct rp_perf *p, struct rp_buf *out);
void rp_perf_list_format(const struct rp_perf_list *l, struct rp_buf *out);

/* Parses the perfdata part of a plugin's output (what follows '|'),
 * appending to out. Lenient where other plugins differ harmlessly (unquoted
 * labels, exponents, empty trailing fields); returns false with a message
 * on text that is not perfdata, keeping the items parsed before it. */
bool rp_perf_parse(const char *text, size_t len, struct rp_perf_list *out, char *err,
                   size_t errlen);

#endif
