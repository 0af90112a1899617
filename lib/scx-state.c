// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sched_ext's sysfs state and the event-driven wait for it (scx-state.h).
 *
 * When the kernel's events come, relative to sysfs (kernel/sched/ext.c,
 * checked against 6.12 to 7.x):
 *   enable:  root/ops appears when the root kobject is added, early, while
 *            state still reads "enabling"; then state turns "enabled", the
 *            `add` uevent is sent, the enable mutex is released and only
 *            then enable_seq is incremented.
 *   disable: state turns "disabling"; the root kobject is deleted (root/ops
 *            gone, the `remove` uevent); the enable mutex is released and
 *            only then state turns "disabled".
 *   an enable that fails before "enabled" sends neither event (the kernel
 *            sends `remove` only for a kobject whose `add` went out).
 * So an event can come a moment before the sysfs state the wait wants:
 * after each sched_ext event sysfs is read again at once and then at 1, 2,
 * 4, ... ms until the safety interval (the follow-up window), which catches
 * the last step of either path within a millisecond or two of it.
 */
#include "scx-state.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uevent.h"
#include "util.h"

#define POLL_FALLBACK_MS 50u
#define SAFETY_MS_DEFAULT 1000u

static bool getenv_bool(const char *name)
{
	const char *v = getenv(name);

	return v && v[0] && strcmp(v, "0");
}

void scx_sysfs_read_at(const char *dir, struct scx_sysfs_state *st)
{
	char path[4096], *s = NULL;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	st->enable_seq = -1;
	snprintf(path, sizeof(path), "%s/state", dir);
	if (read_one_line(path, &s) >= 0)
		snprintf(st->state, sizeof(st->state), "%s", s);
	free(s);
	s = NULL;
	snprintf(path, sizeof(path), "%s/root/ops", dir);
	if (read_one_line(path, &s) >= 0)
		snprintf(st->ops, sizeof(st->ops), "%s", s);
	free(s);
	s = NULL;
	snprintf(path, sizeof(path), "%s/enable_seq", dir);
	if (read_one_line(path, &s) >= 0 && safe_atou64(s, &v) >= 0)
		st->enable_seq = (int64_t)v;
	free(s);
}

void scx_sysfs_read(struct scx_sysfs_state *st)
{
	scx_sysfs_read_at(SCX_SYSFS_DIR, st);
}

bool scx_sysfs_same(const struct scx_sysfs_state *a, const struct scx_sysfs_state *b)
{
	return !strcmp(a->state, b->state) && !strcmp(a->ops, b->ops) && a->enable_seq == b->enable_seq;
}

bool scx_want_met(const struct scx_want *w, const struct scx_sysfs_state *st)
{
	if (!w->loaded)
		return !st->ops[0] && (!w->settled || !strcmp(st->state, "disabled"));
	if (!st->ops[0] || (w->ops && w->ops[0] && strcmp(st->ops, w->ops)))
		return false;
	if (w->settled && strcmp(st->state, "enabled"))
		return false;
	return st->enable_seq > w->seq_after;
}

/* Take every queued datagram; true when one was a sched_ext event or events were lost. */
static bool drain(int fd, bool any_sender, struct scx_wait_stats *s)
{
	bool woke = false;

	for (int i = 0; i < 4096; i++) {
		struct scx_uevent u;
		int r = scx_uevent_recv(fd, MSG_DONTWAIT, any_sender, &u);

		if (r == -EINTR || r == 0)
			continue;
		if (r == -ENOBUFS) {
			/* The socket overran: what was lost may have been ours. */
			s->lost++;
			woke = true;
			continue;
		}
		if (r < 0)
			break;	/* -EAGAIN: all taken */
		if (!strncmp(u.devpath, "/kernel/sched_ext", 17)) {
			s->events++;
			woke = true;
		}
	}
	return woke;
}

int scx_state_wait(const struct scx_want *w, uint64_t deadline_ns, const struct scx_wait_opts *o,
		   struct scx_sysfs_state *ret_last, struct scx_wait_stats *ret_stats)
{
	static const struct scx_wait_opts none = { .uevent_fd = -1, .pidfd = -1 };
	struct scx_wait_stats s = { 0 };
	struct scx_sysfs_state st;
	const char *dir;
	unsigned safety_ms, followup_ms = 0;
	int ufd, own_fd = -1, r;

	if (!o)
		o = &none;
	dir = o->sysfs ? o->sysfs : SCX_SYSFS_DIR;
	safety_ms = o->safety_ms ? o->safety_ms : SAFETY_MS_DEFAULT;
	ufd = o->uevent_fd;
	/* Listen before the first read: an event between the two is not lost. */
	/* SCX_REPORT_NO_UEVENTS=1: the polling fallback on purpose (a kernel whose events misbehave). */
	if (ufd < 0 && !o->no_uevents && !getenv_bool("SCX_REPORT_NO_UEVENTS"))
		ufd = own_fd = scx_uevent_open();
	s.polled = ufd < 0;
	for (bool read_now = true;;) {
		struct pollfd pfd[2];
		nfds_t n = 0;
		uint64_t now, left, wait_ms;
		struct timespec ts;
		int ui = -1, pi = -1;

		if (read_now) {
			scx_sysfs_read_at(dir, &st);
			s.reads++;
			if (scx_want_met(w, &st)) {
				r = 0;
				break;
			}
		}
		now = now_mono_ns();
		if (now >= deadline_ns) {
			r = -ETIMEDOUT;
			break;
		}
		/*
		 * The next re-read without an event: in the follow-up window after
		 * one, on the safety interval otherwise.  The safety re-read exists
		 * only for events that never come: a socket that overran without
		 * saying so in time, a kernel or container that sends none; it
		 * never decides earlier than sysfs does.  Without a socket: the
		 * old 50 ms polling.
		 */
		wait_ms = s.polled ? POLL_FALLBACK_MS : followup_ms ? followup_ms : safety_ms;
		left = deadline_ns - now;
		if (left < wait_ms * 1000000ull)
			wait_ms = (left + 999999ull) / 1000000ull;
		ts = (struct timespec){ .tv_sec = (time_t)(wait_ms / 1000),
					.tv_nsec = (long)(wait_ms % 1000) * 1000000L };
		if (ufd >= 0) {
			ui = (int)n;
			pfd[n++] = (struct pollfd){ .fd = ufd, .events = POLLIN };
		}
		if (o->pidfd >= 0) {
			pi = (int)n;
			pfd[n++] = (struct pollfd){ .fd = o->pidfd, .events = POLLIN };
		}
		r = ppoll(pfd, n, &ts, NULL);
		if (r < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		read_now = r <= 0;
		if (r <= 0) {
			/* Time passed with no event (or a signal): the next re-read. */
			if (followup_ms) {
				s.followups++;
				followup_ms = followup_ms * 2 > safety_ms ? 0 : followup_ms * 2;
			} else if (r == 0 && !s.polled) {
				s.safety++;
			}
			continue;
		}
		if (pi >= 0 && (pfd[pi].revents & (POLLIN | POLLHUP | POLLERR))) {
			/* It exited: one last look, a load just before the exit counts. */
			scx_sysfs_read_at(dir, &st);
			s.reads++;
			r = scx_want_met(w, &st) ? 0 : -ESRCH;
			break;
		}
		/* Only a sched_ext event (or a lost one) is worth a read; others are dropped. */
		if (ui >= 0 && (pfd[ui].revents & (POLLIN | POLLERR)) && drain(ufd, o->any_sender, &s)) {
			followup_ms = 1;
			read_now = true;
		}
	}
	if (own_fd >= 0)
		close(own_fd);
	if (ret_last)
		*ret_last = st;
	if (ret_stats)
		*ret_stats = s;
	return r;
}
