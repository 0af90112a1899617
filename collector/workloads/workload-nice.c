// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nice: one nice-0 and one nice-10 CPU hog per CPU, all SCHED_OTHER.  A
 * scheduler that honours nice gives the nice-0 threads 1024 / (1024 + 110)
 * = 90.3% of the CPU (the kernel's weight table, sched_prio_to_weight[]);
 * one that ignores it gives 50%.  Figures: the nice-0 share, its distance
 * from the weight table's share, and the work done per second.
 */
#include "workload-qos.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NICE_UNIT 4096u
#define NICE_LOW 10

struct nice_thread {
	struct scx_wl_run *run;
	int nice;
	int nice_err;			/* errno of setpriority, 0 */
	uint64_t units;
};

static void *nice_main(void *arg)
{
	struct nice_thread *t = arg;
	volatile uint64_t sink = 0;

	/* Per thread on Linux: PRIO_PROCESS with a thread id. */
	if (t->nice && setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), t->nice) < 0)
		t->nice_err = errno;
	while (!__atomic_load_n(&t->run->stop, __ATOMIC_RELAXED)) {
		for (unsigned i = 0; i < NICE_UNIT; i++)
			sink += i;
		__atomic_store_n(&t->units, t->units + 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The figures from the work of the nice-0 and the nice-10 threads. */
json_t *scx_nice_figures(double work_nice0, double work_low)
{
	double expected = scx_share_expected(scx_nice_weight(0), scx_nice_weight(NICE_LOW));
	json_t *o = json_pack("{s:s, s:i, s:f, s:f}", "what", "share of the nice-0 hogs",
			      "low_nice", NICE_LOW, "expected_share", expected,
			      "expected_ratio", (double)scx_nice_weight(0) / scx_nice_weight(NICE_LOW));

	return scx_share_fill(o, scx_share_measured(work_nice0, work_low), expected);
}

int scx_workload_nice(const struct scx_workload_opts *o, json_t **ret)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct scx_wl_run run = { .ncpus = ncpu > 0 ? (unsigned)ncpu : 1 };
	unsigned n = 2 * (run.ncpus > 16 ? 16 : run.ncpus);
	struct nice_thread *t = calloc(n, sizeof(*t));
	uint64_t work[2] = { 0, 0 };
	int64_t elapsed;
	int r = 0;

	if (!t)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++)
		t[i] = (struct nice_thread){ .run = &run, .nice = i % 2 ? NICE_LOW : 0 };
	elapsed = scx_wl_drive(&run, n, nice_main, t, sizeof(*t), NULL, NULL, o);
	if (elapsed < 0) {
		r = (int)elapsed;
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		if (t[i].nice_err) {
			r = -t[i].nice_err;
			goto out;
		}
		work[i % 2] += t[i].units;
	}
	*ret = json_pack("{s:o, s:o}", "nice", scx_nice_figures((double)work[0], (double)work[1]),
			 "throughput", scx_throughput_json("work units", work[0] + work[1],
							   (uint64_t)elapsed));
out:
	free(t);
	return r;
}
