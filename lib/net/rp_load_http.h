/* rp_load_http.h: the load engine's driver for HTTP(S): a pool of
 * libcurl easy handles, each set up as rp_http sets up one exchange (the
 * same options, credentials and TLS settings), run together in one curl
 * multi handle. Connections are kept alive and reused between requests,
 * as a client pool does, unless reuse is false (then every request
 * connects afresh, handshake included). Bodies are counted, not kept. */
#ifndef RP_LOAD_HTTP_H
#define RP_LOAD_HTTP_H

#include "rp_http.h"
#include "rp_load.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_load_http;

/* req (its strings, headers and deadline) must outlive the driver.
 * request_timeout: seconds a request may take (0: until the deadline).
 * NULL with err set when libcurl cannot start. */
struct rp_load_http *rp_load_http_open(const struct rp_http_request *req, unsigned concurrency,
                                       double request_timeout, bool reuse, char *err,
                                       size_t errlen);
/* The driver interface over it, for rp_load_run. */
void rp_load_http_driver(struct rp_load_http *lh, struct rp_load_driver *d);
void rp_load_http_close(struct rp_load_http *lh);

#endif
