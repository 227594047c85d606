/* The TOML conformance suite (toml-test, the TOML 1.0.0 file list, kept in
 * tests/data/toml-test): every valid file must read to exactly the values
 * of its .json, every invalid file must be refused. One test per file. */
#include "rp_test.h"
#include "rp_toml.h"
#include "rp_util.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static char **files;
static size_t nfiles;
static char *suite_dir;

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct rp_buf b;
	rp_buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rp_buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.data ? rp_buf_steal(&b) : rp_xstrdup("");
}

static void load_list(void)
{
	const char *src = getenv("RP_TOP_SRCDIR");
	suite_dir = rp_xasprintf("%s/tests/data/toml-test", src && *src ? src : ".");
	char *list_path = rp_xasprintf("%s/files-toml-1.0.0", suite_dir);
	size_t len;
	char *list = read_all(list_path, &len);
	if (!list) {
		fprintf(stderr, "cannot read %s\n", list_path);
		exit(1);
	}
	for (char *save = NULL, *line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		if (l > 5 && strcmp(line + l - 5, ".toml") == 0) {
			files = rp_xreallocarray(files, nfiles + 1, sizeof *files);
			files[nfiles++] = rp_xstrdup(line);
		}
	}
	free(list);
	free(list_path);
}

/* Our tree in toml-test's JSON shape: {"type": ..., "value": "..."} leaves. */
static json_object *to_json(const struct rp_value *v)
{
	char num[64];
	switch (v->type) {
	case RP_V_TABLE: {
		json_object *o = json_object_new_object();
		for (size_t i = 0; i < v->n; i++)
			json_object_object_add(o, v->keys[i].s, to_json(v->items[i]));
		return o;
	}
	case RP_V_ARRAY: {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < v->n; i++)
			json_object_array_add(a, to_json(v->items[i]));
		return a;
	}
	default:
		break;
	}
	json_object *leaf = json_object_new_object();
	const char *value = v->s;
	size_t vlen = v->len;
	if (v->type == RP_V_INTEGER) {
		snprintf(num, sizeof num, "%lld", v->i);
		value = num;
		vlen = strlen(num);
	} else if (v->type == RP_V_FLOAT) {
		if (isnan(v->f))
			snprintf(num, sizeof num, "nan");
		else if (isinf(v->f))
			snprintf(num, sizeof num, "%sinf", v->f < 0 ? "-" : "");
		else
			snprintf(num, sizeof num, "%.17g", v->f);
		value = num;
		vlen = strlen(num);
	} else if (v->type == RP_V_BOOL) {
		value = v->b ? "true" : "false";
		vlen = strlen(value);
	}
	json_object_object_add(leaf, "type", json_object_new_string(rp_value_type_name(v->type)));
	json_object_object_add(leaf, "value", json_object_new_string_len(value, (int)vlen));
	return leaf;
}

static bool is_leaf(json_object *o)
{
	json_object *t, *v;
	return json_object_is_type(o, json_type_object) && json_object_object_length(o) == 2 &&
	       json_object_object_get_ex(o, "type", &t) &&
	       json_object_object_get_ex(o, "value", &v) &&
	       json_object_is_type(t, json_type_string);
}

static double as_float(const char *s)
{
	if (strcmp(s, "nan") == 0 || strcmp(s, "+nan") == 0 || strcmp(s, "-nan") == 0)
		return NAN;
	if (strcmp(s, "inf") == 0 || strcmp(s, "+inf") == 0)
		return INFINITY;
	if (strcmp(s, "-inf") == 0)
		return -INFINITY;
	return strtod(s, NULL);
}

/* Date/time text compared as toml-test compares it, by value: fractional
 * seconds without trailing zeros ("56.600" is "56.6"). */
static void normalise_time(const char *s, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", s);
	char *dot = strchr(out, '.');
	if (!dot)
		return;
	char *end = dot + 1;
	while (*end >= '0' && *end <= '9')
		end++;
	char *last = end;
	while (last > dot + 1 && last[-1] == '0')
		last--;
	if (last == dot + 1)
		last = dot;
	memmove(last, end, strlen(end) + 1);
}

/* Compares got with want; on a difference writes where into why. */
static bool same(json_object *got, json_object *want, const char *path, char *why, size_t wl)
{
	if (is_leaf(want)) {
		json_object *gt, *gv, *wt, *wv;
		if (!is_leaf(got)) {
			snprintf(why, wl, "%s: expected a %s value", path,
			         json_object_get_string(json_object_object_get(want, "type")));
			return false;
		}
		json_object_object_get_ex(got, "type", &gt);
		json_object_object_get_ex(got, "value", &gv);
		json_object_object_get_ex(want, "type", &wt);
		json_object_object_get_ex(want, "value", &wv);
		const char *type = json_object_get_string(wt);
		if (strcmp(json_object_get_string(gt), type) != 0) {
			snprintf(why, wl, "%s: type %s, expected %s", path,
			         json_object_get_string(gt), type);
			return false;
		}
		const char *g = json_object_get_string(gv), *w = json_object_get_string(wv);
		bool eq;
		if (strcmp(type, "float") == 0) {
			double a = as_float(g), b = as_float(w);
			eq = (isnan(a) && isnan(b)) || a == b;
		} else if (strstr(type, "time") || strstr(type, "date")) {
			char a[128], b[128];
			normalise_time(g, a, sizeof a);
			normalise_time(w, b, sizeof b);
			eq = strcmp(a, b) == 0;
		} else {
			eq = json_object_get_string_len(gv) == json_object_get_string_len(wv) &&
			     memcmp(g, w, (size_t)json_object_get_string_len(wv)) == 0;
		}
		if (!eq)
			snprintf(why, wl, "%s: value '%.60s', expected '%.60s'", path, g, w);
		return eq;
	}
	if (json_object_is_type(want, json_type_array)) {
		if (!json_object_is_type(got, json_type_array) ||
		    json_object_array_length(got) != json_object_array_length(want)) {
			snprintf(why, wl, "%s: expected an array of %zu", path,
			         json_object_array_length(want));
			return false;
		}
		for (size_t i = 0; i < json_object_array_length(want); i++) {
			char sub[512];
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			if (!same(json_object_array_get_idx(got, i),
			          json_object_array_get_idx(want, i), sub, why, wl))
				return false;
		}
		return true;
	}
	if (!json_object_is_type(got, json_type_object) || is_leaf(got) ||
	    json_object_object_length(got) != json_object_object_length(want)) {
		snprintf(why, wl, "%s: expected a table of %d keys", path,
		         json_object_object_length(want));
		return false;
	}
	json_object_object_foreach(want, k, wvalue)
	{
		json_object *gvalue;
		char sub[512];
		snprintf(sub, sizeof sub, "%s.%s", path, k);
		if (!json_object_object_get_ex(got, k, &gvalue)) {
			snprintf(why, wl, "%s: missing", sub);
			return false;
		}
		if (!same(gvalue, wvalue, sub, why, wl))
			return false;
	}
	return true;
}

START_TEST(test_file)
{
	const char *name = files[_i];
	char *path = rp_xasprintf("%s/%s", suite_dir, name);
	size_t len;
	char *src = read_all(path, &len);
	ck_assert_msg(src != NULL, "cannot read %s", path);
	char err[512] = "";
	struct rp_value *root = rp_toml_parse(src, len, err, sizeof err);
	if (strncmp(name, "invalid/", 8) == 0) {
		ck_assert_msg(root == NULL, "%s: accepted, but it is invalid TOML", name);
		ck_assert_msg(strncmp(err, "line ", 5) == 0, "%s: message without a line: %s", name,
		              err);
	} else {
		ck_assert_msg(root != NULL, "%s: refused: %s", name, err);
		char *json_path = rp_xstrdup(path);
		strcpy(json_path + strlen(json_path) - 5, ".json");
		json_object *want = json_object_from_file(json_path);
		ck_assert_msg(want != NULL, "cannot read %s", json_path);
		json_object *got = to_json(root);
		char why[1024] = "";
		ck_assert_msg(same(got, want, "", why, sizeof why), "%s: %s\n got: %s", name, why,
		              json_object_to_json_string(got));
		json_object_put(got);
		json_object_put(want);
		free(json_path);
	}
	rp_value_free(root);
	free(src);
	free(path);
}
END_TEST

static Suite *toml_suite(void)
{
	Suite *s = suite_create("toml-test 1.0.0");
	TCase *tc = tcase_create("files");
	tcase_add_loop_test(tc, test_file, 0, (int)nfiles);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	load_list();
	if (nfiles < 700) {
		fprintf(stderr, "toml-test: only %zu files listed\n", nfiles);
		return 1;
	}
	SRunner *sr = srunner_create(toml_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	printf("toml-test 1.0.0: %zu files, %d failed\n", nfiles, failed);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
