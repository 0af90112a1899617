/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One earlier boot's kernel log, whatever kept it (the journal, rsyslog's
 * kern.log, pstore): fed line by line into the kmsg parser (kmsg-parse.h),
 * plus what only the end of a boot tells: whether it ended with a shutdown
 * record, and the last thing it said.  boot_log_summary() turns it into one
 * element of report.json's `boots` array (docs/report-format.md).
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "kmsg-parse.h"

struct boot_log {
	struct kmsg_log kmsg;		/* kernel lines only */
	uint64_t first_usec, last_usec;	/* kernel time of the first and last kernel line */
	bool have_kernel;
	char *shutdown_record;		/* the line that shows a clean end, if any */
	char *last_line;		/* the last line of any source */
	uint64_t last_line_usec;
	uint64_t first_real_us, last_real_us;	/* wall clock, when the source has it */
};

void boot_log_init(struct boot_log *b, size_t max_bytes);
void boot_log_done(struct boot_log *b);
/* A kernel line (usec since that boot). Returns 0 or -ENOMEM. */
int boot_log_kernel(struct boot_log *b, uint64_t usec, const char *text);
/* Any line of the boot (kernel or not): shutdown record and last line. */
void boot_log_note(struct boot_log *b, uint64_t usec, uint64_t real_us, const char *text);
/* Is this a line that only a clean shutdown or reboot prints? */
const char *boot_shutdown_record(const char *line);

/*
 * The boot's summary: {index, source, boot_id, start, end, first_uptime_s,
 * last_uptime_s, clean_shutdown (true/false, null when the source cannot
 * tell), shutdown_record, schedulers [names enabled], errors [...], oopses
 * [...], last_state {scheduler, time, line}, events [...]}.
 * can_tell_end: the source sees a boot's last lines (journal, console).
 */
json_t *boot_log_summary(struct boot_log *b, int index, const char *source, bool can_tell_end);

/* "2026-12-02T08:43:42Z" from microseconds since the epoch (0: null). */
json_t *boot_time_json(uint64_t real_us);
