#include "rp_secretstore.h"
#include "rp_secret.h"
#include "rp_text.h"
#include "rp_util.h"

#include <dlfcn.h>
#include <libsecret/secret.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ATTRS 32

bool rp_secretstore_parse(const char *spec, struct rp_secretstore_attr **out, size_t *n, char *err,
                          size_t errlen)
{
	*out = NULL;
	*n = 0;
	for (const char *p = spec; *p;) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		char *shown = rp_text_sanitize(p, len, 60);
		bool dup = false;
		for (size_t i = 0; eq && i < *n; i++)
			dup |= strlen((*out)[i].key) == (size_t)(eq - p) &&
			       !strncmp((*out)[i].key, p, (size_t)(eq - p));
		const char *bad = !eq || eq == p    ? "write KEY=VALUE"
		                  : dup             ? "a key given twice"
		                  : *n >= MAX_ATTRS ? "more than 32 attributes"
		                                    : NULL;
		if (bad) {
			snprintf(err, errlen, "--secret-store '%s': %s", shown, bad);
			free(shown);
			rp_secretstore_attrs_free(*out, *n);
			*out = NULL, *n = 0;
			return false;
		}
		free(shown);
		*out = rp_xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].key = rp_xstrndup(p, (size_t)(eq - p));
		(*out)[*n].value = rp_xstrndup(eq + 1, len - (size_t)(eq - p) - 1);
		(*n)++;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*n)
		snprintf(err, errlen, "--secret-store: give the item's attributes, KEY=VALUE,...");
	return *n > 0;
}

void rp_secretstore_attrs_free(struct rp_secretstore_attr *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].key);
		free(a[i].value);
	}
	free(a);
}

/* Every libsecret and GLib function used, resolved from libsecret's
 * handle (its dependencies come with it). */
#define SS_FUNCS(X)                                                                                \
	X(secret_service_get_sync)                                                                 \
	X(secret_service_search_sync)                                                              \
	X(secret_item_get_locked)                                                                  \
	X(secret_item_get_secret)                                                                  \
	X(secret_value_get)                                                                        \
	X(secret_value_unref)                                                                      \
	X(g_hash_table_new)                                                                        \
	X(g_hash_table_insert)                                                                     \
	X(g_hash_table_unref)                                                                      \
	X(g_str_hash)                                                                              \
	X(g_str_equal)                                                                             \
	X(g_list_free_full)                                                                        \
	X(g_object_unref)                                                                          \
	X(g_error_free)                                                                            \
	X(g_dbus_error_quark)

struct ss_lib {
#define SS_PTR(name) __typeof__(name) *name;
	SS_FUNCS(SS_PTR)
#undef SS_PTR
};

static bool load(struct ss_lib *l, char *why, size_t whylen)
{
	/* never unloaded: GLib keeps threads and types that outlive a dlclose */
	void *h = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, whylen,
		         "libsecret is not installed (libsecret-1-0): the secret store cannot be "
		         "read");
		return false;
	}
#define SS_SYM(name)                                                                               \
	*(void **)&l->name = dlsym(h, #name);                                                      \
	if (!l->name) {                                                                            \
		snprintf(why, whylen, "libsecret lacks %s", #name);                                \
		return false;                                                                      \
	}
	SS_FUNCS(SS_SYM)
#undef SS_SYM
	return true;
}

/* The session bus the store is reached over; false (why set) when there
 * is none, without trying: GLib would try to autolaunch one. */
static bool have_session_bus(char *why, size_t whylen)
{
	if (getenv("DBUS_SESSION_BUS_ADDRESS"))
		return true;
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (run) {
		char *bus = rp_xasprintf("%s/bus", run);
		bool ok = stat(bus, &st) == 0 && S_ISSOCK(st.st_mode);
		free(bus);
		if (ok)
			return true;
	}
	snprintf(why, whylen,
	         "no session bus (no DBUS_SESSION_BUS_ADDRESS, no %s): run the check in the "
	         "session of the user whose secrets these are",
	         run ? "$XDG_RUNTIME_DIR/bus" : "XDG_RUNTIME_DIR");
	return false;
}

static enum rp_secretstore_status dbus_failure(const struct ss_lib *l, GError *e, char *why,
                                               size_t whylen)
{
	char *msg = rp_text_sanitize_str(e->message, 200);
	enum rp_secretstore_status st = RP_SS_FAILED;
	if (e->domain == l->g_dbus_error_quark() && (e->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
	                                             e->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
		st = RP_SS_NO_PROVIDER;
		snprintf(why, whylen,
		         "no Secret Service on the session bus (gnome-keyring-daemon, "
		         "KeePassXC...)");
	} else {
		snprintf(why, whylen, "the secret store cannot be read: %s", msg);
	}
	free(msg);
	l->g_error_free(e);
	return st;
}

/* The first unlocked item's secret among those found. */
static enum rp_secretstore_status first_secret(const struct ss_lib *l, GList *items, char **value,
                                               size_t *len, char *why, size_t whylen)
{
	if (!items) {
		snprintf(why, whylen, "no item has these attributes");
		return RP_SS_NOT_FOUND;
	}
	for (GList *i = items; i; i = i->next) {
		SecretItem *item = i->data;
		if (l->secret_item_get_locked(item))
			continue;
		SecretValue *v = l->secret_item_get_secret(item);
		if (!v)
			continue;
		gsize n = 0;
		const gchar *s = l->secret_value_get(v, &n);
		*value = rp_xmalloc(n + 1);
		memcpy(*value, s, n);
		(*value)[n] = '\0';
		*len = n;
		l->secret_value_unref(v);
		return RP_SS_FOUND;
	}
	snprintf(why, whylen,
	         "its collection is locked: nothing can read it until the keyring is unlocked");
	return RP_SS_LOCKED;
}

enum rp_secretstore_status rp_secretstore_lookup(const struct rp_secretstore_attr *a, size_t n,
                                                 char **value, size_t *len, char *why,
                                                 size_t whylen)
{
	*value = NULL;
	*len = 0;
	struct ss_lib l;
	if (!have_session_bus(why, whylen))
		return RP_SS_NO_BUS;
	if (!load(&l, why, whylen))
		return RP_SS_NO_LIBRARY;
	GError *e = NULL;
	SecretService *svc = l.secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, NULL, &e);
	if (!svc)
		return dbus_failure(&l, e, why, whylen);
	/* any schema: the attributes alone choose, as secret-tool does */
	SecretSchema schema = { .name = "org.freedesktop.Secret.Generic",
		                .flags = SECRET_SCHEMA_DONT_MATCH_NAME };
	GHashTable *attrs = l.g_hash_table_new(l.g_str_hash, l.g_str_equal);
	for (size_t i = 0; i < n && i < MAX_ATTRS; i++) {
		schema.attributes[i].name = a[i].key;
		schema.attributes[i].type = SECRET_SCHEMA_ATTRIBUTE_STRING;
		l.g_hash_table_insert(attrs, a[i].key, a[i].value);
	}
	/* no SECRET_SEARCH_UNLOCK: unlocking may prompt */
	GList *items = l.secret_service_search_sync(
	        svc, &schema, attrs, SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL, &e);
	enum rp_secretstore_status st = e ? dbus_failure(&l, e, why, whylen)
	                                  : first_secret(&l, items, value, len, why, whylen);
	l.g_list_free_full(items, l.g_object_unref);
	l.g_hash_table_unref(attrs);
	l.g_object_unref(svc);
	return st;
}
