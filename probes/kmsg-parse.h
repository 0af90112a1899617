/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log parser behind the kmsg probe, separate so that it can be
 * unit-tested on real logs.  Two layers:
 *
 * - kmsg_parse_record(): one /dev/kmsg record ("PRI,SEQ,USEC,FLAGS[,..];text"
 *   then continuation lines " KEY=VALUE"), text unescaped (\xNN).
 * - struct kmsg_log: fed record by record (in log order), it keeps the
 *   newest max_bytes of the human "[    9.841617] text" log, the
 *   sched_ext-related lines, and builds the sched_ext history timeline.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmsg_record {
	unsigned level;		/* PRI & 7 */
	unsigned facility;	/* PRI >> 3 */
	uint64_t seq;
	uint64_t usec;		/* since boot */
	char flags;		/* '-' or 'c' (continuation of an earlier fragment) */
	char *text;		/* unescaped, NUL-terminated, no trailing newline (malloc'd) */
};

/*
 * Parse one record of len bytes (the record line and its continuation
 * lines).  Returns 0, or -EINVAL when the header is malformed.
 */
int kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *ret);
void kmsg_record_done(struct kmsg_record *rec);

/*
 * Split a buffer holding many records (the file form of /dev/kmsg under a
 * sysroot) into records: a record starts at a line that does not begin
 * with a space.  Calls fn for each; stops early when fn returns < 0.
 * Returns the number of malformed records skipped, or fn's error.
 */
int kmsg_split_records(const char *buf, size_t len,
		       int (*fn)(const char *rec, size_t rec_len, void *userdata), void *userdata);

/*
 * The text after "sched_ext: " of `sched_ext: BPF scheduler "NAME" disabled
 * (REASON)`: NAME and REASON (up to the last ')'), both malloc'd.  -EINVAL
 * when it is not that line, -ENOMEM.
 */
int kmsg_parse_disabled(const char *rest, char **ret_ops, char **ret_reason);

/* The kind of a sched_ext exit reason: "disabled" (clean) or "error". */
const char *kmsg_exit_event(const char *reason);

struct kmsg_log {
	size_t max_bytes;	/* raw log bound: the newest bytes are kept */
	char *dmesg;		/* human-form log, newest max_bytes */
	size_t dmesg_len, dmesg_cap;
	bool truncated;
	uint64_t lines, bytes;	/* everything fed, before the bound */

	char *sched_ext;	/* the sched_ext lines and their backtraces */
	size_t sched_ext_len, sched_ext_cap;
	uint64_t sched_ext_lines;

	json_t *history;	/* array of events, log order */

	/* parser state */
	json_t *backtrace;	/* where indented lines go, or NULL */
	json_t *last_exit;	/* latest disabled/error event (borrowed) */
	char *current_ops;	/* the scheduler enabled now, per the log */
	char *oops_header;	/* latest WARNING:/BUG:/Oops line */
	char *oops_header_human;	/* the same in the raw log's form */
	uint64_t oops_header_line;

	/* the open oops (kmsg-lines.c): its event, RIP and call trace */
	bool oops_open;
	uint64_t oops_usec;
	json_t *oops_event;	/* borrowed from history, or NULL */
	json_t *oops_frames;	/* owned */
	char *oops_rip;
	bool oops_scx_comm;	/* its CPU:/task: line names a sched_ext kthread */
	json_t *pending_reason;	/* an exit whose reason is on the next line (borrowed) */
	json_t *dump_event;	/* the exit a debug dump belongs to (borrowed) */
	uint64_t dump_line;
	bool dump_backtrace;	/* inside a dump's "Backtrace:" block */
};

void kmsg_log_init(struct kmsg_log *log, size_t max_bytes);
void kmsg_log_done(struct kmsg_log *log);
/* Feed one record (its text may hold several lines). Returns 0 or -ENOMEM. */
int kmsg_log_add(struct kmsg_log *log, uint64_t usec, const char *text);
/* Cut the raw log to its bound at a line start; call once at the end. */
void kmsg_log_finish(struct kmsg_log *log);

/* ---- line recognisers (kmsg-lines.c), pure, one per format generation ---- */

/*
 * A WARN/BUG header in either style, or kernel BUG at:
 *   WARNING: CPU: 3 PID: 1 at kernel/sched/ext.c:4512 scx_foo+0x12/0x30 [mod]   (older)
 *   WARNING: kernel/sched/ext.c:4512 at scx_foo+0x12/0x30, CPU#3: comm/1         (6.17+)
 *   kernel BUG at kernel/sched/ext.c:123!
 * file (path, no line) and function (no offset) into the buffers ("" when
 * absent).  false when line is no such header.
 */
bool kmsg_parse_warn(const char *line, char *file, size_t file_len, char *func, size_t func_len);
/* "soft-lockup", "hard-lockup", "rcu-stall", "hung-task" or NULL. */
const char *kmsg_lockup_kind(const char *line);
/* The function of a stack frame line ("  ? scx_foo+0x1/0x2 [m]" -> "scx_foo"); false if none. */
bool kmsg_frame_func(const char *line, char *func, size_t len, bool *ret_unreliable);
/* Is this function or source file sched_ext's core (kernel/sched/ext*.c, scx_*)? */
bool kmsg_is_scx_core(const char *func_or_file);
/* "PM: suspend exit" and the like: "suspend", "resume" or NULL. */
const char *kmsg_pm_event(const char *line);
/*
 * A line kmsg_log_add() handles beyond the 6.12 forms (kmsg-lines.c):
 * returns 1 when consumed (*related: keep it in the sched_ext extract),
 * 0 when not, < 0 on ENOMEM.
 */
int kmsg_lines_more(struct kmsg_log *log, uint64_t usec, const char *line, bool *related);
/* Close the open oops (at a new header, its end marker, or the end of the log). */
void kmsg_oops_close(struct kmsg_log *log);
/* Shared with kmsg-lines.c. */
json_t *kmsg_new_event(uint64_t usec, const char *kind, const char *ops);
