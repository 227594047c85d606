/* rp_render_html.h: --output-format html (the plugins that report many
 * checks): one self-contained page a person reads, a CI artifact or a
 * status page served as a file:
 *
 *   the verdict and its summary line;
 *   the score over time as an inline SVG chart, when the run carries a
 *     series (check_readiness --history), one point a run coloured by
 *     its state, the thresholds as lines;
 *   the blockers; the problems (every check not OK, worst first);
 *   a table of the top-level checks, then a table per group.
 *
 * No script and no network: a Content-Security-Policy forbids both, the
 * style is inline, and every text is escaped. */
#ifndef RP_RENDER_HTML_H
#define RP_RENDER_HTML_H

#include "rp_check.h"
#include "rp_render.h"
#include "rp_util.h"

void rp_render_html(const struct rp_check *root, const struct rp_render_opts *o,
                    struct rp_buf *out);

#endif
