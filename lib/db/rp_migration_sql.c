#include "rp_migration_sql.h"
#include "rp_file.h"
#include "rp_strv.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A token: a word (keyword or name, without its quotes), a string, or
 * one punctuation character. A quoted word is never a keyword. */
struct tok {
	const char *s;
	size_t len;
	bool word;
	bool quoted;
};

/* The reading of one text: where it is, and what it has given. */
struct reader {
	const char *p;
	const char *end;
	struct rp_migration_sql_op *ops;
	size_t n;
};

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* Past white space and comments; false at the end. */
static bool skip_blank(const char **p, const char *end)
{
	while (*p < end) {
		if (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r' || **p == '\f') {
			(*p)++;
		} else if (**p == '-' && *p + 1 < end && (*p)[1] == '-') {
			while (*p < end && **p != '\n')
				(*p)++;
		} else if (**p == '/' && *p + 1 < end && (*p)[1] == '*') {
			const char *q = *p + 2;
			while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
				q++;
			*p = q + 1 < end ? q + 2 : end;
		} else {
			return true;
		}
	}
	return false;
}

/* A quoted run from *p (its opening quote) to close; a doubled quote
 * inside is part of it, and with backslash (PostgreSQL's E'...') so is
 * the character after a backslash. */
static void quoted(const char **p, const char *end, char close, bool backslash, struct tok *t)
{
	const char *q = *p + 1;
	t->s = q;
	for (; q < end; q++) {
		if (backslash && *q == '\\' && q + 1 < end) {
			q++;
			continue;
		}
		if (*q != close)
			continue;
		if (close != ']' && q + 1 < end && q[1] == close) {
			q++;
			continue;
		}
		break;
	}
	t->len = (size_t)(q - t->s);
	*p = q < end ? q + 1 : end;
	t->word = close != '\'' || !backslash;
	t->quoted = true;
}

/* PostgreSQL's $tag$ ... $tag$ (a function's body): the length of the
 * opening tag at p, or 0 when p does not open one ($1 is a parameter). */
static size_t dollar_tag(const char *p, const char *end)
{
	const char *q = p + 1;
	if (q < end && *q >= '0' && *q <= '9')
		return 0;
	while (q < end && *q != '$' && word_char(*q))
		q++;
	return q < end && *q == '$' ? (size_t)(q - p) + 1 : 0;
}

static void dollar_quoted(const char **p, const char *end, size_t tag, struct tok *t)
{
	const char *q = *p + tag;
	t->s = q;
	while (q + tag <= end && memcmp(q, *p, tag) != 0)
		q++;
	if (q + tag > end)
		q = end;
	t->len = (size_t)(q - t->s);
	*p = q < end ? q + tag : end;
	t->word = false;
	t->quoted = true;
}

static bool lex(const char **p, const char *end, struct tok *t)
{
	if (!skip_blank(p, end))
		return false;
	char c = **p;
	size_t tag;
	t->quoted = false;
	if (c == '"' || c == '`' || c == '\'') {
		quoted(p, end, c, false, t);
	} else if (c == '[') {
		quoted(p, end, ']', false, t);
	} else if ((c == 'E' || c == 'e') && *p + 1 < end && (*p)[1] == '\'') {
		(*p)++;
		quoted(p, end, '\'', true, t);
	} else if (c == '$' && (tag = dollar_tag(*p, end)) > 0) {
		dollar_quoted(p, end, tag, t);
	} else if (word_char(c)) {
		t->s = *p;
		while (*p < end && word_char(**p))
			(*p)++;
		t->len = (size_t)(*p - t->s);
		t->word = true;
	} else {
		t->s = (*p)++;
		t->len = 1;
		t->word = false;
	}
	return true;
}

static bool is(const struct tok *t, const char *kw)
{
	return t->word && !t->quoted && t->len == strlen(kw) && strncasecmp(t->s, kw, t->len) == 0;
}

static bool punct(const struct tok *t, char c)
{
	return !t->word && !t->quoted && t->s[0] == c;
}

/* The next token if it is the keyword kw (consumed), else nothing. */
static bool take(const char **p, const char *end, const char *kw)
{
	const char *q = *p;
	struct tok t;
	if (lex(&q, end, &t) && is(&t, kw)) {
		*p = q;
		return true;
	}
	return false;
}

static bool take_punct(const char **p, const char *end, char c)
{
	const char *q = *p;
	struct tok t;
	if (lex(&q, end, &t) && punct(&t, c)) {
		*p = q;
		return true;
	}
	return false;
}

static char *lower(const struct tok *t)
{
	char *s = rp_xstrndup(t->s, t->len);
	for (char *c = s; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return s;
}

static void push_lower(char ***v, size_t *n, const struct tok *t)
{
	*v = rp_xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = lower(t);
}

/* [[catalog.]schema.]name, lower-cased, its schema in *schema (NULL when
 * unqualified); NULL when no name follows. */
static char *name(const char **p, const char *end, char **schema)
{
	struct tok t, prev = { 0 };
	bool have_prev = false;
	if (!lex(p, end, &t) || !t.word || t.len == 0)
		return NULL;
	for (;;) {
		const char *q = *p;
		struct tok next;
		if (!take_punct(&q, end, '.') || !lex(&q, end, &next) || !next.word)
			break;
		prev = t, have_prev = true;
		t = next;
		*p = q;
	}
	if (schema)
		*schema = have_prev ? lower(&prev) : NULL;
	return lower(&t);
}

static struct rp_migration_sql_op *add(struct reader *r, enum rp_migration_sql_kind kind,
                                       char *table, char *schema, size_t at)
{
	if (!table || r->n >= RP_MIGRATION_SQL_OPS_MAX) {
		free(table);
		free(schema);
		return NULL;
	}
	r->ops = rp_xreallocarray(r->ops, r->n + 1, sizeof *r->ops);
	struct rp_migration_sql_op *op = &r->ops[r->n++];
	*op = (struct rp_migration_sql_op){ .kind = kind, .table = table, .schema = schema };
	op->offset = at;
	return op;
}

/* Past one list element or action: to the ',' or ')' that ends it at this
 * depth (*p left on it) or the end of the statement. The stop character,
 * or 0 at ';' or the end. */
static char skip_element(const char **p, const char *end)
{
	int depth = 0;
	struct tok t;
	for (;;) {
		const char *q = *p;
		if (!lex(&q, end, &t))
			return 0;
		if (punct(&t, ';'))
			return 0;
		if (depth == 0 && (punct(&t, ',') || punct(&t, ')'))) {
			*p = t.s;
			return t.s[0];
		}
		*p = q;
		if (punct(&t, '('))
			depth++;
		else if (punct(&t, ')'))
			depth--;
	}
}

/* A table element that is a constraint, not a column (PostgreSQL's
 * EXCLUDE is also a column name unless a constraint follows). */
static bool constraint_word(const struct tok *t, const char *after, const char *end)
{
	static const char *const words[] = { "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN",
		                             "CHECK" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (is(t, words[i]))
			return true;
	if (is(t, "EXCLUDE")) {
		struct tok next;
		return lex(&after, end, &next) && (is(&next, "USING") || punct(&next, '('));
	}
	return false;
}

/* CREATE TABLE's element list, after its '(': the columns; false when
 * something other than a column or a constraint is in it (LIKE), or the
 * list is never closed (op->unterminated). */
static bool columns(struct reader *r, struct rp_migration_sql_op *op)
{
	bool known = true;
	struct tok t;
	bool first = true;
	for (;;) {
		const char *start = r->p;
		if (!lex(&r->p, r->end, &t))
			break;
		if (punct(&t, ')') && first)
			return known; /* PostgreSQL's table of no columns */
		first = false;
		if (!t.word)
			r->p = start; /* unexpected: skipped as a whole, its brackets counted */
		if (is(&t, "LIKE") || !t.word)
			known = false;
		else if (constraint_word(&t, r->p, r->end))
			;
		else if (op->ncolumns < RP_MIGRATION_SQL_COLUMNS_MAX)
			push_lower(&op->columns, &op->ncolumns, &t);
		else
			known = false; /* not a table any engine allows */
		char stop = skip_element(&r->p, r->end);
		if (!stop)
			break;
		r->p++;
		if (stop == ')')
			return known;
	}
	op->unterminated = true;
	return false;
}

/* After CREATE: [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY] [UNLOGGED]
 * [VIRTUAL] TABLE [IF NOT EXISTS] name, then its columns when it lists
 * them (not AS SELECT, OF type, PARTITION OF, a virtual table's module). */
static void create(struct reader *r, size_t at)
{
	if (take(&r->p, r->end, "OR"))
		take(&r->p, r->end, "REPLACE");
	if (!take(&r->p, r->end, "GLOBAL"))
		take(&r->p, r->end, "LOCAL");
	bool temp = take(&r->p, r->end, "TEMP") || take(&r->p, r->end, "TEMPORARY");
	take(&r->p, r->end, "UNLOGGED");
	bool virtual = take(&r->p, r->end, "VIRTUAL");
	if (!take(&r->p, r->end, "TABLE"))
		return;
	if (take(&r->p, r->end, "IF")) {
		take(&r->p, r->end, "NOT");
		take(&r->p, r->end, "EXISTS");
	}
	char *schema = NULL;
	char *t = name(&r->p, r->end, &schema);
	if (temp) {
		free(t), free(schema);
		return;
	}
	struct rp_migration_sql_op *op = add(r, RP_MIGRATION_SQL_CREATE, t, schema, at);
	if (op && !virtual && take_punct(&r->p, r->end, '('))
		op->columns_known = columns(r, op);
}

/* DROP TABLE [IF EXISTS] name [, name]... */
static void drop(struct reader *r, size_t at)
{
	if (!take(&r->p, r->end, "TABLE"))
		return;
	if (take(&r->p, r->end, "IF"))
		take(&r->p, r->end, "EXISTS");
	do {
		char *schema = NULL;
		char *t = name(&r->p, r->end, &schema);
		if (!t)
			return;
		add(r, RP_MIGRATION_SQL_DROP, t, schema, at);
	} while (take_punct(&r->p, r->end, ','));
}

/* A column operation on table (ADD, DROP or RENAME [COLUMN]). */
static void column_op(struct reader *r, const struct rp_migration_sql_op *table,
                      enum rp_migration_sql_kind kind, char *column, char *to)
{
	struct rp_migration_sql_op *op =
	        add(r, kind, rp_xstrdup(table->table),
	            table->schema ? rp_xstrdup(table->schema) : NULL, table->offset);
	if (!op) {
		free(column), free(to);
		return;
	}
	op->column = column;
	op->to = to;
}

/* RENAME TO new | RENAME [COLUMN] a TO b (not RENAME CONSTRAINT) */
static void rename_action(struct reader *r, const struct rp_migration_sql_op *table)
{
	if (take(&r->p, r->end, "TO")) {
		char *to = name(&r->p, r->end, NULL);
		if (to)
			column_op(r, table, RP_MIGRATION_SQL_RENAME, NULL, to);
		return;
	}
	if (take(&r->p, r->end, "CONSTRAINT"))
		return;
	take(&r->p, r->end, "COLUMN");
	struct tok t;
	if (!lex(&r->p, r->end, &t) || !t.word || !take(&r->p, r->end, "TO"))
		return;
	char *from = lower(&t);
	struct tok to;
	if (lex(&r->p, r->end, &to) && to.word)
		column_op(r, table, RP_MIGRATION_SQL_RENAME_COLUMN, from, lower(&to));
	else
		free(from);
}

/* ADD [COLUMN] [IF NOT EXISTS] name ... | DROP [COLUMN] [IF EXISTS] name
 * (not a constraint) */
static void column_action(struct reader *r, const struct rp_migration_sql_op *table, bool add_it)
{
	take(&r->p, r->end, "COLUMN");
	if (take(&r->p, r->end, "IF")) {
		take(&r->p, r->end, "NOT");
		take(&r->p, r->end, "EXISTS");
	}
	struct tok t;
	const char *q = r->p;
	if (!lex(&q, r->end, &t) || !t.word || constraint_word(&t, q, r->end) ||
	    is(&t, "CONSTRAINT"))
		return;
	r->p = q;
	column_op(r, table, add_it ? RP_MIGRATION_SQL_ADD_COLUMN : RP_MIGRATION_SQL_DROP_COLUMN,
	          lower(&t), NULL);
}

/* ALTER TABLE [IF EXISTS] [ONLY] name action [, action]... */
static void alter(struct reader *r, size_t at)
{
	if (!take(&r->p, r->end, "TABLE"))
		return;
	if (take(&r->p, r->end, "IF"))
		take(&r->p, r->end, "EXISTS");
	take(&r->p, r->end, "ONLY");
	struct rp_migration_sql_op table = { .offset = at };
	table.table = name(&r->p, r->end, &table.schema);
	if (!table.table)
		return;
	take_punct(&r->p, r->end, '*');
	do {
		if (take(&r->p, r->end, "RENAME"))
			rename_action(r, &table);
		else if (take(&r->p, r->end, "ADD"))
			column_action(r, &table, true);
		else if (take(&r->p, r->end, "DROP"))
			column_action(r, &table, false);
	} while (skip_element(&r->p, r->end) == ',' && take_punct(&r->p, r->end, ','));
	free(table.table);
	free(table.schema);
}

size_t rp_migration_sql_ops(const char *sql, size_t len, struct rp_migration_sql_op **ops)
{
	struct reader r = { sql, sql + len, NULL, 0 };
	struct tok t;
	while (lex(&r.p, r.end, &t)) {
		size_t at = (size_t)(t.s - sql);
		if (is(&t, "CREATE"))
			create(&r, at);
		else if (is(&t, "DROP"))
			drop(&r, at);
		else if (is(&t, "ALTER"))
			alter(&r, at);
	}
	*ops = r.ops;
	return r.n;
}

void rp_migration_sql_free(struct rp_migration_sql_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ops[i].table);
		free(ops[i].to);
		free(ops[i].schema);
		free(ops[i].column);
		rp_strv_free(ops[i].columns, ops[i].ncolumns);
	}
	free(ops);
}

/* The set is kept sorted: where name is, or where it would go (*found
 * says which). */
static size_t find(char **tables, size_t n, const char *name, bool *found)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(tables[mid], name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static void insert_at(char ***tables, size_t *n, size_t at, const char *name)
{
	*tables = rp_xreallocarray(*tables, *n + 1, sizeof **tables);
	memmove(*tables + at + 1, *tables + at, (*n - at) * sizeof **tables);
	(*tables)[at] = rp_xstrdup(name);
	(*n)++;
}

static void remove_at(char **tables, size_t *n, size_t at)
{
	free(tables[at]);
	memmove(tables + at, tables + at + 1, (*n - at - 1) * sizeof *tables);
	(*n)--;
}

void rp_migration_sql_apply(const struct rp_migration_sql_op *ops, size_t nops, char ***tables,
                            size_t *n)
{
	for (size_t i = 0; i < nops; i++) {
		const struct rp_migration_sql_op *op = &ops[i];
		bool have, have_to = false;
		size_t at = find(*tables, *n, op->table, &have);
		if (op->kind == RP_MIGRATION_SQL_CREATE && !have) {
			insert_at(tables, n, at, op->table);
		} else if (op->kind == RP_MIGRATION_SQL_DROP && have) {
			remove_at(*tables, n, at);
		} else if (op->kind == RP_MIGRATION_SQL_RENAME && have) {
			size_t to = find(*tables, *n, op->to, &have_to);
			if (!have_to) {
				remove_at(*tables, n, at);
				to = find(*tables, *n, op->to, &have_to);
				insert_at(tables, n, to, op->to);
			}
		}
	}
}

bool rp_migration_sql_read(const char *dir, const char *name, struct rp_migration_sql_op **ops,
                           size_t *nops)
{
	char *path = rp_xasprintf("%s/%s", dir, name);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		char *inner = rp_xasprintf("%s/migration.sql", path);
		free(path);
		path = inner;
	}
	size_t len = 0;
	char *sql = rp_file_read(path, 1024 * 1024, &len, NULL, NULL, 0);
	free(path);
	*ops = NULL;
	*nops = 0;
	if (!sql)
		return false;
	*nops = rp_migration_sql_ops(sql, len, ops);
	free(sql);
	return true;
}
