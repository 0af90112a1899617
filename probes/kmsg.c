// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmsg probe: the kernel log, turned into the sched_ext timeline (`history`)
 * and kept raw, bounded.
 *
 * Reads /dev/kmsg (structured records, since 3.5) with O_NONBLOCK, one
 * record per read(2), until EAGAIN: no dmesg binary, no klogctl text
 * buffer.  Under --sysroot, <sysroot>/dev/kmsg is a regular file holding the
 * same records one after another.  The sched_ext lines it looks for come
 * from kernel/sched/ext.c (6.12+); see kmsg-parse.c.
 *
 * Bundle: kmsg/dmesg.txt (the newest 1 MiB, "[    9.841617] text" form) and
 * kmsg/sched_ext.txt (only the sched_ext lines and their backtraces).
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "kmsg-parse.h"
#include "probes.h"

#define KMSG_RAW_MAX (1u << 20)		/* raw log kept in the bundle */
#define KMSG_FILE_MAX (64u << 20)	/* a sysroot's dev/kmsg file */
#define KMSG_RECORD_MAX 16384		/* larger than any printk record */

struct kmsg_feed {
	struct kmsg_log *log;
	uint64_t malformed;
};

static int feed_record(const char *rec, size_t len, void *userdata)
{
	struct kmsg_feed *feed = userdata;
	struct kmsg_record r;
	int ret;

	if (kmsg_parse_record(rec, len, &r) < 0) {
		feed->malformed++;
		return 1;
	}
	ret = kmsg_log_add(feed->log, r.usec, r.text);
	kmsg_record_done(&r);
	return ret;
}

/* The live device: one record per read, EPIPE when the ring overran us. */
static int read_device(struct scx_probe_ctx *ctx, const char *path, struct kmsg_feed *feed,
		       uint64_t *ret_lost)
{
	_cleanup_close_ int fd = -1;
	char buf[KMSG_RECORD_MAX];
	uint64_t lost = 0;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EPERM || errno == EACCES)
			return probe_fail(ctx, -errno, "kernel log not readable (dmesg_restrict?)");
		return probe_fail(ctx, -errno, "%s: %s", path, strerror(errno));
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {	/* records overwritten while we read */
				lost++;
				continue;
			}
			if (errno == EAGAIN)
				break;
			if (errno == EPERM || errno == EACCES)
				return probe_fail(ctx, -errno,
						  "kernel log not readable (dmesg_restrict?)");
			return probe_fail(ctx, -errno, "reading %s: %s", path, strerror(errno));
		}
		if (n == 0)
			break;
		r = feed_record(buf, (size_t)n, feed);
		if (r < 0)
			return probe_fail(ctx, r, "parsing %s: %s", path, strerror(-r));
	}
	*ret_lost = lost;
	return 0;
}

static int read_capture(struct scx_probe_ctx *ctx, const char *path, struct kmsg_feed *feed)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	bool truncated;
	int r;

	r = read_file_full(path, KMSG_FILE_MAX, &buf, &len, &truncated);
	if (r < 0)
		return probe_fail(ctx, r, "/dev/kmsg: %s", strerror(-r));
	if (truncated)
		ctx->truncated = true;
	r = kmsg_split_records(buf, len, feed_record, feed);
	if (r < 0)
		return probe_fail(ctx, r, "parsing /dev/kmsg: %s", strerror(-r));
	return 0;
}

int probe_kmsg(struct scx_probe_ctx *ctx)
{
	struct kmsg_log log;
	struct kmsg_feed feed = { .log = &log };
	char path[PATH_MAX];
	struct stat st;
	uint64_t lost = 0;
	json_t *info;
	int r;

	r = probe_path(ctx, "/dev/kmsg", path, sizeof(path));
	if (r < 0)
		return probe_fail(ctx, r, "/dev/kmsg: %s", strerror(-r));
	if (stat(path, &st) < 0)
		return probe_fail(ctx, -errno, "no kernel log (/dev/kmsg: %s)", strerror(errno));

	kmsg_log_init(&log, KMSG_RAW_MAX);
	if (S_ISREG(st.st_mode))
		r = read_capture(ctx, path, &feed);
	else
		r = read_device(ctx, path, &feed, &lost);
	if (r < 0) {
		kmsg_log_done(&log);
		return r;
	}
	kmsg_log_finish(&log);

	r = probe_save(ctx, "dmesg.txt", log.dmesg ? log.dmesg : "", log.dmesg_len);
	if (r >= 0)
		r = probe_save(ctx, "sched_ext.txt", log.sched_ext ? log.sched_ext : "",
			       log.sched_ext_len);
	if (r < 0) {
		kmsg_log_done(&log);
		return probe_fail(ctx, r, "saving the kernel log: %s", strerror(-r));
	}

	info = json_object();
	json_object_set_new(info, "source", json_string("/dev/kmsg"));
	json_object_set_new(info, "lines", json_integer((json_int_t)log.lines));
	json_object_set_new(info, "bytes", json_integer((json_int_t)log.bytes));
	json_object_set_new(info, "truncated", json_boolean(log.truncated));
	json_object_set_new(info, "sched_ext_lines", json_integer((json_int_t)log.sched_ext_lines));
	if (lost)
		json_object_set_new(info, "records_lost", json_integer((json_int_t)lost));
	if (feed.malformed)
		json_object_set_new(info, "malformed_records", json_integer((json_int_t)feed.malformed));
	json_object_set_new(ctx->out, "kmsg", info);
	json_object_set(ctx->out, "history", log.history);
	if (log.truncated) {
		ctx->truncated = true;
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "raw log cut to its newest %u KiB", KMSG_RAW_MAX >> 10);
	}
	kmsg_log_done(&log);
	return 0;
}
