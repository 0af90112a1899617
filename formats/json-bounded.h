/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parse JSON that came from a file someone else wrote, with a ceiling on
 * the memory jansson may take for it: a small text can ask for many values
 * ("[0,0,0,...": about 8 bytes of text, 60 bytes of json_t each).
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

/*
 * json_loadb() with JSON_REJECT_DUPLICATES and JSON_ALLOW_NUL, failing with -E2BIG when the
 * parse would hold more than budget bytes; -EBADMSG with jerr filled for
 * malformed text.
 */
int scx_json_loadb_bounded(const char *text, size_t len, size_t budget, json_t **ret,
			   json_error_t *jerr);
