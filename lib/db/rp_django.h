/* rp_django.h: the migrations Django apps ship, named as django_migrations
 * records them ("app.0002_add_price": the app's label and the module).
 *
 * An app's label is its directory's name (Django's default; an AppConfig
 * that sets another label is not read). Its migrations are the modules of
 * its migrations/ package (a directory with __init__.py) whose names do
 * not start with "_" or "~", as Django's loader takes them. */
#ifndef RP_DJANGO_H
#define RP_DJANGO_H

#include <stdbool.h>
#include <stddef.h>

struct rp_django_migration {
	char *name;      /* "app.migration" */
	char **replaces; /* a squashed migration's: "app.migration" each */
	size_t nreplaces;
};

struct rp_django_listing {
	struct rp_django_migration *m; /* sorted by name */
	size_t n;
	char **apps; /* the labels found, sorted */
	size_t napps;
};

/* The migrations under dir: dir is an app's migrations/ package, an app
 * (holding one), or a project whose apps are dir/APP or dir/X/APP. False
 * with err when dir cannot be read or more than max migrations or
 * directories are found; true with none when dir holds no app. Free with
 * rp_django_listing_free. */
bool rp_django_list(const char *dir, size_t max, struct rp_django_listing *out, char *err,
                    size_t errlen);
void rp_django_listing_free(struct rp_django_listing *l);

/* The migrations a squashed one replaces: its `replaces = [("app",
 * "name"), ...]` at the start of a line (indented in its class), as
 * "app.name" strings in *out (rp_strv). Only string literals are read; at
 * most 4096. Returns how many. */
size_t rp_django_replaces(const char *text, size_t len, char ***out);

/* True when name ("app.migration") belongs to one of apps (sorted). */
bool rp_django_in_apps(const char *name, char *const *apps, size_t napps);

/* Django's rule for squashed migrations, over the migrations of a listing
 * and the ledger's entries ("app.name"): a squashed migration is applied
 * when every migration it replaces is (its own row does not count);
 * when all or none of them are, Django plans with the squashed one and
 * the replaced files are left out (skip); when some are, it plans with
 * the replaced ones and the squashed one is left out, unless a replaced
 * one still to apply has no file (Django cannot load that: the squashed
 * one stays pending). Updates applied[] and sets skip[] (per migration)
 * and used[] (per entry: a row a squashed migration accounts for). */
void rp_django_squashed(const struct rp_django_listing *l, char *const *entries, size_t nentries,
                        bool *applied, bool *skip, bool *used);

#endif
