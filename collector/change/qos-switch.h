/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QoS battery's two sides: the custom scheduler, and the baseline: the
 * default scheduler (stop the custom one), or with --against another
 * scheduler started through the same manager (stop the custom one, start
 * the other; and back).  Built on paired-switch.h.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "paired-switch.h"

struct scx_qos_switch {
	struct scx_switch *custom;
	struct scx_switch *against;	/* NULL: the default scheduler */
	bool custom_stopped;		/* we stopped it and have not started it again */
	bool against_running;		/* we started the other one and have not stopped it */
};

int scx_qos_switch_prepare(struct scx_qos_switch *s, const json_t *report, const char *against,
			   bool allow_restart, char *why, size_t whylen);
void scx_qos_switch_free(struct scx_qos_switch *s);
void scx_qos_switch_describe(const struct scx_qos_switch *s, char *buf, size_t len);

int scx_qos_switch_to_baseline(struct scx_qos_switch *s, char *err, size_t errlen);
int scx_qos_switch_to_custom(struct scx_qos_switch *s, char *err, size_t errlen);
/* Whether sysfs shows the baseline loaded (nothing, or the --against scheduler). */
bool scx_qos_switch_baseline_ok(const struct scx_qos_switch *s, const struct scx_sysfs_state *st);
/* Back to the custom scheduler: 0 nothing to do, 1 restarted, -errno (err says why). */
int scx_qos_switch_restore(struct scx_qos_switch *s, char *err, size_t errlen);

/* A switch for scheduler NAME through the manager of custom (--against). */
int scx_switch_prepare_other(const struct scx_switch *custom, const char *name,
			     struct scx_switch **ret, char *why, size_t whylen);
