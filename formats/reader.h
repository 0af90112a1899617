/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers of the reader's verbs: show --list, diff, triage (text, JSON is the model itself, HTML). */
#pragma once

#include <jansson.h>
#include <stdio.h>

/* show --list: one line per member: status, size, path. */
void scx_list_render(FILE *f, const json_t *list);

/* diff: the changes by section, then the paired figures compared. */
void scx_diff_render(FILE *f, const json_t *diff, const char *path_a, const char *path_b);

/*
 * triage: the table of bundles, the refused ones with their reasons, then
 * the counts by scheduler version x verdict.  triage is
 * {"bundles": [row...], "refused": [{path, reason}], "counts": [...]}.
 */
void scx_triage_render(FILE *f, const json_t *triage);
void scx_triage_render_html(FILE *f, const json_t *triage);
