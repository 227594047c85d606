/* check_readiness --output-format html, read by a real browser: headless
 * Chromium loads the page from a file (its DOM is asserted on: the
 * verdict, the blockers, the chart with a point per recorded run) and
 * renders it to PNG (its pixels are asserted on: the chart's line is
 * drawn; the same page without a history has none, so the assertion can
 * fail). The page has no script and reaches for nothing on the network. */
#include "readiness_fixture.h"
#include "rp_file.h"
#include "rp_test.h"
#include "rp_util.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 20 runs over the past 20 days, the score climbing from 40 to 97: a
 * history as check_readiness writes it (its own schema). */
static void old_history(const char *db)
{
	struct rp_buf sql;
	rp_buf_init(&sql);
	rp_buf_puts(&sql, "CREATE TABLE runs(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, score "
	                  "REAL NOT NULL, state INTEGER NOT NULL); CREATE TABLE results(run "
	                  "INTEGER NOT NULL, category TEXT NOT NULL, name TEXT NOT NULL, state "
	                  "INTEGER NOT NULL, summary TEXT); BEGIN;");
	long long now = (long long)time(NULL);
	for (int i = 0; i < 20; i++) {
		double score = 40 + i * 3;
		rp_buf_printf(&sql, "INSERT INTO runs(at, score, state) VALUES (%lld, %g, %d);",
		              now - (20 - i) * 86400LL, score,
		              score >= 90   ? 0
		              : score >= 70 ? 1
		                            : 2);
	}
	rp_buf_puts(&sql, "COMMIT;");
	char *cmd = rp_xasprintf("sqlite3 '%s' '%s'", db, sql.data);
	ck_assert(system(cmd) == 0);
	free(cmd);
	rp_buf_free(&sql);
}

/* Chromium, headless, with a profile of its own in the test's directory. */
static void chromium(struct h_run *r, const char *what, const char *page)
{
	char *profile = rp_xasprintf("--user-data-dir=%s/chromium", dir);
	char *url = rp_xasprintf("file://%s", page);
	char *argv[] = { (char *)"chromium",
		         (char *)"--headless=new",
		         (char *)"--no-sandbox",
		         (char *)"--disable-gpu",
		         (char *)"--hide-scrollbars",
		         (char *)"--window-size=1100,1400",
		         profile,
		         (char *)what,
		         url,
		         NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	h_run_argv(r, argv, envp, 90);
	free(url);
	free(profile);
}

/* Pixels near (r, g, b) in a PNG. */
static size_t pixels_near(const char *path, int r, int g, int b)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	ck_assert_msg(png_image_begin_read_from_file(&img, path), "%s: not a PNG", path);
	img.format = PNG_FORMAT_RGB;
	png_bytep buf = malloc(PNG_IMAGE_SIZE(img));
	ck_assert(buf && png_image_finish_read(&img, NULL, buf, 0, NULL));
	size_t n = 0;
	for (size_t i = 0; i < (size_t)img.width * img.height; i++) {
		png_bytep p = buf + 3 * i;
		if (abs(p[0] - r) < 24 && abs(p[1] - g) < 24 && abs(p[2] - b) < 24)
			n++;
	}
	free(buf);
	png_image_free(&img);
	return n;
}

static char *page_of(const char *m, const char *history, const char *name)
{
	char *page = rp_xasprintf("%s/%s", dir, name);
	struct h_run r;
	if (history)
		h_run(&r, PLUGIN, "-f", m, "--history", history, "--output-format", "html",
		      "--output-file", page, NULL);
	else
		h_run(&r, PLUGIN, "-f", m, "--output-format", "html", "--output-file", page, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.out, "");
	h_run_free(&r);
	return page;
}

START_TEST(test_html_in_chromium)
{
	make_stack();
	char *db = rp_xasprintf("%s/history.db", dir);
	old_history(db);
	char *text = rp_xasprintf("[readiness]\nplugin-dir = %1$s\n"
	                          "[database]\nblocking = yes\n"
	                          "check app = check_sqlite --db %2$s/app.db\n"
	                          "check recreated = check_sqlite --db %2$s/empty.db\n"
	                          "[api]\nrequires = database\n"
	                          "check health = sh -c 'echo \"A OK - up\"'\n"
	                          "[web]\ncheck page = sh -c 'echo \"W OK - <b>fine</b>\"'\n",
	                          plugins, dir);
	char *m = manifest("stack.ini", text);
	char *page = page_of(m, db, "report.html");
	size_t len = 0;
	char *html = rp_file_read(page, 1 << 20, &len, NULL, NULL, 0);
	ck_assert(html != NULL);
	/* self-contained: nothing fetched, nothing run, no markup from a child */
	ck_assert(!strstr(html, "http://") && !strstr(html, "https://"));
	ck_assert(!strstr(html, "<script") && !strstr(html, "<b>fine"));
	ck_assert(strstr(html, "default-src 'none'"));

	struct h_run r;
	chromium(&r, "--dump-dom", page);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "<html"), "chromium: %.2000s",
	              r.raw.err ? r.raw.err : "");
	ck_assert(strstr(r.out, "<h1>READINESS CRITICAL</h1>"));
	ck_assert(strstr(r.out, "score 75/100, 1 blocker: database/recreated (has 0 tables"));
	ck_assert(strstr(r.out, "<h2>Blockers</h2>"));
	ck_assert(strstr(r.out, "<td>database/recreated</td>"));
	ck_assert(strstr(r.out, "1 check skipped: not run"));
	ck_assert(strstr(r.out, "<h2>History: score over time</h2>"));
	ck_assert(strstr(r.out, "21 runs recorded"));
	size_t points = 0;
	for (const char *p = r.out; (p = strstr(p, "<circle")); p++)
		points++;
	ck_assert_uint_eq(points, 21);
	ck_assert(strstr(r.out, "&lt;b&gt;fine&lt;/b&gt;"));
	h_run_free(&r);

	char *shot = rp_xasprintf("--screenshot=%s/page.png", dir);
	char *png = rp_xasprintf("%s/page.png", dir);
	chromium(&r, shot, page);
	ck_assert_msg(r.exit_code == 0, "chromium: %.2000s", r.raw.err ? r.raw.err : "");
	h_run_free(&r);
	size_t line = pixels_near(png, 0x09, 0x69, 0xda), red = pixels_near(png, 0xcf, 0x22, 0x2e);
	ck_assert_msg(line > 600, "the chart's line: %zu pixels", line);
	ck_assert_msg(red > 20000, "the CRITICAL header: %zu pixels", red);
	/* the same page without a history: no chart, no line */
	char *bare = page_of(m, NULL, "bare.html");
	remove(png);
	chromium(&r, shot, bare);
	ck_assert(r.exit_code == 0);
	h_run_free(&r);
	line = pixels_near(png, 0x09, 0x69, 0xda);
	ck_assert_msg(line < 50, "no chart, yet %zu pixels of its line", line);
	free(bare);
	free(png);
	free(shot);
	free(html);
	free(page);
	free(m);
	free(text);
	free(db);
}
END_TEST

static Suite *readiness_html_suite(void)
{
	Suite *s = suite_create("check_readiness_html");
	TCase *tc = tcase_create("html");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_html_in_chromium);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(readiness_html_suite)
