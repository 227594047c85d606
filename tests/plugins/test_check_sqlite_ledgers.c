/* check_sqlite's --migrations against the ledgers Alembic and Django
 * themselves write: the real tools (Debian's python3-alembic and
 * python3-django) migrate SQLite files here, partly, fully, and past the
 * code; the plugin must read the same state they would report. */
#include "sqlite_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"

static bool have_tools(const char *test)
{
	struct h_run r;
	const char *argv[] = { PYTHON, "-c", "import alembic, django", NULL };
	if (access(PYTHON, X_OK) == 0)
		h_run_argv(&r, (char *const *)argv, NULL, 30);
	bool ok = access(PYTHON, X_OK) == 0 && r.exit_code == 0;
	if (access(PYTHON, X_OK) == 0)
		h_run_free(&r);
	if (!ok) {
		fprintf(stderr, "python3-alembic or python3-django missing: %s SKIPPED\n", test);
		ck_assert_msg(getenv("CI") == NULL, "python3-alembic and python3-django in CI");
	}
	return ok;
}

/* Runs a shell command in the test's directory; it must succeed. */
static void shell(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = rp_xvasprintf(fmt, ap);
	va_end(ap);
	char *full = rp_xasprintf("cd '%s' && %s", dir, cmd);
	const char *argv[] = { "/bin/sh", "-c", full, NULL };
	struct h_run r;
	h_run_argv(&r, (char *const *)argv, NULL, 60);
	ck_assert_msg(r.exit_code == 0, "%s: exit %d\n%s", cmd, r.exit_code, r.out);
	h_run_free(&r);
	free(full);
	free(cmd);
}

static void script(const char *name, const char *declarations, const char *sql)
{
	char *text = rp_xasprintf("from typing import Union\n\nfrom alembic import "
	                          "op\n\n%s\nbranch_labels = None\n\n\n"
	                          "def upgrade():\n    op.execute(\"%s\")\n\n\n"
	                          "def downgrade():\n    pass\n",
	                          declarations, sql);
	char *rel = rp_xasprintf("mig/versions/%s", name);
	write_text(rel, text);
	free(rel);
	free(text);
}

/* An Alembic project on app.db: a1 <- b1, a1 <- c1 (a branch), merged by
 * m1, then d1; the old template and 1.11's annotated one mixed. */
static void alembic_project(void)
{
	shell(PYTHON " -m alembic init -t generic mig >/dev/null");
	shell("sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///%s/app.db|' alembic.ini",
	      dir);
	script("a1_users.py", "revision = 'a1'\ndown_revision = None\n",
	       "CREATE TABLE users (id INTEGER PRIMARY KEY)");
	script("b1_prices.py", "revision: str = 'b1'\ndown_revision: Union[str, None] = 'a1'\n",
	       "CREATE TABLE prices (id INTEGER PRIMARY KEY)");
	script("c1_events.py", "revision = \"c1\"\ndown_revision = \"a1\"\n",
	       "CREATE TABLE events (id INTEGER PRIMARY KEY)");
	script("m1_merge.py", "revision = 'm1'\ndown_revision = (\n    'b1',\n    'c1',\n)\n",
	       "SELECT 1");
	script("d1_index.py", "revision = 'd1'\ndown_revision = 'm1'\n",
	       "CREATE INDEX prices_id ON prices (id)");
}

static void alembic(const char *args)
{
	shell(PYTHON " -m alembic -c alembic.ini %s >/dev/null 2>&1", args);
}

START_TEST(test_alembic_behind_and_at_head)
{
	if (!have_tools("test_alembic_behind_and_at_head"))
		return;
	alembic_project();
	char *db = path_of("app.db"), *mig = path_of("mig"), *versions = path_of("mig/versions");
	struct h_run r;
	alembic("upgrade b1");
	RUN_UNCHANGED(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 2,
	               "migrations: database at b1, head is d1, 3 revisions behind: c1, m1, d1 "
	               "(alembic_version)");
	ck_assert(h_perf(&r, "pending") == 3);
	h_run_free(&r);
	/* both branches applied, the merge not yet: two rows in the ledger */
	alembic("upgrade c1");
	run(&r, "-d", db, "--migrations", versions, NULL);
	h_assert_state(&r, 2, "database at b1, c1, head is d1, 2 revisions behind: m1, d1");
	h_run_free(&r);
	run(&r, "-d", db, "--migrations", mig, "-w", "pending=1", "-c", "pending=2", NULL);
	h_assert_state(&r, 1, "2 revisions behind");
	h_run_free(&r);
	alembic("upgrade heads");
	RUN_UNCHANGED(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 0, "migrations: at head d1 (alembic_version, 5 revisions)");
	ck_assert(h_perf(&r, "pending") == 0);
	h_run_free(&r);
	/* the code rolled back under a database migrated further */
	free(make_db("app.db", "UPDATE alembic_version SET version_num = 'e5'"));
	run(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 1, "migrations: the database is at e5, which no script in");
	ck_assert(strstr(r.out, "'pending'=U") != NULL);
	h_run_free(&r);
	/* stamped back to nothing: every revision pending */
	alembic("stamp --purge base");
	run(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 2, "database at base (no row), head is d1, 5 revisions behind");
	h_run_free(&r);
	free(db), free(mig), free(versions);
}
END_TEST

START_TEST(test_alembic_never_run_and_broken)
{
	if (!have_tools("test_alembic_never_run_and_broken"))
		return;
	alembic_project();
	char *db = make_db("app.db", "CREATE TABLE users (id INTEGER PRIMARY KEY)");
	char *mig = path_of("mig");
	struct h_run r;
	RUN_UNCHANGED(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 2,
	               "migrations: all 5 pending, no ledger in the database (looked for "
	               "alembic_version): a1, b1, c1 and 2 more");
	h_run_free(&r);
	/* a script revising one nobody ships: Alembic itself refuses to run */
	script("x1_orphan.py", "revision = 'x1'\ndown_revision = 'gone'\n", "SELECT 1");
	run(&r, "-d", db, "--migrations", mig, NULL);
	h_assert_state(&r, 3,
	               "migrations: x1_orphan.py revises gone, which no script in the "
	               "directory declares");
	h_run_free(&r);
	free(db), free(mig);
}
END_TEST

static void django(const char *args)
{
	shell("cd mysite && " PYTHON " manage.py %s >/dev/null 2>&1", args);
}

/* A Django project on db.sqlite3 with a shop app and two migrations. */
static void django_project(void)
{
	shell(PYTHON " -m django startproject mysite");
	shell("cd mysite && " PYTHON " -m django startapp shop");
	shell("printf 'class Item(models.Model):\\n    name = models.CharField(max_length=9)\\n' "
	      ">> mysite/shop/models.py");
	shell("sed -i \"s/'django.contrib.staticfiles',/&\\n    'shop',/\" "
	      "mysite/mysite/settings.py");
	django("makemigrations shop");
	shell("printf '    price = models.IntegerField(default=0)\\n' >> mysite/shop/models.py");
	django("makemigrations shop -n price");
}

START_TEST(test_django)
{
	if (!have_tools("test_django"))
		return;
	django_project();
	char *db = path_of("mysite/db.sqlite3"), *site = path_of("mysite"),
	     *shop = path_of("mysite/shop/migrations");
	struct h_run r;
	/* only the first of shop's: Django's own apps are not the check's */
	django("migrate shop 0001");
	run(&r, "-d", db, "--migrations", site, NULL);
	h_assert_state(&r, 2, "migrations: 1 of 2 pending (django_migrations): shop.0002_price");
	h_run_free(&r);
	run(&r, "-d", db, "--migrations", shop, NULL);
	h_assert_state(&r, 2, "1 of 2 pending (django_migrations): shop.0002_price");
	h_run_free(&r);
	django("migrate");
	run(&r, "-d", db, "--migrations", site, NULL);
	h_assert_state(&r, 0, "migrations: all 2 applied (django_migrations)");
	h_run_free(&r);
	/* a migration recorded that the code no longer ships */
	shell("rm mysite/shop/migrations/0002_price.py");
	run(&r, "-d", db, "--migrations", site, NULL);
	h_assert_state(&r, 1, "migrations: 1 applied with no file in");
	h_run_free(&r);
	free(db), free(site), free(shop);
}
END_TEST

/* squashmigrations, then the replaced files deleted (Django's own advice
 * once every deployment has migrated): the rows they left are not
 * orphans, and the squashed migration is applied through them. */
START_TEST(test_django_squashed)
{
	if (!have_tools("test_django_squashed"))
		return;
	django_project();
	char *db = path_of("mysite/db.sqlite3"), *site = path_of("mysite");
	struct h_run r;
	django("migrate");
	django("squashmigrations --noinput shop 0002");
	run(&r, "-d", db, "--migrations", site, NULL);
	h_assert_state(&r, 0, "migrations: all 1 applied (django_migrations)");
	h_run_free(&r);
	shell("rm mysite/shop/migrations/0001_initial.py mysite/shop/migrations/0002_price.py");
	run(&r, "-d", db, "--migrations", site, NULL);
	h_assert_state(&r, 0, "migrations: all 1 applied (django_migrations)");
	ck_assert(strstr(r.out, "no file") == NULL);
	h_run_free(&r);
	/* half the squashed work recorded, the rest's file gone */
	free(make_db("mysite/db.sqlite3",
	             "DELETE FROM django_migrations WHERE app = 'shop' AND name = '0002_price'"));
	run(&r, "-d", db, "--migrations", site, NULL);
	h_assert_state(&r, 2, "1 of 1 pending (django_migrations): shop.0001_squashed_0002_price");
	h_run_free(&r);
	free(db), free(site);
}
END_TEST

static Suite *ledgers_suite(void)
{
	Suite *s = suite_create("check_sqlite_ledgers");
	TCase *tc = tcase_create("tools");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_alembic_behind_and_at_head);
	tcase_add_test(tc, test_alembic_never_run_and_broken);
	tcase_add_test(tc, test_django);
	tcase_add_test(tc, test_django_squashed);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(ledgers_suite)
