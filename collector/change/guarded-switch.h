/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guarded switch: the custom scheduler and a baseline — the default
 * scheduler (stop the custom one), or for `qos --against` another scheduler
 * started through the same manager (stop the custom one, start the other;
 * and back) — with the guardian (guardian.h) told of every step, so that
 * whatever happens to scx-report the custom scheduler is put back.  The
 * paired run and the QoS battery both switch through it; the guardian's
 * protocol (arm, starting, running, leave, baseline) is spoken only here.
 * Built on paired-switch.h.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "guardian.h"
#include "paired-switch.h"

struct scx_guarded_switch {
	struct scx_switch *custom;
	struct scx_switch *against;	/* NULL: the default scheduler */
	struct scx_guardian guardian;
	bool custom_stopped;		/* we stopped it and have not started it again */
	bool against_running;		/* we started the other one and have not stopped it */
	bool left_default;		/* the kernel ejected it: leave the default scheduler */
	uint64_t switch_ns, switches;	/* time spent switching, and how often */
};

/* How to switch (the report's "scheduler" section); -EOPNOTSUPP with why. */
int scx_guarded_prepare(struct scx_guarded_switch *s, const json_t *report, const char *against,
			bool allow_restart, char *why, size_t whylen);
/* Start the guardian: before the first switch. */
int scx_guarded_begin(struct scx_guarded_switch *s);
/* Tell the guardian we are done (after the restore) and reap it; free everything. */
void scx_guarded_free(struct scx_guarded_switch *s);
void scx_guarded_describe(const struct scx_guarded_switch *s, char *buf, size_t len);

/* Custom -> baseline (the guardian armed first). */
int scx_guarded_to_baseline(struct scx_guarded_switch *s, char *err, size_t errlen);
/* Baseline -> custom (the guardian told the start began, and that it runs). */
int scx_guarded_to_custom(struct scx_guarded_switch *s, char *err, size_t errlen);
/* The kernel ejected the custom scheduler: leave the default one (the guardian too). */
void scx_guarded_leave(struct scx_guarded_switch *s);
/* It came back by itself while we held it stopped: we no longer do (nor does the guardian). */
void scx_guarded_came_back(struct scx_guarded_switch *s);
/* Whether sysfs shows the baseline loaded (nothing, or the --against scheduler). */
bool scx_guarded_baseline_ok(const struct scx_guarded_switch *s, const struct scx_sysfs_state *st);
/*
 * Back to the custom scheduler if we took it away: 0 nothing to do, 1
 * restarted (or found running again), -errno with err.  *ret_st: sysfs after.
 */
int scx_guarded_restore(struct scx_guarded_switch *s, struct scx_sysfs_state *ret_st, char *err,
			size_t errlen);

/* A switch for scheduler NAME through the manager of custom (--against; qos-against.c). */
int scx_switch_prepare_other(const struct scx_switch *custom, const char *name,
			     struct scx_switch **ret, char *why, size_t whylen);
