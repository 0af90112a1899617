// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run's workloads: dispatch, the latency histogram they share and
 * the thread driver.  One file per workload beside this one.
 */
#include "workload.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const scx_workload_names[] = { "wakeup", "pipe", "mixed", NULL };

bool scx_workload_known(const char *name)
{
	for (size_t i = 0; scx_workload_names[i]; i++)
		if (!strcmp(name, scx_workload_names[i]))
			return true;
	return false;
}

uint64_t scx_wl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- log-linear histogram ------------------------------------------------- */

static unsigned bucket_of(uint64_t v)
{
	unsigned m, idx;

	if (v < (1u << SCX_LATHIST_K))
		return (unsigned)v;
	m = 63 - (unsigned)__builtin_clzll(v);
	idx = ((m - SCX_LATHIST_K + 1) << SCX_LATHIST_K) +
	      (unsigned)((v >> (m - SCX_LATHIST_K)) & ((1u << SCX_LATHIST_K) - 1));
	return idx < SCX_LATHIST_BUCKETS ? idx : SCX_LATHIST_BUCKETS - 1;
}

/* Midpoint of a bucket's value range. */
static uint64_t bucket_mid(unsigned idx)
{
	unsigned group = idx >> SCX_LATHIST_K, sub = idx & ((1u << SCX_LATHIST_K) - 1), m;
	uint64_t lo, width;

	if (group == 0)
		return idx;
	m = group + SCX_LATHIST_K - 1;
	width = 1ull << (m - SCX_LATHIST_K);
	lo = (1ull << m) + (uint64_t)sub * width;
	return lo + width / 2;
}

void scx_lathist_add(struct scx_lathist *h, uint64_t ns)
{
	h->bucket[bucket_of(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns > h->max)
		h->max = ns;
}

void scx_lathist_merge(struct scx_lathist *into, const struct scx_lathist *from)
{
	for (unsigned i = 0; i < SCX_LATHIST_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t scx_lathist_quantile(const struct scx_lathist *h, double q)
{
	uint64_t rank, seen = 0;

	if (!h->count)
		return 0;
	if (q >= 1)
		return h->max;	/* known exactly */
	rank = (uint64_t)(q * (double)h->count);
	if (rank >= h->count)
		rank = h->count - 1;
	for (unsigned i = 0; i < SCX_LATHIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen > rank) {
			uint64_t mid = bucket_mid(i);

			return mid < h->max ? mid : h->max;
		}
	}
	return h->max;
}

json_t *scx_lathist_json(const struct scx_lathist *h, const char *what)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "what", what,
			 "count", (json_int_t)h->count,
			 "p50_ns", (json_int_t)scx_lathist_quantile(h, 0.50),
			 "p90_ns", (json_int_t)scx_lathist_quantile(h, 0.90),
			 "p99_ns", (json_int_t)scx_lathist_quantile(h, 0.99),
			 "p999_ns", (json_int_t)scx_lathist_quantile(h, 0.999),
			 "max_ns", (json_int_t)h->max,
			 "mean_ns", (json_int_t)(h->count ? h->sum / h->count : 0));
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
	t0 = scx_wl_now_ns();
	for (; started < nthreads; started++) {
		r = -pthread_create(&tids[started], NULL, fn, (char *)args + started * arg_size);
		if (r < 0)
			break;
		/* Visible in top(1), and what a test scheduler can single out. */
		pthread_setname_np(tids[started], SCX_WL_THREAD_NAME);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	deadline = t0 + (uint64_t)o->duration_ms * 1000000ull;
	while (r == 0 && scx_wl_now_ns() < deadline && !(o->interrupted && *o->interrupted)) {
		uint64_t left = deadline - scx_wl_now_ns();
		struct timespec ts = { 0, (long)(left < 50000000ull ? left : 50000000ull) };

		if (left > deadline - t0)
			break;
		nanosleep(&ts, NULL);
	}
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
	return (int64_t)(scx_wl_now_ns() - t0);
}

int scx_workload_run(const struct scx_workload_opts *o, json_t **ret_figures, char *err,
		     size_t errlen)
{
	json_t *fig = NULL;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!strcmp(o->name, "cmd"))
		r = scx_workload_cmd(o, &fig, err, errlen);
	else if (!strcmp(o->name, "wakeup"))
		r = scx_workload_wakeup(o, &fig);
	else if (!strcmp(o->name, "pipe"))
		r = scx_workload_pipe(o, &fig);
	else if (!strcmp(o->name, "mixed"))
		r = scx_workload_mixed(o, &fig);
	else
		r = -EINVAL;
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
