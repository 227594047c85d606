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

/* The migrations under dir, sorted: dir is an app's migrations/ package,
 * an app (holding one), or a project whose apps are dir/APP or
 * dir/X/APP. *apps receives the labels found (sorted). False with err
 * when dir cannot be read or more than max migrations or directories are
 * found; true with none when dir holds no app. Free both with
 * rp_strv_free. */
bool rp_django_list(const char *dir, size_t max, char ***names, size_t *n, char ***apps,
                    size_t *napps, char *err, size_t errlen);

/* True when name ("app.migration") belongs to one of apps (sorted). */
bool rp_django_in_apps(const char *name, char *const *apps, size_t napps);

#endif
