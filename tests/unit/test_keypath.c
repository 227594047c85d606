/* Key paths: parsing, and resolving in nested and flat sources. */
#include "rp_keypath.h"
#include "rp_test.h"
#include "rp_toml.h"

#include <string.h>

START_TEST(test_parse)
{
	struct rp_keypath k;
	char err[256];
	ck_assert(rp_keypath_parse("env.production.vars.JWT_SECRET", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 4);
	ck_assert_str_eq(k.segs[3].key, "JWT_SECRET");
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse("\"quoted.key\".x", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 2);
	ck_assert_str_eq(k.segs[0].key, "quoted.key");
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse("kv_namespaces[*].id", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 3);
	ck_assert_int_eq(k.segs[1].kind, RP_SEG_ALL);
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse("a[2][0]", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 3);
	ck_assert_uint_eq(k.segs[1].index, 2);
	rp_keypath_free(&k);
	const char *bad[] = { "",    "a.",      "..a",   "a..b",      "[0]",  "a[",
		              ".a.", ".[\"x\"", ".[\"x", "a[\"x\"]b", "a[x]", "a[]",
		              "a b", "\"open",  "a]b",   "a[1]b" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(!rp_keypath_parse(bad[i], &k, err, sizeof err), "'%s' accepted",
		              bad[i]);
		ck_assert(err[0] != '\0');
	}
}
END_TEST

START_TEST(test_parse_jq)
{
	struct rp_keypath k;
	char err[256];
	ck_assert(rp_keypath_parse(".", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 0);
	ck_assert(k.jq);
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse(".status", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 1);
	ck_assert_str_eq(k.segs[0].key, "status");
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse(".checks[\"db:responseTime\"][0].status", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 4);
	ck_assert_str_eq(k.segs[1].key, "db:responseTime");
	ck_assert_int_eq(k.segs[2].kind, RP_SEG_INDEX);
	ck_assert_str_eq(k.segs[3].key, "status");
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse(".[2]", &k, err, sizeof err));
	ck_assert_uint_eq(k.n, 1);
	ck_assert_uint_eq(k.segs[0].index, 2);
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse(".a[\"q\\\"x\"]", &k, err, sizeof err));
	ck_assert_str_eq(k.segs[1].key, "q\"x");
	rp_keypath_free(&k);
	ck_assert(!rp_keypath_parse("..a", &k, err, sizeof err));
	ck_assert(strstr(err, "character 2") != NULL);
}
END_TEST

START_TEST(test_resolve_jq)
{
	const char *src = "[[checks.\"db:responseTime\"]]\nstatus = \"fail\"\n"
	                  "[[checks.\"db:responseTime\"]]\nstatus = \"pass\"\n";
	char err[256];
	struct rp_value *root = rp_toml_parse(src, strlen(src), err, sizeof err);
	ck_assert_msg(root != NULL, "%s", err);
	struct rp_keypath k;
	struct rp_resolved_list l;
	ck_assert(rp_keypath_parse(".checks[\"db:responseTime\"][*].status", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0].path, ".checks[\"db:responseTime\"][0].status");
	ck_assert_str_eq(l.items[1].value->s, "pass");
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse(".", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].path, ".");
	ck_assert(l.items[0].value == root);
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	rp_value_free(root);
}
END_TEST

START_TEST(test_resolve)
{
	const char *src = "[vars]\nTOKEN = \"t\"\n\"a.b\" = 1\n"
	                  "[[kv]]\nid = \"x\"\n[[kv]]\nname = \"y\"\n[[kv]]\nid = \"z\"\n"
	                  "empty = []\n";
	char err[256];
	struct rp_value *root = rp_toml_parse(src, strlen(src), err, sizeof err);
	ck_assert_msg(root != NULL, "%s", err);
	struct rp_keypath k;
	struct rp_resolved_list l;
	ck_assert(rp_keypath_parse("kv[*].id", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.items[1].path, "kv[name=y].id");
	ck_assert_ptr_null(l.items[1].value);
	ck_assert_ptr_nonnull(l.items[2].value);
	ck_assert_str_eq(l.items[2].path, "kv[2].id");
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);

	ck_assert(rp_keypath_parse("vars.\"a.b\"", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_ptr_nonnull(l.items[0].value);
	ck_assert_str_eq(l.items[0].path, "vars.\"a.b\"");
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);

	ck_assert(rp_keypath_parse("kv[5].id", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert(l.n == 1 && l.items[0].value == NULL);
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);

	ck_assert(rp_keypath_parse("empty[*].id", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert(l.n == 1 && l.items[0].value == NULL);
	ck_assert_str_eq(l.items[0].path, "empty[*].id");
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	rp_value_free(root);

	/* flat: the whole text is the key, dots and all */
	struct rp_value *flat = rp_value_new(RP_V_TABLE);
	rp_value_table_add(flat, "a.b", 3, rp_value_new_string("v", 1));
	ck_assert(rp_keypath_parse("a.b", &k, err, sizeof err));
	rp_keypath_resolve(&k, flat, true, &l);
	ck_assert(l.n == 1 && l.items[0].value != NULL);
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	rp_value_free(flat);
}
END_TEST

/* env.*.x: every member of a table; an element that names itself
 * (binding, name, service) carries that with its index. */
START_TEST(test_members_and_idents)
{
	const char *src = "[[kv]]\nbinding = \"CACHE\"\nid = \"x\"\n[[kv]]\nbinding = \"AUTH\"\n"
	                  "[env.staging.vars]\nJWT = \"a\"\n[env.production.vars]\nAPI = \"b\"\n";
	char err[256];
	struct rp_value *root = rp_toml_parse(src, strlen(src), err, sizeof err);
	ck_assert_msg(root != NULL, "%s", err);
	struct rp_keypath k;
	struct rp_resolved_list l;
	ck_assert(rp_keypath_parse("env.*.vars.JWT", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0].path, "env.staging.vars.JWT");
	ck_assert_ptr_nonnull(l.items[0].value);
	ck_assert_str_eq(l.items[1].path, "env.production.vars.JWT");
	ck_assert_ptr_null(l.items[1].value);
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	ck_assert(rp_keypath_parse("kv[*].id", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[1].path, "kv[binding=AUTH].id");
	ck_assert_ptr_null(l.items[1].ident);
	ck_assert_ptr_null(l.items[1].value);
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	/* no table there: the * itself is what is missing */
	ck_assert(rp_keypath_parse("nothing.*.id", &k, err, sizeof err));
	rp_keypath_resolve(&k, root, false, &l);
	ck_assert(l.n == 1 && l.items[0].value == NULL);
	ck_assert_str_eq(l.items[0].path, "nothing.*.id");
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	rp_value_free(root);
}
END_TEST

/* [member=value]: the element that names itself so, as wrangler names a
 * binding; a name two elements share is told apart by index; a selector
 * that matches nothing is what is missing. */
static char *resolved_paths(struct rp_value *root, const char *path)
{
	struct rp_keypath k;
	struct rp_resolved_list l;
	char err[256];
	ck_assert_msg(rp_keypath_parse(path, &k, err, sizeof err), "%s: %s", path, err);
	rp_keypath_resolve(&k, root, false, &l);
	struct rp_buf b;
	rp_buf_init(&b);
	for (size_t i = 0; i < l.n; i++)
		rp_buf_printf(&b, "%s%s=%s%s%s", i ? " " : "", l.items[i].path,
		              l.items[i].value ? l.items[i].value->s : "-",
		              l.items[i].ident ? "/" : "",
		              l.items[i].ident ? l.items[i].ident : "");
	rp_keypath_resolved_free(&l);
	rp_keypath_free(&k);
	return rp_buf_steal(&b);
}

START_TEST(test_selectors)
{
	const char *src = "[[kv]]\nbinding = \"CACHE\"\nid = \"c1\"\n"
	                  "[[kv]]\nbinding = \"a b\\\"q\"\nid = \"c2\"\n"
	                  "[[kv]]\nbinding = \"TWICE\"\nid = \"c3\"\n"
	                  "[[kv]]\nbinding = \"TWICE\"\n";
	char err[256];
	struct rp_value *root = rp_toml_parse(src, strlen(src), err, sizeof err);
	ck_assert_msg(root != NULL, "%s", err);
	const char *cases[][2] = {
		{ "kv[binding=CACHE].id", "kv[binding=CACHE].id=c1" },
		{ "kv[binding='CACHE'].id", "kv[binding=CACHE].id=c1" },
		{ "kv[binding=NOPE].id", "kv[binding=NOPE].id=-" },
		{ "kv[binding=\"a b\\\"q\"].id", "kv[binding=\"a b\\\"q\"].id=c2" },
		{ "kv[binding=TWICE].id", "kv[2].id=c3 kv[3].id=-" },
		{ "kv[id=c3].binding", "kv[id=c3].binding=TWICE" },
		{ "nothing[binding=A].id", "nothing[binding=A].id=-" },
		{ "kv[*].id", "kv[binding=CACHE].id=c1 kv[binding=\"a b\\\"q\"].id=c2 "
		              "kv[2].id=c3/binding=TWICE kv[3].id=-/binding=TWICE" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = resolved_paths(root, cases[i][0]);
		ck_assert_msg(strcmp(got, cases[i][1]) == 0, "%s: %s", cases[i][0], got);
		free(got);
	}
	/* a path printed for an element is one the parser takes back */
	char *back = resolved_paths(root, "kv[binding=\"a b\\\"q\"].id");
	ck_assert_str_eq(back, "kv[binding=\"a b\\\"q\"].id=c2");
	free(back);
	const char *bad[] = { "kv[=x].id", "kv[binding=].id", "kv[binding=x", "kv[bin ding=x]",
		              "kv[binding=\"x].id" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rp_keypath k;
		ck_assert_msg(!rp_keypath_parse(bad[i], &k, err, sizeof err), "took %s", bad[i]);
		ck_assert_msg(strstr(err, "at character") != NULL, "%s", err);
	}
	rp_value_free(root);
}
END_TEST

/* At most 256 parts, in either spelling: resolving recurses a part a level
 * (65,000 parts from a command line overflowed a 1 MiB stack). */
START_TEST(test_parts_bounded)
{
	char err[256];
	const char *part[] = { ".a", "[*]", ".a" };
	const char *head[] = { "a", "a", "" };
	for (size_t k = 0; k < 3; k++) {
		for (int n = 255; n <= 256; n++) {
			struct rp_buf b;
			rp_buf_init(&b);
			rp_buf_puts(&b, head[k]);
			for (int i = 0; i < n + (head[k][0] ? 0 : 1); i++)
				rp_buf_puts(&b, part[k]);
			struct rp_keypath kp;
			bool ok = rp_keypath_parse(b.data, &kp, err, sizeof err);
			ck_assert_msg(ok == (n == 255), "%s x %d: %s", part[k], n, ok ? "" : err);
			if (ok)
				rp_keypath_free(&kp);
			else
				ck_assert_msg(strstr(err, "more than 256 parts") != NULL, "%s",
				              err);
			rp_buf_free(&b);
		}
	}
}
END_TEST

static Suite *keypath_suite(void)
{
	Suite *s = suite_create("keypath");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_jq);
	tcase_add_test(tc, test_resolve_jq);
	tcase_add_test(tc, test_resolve);
	tcase_add_test(tc, test_members_and_idents);
	tcase_add_test(tc, test_selectors);
	tcase_add_test(tc, test_parts_bounded);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(keypath_suite)
