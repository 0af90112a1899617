/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the user asked of a collection: filled by collect.c, read by all. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "latency-source.h"

struct scx_redact_opts;

struct scx_options {
	const char *output;		/* bundle path */
	bool force;			/* replace an existing bundle */
	bool bundle_if_asked;		/* no output: no bundle (qos), instead of the default name */
	bool latency;			/* --no-latency clears it */
	bool paired;			/* --no-paired clears it */
	unsigned duration_s;		/* latency sample, and each paired run */
	const char *sysroot;		/* "" = live system */
	struct scx_redact_opts *redact;	/* --redact*: tokens instead of names */

	/* latency probe filters */
	pid_t filter_pid;
	const char *filter_cgroup;
	enum scx_latency_source latency_source;	/* --latency-source (default: auto) */

	/* identity */
	const char **trusted_files;
	unsigned n_trusted_files;

	/* earlier boots: this one and boots - 1 before it (0: the default, 2) */
	unsigned boots;

	/* collect --dump: the running scheduler's debug dump through SysRq-D */
	bool dump;

	/* `scx-report watch`: the folder holding what it saw at an ejection */
	const char *capture_dir;

	/* paired run */
	const char *workload;		/* wakeup | pipe | mixed */
	char **workload_cmd;		/* argv after --workload-cmd --, or NULL */
	unsigned rounds;
	bool calibrate;
	bool no_early_stop;		/* the fixed design: no screening look (judge/sequential.h) */
	bool allow_restart;

	/* for the manifest */
	int argc;
	char **argv;
};
