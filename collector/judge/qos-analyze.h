/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QoS scorecard's statistics: pure, JSON in, JSON out (qos-analyze.c).
 * A qos section (collector/qos/qos.h) carries its runs and the figures to
 * judge: "figures": [{"workload", "figure", "path" (in a run's "figures"),
 * "label", "unit", "direction": lower | higher | info, "same_within"}].
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>

enum scx_qos_direction { SCX_QOS_LOWER, SCX_QOS_HIGHER, SCX_QOS_INFO };

/*
 * One row's verdict from its statistics: "info" for an unjudged figure;
 * "same" when the medians are within same_within (> 0); "inconclusive"
 * without a ratio or with too few runs (min_p >= alpha); "same" when
 * p >= alpha or the difference is within the bucket error; "inconclusive"
 * when it is within the noise floor; else "better" or "worse" by the
 * direction.  *ret_why gets a short reason.
 */
const char *scx_qos_classify(enum scx_qos_direction dir, double p, double min_p, double ratio,
			     double noise_floor, double abs_diff, double same_within,
			     const char **ret_why);

/* Set "rows" and "counts" of a qos section from its "runs" and "figures". */
void scx_qos_analyze(json_t *qos);

/*
 * Whether the rows meet a --fail-on condition: "regression" (a row is
 * worse) or "any-worse" (also a significant difference that leans worse
 * inside the noise floor).  NULL: never.
 */
bool scx_qos_gate(const json_t *qos, const char *fail_on);
