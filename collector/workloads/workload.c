// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run's workloads: dispatch, their latency figure (the one
 * histogram, lib/hist.h) and the thread driver.  One file per workload
 * beside this one.
 */
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The built-in workloads: one row each (cmd, the user's reproducer, is apart). */
static const struct {
	const char *name;
	int (*run)(const struct scx_workload_opts *o, json_t **ret);
} builtins[] = {
	{ "wakeup", scx_workload_wakeup },
	{ "pipe", scx_workload_pipe },
	{ "mixed", scx_workload_mixed },
};

const char *scx_workload_name(size_t i)
{
	return i < sizeof(builtins) / sizeof(builtins[0]) ? builtins[i].name : NULL;
}

bool scx_workload_known(const char *name)
{
	for (size_t i = 0; scx_workload_name(i); i++)
		if (!strcmp(name, builtins[i].name))
			return true;
	return false;
}

/* ---- latency figure ------------------------------------------------------- */

json_t *scx_lathist_json(const struct lat_hist *h, const char *what)
{
	struct lat_stats st;
	json_t *j;

	lat_hist_stats(h, &st);
	j = lat_stats_json(&st);
	if (j)
		json_object_set_new(j, "what", json_string(what));
	return j;
}

json_t *scx_throughput_json(const char *what, uint64_t count, uint64_t elapsed_ns)
{
	return json_pack("{s:s, s:I, s:f}", "what", what, "count", (json_int_t)count, "per_s",
			 elapsed_ns ? (double)count * 1e9 / (double)elapsed_ns : 0.0);
}

/* ---- thread driver -------------------------------------------------------- */

int64_t scx_wl_drive(struct scx_wl_run *run, unsigned nthreads, void *(*fn)(void *),
		     void *args, size_t arg_size, void (*wake)(void *), void *wake_arg,
		     const struct scx_workload_opts *o)
{
	pthread_t *tids = calloc(nthreads, sizeof(*tids));
	sigset_t block, old;
	uint64_t t0, deadline;
	unsigned started = 0;
	int r = 0;

	if (!tids)
		return -ENOMEM;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	/* Threads inherit the mask: signals go to the controlling thread only. */
	pthread_sigmask(SIG_BLOCK, &block, &old);
	t0 = now_mono_ns();
	for (; started < nthreads; started++) {
		r = -pthread_create(&tids[started], NULL, fn, (char *)args + started * arg_size);
		if (r < 0)
			break;
		/* Visible in top(1), and what a test scheduler can single out. */
		pthread_setname_np(tids[started], SCX_WL_THREAD_NAME);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	deadline = t0 + (uint64_t)o->duration_ms * 1000000ull;
	if (r == 0)
		sleep_until_ns(deadline, o->interrupted);
	__atomic_store_n(&run->stop, 1, __ATOMIC_SEQ_CST);
	if (wake)
		wake(wake_arg);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	if (r < 0)
		return r;
	if (o->interrupted && *o->interrupted)
		return -EINTR;
	return (int64_t)(now_mono_ns() - t0);
}

int scx_workload_run(const struct scx_workload_opts *o, json_t **ret_figures, char *err,
		     size_t errlen)
{
	json_t *fig = NULL;
	int r;

	if (err && errlen)
		err[0] = '\0';
	r = -EINVAL;
	if (!strcmp(o->name, "cmd"))
		r = scx_workload_cmd(o, &fig, err, errlen);
	for (size_t i = 0; scx_workload_name(i); i++)
		if (!strcmp(o->name, builtins[i].name))
			r = builtins[i].run(o, &fig);
	if (r < 0) {
		if (err && errlen && !err[0])
			snprintf(err, errlen, "workload %s: %s", o->name, strerror(-r));
		json_decref(fig);
		return r;
	}
	json_object_set_new(fig, "workload", json_string(o->name));
	*ret_figures = fig;
	return 0;
}
