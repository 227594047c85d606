/* rp_status.h: the HTTP statuses a check expects: "200,204" or
 * "200-299,304" (100-599), for check_api --expect and http://?expect=. */
#ifndef RP_STATUS_H
#define RP_STATUS_H

#include <stdbool.h>
#include <stddef.h>

struct rp_status_range {
	long lo, hi;
};

bool rp_status_parse(const char *text, struct rp_status_range **out, size_t *n);
/* --expect CODES: replaces *out (freed first); false with err naming the
 * option and the expected form. */
bool rp_status_option(const char *arg, struct rp_status_range **out, size_t *n, char *err,
                      size_t errlen);
/* status within one of the n ranges, or within [lo, hi] when n is 0 */
bool rp_status_in(const struct rp_status_range *r, size_t n, long status, long lo, long hi);

#endif
