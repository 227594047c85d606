/* cli_prog: the smallest program on the shared command line. The CLI tests
 * run it to check usage errors, --help, thresholds, JSON output and the
 * timeout backstop end to end, exactly as a plugin would behave. */
#include "rp_cli.h"
#include "rp_text.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_VALUE = 1, OPT_BLOCK, OPT_NAME };

struct prog_config {
	double value;
	bool has_value;
	bool block;
	const char *name;
};

static const struct rp_option options[] = {
	{ "value", 0, true, "N", "the measured value to report as 'time'", OPT_VALUE },
	{ "block", 0, false, NULL, "block forever (to test the timeout backstop)", OPT_BLOCK },
	{ "name", 'n', true, "TEXT", "untrusted text to show in the summary", OPT_NAME },
	{ NULL, 0, false, NULL, NULL, 0 },
};

static const struct rp_metric_spec metrics[] = {
	{ "time", RP_UNIT_SECONDS, false, "the value given with --value", NULL },
	{ "rows", RP_UNIT_NONE, true, "unused, to test stems", NULL },
	{ NULL, RP_UNIT_NONE, false, NULL, NULL },
};

static const struct rp_plugin_info info = {
	.name = "cli_prog",
	.label = "CLIPROG",
	.purpose = "test program for the shared command line",
	.synopsis = "[--value N] [--block] [-n TEXT] [-w RANGE] [-c RANGE]",
	.options = options,
	.metrics = metrics,
	.primary_metric = "time",
	.notes = NULL,
	.examples = "  cli_prog --value 0.5 -w 1 -c 2\n",
};

static bool handle(void *cfgp, int id, const char *arg, char *err, size_t errlen)
{
	struct prog_config *cfg = cfgp;
	switch (id) {
	case OPT_VALUE:
		if (!rp_unit_parse_duration(arg, &cfg->value, err, errlen))
			return false;
		cfg->has_value = true;
		return true;
	case OPT_BLOCK:
		cfg->block = true;
		return true;
	case OPT_NAME:
		cfg->name = arg;
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	struct prog_config cfg = { 0 };
	struct rp_cli cli;
	if (!rp_cli_parse(&cli, &info, argc, argv, handle, &cfg))
		rp_cli_usage_error(&cli);
	if (cfg.block)
		for (;;)
			pause();

	struct rp_check *root = rp_check_new();
	if (cfg.has_value) {
		enum rp_state st =
		        rp_check_metric(root, "time", cfg.value, RP_UNIT_SECONDS, &cli.thresholds);
		rp_check_add(root, st, "value %g", cfg.value);
	} else {
		rp_check_add(root, RP_OK, "no value given");
	}
	if (cfg.name) {
		char *clean = rp_text_sanitize(cfg.name, strlen(cfg.name), RP_SANITIZE_MAX);
		rp_check_set_text(root, "name %s", clean);
		free(clean);
	}
	rp_cli_finish(&cli, root);
}
