/* rp_test_render.h: what the evaluate-step suites share: a result tree
 * rendered as text at a verbosity, its state, and the tree freed. */
#ifndef RP_TEST_RENDER_H
#define RP_TEST_RENDER_H

#include "rp_check.h"
#include "rp_render.h"

static inline char *rp_test_render(struct rp_check *root, const char *plugin, const char *label,
                                   int verbosity, enum rp_state *st)
{
	struct rp_render_opts o = { plugin, label, verbosity, RP_FORMAT_NAGIOS, 0 };
	struct rp_buf b;
	rp_buf_init(&b);
	rp_render(root, &o, &b);
	*st = rp_check_state(root);
	rp_check_free(root);
	return rp_buf_steal(&b);
}

#endif
