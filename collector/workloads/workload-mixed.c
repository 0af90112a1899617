// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mixed: the interactive-under-load case.  One CPU hog per online CPU (plain
 * SCHED_OTHER busy loops) and one periodic thread that sleeps to an absolute
 * 1 ms tick and records how late it woke.  Figures: the periodic thread's
 * wake-up lateness and the hogs' progress (work units per second).
 */
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS 1000000ull
#define HOG_UNIT 4096u

struct mixed_thread {
	struct scx_wl_run *run;
	bool periodic;
	uint64_t units;
	struct lat_hist *hist;
};

static void *mixed_main(void *arg)
{
	struct mixed_thread *t = arg;

	if (t->periodic) {
		uint64_t next = now_mono_ns() + PERIOD_NS;

		while (!__atomic_load_n(&t->run->stop, __ATOMIC_RELAXED)) {
			struct timespec ts = { (time_t)(next / 1000000000ull), (long)(next % 1000000000ull) };
			uint64_t now;

			if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
				continue;
			now = now_mono_ns();
			lat_hist_add(t->hist, now - next);
			next += PERIOD_NS;
			/* Fell behind by more than a period: count from now, do not burst. */
			if (next < now)
				next = now + PERIOD_NS;
		}
	} else {
		volatile uint64_t sink = 0;

		while (!__atomic_load_n(&t->run->stop, __ATOMIC_RELAXED)) {
			for (unsigned i = 0; i < HOG_UNIT; i++)
				sink += i;
			t->units++;
		}
	}
	return NULL;
}

int scx_workload_mixed(const struct scx_workload_opts *o, json_t **ret)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct scx_wl_run run = { .ncpus = ncpu > 0 ? (unsigned)ncpu : 1 };
	unsigned nthreads = run.ncpus + 1;
	struct mixed_thread *t = calloc(nthreads, sizeof(*t));
	struct lat_hist *hist = calloc(1, sizeof(*hist));
	uint64_t units = 0;
	int64_t elapsed;
	int r = 0;

	if (!t || !hist) {
		r = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < nthreads; i++)
		t[i] = (struct mixed_thread){ &run, i == 0, 0, hist };
	elapsed = scx_wl_drive(&run, nthreads, mixed_main, t, sizeof(*t), NULL, NULL, o);
	if (elapsed < 0) {
		r = (int)elapsed;
		goto out;
	}
	for (unsigned i = 1; i < nthreads; i++)
		units += t[i].units;
	*ret = json_pack("{s:o, s:o, s:I}",
			 "latency", scx_lathist_json(hist, "periodic thread wake-up lateness"),
			 "throughput", scx_throughput_json("hog work units", units, (uint64_t)elapsed),
			 "hogs", (json_int_t)run.ncpus);
out:
	free(t);
	free(hist);
	return r;
}
