/* engines.h: what the engine tests share: a fixture a monitoring engine's
 * user (nagios) can read, with copies of the built plugins, files for them
 * to check and our test server as the API; the shipped contrib files with
 * their paths pointed at it; and the comparison of what an engine reports
 * with what the plugin printed. */
#ifndef RP_ENGINES_H
#define RP_ENGINES_H

#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct engine_fixture {
	char *dir;     /* 0755; app/ (0755) holds what the checks read */
	char *plugins; /* dir/plugins: copies of the built plugins */
	pid_t web;     /* rp-testserver: the API at web_port */
	int web_port;
	pid_t app; /* a process of the nagios user with the app's environment */
};

void engine_fixture_setup(struct engine_fixture *fx);
void engine_fixture_teardown(struct engine_fixture *fx);

/* The shipped file (relative to the source tree) with its paths pointed
 * at the fixture: the plugin directory, /srv/app, /etc/app, /run/app.pid,
 * /etc/readiness and the API's address. Caller frees. */
char *engine_shipped(const struct engine_fixture *fx, const char *rel);

/* Appends text to out with every pairs[i][0] written as pairs[i][1]. */
void engine_replace_all(struct rp_buf *out, const char *text, const char *const pairs[][2],
                        size_t npairs);

/* Runs a command line as the nagios user through /bin/sh, as NRPE, Nagios
 * and the Zabbix agent run them. */
void engine_run_line(const char *line, struct h_run *r);

/* Runs the command line that follows key ("command[readiness_sqlite]=",
 * "UserParameter=readiness.sqlite,") in the shipped file rel, pointed at
 * the fixture, with engine_run_line. */
void engine_run_shipped(const struct engine_fixture *fx, const char *rel, const char *key,
                        struct h_run *r);

/* Fails unless two outputs of the same check agree: label, state, perfdata
 * labels in order, and the text of line 1 and of the long output with
 * every number masked (times and ages move between two runs). */
void engine_assert_same_output(const struct rp_plugin_output *a, const struct rp_plugin_output *b,
                               const char *what);

/* True when the program is installed; engine tests skip loudly (and fail
 * under CI, where tools/bootstrap installs every engine) when not. */
bool engine_available(const char *path);
/* The body of a test that stands for an engine not installed. */
void engine_skip(const char *engine);

#endif
