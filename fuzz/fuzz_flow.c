/* fuzz_flow: check_api's flow file, each line's step and capture words,
 * captured values put into requests, steps' URLs resolved, and a value
 * captured from a JSON reply. A known secret put in by {token} must be
 * there whole; text without a brace must come back as it was. */
#include "check_api.h"
#include "fuzz_common.h"
#include "rp_json.h"
#include "rp_secret.h"

#include <stdio.h>

#define MAX_STEPS 8

struct ctx {
	struct api_step steps[MAX_STEPS];
	size_t n;
};

static char *const names[] = { (char *)"token", (char *)"id" };
static char *const values[] = { (char *)"SECRET-VALUE-1", (char *)"7" };

static void expand_checked(const char *value)
{
	bool used[2] = { false, false };
	char *x = api_flow_expand(value, names, values, 2, used);
	if (used[0] && !strstr(x, values[0]))
		abort();
	if (!strchr(value, '{') && strcmp(x, value) != 0)
		abort();
	rp_secret_free(x);
}

static void url_checked(const char *value)
{
	char err[300];
	char *u = api_flow_url("http://h:1/base/", value, err, sizeof err);
	if (u && strncmp(u, "http", 4) != 0)
		abort();
	free(u);
}

static bool apply(void *vctx, const char *option, const char *value, char *err, size_t errlen)
{
	struct ctx *c = vctx;
	if (strcmp(option, "step") == 0) {
		if (c->n >= MAX_STEPS) {
			snprintf(err, errlen, "too many");
			return false;
		}
		if (!api_step_parse(value, c->n + 1, &c->steps[c->n], err, errlen))
			return false;
		url_checked(c->steps[c->n].target);
		c->n++;
		return true;
	}
	if (strcmp(option, "capture") == 0) {
		struct api_capture cap;
		if (!api_capture_parse(value, &cap, err, errlen))
			return false;
		api_capture_free(&cap);
		return true;
	}
	expand_checked(value);
	return strcmp(option, "refuse") != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c;
	memset(&c, 0, sizeof c);
	char err[400];
	api_flow_parse((const char *)data, size, "fuzz.flow", apply, &c, err, sizeof err);
	char *problem = api_flow_check_captures(c.steps, c.n);
	free(problem);
	for (size_t i = 0; i < c.n; i++)
		api_step_free(&c.steps[i]);
	/* the input as a reply to capture from */
	char why[200];
	struct rp_value *doc = rp_json_parse_any((const char *)data, size, why, sizeof why);
	if (doc) {
		struct rp_keypath k;
		if (rp_keypath_parse(".access_token", &k, why, sizeof why)) {
			char *v = api_flow_capture_value(doc, &k, why, sizeof why);
			rp_secret_free(v);
			rp_keypath_free(&k);
		}
		rp_value_free(doc);
	}
	return 0;
}
