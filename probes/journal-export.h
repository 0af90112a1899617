/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * journalctl -o export, parsed (systemd's "Journal Export Format"): entries
 * separated by an empty line; a field is `KEY=value\n`, or, when the value
 * holds a newline or other binary, `KEY\n` + 64-bit little-endian length +
 * the bytes + `\n`.  Only the fields scx-report reads are kept.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct journal_entry {
	const char *message;		/* MESSAGE, NUL-terminated (borrowed) */
	const char *identifier;		/* SYSLOG_IDENTIFIER or NULL */
	const char *transport;		/* _TRANSPORT or NULL ("kernel" for kernel lines) */
	const char *boot_id;		/* _BOOT_ID or NULL */
	uint64_t mono_us;		/* _SOURCE_MONOTONIC_TIMESTAMP, else __MONOTONIC_TIMESTAMP */
	uint64_t real_us;		/* __REALTIME_TIMESTAMP */
};

/*
 * Call fn for each entry that has a MESSAGE; stops when fn returns < 0.
 * Returns the number of entries, -EBADMSG on a malformed binary field, or
 * fn's error.
 */
int journal_export_parse(const char *buf, size_t len,
			 int (*fn)(const struct journal_entry *e, void *userdata), void *userdata);
