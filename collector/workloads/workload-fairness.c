// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fairness figures of the QoS battery (workload-qos.h), pure so that
 * the unit tests can check them on known inputs (the cgroup check's too: its
 * run is in collector/change/), and the thread starter the battery's
 * workloads share.
 */
#include "workload-qos.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <signal.h>

/*
 * kernel/sched/core.c sched_prio_to_weight[]: each nice level is ~10% of CPU
 * against its neighbour (a factor of ~1.25 in weight), nice 0 is 1024.
 */
static const unsigned prio_to_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548, 7620, 6100, 4904, 3906,
	/*  -5 */ 3121, 2501, 1991, 1586, 1277,
	/*   0 */ 1024, 820, 655, 526, 423,
	/*   5 */ 335, 272, 215, 172, 137,
	/*  10 */ 110, 87, 70, 56, 45,
	/*  15 */ 36, 29, 23, 18, 15,
};

unsigned scx_nice_weight(int nice)
{
	if (nice < -20 || nice > 19)
		return 0;
	return prio_to_weight[nice + 20];
}

double scx_jain_index(const double *x, size_t n)
{
	double sum = 0, sq = 0;

	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		sq += x[i] * x[i];
	}
	if (!n || sq <= 0)
		return NAN;
	return sum * sum / ((double)n * sq);
}

double scx_share_expected(double weight_a, double weight_b)
{
	return weight_a + weight_b > 0 ? weight_a / (weight_a + weight_b) : NAN;
}

double scx_share_measured(double work_a, double work_b)
{
	return work_a + work_b > 0 ? work_a / (work_a + work_b) : NAN;
}

double scx_share_error(double measured, double expected)
{
	return fabs(measured - expected);
}

double scx_share_to_ratio(double share_a)
{
	if (!(share_a >= 0 && share_a <= 1))
		return NAN;
	return share_a == 1 ? INFINITY : share_a / (1 - share_a);
}

int scx_wl_thread_start(pthread_t *ret, void *(*fn)(void *), void *arg)
{
	sigset_t block, old;
	int r;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	/* Threads inherit the mask: signals go to the controlling thread only. */
	pthread_sigmask(SIG_BLOCK, &block, &old);
	r = -pthread_create(ret, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0)
		pthread_setname_np(*ret, SCX_WL_THREAD_NAME);
	return r;
}

json_t *scx_share_fill(json_t *o, double share, double expected)
{
	double ratio = scx_share_to_ratio(share);

	json_object_set_new(o, "share", isfinite(share) ? json_real(share) : json_null());
	json_object_set_new(o, "share_error", isfinite(share) ? json_real(scx_share_error(share, expected))
							       : json_null());
	json_object_set_new(o, "achieved_ratio", isfinite(ratio) ? json_real(ratio) : json_null());
	return o;
}

json_t *scx_cgroup_figures(double work_light, double work_heavy, unsigned weight_light,
			   unsigned weight_heavy)
{
	double expected = scx_share_expected(weight_heavy, weight_light);
	json_t *o = json_pack("{s:s, s:[I, I], s:f, s:f}", "what", "share of the heavier cgroup",
			      "weights", (json_int_t)weight_light, (json_int_t)weight_heavy,
			      "expected_share", expected,
			      "expected_ratio", weight_light ? (double)weight_heavy / weight_light : 0.0);

	return scx_share_fill(o, scx_share_measured(work_heavy, work_light), expected);
}
