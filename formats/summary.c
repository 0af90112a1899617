// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.txt: the verdict (its first line) and the scheduler first, then the problems
 * found, then the history of this boot, then measurements and context.
 * Only reads the report model; each section says nothing when its data is
 * absent, so a bundle from a kernel without sched_ext still reads well.
 */
#include <inttypes.h>
#include <string.h>

#include "formats.h"
#include "qos-scorecard.h"
#include "units.h"
#include "util.h"

static void rule(FILE *f, const char *title)
{
	fprintf(f, "\n== %s ==\n", title);
}

static void sched_ext_state(FILE *f, const json_t *r)
{
	const json_t *s = jget(r, "sched_ext");
	json_t *ev;

	if (!s)
		return;
	if (!json_is_true(jget(s, "supported"))) {
		fprintf(f, "sched_ext: NOT AVAILABLE in this kernel (%s)\n",
			jstr_or(s, "reason", "no /sys/kernel/sched_ext"));
		return;
	}
	fprintf(f, "sched_ext: state %s", jstr_or(s, "state", "unknown"));
	if (jstr(s, "ops"))
		fprintf(f, ", ops \"%s\"", jstr(s, "ops"));
	/* switch_all means something only while a scheduler is loaded. */
	if (jstr(s, "ops") && json_is_integer(jget(s, "switch_all")))
		fprintf(f, ", %s", json_integer_value(jget(s, "switch_all")) ? "all tasks (switch_all)"
									   : "partial");
	fprintf(f, "\n");
	fprintf(f, "  enable_seq %" JSON_INTEGER_FORMAT " (schedulers enabled since boot)",
		json_integer_value(jget(s, "enable_seq")));
	if (json_is_integer(jget(s, "nr_rejected")))
		fprintf(f, ", nr_rejected %" JSON_INTEGER_FORMAT,
			json_integer_value(jget(s, "nr_rejected")));
	/* Only a scan that saw tasks says how many run on sched_ext. */
	if (jstr(s, "ops") && json_integer_value(jget(r, "system.tasks_scanned")) > 0)
		fprintf(f, ", tasks on sched_ext %" JSON_INTEGER_FORMAT " of %" JSON_INTEGER_FORMAT "%s",
			json_integer_value(jget(r, "system.tasks_on_ext")),
			json_integer_value(jget(r, "system.tasks_scanned")),
			json_is_true(jget(r, "system.tasks_scan_truncated")) ? " (scan cut short)" : "");
	fprintf(f, "\n");
	ev = jget(s, "events");
	if (json_is_object(ev) && json_object_size(ev) > 0) {
		const char *k;
		json_t *v;
		int shown = 0;

		fprintf(f, "  events (non-zero):");
		json_object_foreach(ev, k, v) {
			if (json_is_integer(v) && json_integer_value(v) != 0) {
				fprintf(f, "%s%s=%" JSON_INTEGER_FORMAT, shown % 3 ? " " : "\n    ",
					startswith(k, "SCX_EV_") ? k + 7 : k, json_integer_value(v));
				shown++;
			}
		}
		fprintf(f, "%s\n", shown ? "" : " none");
	}
	if (json_is_array(jget(s, "sub_schedulers")) && json_array_size(jget(s, "sub_schedulers")))
		fprintf(f, "  sub-schedulers: %zu\n", json_array_size(jget(s, "sub_schedulers")));
}

static void problems(FILE *f, const json_t *r)
{
	const json_t *hist = jget(r, "history"), *h, *flags;
	size_t i, n = 0;

	rule(f, "Problems found");
	json_array_foreach(hist, i, h) {
		const char *ev = jstr(h, "event");

		if (ev && (!strcmp(ev, "error") || !strcmp(ev, "soft-lockup") || !strcmp(ev, "oops"))) {
			fprintf(f, "- [%s] %s: %s%s%s\n", jstr_or(h, "time", "?"),
				jstr_or(h, "ops", "sched_ext"),
				jstr_or(h, "reason", ev),
				jstr(h, "error") ? ": " : "", jstr_or(h, "error", ""));
			n++;
		}
	}
	if (json_integer_value(jget(r, "sched_ext.nr_rejected")) > 0) {
		fprintf(f, "- %" JSON_INTEGER_FORMAT " task(s) were refused SCHED_EXT (nr_rejected)\n",
			json_integer_value(jget(r, "sched_ext.nr_rejected")));
		n++;
	}
	flags = jget(r, "kernel.taint.flags");
	if (json_is_array(flags) && json_array_size(flags) > 0) {
		fprintf(f, "- kernel tainted (%s):", jstr_or(r, "kernel.taint.letters", ""));
		json_array_foreach(flags, i, h)
			fprintf(f, "%s %s", i ? "," : "", jstr_or(h, "name", "?"));
		fprintf(f, "\n");
		n++;
	}
	json_array_foreach(jget(r, "problems"), i, h) {
		fprintf(f, "- %s\n", json_string_value(h));
		n++;
	}
	if (!n)
		fprintf(f, "none\n");
}

static void history(FILE *f, const json_t *r)
{
	const json_t *hist = jget(r, "history"), *h;
	size_t i;

	if (!json_is_array(hist))
		return;
	rule(f, "sched_ext history (this boot)");
	if (json_array_size(hist) == 0) {
		fprintf(f, "no scheduler has been enabled since boot\n");
		return;
	}
	json_array_foreach(hist, i, h) {
		fprintf(f, "%12s  %-9s %s", jstr_or(h, "time", "?"),
			jstr_or(h, "event", "?"), jstr_or(h, "ops", ""));
		if (jstr(h, "reason"))
			fprintf(f, " (%s)", jstr(h, "reason"));
		if (jstr(h, "error"))
			fprintf(f, ": %s", jstr(h, "error"));
		fprintf(f, "\n");
	}
}

static void context(FILE *f, const json_t *r)
{
	rule(f, "System");
	if (jstr(r, "host.kernel"))
		fprintf(f, "kernel: %s\n", jstr(r, "host.kernel"));
	if (jstr(r, "host.os"))
		fprintf(f, "os: %s\n", jstr(r, "host.os"));
	if (json_is_integer(jget(r, "kernel.taint.value")))
		fprintf(f, "taint: %" JSON_INTEGER_FORMAT "%s%s\n",
			json_integer_value(jget(r, "kernel.taint.value")),
			jstr(r, "kernel.taint.letters") && *jstr(r, "kernel.taint.letters") ? " " : "",
			jstr_or(r, "kernel.taint.letters", ""));
	if (jstr(r, "system.cpu.model"))
		fprintf(f, "cpu: %s\n", jstr(r, "system.cpu.model"));
	if (json_is_integer(jget(r, "system.cpu.online_count"))) {
		fprintf(f, "cpus: %" JSON_INTEGER_FORMAT " online of %" JSON_INTEGER_FORMAT " possible",
			json_integer_value(jget(r, "system.cpu.online_count")),
			json_integer_value(jget(r, "system.cpu.possible_count")));
		/* Topology counts only when the kernel showed them (not in every capture). */
		if (json_integer_value(jget(r, "system.cpu.cores")) > 0)
			fprintf(f, ", %" JSON_INTEGER_FORMAT " core(s)",
				json_integer_value(jget(r, "system.cpu.cores")));
		if (json_integer_value(jget(r, "system.cpu.packages")) > 0)
			fprintf(f, ", %" JSON_INTEGER_FORMAT " package(s)",
				json_integer_value(jget(r, "system.cpu.packages")));
		if (json_integer_value(jget(r, "system.numa.nodes")) > 0)
			fprintf(f, ", %" JSON_INTEGER_FORMAT " NUMA node(s)",
				json_integer_value(jget(r, "system.numa.nodes")));
		if (json_is_boolean(jget(r, "system.cpu.smt")))
			fprintf(f, ", SMT %s", json_is_true(jget(r, "system.cpu.smt")) ? "on" : "off");
		fprintf(f, "\n");
	}
	if (jstr(r, "system.loadavg"))
		fprintf(f, "loadavg: %s\n", jstr(r, "system.loadavg"));
	if (jstr(r, "kernel.cmdline"))
		fprintf(f, "cmdline: %s\n", jstr(r, "kernel.cmdline"));
}

static void probes(FILE *f, const json_t *r)
{
	const char *k;
	json_t *v;

	rule(f, "Probes");
	json_object_foreach(jget(r, "probes"), k, v) {
		fprintf(f, "%-12s %-8s%s%s%s\n", k, jstr_or(v, "status", "?"),
			jstr_or(v, "reason", ""),
			json_is_true(jget(v, "truncated")) ? " (truncated)" : "", "");
	}
}

void scx_summary_render(FILE *f, const json_t *r)
{
	const char *cls = jstr(r, "verdict.class");

	/* A qos bundle (scx-report qos -o): its summary is the scorecard. */
	if (json_is_object(jget(r, "qos")) && !jget(r, "verdict")) {
		scx_qos_scorecard_text(f, jget(r, "qos"));
		return;
	}

	if (cls)
		fprintf(f, "Verdict: %s: %s\n", cls, jstr_or(r, "verdict.summary", ""));
	if (jstr(r, "verdict.signature"))
		fprintf(f, "Signature: %s\n", jstr(r, "verdict.signature"));
	if (jstr(r, "verdict.known.fixed_in"))
		fprintf(f, "Known: fixed in %s%s%s\n", jstr(r, "verdict.known.fixed_in"),
			jstr(r, "verdict.known.commit") ? " by " : "", jstr_or(r, "verdict.known.commit", ""));
	/* Who gets the bug decides everything else the reader does: say it first. */
	if (jstr(r, "verdict.report_to"))
		fprintf(f, "Report to: %s\n", jstr(r, "verdict.report_to"));
	if (jstr(r, "paired.result.figure")) {
		char fig[256];

		scx_fmt_paired_result(fig, sizeof(fig), jget(r, "paired.result"), jstr(r, "paired.ops"));
		fprintf(f, "Measured: %s\n", fig);
	}
	scx_summary_partial_line(f, r);
	scx_summary_scheduler_line(f, r);
	sched_ext_state(f, r);
	problems(f, r);
	scx_summary_missing(f, r);
	history(f, r);
	scx_summary_boots(f, r);
	scx_summary_scheduler(f, r);
	scx_summary_latency(f, r);
	scx_summary_paired(f, r);
	scx_summary_voice(f, r);
	context(f, r);
	probes(f, r);
	fprintf(f, "\nCollected by scx-report %s on %s at %s\n",
		jstr_or(r, "tool.version", "?"),
		jstr_or(r, "collection.hostname", "?"),
		jstr_or(r, "collection.start", "?"));
}
