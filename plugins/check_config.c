/* check_config: is the configuration ready? Required keys present, secrets
 * real (not placeholders, not empty, not weak), in .env, TOML and JSON files
 * and in a running process's environment. Catches docs/incidents.md F2-F6.
 * Never prints a value.
 *
 * options -> load the sources (the only I/O) -> config_evaluate (pure,
 * config_eval.c) -> render. */
#include "check_config.h"
#include "rp_secretstore.h"
#include "rp_text.h"
#include "rp_cli.h"
#include "rp_run.h"
#include "rp_secret.h"
#include "rp_file.h"
#include "rp_regex.h"
#include "rp_compose.h"
#include "rp_json.h"
#include "rp_toml.h"
#include "rp_keypath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A configuration file larger than this is refused rather than read. */
#define CONFIG_FILE_MAX (64 * 1024 * 1024)
#define ENVIRON_MAX     (16 * 1024 * 1024)

enum {
	OPT_ENV_FILE = 0x100,
	OPT_TOML,
	OPT_JSON,
	OPT_PID,
	OPT_PID_FILE,
	OPT_COMPOSE,
	OPT_SERVICE,
	OPT_REQUIRE,
	OPT_TEMPLATE,
	OPT_SECRET,
	OPT_NO_AUTO_SECRETS,
	OPT_SECRETS_IN,
	OPT_PLACEHOLDER,
	OPT_MIN_LENGTH,
	OPT_WEAK_STATE,
	OPT_MISSING_STATE,
	OPT_SECRET_STORE,
};

static const struct rp_option options[] = {
	{ "env-file", 0, true, "FILE", "a dotenv file (repeatable)", OPT_ENV_FILE },
	{ "toml", 0, true, "FILE", "a TOML file, e.g. wrangler.toml (repeatable)", OPT_TOML },
	{ "json", 0, true, "FILE", "a JSON file (repeatable)", OPT_JSON },
	{ "pid", 0, true, "PID", "the environment of a running process (repeatable)", OPT_PID },
	{ "pid-file", 0, true, "FILE", "the same, with the PID read from a file", OPT_PID_FILE },
	{ "secret-store", 0, true, "'KEY=VALUE,...'",
	  "an item of the OS secret store (Secret Service: gnome-keyring...) by its attributes, "
	  "e.g. 'service=app,account=api-token' (repeatable)",
	  OPT_SECRET_STORE },
	{ "compose", 0, true, "FILE",
	  "a compose file: each service's environment as compose computes it (repeatable)",
	  OPT_COMPOSE },
	{ "service", 0, true, "NAME",
	  "with --compose: check this service only (repeatable; default: every service)",
	  OPT_SERVICE },
	{ "require", 0, true, "KEY", "a key that must be set and non-empty (repeatable)",
	  OPT_REQUIRE },
	{ "template", 0, true, "FILE",
	  "a dotenv template (.env.example): its keys are required, its values placeholders",
	  OPT_TEMPLATE },
	{ "secret", 0, true, "KEY", "treat KEY as a secret, and require it (repeatable)",
	  OPT_SECRET },
	{ "no-auto-secrets", 0, false, NULL, "no secrets by name (*SECRET*, *TOKEN*...)",
	  OPT_NO_AUTO_SECRETS },
	{ "secrets-in", 0, true, "KEYPATH",
	  "find secrets by name only under this table (env.production, env.*; repeatable)",
	  OPT_SECRETS_IN },
	{ "placeholder", 0, true, "REGEX",
	  "more placeholder values (POSIX ERE, case-insensitive; repeatable)", OPT_PLACEHOLDER },
	{ "secret-min-length", 0, true, "N", "shorter secrets are weak (default 32)",
	  OPT_MIN_LENGTH },
	{ "weak-state", 0, true, "STATE", "state for a weak secret (default warning)",
	  OPT_WEAK_STATE },
	{ "missing-state", 0, true, "STATE", "state for a missing key (default critical)",
	  OPT_MISSING_STATE },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "keys", RP_UNIT_NONE, false, "keys found in all sources", "the number of keys" },
	{ "missing", RP_UNIT_NONE, false, "required keys missing or empty",
	  "the number of required keys missing or empty" },
	{ "placeholders", RP_UNIT_NONE, false, "placeholder secrets",
	  "the number of placeholder secrets" },
	{ "weak", RP_UNIT_NONE, false, "weak secrets", "the number of weak secrets" },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "check_config",
	.label = "CONFIG",
	.purpose = "configuration and secrets readiness: .env, TOML, JSON, compose files, a "
	           "process's environment",
	.synopsis = "(--env-file FILE | --toml FILE | --json FILE | --pid PID | --pid-file FILE |\n"
	            "        --compose FILE [--service NAME]...)...\n"
	            "       [--require KEY]... [--template FILE] [--secret KEY]... [options]",
	.options = options,
	.metrics = metrics,
	.primary_metric = NULL,
	.notes = "KEY is a name in .env files and environments, a dotted path in TOML and\n"
	         "JSON: env.production.vars.JWT_SECRET, \"quoted.key\".x, kv_namespaces[*].id\n"
	         "(every element must have it). Every rule applies to every source given;\n"
	         "each service of a compose file is a source of its own.\n"
	         "Values are never printed: only keys and the reason.\n",
	.examples = "  check_config --env-file /srv/app/.env --template /srv/app/.env.example\n"
	            "  check_config --toml wrangler.toml --require 'kv_namespaces[*].id'\n"
	            "  check_config --pid-file /run/app.pid --require REDIS_PASSWORD\n"
	            "  check_config --compose docker-compose.yml --service api-gateway --require "
	            "REDIS_PASSWORD\n",
};

static void add_source(struct config_config *cfg, enum config_source_kind kind, const char *arg)
{
	cfg->sources = rp_xreallocarray(cfg->sources, cfg->nsources + 1, sizeof *cfg->sources);
	cfg->sources[cfg->nsources].kind = kind;
	cfg->sources[cfg->nsources].arg = arg;
	cfg->nsources++;
}

static bool handle_option(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct config_config *cfg = cfgp;
	long long n;
	switch (id) {
	case OPT_ENV_FILE:
		add_source(cfg, SRC_ENV, arg);
		return true;
	case OPT_TOML:
		add_source(cfg, SRC_TOML, arg);
		return true;
	case OPT_JSON:
		add_source(cfg, SRC_JSON, arg);
		return true;
	case OPT_PID:
		if (!rp_number_parse_ll(arg, &n) || n <= 0 || n > 0x7fffffff) {
			snprintf(err, errlen, "--pid '%.40s': a process id, like 1234", arg);
			return false;
		}
		add_source(cfg, SRC_PID, arg);
		return true;
	case OPT_PID_FILE:
		add_source(cfg, SRC_PID_FILE, arg);
		return true;
	case OPT_COMPOSE:
		add_source(cfg, SRC_COMPOSE, arg);
		return true;
	case OPT_SECRET_STORE: {
		struct rp_secretstore_attr *attrs;
		size_t nattrs;
		if (!rp_secretstore_parse(arg, &attrs, &nattrs, err, errlen))
			return false;
		rp_secretstore_attrs_free(attrs, nattrs);
		add_source(cfg, SRC_SECRET_STORE, arg);
		return true;
	}
	case OPT_SERVICE:
		rp_strv_push(&cfg->services, &cfg->nservices, arg);
		return true;
	case OPT_REQUIRE:
		rp_strv_push(&cfg->require, &cfg->nrequire, arg);
		return true;
	case OPT_TEMPLATE:
		cfg->template_file = arg;
		return true;
	case OPT_SECRET:
		rp_strv_push(&cfg->secrets, &cfg->nsecrets, arg);
		return true;
	case OPT_NO_AUTO_SECRETS:
		cfg->no_auto_secrets = true;
		return true;
	case OPT_SECRETS_IN:
		rp_strv_push(&cfg->secrets_in, &cfg->nsecrets_in, arg);
		return true;
	case OPT_PLACEHOLDER: {
		regex_t re;
		char why[160];
		if (!rp_regex_compile(&re, arg, REG_ICASE | REG_NOSUB, why, sizeof why)) {
			snprintf(err, errlen, "--placeholder '%.60s': %s", arg, why);
			return false;
		}
		cfg->placeholders = rp_xreallocarray(cfg->placeholders, cfg->nplaceholders + 1,
		                                     sizeof *cfg->placeholders);
		cfg->placeholders[cfg->nplaceholders++] = re;
		return true;
	}
	case OPT_MIN_LENGTH:
		if (!rp_number_parse_ll(arg, &n) || n > 4096) {
			snprintf(err, errlen,
			         "--secret-min-length '%.40s': a length from 0 to 4096", arg);
			return false;
		}
		cfg->min_length = (long)n;
		return true;
	case OPT_WEAK_STATE:
	case OPT_MISSING_STATE:
		if (!rp_state_parse(arg, id == OPT_WEAK_STATE ? &cfg->weak_state
		                                              : &cfg->missing_state)) {
			snprintf(err, errlen, "--%s '%.40s': use ok, warning, critical or unknown",
			         id == OPT_WEAK_STATE ? "weak-state" : "missing-state", arg);
			return false;
		}
		return true;
	}
	snprintf(err, errlen, "internal error: option %d", id);
	return false;
}

static void config_free(struct config_config *cfg)
{
	free(cfg->sources);
	rp_strv_free(cfg->services, cfg->nservices);
	rp_strv_free(cfg->require, cfg->nrequire);
	rp_strv_free(cfg->secrets, cfg->nsecrets);
	rp_strv_free(cfg->secrets_in, cfg->nsecrets_in);
	for (size_t i = 0; i < cfg->nplaceholders; i++)
		regfree(&cfg->placeholders[i]);
	free(cfg->placeholders);
}

/* ------------------------------------------------------------------ load */

static void source_error(struct config_source *s, enum rp_state st, const char *fmt, ...)
        RP_PRINTF(3, 4);

static void source_error(struct config_source *s, enum rp_state st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = rp_xvasprintf(fmt, ap);
	va_end(ap);
	free(s->error);
	s->error = text;
	s->error_state = st;
}

/* Reads a whole file (bounded); on failure sets the source's error. */
static char *read_file(struct config_source *s, const char *path, size_t max, size_t *len)
{
	char why[200];
	char *buf = rp_file_read(path, max, len, &s->mode, why, sizeof why);
	if (!buf)
		source_error(s, RP_CRITICAL, "%s", why);
	s->has_mode = buf != NULL;
	return buf;
}

static void load_file(struct config_source *s, enum config_source_kind kind, const char *path)
{
	size_t len;
	char err[512];
	s->kind = kind;
	s->name = rp_xstrdup(path);
	s->flat = kind == SRC_ENV;
	char *src = read_file(s, path, CONFIG_FILE_MAX, &len);
	if (!src)
		return;
	if (kind == SRC_ENV)
		s->root = rp_dotenv_parse(src, len, &s->notes, err, sizeof err);
	else if (kind == SRC_TOML)
		s->root = rp_toml_parse(src, len, err, sizeof err);
	else
		s->root = rp_json_parse_value(src, len, err, sizeof err);
	if (!s->root)
		source_error(s, RP_CRITICAL, "does not parse: %s", err);
	rp_secret_wipe(src, len); /* a configuration holds secrets */
	free(src);
}

/* /proc/PID/environ: what the process really got, NUL-separated. */
static void load_environ(struct config_source *s, long long pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%lld/environ", pid);
	free(s->name);
	s->name = rp_xasprintf("pid %lld", pid);
	s->kind = SRC_PID;
	s->flat = true;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			source_error(s, RP_UNKNOWN, "no such process");
		else
			source_error(
			        s, RP_UNKNOWN,
			        "cannot read its environment: %s (run the check as the process's "
			        "user or as root)",
			        strerror(errno));
		return;
	}
	struct rp_buf b;
	rp_buf_init_secret(&b);
	char chunk[65536];
	ssize_t n;
	while (b.len < ENVIRON_MAX && (n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			source_error(s, RP_UNKNOWN, "cannot read its environment: %s",
			             strerror(errno));
			break;
		}
		rp_buf_append(&b, chunk, (size_t)n);
	}
	rp_secret_wipe(chunk, sizeof chunk);
	close(fd);
	if (!s->error) {
		s->root = rp_value_new(RP_V_TABLE);
		for (size_t i = 0; i < b.len;) {
			const char *entry = b.data + i;
			size_t elen = strnlen(entry, b.len - i);
			const char *eq = memchr(entry, '=', elen);
			if (eq && eq > entry)
				rp_value_table_set(
				        s->root, entry, (size_t)(eq - entry),
				        rp_value_new_string(eq + 1,
				                            elen - (size_t)(eq - entry) - 1));
			i += elen + 1;
		}
	}
	rp_buf_free(&b);
}

static void load_pid_file(struct config_source *s, const char *path)
{
	size_t len;
	s->name = rp_xstrdup(path);
	s->kind = SRC_PID;
	s->flat = true;
	char *text = read_file(s, path, 4096, &len);
	if (!text) {
		/* a PID file that is missing means the process is not running */
		s->error_state = RP_UNKNOWN;
		return;
	}
	s->has_mode = false;
	long long pid;
	char *end = text + strcspn(text, " \t\r\n");
	*end = '\0';
	if (!rp_number_parse_ll(text, &pid) || pid <= 0 || pid > 0x7fffffff)
		source_error(s, RP_UNKNOWN, "does not hold a process id");
	else
		load_environ(s, pid);
	free(text);
}

static struct config_source *new_source(struct config_observed *o)
{
	o->sources = rp_xreallocarray(o->sources, o->nsources + 1, sizeof *o->sources);
	struct config_source *s = &o->sources[o->nsources++];
	memset(s, 0, sizeof *s);
	return s;
}

static bool wanted(const struct config_config *cfg, const char *service)
{
	for (size_t i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i], service) == 0)
			return true;
	return cfg->nservices == 0;
}

/* One source per service checked: "FILE service NAME", its environment
 * flat as a process would get it. A service compose would refuse to
 * start, or a --service the file does not have, is CRITICAL. */
static void load_compose(const struct config_config *cfg, struct config_observed *o,
                         const char *path)
{
	struct rp_compose c;
	char err[512];
	if (!rp_compose_load(path, &c, err, sizeof err)) {
		struct config_source *s = new_source(o);
		s->kind = SRC_COMPOSE;
		s->name = rp_xstrdup(path);
		source_error(s, RP_CRITICAL, "%s", err);
		return;
	}
	for (size_t i = 0; i < c.n; i++) {
		if (!wanted(cfg, c.services[i].name))
			continue;
		struct config_source *s = new_source(o);
		s->kind = SRC_COMPOSE;
		s->flat = true;
		s->name = rp_xasprintf("%s service %s", path, c.services[i].name);
		s->root = c.services[i].env;
		c.services[i].env = NULL;
		for (size_t k = 0; c.dotenv && k < c.dotenv->n; k++)
			rp_strv_pushn(&s->project_keys, &s->nproject_keys, c.dotenv->keys[k].s,
			              c.dotenv->keys[k].len);
		if (c.services[i].refused)
			source_error(s, RP_CRITICAL, "compose would not start it: %s",
			             c.services[i].refused);
	}
	for (size_t k = 0; k < cfg->nservices; k++) {
		bool found = false;
		for (size_t i = 0; i < c.n && !found; i++)
			found = strcmp(c.services[i].name, cfg->services[k]) == 0;
		if (found)
			continue;
		struct config_source *s = new_source(o);
		s->kind = SRC_COMPOSE;
		s->name = rp_xasprintf("%s service %s", path, cfg->services[k]);
		source_error(s, RP_CRITICAL, "no such service in the file");
	}
	rp_compose_free(&c);
}

/* --secret-store: the item's secret as a source of one secret, named by
 * its attributes; what keeps it from being read is the source's error. */
static void load_secret_store(struct config_source *s, const char *spec)
{
	s->kind = SRC_SECRET_STORE;
	s->name = rp_xstrdup("the secret store");
	s->flat = true;
	s->all_secret = true;
	struct rp_secretstore_attr *a;
	size_t n, len;
	char err[400], why[400];
	if (!rp_secretstore_parse(spec, &a, &n, err, sizeof err))
		return; /* refused with the options */
	char *value;
	enum rp_secretstore_status st = rp_secretstore_lookup(a, n, &value, &len, why, sizeof why);
	rp_secretstore_attrs_free(a, n);
	char *shown = rp_text_sanitize_str(spec, 120);
	if (st == RP_SS_FOUND) {
		s->root = rp_value_new(RP_V_TABLE);
		rp_value_table_add(s->root, spec, strlen(spec), rp_value_new_string(value, len));
		rp_secret_wipe(value, len);
		free(value);
	} else {
		s->error = rp_xasprintf(
		        "%s: %s%s", shown, why,
		        st == RP_SS_NOT_FOUND ? " (a lookup such as Bun.secrets.get() returns null)"
		                              : "");
		s->error_state =
		        st == RP_SS_NOT_FOUND || st == RP_SS_LOCKED || st == RP_SS_NO_PROVIDER
		                ? RP_CRITICAL
		                : RP_UNKNOWN;
	}
	free(shown);
}

static void load_sources(const struct config_config *cfg, struct config_observed *o)
{
	o->sources = NULL;
	o->nsources = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct config_source_spec *spec = &cfg->sources[i];
		long long pid;
		if (spec->kind == SRC_COMPOSE) {
			load_compose(cfg, o, spec->arg);
			continue;
		}
		if (spec->kind == SRC_SECRET_STORE) {
			load_secret_store(new_source(o), spec->arg);
			continue;
		}
		struct config_source *s = new_source(o);
		if (spec->kind == SRC_PID && rp_number_parse_ll(spec->arg, &pid))
			load_environ(s, pid);
		else if (spec->kind == SRC_PID_FILE)
			load_pid_file(s, spec->arg);
		else
			load_file(s, spec->kind, spec->arg);
	}
	if (cfg->template_file) {
		o->has_template = true;
		load_file(&o->template_src, SRC_ENV, cfg->template_file);
	}
}

/* ------------------------------------------------------------ the runtime */

static void config_init(void *cfgp)
{
	struct config_config *cfg = cfgp;
	cfg->min_length = 32;
	cfg->weak_state = RP_WARNING;
	cfg->missing_state = RP_CRITICAL;
}

static void config_free_any(void *cfg)
{
	config_free(cfg);
}

/* With a TOML or JSON source a key is a path: one that does not parse is
 * the command's mistake, said at once, not a key "missing" from a file.
 * Dotenv files and environments take any text as a key name. */
static bool key_paths_parse(const struct config_config *cfg, struct rp_cli *cli)
{
	bool structured = false;
	for (size_t i = 0; i < cfg->nsources; i++)
		structured |= cfg->sources[i].kind == SRC_TOML || cfg->sources[i].kind == SRC_JSON;
	for (size_t i = 0; structured && i < cfg->nrequire + cfg->nsecrets; i++) {
		bool req = i < cfg->nrequire;
		const char *key = req ? cfg->require[i] : cfg->secrets[i - cfg->nrequire];
		struct rp_keypath kp;
		char why[200];
		if (!rp_keypath_parse(key, &kp, why, sizeof why)) {
			snprintf(cli->err, sizeof cli->err, "%s: %s",
			         req ? "--require" : "--secret", why);
			return false;
		}
		rp_keypath_free(&kp);
	}
	return true;
}

static bool validate(void *cfgp, struct rp_cli *cli)
{
	struct config_config *cfg = cfgp;
	/* 3 bits a character of the minimum length: 96 bits for 32 */
	cfg->min_entropy_bits = 3.0 * (double)cfg->min_length;
	if (cfg->nsources == 0) {
		snprintf(cli->err, sizeof cli->err,
		         "give at least one source: --env-file, --toml, --json, --compose, --pid, "
		         "--pid-file or --secret-store");
		return false;
	}
	bool compose = false;
	for (size_t i = 0; i < cfg->nsources; i++)
		compose |= cfg->sources[i].kind == SRC_COMPOSE;
	if (cfg->nservices && !compose) {
		snprintf(cli->err, sizeof cli->err,
		         "--service names a service of a --compose file");
		return false;
	}
	return key_paths_parse(cfg, cli);
}

static void probe(const void *cfg, const struct rp_cli *cli, void *seen)
{
	(void)cli;
	load_sources(cfg, seen);
}

static struct rp_check *evaluate(const void *cfg, const void *seen, const struct rp_cli *cli)
{
	return config_evaluate(cfg, seen, &cli->thresholds);
}

static void observed_free(const void *cfg, void *seenp)
{
	(void)cfg;
	struct config_observed *seen = seenp;
	for (size_t i = 0; i < seen->nsources; i++)
		config_source_free(&seen->sources[i]);
	free(seen->sources);
	config_source_free(&seen->template_src);
}

static const struct rp_plugin check_config = {
	.info = &info,
	.config_size = sizeof(struct config_config),
	.observed_size = sizeof(struct config_observed),
	.config_init = config_init,
	.config_free = config_free_any,
	.option = handle_option,
	.validate = validate,
	.probe = probe,
	.evaluate = evaluate,
	.observed_free = observed_free,
};

int main(int argc, char **argv)
{
	return rp_run(&check_config, argc, argv);
}
