/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report model is one jansson tree with the keys of docs/report-format.md.
 * Probes fill it, the paired run and the verdict read it, formats render it.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>

/* How every JSON meant for people or the bundle is written: stable order, no float noise. */
#define SCX_JSON_OUT (JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15))

/* The value at a dotted path ("sched_ext.ops"), or NULL when any part is missing. */
json_t *jget(const json_t *obj, const char *path);
/* The same when it is a string, else NULL. */
const char *jstr(const json_t *obj, const char *path);
/* The same, or fallback when it is not a string: jstr_or(x, "ops", "?"). */
const char *jstr_or(const json_t *obj, const char *path, const char *fallback);
/* Whether the array holds the string s. */
bool jarray_has_str(const json_t *arr, const char *s);
