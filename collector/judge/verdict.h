/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>

/*
 * The verdict from the whole report: {"class", "summary", "evidence",
 * "report_to"}.  Classes: no-custom-scheduler, custom-scheduler-failure,
 * custom-scheduler-suspected (earlier boots), custom-scheduler-regression,
 * reproduces-on-default,
 * no-significant-difference, custom-scheduler-better, inconclusive (a
 * kernel without sched_ext is no-custom-scheduler, and its summary says why).
 */
json_t *scx_verdict(const json_t *report);

/*
 * custom-scheduler-suspected, or NULL: an earlier boot (report `boots`)
 * ended without a clean shutdown with a custom scheduler still enabled, or
 * an oops of an earlier boot names one (verdict-boots.c).
 */
json_t *scx_verdict_earlier_boots(const json_t *report);
