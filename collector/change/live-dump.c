// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * collect --dump: the kernel's debug dump of the running scheduler, which stays loaded.
 * SysRq-D (`echo D > /proc/sysrq-trigger`, REFERENCE §1) writes the dump line by line to the
 * sched_ext:sched_ext_dump tracepoint, and nowhere else (the kernel log gets one line,
 * "sysrq: Trigger sched_ext debug dump"); the dump is read from a tracefs instance of our own
 * (watch's tracefs.c, under another name than watch's, so a running `scx-report watch` keeps
 * its instance), which is removed afterwards.  The write returns after the dump is written:
 * the handler runs in it.  Before and after, state, ops and enable_seq say whether the
 * scheduler stayed as it was.
 *
 * report.json: live_dump {taken, reason?, ops_before, ops_after, enable_seq_before,
 * enable_seq_after, unchanged, dump {scx_dump_parse}}; the bundle: live_dump/trace.txt,
 * live_dump/dump.txt.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump-parse.h"
#include "live-dump.h"
#include "util.h"
#include "tracefs.h"

#define LIVE_TRACE_INSTANCE "scx-report-dump"
#define LIVE_TRACE_MAX (4u << 20)

struct scx_state_now {
	char state[32], ops[128];
	long long enable_seq;
};

static void state_now(struct scx_state_now *s)
{
	_cleanup_free_ char *st = NULL, *ops = NULL, *seq = NULL;
	int64_t v = -1;

	memset(s, 0, sizeof(*s));
	if (read_one_line("/sys/kernel/sched_ext/state", &st) >= 0)
		snprintf(s->state, sizeof(s->state), "%s", strstrip(st));
	if (read_one_line("/sys/kernel/sched_ext/root/ops", &ops) >= 0)
		snprintf(s->ops, sizeof(s->ops), "%s", strstrip(ops));
	if (read_one_line("/sys/kernel/sched_ext/enable_seq", &seq) >= 0)
		safe_atoi64(strstrip(seq), &v);
	s->enable_seq = v;
}

static int save(const char *top, const char *name, const char *data, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/live_dump", top);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/live_dump/%s", top, name);
	return write_file_full(path, data, len, 0644);
}

/* "D" into /proc/sysrq-trigger (never created: O_CREAT is not given). */
static int sysrq_d(void)
{
	_cleanup_close_ int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return write(fd, "D", 1) == 1 ? 0 : -errno;
}

static json_t *not_taken(json_t *d, const char *fmt, const char *arg)
{
	json_object_set_new(d, "taken", json_false());
	json_object_set_new(d, "reason", json_sprintf(fmt, arg));
	return d;
}

json_t *scx_live_dump(const char *top, const char *sysroot)
{
	_cleanup_free_ char *trace = NULL, *text = NULL;
	struct scx_state_now before, after;
	json_t *d = json_object();
	struct scx_trace t;
	char err[256];
	size_t len = 0, tlen = 0;
	int r;

	if (sysroot && *sysroot)
		return not_taken(d, "%s", "not with --sysroot: the dump is of the running kernel");
	if (geteuid() != 0)
		return not_taken(d, "%s", "needs root (tracefs and /proc/sysrq-trigger)");
	state_now(&before);
	json_object_set_new(d, "ops_before", json_string(before.ops));
	json_object_set_new(d, "enable_seq_before", json_integer(before.enable_seq));
	if (strcmp(before.state, "enabled") || !before.ops[0])
		return not_taken(d, "no scheduler is enabled (state %s): nothing to dump",
				 before.state[0] ? before.state : "unknown, no /sys/kernel/sched_ext");
	r = scx_trace_arm_named(&t, LIVE_TRACE_INSTANCE, err, sizeof(err));
	if (r < 0)
		return not_taken(d, "%s", err);
	r = sysrq_d();
	if (r >= 0)
		r = scx_trace_take(&t, LIVE_TRACE_MAX, &trace, &len);
	scx_trace_disarm(&t);
	state_now(&after);
	json_object_set_new(d, "ops_after", json_string(after.ops));
	json_object_set_new(d, "enable_seq_after", json_integer(after.enable_seq));
	json_object_set_new(d, "unchanged", json_boolean(!strcmp(after.state, "enabled") &&
							  !strcmp(before.ops, after.ops) &&
							  before.enable_seq == after.enable_seq));
	if (r < 0) {
		snprintf(err, sizeof(err), "/proc/sysrq-trigger or the trace buffer: %s", strerror(-r));
		return not_taken(d, "%s", err);
	}
	save(top, "trace.txt", trace, len);
	r = scx_trace_dump_text(trace, len, &text, &tlen);
	if (r < 0 || !tlen)
		return not_taken(d, "%s", "the kernel wrote no dump lines to the tracepoint "
				 "(a kernel without SysRq-D for sched_ext: 6.12+)");
	save(top, "dump.txt", text, tlen);
	json_object_set_new(d, "taken", json_true());
	json_object_set_new(d, "dump", scx_dump_parse(text, tlen));
	return d;
}
