#include "rp_sql_schema.h"
#include "rp_migration_sql.h"
#include "rp_strv.h"
#include "rp_util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct rp_sql_schema_table *find_table(struct rp_sql_schema *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcasecmp(s->tables[i].name, name) == 0)
			return &s->tables[i];
	return NULL;
}

static size_t find_column(const struct rp_sql_schema_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (strcasecmp(t->columns[i], name) == 0)
			return i;
	return (size_t)-1;
}

static void drop_table(struct rp_sql_schema *s, struct rp_sql_schema_table *t)
{
	size_t at = (size_t)(t - s->tables);
	free(t->name);
	rp_strv_free(t->columns, t->ncolumns);
	memmove(t, t + 1, (s->ntables - at - 1) * sizeof *t);
	s->ntables--;
}

/* CREATE TABLE replaces nothing: IF NOT EXISTS keeps what is there, and
 * without it the engine would have refused. */
static void create_table(struct rp_sql_schema *s, const struct rp_migration_sql_op *op)
{
	if (find_table(s, op->table))
		return;
	s->tables = rp_xreallocarray(s->tables, s->ntables + 1, sizeof *s->tables);
	struct rp_sql_schema_table *t = &s->tables[s->ntables++];
	*t = (struct rp_sql_schema_table){ .name = rp_xstrdup(op->table),
		                           .columns_known = op->columns_known };
	for (size_t i = 0; op->columns_known && i < op->ncolumns; i++)
		if (find_column(t, op->columns[i]) == (size_t)-1)
			rp_strv_push(&t->columns, &t->ncolumns, op->columns[i]);
}

static void rename_table(struct rp_sql_schema *s, struct rp_sql_schema_table *t, const char *to)
{
	if (find_table(s, to))
		return;
	free(t->name);
	t->name = rp_xstrdup(to);
}

static void column_change(struct rp_sql_schema_table *t, const struct rp_migration_sql_op *op)
{
	size_t at = find_column(t, op->column);
	if (op->kind == RP_MIGRATION_SQL_ADD_COLUMN) {
		if (at == (size_t)-1 && t->ncolumns < RP_MIGRATION_SQL_COLUMNS_MAX)
			rp_strv_push(&t->columns, &t->ncolumns, op->column);
	} else if (at == (size_t)-1) {
		return;
	} else if (op->kind == RP_MIGRATION_SQL_DROP_COLUMN) {
		free(t->columns[at]);
		memmove(t->columns + at, t->columns + at + 1,
		        (t->ncolumns - at - 1) * sizeof *t->columns);
		t->ncolumns--;
	} else if (find_column(t, op->to) == (size_t)-1) {
		free(t->columns[at]);
		t->columns[at] = rp_xstrdup(op->to);
	}
}

static void apply(struct rp_sql_schema *s, const struct rp_migration_sql_op *op)
{
	if (op->kind == RP_MIGRATION_SQL_CREATE) {
		create_table(s, op);
		return;
	}
	struct rp_sql_schema_table *t = find_table(s, op->table);
	if (!t)
		return;
	if (op->kind == RP_MIGRATION_SQL_DROP)
		drop_table(s, t);
	else if (op->kind == RP_MIGRATION_SQL_RENAME)
		rename_table(s, t, op->to);
	else
		column_change(t, op);
}

static size_t line_at(const char *sql, size_t offset)
{
	size_t line = 1;
	for (size_t i = 0; i < offset; i++)
		line += sql[i] == '\n';
	return line;
}

void rp_sql_schema_read(const char *sql, size_t len, const char *schema, struct rp_sql_schema *out)
{
	*out = (struct rp_sql_schema){ 0 };
	struct rp_migration_sql_op *ops;
	size_t n = rp_migration_sql_ops(sql, len, &ops);
	for (size_t i = 0; i < n; i++) {
		const struct rp_migration_sql_op *op = &ops[i];
		if (schema && op->schema && strcasecmp(op->schema, schema) != 0)
			continue;
		if (op->unterminated && !out->unterminated) {
			out->unterminated = true;
			out->line = line_at(sql, op->offset);
			out->unterminated_table = rp_xstrdup(op->table);
		}
		apply(out, op);
	}
	rp_migration_sql_free(ops, n);
}

void rp_sql_schema_free(struct rp_sql_schema *s)
{
	for (size_t i = 0; i < s->ntables; i++) {
		free(s->tables[i].name);
		rp_strv_free(s->tables[i].columns, s->tables[i].ncolumns);
	}
	free(s->tables);
	free(s->unterminated_table);
	*s = (struct rp_sql_schema){ 0 };
}
