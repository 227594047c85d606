/* Migration names against ledger entries, as each tool records them. */
#include "rp_migration.h"
#include "rp_migration_sql.h"
#include "rp_strv.h"
#include "rp_test.h"
#include "rp_util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct match_case {
	const char *file;
	const char *entry;
	bool match;
};

static const struct match_case cases[] = {
	/* D1 / wrangler records the file name */
	{ "0001_init.sql", "0001_init.sql", true },
	{ "0002_users.sql", "0001_init.sql", false },
	{ "0001_init.sql", "0001_initial.sql", false },
	/* Rails, dbmate, goose record the version */
	{ "20230101120000_create_users.sql", "20230101120000", true },
	{ "20230101120000_create_users.sql", "20230101120001", false },
	{ "0001_init.sql", "1", true },
	{ "0010_x.sql", "1", false },
	{ "1_init.up.sql", "1", true },
	/* Prisma records the directory name */
	{ "20240101000000_init", "20240101000000_init", true },
	/* Flyway records the script */
	{ "V2__users.sql", "V2__users.sql", true },
	{ "V2__users.sql", "2", true },
	/* knex records name.js for a file we ship as .sql */
	{ "20230101_init.sql", "20230101_init.js", true },
	{ "20230101_init.sql", "20230101_init", true },
	{ "dir/0001_init.sql", "0001_init.sql", true },
	{ "0001_init.sql", "", false },
	{ "init.sql", "1", false },
};

static int strcmp_ptr(const char *const *a, const char *const *b)
{
	return strcmp(*a, *b);
}

START_TEST(test_matches)
{
	const struct match_case *c = &cases[_i];
	ck_assert_msg(rp_migration_matches(c->file, c->entry) == c->match, "%s vs %s", c->file,
	              c->entry);
}
END_TEST

START_TEST(test_versions)
{
	char v[64];
	ck_assert(rp_migration_version("0001_init.sql", v, sizeof v));
	ck_assert_str_eq(v, "1");
	ck_assert(rp_migration_version("V12__x.sql", v, sizeof v));
	ck_assert_str_eq(v, "12");
	ck_assert(rp_migration_version("000_zero.sql", v, sizeof v));
	ck_assert_str_eq(v, "0");
	ck_assert(!rp_migration_version("init.sql", v, sizeof v));
	ck_assert(!rp_migration_version("123456789", v, 4));
	ck_assert_int_lt(rp_migration_version_cmp("9", "10"), 0);
	ck_assert_int_gt(rp_migration_version_cmp("20230102", "20230101"), 0);
	ck_assert_int_eq(rp_migration_version_cmp("5", "5"), 0);
	rp_migration_stem("a/b/0001_x.up.sql", v, sizeof v);
	ck_assert_str_eq(v, "0001_x");
}
END_TEST

static void touch(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert(f != NULL);
	fclose(f);
}

START_TEST(test_list_dir)
{
	char dir[] = "/tmp/rp-migrate-XXXXXX";
	ck_assert(mkdtemp(dir) != NULL);
	touch(dir, "0002_b.sql");
	touch(dir, "0001_a.sql");
	touch(dir, "0001_a.down.sql");
	touch(dir, "README.md");
	touch(dir, ".hidden.sql");
	char sub[600], inner[700], empty[600];
	snprintf(sub, sizeof sub, "%s/20240101_init", dir);
	mkdir(sub, 0700);
	snprintf(inner, sizeof inner, "%s/migration.sql", sub);
	fclose(fopen(inner, "w"));
	snprintf(empty, sizeof empty, "%s/not_a_migration", dir);
	mkdir(empty, 0700);

	char **names;
	size_t n;
	char err[256];
	ck_assert(rp_migration_list_dir(dir, 100, &names, &n, err, sizeof err));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "0001_a.sql");
	ck_assert_str_eq(names[1], "0002_b.sql");
	ck_assert_str_eq(names[2], "20240101_init");
	rp_strv_free(names, n);
	/* more than max: refused, never a part in readdir's order */
	ck_assert(!rp_migration_list_dir(dir, 1, &names, &n, err, sizeof err));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(err, "more than 1 migration files: none compared"));
	ck_assert(!rp_migration_list_dir("/nonexistent/dir", 10, &names, &n, err, sizeof err));
	ck_assert(strstr(err, "No such file") != NULL);

	unlink(inner);
	rmdir(sub);
	rmdir(empty);
	const char *files[] = { "0002_b.sql", "0001_a.sql", "0001_a.down.sql", "README.md",
		                ".hidden.sql" };
	for (size_t i = 0; i < 5; i++) {
		char p[600];
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}
END_TEST

/* The tables a migration's SQL leaves: comments and strings skipped,
 * quotes and schemas and case gone, TEMP tables left out, a rebuild by
 * rename followed. */
START_TEST(test_sql_tables)
{
	const char *sql =
	        "-- CREATE TABLE in_a_comment(x)\n"
	        "/* CREATE TABLE in_a_block(x) */ create table IF NOT EXISTS \"Users\"(id);\n"
	        "CREATE TABLE main.[Events] (id, note TEXT DEFAULT 'CREATE TABLE s(x)');\n"
	        "CREATE TEMP TABLE scratch(x); CREATE TEMPORARY TABLE t2(x);\n"
	        "CREATE VIRTUAL TABLE docs USING fts5(body);\n"
	        "CREATE INDEX users_id ON users(id); CREATE VIEW v AS SELECT 1;\n"
	        "CREATE TABLE new_events(id, ts); DROP TABLE IF EXISTS events;\n"
	        "ALTER TABLE new_events RENAME TO events;\n"
	        "ALTER TABLE users RENAME COLUMN id TO user_id;\n"
	        "INSERT INTO users VALUES('DROP TABLE users');\n"
	        "CREATE TABLE `odd``name`(x); DROP TABLE docs; CREATE TABLE";
	struct rp_migration_sql_op *ops;
	size_t n = rp_migration_sql_ops(sql, strlen(sql), &ops);
	char **tables = NULL;
	size_t nt = 0;
	rp_migration_sql_apply(ops, n, &tables, &nt);
	rp_migration_sql_free(ops, n);
	qsort(tables, nt, sizeof *tables, (int (*)(const void *, const void *))strcmp_ptr);
	ck_assert_uint_eq(nt, 3);
	ck_assert_str_eq(tables[0], "events");
	ck_assert_str_eq(tables[1], "odd``name");
	ck_assert_str_eq(tables[2], "users");
	rp_strv_free(tables, nt);
	/* cut anywhere, empty, or nothing but noise: no crash, nothing made up */
	const char *junk[] = { "",      "CREATE",     "CREATE TABLE \"unclosed", "/* open",
		               "'open", "DROP TABLE", "ALTER TABLE x RENAME TO", "[x" };
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		n = rp_migration_sql_ops(junk[i], strlen(junk[i]), &ops);
		ck_assert_uint_le(n, 1);
		rp_migration_sql_free(ops, n);
	}
}
END_TEST

static Suite *migrate_suite(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_matches, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_list_dir);
	tcase_add_test(tc, test_sql_tables);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(migrate_suite)
