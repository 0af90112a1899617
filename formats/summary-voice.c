// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.txt sections of the scheduler's own voice: its statistics (scx_stats), a live debug
 * dump (collect --dump, or a prompt for one), its output, and what a hard hang would leave
 * (with the dumps that were cut short and how to get them whole).  Each writes nothing
 * when its part of the report is absent.
 */
#include <inttypes.h>
#include <string.h>

#include "formats.h"
#include "util.h"

#define SHOW_FIELDS 40

static void rule(FILE *f, const char *title)
{
	fprintf(f, "\n== %s ==\n", title);
}

void scx_scalar_text(char *buf, size_t len, const json_t *v, int max_chars)
{
	if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.6g", json_real_value(v));
	else if (json_is_string(v))
		snprintf(buf, len, "%.*s", max_chars, json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(buf, len, "-");
}

static void stats(FILE *f, const json_t *r)
{
	const json_t *s = jget(r, "stats"), *fields, *fl, *e;
	const char *top;
	size_t i, shown = 0;

	/* Nothing to say of a scheduler that is not there. */
	if (!s || (!json_is_true(jget(s, "offered")) && !json_is_true(jget(r, "scheduler.active"))))
		return;
	rule(f, "The scheduler's own statistics (scx_stats)");
	if (!json_is_true(jget(s, "offered"))) {
		fprintf(f, "%s\n", jstr_or(s, "reason", "not offered: no stats socket"));
		return;
	}
	if (!jstr(s, "socket")) {
		fprintf(f, "offered at %s, but %s\n",
			json_string_value(json_array_get(jget(s, "sockets"), 0)) ?: "?",
			jstr(s, "reason") ? jstr(s, "reason") : "no socket answered");
	} else {
		fprintf(f, "socket %s (%s)", jstr(s, "socket"), jstr_or(s, "found_by", "?"));
		if (json_array_size(jget(s, "options")))
			fprintf(f, "; scheduler started with %s",
				json_string_value(json_array_get(jget(s, "options"), 0)));
		fprintf(f, "\n");
	}
	fields = jget(s, "fields");
	top = jstr(s, "top");
	if (json_array_size(fields))
		fprintf(f, "%-22s %14s %14s  %s\n", "field", "start", "end", "description");
	json_array_foreach(fields, i, fl) {
		const char *name = jstr(fl, "field"), *st = jstr(fl, "struct");
		char a[64], b[64];

		/* The values are the top struct's; nested structs are in the bundle. */
		if (!name || (top && st && strcmp(st, top)))
			continue;
		if (shown++ >= SHOW_FIELDS) {
			fprintf(f, "... %zu field(s) in all: stats/meta.json\n", json_array_size(fields));
			break;
		}
		scx_scalar_text(a, sizeof(a), json_object_get(jget(s, "start.values"), name), 14);
		scx_scalar_text(b, sizeof(b), json_object_get(jget(s, "end.values"), name), 14);
		fprintf(f, "%-22.22s %14s %14s  %s\n", name, a, b, jstr_or(fl, "desc", ""));
	}
	json_array_foreach(jget(s, "errors"), i, e)
		fprintf(f, "! %s: %s\n", jstr_or(e, "socket", "?"), jstr_or(e, "reason", "?"));
}

/* Sluggish: CPU pressure or a slower custom scheduler, while nothing was ejected. */
static bool sluggish(const json_t *r)
{
	const json_t *h;
	size_t i;

	json_array_foreach(jget(r, "history"), i, h)
		if (jstr(h, "event") && !strcmp(jstr(h, "event"), "error"))
			return false;
	if (!jstr(r, "sched_ext.ops"))
		return false;
	return json_number_value(jget(r, "system.pressure_cpu.some.avg10")) >= 20.0 ||
	       json_number_value(jget(r, "system.pressure_cpu.some.avg60")) >= 20.0 ||
	       (jstr(r, "verdict.class") && !strcmp(jstr(r, "verdict.class"), "custom-scheduler-regression"));
}

static void live_dump(FILE *f, const json_t *r)
{
	const json_t *d = jget(r, "live_dump");

	if (!d) {
		if (sluggish(r))
			fprintf(f, "\nThe system is sluggish under %s but nothing was ejected: `scx-report collect "
				"--dump` adds the kernel's debug dump of the running scheduler (SysRq-D; it stays "
				"loaded).\n", jstr_or(r, "sched_ext.ops", "the scheduler"));
		return;
	}
	rule(f, "Live debug dump (collect --dump, SysRq-D)");
	if (!json_is_true(jget(d, "taken"))) {
		fprintf(f, "not taken: %s\n", jstr_or(d, "reason", "?"));
		return;
	}
	fprintf(f, "%" JSON_INTEGER_FORMAT " line(s) of %s", json_integer_value(jget(d, "dump.lines")),
		jstr_or(d, "dump.ops", jstr_or(d, "ops_before", "?")));
	if (json_is_integer(jget(d, "dump.cpus")))
		fprintf(f, ", %" JSON_INTEGER_FORMAT " CPU(s), %" JSON_INTEGER_FORMAT " task(s) shown",
			json_integer_value(jget(d, "dump.cpus")), json_integer_value(jget(d, "dump.tasks")));
	fprintf(f, "; in live_dump/dump.txt\n");
	fprintf(f, "scheduler afterwards: %s (ops %s, enable_seq %" JSON_INTEGER_FORMAT " -> %" JSON_INTEGER_FORMAT ")\n",
		json_is_true(jget(d, "unchanged")) ? "still enabled, unchanged" : "CHANGED",
		jstr_or(d, "ops_after", "none"), json_integer_value(jget(d, "enable_seq_before")),
		json_integer_value(jget(d, "enable_seq_after")));
}

static void output(FILE *f, const json_t *r)
{
	const json_t *o = jget(r, "scheduler_output"), *s, *l;
	size_t i, k;

	if (!o)
		return;
	rule(f, "The scheduler's output");
	json_array_foreach(jget(o, "streams"), i, s) {
		fprintf(f, "%s: %s", jstr_or(s, "name", "?"), jstr_or(s, "kind", "?"));
		if (jstr(s, "target"))
			fprintf(f, " %s", jstr(s, "target"));
		if (jstr(s, "same_as"))
			fprintf(f, " (the same file as %s)", jstr(s, "same_as"));
		if (jstr(s, "tail"))
			fprintf(f, ": last %" JSON_INTEGER_FORMAT " byte(s) of %" JSON_INTEGER_FORMAT " in %s",
				json_integer_value(jget(s, "tail_bytes")), json_integer_value(jget(s, "size")),
				jstr(s, "tail"));
		if (jstr(s, "note"))
			fprintf(f, ": %s", jstr(s, "note"));
		if (jstr(s, "reason"))
			fprintf(f, " (%s)", jstr(s, "reason"));
		fprintf(f, "\n");
		json_array_foreach(jget(s, "last_lines"), k, l)
			if (k + 8 >= json_array_size(jget(s, "last_lines")))
				fprintf(f, "  | %s\n", json_string_value(l));
	}
	if (jstr(o, "advice"))
		fprintf(f, "%s\n", jstr(o, "advice"));
}

/* The kernel's marker in the last lines of a dump (a JSON array of lines)? */
static bool lines_cut(const json_t *lines)
{
	size_t n = json_array_size(lines);

	for (size_t k = n; k > 0 && n - k < 4; k--) {
		const char *s = json_string_value(json_array_get(lines, k - 1));

		if (s && strstr(s, "~~~~ TRUNCATED ~~~~"))
			return true;
	}
	return false;
}

/* Dumps cut at exit_dump_len: the history's (journal), watch's capture, the live one. */
static void truncated_dumps(FILE *f, const json_t *r)
{
	const json_t *h;
	unsigned n = 0;
	size_t i;

	json_array_foreach(jget(r, "history"), i, h)
		n += lines_cut(jget(h, "dump"));
	n += json_is_true(jget(r, "capture.dump.truncated"));
	n += json_is_true(jget(r, "live_dump.dump.truncated"));
	if (!n)
		return;
	fprintf(f, "! %u debug dump(s) end in `~~~~ TRUNCATED ~~~~`: cut at the kernel's exit_dump_len "
		"(32 KiB by default). Get the whole one with the scheduler's dump-length option "
		"(e.g. scx_lavd --exit-dump-len 262144; most scx schedulers have it), or run `scx-report "
		"watch` (systemctl enable --now scx-report-watch), which reads the dump from the "
		"sched_ext_dump tracepoint, where it is not cut.\n", n);
}

static void hang(FILE *f, const json_t *r)
{
	const json_t *h = jget(r, "hang_readiness"), *a;
	size_t i;

	if (!h)
		return;
	rule(f, "If it hangs: what would be left");
	if (json_is_false(jget(h, "known"))) {
		fprintf(f, "unknown: the lockup detector settings were not readable\n");
		truncated_dumps(f, r);
		return;
	}
	fprintf(f, "lockup detectors: hard %s, soft %s; panic on lockup: hard %s, soft %s; panic_on_warn %s\n",
		json_integer_value(jget(h, "lockup.nmi_watchdog")) ? "on" : "off",
		json_integer_value(jget(h, "lockup.soft_watchdog")) ? "on" : "off",
		json_integer_value(jget(h, "lockup.hardlockup_panic")) ? "yes" : "no",
		json_integer_value(jget(h, "lockup.softlockup_panic")) ? "yes" : "no",
		json_integer_value(jget(h, "panic_on_warn")) ? "on" : "off");
	if (json_is_integer(jget(h, "hung_task.timeout_secs")))
		fprintf(f, "hung tasks: reported after %" JSON_INTEGER_FORMAT " s%s\n",
			json_integer_value(jget(h, "hung_task.timeout_secs")),
			json_integer_value(jget(h, "hung_task.panic")) ? ", then a panic" : "");
	fprintf(f, "pstore: %s; kdump: %s%s%s; journal: %s\n",
		jstr_or(h, "pstore.backend", "no backend"),
		json_integer_value(jget(h, "kdump.loaded")) == 1 ? "capture kernel loaded" : "not loaded",
		jstr(h, "kdump.crashkernel") ? ", crashkernel=" : "", jstr_or(h, "kdump.crashkernel", ""),
		json_is_true(jget(h, "journal.persistent")) ? "persistent" : "not persistent");
	if (json_is_true(jget(h, "would_survive_hard_hang"))) {
		fprintf(f, "a hard hang would leave its panic log (");
		json_array_foreach(jget(h, "survivors"), i, a)
			fprintf(f, "%s%s", i ? ", " : "", json_string_value(a));
		fprintf(f, ")\n");
	} else {
		fprintf(f, "a hard hang would leave NO log of itself%s. To enable (%s family):\n",
			json_is_true(jget(h, "journal.persistent")) ? " (only the journal up to it)" : "",
			jstr_or(h, "family", "other"));
	}
	json_array_foreach(jget(h, "advice"), i, a)
		fprintf(f, "- %s: %s\n", jstr_or(a, "what", "?"), jstr_or(a, "how", "?"));
	truncated_dumps(f, r);
}

void scx_summary_voice(FILE *f, const json_t *r)
{
	stats(f, r);
	live_dump(f, r);
	output(f, r);
	hang(f, r);
}
