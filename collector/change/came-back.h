/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A scheduler that comes back by itself after the paired run stopped it (a
 * supervisor, a `while true` wrapper, Restart=always): who holds it now, and
 * what started that process, in words for the report.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "paired-switch.h"

/*
 * By hand: whether pid runs the pinned executable of sw (device and inode)
 * with sw's owner as its effective uid.  A process merely named like the
 * scheduler, or running the same file as another user, is not its holder.
 */
bool scx_came_back_is_holder(const struct scx_switch *sw, pid_t pid);
/*
 * Describe the process now running the scheduler of sw (by hand: the one
 * whose executable is the pinned file, run by its owner; otherwise one named like its argv[0]
 * or ops) and its parent, e.g. "pid 212 (scx_simple), started by pid 180
 * (sh /usr/local/bin/keep-simple.sh, /bin/busybox)".  Returns its pid, or
 * -ESRCH with "an unknown process" in buf.
 */
pid_t scx_came_back_describe(const struct scx_switch *sw, char *buf, size_t len);
