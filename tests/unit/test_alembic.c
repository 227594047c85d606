/* Alembic's revision scripts and graph, and Django's migration listing
 * (lib/db/rp_alembic, rp_django). */
#include "rp_alembic.h"
#include "rp_django.h"
#include "rp_strv.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool parse(const char *text, struct rp_alembic_rev *rev)
{
	return rp_alembic_parse(text, strlen(text), rev);
}

START_TEST(test_parse_template_1_8)
{
	struct rp_alembic_rev r;
	ck_assert(parse("\"\"\"create users\n\nRevision ID: e75496bf8617\nRevises: \n\"\"\"\n"
	                "from alembic import op\n\n"
	                "# revision identifiers, used by Alembic.\n"
	                "revision = 'e75496bf8617'\ndown_revision = None\n"
	                "branch_labels = None\ndepends_on = None\n",
	                &r));
	ck_assert_str_eq(r.id, "e75496bf8617");
	ck_assert_uint_eq(r.ndown, 0);
	ck_assert_uint_eq(r.ndeps, 0);
	ck_assert_ptr_null(r.bad);
	rp_alembic_rev_free(&r);
}
END_TEST

/* Alembic 1.11's template annotates; a merge revises a tuple over lines. */
START_TEST(test_parse_annotated_merge)
{
	struct rp_alembic_rev r;
	ck_assert(parse("revision: str = \"m1\"\n"
	                "down_revision: Union[str, Sequence[str], None] = (\n"
	                "    \"b1\",  # the users branch\n    'c1',\n)\n"
	                "depends_on: Union[str, Sequence[str], None] = ['x9']\n",
	                &r));
	ck_assert_str_eq(r.id, "m1");
	ck_assert_uint_eq(r.ndown, 2);
	ck_assert_str_eq(r.down[0], "b1");
	ck_assert_str_eq(r.down[1], "c1");
	ck_assert_uint_eq(r.ndeps, 1);
	ck_assert_str_eq(r.deps[0], "x9");
	rp_alembic_rev_free(&r);
}
END_TEST

START_TEST(test_parse_not_a_revision)
{
	struct rp_alembic_rev r;
	/* no declaration, one inside a function, a comparison, a longer name */
	const char *none[] = { "",
		               "def f():\n    revision = 'a'\n",
		               "revision == 'a'\n",
		               "revisions = 'a'\n",
		               "revision = ''\n",
		               "revision = some_function()\n",
		               "revision = 'a\nb'\n",
		               "revision = ('a', 'b')\n" };
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		ck_assert_msg(!parse(none[i], &r), "%s", none[i]);
	/* a down_revision that is computed is named, not guessed */
	ck_assert(parse("revision = 'a'\ndown_revision = previous()\n", &r));
	ck_assert_str_eq(r.bad, "down_revision");
	rp_alembic_rev_free(&r);
	/* the first declaration counts */
	ck_assert(parse("revision = 'a'\nrevision = 'b'\n", &r));
	ck_assert_str_eq(r.id, "a");
	rp_alembic_rev_free(&r);
}
END_TEST

static void add(struct rp_alembic_tree *t, const char *text)
{
	struct rp_alembic_rev r;
	ck_assert_msg(parse(text, &r), "%s", text);
	rp_alembic_tree_add(t, &r);
}

/* a1 <- b1, a1 <- c1, (b1, c1) <- m1 <- d1: a branch and its merge. */
static void branchy(struct rp_alembic_tree *t)
{
	memset(t, 0, sizeof *t);
	add(t, "revision = 'd1'\ndown_revision = 'm1'\n");
	add(t, "revision = 'm1'\ndown_revision = ('b1', 'c1')\n");
	add(t, "revision = 'c1'\ndown_revision = 'a1'\n");
	add(t, "revision = 'b1'\ndown_revision = 'a1'\n");
	add(t, "revision = 'a1'\ndown_revision = None\n");
}

static size_t index_of(const struct rp_alembic_tree *t, const char *id)
{
	size_t i = rp_alembic_find(t, id);
	ck_assert_msg(i != (size_t)-1, "%s", id);
	return i;
}

START_TEST(test_order_and_applied)
{
	struct rp_alembic_tree t;
	branchy(&t);
	char err[256];
	ck_assert(rp_alembic_order(&t, err, sizeof err));
	/* base first: each after what it revises */
	ck_assert_str_eq(t.revs[0].id, "a1");
	ck_assert_uint_lt(index_of(&t, "b1"), index_of(&t, "m1"));
	ck_assert_uint_lt(index_of(&t, "c1"), index_of(&t, "m1"));
	ck_assert_str_eq(t.revs[4].id, "d1");
	size_t heads[5];
	ck_assert_uint_eq(rp_alembic_heads(&t, heads), 1);
	ck_assert_str_eq(t.revs[heads[0]].id, "d1");

	bool applied[5], unknown[3];
	char b1[] = "b1", c1[] = "c1", d1[] = "d1", zz[] = "zz";
	char *at_b[] = { b1 };
	ck_assert_uint_eq(rp_alembic_applied(&t, at_b, 1, applied, unknown), 2);
	ck_assert(applied[index_of(&t, "a1")] && applied[index_of(&t, "b1")]);
	ck_assert(!applied[index_of(&t, "c1")] && !unknown[0]);
	/* both branches' heads: everything but the merge and after */
	char *both[] = { c1, b1 };
	ck_assert_uint_eq(rp_alembic_applied(&t, both, 2, applied, unknown), 3);
	char *head[] = { d1, zz };
	ck_assert_uint_eq(rp_alembic_applied(&t, head, 2, applied, unknown), 5);
	ck_assert(!unknown[0] && unknown[1]);
	ck_assert_uint_eq(rp_alembic_applied(&t, NULL, 0, applied, unknown), 0);
	rp_alembic_tree_free(&t);
}
END_TEST

START_TEST(test_two_heads_and_depends_on)
{
	struct rp_alembic_tree t = { 0 };
	add(&t, "revision = 'a'\ndown_revision = None\n");
	add(&t, "revision = 'x'\ndown_revision = None\nbranch_labels = ('other',)\n");
	add(&t, "revision = 'b'\ndown_revision = 'a'\ndepends_on = ('x', 'some_label')\n");
	char err[256];
	ck_assert(rp_alembic_order(&t, err, sizeof err));
	size_t heads[3];
	/* x is depended on, not revised: still a head */
	ck_assert_uint_eq(rp_alembic_heads(&t, heads), 2);
	bool applied[3], unknown[1];
	char b[] = "b";
	char *at[] = { b };
	ck_assert_uint_eq(rp_alembic_applied(&t, at, 1, applied, unknown), 3);
	rp_alembic_tree_free(&t);
}
END_TEST

static void expect_error(const char *a, const char *b, const char *c, const char *want)
{
	struct rp_alembic_tree t = { 0 };
	add(&t, a);
	add(&t, b);
	if (c)
		add(&t, c);
	char err[256];
	ck_assert(!rp_alembic_order(&t, err, sizeof err));
	ck_assert_msg(strstr(err, want) != NULL, "%s", err);
	rp_alembic_tree_free(&t);
}

START_TEST(test_inconsistent_trees)
{
	expect_error("revision = 'a'\n", "revision = 'a'\ndown_revision = None\n", NULL,
	             "revision a is declared twice");
	expect_error("revision = 'a'\n", "revision = 'b'\ndown_revision = 'gone'\n", NULL,
	             "b revises gone, which no script in the directory declares");
	expect_error("revision = 'a'\ndown_revision = 'c'\n",
	             "revision = 'b'\ndown_revision = 'a'\n",
	             "revision = 'c'\ndown_revision = 'b'\n", "the revisions form a cycle");
	expect_error("revision = 'a'\ndown_revision = 'a'\n", "revision = 'b'\n", NULL,
	             "the revisions form a cycle");
	expect_error("revision = 'a'\n", "revision = 'b'\ndepends_on = [x]\n", NULL,
	             "b: depends_on is not None, a string or a tuple of strings");
}
END_TEST

static char *mkpath(const char *dir, const char *rel)
{
	return rp_xasprintf("%s/%s", dir, rel);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = mkpath(dir, rel);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void mkdirs(const char *dir, const char *rel)
{
	char *p = mkpath(dir, rel);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
}

START_TEST(test_read_dir)
{
	char dir[] = "/tmp/rp-alembic-XXXXXX";
	ck_assert(mkdtemp(dir) != NULL);
	put(dir, "a1_init.py", "revision = 'a1'\ndown_revision = None\n");
	put(dir, "b1_users.py", "revision: str = 'b1'\ndown_revision = 'a1'\n");
	put(dir, "__init__.py", "revision = 'no'\n");
	put(dir, "helpers.py", "def f():\n    pass\n");
	put(dir, "notes.txt", "revision = 'no'\n");
	struct rp_alembic_tree t;
	char err[256];
	ck_assert(rp_alembic_read_dir(dir, 100, &t, err, sizeof err));
	ck_assert_uint_eq(t.n, 2);
	ck_assert(rp_alembic_order(&t, err, sizeof err));
	ck_assert_str_eq(t.revs[1].file, "b1_users.py");
	rp_alembic_tree_free(&t);
	ck_assert(!rp_alembic_read_dir(dir, 1, &t, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "more than 1 scripts: none compared"));
	const char *files[] = { "a1_init.py", "b1_users.py", "__init__.py", "helpers.py",
		                "notes.txt" };
	for (size_t i = 0; i < 5; i++) {
		char *p = mkpath(dir, files[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
	ck_assert(!rp_alembic_read_dir("/nonexistent/dir", 10, &t, err, sizeof err));
}
END_TEST

/* A project: shop and blog apps (blog under apps/), a package without
 * migrations, Django's skipped names. */
START_TEST(test_django_list)
{
	char dir[] = "/tmp/rp-django-XXXXXX";
	ck_assert(mkdtemp(dir) != NULL);
	mkdirs(dir, "shop");
	mkdirs(dir, "shop/migrations");
	put(dir, "shop/migrations/__init__.py", "");
	put(dir, "shop/migrations/0001_initial.py", "");
	put(dir, "shop/migrations/0002_price.py", "");
	put(dir, "shop/migrations/_helper.py", "");
	put(dir, "shop/migrations/~0003_draft.py", "");
	put(dir, "shop/migrations/README", "");
	mkdirs(dir, "apps");
	mkdirs(dir, "apps/blog");
	mkdirs(dir, "apps/blog/migrations");
	put(dir, "apps/blog/migrations/__init__.py", "");
	put(dir, "apps/blog/migrations/0001_initial.py", "");
	mkdirs(dir, "site");
	put(dir, "site/settings.py", "");
	mkdirs(dir, "nomig");
	mkdirs(dir, "nomig/migrations"); /* no __init__.py: a namespace, not migrated */
	put(dir, "nomig/migrations/0001_initial.py", "");

	struct rp_django_listing l;
	char err[256];
	ck_assert(rp_django_list(dir, 100, &l, err, sizeof err));
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.m[0].name, "blog.0001_initial");
	ck_assert_str_eq(l.m[1].name, "shop.0001_initial");
	ck_assert_str_eq(l.m[2].name, "shop.0002_price");
	ck_assert_uint_eq(l.napps, 2);
	ck_assert(rp_django_in_apps("shop.0009_x", l.apps, l.napps));
	ck_assert(!rp_django_in_apps("auth.0001_initial", l.apps, l.napps));
	ck_assert(!rp_django_in_apps("sho.0001_initial", l.apps, l.napps));
	ck_assert(!rp_django_in_apps("shopping.0001_initial", l.apps, l.napps));
	ck_assert(!rp_django_in_apps("shop", l.apps, l.napps));
	rp_django_listing_free(&l);

	/* one app, or its migrations package, given directly */
	char *shop = mkpath(dir, "shop"), *mig = mkpath(dir, "shop/migrations");
	ck_assert(rp_django_list(shop, 100, &l, err, sizeof err));
	ck_assert_uint_eq(l.n, 2);
	rp_django_listing_free(&l);
	ck_assert(rp_django_list(mig, 100, &l, err, sizeof err));
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.apps[0], "shop");
	rp_django_listing_free(&l);
	/* bounded */
	ck_assert(!rp_django_list(dir, 2, &l, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "none compared"));
	free(shop), free(mig);
	char *cmd = rp_xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}
END_TEST

START_TEST(test_django_replaces)
{
	char **r;
	const char *squashed =
	        "class Migration(migrations.Migration):\n\n"
	        "    replaces = [('shop', '0001_initial'), (\"shop\", \"0002_price\"),\n"
	        "                ('shop', '0003_x')]  # squashed\n"
	        "    dependencies = [('auth', '0001_initial')]\n";
	ck_assert_uint_eq(rp_django_replaces(squashed, strlen(squashed), &r), 3);
	ck_assert_str_eq(r[0], "shop.0001_initial");
	ck_assert_str_eq(r[1], "shop.0002_price");
	ck_assert_str_eq(r[2], "shop.0003_x");
	rp_strv_free(r, 3);
	const char *none[] = { "",
		               "    replaces == [('a', 'b')]\n",
		               "    dependencies = [('a', 'b')]\n",
		               "    replaces = []\n",
		               "    replaces = [('a',)]\n",
		               "    replaces = [('a', 'b', 'c')]\n",
		               "    replaces = [(x, 'b')]\n",
		               "    replaces = [('a\\n', 'b')]\n",
		               "    replaces = [('a', 'b'",
		               "    replaces = [('.shop', 'x')]\n",
		               "    replaces = [('a', ['b'])]\n" };
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		ck_assert_msg(rp_django_replaces(none[i], strlen(none[i]), &r) == 0, "%s", none[i]);
		ck_assert_ptr_null(r);
	}
	/* a NUL or a control character inside a name (the fuzzer's finds):
	 * no "shop" cut short, nothing made up */
	const char nul[] = "    replaces = [('\0\0', 'x'), ('sh\x01op', 'y')]\n";
	ck_assert_uint_eq(rp_django_replaces(nul, sizeof nul - 1, &r), 0);
	ck_assert_ptr_null(r);
}
END_TEST

/* shop.0001_initial, shop.0002_price and shop.0001_squashed_0002_price
 * replacing both; entries as the ledger holds them. */
static void squashed(bool with_replaced, char *const *entries, size_t n, bool applied[3],
                     bool skip[3], bool used[4])
{
	struct rp_django_listing l = { 0 };
	const char *names[] = { "shop.0001_initial", "shop.0001_squashed_0002_price",
		                "shop.0002_price" };
	l.m = calloc(3, sizeof *l.m);
	for (size_t i = 0; i < 3; i++) {
		if (!with_replaced && i != 1)
			continue;
		l.m[l.n].name = strdup(names[i]);
		if (i == 1) {
			rp_strv_push(&l.m[l.n].replaces, &l.m[l.n].nreplaces, names[0]);
			rp_strv_push(&l.m[l.n].replaces, &l.m[l.n].nreplaces, names[2]);
		}
		l.n++;
	}
	memset(applied, 0, 3 * sizeof *applied);
	memset(skip, 0, 3 * sizeof *skip);
	memset(used, 0, 4 * sizeof *used);
	rp_django_squashed(&l, entries, n, applied, skip, used);
	rp_django_listing_free(&l);
}

START_TEST(test_django_squashed)
{
	char a[] = "shop.0001_initial", b[] = "shop.0002_price",
	     q[] = "shop.0001_squashed_0002_price", other[] = "auth.0001_initial";
	bool applied[3], skip[3], used[4];
	/* replaced files deleted, both rows there: applied, the rows accounted for */
	char *all[] = { a, b, other };
	squashed(false, all, 3, applied, skip, used);
	ck_assert(applied[0] && !skip[0] && used[0] && used[1] && !used[2]);
	/* its own row alone does not make it applied */
	char *own[] = { q };
	squashed(false, own, 1, applied, skip, used);
	ck_assert(!applied[0] && used[0]);
	/* files kept, nothing applied: Django plans with the squashed one */
	squashed(true, NULL, 0, applied, skip, used);
	ck_assert(!applied[1] && skip[0] && skip[2] && !skip[1]);
	/* some applied: with the replaced ones, the squashed one left out */
	char *part[] = { a };
	squashed(true, part, 1, applied, skip, used);
	ck_assert(skip[1] && !skip[0] && !skip[2]);
	/* some applied and the rest has no file: Django cannot load it */
	squashed(false, part, 1, applied, skip, used);
	ck_assert(!applied[0] && !skip[0]);
}
END_TEST

static Suite *alembic_suite(void)
{
	Suite *s = suite_create("alembic");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_template_1_8);
	tcase_add_test(tc, test_parse_annotated_merge);
	tcase_add_test(tc, test_parse_not_a_revision);
	tcase_add_test(tc, test_order_and_applied);
	tcase_add_test(tc, test_two_heads_and_depends_on);
	tcase_add_test(tc, test_inconsistent_trees);
	tcase_add_test(tc, test_read_dir);
	tcase_add_test(tc, test_django_list);
	tcase_add_test(tc, test_django_replaces);
	tcase_add_test(tc, test_django_squashed);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(alembic_suite)
