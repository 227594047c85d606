/* Running children: exit codes, signals, exec failures, caps, deadlines,
 * and a grandchild that holds the pipe open. */
#include "rp_spawn.h"
#include "rp_test.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static struct rp_spawn_result run(const char *script, double timeout, size_t cap)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)script, NULL };
	struct rp_spawn_opts o = { .timeout = timeout, .cap = cap, .kill_grace = 0.5 };
	struct rp_spawn_result r;
	ck_assert(rp_spawn(argv, &o, &r));
	return r;
}

START_TEST(test_exit_and_output)
{
	struct rp_spawn_result r = run("echo out; echo err >&2; exit 2", 5, 1024);
	ck_assert_int_eq(r.outcome, RP_SPAWN_EXITED);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_str_eq(r.out, "out\n");
	ck_assert_str_eq(r.err, "err\n");
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_signal)
{
	struct rp_spawn_result r = run("kill -SEGV $$", 5, 1024);
	ck_assert_int_eq(r.outcome, RP_SPAWN_SIGNALED);
	ck_assert_int_eq(r.term_signal, SIGSEGV);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_exec_failure)
{
	char *argv[] = { (char *)"/nonexistent/check_nothing", NULL };
	struct rp_spawn_opts o = { .timeout = 5, .cap = 1024 };
	struct rp_spawn_result r;
	ck_assert(rp_spawn(argv, &o, &r));
	ck_assert_int_eq(r.outcome, RP_SPAWN_EXEC_FAILED);
	ck_assert_int_eq(r.exec_errno, ENOENT);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_cap)
{
	struct rp_spawn_result r = run("yes | head -c 1000000", 10, 4096);
	ck_assert_int_eq(r.outcome, RP_SPAWN_EXITED);
	ck_assert_uint_eq(r.out_len, 4096);
	ck_assert(r.out_truncated);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_deadline)
{
	struct rp_spawn_result r = run("trap '' TERM; sleep 30", 0.5, 1024);
	ck_assert_int_eq(r.outcome, RP_SPAWN_TIMED_OUT);
	/* TERM ignored: SIGKILL after the 0.5 s grace */
	ck_assert_msg(r.elapsed < 3.0, "took %f s", r.elapsed);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_grandchild_holding_pipe)
{
	/* The child exits at once; its background grandchild keeps stdout. */
	struct rp_spawn_result r = run("sleep 30 & echo done; exit 0", 10, 1024);
	ck_assert_int_eq(r.outcome, RP_SPAWN_EXITED);
	ck_assert_str_eq(r.out, "done\n");
	ck_assert_msg(r.elapsed < 3.0, "took %f s", r.elapsed);
	rp_spawn_result_free(&r);
}
END_TEST

START_TEST(test_env_and_stdin)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"echo $RP_X; cat", NULL };
	char *envp[] = { (char *)"RP_X=hello", (char *)"PATH=/usr/bin:/bin", NULL };
	struct rp_spawn_opts o = { .timeout = 5, .cap = 1024, .envp = envp, .stdin_data = "in" };
	struct rp_spawn_result r;
	ck_assert(rp_spawn(argv, &o, &r));
	ck_assert_str_eq(r.out, "hello\nin");
	rp_spawn_result_free(&r);
}
END_TEST

static Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_exit_and_output);
	tcase_add_test(tc, test_signal);
	tcase_add_test(tc, test_exec_failure);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_deadline);
	tcase_add_test(tc, test_grandchild_holding_pipe);
	tcase_add_test(tc, test_env_and_stdin);
	suite_add_tcase(s, tc);
	return s;
}

RP_TEST_MAIN(spawn_suite)
