// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * messaging: hackbench (perf bench sched messaging) in threads mode, scaled
 * down.  A round is one group per CPU (at most 4), each of 10 senders and 10
 * receivers; every receiver owns a socketpair, every sender writes 20
 * messages of 100 bytes to every receiver of its group, and the round ends
 * when every receiver has read all of them.  Threads are created for each
 * round, as hackbench does, so placing new tasks counts too.  Rounds repeat
 * for the duration.  Figures: the time one round takes, and messages per
 * second.
 */
#include "workload-qos.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG_SIZE 100u
#define MSG_LOOPS 20u
#define MSG_PEERS 10u
#define MSG_MAX_GROUPS 4u

struct msg_thread {
	bool sender;
	int fd;			/* receiver: its end; sender: unused */
	const int *peer_fds;	/* sender: the receivers' write ends */
	int err;
};

static void *msg_main(void *arg)
{
	struct msg_thread *t = arg;
	char buf[MSG_SIZE * 4] = { 0 };

	if (t->sender) {
		for (unsigned l = 0; l < MSG_LOOPS; l++)
			for (unsigned j = 0; j < MSG_PEERS; j++) {
				size_t done = 0;

				while (done < MSG_SIZE) {
					ssize_t w = write(t->peer_fds[j], buf + done, MSG_SIZE - done);

					if (w < 0 && errno == EINTR)
						continue;
					if (w <= 0) {
						t->err = w < 0 ? errno : EIO;
						return NULL;
					}
					done += (size_t)w;
				}
			}
	} else {
		size_t want = (size_t)MSG_SIZE * MSG_LOOPS * MSG_PEERS, got = 0;

		while (got < want) {
			ssize_t rd = read(t->fd, buf, sizeof(buf) < want - got ? sizeof(buf) : want - got);

			if (rd < 0 && errno == EINTR)
				continue;
			if (rd <= 0) {
				t->err = rd < 0 ? errno : EPIPE;
				return NULL;
			}
			got += (size_t)rd;
		}
	}
	return NULL;
}

/* One round: returns its duration in ns or -errno. */
static int64_t one_round(unsigned groups, int (*fds)[2], int *wfds, struct msg_thread *t, pthread_t *tids)
{
	unsigned n = groups * 2 * MSG_PEERS, started = 0;
	uint64_t t0 = now_mono_ns();
	int r = 0;

	for (unsigned g = 0; g < groups; g++)
		for (unsigned j = 0; j < MSG_PEERS; j++) {
			unsigned k = g * MSG_PEERS + j;

			t[2 * k] = (struct msg_thread){ .sender = false, .fd = fds[k][0] };
			t[2 * k + 1] = (struct msg_thread){ .sender = true, .fd = -1,
							    .peer_fds = wfds + g * MSG_PEERS };
		}
	for (; started < n; started++)
		if ((r = scx_wl_thread_start(&tids[started], msg_main, &t[started])) < 0)
			break;
	/* Receivers that will never get their bytes would wait forever. */
	if (r < 0)
		for (unsigned k = 0; k < groups * MSG_PEERS; k++)
			shutdown(fds[k][0], SHUT_RDWR);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	for (unsigned i = 0; r == 0 && i < n; i++)
		if (t[i].err)
			r = -t[i].err;
	return r < 0 ? r : (int64_t)(now_mono_ns() - t0);
}

int scx_workload_messaging(const struct scx_workload_opts *o, json_t **ret)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned groups = ncpu > 0 ? (ncpu > MSG_MAX_GROUPS ? MSG_MAX_GROUPS : (unsigned)ncpu) : 1;
	unsigned nrecv = groups * MSG_PEERS, n = 2 * nrecv, made = 0;
	int (*fds)[2] = calloc(nrecv, sizeof(*fds)), *wfds = calloc(nrecv, sizeof(*wfds));
	struct msg_thread *t = calloc(n, sizeof(*t));
	pthread_t *tids = calloc(n, sizeof(*tids));
	struct lat_hist *hist = calloc(1, sizeof(*hist));
	uint64_t t0 = now_mono_ns(), deadline = t0 + (uint64_t)o->duration_ms * 1000000ull, rounds = 0;
	int r = 0;

	if (!fds || !wfds || !t || !tids || !hist) {
		r = -ENOMEM;
		goto out;
	}
	for (; made < nrecv; made++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds[made]) < 0) {
			r = -errno;
			goto out;
		}
		wfds[made] = fds[made][1];
	}
	/* At least one round, however short the duration. */
	do {
		int64_t d;

		if (o->interrupted && *o->interrupted) {
			r = -EINTR;
			goto out;
		}
		d = one_round(groups, fds, wfds, t, tids);
		if (d < 0) {
			r = (int)d;
			goto out;
		}
		lat_hist_add(hist, (uint64_t)d);
		rounds++;
	} while (now_mono_ns() < deadline);
	*ret = json_pack("{s:o, s:o, s:I, s:I, s:I}",
			 "latency", scx_lathist_json(hist, "time of one messaging round"),
			 "throughput", scx_throughput_json("messages",
				rounds * groups * MSG_PEERS * MSG_PEERS * MSG_LOOPS, now_mono_ns() - t0),
			 "groups", (json_int_t)groups, "senders_per_group", (json_int_t)MSG_PEERS,
			 "receivers_per_group", (json_int_t)MSG_PEERS);
out:
	for (unsigned i = 0; i < made; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	free(fds);
	free(wfds);
	free(t);
	free(tids);
	free(hist);
	return r;
}
