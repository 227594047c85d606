/* readiness_fixture.h: what the check_readiness test programs share. */
#ifndef READINESS_FIXTURE_H
#define READINESS_FIXTURE_H

#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#define PLUGIN "plugins/check_readiness"

/* The test's directory and the built plugins' (setup makes, teardown
 * removes). */
extern char *dir, *plugins;
void setup(void);
void teardown(void);

/* Writes dir/name; returns the path (caller frees). */
char *manifest(const char *name, const char *text);
/* dir/app.db with a table, dir/empty.db (0 bytes), dir/.env that is fine
 * and dir/bad.env with a placeholder secret. */
void make_stack(void);

#endif
