// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wakeup: schbench-like.  Each message thread posts a request to each of its
 * workers (stamping the time and waking it through a futex), then sleeps
 * until all of them have answered.  A worker measures how long it took from
 * the post to running (wakeup latency), "thinks" for a few microseconds and
 * answers.  Figures: the workers' wakeup latency and requests per second.
 */
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THINK_NS 20000ull

struct message;

struct worker {
	struct scx_wl_run *run;
	struct message *msg;
	int go;				/* futex: 0 idle, 1 request posted */
	uint64_t posted_ns;
	struct lat_hist hist;
};

struct message {
	struct scx_wl_run *run;
	struct worker *workers;
	unsigned nworkers;
	int pending;			/* futex: answers still to come */
	uint64_t requests;
};

struct wakeup_thread {
	struct message *msg;		/* a message thread ... */
	struct worker *worker;		/* ... or a worker */
};

static void futex_wait(int *addr, int val)
{
	struct timespec ts = { 0, 100000000 };	/* re-check the stop flag now and then */

	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
}

static void futex_wake(int *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static bool stopping(const struct scx_wl_run *run)
{
	return __atomic_load_n(&run->stop, __ATOMIC_RELAXED);
}

static void *worker_main(struct worker *w)
{
	while (!stopping(w->run)) {
		uint64_t t, end;

		if (!__atomic_load_n(&w->go, __ATOMIC_ACQUIRE)) {
			futex_wait(&w->go, 0);
			continue;
		}
		t = now_mono_ns();
		lat_hist_add(&w->hist, t - w->posted_ns);
		for (end = t + THINK_NS; now_mono_ns() < end;)
			;
		__atomic_store_n(&w->go, 0, __ATOMIC_RELEASE);
		if (__atomic_sub_fetch(&w->msg->pending, 1, __ATOMIC_ACQ_REL) == 0)
			futex_wake(&w->msg->pending);
	}
	return NULL;
}

static void *message_main(struct message *m)
{
	while (!stopping(m->run)) {
		int left;

		__atomic_store_n(&m->pending, (int)m->nworkers, __ATOMIC_RELEASE);
		for (unsigned i = 0; i < m->nworkers; i++) {
			struct worker *w = &m->workers[i];

			w->posted_ns = now_mono_ns();
			__atomic_store_n(&w->go, 1, __ATOMIC_RELEASE);
			futex_wake(&w->go);
		}
		while ((left = __atomic_load_n(&m->pending, __ATOMIC_ACQUIRE)) > 0 && !stopping(m->run))
			futex_wait(&m->pending, left);
		if (left == 0)
			m->requests += m->nworkers;
	}
	return NULL;
}

static void *thread_main(void *arg)
{
	struct wakeup_thread *t = arg;

	return t->msg ? message_main(t->msg) : worker_main(t->worker);
}

struct all {
	struct message *msgs;
	unsigned nmsgs;
};

static void wake_all(void *arg)
{
	struct all *a = arg;

	for (unsigned i = 0; i < a->nmsgs; i++) {
		futex_wake(&a->msgs[i].pending);
		for (unsigned j = 0; j < a->msgs[i].nworkers; j++)
			futex_wake(&a->msgs[i].workers[j].go);
	}
}

int scx_workload_wakeup(const struct scx_workload_opts *o, json_t **ret)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct scx_wl_run run = { .ncpus = ncpu > 0 ? (unsigned)ncpu : 1 };
	/* schbench's shape, scaled to the machine: 2 message threads, 2 workers per CPU each */
	unsigned nmsgs = 2, nworkers = run.ncpus * 2 > 16 ? 16 : run.ncpus * 2;
	unsigned nthreads = nmsgs * (1 + nworkers), k = 0;
	struct message *msgs = calloc(nmsgs, sizeof(*msgs));
	struct worker *workers = calloc((size_t)nmsgs * nworkers, sizeof(*workers));
	struct wakeup_thread *threads = calloc(nthreads, sizeof(*threads));
	struct lat_hist *total = calloc(1, sizeof(*total));
	struct all all = { msgs, nmsgs };
	uint64_t requests = 0;
	int64_t elapsed;
	int r = 0;

	if (!msgs || !workers || !threads || !total) {
		r = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < nmsgs; i++) {
		msgs[i] = (struct message){ .run = &run, .workers = workers + i * nworkers,
					    .nworkers = nworkers };
		threads[k++].msg = &msgs[i];
		for (unsigned j = 0; j < nworkers; j++) {
			struct worker *w = &msgs[i].workers[j];

			w->run = &run;
			w->msg = &msgs[i];
			threads[k++].worker = w;
		}
	}
	elapsed = scx_wl_drive(&run, nthreads, thread_main, threads, sizeof(*threads), wake_all, &all, o);
	if (elapsed < 0) {
		r = (int)elapsed;
		goto out;
	}
	for (unsigned i = 0; i < nmsgs; i++) {
		requests += msgs[i].requests;
		for (unsigned j = 0; j < nworkers; j++)
			lat_hist_merge(total, &msgs[i].workers[j].hist, 1);
	}
	*ret = json_pack("{s:o, s:o, s:I, s:I}",
			 "latency", scx_lathist_json(total, "worker wakeup latency"),
			 "throughput", scx_throughput_json("requests", requests, (uint64_t)elapsed),
			 "message_threads", (json_int_t)nmsgs, "workers_per_message", (json_int_t)nworkers);
out:
	free(msgs);
	free(workers);
	free(threads);
	free(total);
	return r;
}
