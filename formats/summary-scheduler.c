// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler lines of summary.txt, from the report's "scheduler" section
 * (probes/scheduler.c): the one-line headline a person understands, and a
 * detailed "Scheduler" section.  Falls back to sched_ext.ops when the
 * identity probe did not run.
 */
#include <string.h>

#include "formats.h"
#include "util.h"

static const char *manager_phrase(const json_t *s, char *buf, size_t len)
{
	const char *m = jstr(s, "manager"), *unit = jstr(s, "unit");

	if (!m)
		return "";
	if (!strcmp(m, "systemd"))
		snprintf(buf, len, " via %s", unit ? unit : "systemd");
	else if (!strcmp(m, "scx_loader"))
		snprintf(buf, len, " via scx_loader%s%s", jstr(s, "loader.CurrentScheduler") ? " (" : "",
			 jstr_or(s, "loader.CurrentScheduler", ""));
	else if (!strcmp(m, "openrc"))
		snprintf(buf, len, " via OpenRC service scx");
	else if (!strcmp(m, "manual"))
		snprintf(buf, len, ", started by hand");
	else
		buf[0] = '\0';
	if (!strcmp(m, "scx_loader") && jstr(s, "loader.CurrentScheduler"))
		strncat(buf, ")", len - strlen(buf) - 1);
	return buf;
}

static void trusted_phrase(FILE *f, const json_t *s)
{
	if (jstr(s, "trusted.file"))
		fprintf(f, ", trusted (%s)", jstr(s, "trusted.file"));
	else if (jstr(s, "trust_warning"))
		fprintf(f, ", NOT the trusted build");
}

void scx_summary_scheduler_line(FILE *f, const json_t *r)
{
	const json_t *s = jget(r, "scheduler");
	const char *prov, *name;
	char mgr[256];

	if (!json_is_true(jget(r, "sched_ext.supported")) && !json_is_true(jget(s, "active"))) {
		if (jget(r, "sched_ext"))
			fprintf(f, "No custom scheduler: this kernel has no sched_ext\n");
		return;
	}
	if (!s || (!json_is_true(jget(s, "active")) && jstr(r, "sched_ext.ops"))) {
		if (jstr(r, "sched_ext.ops"))
			fprintf(f, "Custom scheduler: %s\n", jstr(r, "sched_ext.ops"));
		else
			fprintf(f, "No custom scheduler is running (default kernel scheduler)\n");
		return;
	}
	if (!json_is_true(jget(s, "active"))) {
		fprintf(f, "No custom scheduler is running (default kernel scheduler)\n");
		return;
	}
	name = jstr_or(s, "name", "?");
	prov = jstr_or(s, "provenance", "unknown");
	manager_phrase(s, mgr, sizeof(mgr));
	fprintf(f, "Custom scheduler: %s", name);
	if (jstr(s, "version"))
		fprintf(f, " %s", jstr(s, "version"));
	if (json_is_true(jget(s, "registered_without_process"))) {
		fprintf(f, " — registered with NO PROCESS holding it (struct_ops map %" JSON_INTEGER_FORMAT ")",
			json_integer_value(jget(s, "bpf.struct_ops_map_id")));
		trusted_phrase(f, s);
		fprintf(f, "\n");
		return;
	}
	if (!strcmp(prov, "packaged-verified") || !strcmp(prov, "packaged-modified")) {
		fprintf(f, " (%s %s, %s)", jstr_or(s, "package.name", "?"),
			jstr_or(s, "package.version", "?"),
			!strcmp(prov, "packaged-verified") ? "package verified"
							   : "MODIFIED: binary differs from its package");
	} else if (!strcmp(prov, "unpackaged")) {
		const char *sha = jstr(s, "sha256");

		fprintf(f, " — UNPACKAGED binary %s, sha256 %.16s…", jstr_or(s, "exe.path", "?"),
			sha ? sha : "?");
	} else {
		fprintf(f, " (provenance unknown)");
	}
	if (json_is_true(jget(s, "exe.deleted")))
		fprintf(f, " [binary deleted since start]");
	else if (json_is_true(jget(s, "exe.replaced")))
		fprintf(f, " [binary replaced since start]");
	trusted_phrase(f, s);
	if (json_is_integer(jget(s, "process.pid")) && strcmp(prov, "unpackaged"))
		fprintf(f, " pid %" JSON_INTEGER_FORMAT, json_integer_value(jget(s, "process.pid")));
	fprintf(f, "%s\n", mgr);
}

static void list_line(FILE *f, const char *label, const json_t *a, const char *sep)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a) || !json_array_size(a))
		return;
	fprintf(f, "%s", label);
	json_array_foreach(a, i, v)
		fprintf(f, "%s%s", i ? sep : "", json_is_string(v) ? json_string_value(v) : "?");
	fprintf(f, "\n");
}

void scx_summary_scheduler(FILE *f, const json_t *r)
{
	const json_t *s = jget(r, "scheduler"), *v;
	size_t i;

	if (!s)
		return;
	fprintf(f, "\n== Scheduler ==\n");
	if (!json_is_true(jget(s, "active"))) {
		fprintf(f, "no custom scheduler is registered\n");
		if (jstr(s, "unit"))
			fprintf(f, "its debug dump was found in the journal of %s (see the history)\n",
				jstr(s, "unit"));
		list_line(f, "skipped: ", jget(s, "skipped"), "; ");
		return;
	}
	fprintf(f, "ops: %s\n", jstr_or(s, "ops", "?"));
	if (jstr(s, "version"))
		fprintf(f, "name %s, version %s%s%s%s, target %s\n", jstr(s, "name"), jstr(s, "version"),
			jstr(s, "git_sha") ? ", git " : "", jstr_or(s, "git_sha", ""),
			json_is_true(jget(s, "dirty")) ? " (dirty)" : "",
			jstr_or(s, "target", "?"));
	if (json_is_integer(jget(s, "bpf.struct_ops_map_id"))) {
		fprintf(f, "struct_ops map %" JSON_INTEGER_FORMAT " (%s), %zu program(s), %zu link(s)\n",
			json_integer_value(jget(s, "bpf.struct_ops_map_id")),
			jstr_or(s, "bpf.struct_ops_map_name", "?"),
			json_array_size(jget(s, "bpf.programs")), json_array_size(jget(s, "bpf.links")));
		json_array_foreach(jget(s, "bpf.programs"), i, v)
			fprintf(f, "  prog %" JSON_INTEGER_FORMAT " %-16s tag %s xlated %" JSON_INTEGER_FORMAT
				" B run_cnt %" JSON_INTEGER_FORMAT "\n",
				json_integer_value(jget(v, "id")), jstr_or(v, "name", "?"),
				jstr_or(v, "tag", "?"), json_integer_value(jget(v, "xlated_len")),
				json_integer_value(jget(v, "run_cnt")));
	}
	if (json_is_true(jget(s, "registered_without_process")))
		fprintf(f, "no process holds it: registered and left behind\n");
	if (jget(s, "process")) {
		const json_t *p = jget(s, "process");

		fprintf(f, "process: pid %" JSON_INTEGER_FORMAT " %s", json_integer_value(jget(p, "pid")),
			jstr_or(p, "comm", "?"));
		if (json_is_integer(jget(p, "uid")))
			fprintf(f, " uid %" JSON_INTEGER_FORMAT, json_integer_value(jget(p, "uid")));
		fprintf(f, "%s%s\n", jstr(p, "cgroup") ? " cgroup " : "", jstr_or(p, "cgroup", ""));
		list_line(f, "  command: ", jget(p, "cmdline"), " ");
		if (json_array_size(jget(p, "parents"))) {
			fprintf(f, "  parents:");
			json_array_foreach(jget(p, "parents"), i, v)
				fprintf(f, " %s[%" JSON_INTEGER_FORMAT "]", jstr_or(v, "comm", "?"),
					json_integer_value(jget(v, "pid")));
			fprintf(f, "\n");
		}
	}
	if (jstr(s, "exe.path"))
		fprintf(f, "binary: %s, %" JSON_INTEGER_FORMAT " bytes%s%s\n", jstr(s, "exe.path"),
			json_integer_value(jget(s, "exe.size")),
			json_is_true(jget(s, "exe.deleted")) ? ", DELETED since start" : "",
			json_is_true(jget(s, "exe.replaced")) ? ", REPLACED on disk since start" : "");
	if (jstr(s, "sha256"))
		fprintf(f, "  sha256 %s\n", jstr(s, "sha256"));
	if (jstr(s, "build_id"))
		fprintf(f, "  build-id %s\n", jstr(s, "build_id"));
	if (jstr(s, "package.name"))
		fprintf(f, "package: %s %s (%s)%s%s\n", jstr(s, "package.name"),
			jstr_or(s, "package.version", "?"),
			jstr_or(s, "package.manager", "?"),
			jstr(s, "package.origin") ? ", origin " : "",
			jstr_or(s, "package.origin", ""));
	list_line(f, "  changed files of the package: ", jget(s, "package.modified_files"), " ");
	fprintf(f, "provenance: %s (%s)\n", jstr_or(s, "provenance", "unknown"),
		jstr_or(s, "provenance_reason", ""));
	if (jstr(s, "trusted.file"))
		fprintf(f, "trusted: %s %s (%s) by %s, listed in %s\n",
			jstr_or(s, "trusted.name", "?"),
			jstr_or(s, "trusted.version", ""),
			jstr_or(s, "trusted.package", ""),
			jstr_or(s, "trusted.by", "?"), jstr(s, "trusted.file"));
	if (jstr(s, "trust_warning"))
		fprintf(f, "WARNING: %s\n", jstr(s, "trust_warning"));
	fprintf(f, "manager: %s%s%s\n", jstr_or(s, "manager", "unknown"),
		jstr(s, "unit") ? " " : "", jstr_or(s, "unit", ""));
	json_array_foreach(jget(s, "manager_evidence"), i, v)
		fprintf(f, "  - %s\n", json_string_value(v) ? json_string_value(v) : "?");
	if (jstr(s, "unit_props.ExecStart"))
		fprintf(f, "  ExecStart: %s\n", jstr(s, "unit_props.ExecStart"));
	if (jget(s, "loader")) {
		fprintf(f, "  scx_loader: %s", jstr_or(s, "loader.CurrentScheduler", "?"));
		if (json_is_integer(jget(s, "loader.SchedulerMode")))
			fprintf(f, " mode %" JSON_INTEGER_FORMAT, json_integer_value(jget(s, "loader.SchedulerMode")));
		fprintf(f, "\n");
	}
	if (jstr(s, "signed.why"))
		fprintf(f, "signed BPF: unknown (%s)\n", jstr(s, "signed.why"));
	list_line(f, "skipped: ", jget(s, "skipped"), "; ");
}
