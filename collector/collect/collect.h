/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "options.h"
#include "probe.h"
#include "qos.h"

/*
 * The experiment of a collection: what runs between the probes and the
 * judgement, filling one section of the report.  The paired run (collect,
 * watch) and the QoS battery (qos) are two; the pipeline knows them only
 * through this.
 */
struct scx_experiment {
	const char *section;		/* the report's member it fills: "paired", "qos" */
	const char *starting;		/* the line before the probes; NULL: "collecting (OUTPUT)..." */
	/* After the probes: the section (always an object, "status" in it). */
	json_t *(*run)(const json_t *report, const struct scx_options *opts, const void *arg);
	const void *arg;
	bool verdict;			/* judge: add the report's "verdict" (the battery judges its rows) */
	/* Staged beside report.json from the (redacted) report, e.g. qos.json; may be NULL. */
	int (*stage)(const char *top, const json_t *report);
	/* What the user reads at once, before the bundle (say: stdout, or stderr when it streams). */
	int (*present)(FILE *say, const json_t *report, const void *arg);
	/* ... and once the bundle is written (output: its path, "-" when streamed). */
	void (*done)(FILE *say, const json_t *report, const char *output);
	/* The exit code of a finished run (the section's own "exit_code", 3, outranks it). */
	int (*exit_code)(const json_t *report, const void *arg);
};

/* The paired run (reads opts' paired fields) and the battery (arg: struct scx_qos_request). */
extern const struct scx_experiment scx_experiment_paired;
extern const struct scx_experiment scx_experiment_qos;

/* scx-report qos: the battery's options and how the scorecard is printed. */
struct scx_qos_request {
	struct scx_qos_opts o;
	const char *fail_on;		/* --fail-on regression | any-worse, or NULL */
	bool json;			/* the scorecard as JSON instead of text */
	const char *html;		/* --html FILE: the page too ("-": instead of text), or NULL */
	bool force;			/* -f: --html FILE may replace a regular file */
};

/*
 * The collection pipeline: staging, the probes of the table in order, the
 * experiment, the judgement, the formats (report.json, summary.txt,
 * report.html, manifest.json; --redact before them), then the bundle
 * (renamed into place with .sha256 beside it, or streamed with -o -).
 * Returns an exit code of scx-report(1).  The table is a parameter so
 * tests can run probes that fail or hang.
 */
int scx_collect_run(const struct scx_probe *table, const struct scx_options *opts,
		    const struct scx_experiment *ex);

/* A collection with the paired run: scx_collect_run(table, opts, &scx_experiment_paired). */
int scx_collect(const struct scx_probe *table, const struct scx_options *opts);

/* scx-report qos: scx_collect_run(table, opts, &scx_experiment_qos with q as its arg). */
int scx_collect_qos(const struct scx_probe *table, const struct scx_options *opts,
		    const struct scx_qos_request *q);

/* "scx-report-<host>-<yyyymmddThhmmssZ>" for a collection started at real_ns. */
void scx_bundle_basename(char *buf, size_t len, const char *host, uint64_t real_ns);
