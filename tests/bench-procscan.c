// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-procscan N [REPEAT]: how long the identity probe's fdinfo scan
 * (sched_procscan, probes/scheduler/holders.c) takes over N processes of
 * 20 fds each, one of which holds a real BPF map (root: bpf(BPF_MAP_CREATE)).
 *
 * The children are forked here, each opens its fds (/dev/null, pipes,
 * sockets, a directory: the kinds a real process holds), reports ready and
 * sleeps; they die with this process (PR_SET_PDEATHSIG).  The scan runs
 * REPEAT times (default 3) looking for the map's id, as after a BPF walk;
 * it must find exactly the one holder, by its pid, or the run fails.
 * Prints one line: N, fds, the fastest and the median scan in ms, and the
 * fastest scan's CPU time (wall time on a busy machine includes waiting).
 * Run by scripts/bench-scan.sh, not by the test suite (it is a timing).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "identity.h"

#define FDS_PER_PROC 20

static int map_create(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	return (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
}

static uint32_t map_id_of(int fd)
{
	struct bpf_map_info info;
	union bpf_attr a;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(unsigned long)&info;
	if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)) < 0)
		return 0;
	return info.id;
}

/* A child: open FDS_PER_PROC fds (beyond 0-2), the first a BPF map if asked. */
static void child(int ready_fd, bool holds_map)
{
	int n = 3, p[2];
	uint32_t id = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (holds_map) {
		int m = map_create();

		if (m < 0)
			_exit(2);
		id = map_id_of(m);
		n++;
	}
	while (n < FDS_PER_PROC) {
		switch (n % 4) {
		case 0:
			if (pipe(p) == 0)
				n += 2;
			break;
		case 1:
			if (socket(AF_UNIX, SOCK_STREAM, 0) >= 0)
				n++;
			break;
		case 2:
			if (open("/", O_RDONLY | O_DIRECTORY) >= 0)
				n++;
			break;
		default:
			if (open("/dev/null", O_RDONLY) >= 0)
				n++;
			break;
		}
	}
	if (write(ready_fd, &id, sizeof(id)) != sizeof(id))
		_exit(3);
	close(ready_fd);
	for (;;)
		pause();
}

static double now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, repeat = argc > 2 ? atoi(argv[2]) : 3;
	struct scx_probe_ctx ctx = { .name = "scheduler" };
	struct sched_bpf_ids ids;
	pid_t *pids, holder = 0;
	double *ms, *cpu;
	int ready[2], rc = 0;

	if (n < 1 || repeat < 1 || pipe(ready) < 0)
		return 2;
	pids = calloc((size_t)n, sizeof(*pids));
	ms = calloc((size_t)repeat, sizeof(*ms));
	cpu = calloc((size_t)repeat, sizeof(*cpu));
	if (!pids || !ms || !cpu)
		return 2;
	memset(&ids, 0, sizeof(ids));
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(ready[0]);
			child(ready[1], i == n / 2);
		}
		if (pids[i] < 0) {
			fprintf(stderr, "bench-procscan: fork %d: %s\n", i, strerror(errno));
			n = i;
			rc = 1;
			goto out;
		}
	}
	close(ready[1]);
	for (int i = 0; i < n; i++) {
		uint32_t id;

		if (read(ready[0], &id, sizeof(id)) != sizeof(id)) {
			fprintf(stderr, "bench-procscan: a child died before it was ready (BPF needs root)\n");
			rc = 1;
			goto out;
		}
		if (id)
			ids.map_ids[ids.n_maps++] = id;
	}
	holder = pids[n / 2];
	for (int r = 0; r < repeat; r++) {
		json_t *holders = NULL;
		double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
		int found = sched_procscan(&ctx, &ids, &holders, NULL);

		ms[r] = now_ms(CLOCK_MONOTONIC) - t0;
		cpu[r] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (found != 1 || json_integer_value(json_object_get(json_array_get(holders, 0), "pid")) !=
				  holder) {
			fprintf(stderr, "bench-procscan: expected one holder, pid %d; found %d\n",
				(int)holder, found);
			rc = 1;
		}
		json_decref(holders);
	}
	qsort(ms, (size_t)repeat, sizeof(*ms), cmp_double);
	qsort(cpu, (size_t)repeat, sizeof(*cpu), cmp_double);
	/* CPU time too: on a busy machine the wall time includes waiting for a CPU. */
	printf("%d processes x %d fds: scan %.1f ms (fastest), %.1f ms (median of %d), CPU %.1f ms (fastest)\n",
	       n, FDS_PER_PROC, ms[0], ms[repeat / 2], repeat, cpu[0]);
out:
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	free(pids);
	free(ms);
	free(cpu);
	return rc;
}
