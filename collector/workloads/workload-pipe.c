// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pipe: two threads pass one byte back and forth over two pipes (like
 * `perf bench sched pipe`): every round trip is two wakeups.  Figures: round
 * trips per second and the round-trip time.
 */
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct pipe_thread {
	struct scx_wl_run *run;
	int rfd, wfd;
	bool leader;			/* measures, and ends the game */
	uint64_t trips;
	struct lat_hist *hist;
};

static void *pipe_main(void *arg)
{
	struct pipe_thread *t = arg;
	char c = 'x';

	for (;;) {
		uint64_t t0 = 0;

		if (t->leader) {
			if (__atomic_load_n(&t->run->stop, __ATOMIC_RELAXED))
				break;
			t0 = now_mono_ns();
			if (write(t->wfd, &c, 1) != 1)
				break;
		}
		if (read(t->rfd, &c, 1) != 1)
			break;
		if (t->leader) {
			lat_hist_add(t->hist, now_mono_ns() - t0);
			t->trips++;
		} else if (write(t->wfd, &c, 1) != 1) {
			break;
		}
	}
	/* Closing our write end ends the other side's read with EOF. */
	close(t->wfd);
	t->wfd = -1;
	return NULL;
}

int scx_workload_pipe(const struct scx_workload_opts *o, json_t **ret)
{
	struct scx_wl_run run = { 0 };
	struct lat_hist *hist = calloc(1, sizeof(*hist));
	struct pipe_thread t[2];
	int ab[2] = { -1, -1 }, ba[2] = { -1, -1 }, r = 0;
	int64_t elapsed;

	if (!hist)
		return -ENOMEM;
	if (pipe2(ab, O_CLOEXEC) < 0 || pipe2(ba, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	t[0] = (struct pipe_thread){ &run, ba[0], ab[1], true, 0, hist };
	t[1] = (struct pipe_thread){ &run, ab[0], ba[1], false, 0, NULL };
	elapsed = scx_wl_drive(&run, 2, pipe_main, t, sizeof(t[0]), NULL, NULL, o);
	ab[1] = t[0].wfd;	/* closed by the threads */
	ba[1] = t[1].wfd;
	if (elapsed < 0) {
		r = (int)elapsed;
		goto out;
	}
	*ret = json_pack("{s:o, s:o}", "latency", scx_lathist_json(hist, "pipe round-trip time"),
			 "throughput", scx_throughput_json("round trips", t[0].trips, (uint64_t)elapsed));
out:
	for (int i = 0; i < 2; i++) {
		if (ab[i] >= 0)
			close(ab[i]);
		if (ba[i] >= 0)
			close(ba[i]);
	}
	free(hist);
	return r;
}
