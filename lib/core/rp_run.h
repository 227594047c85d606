/* rp_run.h: the plugin runtime. A plugin is a descriptor; rp_run owns the
 * pipeline every plugin follows, so the contract holds in one place:
 *
 *   parse argv (rp_cli: standard options, the plugin's table, -w/-c)
 *   -> validate        the whole command line; the config is const after it
 *   -> probe           the only step that touches the world, read-only,
 *                      under the run's one deadline; fills its own struct
 *   -> evaluate        pure: config + observations -> result tree
 *   -> time            the check's duration, recorded as 'time' unless the
 *                      plugin recorded it (with the same value, cli->elapsed)
 *   -> judge           every metric against the thresholds in force
 *                      (rp_judge.h)
 *   -> after           optional I/O once the verdict is known (a history)
 *   -> render, exit    one write to stdout; the state is the exit code
 *
 * A plugin's main is one call:  return rp_run(&check_x, argc, argv);
 * See docs/design.md. */
#ifndef RP_RUN_H
#define RP_RUN_H

#include "rp_check.h"
#include "rp_cli.h"

#include <stdbool.h>
#include <stddef.h>

struct rp_plugin {
	const struct rp_plugin_info *info;
	size_t config_size;             /* the plugin's config struct, zeroed, then config_init */
	size_t observed_size;           /* what the probe saw, zeroed before probe */
	void (*config_init)(void *cfg); /* defaults; may be NULL */
	void (*config_free)(void *cfg); /* may be NULL */
	rp_option_handler option;       /* the plugin's own options */
	/* The whole command line at once: returns false with cli->err set for a
	 * usage error. May complete cfg and add thresholds; NULL if none. */
	bool (*validate)(void *cfg, struct rp_cli *cli);
	/* A mode that prints something else instead of a check (--list): when
	 * it returns >= 0, that is the exit code and nothing else runs. */
	int (*instead)(const void *cfg, const struct rp_cli *cli);
	void (*probe)(const void *cfg, const struct rp_cli *cli, void *seen);
	struct rp_check *(*evaluate)(const void *cfg, const void *seen, const struct rp_cli *cli);
	/* Optional: I/O once the verdict is known; may add lines to root. */
	void (*after)(const void *cfg, const void *seen, const struct rp_cli *cli,
	              struct rp_check *root);
	void (*observed_free)(const void *cfg, void *seen); /* may be NULL */
};

/* Runs the plugin and returns its exit code (0-3). Usage errors, --help and
 * --version exit from within, with code 3. */
int rp_run(const struct rp_plugin *p, int argc, char **argv);

#endif
