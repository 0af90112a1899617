// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The debug dump through tracefs (REFERENCE §1): on an error exit the kernel
 * writes the dump line by line to the sched_ext:sched_ext_dump tracepoint
 * (6.12+) when it is enabled.  The watcher enables it in an instance of its
 * own (instances/scx-report, since 4.2), so the global buffer and whoever
 * uses it are left alone, and reads that instance's `trace` file (not the
 * consuming trace_pipe: nothing wakes us while idle) after an ejection.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "tracefs.h"

#define TRACE_INSTANCE "scx-report"
#define TRACE_BUFFER_KB "512"		/* per CPU; a 32 KiB dump is ~400 events */

static int write_str(const char *dir, const char *file, const char *s)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return write_file_full(path, s, strlen(s), 0644);
}

int scx_trace_arm(struct scx_trace *t, char *err, size_t errlen)
{
	return scx_trace_arm_named(t, TRACE_INSTANCE, err, errlen);
}

int scx_trace_arm_named(struct scx_trace *t, const char *instance, char *err, size_t errlen)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *root = NULL;
	char path[PATH_MAX];
	struct stat st;
	int r;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < ARRAY_SIZE(roots) && !root; i++) {
		snprintf(path, sizeof(path), "%s/instances", roots[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			root = roots[i];
	}
	if (!root)
		return errmsg(err, errlen, -ENOENT, "no tracefs (mount -t tracefs nodev /sys/kernel/tracing)");
	snprintf(t->dir, sizeof(t->dir), "%s/instances/%s", root, instance);
	if (mkdir(t->dir, 0700) < 0 && errno != EEXIST)
		return errmsg(err, errlen, -errno, "%s: %s", t->dir, strerror(errno));
	write_str(t->dir, "buffer_size_kb", TRACE_BUFFER_KB);
	r = write_str(t->dir, "events/sched_ext/sched_ext_dump/enable", "1");
	if (r < 0) {
		rmdir(t->dir);	/* leave nothing behind */
		return errmsg(err, errlen, r, "%s/events/sched_ext/sched_ext_dump: %s (no sched_ext in "
			      "this kernel?)", t->dir, strerror(-r));
	}
	write_str(t->dir, "tracing_on", "1");
	t->armed = true;
	return 0;
}

int scx_trace_take(struct scx_trace *t, size_t max, char **ret_buf, size_t *ret_len)
{
	char path[PATH_MAX];
	bool cut;
	int r, fd;

	if (!t->armed)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/trace", t->dir);
	r = read_file_full(path, max, ret_buf, ret_len, &cut);
	if (r < 0)
		return r;
	/* Opening `trace` with O_TRUNC clears the instance's buffer. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return 0;
}

void scx_trace_disarm(struct scx_trace *t)
{
	if (!t->armed)
		return;
	write_str(t->dir, "events/sched_ext/sched_ext_dump/enable", "0");
	rmdir(t->dir);
	t->armed = false;
}

int scx_trace_dump_text(const char *trace, size_t len, char **ret_text, size_t *ret_len)
{
	static const char tag[] = "sched_ext_dump: ";
	const char *p = trace, *end = trace + len;
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return -ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *m;

		if (!nl)
			nl = end;
		m = memmem(p, (size_t)(nl - p), tag, sizeof(tag) - 1);
		if (m && p[0] != '#') {
			m += sizeof(tag) - 1;
			memcpy(out + o, m, (size_t)(nl - m));
			o += (size_t)(nl - m);
			out[o++] = '\n';
		}
		p = nl + 1;
	}
	out[o] = '\0';
	*ret_text = out;
	*ret_len = o;
	return 0;
}
