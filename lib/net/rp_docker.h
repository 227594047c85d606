/* rp_docker.h: the Docker Engine API's replies, as Docker and Podman's
 * compatible service give them: the container list, one container's
 * inspection, and its log stream. Parsing only (the exchange is rp_http's,
 * over the engine's unix socket); every field is optional in what the
 * engine sends and absent ones stay zero or NULL.
 *
 * An environment is kept as names only, with whether each is non-empty:
 * a container's variables are its secrets, and no check needs a value.
 * The values of the variables named as secrets are kept apart, only to
 * be masked in what the container logs, and erased when freed. */
#ifndef RP_DOCKER_H
#define RP_DOCKER_H

#include "rp_buf.h"

#include <stdbool.h>
#include <stddef.h>

/* The API version asked for: Docker 20.10+, Podman 3+ serve it. */
#define RP_DOCKER_API "/v1.41"
/* At most this many containers are read from a list. */
#define RP_DOCKER_CONTAINERS_MAX 10000

struct rp_docker_summary {
	char *id;
	char *name;    /* the first name, without Docker's leading '/' */
	char *state;   /* created, running, exited, restarting, paused, dead */
	char *project; /* compose's project and service labels, or NULL */
	char *service;
};

struct rp_docker_env {
	char *name;
	bool empty; /* NAME= or NAME without a value */
};

struct rp_docker_inspect {
	char *status; /* State.Status */
	bool running, restarting, oom_killed, dead;
	long long exit_code;
	long long pid;
	char *started_at, *finished_at; /* RFC 3339, or NULL */
	char *error;                    /* State.Error, or NULL when empty */
	char *health;                   /* healthy, unhealthy, starting; NULL: no health check */
	char *health_output;            /* the last health check's output */
	long long health_exit;
	long long restart_count;
	bool tty; /* the log is one raw stream, not framed */
	struct rp_docker_env *env;
	size_t nenv;
	char **secrets; /* values of secret-named variables (rp_secret_name) */
	size_t nsecrets;
};

/* GET /containers/json?all=1: the containers, or false with err. */
bool rp_docker_parse_list(const char *body, size_t len, struct rp_docker_summary **out, size_t *n,
                          char *err, size_t errlen);
void rp_docker_summaries_free(struct rp_docker_summary *s, size_t n);

/* GET /containers/ID/json, or false with err. */
bool rp_docker_parse_inspect(const char *body, size_t len, struct rp_docker_inspect *out, char *err,
                             size_t errlen);
void rp_docker_inspect_free(struct rp_docker_inspect *c);

/* An error reply's words: the engine's JSON {"message": ...}, else the
 * body's first line, bounded; "" for an empty body. */
void rp_docker_error_message(const char *body, size_t len, char *out, size_t outlen);

/* GET /containers/ID/logs: the text, its frames (8-byte headers: stream,
 * 0, 0, 0, big-endian length) taken apart unless tty. A frame cut short
 * gives what it holds. */
void rp_docker_logs_text(const char *body, size_t len, bool tty, struct rp_buf *out);

/* Replaces every occurrence of each of the container's secret values in
 * text with [redacted] (values shorter than 4 bytes are left: they would
 * mask ordinary words). */
void rp_docker_mask_secrets(const struct rp_docker_inspect *c, struct rp_buf *text);

#endif
