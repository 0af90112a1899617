// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log lines beyond the 6.12 forms of kmsg-parse.c, one recogniser
 * per format generation, and what surrounds a failure:
 *
 *   sched_ext: BPF scheduler "NAME" errored, disabling    (2023) + reason line
 *   COMM[PID] triggered exit kind N[ on CPU n]:           the debug dump (7.x adds the CPU)
 *     REASON (MESSAGE)                                    its next line
 *   NAME: root | NAME: sub-ID                             the dump's scope line (7.1+)
 *   Backtrace: + frames, ~~~~ TRUNCATED ~~~~              the dump's backtrace, a cut dump
 *   [Error: ]EXIT: REASON (MESSAGE)                       the scheduler's own last words
 *   WARNING: CPU: n PID: p at FILE:LINE FUNC+off/len      older WARN header
 *   WARNING: FILE:LINE at FUNC+off/len, CPU#n: COMM/PID   6.17+ WARN header
 *   kernel BUG at FILE:LINE!, BUG: ..., RIP: 0010:FUNC+off/len, call trace frames
 *   watchdog: BUG: soft lockup, hard LOCKUP, rcu: INFO: rcu_* stall, INFO: task ... blocked
 *   PM: suspend entry / suspend exit / hibernation ...    suspend, resume
 *   Ext server disabled on CPU N, ...                     ext-server-off (7.x)
 *   libbpf: ... failed, os error 524, BTF ...             load-failure (a unit's journal)
 *
 * An oops becomes an `oops` event when it carries a `Sched_ext:` line
 * (kmsg-parse.c), or when its WARN/BUG site or the top of its call trace is
 * sched_ext's core, or when it is a lockup while a scheduler runs; the event
 * gets `function`, `location`, `frames`, `core`, `lockup`, `bpf_frames`.
 */
#include "kmsg-parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define OOPS_WINDOW 200		/* lines an oops's RIP and trace may follow its header */
#define OOPS_FRAMES 16
#define LOAD_LINES 20

static void copy_until(char *dst, size_t len, const char *src, const char *stops)
{
	size_t n = strcspn(src, stops);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool kmsg_parse_warn(const char *line, char *file, size_t file_len, char *func, size_t func_len)
{
	const char *p, *at;

	file[0] = func[0] = '\0';
	if (startswith(line, "kernel BUG at ")) {
		copy_until(file, file_len, line + strlen("kernel BUG at "), ":!");
		return true;
	}
	if (!startswith(line, "WARNING: "))
		return false;
	p = line + strlen("WARNING: ");
	if (startswith(p, "CPU: ")) {
		/* WARNING: CPU: 3 PID: 1 at kernel/sched/ext.c:4512 scx_foo+0x12/0x30 [mod] */
		at = strstr(p, " at ");
		if (!at)
			return false;
		at += 4;
		copy_until(file, file_len, at, ": ");
		at = strchr(at, ' ');
		if (at)
			copy_until(func, func_len, at + 1, "+ ");
		return true;
	}
	/* WARNING: kernel/sched/ext.c:4512 at scx_foo+0x12/0x30, CPU#3: comm/1 */
	at = strstr(p, " at ");
	if (!at || !memchr(p, ':', (size_t)(at - p)))
		return false;
	copy_until(file, file_len, p, ": ");
	copy_until(func, func_len, at + 4, "+, ");
	return file[0] != '\0';
}

const char *kmsg_lockup_kind(const char *line)
{
	if (strstr(line, "soft lockup"))
		return "soft-lockup";
	if (strstr(line, "hard LOCKUP"))
		return "hard-lockup";
	if (strstr(line, "rcu_") && strstr(line, "stall"))
		return "rcu-stall";
	if (strstr(line, "INFO: task ") && strstr(line, "blocked for more than"))
		return "hung-task";
	return NULL;
}

bool kmsg_frame_func(const char *line, char *func, size_t len, bool *ret_unreliable)
{
	const char *t = line + strspn(line, " \t"), *plus, *sp;

	*ret_unreliable = false;
	if (startswith(t, "? ")) {
		*ret_unreliable = true;
		t += 2;
	}
	sp = t + strcspn(t, " \t");
	plus = strstr(t, "+0x");
	if (!plus || plus > sp || plus == t)
		return false;
	copy_until(func, len, t, "+");
	return true;
}

bool kmsg_is_scx_core(const char *s)
{
	if (!s || !*s || startswith(s, "bpf_prog_"))
		return false;
	return strstr(s, "kernel/sched/ext") || startswith(s, "scx_") || startswith(s, "__scx_") ||
	       strstr(s, "_scx_") || endswith(s, "_scx") || startswith(s, "bpf_struct_ops");
}

const char *kmsg_pm_event(const char *line)
{
	const char *pm = strstr(line, "PM: ");

	if (!pm)
		return NULL;
	if (strstr(pm, "suspend exit") || strstr(pm, "hibernation exit") ||
	    strstr(pm, "resume from") || startswith(pm, "PM: resume") ||
	    strstr(pm, "Waking up from system sleep"))
		return "resume";
	if (strstr(pm, "suspend entry") || strstr(pm, "hibernation entry") ||
	    strstr(pm, "Preparing to enter system sleep"))
		return "suspend";
	return NULL;
}

/* "REASON (MESSAGE)" or "REASON" into the event. */
static void set_reason(json_t *ev, const char *t)
{
	const char *open = strstr(t, " ("), *close = strrchr(t, ')');

	if (open && close && close > open && !close[1]) {
		json_object_set_new(ev, "reason", json_stringn(t, (size_t)(open - t)));
		json_object_set_new(ev, "error", json_stringn(open + 2, (size_t)(close - open - 2)));
	} else {
		json_object_set_new(ev, "reason", json_string(t));
	}
}

static json_t *event_array(json_t *ev, const char *key)
{
	json_t *a = json_object_get(ev, key);

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(ev, key, a);
	}
	return a;
}

/* `COMM[PID] triggered exit kind N[ on CPU n]:` of a debug dump. */
static bool dump_exit_line(struct kmsg_log *log, uint64_t usec, const char *t)
{
	const char *k = strstr(t, " triggered exit kind ");
	long kind;
	char *end;
	json_t *ev;

	if (!k)
		return false;
	kind = strtol(k + strlen(" triggered exit kind "), &end, 10);
	if (end == k + strlen(" triggered exit kind "))
		return false;
	ev = kmsg_new_event(usec, kind >= 1024 ? "error" : "disabled", log->current_ops);
	json_object_set_new(ev, "exit_kind", json_integer(kind));
	json_object_set_new(ev, "triggered_by", json_stringn(t, (size_t)(k - t)));
	json_object_set_new(ev, "from", json_string("debug dump"));
	json_array_append_new(log->history, ev);
	log->dump_event = ev;
	log->last_exit = ev;
	log->pending_reason = ev;
	return true;
}

static const char *const kernel_reasons[] = { "runnable task stall (", "runtime error (", "scx_bpf_error (" };

/*
 * The rest of what schedulers print: a scope line before the dump's exit line,
 * "... exit: kind=N" / "exit reason: R" / "exit msg: M" (schedulers with their
 * own format), a Rust panic, a dump's reason line with its exit line elided.
 */
static bool other_exit_forms(struct kmsg_log *log, uint64_t usec, const char *t)
{
	const char *colon = strstr(t, ": "), *p;
	json_t *ev;

	if (colon && colon > t && !memchr(t, ' ', (size_t)(colon - t)) && !log->current_ops &&
	    (!strcmp(colon + 2, "root") || startswith(colon + 2, "sub")) && strchr(t, '_')) {
		char *ops = strndup(t, (size_t)(colon - t));

		free(log->current_ops);
		log->current_ops = ops;
		return true;
	}
	if ((p = strcasestr(t, "exit: kind=")) || (p = strcasestr(t, "exit kind="))) {
		p = strchr(p, '=') + 1;
		ev = kmsg_new_event(usec, strtol(p, NULL, 10) >= 1024 ? "error" : "disabled", log->current_ops);
		json_object_set_new(ev, "exit_kind", json_integer(strtol(p, NULL, 10)));
		json_object_set_new(ev, "from", json_string("scheduler output"));
		json_array_append_new(log->history, ev);
		log->last_exit = log->dump_event = ev;
		return true;
	}
	if (log->dump_event && ((p = strcasestr(t, "exit reason: ")) || (p = strcasestr(t, "exit msg: ")))) {
		bool reason = tolower((unsigned char)p[5]) == 'r';

		json_object_set_new(log->dump_event, reason ? "reason" : "error",
				    json_string(p + (reason ? strlen("exit reason: ") : strlen("exit msg: "))));
		return true;
	}
	if ((p = strstr(t, "' panicked at "))) {
		ev = kmsg_new_event(usec, "error", log->current_ops);
		json_object_set_new(ev, "reason", json_string("panic"));
		json_object_set_new(ev, "error", json_string(p + strlen("' panicked at ")));
		json_object_set_new(ev, "from", json_string("scheduler output"));
		json_array_append_new(log->history, ev);
		log->last_exit = ev;
		return true;
	}
	if (!log->dump_event && (strstr(t, "scx_state/flags=") || strstr(t, "ops_state/qseq="))) {
		/* A dump's task lines with its exit line not in the log: the kernel
		 * hands a debug dump to the scheduler only on an error exit. */
		ev = kmsg_new_event(usec, "error", log->current_ops);
		json_object_set_new(ev, "reason", json_string("error exit"));
		json_object_set_new(ev, "error", json_string("a debug dump without its exit line"));
		json_object_set_new(ev, "from", json_string("debug dump"));
		json_array_append_new(log->history, ev);
		log->last_exit = log->dump_event = ev;
		return true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(kernel_reasons); i++)
		if (startswith(t, kernel_reasons[i]) && (!log->dump_event || json_object_get(log->dump_event, "reason"))) {
			ev = kmsg_new_event(usec, "error", log->current_ops);
			set_reason(ev, t);
			json_object_set_new(ev, "from", json_string("debug dump"));
			json_array_append_new(log->history, ev);
			log->last_exit = log->dump_event = ev;
			return true;
		}
	return false;
}

/* `[Error: ]EXIT: REASON (MESSAGE)`: the scheduler's user-space side says how it ended. */
static bool exit_words(struct kmsg_log *log, uint64_t usec, const char *t)
{
	const char *p = strstr(t, "EXIT: ");
	json_t *ev = log->dump_event, *tmp;
	const char *reason;

	if (!p || (p != t && !startswith(t, "Error: ") && !strstr(t, "] ")))
		return false;
	p += strlen("EXIT: ");
	if (ev) {
		json_object_set_new(ev, "exit_line", json_string(p));
		if (!json_object_get(ev, "reason"))
			set_reason(ev, p);
		log->dump_event = NULL;
		return true;
	}
	tmp = json_object();
	set_reason(tmp, p);
	reason = json_string_value(json_object_get(tmp, "reason"));
	/* Its words vary ("Scheduler unregistered from user space", "unregistered from BPF"). */
	ev = kmsg_new_event(usec, reason && strcasestr(reason, "unregistered") &&
				  !strcasestr(reason, "error") ? "disabled" : kmsg_exit_event(reason),
			    log->current_ops);
	json_object_update(ev, tmp);
	json_decref(tmp);
	json_object_set_new(ev, "exit_line", json_string(p));
	json_object_set_new(ev, "from", json_string("scheduler output"));
	json_array_append_new(log->history, ev);
	log->last_exit = ev;
	return true;
}

static bool is_load_failure(const char *t)
{
	if (strstr(t, "os error 524") || strstr(t, "BEGIN PROG LOAD LOG") ||
	    (startswith(t, "processed ") && strstr(t, " insns (limit")))	/* the verifier's last line */
		return true;
	if (startswith(t, "libbpf: ") && (strcasestr(t, "fail") || strcasestr(t, "error")))
		return true;
	if (!strcasestr(t, "error") && !strcasestr(t, "fail"))
		return false;
	return (strcasestr(t, "load") || strcasestr(t, "attach") || strcasestr(t, "open")) &&
	       (strstr(t, "BPF") || strstr(t, "bpf") || strstr(t, "BTF") || strstr(t, "skel") ||
		strstr(t, "struct_ops"));
}

static void load_failure(struct kmsg_log *log, uint64_t usec, const char *t)
{
	size_t n = json_array_size(log->history);
	json_t *prev = n ? json_array_get(log->history, n - 1) : NULL, *lines;
	const char *kind = prev ? json_string_value(json_object_get(prev, "event")) : NULL;

	if (!kind || strcmp(kind, "load-failure")) {
		prev = kmsg_new_event(usec, "load-failure", log->current_ops);
		json_object_set_new(prev, "error", json_string(t));
		json_array_append_new(log->history, prev);
	}
	lines = event_array(prev, "lines");
	if (json_array_size(lines) < LOAD_LINES)
		json_array_append_new(lines, json_string(t));
}

void kmsg_oops_close(struct kmsg_log *log)
{
	char file[256] = "", func[128] = "";
	const char *lockup, *header = log->oops_header;
	json_t *ev = log->oops_event, *frames, *bpf, *f;
	bool core;
	size_t i;

	if (!log->oops_open)
		return;
	frames = json_array();
	bpf = json_array();
	if (header)
		kmsg_parse_warn(header, file, sizeof(file), func, sizeof(func));
	if (!func[0] && log->oops_rip)
		snprintf(func, sizeof(func), "%s", log->oops_rip);
	core = kmsg_is_scx_core(file) || kmsg_is_scx_core(func);
	bool related = false;

	json_array_foreach(log->oops_frames, i, f) {
		const char *name = json_string_value(f);

		related |= kmsg_is_scx_core(startswith(name, "? ") ? name + 2 : name);
		if (startswith(name, "? "))
			continue;
		if (startswith(name, "bpf_prog_"))
			json_array_append(bpf, f);
		else if (json_array_size(frames) < 8)
			json_array_append(frames, f);
		/* sched_ext frames on top: the first frames below the faulting function */
		if (json_array_size(frames) <= 3 && kmsg_is_scx_core(name) && !func[0])
			core = true;
	}
	related |= log->oops_scx_comm;
	lockup = header ? kmsg_lockup_kind(header) : NULL;
	if (!ev && header && (core || related || (lockup && log->current_ops))) {
		ev = kmsg_new_event(log->oops_usec, "oops", log->current_ops);
		json_object_set_new(ev, "error", json_string(header));
		json_array_append_new(log->history, ev);
	}
	if (ev) {
		if (func[0])
			json_object_set_new(ev, "function", json_string(func));
		if (file[0])
			json_object_set_new(ev, "location", json_string(file));
		json_object_set_new(ev, "frames", json_incref(frames));
		if (json_array_size(bpf))
			json_object_set_new(ev, "bpf_frames", json_incref(bpf));
		json_object_set_new(ev, "core", json_boolean(core));
		json_object_set_new(ev, "sched_ext_in_trace", json_boolean(related));
		if (lockup)
			json_object_set_new(ev, "lockup", json_string(lockup));
	}
	json_decref(frames);
	json_decref(bpf);
	json_decref(log->oops_frames);
	log->oops_frames = NULL;
	free(log->oops_rip);
	log->oops_rip = NULL;
	log->oops_event = NULL;
	log->oops_open = false;
	log->oops_scx_comm = false;
}

static int oops_line(struct kmsg_log *log, const char *line, bool indented, bool *related)
{
	char func[128];
	bool unreliable;

	if (!log->oops_open && (startswith(line, "RIP: ") || !strcmp(line + strspn(line, " "), "Call Trace:") ||
				(startswith(line, "CPU: ") && strstr(line, " Comm: ")))) {
		/* an excerpt that starts after its header */
		log->oops_open = true;
		log->oops_header_line = log->lines;
		free(log->oops_header);
		log->oops_header = strdup(line + strspn(line, " "));
	}
	if (!log->oops_open)
		return 0;
	if (log->lines - log->oops_header_line > OOPS_WINDOW || startswith(line, "---[ end trace")) {
		kmsg_oops_close(log);
		return 0;
	}
	if (strstr(line, " Comm: sched_ext") || strstr(line, "task:sched_ext"))
		log->oops_scx_comm = true;	/* sched_ext's own kthread */
	if (startswith(line, "RIP: ") || startswith(line, "pc : ")) {
		const char *p = strchr(line + 4, ':');

		p = p && startswith(line, "RIP: ") ? p + 1 : line + 5;
		copy_until(func, sizeof(func), p, "+ ");
		if (!startswith(line, "RIP: 0033:") && !log->oops_rip)	/* not a user-space RIP */
			log->oops_rip = strdup(func);
		return 0;
	}
	if (!indented || log->backtrace || !kmsg_frame_func(line, func, sizeof(func), &unreliable))
		return 0;
	if (!log->oops_frames)
		log->oops_frames = json_array();
	/* "?" frames (kept as "? NAME") count only for whether sched_ext is in the trace */
	if (json_array_size(log->oops_frames) < OOPS_FRAMES)
		json_array_append_new(log->oops_frames, json_sprintf("%s%s", unreliable ? "? " : "", func));
	*related = log->oops_event != NULL;
	return 1;
}

int kmsg_lines_more(struct kmsg_log *log, uint64_t usec, const char *line, bool *related)
{
	const char *t = line + strspn(line, " \t"), *pm, *es;
	bool indented = t != line;
	int r;

	*related = false;
	if (log->pending_reason) {
		json_t *ev = log->pending_reason;

		if (!*t)
			return 1;
		log->pending_reason = NULL;
		if ((double)usec / 1e6 - json_number_value(json_object_get(ev, "uptime_s")) > 2.0)
			goto rest;	/* not its reason: a later line */
		if (startswith(t, "sched_ext: "))
			t += strlen("sched_ext: ");
		set_reason(ev, t);
		if (!json_object_get(ev, "from"))	/* the kernel's backtrace follows, indented */
			log->backtrace = event_array(ev, "backtrace");
		*related = true;
		return 1;
	}
rest:
	if (log->dump_backtrace) {
		if (log->dump_event && strstr(t, "+0x")) {
			json_array_append_new(event_array(log->dump_event, "backtrace"), json_string(t));
			*related = true;
			return 1;
		}
		log->dump_backtrace = false;
	}
	r = oops_line(log, line, indented, related);
	if (r)
		return r;
	*related = true;
	if (!strcmp(t, "DEBUG DUMP")) {
		log->dump_event = NULL;
		return 1;
	}
	if (dump_exit_line(log, usec, t))
		return 1;
	if (strstr(t, "~~~~ TRUNCATED ~~~~")) {
		json_t *ev = log->dump_event ? log->dump_event : log->last_exit;

		if (ev)
			json_object_set_new(ev, "dump_truncated", json_true());
		return 1;
	}
	if (log->dump_event && strstr(t, "curr=") &&
	    (strstr(t, "class=rt_sched_class") || strstr(t, "class=dl_sched_class"))) {
		/* a CPU running an RT or deadline task when the dump was taken */
		const char *c = strstr(t, "curr=") + 5;
		json_t *a = event_array(log->dump_event, "rt_curr");

		if (json_array_size(a) < 16)
			json_array_append_new(a, json_stringn(c, strcspn(c, " ")));
		return 1;
	}
	if (log->dump_event && !strcmp(t, "Backtrace:")) {
		log->dump_backtrace = true;
		return 1;
	}
	if (log->dump_event && !json_object_get(log->dump_event, "ops")) {
		/* The dump's scope line (7.1+): "NAME: root" or "NAME: sub-ID". */
		const char *colon = strstr(t, ": ");

		if (colon && colon > t && !memchr(t, ' ', (size_t)(colon - t)) &&
		    (!strcmp(colon + 2, "root") || startswith(colon + 2, "sub"))) {
			json_object_set_new(log->dump_event, "ops", json_stringn(t, (size_t)(colon - t)));
			json_object_set_new(log->dump_event, "scope", json_string(colon + 2));
			return 1;
		}
	}
	if (!startswith(t, "sched_ext: ") && exit_words(log, usec, t))
		return 1;
	if (other_exit_forms(log, usec, t))
		return 1;
	if ((pm = kmsg_pm_event(t))) {
		json_t *ev = kmsg_new_event(usec, pm, log->current_ops);

		json_object_set_new(ev, "line", json_string(t));
		json_array_append_new(log->history, ev);
		log->backtrace = NULL;
		return 1;
	}
	if ((es = strstr(t, "Ext server disabled on CPU "))) {
		json_t *ev = kmsg_new_event(usec, "ext-server-off", log->current_ops);

		json_object_set_new(ev, "cpu", json_integer(strtol(es + strlen("Ext server disabled on CPU "),
								   NULL, 10)));
		json_object_set_new(ev, "line", json_string(t));
		json_array_append_new(log->history, ev);
		log->backtrace = NULL;
		return 1;
	}
	if (!startswith(t, "sched_ext: ") && !startswith(t, "Sched_ext: ") && is_load_failure(t)) {
		load_failure(log, usec, t);
		log->backtrace = NULL;
		return 1;
	}
	*related = false;
	return 0;
}
