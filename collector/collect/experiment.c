// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The two experiments of the collection pipeline (collect.h): the paired run
 * of `collect` and `watch`, and the QoS battery of `qos`.  Each adapts its
 * room (collector/paired/, collector/qos/) to struct scx_experiment.
 */
#include <limits.h>
#include <string.h>

#include "collect.h"
#include "exit-codes.h"
#include "formats.h"
#include "outfile.h"
#include "model.h"
#include "paired.h"
#include "qos-scorecard.h"
#include "util.h"

/* ---- the paired run ------------------------------------------------------ */

static json_t *paired_run(const json_t *report, const struct scx_options *opts, const void *arg)
{
	const struct scx_paired_opts po = {
		.paired = opts->paired, .sysroot = opts->sysroot, .duration_s = opts->duration_s,
		.rounds = opts->rounds, .calibrate = opts->calibrate,
		.no_early_stop = opts->no_early_stop, .allow_restart = opts->allow_restart,
		.workload = opts->workload, .workload_cmd = opts->workload_cmd,
	};
	json_t *paired;

	(void)arg;
	paired = scx_paired_run(report, &po);
	/* Asked to restart by hand and refused (e.g. a binary others can write): say it in one line. */
	if (opts->allow_restart && !strcmp(jstr(paired, "status") ?: "", "skipped"))
		scx_log_warn("paired run not made: %s", jstr(paired, "reason") ?: "?");
	return paired;
}

/* The verdict in one line, and where the bundle went. */
static void paired_done(FILE *say, const json_t *report, const char *output)
{
	if (jstr(report, "verdict.class"))
		fprintf(say, "%s: %s\n", jstr(report, "verdict.class"),
			jstr_or(report, "verdict.summary", ""));
	if (strcmp(output, "-"))
		printf("%s\n", output);
}

const struct scx_experiment scx_experiment_paired = {
	.section = "paired",
	.run = paired_run,
	.verdict = true,
	.done = paired_done,
};

/* ---- the QoS battery ----------------------------------------------------- */

static json_t *qos_run(const json_t *report, const struct scx_options *opts, const void *arg)
{
	const struct scx_qos_request *q = arg;

	(void)opts;
	if (jstr(report, "sched_ext.ops"))
		scx_log_info("qos: running the battery on %s (%u rounds x %.3g s per run)...",
			     jstr(report, "sched_ext.ops"), q->o.rounds, q->o.duration_ms / 1000.0);
	return scx_qos_run(report, &q->o);
}

/* qos.json: the section alone, for scripts. */
static int qos_stage(const char *top, const json_t *report)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/qos.json", top);
	return json_dump_file(json_object_get(report, "qos"), path, SCX_JSON_OUT) ? -EIO : 0;
}

/* The scorecard: text or --json, and with --html FILE the page ("-": instead of the text). */
static int qos_present(FILE *say, const json_t *report, const void *arg)
{
	const struct scx_qos_request *q = arg;
	const json_t *qos = json_object_get(report, "qos");

	if (q->json) {
		json_dumpf(qos, say, SCX_JSON_OUT);
		fputc('\n', say);
	} else if (q->html && !strcmp(q->html, "-")) {
		scx_html_render(say, report);
	} else {
		scx_qos_scorecard_text(say, qos);
	}
	fflush(say);
	if (q->html && strcmp(q->html, "-")) {
		int w = scx_html_write(q->html, report, q->force);

		if (w < 0) {
			scx_log_error("qos --html: cannot write %s: %s", q->html, scx_out_strerror(w));
			return w;
		}
	}
	return 0;
}

static int qos_exit_code(const json_t *report, const void *arg)
{
	const struct scx_qos_request *q = arg;
	const json_t *qos = json_object_get(report, "qos");

	if (strcmp(jstr(qos, "status") ?: "", "done")) {
		scx_log_error("qos: %s: %s", jstr(qos, "status") ?: "?", jstr(qos, "reason") ?: "?");
		return SCX_EXIT_FAIL;
	}
	if (scx_qos_gate(qos, q->fail_on)) {
		scx_log_info("qos: --fail-on %s: a row is worse", q->fail_on);
		return SCX_EXIT_QOS_GATE;
	}
	return SCX_EXIT_OK;
}

const struct scx_experiment scx_experiment_qos = {
	.section = "qos",
	.starting = "qos: finding the scheduler...",
	.run = qos_run,
	.stage = qos_stage,
	.present = qos_present,
	.exit_code = qos_exit_code,
};
