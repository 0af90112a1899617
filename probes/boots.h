/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Earlier boots: the probes that read what the system kept of them
 * (boots-journal.c, kernlog.c, pstore.c) and the one that puts them
 * together into report.json's `boots` (boots.c).
 */
#pragma once

#include "probe.h"

/* Default of `collect --boots N`: this boot and the previous one. */
#define SCX_BOOTS_DEFAULT 2

/* How many boots the user asked for (this one included). */
unsigned scx_boots_wanted(const struct scx_probe_opts *opts);

int probe_boots_journal(struct scx_probe_ctx *ctx);
int probe_kernlog(struct scx_probe_ctx *ctx);
/* Gates (table rows): nothing to read, so nothing to start. */
bool probe_boots_journal_enabled(const struct scx_probe_opts *opts, const char **why);
bool probe_kernlog_enabled(const struct scx_probe_opts *opts, const char **why);
int probe_pstore(struct scx_probe_ctx *ctx);
int probe_boots(struct scx_probe_ctx *ctx);

/*
 * Parse one pstore record's text (dmesg-* or console-*): "<N>[ t] text" or
 * "[ t] text" lines, after an optional "Panic#1 Part1" header.  Returns a
 * boot summary (boot-log.h) with source "pstore", or NULL on ENOMEM.
 */
json_t *scx_pstore_parse(const char *text, size_t len, const char *file);

/*
 * Split rsyslog kern.log text (oldest first) into boots at the kernel's
 * "Linux version" line and summarise each; returns an array, oldest first.
 */
json_t *scx_kernlog_parse(const char *text, size_t len);

/*
 * Build `boots` (newest first, at most want) from what the probes found:
 * report's `history` (this boot), `boots_journal`, `kernlog` and `pstore`.
 */
json_t *scx_boots_merge(const json_t *report, unsigned want);
