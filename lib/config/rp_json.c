#include "rp_json.h"
#include "rp_secret.h"
#include "rp_util.h"

#include <stdlib.h>

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

/* Nesting beyond json-c's own depth limit is refused by the tokener. */
static struct rp_value *convert(json_object *o)
{
	struct rp_value *v;
	switch (json_object_get_type(o)) {
	case json_type_null:
		return rp_value_new(RP_V_NULL);
	case json_type_boolean:
		v = rp_value_new(RP_V_BOOL);
		v->b = json_object_get_boolean(o);
		return v;
	case json_type_int:
		v = rp_value_new(RP_V_INTEGER);
		v->i = json_object_get_int64(o);
		return v;
	case json_type_double:
		v = rp_value_new(RP_V_FLOAT);
		v->f = json_object_get_double(o);
		return v;
	case json_type_string:
		return rp_value_new_string(json_object_get_string(o),
		                           (size_t)json_object_get_string_len(o));
	case json_type_array:
		v = rp_value_new(RP_V_ARRAY);
		for (size_t i = 0; i < json_object_array_length(o); i++)
			rp_value_array_push(v, convert(json_object_array_get_idx(o, i)));
		return v;
	case json_type_object:
		v = rp_value_new(RP_V_TABLE);
		json_object_object_foreach(o, key, child)
		{
			/* json-c keeps the last of duplicate keys already */
			rp_value_table_set(v, key, strlen(key), convert(child));
		}
		return v;
	}
	return rp_value_new(RP_V_NULL);
}

static void position(const char *src, size_t off, int *line, size_t *col)
{
	*line = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++)
		if (src[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	*col = off - start + 1;
}

/* json-c clamps an integer beyond 64 bits (12345678901234567890 reads as
 * 9223372036854775807): such literals are handed to it as decimals
 * ("...890.0"), which it reads as the nearest double, so they compare
 * right. NULL when the document has none; else a copy, caller frees. */
static char *widen_big_integers(const char *src, size_t len, size_t *outlen)
{
	struct rp_buf b;
	bool changed = false, in_string = false;
	rp_buf_init(&b);
	for (size_t i = 0; i < len;) {
		char c = src[i];
		if (in_string || c == '"') {
			if (in_string && c == '\\' && i + 1 < len) {
				rp_buf_append(&b, src + i, 2);
				i += 2;
				continue;
			}
			in_string = c == '"' ? !in_string : in_string;
			rp_buf_putc(&b, c);
			i++;
			continue;
		}
		size_t j = i + (c == '-');
		size_t digits = 0;
		while (j + digits < len && src[j + digits] >= '0' && src[j + digits] <= '9')
			digits++;
		size_t end = j + digits;
		bool integer = digits > 0 && (end == len || !strchr(".eE", src[end]));
		rp_buf_append(&b, src + i, digits ? end - i : 1);
		if (integer && digits >= 19) {
			rp_buf_puts(&b, ".0");
			changed = true;
		}
		i = digits ? end : i + 1;
	}
	if (!changed) {
		rp_buf_free(&b);
		return NULL;
	}
	*outlen = b.len;
	return rp_buf_steal(&b);
}

struct rp_value *rp_json_parse_any(const char *src, size_t len, char *err, size_t errlen)
{
	size_t wlen = 0;
	char *wide = widen_big_integers(src, len, &wlen);
	if (wide) {
		struct rp_value *v = rp_json_parse_any(wide, wlen, err, errlen);
		rp_secret_wipe(wide, wlen); /* a document may hold secrets */
		free(wide);
		return v;
	}
	json_tokener *tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_object *o = json_tokener_parse_ex(tok, src, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t off = json_tokener_get_parse_end(tok);
	if (!o && e == json_tokener_continue && off == len) {
		/* a number at the very end may go on: a space ends it */
		o = json_tokener_parse_ex(tok, " ", 1);
		e = json_tokener_get_error(tok);
		off = len;
	}
	struct rp_value *v = NULL;
	int line;
	size_t col;
	/* "null" parses to a NULL object: success decides, not the pointer */
	if (e != json_tokener_success) {
		if (e == json_tokener_continue)
			off = len;
		position(src, off, &line, &col);
		snprintf(err, errlen, "line %d, column %zu: %s", line, col,
		         e == json_tokener_continue || len == 0 ? "unexpected end of the document"
		                                                : json_tokener_error_desc(e));
	} else {
		/* only white space may follow the document */
		size_t rest = off;
		while (rest < len && strchr(" \t\r\n", src[rest]))
			rest++;
		if (rest < len) {
			position(src, rest, &line, &col);
			snprintf(err, errlen, "line %d, column %zu: text after the JSON document",
			         line, col);
		} else {
			v = convert(o);
		}
	}
	json_object_put(o);
	json_tokener_free(tok);
	return v;
}

struct rp_value *rp_json_parse_value(const char *src, size_t len, char *err, size_t errlen)
{
	struct rp_value *v = rp_json_parse_any(src, len, err, errlen);
	if (v && v->type != RP_V_TABLE) {
		snprintf(err, errlen, "line 1, column 1: the document is not a JSON object");
		rp_value_free(v);
		return NULL;
	}
	return v;
}
