/* check_containers.h: configuration and observations of check_containers,
 * shared by the plugin (options, the engine's API: the only I/O) and its
 * pure evaluate step (containers_eval.c). */
#ifndef CHECK_CONTAINERS_H
#define CHECK_CONTAINERS_H

#include "rp_check.h"
#include "rp_docker.h"
#include "rp_thresholds.h"

#include <stdbool.h>
#include <stddef.h>

struct containers_config {
	const char *socket; /* --socket, else found in validate */
	bool socket_given;
	char **containers; /* --container: names or globs */
	size_t ncontainers;
	const char *project; /* --project: compose's project label */
	char **services;     /* --service: each must have a container */
	size_t nservices;
	char **require_env; /* --require-env: set and non-empty in each */
	size_t nrequire_env;
	long log_lines;     /* --log-lines */
	double start_grace; /* --start-grace, seconds */
};

enum containers_reach {
	REACH_OK = 0,
	REACH_NO_SOCKET, /* the path does not exist */
	REACH_DENIED,    /* no permission on the socket */
	REACH_FAILED,    /* the exchange failed: error says why */
};

/* One expected container: found (and inspected), or what was asked for. */
struct container_obs {
	char *name; /* the engine's name; or the pattern or service asked for */
	char *id;   /* the engine's id, which the API paths use */
	bool found;
	bool pattern;  /* a glob that matched nothing */
	char *service; /* --service with no container ("not created") */
	bool inspected;
	char *error; /* inspection failed: why */
	struct rp_docker_inspect in;
	double started, finished; /* unix seconds, 0 when unknown */
	char *log;                /* the last lines, redacted and sanitised, or NULL */
	char *error_line;         /* the last one that says why, or NULL */
};

struct containers_observed {
	enum containers_reach reach;
	char error[512];
	double now;
	struct container_obs *c;
	size_t n;
	size_t engine_total; /* containers the engine has */
};

struct rp_check *containers_evaluate(const struct containers_config *cfg,
                                     const struct containers_observed *o,
                                     const struct rp_thresholds *t);

void containers_observed_free(struct containers_observed *o);

#endif
