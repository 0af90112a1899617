/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A failure's signature, the way syzbot titles crashes: one normalised line
 * ("WARNING in scx_dsq_move", "runnable task stall in lavd 1.1.3",
 * "runtime error in rusty: invalid CPU N from ops.select_cpu()") with PIDs,
 * addresses, CPU numbers and times taken out, so the same failure on two
 * machines has the same title.  Pure.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Numbers, addresses and COMM[PID] of a message taken out, in place. */
void scx_signature_normalize(char *s);
/* "lavd_1.0.20_g85f140fd_x86_64_unknown_linux_gnu" -> "lavd", "1.0.20" ("" when none). */
void scx_ops_split(const char *ops, char *name, size_t name_len, char *version, size_t ver_len);
/* The signature of one history event (error, oops, soft-lockup, load-failure); false if none. */
bool scx_signature_event(const json_t *ev, char *buf, size_t len);
/*
 * Known issues (report.json `known_issues`, the probe's entries): the first
 * whose `signature` pattern (fnmatch) matches sig, or NULL.
 */
const json_t *scx_known_issue(const json_t *known, const char *sig);
