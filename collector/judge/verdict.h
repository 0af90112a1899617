/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>

/*
 * The verdict from the whole report: {"class", "summary", "evidence",
 * "report_to"}.  Classes: no-custom-scheduler, custom-scheduler-failure,
 * custom-scheduler-suspected (earlier boots), custom-scheduler-regression,
 * kernel-bug-suspected, environment, never-attached,
 * scheduler-version-regression (verdict-owner.c),
 * reproduces-on-default,
 * no-significant-difference, custom-scheduler-better, inconclusive (a
 * kernel without sched_ext is no-custom-scheduler, and its summary says why).
 * Every verdict with a failure carries `signature` (signature.h) and, when
 * report.json's known_issues has it, `known` {fixed_in, commit, source, ...}.
 */
json_t *scx_verdict(const json_t *report);

/*
 * custom-scheduler-suspected, or NULL: an earlier boot (report `boots`)
 * ended without a clean shutdown with a custom scheduler still enabled, or
 * an oops of an earlier boot names one (verdict-boots.c).
 */
json_t *scx_verdict_earlier_boots(const json_t *report);

/*
 * Who owns a failure of this boot (verdict-owner.c): never-attached,
 * kernel-bug-suspected, environment, scheduler-version-regression,
 * custom-scheduler-failure or inconclusive with what to collect; NULL when
 * the history shows no failure.  sched_to: who to report the scheduler to.
 */
json_t *scx_verdict_owner(const json_t *report, const char *sched_to);
