// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who owns a failure of this boot, from the kernel log's history (and what
 * the scheduler unit's journal added to it), earlier boots and the
 * environment probe, with the evidence named.  In order:
 *
 *   never-attached         a BPF load/verifier failure with no enable after it:
 *                          the fix to try (BPF JIT off, no BTF, verifier refusal)
 *   kernel-bug-suspected   a WARN/BUG/oops in sched_ext's core (kernel/sched/ext*.c,
 *                          scx_* on top), whatever scheduler its Sched_ext: line names
 *   environment            a stall ejection within seconds of resume from suspend,
 *                          with RT/deadline tasks holding CPUs (the kernel's "Ext
 *                          server disabled" line, an RT hog in the snapshot, RT tasks
 *                          running on the dump's CPUs), or around CPU hotplug
 *   scheduler-version-regression
 *                          the scheduler's error exit, and another version of it ran
 *                          through an earlier boot that ended cleanly: last good version
 *   custom-scheduler-failure
 *                          the scheduler's own error exit (kernel log or, when the
 *                          ring buffer wrapped, its unit's journal); a TRUNCATED dump
 *                          says how to get the whole one
 *   inconclusive           a lockup, RCU stall or hung task while a scheduler ran, with
 *                          no exit: what to collect
 *
 * NULL when none applies (the paired run and the rest of verdict.c decide).
 * Pure: JSON in, JSON out.
 */
#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "signature.h"
#include "util.h"

#define ev_add(ev, ...) do { char _b[768]; snprintf(_b, sizeof(_b), __VA_ARGS__); \
	json_array_append_new(ev, json_string(_b)); } while (0)

#define RESUME_WINDOW_S 120.0	/* a stall this soon after resume is the suspend's */

static const char *or_q(const char *s)
{
	return s && *s ? s : "?";
}

static double t_of(const json_t *ev)
{
	const json_t *v = json_object_get(ev, "uptime_s");

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static bool is(const json_t *ev, const char *kind)
{
	const char *k = jstr(ev, "event");

	return k && !strcmp(k, kind);
}

static json_t *mk(const char *cls, const char *summary, json_t *evidence, const char *to)
{
	return json_pack("{s:s, s:s, s:o, s:s}", "class", cls, "summary", summary, "evidence",
			 evidence, "report_to", to);
}

static void event_line(json_t *ev, const json_t *e)
{
	const char *src = jstr(e, "source");

	ev_add(ev, "%ss %s %s: %s%s%s%s%s", or_q(jstr(e, "time")), or_q(jstr(e, "event")),
	       or_q(jstr(e, "ops")), jstr(e, "reason") ? jstr(e, "reason") : "",
	       jstr(e, "error") && jstr(e, "reason") ? ": " : "", jstr(e, "error") ? jstr(e, "error") : "",
	       src ? " (from the " : "", src ? src : "");
	if (src)
		json_array_set_new(ev, json_array_size(ev) - 1,
				   json_sprintf("%s)", json_string_value(json_array_get(ev, json_array_size(ev) - 1))));
}

static bool kthread_name(const char *c)
{
	static const char *const k[] = { "migration/", "watchdog/", "irq/", "rcu", "ksoftirqd/", "cpuhp/",
					 "idle_inject/", "kworker/", "posixcputmr/", "swapper/" };

	for (size_t i = 0; c && i < ARRAY_SIZE(k); i++)
		if (startswith(c, k[i]))
			return true;
	return false;
}

/* never-attached: load failures with no enable after the last one. */
static json_t *never_attached(const json_t *report, const json_t *hist)
{
	const json_t *h, *fail = NULL;
	json_t *ev;
	bool jit_off = json_integer_value(jget(report, "environment.bpf_jit_enable")) == 0 &&
		       json_is_integer(jget(report, "environment.bpf_jit_enable"));
	bool no_btf = json_is_false(jget(report, "kernel.btf")), e524 = false, btf = false, verifier = false;
	char buf[1024], fix[512];
	const char *to;
	size_t i, k;

	json_array_foreach(hist, i, h) {
		if (is(h, "load-failure"))
			fail = h;
		else if (fail && (is(h, "enabled") || is(h, "error")))
			fail = NULL;
	}
	if (!fail)
		return NULL;
	ev = json_array();
	json_array_foreach(json_object_get(fail, "lines"), k, h) {
		const char *l = json_string_value(h);

		if (k < 6)
			ev_add(ev, "%s", l);
		e524 |= strstr(l, "524") != NULL;
		btf |= strstr(l, "BTF") != NULL;
		verifier |= strstr(l, "LOAD LOG") || strstr(l, "verifier") || strstr(l, "processed ");
	}
	if (jit_off)
		ev_add(ev, "net.core.bpf_jit_enable is 0");
	if (no_btf)
		ev_add(ev, "the kernel has no BTF (/sys/kernel/btf/vmlinux missing)");
	if (jit_off || e524) {
		snprintf(fix, sizeof(fix), "enable the BPF JIT (sysctl -w net.core.bpf_jit_enable=1; "
			 "os error 524 is ENOTSUPP: struct_ops programs need the JIT) and start it again");
		to = "the system's configuration (the distribution, if its default turns the JIT off)";
	} else if (no_btf || (btf && !verifier)) {
		snprintf(fix, sizeof(fix), "use a kernel built with CONFIG_DEBUG_INFO_BTF "
			 "(/sys/kernel/btf/vmlinux), which sched_ext schedulers need");
		to = "the distribution kernel's configuration (no BTF)";
	} else if (verifier) {
		snprintf(fix, sizeof(fix), "the kernel's BPF verifier refused the scheduler's code: try "
			 "the scheduler's version built for this kernel, else report to its author "
			 "with the verifier log (in its unit's journal)");
		to = "the scheduler's author, with the verifier log";
	} else {
		snprintf(fix, sizeof(fix), "read the scheduler's own error in its unit's journal "
			 "(kept in the bundle) and start it by hand to see the whole message");
		to = "the scheduler's author, with its journal";
	}
	snprintf(buf, sizeof(buf), "The custom scheduler %s never attached: it failed to load (%s). "
		 "Fix to try: %s.", or_q(jstr(fail, "ops")), or_q(jstr(fail, "error")), fix);
	return json_pack("{s:s, s:s, s:o, s:s, s:s}", "class", "never-attached", "summary", buf,
			 "evidence", ev, "report_to", to, "fix", fix);
}

static json_t *kernel_bug(const json_t *hist, const json_t *err)
{
	const json_t *h, *oops = NULL;
	json_t *ev;
	char buf[1024], sig[256];
	size_t i;

	/* BPF code cannot fault the kernel: an oops or WARN is the kernel's, and a
	 * lockup or hang with sched_ext's core on top of its trace too */
	json_array_foreach(hist, i, h)
		if (is(h, "oops") && (!jstr(h, "lockup") || json_is_true(json_object_get(h, "core")) ||
				      (json_is_true(json_object_get(h, "sched_ext_in_trace")) &&
				       (!err || t_of(h) > t_of(err)))))
			oops = h;
	if (!oops)
		return NULL;
	ev = json_array();
	event_line(ev, oops);
	if (jstr(oops, "location") || jstr(oops, "function"))
		ev_add(ev, "site: %s in %s: sched_ext's core, not the scheduler's BPF code",
		       or_q(jstr(oops, "function")), or_q(jstr(oops, "location")));
	if (json_array_size(json_object_get(oops, "frames")))
		ev_add(ev, "call trace: %s, ...", or_q(json_string_value(json_array_get(json_object_get(oops, "frames"), 0))));
	if (jstr(oops, "ops"))
		ev_add(ev, "the Sched_ext: line names %s: the scheduler that was running, which a "
		       "WARN or BUG in the core does not make the culprit", jstr(oops, "ops"));
	if (err)
		event_line(ev, err);
	scx_signature_event(oops, sig, sizeof(sig));
	snprintf(buf, sizeof(buf), "A kernel bug is suspected in sched_ext's core (%s)%s%s%s: report "
		 "it against the distribution kernel with this bundle; the scheduler's author is not "
		 "the one to fix it.", sig, jstr(oops, "ops") ? " while " : "",
		 jstr(oops, "ops") ? jstr(oops, "ops") : "", jstr(oops, "ops") ? " was running" : "");
	return json_pack("{s:s, s:s, s:o, s:s, s:s}", "class", "kernel-bug-suspected", "summary", buf,
			 "evidence", ev, "report_to", "the distribution kernel (sched_ext's core)", "signature", sig);
}

/* RT/deadline tasks holding CPUs: named, or NULL. */
static bool rt_evidence(const json_t *report, const json_t *hist, const json_t *err, json_t *ev,
			char *names, size_t len)
{
	const json_t *h, *t;
	bool found = false;
	size_t i;

	names[0] = '\0';
	json_array_foreach(hist, i, h)
		if (is(h, "ext-server-off") && !(t_of(h) > t_of(err))) {
			ev_add(ev, "%ss kernel: %s", or_q(jstr(h, "time")), or_q(jstr(h, "line")));
			found = true;
		}
	json_array_foreach(jget(report, "environment.rt.hogs"), i, t) {
		ev_add(ev, "RT hog in the snapshot: %s[%" JSON_INTEGER_FORMAT "] %s prio %" JSON_INTEGER_FORMAT
		       " on CPUs %s, %.0f%% of a CPU since it started", or_q(jstr(t, "comm")),
		       json_integer_value(json_object_get(t, "pid")), or_q(jstr(t, "policy")),
		       json_integer_value(json_object_get(t, "priority")), or_q(jstr(t, "cpus")),
		       100 * json_number_value(json_object_get(t, "cpu_share")));
		snprintf(names + strlen(names), len - strlen(names), "%s%s", names[0] ? ", " : "",
			 or_q(jstr(t, "comm")));
		found = true;
	}
	json_array_foreach(json_object_get(err, "rt_curr"), i, t) {
		const char *c = json_string_value(t);

		if (kthread_name(c))
			continue;
		ev_add(ev, "the debug dump shows %s running in the RT/deadline class on a CPU", or_q(c));
		if (!strstr(names, c))
			snprintf(names + strlen(names), len - strlen(names), "%s%.*s", names[0] ? ", " : "",
				 (int)strcspn(c, "["), c);
		found = true;
	}
	if (found && json_is_integer(jget(report, "environment.rt.runtime_us")))
		ev_add(ev, "RT throttling: sched_rt_runtime_us %" JSON_INTEGER_FORMAT " of sched_rt_period_us %"
		       JSON_INTEGER_FORMAT, json_integer_value(jget(report, "environment.rt.runtime_us")),
		       json_integer_value(jget(report, "environment.rt.period_us")));
	return found;
}

static json_t *environment(const json_t *report, const json_t *hist, const json_t *err)
{
	const char *reason = jstr(err, "reason"), *msg = jstr(err, "error");
	bool stall = reason && strstr(reason, "stall");
	const json_t *h, *resume = NULL;
	char buf[1200], names[256];
	json_t *ev = json_array();
	size_t i;

	json_array_foreach(hist, i, h)
		if (is(h, "resume") && t_of(h) <= t_of(err) + 1 && t_of(err) - t_of(h) <= RESUME_WINDOW_S)
			resume = h;
	event_line(ev, err);
	if (stall && resume) {
		ev_add(ev, "%ss kernel: %s, %.1f s before the stall ejection", or_q(jstr(resume, "time")),
		       or_q(jstr(resume, "line")), t_of(err) - t_of(resume));
		snprintf(buf, sizeof(buf), "The custom scheduler %s was ejected for a stall %.0f s after "
			 "the system resumed from suspend: the watchdog counted the time asleep. This is "
			 "the kernel's (newer kernels bypass the BPF scheduler during PM operations): "
			 "update the kernel; the scheduler's author cannot fix it.", or_q(jstr(err, "ops")),
			 t_of(err) - t_of(resume));
		return json_pack("{s:s, s:s, s:o, s:s, s:s}", "class", "environment", "summary", buf,
				 "evidence", ev, "report_to", "the distribution kernel (stall detection "
				 "across suspend/resume)", "cause", "suspend-resume");
	}
	if (stall && rt_evidence(report, hist, err, ev, names, sizeof(names))) {
		snprintf(buf, sizeof(buf), "Real-time tasks (%s) held CPUs until sched_ext's watchdog "
			 "ejected %s: RT and deadline tasks run before any sched_ext task, so this is not "
			 "the scheduler's bug. Lower their priority or pin them away, or keep the ext "
			 "deadline server on (RT throttling).", names[0] ? names : "see the evidence",
			 or_q(jstr(err, "ops")));
		return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "class", "environment", "summary", buf,
				 "evidence", ev, "report_to", "whoever runs the RT tasks (the system's "
				 "configuration), not the scheduler's author", "cause", "rt-hog", "rt_tasks", names);
	}
	if (msg && is(err, "error") && (strstr(msg, "offline") || strstr(msg, "online") || strstr(msg, "hotplug"))) {
		snprintf(buf, sizeof(buf), "The custom scheduler %s exited around CPU hotplug (%s): a "
			 "scheduler without hotplug callbacks is restarted by its loader; if it did not come "
			 "back, that is its loader's business.", or_q(jstr(err, "ops")), msg);
		return json_pack("{s:s, s:s, s:o, s:s, s:s}", "class", "environment", "summary", buf,
				 "evidence", ev, "report_to", "the scheduler's author only if it did not restart "
				 "after the hotplug", "cause", "hotplug");
	}
	json_decref(ev);
	return NULL;
}

/* Another version of the same scheduler through a cleanly ended earlier boot. */
static json_t *version_regression(const json_t *report, const json_t *err, const char *to)
{
	char name[128], ver[64], n2[128], v2[64], buf[1024], sig[256];
	const json_t *boot, *s;
	size_t i, k;

	scx_ops_split(jstr(err, "ops"), name, sizeof(name), ver, sizeof(ver));
	if (!ver[0]) {
		/* an unversioned name in the exit line: the version the enable line gave */
		const json_t *h;
		char n0[128], v0[64];

		json_array_foreach(jget(report, "history"), i, h)
			if (is(h, "enabled") && !(t_of(h) > t_of(err))) {
				scx_ops_split(jstr(h, "ops"), n0, sizeof(n0), v0, sizeof(v0));
				if (v0[0] && (!name[0] || !strcmp(n0, name))) {
					snprintf(name, sizeof(name), "%s", n0);
					snprintf(ver, sizeof(ver), "%s", v0);
				}
			}
	}
	if (!ver[0])
		return NULL;
	json_array_foreach(jget(report, "boots"), i, boot) {
		if (!json_is_integer(json_object_get(boot, "index")) ||
		    json_integer_value(json_object_get(boot, "index")) >= 0 ||
		    !json_is_true(json_object_get(boot, "clean_shutdown")) ||
		    json_array_size(json_object_get(boot, "errors")))
			continue;
		json_array_foreach(json_object_get(boot, "schedulers"), k, s) {
			json_t *ev;

			scx_ops_split(json_string_value(s), n2, sizeof(n2), v2, sizeof(v2));
			if (strcmp(n2, name) || !v2[0] || !strcmp(v2, ver))
				continue;
			ev = json_array();
			event_line(ev, err);
			ev_add(ev, "boot %" JSON_INTEGER_FORMAT " ran %s and ended cleanly (%s), with no "
			       "error exit", json_integer_value(json_object_get(boot, "index")),
			       json_string_value(s), or_q(jstr(boot, "shutdown_record")));
			scx_signature_event(err, sig, sizeof(sig));
			snprintf(buf, sizeof(buf), "%s %s failed in this boot (%s); %s %s ran through an "
				 "earlier boot without one: last good version %s. A regression of the "
				 "scheduler: report it to its author with both versions.", name, ver,
				 or_q(jstr(err, "reason")), name, v2, v2);
			return json_pack("{s:s, s:s, s:o, s:s, s:s}", "class", "scheduler-version-regression",
					 "summary", buf, "evidence", ev, "report_to", to,
					 "last_good_version", v2);
		}
	}
	return NULL;
}

json_t *scx_verdict_owner(const json_t *report, const char *sched_to)
{
	const json_t *hist = jget(report, "history"), *h, *err = NULL, *lock = NULL;
	json_t *v, *ev;
	char buf[1200];
	size_t i;

	if ((v = never_attached(report, hist)))
		return v;
	json_array_foreach(hist, i, h) {
		if (is(h, "error") || is(h, "soft-lockup") ||
		    (is(h, "disabled") && jstr(h, "reason") && strstr(jstr(h, "reason"), "main kernel") &&
		     jstr(h, "error")))
			err = h;
		if (is(h, "oops") && jstr(h, "lockup"))
			lock = h;
	}
	if ((v = kernel_bug(hist, err)))
		return v;
	if (!err) {
		if (!lock || !jstr(lock, "ops"))
			return NULL;
		ev = json_array();
		event_line(ev, lock);
		snprintf(buf, sizeof(buf), "A %s happened while %s ran, with no exit of the scheduler: "
			 "not enough to tell the kernel from the scheduler. Collect: the whole kernel log "
			 "of that moment, the scheduler's unit journal, and a run without it (scx-report's "
			 "paired run, or the workload on the default scheduler).",
			 or_q(jstr(lock, "lockup")), jstr(lock, "ops"));
		return mk("inconclusive", buf, ev, sched_to);
	}
	if ((v = environment(report, hist, err)))
		return v;
	if (jstr(err, "error") && strstr(jstr(err, "error"), "watchdog failed to check in") &&
	    jstr(err, "generation")) {
		/* Before 6.12 (the "errored, disabling" kernels) the watchdog also fired across a
		 * suspend, which 6.12's PM bypass ended: the log alone cannot tell the two apart. */
		ev = json_array();
		event_line(ev, err);
		ev_add(ev, "a sched_ext kernel from before 6.12 (its \"errored, disabling\" wording), "
		       "without the bypass during PM operations");
		snprintf(buf, sizeof(buf), "%s was ejected because sched_ext's watchdog itself did not run "
			 "(%s) on a kernel from before 6.12, where a suspend and resume did the same. "
			 "Collect: the kernel log before it (PM: lines) and whether the machine slept; "
			 "update to a 6.12+ kernel, and report to the scheduler's author if it recurs there.",
			 or_q(jstr(err, "ops")), jstr(err, "error"));
		return mk("inconclusive", buf, ev, "the distribution kernel first (update it); the "
			  "scheduler's author if it recurs on 6.12+");
	}
	if ((v = version_regression(report, err, sched_to)))
		return v;
	ev = json_array();
	event_line(ev, err);
	snprintf(buf, sizeof(buf), "The custom scheduler %s failed in this boot (%s); the kernel fell "
		 "back to the default scheduler.", or_q(jstr(err, "ops")), or_q(jstr(err, "reason")));
	if (json_is_true(json_object_get(err, "dump_truncated"))) {
		ev_add(ev, "the debug dump ends with ~~~~ TRUNCATED ~~~~");
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " Its debug dump was cut "
			 "(~~~~ TRUNCATED ~~~~): start it with a larger dump buffer (the scx schedulers' "
			 "--exit-dump-len, e.g. 262144, which sets ops.exit_dump_len) to get the whole "
			 "one for its author.");
	}
	if (jstr(err, "source"))
		ev_add(ev, "the kernel log no longer holds this exit (its ring buffer wrapped or was "
		       "cleared): it comes from the %s", jstr(err, "source"));
	v = mk("custom-scheduler-failure", buf, ev, sched_to);
	if (json_is_true(json_object_get(err, "dump_truncated")))
		json_object_set_new(v, "dump_truncated", json_true());
	return v;
}
