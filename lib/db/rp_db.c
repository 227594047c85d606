#include "rp_db.h"

#include "rp_util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void rp_db_rows_free(struct rp_db_rows *r)
{
	rp_strv_free(r->cells, r->nrows * r->ncols);
	memset(r, 0, sizeof *r);
}

const char *rp_db_cell(const struct rp_db_rows *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return NULL;
	return r->cells[row * r->ncols + col];
}

enum rp_db_status rp_db_column(const struct rp_db *db, const char *sql, size_t max, char ***out,
                               size_t *n, char *err, size_t errlen)
{
	struct rp_db_rows rows;
	*out = NULL;
	*n = 0;
	enum rp_db_status st = db->query(db->handle, sql, max, &rows, err, errlen);
	for (size_t r = 0; st == RP_DB_OK && r < rows.nrows; r++) {
		const char *v = rp_db_cell(&rows, r, 0);
		if (v)
			rp_strv_push(out, n, v);
	}
	rp_db_rows_free(&rows);
	return st;
}

char *rp_db_column_type(const struct rp_db *db, const char *table, const char *column)
{
	char *lit = rp_db_quote_string(table);
	char *sql = rp_xasprintf("%s%s%s", db->columns_sql, lit, db->columns_sql_end);
	struct rp_db_rows rows;
	char err[256], *type = NULL;
	if (db->query(db->handle, sql, 100000, &rows, err, sizeof err) == RP_DB_OK)
		for (size_t r = 0; r < rows.nrows && !type; r++) {
			const char *name = rp_db_cell(&rows, r, 0), *t = rp_db_cell(&rows, r, 1);
			if (name && strcasecmp(name, column) == 0)
				type = rp_xstrdup(t ? t : "");
		}
	rp_db_rows_free(&rows);
	free(sql);
	free(lit);
	return type;
}

bool rp_db_has_column(const struct rp_db *db, const char *table, const char *column)
{
	char *type = rp_db_column_type(db, table, column);
	bool found = type != NULL;
	free(type);
	return found;
}

static char *quoted(const char *s, char quote)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_putc(&b, quote);
	for (const char *p = s; *p; p++) {
		if (*p == quote)
			rp_buf_putc(&b, quote);
		rp_buf_putc(&b, *p);
	}
	rp_buf_putc(&b, quote);
	return rp_buf_steal(&b);
}

char *rp_db_quote_ident(const char *name)
{
	return quoted(name, '"');
}

char *rp_db_quote_string(const char *text)
{
	return quoted(text, '\'');
}

bool rp_db_has_table(char *const *tables, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(tables[i], name) == 0)
			return true;
	return false;
}
