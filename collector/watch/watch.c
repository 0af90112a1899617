// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The watcher's loop (watch.h).  It sleeps in recv(2) on the uevent socket:
 * no timer, no polling, so an idle watcher costs no CPU.  On `remove` of
 * /kernel/sched_ext/root it waits settle_ms for the scheduler's process to
 * print its last words (the dump on its stderr, into its unit's journal),
 * takes the tracefs instance's buffer, and runs a snapshot collection (no
 * latency, no paired run) in a child process, so that whatever goes wrong
 * in it (a crash, a leak) stays there.  Then it prunes the spool.
 *
 * Its own failures (no tracefs, spool full, disk full, a failed capture)
 * are logged once per kind and never stop it.
 */
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "collect.h"
#include "spool.h"
#include "uevent.h"
#include "util.h"
#include "watch.h"

#define TRACE_MAX (8u << 20)

enum { FAIL_TRACE = 1, FAIL_SPOOL = 2, FAIL_CAPTURE = 4, FAIL_PRUNE = 8, FAIL_RECV = 16 };

static volatile sig_atomic_t stop;
static unsigned logged;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Log a failure of a kind once; later ones of the same kind go unsaid. */
static void fail_once(unsigned kind, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (logged & kind)
		return;
	logged |= kind;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	scx_log_error("watch: %s (logged once)", buf);
}

static void write_capture_files(const char *dir, const char *trace, size_t tlen, const char *ops,
				uint64_t real_ns, const char *devpath)
{
	_cleanup_free_ char *dump = NULL;
	char path[PATH_MAX], t[40];
	size_t dlen = 0;
	json_t *info;
	char *s;

	if (trace) {
		snprintf(path, sizeof(path), "%s/trace.txt", dir);
		write_file_full(path, trace, tlen, 0600);
		if (scx_trace_dump_text(trace, tlen, &dump, &dlen) == 0) {
			snprintf(path, sizeof(path), "%s/dump.txt", dir);
			write_file_full(path, dump, dlen, 0600);
		}
	}
	format_utc(t, sizeof(t), real_ns, true);
	info = json_pack("{s:s, s:s, s:s, s:s, s:b}", "trigger", "ejection", "uevent",
			 "remove", "devpath", devpath, "time", t, "trace", trace != NULL);
	json_object_set_new(info, "ops", ops && *ops ? json_string(ops) : json_null());
	s = json_dumps(info, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (s) {
		snprintf(path, sizeof(path), "%s/info.json", dir);
		write_file_full(path, s, strlen(s), 0600);
		free(s);
	}
	json_decref(info);
}

/* The snapshot collection, in a child; returns its exit code or -errno. */
static int run_collect(const char *output, const char *capture_dir)
{
	char *argv[] = { "watch", "capture", NULL };
	struct scx_options o = {
		.output = output, .latency = false, .paired = false, .duration_s = 1, .sysroot = "",
		.workload = "wakeup", .rounds = 1, .capture_dir = capture_dir, .argc = 2, .argv = argv,
	};
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		scx_log_quiet = 1;
		_exit(scx_collect(scx_probes, &o));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool capture(const struct scx_watch_opts *o, struct scx_trace *tr, const char *ops,
		    const char *devpath)
{
	struct timespec settle = { o->settle_ms / 1000, (long)(o->settle_ms % 1000) * 1000000L };
	_cleanup_free_ char *trace = NULL;
	char tmp[PATH_MAX], name[256], out[PATH_MAX], boot[33] = "unknown";
	uint64_t real_ns;
	size_t tlen = 0;
	unsigned removed = 0;
	int r;

	nanosleep(&settle, NULL);
	real_ns = now_real_ns();
	if (tr->armed && scx_trace_take(tr, TRACE_MAX, &trace, &tlen) < 0)
		fail_once(FAIL_TRACE, "cannot read the trace instance %s", tr->dir);
	/*
	 * The kernel dumps only on an error exit (kind >= 1024): a scheduler that
	 * was stopped on purpose leaves the buffer empty and is not captured.
	 * Without tracefs we cannot tell, and capture anyway.
	 */
	if (tr->armed && trace && !memmem(trace, tlen, "sched_ext_dump: ", 16)) {
		scx_log_info("watch: %s stopped without an error, nothing captured",
			     ops && *ops ? ops : "the scheduler");
		return false;
	}
	scx_boot_id("", boot);
	r = scx_spool_prepare(o->spool);
	if (r < 0) {
		fail_once(FAIL_SPOOL, "spool %s: %s", o->spool, strerror(-r));
		return true;
	}
	snprintf(tmp, sizeof(tmp), "%s/.capture-XXXXXX", o->spool);
	if (!mkdtemp(tmp)) {
		fail_once(FAIL_SPOOL, "spool %s: %s%s", o->spool, strerror(errno),
			  errno == ENOSPC ? " (disk full)" : "");
		return true;
	}
	write_capture_files(tmp, trace, tlen, ops, real_ns, devpath);
	scx_spool_name(name, sizeof(name), real_ns, boot, ops);
	snprintf(out, sizeof(out), "%s/%s", o->spool, name);
	r = run_collect(out, tmp);
	rm_rf(tmp);
	if (r != 0)
		fail_once(FAIL_CAPTURE, "the snapshot of the ejection of %s failed (exit %d%s)",
			  ops && *ops ? ops : "the scheduler", r, r == 1 ? ": spool full or disk full?" : "");
	else
		scx_log_info("watch: %s stopped: captured %s", ops && *ops ? ops : "the scheduler", out);
	r = scx_spool_prune(o->spool, o->max_count, o->max_bytes, &removed);
	if (r < 0)
		fail_once(FAIL_PRUNE, "pruning the spool %s: %s", o->spool, strerror(-r));
	return true;
}

static void current_ops(char *buf, size_t len)
{
	_cleanup_free_ char *line = NULL;

	buf[0] = '\0';
	if (read_one_line("/sys/kernel/sched_ext/root/ops", &line) >= 0)
		snprintf(buf, len, "%s", line);
}

int scx_watch_run(const struct scx_watch_opts *o)
{
	struct sigaction sa = { .sa_handler = on_stop };	/* no SA_RESTART: recv returns */
	_cleanup_close_ int fd = -1;
	struct scx_trace tr;
	char err[256], ops[128];
	unsigned captures = 0;
	int r;

	r = scx_spool_prepare(o->spool);
	if (r < 0)
		fail_once(FAIL_SPOOL, "spool %s: %s", o->spool, strerror(-r));
	fd = scx_uevent_open();
	if (fd < 0) {
		scx_log_error("watch: cannot listen to kernel uevents: %s", strerror(-fd));
		return fd;
	}
	r = scx_trace_arm(&tr, err, sizeof(err));
	if (r < 0)
		fail_once(FAIL_TRACE, "%s: captures will hold no debug dump", err);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	current_ops(ops, sizeof(ops));
	scx_log_info("watch: waiting for sched_ext ejections (spool %s, at most %u captures and "
		     "%llu MiB)%s%s", o->spool, o->max_count, (unsigned long long)(o->max_bytes >> 20),
		     *ops ? "; running now: " : "", ops);

	while (!stop) {
		struct scx_uevent u;

		r = scx_uevent_recv(fd, 0, false, &u);
		if (r == -EINTR)
			continue;
		if (r == -ENOBUFS) {	/* overrun: we may have missed an add */
			current_ops(ops, sizeof(ops));
			continue;
		}
		if (r < 0) {
			fail_once(FAIL_RECV, "reading uevents: %s", strerror(-r));
			continue;
		}
		/* Only the kernel (port 0) speaks on group 1: scx_uevent_recv checks. */
		if (r == 0 || !scx_uevent_is_root(&u))
			continue;
		if (!strcmp(u.action, "add")) {
			snprintf(ops, sizeof(ops), "%s", u.scxops);
		} else if (!strcmp(u.action, "remove")) {
			bool took = capture(o, &tr, ops, u.devpath);

			ops[0] = '\0';
			if (took && o->max_captures && ++captures >= o->max_captures)
				break;
		}
	}
	scx_trace_disarm(&tr);
	return 0;
}
