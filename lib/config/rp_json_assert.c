#include "rp_json_assert.h"
#include "rp_json.h"
#include "rp_regex.h"
#include "rp_text.h"
#include "rp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *text;
	enum rp_json_op op;
} ops[] = {
	/* longer spellings first: "<=" before "<" */
	{ "!exists", RP_JOP_MISSING },
	{ "exists", RP_JOP_EXISTS },
	{ "==", RP_JOP_EQ },
	{ "!=", RP_JOP_NE },
	{ "<=", RP_JOP_LE },
	{ ">=", RP_JOP_GE },
	{ "<", RP_JOP_LT },
	{ ">", RP_JOP_GT },
	{ "~", RP_JOP_MATCH },
};

const char *rp_json_assert_op_text(enum rp_json_op op)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].op == op)
			return ops[i].text;
	return "?";
}

static bool space(char c)
{
	return c == ' ' || c == '\t';
}

/* The path ends at white space or an operator character outside quotes
 * (a bare key never holds one, so ".status==1" needs no spaces). */
static size_t path_length(const char *s)
{
	char quote = 0;
	size_t i = 0;
	for (; s[i]; i++) {
		if (quote) {
			if (s[i] == '\\' && s[i + 1])
				i++;
			else if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		} else if (space(s[i]) || strchr("=!<>~", s[i])) {
			break;
		}
	}
	return i;
}

static bool fail(struct rp_json_assert *a, char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "'%.60s': %s", a->text, why);
	rp_json_assert_free(a);
	return false;
}

/* VALUE for a comparison: a JSON literal. */
static bool parse_literal(struct rp_json_assert *a, const char *value, char *err, size_t errlen)
{
	char why[160];
	a->want = rp_json_parse_any(value, strlen(value), why, sizeof why);
	if (a->want)
		return true;
	bool word = value[0] && !strchr("\"[{-0123456789", value[0]);
	if (word)
		snprintf(err, errlen,
		         "'%.60s': the value must be a JSON literal; a string needs quotes: "
		         "\"%.40s\"",
		         a->text, value);
	else
		snprintf(err, errlen, "'%.60s': the value is not a JSON literal (%s)", a->text,
		         why);
	rp_json_assert_free(a);
	return false;
}

/* VALUE for ~: a regex, as a JSON string or as it is. */
static bool parse_regex(struct rp_json_assert *a, const char *value, char *err, size_t errlen)
{
	char *pattern = NULL;
	if (value[0] == '"') {
		char why[160];
		struct rp_value *s = rp_json_parse_any(value, strlen(value), why, sizeof why);
		if (!s || s->type != RP_V_STRING) {
			rp_value_free(s);
			return fail(a, err, errlen, "the regex is not a valid JSON string");
		}
		pattern = rp_xstrdup(s->s);
		rp_value_free(s);
	} else {
		pattern = rp_xstrdup(value);
	}
	char why[160];
	bool ok = rp_regex_compile(&a->re, pattern, REG_NOSUB, why, sizeof why);
	free(pattern);
	if (!ok) {
		snprintf(err, errlen, "'%.60s': bad regex: %s", a->text, why);
		rp_json_assert_free(a);
		return false;
	}
	a->has_re = true;
	return true;
}

bool rp_json_assert_parse(const char *text, struct rp_json_assert *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	a->text = rp_xstrdup(text);
	const char *p = text;
	while (space(*p))
		p++;
	size_t plen = path_length(p);
	if (plen == 0)
		return fail(a, err, errlen,
		            "expected PATH OP VALUE, PATH exists or PATH !exists "
		            "(e.g. '.status == \"ok\"')");
	char *path = rp_xstrndup(p, plen);
	char why[200];
	bool path_ok = rp_keypath_parse(path, &a->path, why, sizeof why);
	free(path);
	if (!path_ok) {
		snprintf(err, errlen, "'%.60s': %s", text, why);
		rp_json_assert_free(a);
		return false;
	}
	p += plen;
	while (space(*p))
		p++;
	size_t i = 0, n = sizeof ops / sizeof ops[0];
	while (i < n && !rp_text_has_prefix(p, ops[i].text))
		i++;
	if (i == n)
		return fail(a, err, errlen,
		            "expected an operator (== != < <= > >= ~) or exists / "
		            "!exists after the path");
	a->op = ops[i].op;
	p += strlen(ops[i].text);
	while (space(*p))
		p++;
	size_t vlen = strlen(p);
	while (vlen && space(p[vlen - 1]))
		vlen--;
	if (a->op == RP_JOP_EXISTS || a->op == RP_JOP_MISSING) {
		if (vlen)
			return fail(a, err, errlen, "nothing may follow exists / !exists");
		return true;
	}
	if (vlen == 0)
		return fail(a, err, errlen, "a value must follow the operator");
	a->want_text = rp_xstrndup(p, vlen);
	return a->op == RP_JOP_MATCH ? parse_regex(a, a->want_text, err, errlen)
	                             : parse_literal(a, a->want_text, err, errlen);
}

void rp_json_assert_free(struct rp_json_assert *a)
{
	free(a->text);
	rp_keypath_free(&a->path);
	rp_value_free(a->want);
	free(a->want_text);
	if (a->has_re)
		regfree(&a->re);
	memset(a, 0, sizeof *a);
}

char *rp_json_assert_describe(const struct rp_value *v, size_t max)
{
	struct rp_buf b;
	char num[RP_NUMBUF];
	rp_buf_init(&b);
	if (!v) {
		rp_buf_puts(&b, "missing");
	} else {
		switch (v->type) {
		case RP_V_TABLE:
			rp_buf_printf(&b, "an object with %zu key%s", v->n, v->n == 1 ? "" : "s");
			break;
		case RP_V_ARRAY:
			rp_buf_printf(&b, "an array of %zu", v->n);
			break;
		case RP_V_INTEGER:
			rp_buf_printf(&b, "%lld", v->i);
			break;
		case RP_V_FLOAT:
			rp_buf_puts(&b, rp_number_format(v->f, num));
			break;
		case RP_V_BOOL:
			rp_buf_puts(&b, v->b ? "true" : "false");
			break;
		case RP_V_NULL:
			rp_buf_puts(&b, "null");
			break;
		default:
			rp_text_json_string(&b, v->s);
			break;
		}
	}
	char *out = rp_text_sanitize(b.data, b.len, max);
	rp_buf_free(&b);
	return out;
}

static bool is_number(const struct rp_value *v)
{
	return v->type == RP_V_INTEGER || v->type == RP_V_FLOAT;
}

static bool is_text(const struct rp_value *v)
{
	return v->type == RP_V_STRING;
}

/* -1, 0, 1, or 2 when the two cannot be ordered. */
static int order(const struct rp_value *a, const struct rp_value *b)
{
	if (is_number(a) && is_number(b)) {
		double x = rp_value_number(a), y = rp_value_number(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	if (is_text(a) && is_text(b)) {
		size_t n = a->len < b->len ? a->len : b->len;
		int c = memcmp(a->s, b->s, n);
		if (c == 0)
			c = a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
		return c < 0 ? -1 : c > 0 ? 1 : 0;
	}
	return 2;
}

static bool matches(const struct rp_json_assert *a, const struct rp_value *v)
{
	char buf[RP_NUMBUF];
	const char *s;
	switch (v->type) {
	case RP_V_STRING:
		s = v->s;
		break;
	case RP_V_INTEGER:
		snprintf(buf, sizeof buf, "%lld", v->i);
		s = buf;
		break;
	case RP_V_FLOAT:
		s = rp_number_format(v->f, buf);
		break;
	case RP_V_BOOL:
		s = v->b ? "true" : "false";
		break;
	default:
		return false;
	}
	return regexec(&a->re, s, 0, NULL, 0) == 0;
}

static bool holds(const struct rp_json_assert *a, const struct rp_value *found)
{
	if (a->op == RP_JOP_MISSING)
		return found == NULL;
	if (!found)
		return false;
	int o;
	switch (a->op) {
	case RP_JOP_EXISTS:
		return true;
	case RP_JOP_EQ:
		return rp_value_equal(found, a->want);
	case RP_JOP_NE:
		return !rp_value_equal(found, a->want);
	case RP_JOP_MATCH:
		return matches(a, found);
	default:
		o = order(found, a->want);
		if (o == 2)
			return false;
		return a->op == RP_JOP_LT   ? o < 0
		       : a->op == RP_JOP_LE ? o <= 0
		       : a->op == RP_JOP_GT ? o > 0
		                            : o >= 0;
	}
}

void rp_json_assert_eval(const struct rp_json_assert *a, const struct rp_value *doc,
                         struct rp_json_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->ok = true;
	struct rp_resolved_list l;
	rp_keypath_resolve(&a->path, doc, false, &l);
	v->checked = l.n;
	for (size_t i = 0; i < l.n && v->ok; i++) {
		const struct rp_value *found = l.items[i].value;
		if (holds(a, found))
			continue;
		v->ok = false;
		v->path = rp_text_sanitize(l.items[i].path, strlen(l.items[i].path), 100);
		v->found = rp_json_assert_describe(found, 80);
		bool ordered = a->op >= RP_JOP_LT && a->op <= RP_JOP_GE;
		if (found && ordered && order(found, a->want) == 2) {
			char *d = v->found;
			v->found = rp_xasprintf("%s (not comparable with %s)", d,
			                        is_number(a->want) ? "a number" : "a string");
			free(d);
		}
	}
	rp_keypath_resolved_free(&l);
}

void rp_json_assert_verdict_free(struct rp_json_verdict *v)
{
	free(v->path);
	free(v->found);
	memset(v, 0, sizeof *v);
}
