/* rp_test.h: what every Check-based test program shares. */
#ifndef RP_TEST_H
#define RP_TEST_H

#include <check.h>
#include <stdlib.h>

/* Runs the suite (CK_VERBOSITY from the environment) and exits 0 only
 * when every test passed. */
#define RP_TEST_MAIN(make_suite)                                                                   \
	int main(void)                                                                             \
	{                                                                                          \
		SRunner *sr = srunner_create(make_suite());                                        \
		srunner_run_all(sr, CK_ENV);                                                       \
		int failed = srunner_ntests_failed(sr);                                            \
		srunner_free(sr);                                                                  \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                       \
	}

#endif
