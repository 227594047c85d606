#include "rp_run.h"

#include "rp_judge.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void config_free(const struct rp_plugin *p, void *cfg)
{
	if (p->config_free)
		p->config_free(cfg);
	free(cfg);
}

/* Parse and validate; on a usage error this prints and exits 3. */
static void *configure(const struct rp_plugin *p, struct rp_cli *cli, int argc, char **argv)
{
	void *cfg = rp_xcalloc(1, p->config_size ? p->config_size : 1);
	if (p->config_init)
		p->config_init(cfg);
	bool ok = rp_cli_parse(cli, p->info, argc, argv, p->option, cfg);
	if (ok && p->validate)
		ok = p->validate(cfg, cli);
	if (!ok) {
		config_free(p, cfg);
		rp_cli_usage_error(cli);
	}
	return cfg;
}

/* 'time' is the check's own duration, the same in every plugin. */
static void record_time(struct rp_check *root, const struct rp_cli *cli)
{
	for (size_t i = 0; i < root->perf.n; i++)
		if (strcmp(root->perf.items[i].label, "time") == 0)
			return;
	rp_check_add_perf(root, "time", cli->elapsed, RP_UNIT_SECONDS, &cli->thresholds);
}

int rp_run(const struct rp_plugin *p, int argc, char **argv)
{
	struct rp_cli cli;
	void *cfg = configure(p, &cli, argc, argv);
	if (p->instead) {
		int code = p->instead(cfg, &cli);
		if (code >= 0) {
			rp_deadline_backstop_disarm();
			config_free(p, cfg);
			rp_cli_free(&cli);
			return code;
		}
	}
	void *seen = rp_xcalloc(1, p->observed_size ? p->observed_size : 1);
	p->probe(cfg, &cli, seen);
	cli.elapsed = rp_deadline_elapsed(&cli.deadline);
	struct rp_check *root = p->evaluate(cfg, seen, &cli);
	record_time(root, &cli);
	rp_judge_metrics(root, &cli.thresholds, cli.metrics);
	if (p->after)
		p->after(cfg, seen, &cli, root);
	if (p->observed_free)
		p->observed_free(cfg, seen);
	free(seen);
	config_free(p, cfg);
	return rp_cli_render(&cli, root);
}
