/* The tables and columns a schema file declares, read in PostgreSQL's,
 * DuckDB's and SQLite's dialects: constraints are not columns, function
 * bodies and strings are not statements, ALTER TABLE changes columns. */
#include "rp_sql_schema.h"
#include "rp_test.h"

#include <string.h>

static const struct rp_sql_schema_table *table(const struct rp_sql_schema *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].name, name) == 0)
			return &s->tables[i];
	return NULL;
}

/* "a,b,c": the table's columns, in order. */
static void assert_columns(const struct rp_sql_schema *s, const char *name, const char *want)
{
	const struct rp_sql_schema_table *t = table(s, name);
	ck_assert_msg(t != NULL, "no table %s", name);
	ck_assert_msg(t->columns_known, "%s: columns unknown", name);
	char got[512] = "";
	for (size_t i = 0; i < t->ncolumns; i++) {
		if (i)
			strcat(got, ",");
		strcat(got, t->columns[i]);
	}
	ck_assert_str_eq(got, want);
}

static void read_text(const char *sql, const char *schema, struct rp_sql_schema *s)
{
	rp_sql_schema_read(sql, strlen(sql), schema, s);
}

/* What pg_dump --schema-only writes. */
START_TEST(test_pg_dump)
{
	const char *sql =
	        "SET statement_timeout = 0;\n"
	        "SELECT pg_catalog.set_config('search_path', '', false);\n"
	        "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
	        "BEGIN CREATE TABLE not_a_table (x int); RETURN NEW; END $$;\n"
	        "CREATE FUNCTION public.f2() RETURNS int AS $body$ DROP TABLE public.users; "
	        "$body$ LANGUAGE sql;\n"
	        "CREATE TABLE public.users (\n"
	        "    id integer NOT NULL,\n"
	        "    email character varying(255) DEFAULT 'a,b'::character varying,\n"
	        "    \"Check\" text,\n"
	        "    created_at timestamp with time zone DEFAULT now() NOT NULL,\n"
	        "    CONSTRAINT users_email_check CHECK ((length((email)::text) > 3))\n"
	        ");\n"
	        "ALTER TABLE public.users OWNER TO app;\n"
	        "CREATE SEQUENCE public.users_id_seq AS integer START WITH 1;\n"
	        "ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT "
	        "nextval('public.users_id_seq'::regclass);\n"
	        "ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n"
	        "CREATE TABLE public.alembic_version (version_num character varying(32) NOT "
	        "NULL);\n"
	        "CREATE TABLE audit.log (id integer, what text);\n"
	        "CREATE UNLOGGED TABLE public.cache (k text, v bytea, exclude text,\n"
	        "    EXCLUDE USING gist (k WITH =));\n"
	        "COMMENT ON TABLE public.users IS E'it\\'s CREATE TABLE fake (x int)';\n";
	struct rp_sql_schema s;
	read_text(sql, "public", &s);
	ck_assert(!s.unterminated);
	ck_assert_uint_eq(s.ntables, 3);
	assert_columns(&s, "users", "id,email,check,created_at");
	assert_columns(&s, "alembic_version", "version_num");
	assert_columns(&s, "cache", "k,v,exclude");
	ck_assert_ptr_null(table(&s, "log"));
	ck_assert_ptr_null(table(&s, "not_a_table"));
	rp_sql_schema_free(&s);
	/* another schema's tables, or every table */
	read_text(sql, "audit", &s);
	ck_assert_uint_eq(s.ntables, 1);
	assert_columns(&s, "log", "id,what");
	rp_sql_schema_free(&s);
	read_text(sql, NULL, &s);
	ck_assert_uint_eq(s.ntables, 4);
	rp_sql_schema_free(&s);
}
END_TEST

/* Migrations replayed: columns added, dropped, renamed; tables renamed
 * and dropped; the dialects' variants. */
START_TEST(test_alter)
{
	const char *sql =
	        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT, "
	        "FOREIGN KEY (id) REFERENCES x(id), UNIQUE (name));\n"
	        "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';\n"
	        "ALTER TABLE users ADD age int, ADD COLUMN IF NOT EXISTS city text, "
	        "ADD CONSTRAINT c CHECK (age > 0), ADD PRIMARY KEY (id);\n"
	        "ALTER TABLE users DROP COLUMN age, DROP CONSTRAINT c;\n"
	        "ALTER TABLE users RENAME COLUMN name TO full_name;\n"
	        "ALTER TABLE IF EXISTS ONLY users RENAME city TO town;\n"
	        "CREATE OR REPLACE TABLE Events (Id BIGINT, ts TIMESTAMP);\n"
	        "ALTER TABLE events RENAME TO event_log;\n"
	        "CREATE TABLE a (x int); CREATE TABLE b (y int); DROP TABLE IF EXISTS a, b "
	        "CASCADE;\n"
	        "CREATE TEMP TABLE scratch (x int);\n"
	        "CREATE TABLE snapshot AS SELECT * FROM users;\n"
	        "CREATE TABLE copy (LIKE users INCLUDING ALL);\n"
	        "CREATE TABLE part PARTITION OF event_log FOR VALUES IN (1);\n"
	        "CREATE TABLE named (a, b) AS SELECT 1, 2;\n"
	        "CREATE VIRTUAL TABLE docs USING fts5(body);\n"
	        "CREATE TABLE \"Quoted\" (`select` int, [from] text);\n"
	        "CREATE TABLE spaced ( a int , b text\n ,\n c int\n ) ;\n"
	        "CREATE TABLE nothing ();\n";
	struct rp_sql_schema s;
	read_text(sql, "main", &s);
	ck_assert(!s.unterminated);
	assert_columns(&s, "users", "id,full_name,email,town");
	assert_columns(&s, "event_log", "id,ts");
	assert_columns(&s, "named", "a,b");
	assert_columns(&s, "quoted", "select,from");
	assert_columns(&s, "spaced", "a,b,c");
	assert_columns(&s, "nothing", "");
	ck_assert_ptr_null(table(&s, "a"));
	ck_assert_ptr_null(table(&s, "b"));
	ck_assert_ptr_null(table(&s, "scratch"));
	const char *unknown[] = { "snapshot", "copy", "part", "docs" };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		ck_assert_msg(table(&s, unknown[i]) != NULL, "%s", unknown[i]);
		ck_assert(!table(&s, unknown[i])->columns_known);
	}
	ck_assert_uint_eq(s.ntables, 10);
	rp_sql_schema_free(&s);
}
END_TEST

/* A file cut inside a table's list says where; noise makes nothing up. */
START_TEST(test_unterminated)
{
	struct rp_sql_schema s;
	read_text("CREATE TABLE ok (a int);\n\nCREATE TABLE cut (\n  a int,\n  b te", NULL, &s);
	ck_assert(s.unterminated);
	ck_assert_uint_eq(s.line, 3);
	ck_assert_str_eq(s.unterminated_table, "cut");
	rp_sql_schema_free(&s);
	read_text("CREATE TABLE t (a int; CREATE TABLE u (b int);", NULL, &s);
	ck_assert(s.unterminated);
	rp_sql_schema_free(&s);
	const char *junk[] = { "",
		               "CREATE TABLE",
		               "CREATE TABLE (",
		               "$$ CREATE TABLE x (a int)",
		               "E'\\'",
		               "ALTER TABLE t ADD",
		               "ALTER TABLE t RENAME COLUMN a TO",
		               "DROP TABLE a,",
		               "CREATE TABLE t ()" };
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		read_text(junk[i], NULL, &s);
		ck_assert_uint_le(s.ntables, 1);
		for (size_t k = 0; k < s.ntables; k++)
			ck_assert_uint_eq(s.tables[k].ncolumns, 0);
		rp_sql_schema_free(&s);
	}
}
END_TEST

static Suite *sql_schema_suite(void)
{
	Suite *s = suite_create("sql_schema");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_pg_dump);
	tcase_add_test(tc, test_alter);
	tcase_add_test(tc, test_unterminated);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(sql_schema_suite)
