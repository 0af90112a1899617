// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One earlier boot's kernel log (boot-log.h).  The sched_ext events come
 * from the kmsg parser; what this file adds is the end of the boot: a clean
 * shutdown leaves a record (REFERENCE §10), a reset or a hang leaves none.
 *
 * Shutdown records, by who writes them:
 *   systemd-shutdown[1]: ...            the last process before the reboot syscall
 *   reboot: Power down | Restarting system | System halted   the kernel (console, pstore)
 *   systemd[1]: Reached target shutdown.target / final.target, and
 *   systemd-journald[N]: Journal stopped   what a persistent journal keeps of the same
 */
#include "boot-log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "util.h"

void boot_log_init(struct boot_log *b, size_t max_bytes)
{
	memset(b, 0, sizeof(*b));
	kmsg_log_init(&b->kmsg, max_bytes);
}

void boot_log_done(struct boot_log *b)
{
	kmsg_log_done(&b->kmsg);
	free(b->shutdown_record);
	free(b->last_line);
	memset(b, 0, sizeof(*b));
}

const char *boot_shutdown_record(const char *line)
{
	static const char *const records[] = {
		"systemd-shutdown",
		"reboot: Power down",
		"reboot: Restarting system",
		"reboot: System halted",
		"Reached target shutdown.target",
		"Reached target final.target",
		"Reached target System Shutdown",
		"Journal stopped",
	};

	for (size_t i = 0; i < ARRAY_SIZE(records); i++)
		if (strstr(line, records[i]))
			return records[i];
	return NULL;
}

void boot_log_note(struct boot_log *b, uint64_t usec, uint64_t real_us, const char *text)
{
	char *dup = strdup(text);

	if (!dup)
		return;
	strstrip(dup);
	if (!b->shutdown_record && boot_shutdown_record(dup))
		b->shutdown_record = strdup(dup);
	free(b->last_line);
	b->last_line = dup;
	b->last_line_usec = usec;
	if (real_us) {
		if (!b->first_real_us || real_us < b->first_real_us)
			b->first_real_us = real_us;
		if (real_us > b->last_real_us)
			b->last_real_us = real_us;
	}
}

int boot_log_kernel(struct boot_log *b, uint64_t usec, const char *text)
{
	if (!b->have_kernel || usec < b->first_usec)
		b->first_usec = usec;
	if (usec > b->last_usec)
		b->last_usec = usec;
	b->have_kernel = true;
	return kmsg_log_add(&b->kmsg, usec, text);
}

json_t *boot_time_json(uint64_t real_us)
{
	char buf[32];

	if (!real_us)
		return json_null();
	format_utc(buf, sizeof(buf), real_us * 1000, false);
	return json_string(buf);
}

json_t *boot_log_summary(struct boot_log *b, int index, const char *source, bool can_tell_end)
{
	json_t *boot = json_object(), *names = json_array(), *errors = json_array();
	json_t *oopses = json_array(), *last = json_object(), *ev;
	const char *end_why;
	size_t i;

	kmsg_log_finish(&b->kmsg);
	json_array_foreach(b->kmsg.history, i, ev) {
		const char *kind = json_string_value(json_object_get(ev, "event"));
		const char *ops = json_string_value(json_object_get(ev, "ops"));

		if (!kind)
			continue;
		if (!strcmp(kind, "enabled") && ops && !jarray_has_str(names, ops))
			json_array_append_new(names, json_string(ops));
		else if (!strcmp(kind, "error") || !strcmp(kind, "soft-lockup"))
			json_array_append(errors, ev);
		else if (!strcmp(kind, "oops"))
			json_array_append(oopses, ev);
	}
	json_object_set_new(boot, "index", json_integer(index));
	json_object_set_new(boot, "source", json_string(source));
	json_object_set_new(boot, "start", boot_time_json(b->first_real_us));
	json_object_set_new(boot, "end", boot_time_json(b->last_real_us));
	json_object_set_new(boot, "first_uptime_s",
			    b->have_kernel ? json_real((double)b->first_usec / 1e6) : json_null());
	json_object_set_new(boot, "last_uptime_s",
			    json_real((double)(b->last_line_usec > b->last_usec ? b->last_line_usec
										: b->last_usec) / 1e6));
	if (b->shutdown_record) {
		json_object_set_new(boot, "clean_shutdown", json_true());
		json_object_set_new(boot, "shutdown_record", json_string(b->shutdown_record));
		end_why = "a shutdown record";
	} else if (can_tell_end) {
		json_object_set_new(boot, "clean_shutdown", json_false());
		end_why = "no shutdown record: the boot ended by a reset, a panic or a power loss";
	} else {
		json_object_set_new(boot, "clean_shutdown", json_null());
		end_why = "this source does not see the end of a boot";
	}
	json_object_set_new(boot, "end_evidence", json_string(end_why));
	json_object_set_new(boot, "schedulers", names);
	json_object_set_new(boot, "errors", errors);
	json_object_set_new(boot, "oopses", oopses);
	json_object_set_new(last, "scheduler",
			    b->kmsg.current_ops ? json_string(b->kmsg.current_ops) : json_null());
	if (b->last_line) {
		json_object_set_new(last, "line", json_string(b->last_line));
		json_object_set_new(last, "uptime_s", json_real((double)b->last_line_usec / 1e6));
	}
	json_object_set_new(boot, "last_state", last);
	json_object_set(boot, "events", b->kmsg.history);
	return boot;
}
