/* rp_render_impl.h: what the renderers of rp_render share (rp_render.c,
 * rp_render_html.c): the order checks are listed in, which of them are
 * tests, and text escaped for XML and HTML. Not for plugins. */
#ifndef RP_RENDER_IMPL_H
#define RP_RENDER_IMPL_H

#include "rp_check.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stddef.h>

/* Child indexes worst first, the skipped last; equal states keep
 * insertion order. Caller frees. */
size_t *rp_render_order_children(const struct rp_check *c);
/* Detail lines and notes are not tests. */
bool rp_render_is_test(const struct rp_check *c);
bool rp_render_has_tests(const struct rp_check *c);
/* A check's name, else its text, else "check". */
const char *rp_render_name_of(const struct rp_check *c);
/* A check's text without the "name: " it starts with. */
const char *rp_render_own_text(const struct rp_check *k);
/* s sanitised (at most max bytes) with & < > " ' escaped: safe in XML and
 * HTML text and in a quoted attribute. */
void rp_render_xml_text(struct rp_buf *out, const char *s, size_t max);

#endif
