// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu: twice as many CPU-bound threads as CPUs (at most 32), all equal, so
 * that the scheduler has to share every CPU.  Figures: the work done per
 * second (throughput) and how evenly it was shared: Jain's index of the
 * threads' progress (1 = perfectly even, 1/n = one thread got everything).
 */
#include "workload-qos.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define CPU_UNIT 4096u
#define CPU_MAX_THREADS 32u

struct cpu_thread {
	struct scx_wl_run *run;
	uint64_t units;
};

static void *cpu_main(void *arg)
{
	struct cpu_thread *t = arg;
	volatile uint64_t sink = 0;

	while (!__atomic_load_n(&t->run->stop, __ATOMIC_RELAXED)) {
		for (unsigned i = 0; i < CPU_UNIT; i++)
			sink += i;
		__atomic_store_n(&t->units, t->units + 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Shares of the total, the figures of one run. */
static json_t *fairness_json(const struct cpu_thread *t, unsigned n)
{
	double *x = calloc(n, sizeof(*x)), lo = INFINITY, hi = 0, sum = 0, jain;
	json_t *o;

	if (!x)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		x[i] = (double)t[i].units;
		sum += x[i];
		lo = fmin(lo, x[i]);
		hi = fmax(hi, x[i]);
	}
	jain = scx_jain_index(x, n);
	free(x);
	o = json_pack("{s:s, s:I, s:f, s:f}", "what", "Jain's index of per-thread progress",
		      "threads", (json_int_t)n, "min_share", sum > 0 ? lo / sum : 0.0,
		      "max_share", sum > 0 ? hi / sum : 0.0);
	json_object_set_new(o, "jain_index", isfinite(jain) ? json_real(jain) : json_null());
	return o;
}

int scx_workload_cpu(const struct scx_workload_opts *o, json_t **ret)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct scx_wl_run run = { .ncpus = ncpu > 0 ? (unsigned)ncpu : 1 };
	unsigned n = run.ncpus * 2 > CPU_MAX_THREADS ? CPU_MAX_THREADS : run.ncpus * 2;
	struct cpu_thread *t = calloc(n, sizeof(*t));
	uint64_t units = 0;
	int64_t elapsed;
	json_t *fair;

	if (!t)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++)
		t[i].run = &run;
	elapsed = scx_wl_drive(&run, n, cpu_main, t, sizeof(*t), NULL, NULL, o);
	if (elapsed < 0) {
		free(t);
		return (int)elapsed;
	}
	for (unsigned i = 0; i < n; i++)
		units += t[i].units;
	fair = fairness_json(t, n);
	free(t);
	if (!fair)
		return -ENOMEM;
	*ret = json_pack("{s:o, s:o}", "throughput",
			 scx_throughput_json("work units", units, (uint64_t)elapsed), "fairness", fair);
	return 0;
}
