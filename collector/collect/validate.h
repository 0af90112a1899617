/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one check of what the user asked, before anything is collected: an
 * argument that cannot be right (a process that is not there, a cgroup
 * that is not one, a trusted list that cannot be read) is one line and exit
 * 2, not a bundle that quietly lacks what was asked for.
 */
#pragma once

#include <sys/types.h>

#include "options.h"

/* --pid and --cgroup of collect and latency: 0, or -errno after one logged line "VERB: ...". */
int scx_validate_latency_filters(const char *verb, pid_t pid, const char *cgroup);
/* Every option of collect: 0, or -errno after one logged line. */
int scx_collect_validate(const struct scx_options *o);
