// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the running scheduler's stdout and stderr go (/proc/PID/fd/1 and 2), and the last part
 * of them when the tool can read it without taking anything from anyone: a regular file (the
 * last SCHED_OUTPUT_TAIL bytes).  A terminal, a pipe or a socket (for a service: its journal
 * stream) is named, not read: reading a pipe would steal the scheduler's output from its
 * reader, and a terminal's scrollback is gone.  The file is opened as root the safe way: the
 * link's target with O_NOFOLLOW and O_NONBLOCK, a regular file only, the same file (device and
 * inode) as the process's descriptor, read from its end, at most the bound.
 *
 * report.json: scheduler_output {pid, streams [{fd, name, kind, target, tail?, tail_bytes?,
 * size?, truncated?}], advice?}; the tails in scheduler_output/fd1.tail, fd2.tail.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "probes.h"

#define SCHED_OUTPUT_TAIL (64u << 10)

static const char *kind_of(const char *target)
{
	if (startswith(target, "/dev/pts/") || startswith(target, "/dev/tty") ||
	    !strcmp(target, "/dev/console"))
		return "terminal";
	if (!strcmp(target, "/dev/null"))
		return "null";
	if (startswith(target, "pipe:"))
		return "pipe";
	if (startswith(target, "socket:"))
		return "socket";
	if (strstr(target, " (deleted)"))
		return "deleted";
	if (target[0] == '/')
		return "file";
	return "other";
}

/* The last bytes of the file behind fd N of pid, checked to be that very file. */
static int read_tail(struct scx_probe_ctx *ctx, pid_t pid, int n, const char *target, json_t *s)
{
	char path[PATH_MAX], fdpath[64], rel[32];
	_cleanup_close_ int fd = -1;
	struct stat st, via;
	_cleanup_free_ char *buf = NULL;
	off_t from;
	ssize_t got;
	int r;

	r = probe_path(ctx, target, path, sizeof(path));
	if (r < 0)
		return r;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EBADFD;
	/* Live: the path must still be the file the process writes (not replaced since). */
	snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd/%d", (int)pid, n);
	if (!*probe_sysroot(ctx) && (stat(fdpath, &via) < 0 || via.st_dev != st.st_dev || via.st_ino != st.st_ino))
		return -ESTALE;
	from = st.st_size > (off_t)SCHED_OUTPUT_TAIL ? st.st_size - (off_t)SCHED_OUTPUT_TAIL : 0;
	buf = malloc(SCHED_OUTPUT_TAIL);
	if (!buf)
		return -ENOMEM;
	got = pread(fd, buf, SCHED_OUTPUT_TAIL, from);
	if (got < 0)
		return -errno;
	snprintf(rel, sizeof(rel), "fd%d.tail", n);
	probe_save(ctx, rel, buf, (size_t)got);
	json_object_set_new(s, "size", json_integer((json_int_t)st.st_size));
	json_object_set_new(s, "tail", json_sprintf("scheduler_output/%s", rel));
	json_object_set_new(s, "tail_bytes", json_integer(got));
	json_object_set_new(s, "truncated", json_boolean(from > 0));
	/* The last lines for the summary (at most 20, each at most 300 bytes). */
	{
		json_t *lines = json_array();
		const char *end = buf + got, *p = end;
		int count = 0;

		while (p > buf && count < 20) {
			const char *e = p, *b;

			if (e > buf && e[-1] == '\n')
				e--;
			b = e;
			while (b > buf && b[-1] != '\n')
				b--;
			if (b == buf && from > 0)
				break;	/* a cut first line */
			json_array_insert_new(lines, 0, json_stringn(b, (size_t)(e - b) > 300 ? 300 : (size_t)(e - b)));
			count++;
			p = b;
		}
		json_object_set_new(s, "last_lines", lines);
	}
	return 0;
}

bool probe_sched_output_applies(const json_t *report, const char **why)
{
	*why = json_integer_value(jget(report, "scheduler.process.pid")) > 0 ? NULL
									     : "no scheduler process";
	return !*why;
}

int probe_sched_output(struct scx_probe_ctx *ctx)
{
	pid_t pid = (pid_t)json_integer_value(jget(ctx->report, "scheduler.process.pid"));
	const char *unit = jstr(ctx->report, "scheduler.unit");
	json_t *out, *streams;
	bool terminal = false;
	char first[PATH_MAX] = "";
	const char *why;

	/* The collector asks the same before forking (probes/table.c); a direct call asks here. */
	if (!probe_sched_output_applies(ctx->report, &why))
		return probe_fail(ctx, -ENOENT, "%s", why);
	{
		char abs[64], path[PATH_MAX];
		struct stat st;

		snprintf(abs, sizeof(abs), "/proc/%d/fd", (int)pid);
		if (probe_path(ctx, abs, path, sizeof(path)) < 0 || lstat(path, &st) < 0)
			return probe_fail(ctx, -ENOENT, "no %s%s", abs, *probe_sysroot(ctx) ? " in the capture" : "");
	}
	out = json_object();
	streams = json_array();
	json_object_set_new(ctx->out, "scheduler_output", out);
	json_object_set_new(out, "pid", json_integer(pid));
	json_object_set_new(out, "streams", streams);
	for (int n = 1; n <= 2; n++) {
		char abs[64], path[PATH_MAX], target[PATH_MAX];
		json_t *s = json_object();
		const char *kind;
		ssize_t k;
		int r;

		json_array_append_new(streams, s);
		json_object_set_new(s, "fd", json_integer(n));
		json_object_set_new(s, "name", json_string(n == 1 ? "stdout" : "stderr"));
		snprintf(abs, sizeof(abs), "/proc/%d/fd/%d", (int)pid, n);
		if (probe_path(ctx, abs, path, sizeof(path)) < 0 ||
		    (k = readlink(path, target, sizeof(target) - 1)) < 0) {
			json_object_set_new(s, "kind", json_string(errno == ENOENT ? "closed" : "unreadable"));
			if (errno != ENOENT)
				json_object_set_new(s, "reason", json_string(strerror(errno)));
			continue;
		}
		target[k] = '\0';
		kind = kind_of(target);
		json_object_set_new(s, "target", json_string(target));
		if (!strcmp(kind, "socket") && unit)
			kind = "journal";
		json_object_set_new(s, "kind", json_string(kind));
		if (!strcmp(kind, "journal"))
			json_object_set_new(s, "note", json_sprintf("the journal stream of %s: journalctl -u %s", unit, unit));
		else if (!strcmp(kind, "pipe"))
			json_object_set_new(s, "note", json_string("a pipe to another process (not read: that would take the output from its reader)"));
		terminal |= !strcmp(kind, "terminal");
		if (strcmp(kind, "file"))
			continue;
		if (n == 2 && !strcmp(first, target)) {
			json_object_set_new(s, "same_as", json_string("stdout"));
			continue;
		}
		snprintf(first, sizeof(first), "%s", target);
		r = read_tail(ctx, pid, n, target, s);
		if (r < 0)
			json_object_set_new(s, "reason", json_sprintf("not read: %s", r == -EBADFD ? "not a regular file" : r == -ESTALE ? "the path is no longer the file the scheduler writes" : r == -ELOOP ? "a symbolic link" : strerror(-r)));
	}
	if (terminal)
		json_object_set_new(out, "advice", json_string(
			"its output goes to a terminal and is lost to the bundle; next time start it as a "
			"service (systemctl start scx: the journal keeps it) or with its output in a file, "
			"`scx_NAME ARGS >>/var/log/scx-scheduler.log 2>&1`, whose end the next collect keeps"));
	snprintf(ctx->reason, sizeof(ctx->reason), "stdout: %s, stderr: %s",
		 jstr_or(json_array_get(streams, 0), "kind", "?"), jstr_or(json_array_get(streams, 1), "kind", "?"));
	return 0;
}
