/* sqlite_fixture.h: what the check_sqlite test programs share. */
#ifndef SQLITE_FIXTURE_H
#define SQLITE_FIXTURE_H

#include "harness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdarg.h>

#define PLUGIN "plugins/check_sqlite"

/* The test's directory (made by setup, removed by teardown). */
extern char *dir;
void setup(void);
void teardown(void);

/* dir/name; caller frees. */
char *path_of(const char *name);
/* Creates dir/name and runs the SQL in it; returns the path. */
char *make_db(const char *name, const char *sql);
void make_dir(const char *name);
void write_text(const char *name, const char *text);
/* Runs the plugin with the arguments (NULL-terminated), checks the
 * contract. run_plugin: another plugin (label), pre its first arguments
 * (NULL-terminated), then those of ap. */
void run(struct h_run *r, const char *first, ...);
void run_plugin(struct h_run *r, const char *plugin, const char *label, const char *const *pre,
                const char *first, va_list ap);
/* Names, types, sizes, mtimes and content hashes of everything in dir. */
char *digest(void);

/* Four tables: events (with an index on ts), users, price_comparisons. */
extern const char *const app_schema;

/* Runs call and asserts the directory is the same afterwards. */
#define UNCHANGED(call)                                                                            \
	do {                                                                                       \
		char *before_ = digest();                                                          \
		call;                                                                              \
		char *after_ = digest();                                                           \
		ck_assert_msg(strcmp(before_, after_) == 0,                                        \
		              "the check changed the directory:\n%s\n--\n%s", before_, after_);    \
		free(before_);                                                                     \
		free(after_);                                                                      \
	} while (0)
#define RUN_UNCHANGED(r, ...) UNCHANGED(run((r), __VA_ARGS__))

#endif
