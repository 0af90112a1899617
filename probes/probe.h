/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The probe contract.  A probe is one file in probes/ and one row in the
 * table in probes/table.c.  It reads one data source and fills its part of
 * the report model (a jansson object merged into report.json) and may keep
 * raw copies of what it read under its own folder of the bundle.
 *
 * A probe never prints, never writes the bundle, never looks at another
 * probe's output except through ctx->report (the merged results of the
 * probes that ran before it, read-only).  The collector runs each probe in
 * a child process with a timeout (a worker that runs one probe after
 * another: collector/collect/runner.c), so a probe that crashes or hangs
 * costs only its own section; it must leave no process-wide state behind
 * (signal dispositions, the working folder, the environment) that the next
 * probe in the same worker would inherit.
 *
 * Return 0 when the probe ran; -ENOENT / -EOPNOTSUPP / -EPERM / -EACCES when
 * what it needs is missing (recorded as "skipped", with ctx->reason); any
 * other -errno is recorded as "failed" with ctx->reason.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "latency-source.h"
#include "util.h"

/*
 * What the user asked that concerns probes: the collector fills it from its
 * own options (collector/collect/runner.c), so probes never see the
 * collector's headers.
 */
struct scx_probe_opts {
	const char *sysroot;		/* "" = live system */
	unsigned duration_s;		/* how long SCX_PROBE_TIMED probes sample */
	bool latency;			/* --no-latency clears it */
	pid_t filter_pid;		/* latency of this thread group only (0: all) */
	const char *filter_cgroup;	/* latency of this cgroup only (NULL: all) */
	enum scx_latency_source latency_source;	/* collect --latency-source */
	const char *const *trusted_files;	/* collect --trusted FILE... */
	unsigned n_trusted_files;
	unsigned boots;			/* collect --boots N: this boot and N-1 earlier (0: default) */
	const char *capture_dir;	/* set by `scx-report watch`: what it saw at an ejection */
};

enum scx_probe_need {
	SCX_NEED_ROOT = 1u << 0,	/* CAP_SYS_ADMIN-ish: BPF object walk, /proc of others */
	SCX_NEED_LIVE = 1u << 1,	/* reads the live kernel (BPF), meaningless under --sysroot */
	SCX_PROBE_TIMED = 1u << 2,	/* runs for opts->duration_s: its timeout grows by that */
	/*
	 * Reads ctx->report (what earlier probes found): starts once every
	 * probe before it has ended, or, when the row names `after`, once that
	 * probe and every one before it have.  Without it a probe may run
	 * beside any other (collector/collect/runner.c).
	 */
	SCX_PROBE_READS_REPORT = 1u << 3,
};

struct scx_probe_ctx {
	const char *name;		/* probe name: also its folder in the bundle */
	const char *stage_dir;		/* where the bundle's files are staged */
	const json_t *report;		/* results so far, read-only */
	const struct scx_probe_opts *opts;	/* the sysroot too: probe_sysroot() */
	json_t *out;			/* top-level keys this probe sets in report.json */
	char reason[256];		/* why skipped/failed, or a note when ok */
	bool truncated;			/* some raw copy or section was cut to its bound */
};

struct scx_probe {
	const char *name;
	const char *description;
	unsigned needs;			/* enum scx_probe_need */
	unsigned timeout_ms;		/* base timeout; SCX_PROBE_TIMED adds duration */
	int (*collect)(struct scx_probe_ctx *ctx);
	/*
	 * Gate, run in the collector before any child: return false (and set
	 * *why) to skip by user choice, or when what the probe reads is plainly
	 * absent (a cheap look, no helper program): a skip costs nothing then.
	 */
	bool (*enabled)(const struct scx_probe_opts *opts, const char **why);
	/*
	 * For a SCX_PROBE_READS_REPORT probe: the same kind of gate on what
	 * the probes before it found (a scheduler process, a stats socket),
	 * run in the collector once they are merged; false (and *why, the
	 * reason the probe itself would give) skips it without a child.
	 */
	bool (*applies)(const json_t *report, const char **why);
	/*
	 * For a SCX_PROBE_READS_REPORT probe: the last row whose results it
	 * reads (NULL: the row just before it).  Name it only when every key
	 * the probe reads comes from that row or earlier ones and no row
	 * between changes them: the probe may then start before the rows
	 * between have ended, and sees the same report either way.
	 */
	const char *after;
};

/* The one table, in run order; terminated by a row with name == NULL. */
extern const struct scx_probe scx_probes[];

/* ---- helpers every probe uses (probes/probe-io.c) -------------------- */

/* The sysroot: "" for the live system (also when no opts were given), else a captured tree. */
static inline const char *probe_sysroot(const struct scx_probe_ctx *ctx)
{
	return ctx->opts && ctx->opts->sysroot ? ctx->opts->sysroot : "";
}

/*
 * Path of an absolute system path under a sysroot: "/sys/x" -> "DIR/sys/x"
 * (sysroot "" or NULL: the path itself).  -EINVAL for a relative path,
 * -ENAMETOOLONG when it does not fit.
 */
int scx_sysroot_path(const char *sysroot, const char *abs_path, char *buf, size_t len);
/* The same under the probe's sysroot. */
int probe_path(const struct scx_probe_ctx *ctx, const char *abs_path, char *buf, size_t len);

/* Read a system file (under the sysroot); max as in read_file_full. */
int probe_read(const struct scx_probe_ctx *ctx, const char *abs_path, size_t max,
	       char **ret_buf, size_t *ret_len, bool *ret_truncated);
int probe_read_line(const struct scx_probe_ctx *ctx, const char *abs_path, char **ret_line);

/* Write data to <stage>/<probe name>/<rel> (folders created). */
int probe_save(struct scx_probe_ctx *ctx, const char *rel, const void *data, size_t len);
/*
 * Copy a system file into <stage>/<probe name>/<rel>, at most max bytes
 * (marks ctx->truncated when cut).  rel NULL: the system path without its
 * leading '/'.
 */
int probe_copy(struct scx_probe_ctx *ctx, const char *abs_path, const char *rel, size_t max);
/*
 * The one "skipped" set: what a probe needs is missing (-ENOENT, -EOPNOTSUPP,
 * -EPERM, -EACCES, -ENOSYS), as opposed to failed.
 */
bool probe_errno_skips(int err);
/* Record why a probe is skipped/failed: sets ctx->reason, returns err. */
int probe_fail(struct scx_probe_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * For a gate (scx_probe.enabled, run in the collector before any child):
 * does the folder abs_dir (under opts->sysroot) hold an entry whose name
 * starts with prefix ("" for any)?
 */
bool probe_dir_has(const struct scx_probe_opts *opts, const char *abs_dir, const char *prefix);

/* Parse "123" into a JSON integer, or keep the string when not a number. */
json_t *json_number_or_string(const char *s);
