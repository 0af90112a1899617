/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "by hand" side of paired-switch.c: preparing (pinning the process and
 * its executable, the safety checks of restart-safety.h) and starting the
 * very file again, detached, as its user.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "paired-switch.h"

/* -EOPNOTSUPP with why (one line: why, and what to do) when it may not be done. */
int scx_manual_prepare(struct scx_switch *sw, const json_t *sched, char *why, size_t whylen);
/* Fork the pinned file again, detached; sw->pid and sw->pidfd become the new process. */
int scx_manual_start(struct scx_switch *sw, char *err, size_t errlen);
