#include "rp_migration_sql.h"
#include "rp_file.h"
#include "rp_strv.h"
#include "rp_util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A token: a word (keyword or name, quoted or not, without its quotes) or
 * one punctuation character. */
struct tok {
	const char *s;
	size_t len;
	bool word;
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
 * inside is part of it. */
static void quoted(const char **p, const char *end, char close, struct tok *t)
{
	const char *q = *p + 1;
	t->s = q;
	for (; q < end; q++) {
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
	t->word = true;
}

static bool lex(const char **p, const char *end, struct tok *t)
{
	if (!skip_blank(p, end))
		return false;
	char c = **p;
	if (c == '"' || c == '`' || c == '\'')
		quoted(p, end, c, t);
	else if (c == '[')
		quoted(p, end, ']', t);
	else if (word_char(c)) {
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
	return t->word && t->len == strlen(kw) && strncasecmp(t->s, kw, t->len) == 0;
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

/* [schema.]name, lower-cased; NULL when no name follows. */
static char *name(const char **p, const char *end)
{
	struct tok t, dot, second;
	if (!lex(p, end, &t) || !t.word || t.len == 0)
		return NULL;
	const char *q = *p;
	if (lex(&q, end, &dot) && !dot.word && dot.s[0] == '.' && lex(&q, end, &second) &&
	    second.word) {
		t = second;
		*p = q;
	}
	char *s = rp_xstrndup(t.s, t.len);
	for (char *c = s; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return s;
}

static void add(struct rp_migration_sql_op **ops, size_t *n, enum rp_migration_sql_kind kind,
                char *table, char *to)
{
	if (!table || *n >= RP_MIGRATION_SQL_OPS_MAX || (kind == RP_MIGRATION_SQL_RENAME && !to)) {
		free(table);
		free(to);
		return;
	}
	*ops = rp_xreallocarray(*ops, *n + 1, sizeof **ops);
	(*ops)[(*n)++] = (struct rp_migration_sql_op){ kind, table, to };
}

/* After CREATE: [TEMP|TEMPORARY] [VIRTUAL] TABLE [IF NOT EXISTS] name */
static void create(const char **p, const char *end, struct rp_migration_sql_op **ops, size_t *n)
{
	bool temp = take(p, end, "TEMP") || take(p, end, "TEMPORARY");
	take(p, end, "VIRTUAL");
	if (!take(p, end, "TABLE"))
		return;
	if (take(p, end, "IF")) {
		take(p, end, "NOT");
		take(p, end, "EXISTS");
	}
	char *t = name(p, end);
	if (temp)
		free(t);
	else
		add(ops, n, RP_MIGRATION_SQL_CREATE, t, NULL);
}

/* After DROP: TABLE [IF EXISTS] name */
static void drop(const char **p, const char *end, struct rp_migration_sql_op **ops, size_t *n)
{
	if (!take(p, end, "TABLE"))
		return;
	if (take(p, end, "IF"))
		take(p, end, "EXISTS");
	add(ops, n, RP_MIGRATION_SQL_DROP, name(p, end), NULL);
}

/* After ALTER: TABLE name RENAME TO new (not RENAME [COLUMN] a TO b) */
static void alter(const char **p, const char *end, struct rp_migration_sql_op **ops, size_t *n)
{
	if (!take(p, end, "TABLE"))
		return;
	char *t = name(p, end);
	if (t && take(p, end, "RENAME") && take(p, end, "TO")) {
		add(ops, n, RP_MIGRATION_SQL_RENAME, t, name(p, end));
		return;
	}
	free(t);
}

size_t rp_migration_sql_ops(const char *sql, size_t len, struct rp_migration_sql_op **ops)
{
	*ops = NULL;
	size_t n = 0;
	const char *p = sql, *end = sql + len;
	struct tok t;
	while (lex(&p, end, &t)) {
		if (is(&t, "CREATE"))
			create(&p, end, ops, &n);
		else if (is(&t, "DROP"))
			drop(&p, end, ops, &n);
		else if (is(&t, "ALTER"))
			alter(&p, end, ops, &n);
	}
	return n;
}

void rp_migration_sql_free(struct rp_migration_sql_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ops[i].table);
		free(ops[i].to);
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
