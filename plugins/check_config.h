/* check_config.h: configuration and observations of check_config, shared by
 * the plugin (options, loading the sources) and its pure evaluate step
 * (config_eval.c). */
#ifndef CHECK_CONFIG_H
#define CHECK_CONFIG_H

#include "rp_check.h"
#include "rp_dotenv.h"
#include "rp_thresholds.h"
#include "rp_value.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum config_source_kind {
	SRC_ENV,
	SRC_TOML,
	SRC_JSON,
	SRC_PID,
	SRC_PID_FILE,
	SRC_COMPOSE,
	SRC_SECRET_STORE,
};

struct config_source_spec {
	enum config_source_kind kind;
	const char *arg;
};

struct config_config {
	struct config_source_spec *sources;
	size_t nsources;
	char **services; /* --service: the compose services checked (default: all) */
	size_t nservices;
	char **require;
	size_t nrequire;
	const char *template_file;
	char **secrets; /* --secret: key paths or names */
	size_t nsecrets;
	bool no_auto_secrets;
	char **secrets_in; /* --secrets-in: where secrets are found by name */
	size_t nsecrets_in;
	regex_t *placeholders;
	size_t nplaceholders;
	long min_length;
	double min_entropy_bits;
	enum rp_state weak_state;
	enum rp_state missing_state;
};

/* One loaded source: a file, or a process's environment. */
struct config_source {
	enum config_source_kind kind;
	char *name;  /* the file, or "pid 1234" */
	char *error; /* did not load: why (file, line, column) */
	enum rp_state error_state;
	struct rp_value *root; /* a table */
	bool flat;             /* dotenv and environments: keys are not paths */
	bool all_secret;       /* every value is a secret (the OS secret store) */
	bool has_mode;
	mode_t mode;
	struct rp_dotenv_notes notes; /* dotenv: duplicated keys, skipped lines */
	/* a compose service: the names its project's .env defines (values
	 * left out), to say a key missing was never passed on */
	char **project_keys;
	size_t nproject_keys;
};

struct config_observed {
	struct config_source *sources;
	size_t nsources;
	bool has_template;
	struct config_source template_src;
};

struct rp_check *config_evaluate(const struct config_config *cfg, const struct config_observed *o,
                                 const struct rp_thresholds *t);

void config_source_free(struct config_source *s);

#endif
