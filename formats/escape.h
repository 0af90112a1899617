/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text from a bundle, made safe for a terminal: C0 control bytes other than
 * newline and tab, DEL, C1 controls (U+0080-U+009F, and raw bytes
 * 0x80-0x9F that 8-bit terminals read as CSI/OSC), and bytes that are not
 * UTF-8 are written as \xNN.  OSC 52 (clipboard) and CSI (cursor) sequences
 * therefore reach the screen as harmless text.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write text escaped; newlines and tabs kept when keep_lines, else escaped too. */
int scx_escape_write(FILE *f, const char *text, size_t len, bool keep_lines);
/* Escape into a fixed buffer for one-line messages (always NUL-terminated, may be cut). */
const char *scx_escape_str(const char *s, char *buf, size_t buflen);
/*
 * Whether text is binary to a terminal: a NUL, or bytes that are not UTF-8.
 * Text with control bytes is not binary: the escaper shows them as \xNN.
 */
bool scx_escape_is_binary(const char *text, size_t len);
