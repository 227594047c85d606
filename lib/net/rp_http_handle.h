/* rp_http_handle.h: the libcurl easy handle behind rp_http_perform, for a
 * caller that drives many exchanges itself (rp_load: a pool of them in a
 * curl multi handle). Set up once with the same options, headers,
 * credentials and TLS settings as a single exchange; each use is armed
 * (response cleared, time limit from the deadline), run by the caller, and
 * finished (timings, status, a failure in words). Redirects are not
 * followed on this path. */
#ifndef RP_HTTP_HANDLE_H
#define RP_HTTP_HANDLE_H

#include "rp_http.h"

#include <curl/curl.h>

struct rp_http_handle;

/* req and resp must outlive the handle. NULL when libcurl cannot start. */
struct rp_http_handle *rp_http_handle_new(const struct rp_http_request *req,
                                          struct rp_http_response *resp);
CURL *rp_http_handle_curl(const struct rp_http_handle *hh);
void rp_http_handle_arm(struct rp_http_handle *hh);
void rp_http_handle_finish(struct rp_http_handle *hh, CURLcode rc);
/* Erases the bearer header it built; NULL is fine. */
void rp_http_handle_free(struct rp_http_handle *hh);

#endif
