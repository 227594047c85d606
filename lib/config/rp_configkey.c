#include "rp_configkey.h"
#include "rp_dotenv.h"
#include "rp_file.h"
#include "rp_json.h"
#include "rp_keypath.h"
#include "rp_secret.h"
#include "rp_text.h"
#include "rp_toml.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX (1024 * 1024)

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && strncmp(s + len - n, suffix, n) == 0;
}

/* The file's tree, or NULL with *error set. flat: a dotenv file. */
static struct rp_value *parse_file(const char *path, size_t plen, const char *what, bool *flat,
                                   char **error)
{
	char why[200];
	size_t len;
	char *text = rp_file_read(path, CONFIG_MAX, &len, NULL, why, sizeof why);
	char *shown = rp_text_sanitize(path, plen, 160);
	if (!text) {
		*error = rp_xasprintf("the %s file %s %s", what, shown, why);
		free(shown);
		return NULL;
	}
	struct rp_value *root;
	*flat = false;
	if (ends_with(path, plen, ".toml")) {
		root = rp_toml_parse(text, len, why, sizeof why);
	} else if (ends_with(path, plen, ".json")) {
		root = rp_json_parse_any(text, len, why, sizeof why);
	} else {
		struct rp_dotenv_notes notes;
		memset(&notes, 0, sizeof notes);
		root = rp_dotenv_parse(text, len, &notes, why, sizeof why);
		rp_dotenv_notes_free(&notes);
		*flat = true;
	}
	rp_secret_wipe(text, len);
	free(text);
	if (!root)
		*error = rp_xasprintf("%s does not parse: %s", shown, why);
	free(shown);
	return root;
}

static char *value_of(const struct rp_value *root, bool flat, const char *key, const char *shown,
                      char **error)
{
	char why[200];
	struct rp_keypath k;
	if (!rp_keypath_parse(key, &k, why, sizeof why)) {
		*error = rp_xasprintf("the key '%s': %s", key, why);
		return NULL;
	}
	struct rp_resolved_list l;
	rp_keypath_resolve(&k, root, flat, &l);
	const struct rp_value *v = l.n == 1 ? l.items[0].value : NULL;
	char *out = NULL;
	if (!v)
		*error = rp_xasprintf("%s has no %s", shown, key);
	else if (v->type != RP_V_STRING)
		*error = rp_xasprintf("%s in %s is not a string (%s)", key, shown,
		                      rp_value_type_name(v->type));
	else if (!v->len || memchr(v->s, '\0', v->len))
		*error = rp_xasprintf("%s in %s is %s", key, shown,
		                      v->len ? "not text (a NUL byte)" : "empty");
	else
		out = rp_xstrndup(v->s, v->len);
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	return out;
}

char *rp_configkey_load(const char *spec, const char *what, char **error)
{
	*error = NULL;
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || !colon[1]) {
		char *s = rp_text_sanitize_str(spec, 120);
		*error = rp_xasprintf("'%s': write FILE:KEY", s);
		free(s);
		return NULL;
	}
	size_t plen = (size_t)(colon - spec);
	char *path = rp_xstrndup(spec, plen);
	bool flat;
	struct rp_value *root = parse_file(path, plen, what, &flat, error);
	char *out = NULL;
	if (root) {
		char *shown = rp_text_sanitize(path, plen, 160);
		out = value_of(root, flat, colon + 1, shown, error);
		if (*error) {
			/* the key as written may hold bytes not fit to show */
			char *e = rp_text_sanitize_str(*error, 300);
			free(*error);
			*error = e;
		}
		free(shown);
		rp_value_free(root);
	}
	free(path);
	return out;
}
