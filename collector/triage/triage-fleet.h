/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `scx-report triage`: a fleet's bundles read into one table (triage-fleet.c). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* How deep a folder is searched for bundles. */
#define SCX_TRIAGE_MAX_DEPTH 8

/*
 * The bundles named (each a bundle, or a folder searched for *.tar.zst) read
 * into {"bundles": [rows], "refused": [{path, reason}], "counts": {...}}.
 */
json_t *scx_triage_fleet(char *const *args, size_t n);
/*
 * The table as one HTML page into path ("-": standard output), through
 * lib/outfile.c: an existing file is replaced only with force, and only a
 * regular one.  -errno.
 */
int scx_triage_write_html(const char *path, const json_t *t, bool force);
