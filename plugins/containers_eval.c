/* containers_eval.c: check_containers' evaluate step, pure: what the
 * engine said of each expected container in, findings out. A container is
 * ready when it runs and its health check (if it has one) passes; a
 * stopped one says how it stopped and the line its log ends on. */
#include "check_containers.h"
#include "rp_state.h"
#include "rp_strv.h"
#include "rp_unit.h"
#include "rp_util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* " 5m ago", or "" when the time is unknown. */
static const char *ago(struct rp_check *root, double now, double then)
{
	if (then <= 0 || now < then)
		return "";
	char buf[RP_DURATION_BUF];
	return rp_check_keep(root,
	                     rp_xasprintf(" %s ago", rp_unit_format_duration(now - then, buf)));
}

/* ": the error line" when there is one. */
static const char *because(struct rp_check *root, const struct container_obs *c)
{
	return c->error_line ? rp_check_keep(root, rp_xasprintf(": %s", c->error_line)) : "";
}

/* How a container that does not run stopped. */
static struct rp_check *stopped(struct rp_check *root, const struct container_obs *c, double now)
{
	const struct rp_docker_inspect *in = &c->in;
	const char *name = rp_check_clean(root, c->name, 80);
	const char *status = in->status ? rp_check_clean(root, in->status, 20) : "not running";
	if (in->oom_killed)
		return rp_check_add(root, RP_CRITICAL,
		                    "%s was killed for lack of memory (OOM, exit %lld)%s%s", name,
		                    in->exit_code, ago(root, now, c->finished), because(root, c));
	/* Docker says restarting between two runs; Podman says stopped or
	 * exited with a restart count that climbs */
	if (in->restarting || in->restart_count > 0)
		return rp_check_add(root, RP_CRITICAL,
		                    "%s restarting in a loop (exit %lld, %lld restart%s)%s", name,
		                    in->exit_code, in->restart_count,
		                    in->restart_count == 1 ? "" : "s", because(root, c));
	if (!strcmp(status, "created"))
		return rp_check_add(root, RP_CRITICAL, "%s created, never started", name);
	if (!strcmp(status, "paused"))
		return rp_check_add(root, RP_WARNING, "%s paused", name);
	/* SIGKILL: where the engine cannot tell an OOM kill (Podman on
	 * cgroupfs), the exit code is all there is */
	return rp_check_add(root, RP_CRITICAL, "%s %s (exit %lld%s)%s%s", name,
	                    !strcmp(status, "stopped") ? "exited" : status, in->exit_code,
	                    in->exit_code == 137 ? ": killed, out of memory or by force" : "",
	                    ago(root, now, c->finished), because(root, c));
}

/* A crash loop caught while the container happens to run: restarted by
 * its policy and up for less than this, it is still looping. */
#define LOOP_UP_SECONDS 60

/* A running container's health check. */
static struct rp_check *running(struct rp_check *root, const struct containers_config *cfg,
                                const struct container_obs *c, double now)
{
	const struct rp_docker_inspect *in = &c->in;
	const char *name = rp_check_clean(root, c->name, 80);
	const char *health = in->health ? in->health : "";
	double up = c->started > 0 && now > c->started ? now - c->started : 0;
	if (in->restart_count > 0 && c->started > 0 && up < LOOP_UP_SECONDS) {
		char buf[RP_DURATION_BUF];
		return rp_check_add(root, RP_CRITICAL,
		                    "%s restarting in a loop (%lld restart%s, up %s)%s", name,
		                    in->restart_count, in->restart_count == 1 ? "" : "s",
		                    rp_unit_format_duration(up, buf), because(root, c));
	}
	if (!strcmp(health, "unhealthy")) {
		const char *out =
		        in->health_output ? rp_check_clean(root, in->health_output, 120) : "";
		return rp_check_add(root, RP_CRITICAL, "%s unhealthy%s%s", name, *out ? ": " : "",
		                    out);
	}
	if (!strcmp(health, "starting")) {
		char buf[RP_DURATION_BUF];
		if (up > cfg->start_grace)
			return rp_check_add(
			        root, RP_CRITICAL,
			        "%s still starting after %s (its health check never passed; "
			        "--start-grace %.0f s)",
			        name, rp_unit_format_duration(up, buf), cfg->start_grace);
		return rp_check_add(root, RP_WARNING, "%s starting (health check not passed yet)",
		                    name);
	}
	return rp_check_add(root, RP_OK, "%s running%s%s", name, *health ? ", " : "",
	                    *health ? rp_check_clean(root, health, 20) : "");
}

/* --require-env: set and non-empty, by name only. */
/* --require-env [CONTAINER:]NAME: the variable NAME in every container,
 * or in those CONTAINER (a name or glob) matches. */
static void required_env(struct rp_check *root, const struct containers_config *cfg,
                         const struct container_obs *c)
{
	for (size_t k = 0; k < cfg->nrequire_env; k++) {
		const char *want = cfg->require_env[k], *colon = strchr(want, ':');
		if (colon) {
			char *only = rp_xstrndup(want, (size_t)(colon - want));
			bool mine = fnmatch(only, c->name, 0) == 0;
			free(only);
			if (!mine)
				continue;
			want = colon + 1;
		}
		const struct rp_docker_env *e = NULL;
		for (size_t i = 0; i < c->in.nenv && !e; i++)
			if (!strcmp(c->in.env[i].name, want))
				e = &c->in.env[i];
		const char *name = rp_check_clean(root, c->name, 80);
		if (!e)
			rp_check_add(root, RP_CRITICAL, "%s: %s is not in its environment", name,
			             rp_check_clean(root, want, 80));
		else if (e->empty)
			rp_check_add(root, RP_CRITICAL, "%s: %s is empty in its environment", name,
			             rp_check_clean(root, want, 80));
	}
}

static enum rp_state one(struct rp_check *root, const struct containers_config *cfg,
                         const struct container_obs *c, const struct containers_observed *o,
                         const struct rp_thresholds *t)
{
	const char *name = rp_check_clean(root, c->name, 80);
	if (c->service)
		return rp_check_state(rp_check_add(root, RP_CRITICAL,
		                                   "service %s: not created (no container)", name));
	if (!c->found)
		return rp_check_state(rp_check_add(
		        root, RP_CRITICAL,
		        c->pattern ? "no container matches '%s'" : "%s: no such container", name));
	if (!c->inspected)
		return rp_check_state(
		        rp_check_add(root, RP_UNKNOWN, "%s: cannot inspect it: %s", name,
		                     c->error ? rp_check_clean(root, c->error, 120) : "?"));
	struct rp_check *line = c->in.running && !c->in.restarting ? running(root, cfg, c, o->now)
	                                                           : stopped(root, c, o->now);
	enum rp_state st = rp_check_state(line);
	rp_check_detail_lines(line, 1, "its last log lines:", c->log);
	/* a restart loop: the count against -w/-c restarts=, worded here so
	 * the first line says it */
	char *label = rp_xasprintf("restarts.%s", c->name);
	enum rp_state loop =
	        rp_check_metric(root, label, (double)c->in.restart_count, RP_UNIT_NONE, t);
	if (loop != RP_OK)
		rp_check_add(root, loop, "%s restarted %lld times%s", name, c->in.restart_count,
		             because(root, c));
	st = rp_state_worst(st, loop);
	free(label);
	required_env(root, cfg, c);
	return st;
}

static void summarize(struct rp_check *root, const struct containers_observed *o, size_t nrun,
                      size_t nhealthy)
{
	if (rp_check_findings_text(root, o->n, "container"))
		return;
	rp_check_set_text(root, "%zu container%s running%s", nrun, nrun == 1 ? "" : "s",
	                  nhealthy ? rp_check_keep(root, rp_xasprintf(", %zu healthy", nhealthy))
	                           : "");
}

static void unreachable(struct rp_check *root, const struct containers_config *cfg,
                        const struct containers_observed *o)
{
	const char *sock = rp_check_clean(root, cfg->socket, 120);
	if (o->reach == REACH_NO_SOCKET)
		rp_check_add(root, RP_UNKNOWN,
		             "no container engine at %s (the socket does not exist; give --socket "
		             "PATH)",
		             sock);
	else if (o->reach == REACH_DENIED)
		rp_check_add(root, RP_UNKNOWN,
		             "no permission on %s: add the user to the docker group, or use "
		             "podman's socket",
		             sock);
	else
		rp_check_add(root, RP_UNKNOWN, "the engine at %s: %s", sock,
		             rp_check_clean(root, o->error, 200));
}

struct rp_check *containers_evaluate(const struct containers_config *cfg,
                                     const struct containers_observed *o,
                                     const struct rp_thresholds *t)
{
	struct rp_check *root = rp_check_new();
	if (o->reach != REACH_OK) {
		unreachable(root, cfg, o);
		rp_check_add_perf_unknown(root, "running", RP_UNIT_NONE, t);
		return root;
	}
	size_t nrun = 0, nunhealthy = 0, nhealthy = 0;
	for (size_t i = 0; i < o->n; i++) {
		const struct container_obs *c = &o->c[i];
		one(root, cfg, c, o, t);
		bool up = c->inspected && c->in.running && !c->in.restarting;
		nrun += up;
		nunhealthy += up && c->in.health && !strcmp(c->in.health, "unhealthy");
		nhealthy += up && c->in.health && !strcmp(c->in.health, "healthy");
	}
	rp_check_add_perf(root, "running", (double)nrun, RP_UNIT_NONE, t);
	rp_check_add_perf(root, "unhealthy", (double)nunhealthy, RP_UNIT_NONE, t);
	summarize(root, o, nrun, nhealthy);
	return root;
}

void containers_observed_free(struct containers_observed *o)
{
	for (size_t i = 0; i < o->n; i++) {
		struct container_obs *c = &o->c[i];
		free(c->name);
		free(c->id);
		free(c->service);
		free(c->error);
		rp_docker_inspect_free(&c->in);
		free(c->log);
		free(c->error_line);
	}
	free(o->c);
	o->c = NULL;
	o->n = 0;
}
