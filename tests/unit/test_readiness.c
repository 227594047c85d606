/* check_readiness: the manifest reader, the word splitter, how a child's
 * run is judged, and the score arithmetic. */
#include "check_readiness.h"
#include "rp_test.h"
#include "rp_util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

START_TEST(test_split_words)
{
	struct {
		const char *in;
		size_t n;
		const char *w[5];
	} ok[] = {
		{ "check_x --db /srv/a.db", 3, { "check_x", "--db", "/srv/a.db" } },
		{ "  a\t 'b c'  \"d e\" ", 3, { "a", "b c", "d e" } },
		{ "a\\ b 'it'\\''s' \"q\\\"x\"", 3, { "a b", "it's", "q\"x" } },
		{ "x '$HOME' \"$HOME\" *.db", 4, { "x", "$HOME", "$HOME", "*.db" } },
		{ "x '' \"\"", 3, { "x", "", "" } },
		{ "a|b c>d", 2, { "a|b", "c>d" } },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		size_t n;
		char err[100];
		char **v = rp_manifest_split_words(ok[i].in, &n, err, sizeof err);
		ck_assert_msg(v != NULL, "%s: %s", ok[i].in, err);
		ck_assert_uint_eq(n, ok[i].n);
		for (size_t k = 0; k < n; k++)
			ck_assert_str_eq(v[k], ok[i].w[k]);
		ck_assert(v[n] == NULL);
		rp_strv_free(v, n);
	}
	const char *bad[] = { "", "   ", "a 'b", "a \"b", "a \"b\\\"" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t n;
		char err[100] = "";
		ck_assert_msg(rp_manifest_split_words(bad[i], &n, err, sizeof err) == NULL, "'%s'",
		              bad[i]);
		ck_assert(err[0]);
	}
}
END_TEST

START_TEST(test_manifest)
{
	const char *text = "# readiness\n"
	                   "[readiness]\njobs = 4 ; comment\ntimeout = 30\nwarning = 95:\n"
	                   "critical = 80:\nplugin-dir = /opt/plugins\n\n"
	                   "[database]\nweight = 3\nblocking = yes\ntimeout = 5\n"
	                   "check schema = check_sqlite --db '/srv/my app.db' # trailing\n"
	                   "check title = check_api -u http://x/ --contains '#title;x' a;b\n"
	                   "[auth]\ncheck config = check_config --env-file /srv/.env\r\n"
	                   "[database]\ncheck fresh = check_sqlite --db /srv/a.db\n";
	struct rp_manifest m = { 0 };
	char err[300];
	ck_assert_msg(rp_manifest_parse(&m, "stack.ini", text, err, sizeof err), "%s", err);
	ck_assert_int_eq(m.jobs, 4);
	ck_assert(m.timeout == 30);
	ck_assert_str_eq(m.warning, "95:");
	ck_assert_str_eq(m.plugin_dir, "/opt/plugins");
	ck_assert_uint_eq(m.ncats, 2);
	const struct rp_mf_category *db = &m.cats[0];
	ck_assert_str_eq(db->name, "database");
	ck_assert(db->weight == 3 && db->blocking && db->timeout == 5);
	ck_assert_uint_eq(db->n, 3);
	ck_assert_str_eq(db->checks[0].argv[2], "/srv/my app.db");
	ck_assert_uint_eq(db->checks[0].argc, 3);
	ck_assert_str_eq(db->checks[1].argv[4], "#title;x");
	ck_assert_str_eq(db->checks[1].argv[5], "a;b");
	ck_assert_int_eq(db->checks[2].line, 18);
	ck_assert_str_eq(m.cats[1].checks[0].argv[2], "/srv/.env");
	ck_assert(m.cats[1].weight == 1 && !m.cats[1].blocking && m.cats[1].timeout == 10);
	rp_manifest_free(&m);

	struct {
		const char *text, *msg;
	} bad[] = {
		{ "[db]\ncheck a = x 'y\n", "m.ini, line 2: a ' quote is not closed" },
		{ "[db]\nweight = heavy\n", "line 2: weight = heavy" },
		{ "[db]\nblocking = maybe\n", "yes or no" },
		{ "jobs = 0\n", "line 1: jobs = 0" },
		{ "warning = 10:5\n", "line 1:" },
		{ "[db\n", "a section is written [name]" },
		{ "[db]\nnonsense\n", "line 2: expected 'key = value'" },
		{ "[db]\ncheck a = x\ncheck a = y\n", "line 3: a second check named a" },
		{ "[db]\ncheck a =\n", "has no value" },
		{ "[db]\ncheck bad name! = x\n", "check 'bad name!'" },
		{ "[d b]\n", "section [d b]" },
		{ "color = red\n", "unknown setting 'color' in [readiness]" },
		{ "[db]\ncolour = red\n", "unknown setting 'colour'" },
		{ "[db]\ninclude = /nonexistent/x.ini\n",
		  "the included file /nonexistent/x.ini does not exist" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rp_manifest b = { 0 };
		ck_assert_msg(!rp_manifest_parse(&b, "m.ini", bad[i].text, err, sizeof err),
		              "accepted: %s", bad[i].text);
		ck_assert_msg(strstr(err, bad[i].msg) != NULL, "'%s' lacks '%s'", err, bad[i].msg);
		rp_manifest_free(&b);
	}
}
END_TEST

/* An included file that adds categories moves the category array; the
 * lines after the include stay in the section they are written in. */
START_TEST(test_manifest_include)
{
	char dir[] = "/tmp/rp-manifest-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *inc = rp_xasprintf("%s/more.ini", dir), *top = rp_xasprintf("%s/top.ini", dir);
	FILE *f = fopen(inc, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 40; i++)
		fprintf(f, "[extra%d]\ncheck x = check_x\n", i);
	fclose(f);
	f = fopen(top, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[auth]\ncheck a = check_a\ninclude = more.ini\ncheck b = check_b\n"
	      "weight = 4\n",
	      f);
	fclose(f);
	struct rp_manifest m = { 0 };
	char err[300];
	ck_assert_msg(rp_manifest_load(&m, top, err, sizeof err), "%s", err);
	ck_assert_uint_eq(m.ncats, 41);
	ck_assert_str_eq(m.cats[0].name, "auth");
	ck_assert_uint_eq(m.cats[0].n, 2);
	ck_assert_str_eq(m.cats[0].checks[1].name, "b");
	ck_assert(m.cats[0].weight == 4);
	ck_assert_uint_eq(m.cats[40].n, 1);
	ck_assert(m.cats[40].weight == 1);
	rp_manifest_free(&m);
	ck_assert_int_eq(unlink(inc), 0);
	ck_assert_int_eq(unlink(top), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(inc);
	free(top);
}
END_TEST

static struct rd_result run_of(int code, const char *out, enum rp_spawn_outcome how)
{
	struct rd_result r;
	memset(&r, 0, sizeof r);
	static char *argv[] = { (char *)"check_x", NULL };
	static struct rp_mf_check def = {
		.name = (char *)"x", .argv = argv, .argc = 1, .file = (char *)"m.ini", .line = 1
	};
	r.def = &def;
	r.program = (char *)"/bin/check_x";
	r.ran = true;
	r.raw.outcome = how;
	r.raw.exit_code = code;
	r.raw.term_signal = SIGSEGV;
	r.raw.exec_errno = 13;
	r.raw.out = (char *)out;
	r.raw.out_len = strlen(out);
	return r;
}

static void judged(int code, const char *out, enum rp_spawn_outcome how, enum rp_state want,
                   const char *text)
{
	struct rd_result r = run_of(code, out, how);
	readiness_judge(&r, 10, RP_CRITICAL);
	ck_assert_msg(r.state == want, "%s: state %d", out, r.state);
	ck_assert_msg(strstr(r.summary, text) != NULL, "'%s' lacks '%s'", r.summary, text);
	free(r.summary);
	rp_plugin_output_free(&r.parsed);
}

START_TEST(test_judge)
{
	judged(0, "X OK - fine | a=1\n", RP_SPAWN_EXITED, RP_OK, "X OK - fine");
	judged(2, "X CRITICAL - 0 tables\n", RP_SPAWN_EXITED, RP_CRITICAL, "0 tables");
	/* the exit code decides, not the words */
	judged(1, "X OK - says ok\n", RP_SPAWN_EXITED, RP_WARNING, "says ok");
	judged(7, "X OK - fine\n", RP_SPAWN_EXITED, RP_UNKNOWN, "exited 7, outside 0-3: X OK");
	judged(0, "", RP_SPAWN_EXITED, RP_UNKNOWN, "printed nothing (exit 0)");
	judged(0, "", RP_SPAWN_SIGNALED, RP_UNKNOWN, "killed by signal 11");
	judged(0, "", RP_SPAWN_TIMED_OUT, RP_CRITICAL, "no answer within 10 s (stopped)");
	judged(0, "", RP_SPAWN_EXEC_FAILED, RP_UNKNOWN, "exited 127: cannot be executed");
	struct rd_result r = run_of(0, "", RP_SPAWN_EXITED);
	r.program = NULL;
	readiness_judge(&r, 10, RP_CRITICAL);
	ck_assert(strstr(r.summary, "cannot run check_x: not found") != NULL);
	free(r.summary);
}
END_TEST

/* A run of made-up results: categories and the states of their checks. */
static struct rp_check *score_run_skipping(const char *manifest, const enum rp_state *states,
                                           const bool *skipped, const char *w, const char *c)
{
	static struct rp_manifest m;
	rp_manifest_free(&m);
	char err[200];
	ck_assert_msg(rp_manifest_parse(&m, "m", manifest, err, sizeof err), "%s", err);
	size_t n = 0;
	for (size_t i = 0; i < m.ncats; i++)
		n += m.cats[i].n;
	struct rd_result *res = calloc(n, sizeof *res);
	size_t k = 0;
	for (size_t i = 0; i < m.ncats; i++)
		for (size_t j = 0; j < m.cats[i].n; j++, k++) {
			res[k].cat = &m.cats[i];
			res[k].def = &m.cats[i].checks[j];
			res[k].state = states[k];
			res[k].skipped = skipped && skipped[k];
			res[k].summary = strdup("X - why");
		}
	struct rp_thresholds t;
	rp_thresholds_init(&t);
	static const struct rp_metric_spec specs[] = { { "score", RP_UNIT_PERCENT, false, "",
		                                         NULL },
		                                       { NULL, RP_UNIT_NONE, false, NULL, NULL } };
	rp_thresholds_add(&t, specs, "score", 'w', w, err, sizeof err);
	rp_thresholds_add(&t, specs, "score", 'c', c, err, sizeof err);
	struct readiness_opts o = { 50, 0 };
	struct rp_check *root = readiness_evaluate(&m, res, n, &o, &t);
	for (size_t i = 0; i < n; i++)
		free(res[i].summary);
	free(res);
	rp_thresholds_free(&t);
	return root;
}

static struct rp_check *score_run(const char *manifest, const enum rp_state *states, const char *w,
                                  const char *c)
{
	return score_run_skipping(manifest, states, NULL, w, c);
}

static double perf(const struct rp_check *c, const char *label)
{
	for (size_t i = 0; i < c->perf.n; i++)
		if (strcmp(c->perf.items[i].label, label) == 0)
			return c->perf.items[i].value;
	ck_abort_msg("no perfdata %s", label);
	return -1;
}

START_TEST(test_score)
{
	const char *two = "[db]\nweight = 3\nblocking = yes\ncheck a = x\ncheck b = x\n"
	                  "[auth]\nweight = 1\ncheck c = x\ncheck d = x\n";
	/* db: OK, WARNING -> 75; auth: OK, UNKNOWN -> 50; (75*3 + 50) / 4 = 68.75 */
	enum rp_state s1[] = { RP_OK, RP_WARNING, RP_OK, RP_UNKNOWN };
	struct rp_check *r = score_run(two, s1, "90:", "70:");
	ck_assert(perf(r, "score") == 68.8);
	ck_assert(perf(r, "db") == 75 && perf(r, "auth") == 50);
	ck_assert(perf(r, "ok") == 2 && perf(r, "warning") == 1 && perf(r, "unknown") == 1);
	ck_assert_int_eq(rp_check_state(r), RP_CRITICAL); /* below 70 */
	rp_check_free(r);
	/* the same run with looser thresholds: the score decides, not the
	 * worst child (an UNKNOWN check does not make it UNKNOWN) */
	r = score_run(two, s1, "60:", "50:");
	ck_assert_int_eq(rp_check_state(r), RP_OK);
	ck_assert(strstr(r->text, "score 68.8/100, 2 of 4 checks OK") != NULL);
	rp_check_free(r);
	/* a CRITICAL check in a blocking category: CRITICAL, named */
	enum rp_state s2[] = { RP_OK, RP_CRITICAL, RP_OK, RP_OK };
	r = score_run(two, s2, "0:", "0:");
	ck_assert_int_eq(rp_check_state(r), RP_CRITICAL);
	ck_assert(strstr(r->text, "1 blocker: db/b (X - why)") != NULL);
	rp_check_free(r);
	/* outside a blocking category it only costs score */
	enum rp_state s3[] = { RP_OK, RP_OK, RP_OK, RP_CRITICAL };
	r = score_run(two, s3, "90:", "70:");
	ck_assert(perf(r, "score") == 87.5);
	ck_assert_int_eq(rp_check_state(r), RP_WARNING);
	rp_check_free(r);
	/* weight 0 counts for nothing */
	const char *zero = "[a]\nweight = 0\ncheck x = x\n[b]\ncheck y = x\n";
	enum rp_state s4[] = { RP_CRITICAL, RP_OK };
	r = score_run(zero, s4, "90:", "70:");
	ck_assert(perf(r, "score") == 100);
	rp_check_free(r);
	/* nothing to run */
	enum rp_state none[] = { RP_OK };
	r = score_run("[a]\n", none, "90:", "70:");
	ck_assert_int_eq(rp_check_state(r), RP_UNKNOWN);
	rp_check_free(r);
	struct readiness_opts o = { 25, 10 };
	ck_assert(readiness_check_score(RP_WARNING, &o) == 25);
	ck_assert(readiness_check_score(RP_UNKNOWN, &o) == 10);
	ck_assert(readiness_check_score(RP_CRITICAL, &o) == 0);
	ck_assert(readiness_check_score(RP_OK, &o) == 100);
}
END_TEST

/* requires: what the lines name, resolved; and every way they can be wrong */
START_TEST(test_requires_manifest)
{
	const char *text = "[readiness]\nrequires-state = warning\n"
	                   "[api]\nrequires = database\nrequires login = auth/config, cache\n"
	                   "check health = x\ncheck login = x\n"
	                   "[database]\ncheck schema = x\ncheck fresh = x\n"
	                   "[auth]\nrequires = database/schema\ncheck config = x\n"
	                   "[cache]\ncheck redis = x\n";
	struct rp_manifest m = { 0 };
	char err[600];
	ck_assert_msg(rp_manifest_parse(&m, "m.ini", text, err, sizeof err), "%s", err);
	ck_assert_msg(rp_manifest_resolve(&m, err, sizeof err), "%s", err);
	ck_assert(m.requires_warning_ok);
	const struct rp_mf_check *health = &m.cats[0].checks[0], *login = &m.cats[0].checks[1];
	ck_assert_uint_eq(health->nneeds, 2); /* database/schema and database/fresh */
	ck_assert_uint_eq(login->nneeds, 4);  /* + auth/config + cache/redis, once each */
	ck_assert_int_eq(health->depth, 1);
	ck_assert_int_eq(login->depth, 2); /* login -> auth/config -> database/schema */
	ck_assert_int_eq(m.depth, 2);
	ck_assert_str_eq(rp_manifest_category_of(&m, health->needs[0])->name, "database");
	rp_manifest_free(&m);

	struct {
		const char *text, *msg;
	} bad[] = {
		{ "[a]\nrequires = nowhere\ncheck x = x\n",
		  "m.ini, line 2: requires nowhere: no category [nowhere]" },
		{ "[a]\nrequires = b/y\ncheck x = x\n[b]\ncheck z = x\n",
		  "line 2: requires b/y: [b] has no check y" },
		{ "[a]\nrequires q = b\ncheck x = x\n[b]\ncheck z = x\n",
		  "line 2: requires q: [a] has no check q" },
		{ "[a]\nrequires = b\ncheck x = x\n[b]\nweight = 2\n",
		  "line 2: requires b: [b] has no checks" },
		{ "[a]\nrequires = a\ncheck x = x\n",
		  "line 2: a cycle of requirements: a/x -> a/x" },
		{ "[a]\ncheck x = x\nrequires x = b/y\n[b]\ncheck y = x\n[c]\ncheck z = x\n"
		  "[b]\nrequires = c\n[c]\nrequires z = a/x\n",
		  "line 11: a cycle of requirements: a/x -> b/y -> c/z -> a/x" },
		{ "[a]\nrequires = b/\n", "line 2: requires b/: CATEGORY or CATEGORY/CHECK" },
		{ "[a]\nrequires = b/c/d\n", "CATEGORY or CATEGORY/CHECK" },
		{ "[a]\nrequires bad! = b\n", "line 2: requires bad!: a check name" },
		{ "requires = b\n", "line 1: requires belongs in a category's section" },
		{ "requires-state = unknown\n", "line 1: requires-state = unknown: ok or warning" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rp_manifest b = { 0 };
		bool ok = rp_manifest_parse(&b, "m.ini", bad[i].text, err, sizeof err) &&
		          rp_manifest_resolve(&b, err, sizeof err);
		ck_assert_msg(!ok, "accepted: %s", bad[i].text);
		ck_assert_msg(strstr(err, bad[i].msg) != NULL, "'%s' lacks '%s'", err, bad[i].msg);
		rp_manifest_free(&b);
	}
}
END_TEST

static struct rd_result made_up(const struct rp_manifest *m, size_t cat, size_t check,
                                enum rp_state st)
{
	struct rd_result r = { .cat = &m->cats[cat], .def = &m->cats[cat].checks[check] };
	r.state = st;
	return r;
}

/* A skipped check names the failure behind it; met follows requires-state. */
START_TEST(test_skip_and_met)
{
	struct rp_manifest m = { 0 };
	char err[300];
	ck_assert(rp_manifest_parse(&m, "m",
	                            "[db]\ncheck schema = x\n[api]\ncheck login = x\n"
	                            "[web]\ncheck front = x\n",
	                            err, sizeof err));
	struct rd_result db = made_up(&m, 0, 0, RP_CRITICAL), api = made_up(&m, 1, 0, RP_OK),
	                 web = made_up(&m, 2, 0, RP_OK);
	ck_assert(!readiness_met(&db, true));
	ck_assert(readiness_met(&api, false));
	api.state = RP_WARNING;
	ck_assert(!readiness_met(&api, false) && readiness_met(&api, true));
	readiness_skip(&api, &db);
	ck_assert(api.skipped && api.cause == &db && api.state == RP_UNKNOWN);
	ck_assert_str_eq(api.summary, "skipped: requires db/schema (CRITICAL)");
	ck_assert(!readiness_met(&api, true)); /* skipped is never met */
	readiness_skip(&web, &api);
	ck_assert(web.cause == &db);
	ck_assert_str_eq(web.summary,
	                 "skipped: requires api/login, which requires db/schema (CRITICAL)");
	free(api.summary);
	free(web.summary);
	rp_manifest_free(&m);
}
END_TEST

/* One root cause counts once: a skipped check is in no count and no
 * score, is no blocker, and a run with one is not OK. */
START_TEST(test_score_with_skipped)
{
	const char *m = "[db]\nblocking = yes\ncheck a = x\ncheck b = x\n"
	                "[api]\nweight = 2\ncheck c = x\ncheck d = x\n"
	                "[web]\ncheck e = x\ncheck f = x\n";
	enum rp_state st[] = { RP_CRITICAL, RP_OK, RP_UNKNOWN, RP_UNKNOWN, RP_OK, RP_UNKNOWN };
	bool sk[] = { false, false, true, true, false, true };
	struct rp_check *r = score_run_skipping(m, st, sk, "90:", "70:");
	/* db 50, api not scored, web 100 (its skipped f left out): 75 */
	ck_assert(perf(r, "score") == 75 && perf(r, "db") == 50 && perf(r, "web") == 100);
	ck_assert(perf(r, "critical") == 1 && perf(r, "ok") == 2 && perf(r, "unknown") == 0);
	ck_assert(perf(r, "skipped") == 3);
	ck_assert_int_eq(rp_check_state(r), RP_CRITICAL);
	ck_assert_str_eq(r->text,
	                 "score 75/100, 1 blocker: db/a (X - why); 3 skipped (not checked)");
	/* api's group: skipped itself, its perfdata U, its state left out of nothing */
	const struct rp_check *api = NULL;
	for (size_t i = 0; i < r->nkids; i++)
		if (r->kids[i]->name && strcmp(r->kids[i]->name, "api") == 0)
			api = r->kids[i];
	ck_assert(api && api->skipped && api->nkids == 2 && api->kids[0]->skipped);
	ck_assert(strstr(api->text, "api: not scored (2 checks, all skipped, weight 2)"));
	for (size_t i = 0; i < r->perf.n; i++)
		if (strcmp(r->perf.items[i].label, "api") == 0)
			ck_assert(r->perf.items[i].unknown);
	rp_check_free(r);
	/* a score of 100 with a check skipped: WARNING, not OK */
	enum rp_state st2[] = { RP_OK, RP_OK, RP_OK, RP_OK, RP_OK, RP_UNKNOWN };
	bool sk2[] = { false, false, false, false, false, true };
	r = score_run_skipping(m, st2, sk2, "90:", "70:");
	ck_assert(perf(r, "score") == 100);
	ck_assert_int_eq(rp_check_state(r), RP_WARNING);
	ck_assert_str_eq(r->text, "score 100/100, 5 of 5 checks OK, 1 skipped (not checked)");
	rp_check_free(r);
}
END_TEST

static bool has_port(const struct rd_compose *c, const char *svc, const char *host, int port)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->ports[i].service, svc) && !strcmp(c->ports[i].host, host) &&
		    c->ports[i].port == port)
			return true;
	return false;
}

/* The compose reading of --discover: every port syntax compose has, what
 * it cannot read noted, what is not a published TCP port left out. */
START_TEST(test_compose_ports)
{
	const char *yml = "version: '3'\n"
	                  "services:\n"
	                  "  gateway:   # the front door\n"
	                  "    build: .\n"
	                  "    ports:\n"
	                  "      - \"8000:8000\"\n"
	                  "      - 127.0.0.1:8443:443/tcp\n"
	                  "      - 9000\n"
	                  "      - \"53:53/udp\"\n"
	                  "  db:\n"
	                  "    image: \"postgres:15\"\n"
	                  "    ports:\n"
	                  "    - \"${PG_PORT:-5433}:5432\"\n"
	                  "    - \"${OTHER}:1\"\n"
	                  "  cache:\n"
	                  "    image: redis\n"
	                  "    ports: [\"6380:6379\", '[::1]:6381:6379']\n"
	                  "  long:\n"
	                  "    ports:\n"
	                  "      - target: 80\n"
	                  "        published: \"8080\"\n"
	                  "        host_ip: 127.0.0.2\n"
	                  "      - target: 81\n"
	                  "        published: 8081\n"
	                  "        protocol: udp\n"
	                  "      - 7000-7002:7000-7002\n"
	                  "volumes:\n"
	                  "  data:\n"
	                  "    ports:\n"
	                  "      - 1111:1111\n";
	struct rd_compose c;
	readiness_compose_scan(yml, strlen(yml), &c);
	ck_assert_uint_eq(c.nservices, 4);
	ck_assert(has_port(&c, "gateway", "127.0.0.1", 8000));
	ck_assert(has_port(&c, "gateway", "127.0.0.1", 8443));
	ck_assert(has_port(&c, "db", "127.0.0.1", 5433));
	ck_assert_str_eq(c.ports[2].image, "postgres:15");
	ck_assert(has_port(&c, "cache", "127.0.0.1", 6380));
	ck_assert(has_port(&c, "cache", "::1", 6381));
	ck_assert(has_port(&c, "long", "127.0.0.2", 8080));
	ck_assert(has_port(&c, "long", "127.0.0.1", 7000) &&
	          has_port(&c, "long", "127.0.0.1", 7002));
	/* a container port alone, UDP, a volume's key: not published TCP ports */
	ck_assert_uint_eq(c.n, 9);
	ck_assert_uint_eq(c.nnotes, 1);
	ck_assert_str_eq(c.notes[0], "db: port ${OTHER}:1 depends on a variable without a default");
	readiness_compose_free(&c);
	/* not compose at all, and a file cut anywhere: no port, no crash */
	const char *junk[] = { "", "services:", "services:\n  a:\n    ports:\n      - \"",
		               "\tservices:\n- x", "services:\n  a:\n    ports:\n      - target:" };
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		readiness_compose_scan(junk[i], strlen(junk[i]), &c);
		ck_assert_uint_eq(c.n, 0);
		readiness_compose_free(&c);
	}
}
END_TEST

static Suite *readiness_suite(void)
{
	Suite *s = suite_create("readiness");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_split_words);
	tcase_add_test(tc, test_manifest);
	tcase_add_test(tc, test_manifest_include);
	tcase_add_test(tc, test_judge);
	tcase_add_test(tc, test_score);
	tcase_add_test(tc, test_requires_manifest);
	tcase_add_test(tc, test_skip_and_met);
	tcase_add_test(tc, test_score_with_skipped);
	tcase_add_test(tc, test_compose_ports);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(readiness_suite)
