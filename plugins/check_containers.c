/* check_containers: are the containers the system needs running and
 * healthy? Through the Docker Engine API on its unix socket (Docker, or
 * Podman's compatible service), with libcurl: no CLI is started. A
 * stopped container says how it stopped and the line its log ends on; a
 * compose service with no container is named; an environment variable
 * the container never got is named, never its value.
 *
 * options -> probe (the engine's API: the only I/O) -> containers_evaluate
 * (pure, containers_eval.c) -> render. */
#include "check_containers.h"
#include "rp_cli.h"
#include "rp_http.h"
#include "rp_number.h"
#include "rp_run.h"
#include "rp_secret.h"
#include "rp_strv.h"
#include "rp_text.h"
#include "rp_timestamp.h"
#include "rp_unit.h"
#include "rp_util.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The largest reply read: a list of thousands of containers fits. */
#define REPLY_MAX     (8 * 1024 * 1024)
#define LOG_LINES_MAX 1000

enum {
	OPT_SOCKET = 0x100,
	OPT_CONTAINER,
	OPT_PROJECT,
	OPT_SERVICE,
	OPT_REQUIRE_ENV,
	OPT_LOG_LINES,
	OPT_START_GRACE,
};

static const struct rp_option options[] = {
	{ "socket", 0, true, "PATH",
	  "the engine's API socket (default: $DOCKER_HOST's unix://, /var/run/docker.sock, "
	  "/run/podman/podman.sock)",
	  OPT_SOCKET },
	{ "container", 0, true, "NAME", "a container that must run (repeatable; globs allowed)",
	  OPT_CONTAINER },
	{ "project", 0, true, "NAME", "every container of this compose project must run",
	  OPT_PROJECT },
	{ "service", 0, true, "NAME",
	  "with --project: this service must have a running container (repeatable)", OPT_SERVICE },
	{ "require-env", 0, true, "[CONTAINER:]NAME",
	  "set and non-empty in every checked container, or in CONTAINER's (a name or glob; "
	  "repeatable; values never shown)",
	  OPT_REQUIRE_ENV },
	{ "log-lines", 0, true, "N",
	  "log lines read from a container that is not ready (default 20)", OPT_LOG_LINES },
	{ "start-grace", 0, true, "DURATION",
	  "a health check still starting after this is CRITICAL (default 5m)", OPT_START_GRACE },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "running", RP_UNIT_NONE, false, "checked containers running", NULL },
	{ "unhealthy", RP_UNIT_NONE, false, "running containers whose health check fails", NULL },
	{ "restarts", RP_UNIT_NONE, true, "restarts.NAME: how often the engine restarted it",
	  NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "check_containers",
	.label = "CONTAINERS",
	.purpose = "container readiness: running, healthy, not restarting, given their settings",
	.synopsis = "(--container NAME | --project NAME [--service NAME]...)...\n"
	            "       [--socket PATH] [--require-env [CONTAINER:]NAME]... [--log-lines N]\n"
	            "       [--start-grace DURATION] [-w/-c restarts=RANGE]",
	.options = options,
	.metrics = metrics,
	.primary_metric = NULL,
	.notes = "Through the Docker Engine API (Docker, or podman system service): no CLI.\n"
	         "A container that is not ready shows its last log lines with -v, redacted.\n",
	.examples =
	        "  check_containers --container api --container 'worker-*' -c restarts=3\n"
	        "  check_containers --project platform --service api-gateway --service redis\n"
	        "  check_containers --socket /run/podman/podman.sock --container api "
	        "--require-env REDIS_PASSWORD\n"
	        "  check_containers --project platform --require-env api-gateway:JWT_SECRET_KEY\n",
};

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct containers_config *cfg = cfgp;
	long long n;
	switch (id) {
	case OPT_SOCKET:
		cfg->socket = arg;
		cfg->socket_given = true;
		return true;
	case OPT_CONTAINER:
		rp_strv_push(&cfg->containers, &cfg->ncontainers, arg);
		return true;
	case OPT_PROJECT:
		cfg->project = arg;
		return true;
	case OPT_SERVICE:
		rp_strv_push(&cfg->services, &cfg->nservices, arg);
		return true;
	case OPT_REQUIRE_ENV: {
		const char *name = strchr(arg, ':') ? strchr(arg, ':') + 1 : arg;
		if (!*name || arg[0] == ':') {
			snprintf(err, errlen, "--require-env '%.60s': write NAME or CONTAINER:NAME",
			         arg);
			return false;
		}
		rp_strv_push(&cfg->require_env, &cfg->nrequire_env, arg);
		return true;
	}
	case OPT_LOG_LINES:
		if (!rp_number_parse_ll(arg, &n) || n < 0 || n > LOG_LINES_MAX) {
			snprintf(err, errlen, "--log-lines '%.40s': a number from 0 to %d", arg,
			         LOG_LINES_MAX);
			return false;
		}
		cfg->log_lines = (long)n;
		return true;
	case OPT_START_GRACE:
		return rp_unit_parse_duration(arg, &cfg->start_grace, err, errlen);
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

/* $DOCKER_HOST when it is a unix:// URL, else the first socket present
 * of Docker's and Podman's; Docker's when none is (it is then named). */
static const char *default_socket(void)
{
	const char *host = getenv("DOCKER_HOST");
	if (host && !strncmp(host, "unix://", 7) && host[7])
		return host + 7;
	if (access("/var/run/docker.sock", F_OK) != 0 &&
	    access("/run/podman/podman.sock", F_OK) == 0)
		return "/run/podman/podman.sock";
	return "/var/run/docker.sock";
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct containers_config *cfg = cfgp;
	if (!cfg->ncontainers && !cfg->project) {
		snprintf(cli->err, sizeof cli->err,
		         "say what must run: --container NAME or --project NAME");
		return false;
	}
	if (cfg->nservices && !cfg->project) {
		snprintf(cli->err, sizeof cli->err, "--service names a service of a --project");
		return false;
	}
	if (!cfg->socket)
		cfg->socket = default_socket();
	return true;
}

/* ------------------------------------------------------------------ probe */

/* An engine answers 500 when a container changes state under the call
 * (Podman reads /proc/PID/cgroup of a process that has just exited): the
 * GET is asked again, a few times and within the deadline, before the
 * error stands. */
#define ENGINE_TRIES    3
#define ENGINE_PAUSE_MS 150

/* One GET on the engine: true with the reply when it is 200, else false
 * with err set to the engine's own words. */
static bool engine_get(const struct containers_config *cfg, const struct rp_deadline *dl,
                       const char *path, struct rp_http_response *resp, char *err, size_t errlen)
{
	char *url = rp_xasprintf("http://engine" RP_DOCKER_API "%s", path);
	struct rp_http_request req = {
		.url = url, .unix_socket = cfg->socket, .max_body = REPLY_MAX, .deadline = dl
	};
	for (int attempt = 1;; attempt++) {
		rp_http_perform(&req, resp);
		bool again = resp->completed && resp->status >= 500 && attempt < ENGINE_TRIES &&
		             rp_deadline_remaining_ms(dl) > 2 * ENGINE_PAUSE_MS;
		if (!again)
			break;
		rp_http_response_free(resp);
		struct timespec pause = { 0, ENGINE_PAUSE_MS * 1000000L };
		nanosleep(&pause, NULL);
	}
	free(url);
	if (!resp->completed) {
		snprintf(err, errlen, "%s", resp->error[0] ? resp->error : "no reply");
		return false;
	}
	if (resp->status != 200) {
		char words[256];
		rp_docker_error_message(resp->body.data, resp->body.len, words, sizeof words);
		snprintf(err, errlen, "HTTP %ld%s%s", resp->status, words[0] ? ": " : "", words);
		return false;
	}
	return true;
}

/* The socket, looked at before speaking to it: missing and forbidden are
 * told apart from an engine that does not answer. */
static bool socket_usable(const struct containers_config *cfg, struct containers_observed *o)
{
	struct stat st;
	if (stat(cfg->socket, &st) != 0) {
		o->reach = errno == EACCES ? REACH_DENIED : REACH_NO_SOCKET;
		return false;
	}
	if (!S_ISSOCK(st.st_mode)) {
		o->reach = REACH_FAILED;
		snprintf(o->error, sizeof o->error, "not a socket");
		return false;
	}
	if (access(cfg->socket, R_OK | W_OK) != 0 && errno == EACCES) {
		o->reach = REACH_DENIED;
		return false;
	}
	return true;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static struct container_obs *add_obs(struct containers_observed *o, const char *name)
{
	o->c = rp_xreallocarray(o->c, o->n + 1, sizeof *o->c);
	struct container_obs *c = &o->c[o->n++];
	memset(c, 0, sizeof *c);
	c->name = rp_xstrdup(name);
	return c;
}

/* Adds a found container once, whatever selects it more than once. */
static void add_found(struct containers_observed *o, const struct rp_docker_summary *s)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->c[i].found && !strcmp(o->c[i].name, s->name))
			return;
	struct container_obs *c = add_obs(o, s->name);
	c->found = true;
	c->id = s->id ? rp_xstrdup(s->id) : NULL;
}

static int by_name(const void *a, const void *b)
{
	const struct rp_docker_summary *x = a, *y = b;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* What the options ask for, against the engine's list (sorted by name
 * first: the engine's order changes, a check's text must not). */
static void select_containers(const struct containers_config *cfg, struct containers_observed *o,
                              struct rp_docker_summary *s, size_t n)
{
	qsort(s, n, sizeof *s, by_name);
	for (size_t k = 0; k < cfg->ncontainers; k++) {
		const char *want = cfg->containers[k];
		bool any = false;
		for (size_t i = 0; i < n; i++)
			if (s[i].name && fnmatch(want, s[i].name, 0) == 0) {
				add_found(o, &s[i]);
				any = true;
			}
		if (!any)
			add_obs(o, want)->pattern = has_glob(want);
	}
	if (!cfg->project)
		return;
	bool any = false;
	for (size_t i = 0; i < n; i++)
		if (s[i].name && s[i].project && !strcmp(s[i].project, cfg->project)) {
			add_found(o, &s[i]);
			any = true;
		}
	for (size_t k = 0; k < cfg->nservices; k++) {
		bool created = false;
		for (size_t i = 0; i < n && !created; i++)
			created = s[i].project && s[i].service &&
			          !strcmp(s[i].project, cfg->project) &&
			          !strcmp(s[i].service, cfg->services[k]);
		if (!created)
			add_obs(o, cfg->services[k])->service = rp_xstrdup(cfg->services[k]);
	}
	if (!any && !cfg->nservices)
		add_obs(o, cfg->project)->pattern = true; /* "no container matches" */
}

/* text as the container wrote it, made fit to show: its own secret
 * values masked, URLs without their credentials. Caller frees. */
static char *redacted(const struct rp_docker_inspect *in, const char *s, size_t len)
{
	struct rp_buf raw, text;
	rp_buf_init(&raw), rp_buf_init(&text);
	rp_buf_append(&raw, s, len);
	rp_docker_mask_secrets(in, &raw);
	rp_secret_redact_text(&text, raw.data ? raw.data : "", raw.len);
	rp_buf_putc(&text, '\0');
	rp_secret_wipe(raw.data, raw.len);
	rp_buf_free(&raw);
	return rp_buf_steal(&text);
}

/* The last lines of its log, redacted (URLs' credentials, the container's
 * own secret values) and sanitised, and the line that says why. */
static void read_log(const struct containers_config *cfg, const struct rp_deadline *dl,
                     struct container_obs *c)
{
	char *path = rp_xasprintf("/containers/%s/logs?stdout=true&stderr=true&tail=%ld",
	                          c->id ? c->id : c->name, cfg->log_lines);
	struct rp_http_response resp;
	char err[256];
	if (cfg->log_lines > 0 && engine_get(cfg, dl, path, &resp, err, sizeof err)) {
		struct rp_buf raw;
		rp_buf_init(&raw);
		rp_docker_logs_text(resp.body.data, resp.body.len, c->in.tty, &raw);
		rp_secret_clean_log(raw.data ? raw.data : "", raw.len, c->in.secrets,
		                    c->in.nsecrets, &c->log, &c->error_line);
		rp_secret_wipe(raw.data, raw.len);
		rp_buf_free(&raw);
	}
	if (cfg->log_lines > 0)
		rp_http_response_free(&resp);
	free(path);
}

static double when(const char *rfc3339)
{
	double t = 0;
	/* a container never started or stopped says 0001-01-01T00:00:00Z */
	if (!rfc3339 || !rp_timestamp_parse_iso(rfc3339, strlen(rfc3339), &t) || t < 0)
		return 0;
	return t;
}

static void inspect(const struct containers_config *cfg, const struct rp_deadline *dl,
                    struct container_obs *c)
{
	char *path = rp_xasprintf("/containers/%s/json", c->id ? c->id : c->name);
	struct rp_http_response resp;
	char err[256];
	if (engine_get(cfg, dl, path, &resp, err, sizeof err) &&
	    rp_docker_parse_inspect(resp.body.data, resp.body.len, &c->in, err, sizeof err)) {
		c->inspected = true;
		/* a health check's output is the container's words too */
		if (c->in.health_output) {
			char *safe =
			        redacted(&c->in, c->in.health_output, strlen(c->in.health_output));
			free(c->in.health_output);
			c->in.health_output = safe;
		}
		c->started = when(c->in.started_at);
		c->finished = when(c->in.finished_at);
	} else {
		c->error = rp_xstrdup(err);
	}
	rp_http_response_free(&resp);
	free(path);
	bool ready = c->in.running && !c->in.restarting &&
	             (!c->in.health || strcmp(c->in.health, "unhealthy") != 0);
	if (c->inspected && (!ready || c->in.restart_count > 0))
		read_log(cfg, dl, c);
}

static void probe(const void *cfgp, const struct rp_cli *cli, void *seen)
{
	const struct containers_config *cfg = cfgp;
	struct containers_observed *o = seen;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	o->now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9; /* the engine's times have ns */
	if (!socket_usable(cfg, o))
		return;
	struct rp_http_response resp;
	struct rp_docker_summary *s = NULL;
	size_t n = 0;
	if (!engine_get(cfg, &cli->deadline, "/containers/json?all=true", &resp, o->error,
	                sizeof o->error) ||
	    !rp_docker_parse_list(resp.body.data, resp.body.len, &s, &n, o->error,
	                          sizeof o->error)) {
		o->reach = REACH_FAILED;
		rp_http_response_free(&resp);
		return;
	}
	rp_http_response_free(&resp);
	o->engine_total = n;
	select_containers(cfg, o, s, n);
	rp_docker_summaries_free(s, n);
	for (size_t i = 0; i < o->n; i++)
		if (o->c[i].found)
			inspect(cfg, &cli->deadline, &o->c[i]);
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct containers_config *cfg = cfgp;
	cfg->log_lines = 20;
	cfg->start_grace = 300;
}

static void config_free(void *cfgp)
{
	struct containers_config *cfg = cfgp;
	rp_strv_free(cfg->containers, cfg->ncontainers);
	rp_strv_free(cfg->services, cfg->nservices);
	rp_strv_free(cfg->require_env, cfg->nrequire_env);
}

static struct rp_check *evaluate(const void *cfg, const void *seen, const struct rp_cli *cli)
{
	return containers_evaluate(cfg, seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *seen)
{
	(void)cfg;
	containers_observed_free(seen);
}

static const struct rp_plugin check_containers = {
	.info = &info,
	.config_size = sizeof(struct containers_config),
	.observed_size = sizeof(struct containers_observed),
	.config_init = config_init,
	.config_free = config_free,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_containers, argc, argv);
}
