/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scx-report's exit codes, documented in scx-report(1).  Here, below every
 * room of collector/, so the collection, the paired run, qos and the
 * guardian name them without including the verbs' header.
 */
#pragma once

enum {
	SCX_EXIT_OK = 0,		/* bundle written / bundle valid */
	SCX_EXIT_FAIL = 1,		/* no bundle written / bundle invalid */
	SCX_EXIT_USAGE = 2,
	SCX_EXIT_NOT_RESTORED = 3,	/* paired run could not put the scheduler back */
	SCX_EXIT_QOS_GATE = 4,		/* qos: the --fail-on condition was met */
};
