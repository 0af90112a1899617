/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which source the latency probe takes its waits from: a choice of the
 * user's, carried from the options (collect, latency) to the probe
 * (latency-api.h) without their headers.
 */
#pragma once

/*
 * Where the waits come from.  RUN_DELAY: the kernel's own accounting
 * (sched_info.run_delay, as /proc/PID/schedstat), read by one program on
 * sched_switch; CLOCK: our own clock readings at wakeup and switch (three
 * programs, about twice the cost, and the microseconds between a wakeup
 * that preempts and the switch are seen).  AUTO: RUN_DELAY where the kernel
 * keeps it (CONFIG_SCHED_INFO), else CLOCK.  The raw_tp fallback is CLOCK.
 */
enum scx_latency_source {
	SCX_LATENCY_AUTO = 0,
	SCX_LATENCY_RUN_DELAY,
	SCX_LATENCY_CLOCK,
};

/* "run-delay" / "clock" to the enum; -EINVAL for anything else. */
int scx_latency_source_parse(const char *s, enum scx_latency_source *ret);
