#include "rp_deadline.h"
#include "rp_util.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

double rp_deadline_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double ts_seconds(const struct timespec *ts)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

void rp_deadline_start(struct rp_deadline *d, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, &d->start);
	double end = ts_seconds(&d->start) + seconds;
	d->end.tv_sec = (time_t)floor(end);
	d->end.tv_nsec = (long)((end - floor(end)) * 1e9);
	d->seconds = seconds;
}

double rp_deadline_elapsed(const struct rp_deadline *d)
{
	return rp_deadline_now() - ts_seconds(&d->start);
}

double rp_deadline_remaining(const struct rp_deadline *d)
{
	double left = ts_seconds(&d->end) - rp_deadline_now();
	return left > 0 ? left : 0;
}

int rp_deadline_remaining_ms(const struct rp_deadline *d)
{
	double left = rp_deadline_remaining(d) * 1000.0;
	if (left > 2147483000.0)
		return 2147483000;
	return (int)ceil(left);
}

bool rp_deadline_expired(const struct rp_deadline *d)
{
	return rp_deadline_remaining(d) <= 0;
}

/* Written only before the timer is armed; read only by the handler. */
static char backstop_msg[256];
static size_t backstop_len;
static int backstop_code = 2;

static void backstop_handler(int sig)
{
	(void)sig;
	ssize_t r = write(STDOUT_FILENO, backstop_msg, backstop_len);
	(void)r;
	_exit(backstop_code);
}

void rp_deadline_backstop_arm(double seconds, const char *label, enum rp_state timeout_state,
                              int exit_code)
{
	char num[RP_NUMBUF];
	int n = snprintf(backstop_msg, sizeof backstop_msg,
	                 "%s %s - no result within %s s: stopped by the plugin timeout "
	                 "(-t); a peer or the disk did not answer in time\n",
	                 label, rp_state_text(timeout_state), rp_number_format(seconds, num));
	backstop_len =
	        n < 0 ? 0
	              : ((size_t)n >= sizeof backstop_msg ? sizeof backstop_msg - 1 : (size_t)n);
	backstop_code = exit_code;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = backstop_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	double when = seconds + RP_BACKSTOP_GRACE;
	struct itimerval it;
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)floor(when);
	it.it_value.tv_usec = (suseconds_t)((when - floor(when)) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

void rp_deadline_backstop_disarm(void)
{
	struct itimerval it;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
}
