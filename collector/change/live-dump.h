/* SPDX-License-Identifier: GPL-2.0-or-later */
/* collect --dump: the debug dump of the running scheduler through SysRq-D (live-dump.c). */
#pragma once

#include <jansson.h>

/* Take it into top/live_dump/ and say what it holds: report.json's live_dump (sysroot: --sysroot, refused). */
json_t *scx_live_dump(const char *top, const char *sysroot);
