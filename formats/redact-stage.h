/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Redacting a staged bundle tree and its report model (see redact-stage.c). */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "redact.h"

/*
 * Learn from *report and every member under top, then clean every member
 * in place (text members rewritten, paths renamed, others deleted and
 * listed in *ret_dropped), and replace *report with its redacted copy.
 * report.json, summary.txt, report.html and manifest.json are left to the
 * caller, who renders them from the new *report.
 */
int scx_redact_stage(struct scx_redact *r, const char *top, json_t **report, json_t **ret_dropped);

/* The manifest's "redaction" object (takes the dropped list). */
json_t *scx_redact_manifest_note(json_t *dropped);

/*
 * Write out, a cleaned copy of the bundle in ("-" for either: standard
 * input, output), through a private staging folder (redact-bundle.c); rd
 * learns the host's name and the top folder's first.  0, or -errno after
 * one "redact: ..." error line.
 */
int scx_redact_bundle(const char *in, const char *out, bool force, struct scx_redact *rd);
