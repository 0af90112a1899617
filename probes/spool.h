/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The spool of `scx-report watch` (/var/lib/scx-report by default): one
 * snapshot bundle per sched_ext ejection, named
 *   capture-<yyyymmddThhmmssZ>-<boot id, 32 hex>-<ops>.tar.zst
 * (ops with every character outside [A-Za-z0-9_.] turned into '_'), plus its
 * .sha256.  Written by collector/watch/, listed by `scx-report list`, and
 * the newest capture of this and the previous boot is included by
 * `collect` (probe "spool").
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

#define SCX_SPOOL_DIR "/var/lib/scx-report"

struct scx_spool_entry {
	char name[256];		/* file name in the spool */
	char time[20];		/* yyyymmddThhmmssZ */
	char boot_id[33];
	char ops[128];
	uint64_t bytes;		/* the bundle and its .sha256 */
};

/* "capture-TIME-BOOT-OPS.tar.zst" for a capture at real_ns. */
int scx_spool_name(char *buf, size_t len, uint64_t real_ns, const char *boot_id, const char *ops);
/* Parse a spool file name; -EINVAL when it is not a capture's. */
int scx_spool_parse_name(const char *name, struct scx_spool_entry *ret);
/* The captures in dir (a real path), oldest first. *ret_n may be 0. */
int scx_spool_list(const char *dir, struct scx_spool_entry **ret, size_t *ret_n);
/* /proc/sys/kernel/random/boot_id without dashes (32 hex), under the sysroot. */
int scx_boot_id(const char *sysroot, char ret[33]);

int probe_spool(struct scx_probe_ctx *ctx);
int probe_capture(struct scx_probe_ctx *ctx);
bool probe_capture_enabled(const struct scx_probe_opts *opts, const char **why);
