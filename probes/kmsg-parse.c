// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel log parsing for the kmsg probe: /dev/kmsg records (the format of
 * Documentation/ABI/testing/dev-kmsg, since 3.5) and the sched_ext lines of
 * kernel/sched/ext.c (6.12+) turned into a timeline:
 *
 *   sched_ext: BPF scheduler "NAME" enabled[ (partial)]        -> enabled
 *   sched_ext: BPF scheduler "NAME" disabled (REASON)          -> disabled | error
 *   sched_ext: NAME: MESSAGE   + indented backtrace lines       -> .error, .backtrace
 *   Sched_ext: NAME (STATE), task: ...   (oops / WARN dumps)    -> oops
 *   sched_ext: Soft lockup - CPU%d stuck for %us, ...           -> soft-lockup
 *   sysrq: Trigger sched_ext debug dump                         -> sysrq-dump
 *
 * and, in kmsg-lines.c, the other generations and what surrounds a failure:
 * the 2023 `"NAME" errored, disabling` + reason line, the scheduler's own
 * debug dump (`triggered exit kind N[ on CPU n]:`, `EXIT: ...`, TRUNCATED),
 * both WARN header styles with RIP and call trace, lockups, RCU stalls, hung
 * tasks, PM suspend/resume, "Ext server disabled on CPU N", BPF load
 * failures (a scheduler's journal is fed through the same parser).
 *
 * Unknown sched_ext lines are kept in the sched_ext extract, never dropped.
 */
#include "kmsg-parse.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Oops header lines the `Sched_ext:` line is attributed to, if recent. */
#define OOPS_HEADER_WINDOW 200

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *ret)
{
	const char *p = buf, *end = buf + len, *semi, *eol;
	uint64_t fields[3];
	char flags = '-';
	char *text, *o;

	semi = memchr(buf, ';', len);
	eol = memchr(buf, '\n', len);
	if (!semi || (eol && eol < semi))
		return -EINVAL;
	for (int i = 0; i < 3; i++) {
		uint64_t v = 0;
		const char *start = p;

		while (p < semi && isdigit((unsigned char)*p)) {
			if (v > (UINT64_MAX - 9) / 10)
				return -EINVAL;
			v = v * 10 + (uint64_t)(*p - '0');
			p++;
		}
		if (p == start || p >= semi || *p != ',')
			return -EINVAL;
		fields[i] = v;
		p++;
	}
	if (p < semi)
		flags = *p;
	p = semi + 1;
	if (!eol)
		eol = end;
	text = malloc((size_t)(eol - p) + 1);
	if (!text)
		return -ENOMEM;
	for (o = text; p < eol; p++) {
		if (p[0] == '\\' && eol - p >= 4 && p[1] == 'x' && hexval(p[2]) >= 0 &&
		    hexval(p[3]) >= 0) {
			*o++ = (char)(hexval(p[2]) * 16 + hexval(p[3]));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*ret = (struct kmsg_record) {
		.level = (unsigned)(fields[0] & 7),
		.facility = (unsigned)(fields[0] >> 3),
		.seq = fields[1],
		.usec = fields[2],
		.flags = flags,
		.text = text,
	};
	return 0;
}

void kmsg_record_done(struct kmsg_record *rec)
{
	free(rec->text);
	rec->text = NULL;
}

int kmsg_split_records(const char *buf, size_t len,
		       int (*fn)(const char *rec, size_t rec_len, void *userdata), void *userdata)
{
	const char *p = buf, *end = buf + len;
	int bad = 0;

	while (p < end) {
		const char *q = p, *nl;

		/* A record is its line plus the continuation lines after it. */
		do {
			nl = memchr(q, '\n', (size_t)(end - q));
			q = nl ? nl + 1 : end;
		} while (q < end && *q == ' ');
		if (*p == ' ' || *p == '\n') {
			bad += *p == ' ';	/* a stray continuation line */
		} else {
			int r = fn(p, (size_t)(q - p), userdata);

			if (r < 0)
				return r;
			bad += r > 0;
		}
		p = q;
	}
	return bad;
}

const char *kmsg_exit_event(const char *reason)
{
	/* The kernel's exit kinds below SCX_EXIT_ERROR (1024): clean exits. */
	static const char *const clean[] = {
		"unregistered from user space",
		"unregistered from BPF",
		"unregistered from the main kernel",
		"disabled by sysrq-S",
		"parent exiting",
	};

	for (size_t i = 0; reason && i < ARRAY_SIZE(clean); i++)
		if (!strcmp(reason, clean[i]))
			return "disabled";
	return "error";
}

void kmsg_log_init(struct kmsg_log *log, size_t max_bytes)
{
	*log = (struct kmsg_log) { .max_bytes = max_bytes, .history = json_array() };
}

void kmsg_log_done(struct kmsg_log *log)
{
	free(log->dmesg);
	free(log->sched_ext);
	json_decref(log->history);
	free(log->current_ops);
	free(log->oops_header);
	free(log->oops_header_human);
	json_decref(log->oops_frames);
	free(log->oops_rip);
	*log = (struct kmsg_log) { 0 };
}

static int buf_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 65536;
		char *nb;

		while (ncap < *len + n + 1)
			ncap *= 2;
		nb = realloc(*buf, ncap);
		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

/* Keep the newest keep bytes of the raw log, starting at a line start. */
static void dmesg_keep_newest(struct kmsg_log *log, size_t keep)
{
	size_t cut;
	char *nl;

	if (log->dmesg_len <= keep)
		return;
	cut = log->dmesg_len - keep;
	nl = memchr(log->dmesg + cut, '\n', log->dmesg_len - cut);
	cut = nl ? (size_t)(nl + 1 - log->dmesg) : log->dmesg_len;
	memmove(log->dmesg, log->dmesg + cut, log->dmesg_len - cut);
	log->dmesg_len -= cut;
	log->dmesg[log->dmesg_len] = '\0';
	log->truncated = true;
}

json_t *kmsg_new_event(uint64_t usec, const char *kind, const char *ops)
{
	json_t *ev = json_object();
	char t[32];

	snprintf(t, sizeof(t), "%" PRIu64 ".%06" PRIu64, usec / 1000000, usec % 1000000);
	json_object_set_new(ev, "time", json_string(t));
	json_object_set_new(ev, "uptime_s", json_real((double)usec / 1e6));
	json_object_set_new(ev, "event", json_string(kind));
	if (ops)
		json_object_set_new(ev, "ops", json_string(ops));
	return ev;
}

#define new_event kmsg_new_event

static bool json_str_is(const json_t *v, const char *s)
{
	return json_is_string(v) && s && !strcmp(json_string_value(v), s);
}

static void set_current_ops(struct kmsg_log *log, const char *ops)
{
	free(log->current_ops);
	log->current_ops = ops ? strdup(ops) : NULL;
}

int kmsg_parse_disabled(const char *rest, char **ret_ops, char **ret_reason)
{
	const char *name, *q, *reason, *close;
	_cleanup_free_ char *ops = NULL, *why = NULL;

	if (!startswith(rest, "BPF scheduler \""))
		return -EINVAL;
	name = rest + strlen("BPF scheduler \"");
	q = strstr(name, "\" disabled (");
	if (!q)
		return -EINVAL;
	reason = q + strlen("\" disabled (");
	close = strrchr(reason, ')');
	if (!close)
		return -EINVAL;
	ops = strndup(name, (size_t)(q - name));
	why = strndup(reason, (size_t)(close - reason));
	if (!ops || !why)
		return -ENOMEM;
	*ret_ops = TAKE_PTR(ops);
	*ret_reason = TAKE_PTR(why);
	return 0;
}

/* `sched_ext: BPF scheduler "NAME" enabled|disabled (REASON)`; false if not that form. */
static bool parse_enable_disable(struct kmsg_log *log, uint64_t usec, const char *rest)
{
	const char *name = rest + strlen("BPF scheduler \""), *q;
	_cleanup_free_ char *ops = NULL;
	json_t *ev;

	if ((q = strstr(name, "\" enabled"))) {
		ops = strndup(name, (size_t)(q - name));
		if (!ops)
			return false;
		ev = new_event(usec, "enabled", ops);
		json_object_set_new(ev, "partial", json_boolean(strstr(q, "(partial)") != NULL));
		set_current_ops(log, ops);
	} else if (strstr(name, "\" disabled (")) {
		_cleanup_free_ char *why = NULL;

		if (kmsg_parse_disabled(rest, &ops, &why) < 0)
			return false;
		ev = new_event(usec, kmsg_exit_event(why), ops);
		json_object_set_new(ev, "reason", json_string(why));
		log->last_exit = ev;
		set_current_ops(log, NULL);
	} else if ((q = strstr(name, "\" errored, disabling"))) {
		/* Before 6.12 (2023): the reason comes on the next line. */
		ops = strndup(name, (size_t)(q - name));
		if (!ops)
			return false;
		ev = new_event(usec, "error", ops);
		json_object_set_new(ev, "generation", json_string("pre-6.12"));
		log->last_exit = ev;
		log->pending_reason = ev;
		set_current_ops(log, NULL);
	} else {
		return false;
	}
	json_array_append_new(log->history, ev);
	return true;
}

/* `sched_ext: NAME: MESSAGE` (the exit message); false if not that form. */
static bool parse_exit_message(struct kmsg_log *log, uint64_t usec, const char *rest)
{
	const char *colon = strstr(rest, ": ");
	_cleanup_free_ char *ops = NULL;
	json_t *target = log->last_exit, *bt;

	if (!colon || colon == rest || memchr(rest, ' ', (size_t)(colon - rest)))
		return false;
	ops = strndup(rest, (size_t)(colon - rest));
	if (!ops)
		return false;
	if (!target || json_object_get(target, "error") ||
	    !json_str_is(json_object_get(target, "ops"), ops)) {
		/* No matching exit line (cut log, or a newer kernel's wording). */
		target = new_event(usec, "error", ops);
		json_array_append_new(log->history, target);
	}
	json_object_set_new(target, "error", json_string(colon + 2));
	bt = json_array();
	json_object_set_new(target, "backtrace", bt);
	log->backtrace = bt;
	log->last_exit = target;
	return true;
}

static bool is_oops_header(const char *line)
{
	static const char *const heads[] = {
		"WARNING: ", "BUG: ", "Oops: ", "kernel BUG at ", "general protection fault",
		"Kernel panic", "watchdog: BUG: ", "INFO: task ", "INFO: rcu_",
		"Unable to handle kernel", "rcu: INFO: rcu_", "watchdog: Watchdog detected hard LOCKUP",
		"NMI watchdog: Watchdog detected hard LOCKUP",
	};

	line += strspn(line, "=- ");	/* lockdep's ===== line joined to its header */
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++)
		if (startswith(line, heads[i]))
			return true;
	return false;
}

/*
 * `Sched_ext: NAME (STATE), task: ...` printed by print_scx_info().
 * Returns true when it starts a new oops event.
 */
static bool parse_oops_line(struct kmsg_log *log, uint64_t usec, const char *line)
{
	const char *rest = line + strlen("Sched_ext: ");
	const char *paren = strstr(rest, " (");
	const char *close = paren ? strchr(paren, ')') : NULL;
	bool header = log->oops_header && log->lines - log->oops_header_line <= OOPS_HEADER_WINDOW;
	size_t n = json_array_size(log->history);
	_cleanup_free_ char *ops = NULL, *state = NULL;
	json_t *prev = n ? json_array_get(log->history, n - 1) : NULL, *ev;

	/* One dump prints the line once per task (sysrq-t): one event per dump. */
	if (prev && json_str_is(json_object_get(prev, "event"), "oops") &&
	    json_integer_value(json_object_get(prev, "_line")) + OOPS_HEADER_WINDOW >=
		    (json_int_t)log->lines &&
	    (!header || json_str_is(json_object_get(prev, "error"), log->oops_header))) {
		json_object_set_new(prev, "_line", json_integer((json_int_t)log->lines));
		return false;
	}
	ops = paren ? strndup(rest, (size_t)(paren - rest)) : strdup(rest);
	if (close)
		state = strndup(paren + 2, (size_t)(close - paren - 2));
	ev = new_event(usec, "oops", ops);
	if (state)
		json_object_set_new(ev, "reason", json_string(state));
	if (header)
		json_object_set_new(ev, "error", json_string(log->oops_header));
	json_object_set_new(ev, "_line", json_integer((json_int_t)log->lines));
	json_array_append_new(log->history, ev);
	if (log->oops_open && header && !log->oops_event)
		log->oops_event = ev;
	return header;
}

static int keep_sched_ext_line(struct kmsg_log *log, const char *human, size_t n)
{
	log->sched_ext_lines++;
	return buf_append(&log->sched_ext, &log->sched_ext_len, &log->sched_ext_cap, human, n);
}

static int add_line(struct kmsg_log *log, uint64_t usec, const char *line)
{
	_cleanup_free_ char *human = NULL;
	bool related = false;
	int n, r;

	n = asprintf(&human, "[%5" PRIu64 ".%06" PRIu64 "] %s\n", usec / 1000000, usec % 1000000, line);
	if (n < 0)
		return -ENOMEM;
	log->lines++;
	log->bytes += (uint64_t)n;
	r = buf_append(&log->dmesg, &log->dmesg_len, &log->dmesg_cap, human, (size_t)n);
	if (r < 0)
		return r;
	if (log->max_bytes && log->dmesg_len > 2 * log->max_bytes)
		dmesg_keep_newest(log, log->max_bytes);

	r = kmsg_lines_more(log, usec, line, &related);
	if (r < 0)
		return r;
	if (r > 0)
		return related ? keep_sched_ext_line(log, human, (size_t)n) : 0;
	if ((line[0] == ' ' || line[0] == '\t') && log->backtrace) {
		_cleanup_free_ char *frame = strdup(line);

		if (frame)
			json_array_append_new(log->backtrace,
					      json_string(strstrip(frame + strspn(frame, " \t"))));
		return keep_sched_ext_line(log, human, (size_t)n);
	}
	log->backtrace = NULL;

	if (startswith(line, "sched_ext: ")) {
		const char *rest = line + strlen("sched_ext: ");

		related = true;
		if (startswith(rest, "BPF scheduler \"") && parse_enable_disable(log, usec, rest))
			;
		else if (startswith(rest, "Soft lockup - ")) {
			json_t *ev = new_event(usec, "soft-lockup", log->current_ops);

			json_object_set_new(ev, "reason", json_string(rest));
			json_array_append_new(log->history, ev);
		} else {
			parse_exit_message(log, usec, rest);
		}
	} else if (startswith(line, "Sched_ext: ")) {
		related = true;
		if (parse_oops_line(log, usec, line) && log->oops_header_human) {
			/* The dump's first line goes beside it in the extract. */
			r = keep_sched_ext_line(log, log->oops_header_human,
						strlen(log->oops_header_human));
			if (r < 0)
				return r;
		}
	} else if (startswith(line, "sysrq: ") && strstr(line, "sched_ext")) {
		related = true;
		if (!strcmp(line, "sysrq: Trigger sched_ext debug dump"))
			json_array_append_new(log->history,
					      new_event(usec, "sysrq-dump", log->current_ops));
	} else if (is_oops_header(line)) {
		kmsg_oops_close(log);
		log->oops_open = true;
		log->oops_usec = usec;
		free(log->oops_header);
		free(log->oops_header_human);
		log->oops_header = strdup(line);
		log->oops_header_human = strdup(human);
		log->oops_header_line = log->lines;
	}
	return related ? keep_sched_ext_line(log, human, (size_t)n) : 0;
}

int kmsg_log_add(struct kmsg_log *log, uint64_t usec, const char *text)
{
	const char *p = text;

	/* A record's text may span lines (an escaped \n in /dev/kmsg). */
	for (;;) {
		const char *nl = strchr(p, '\n');
		_cleanup_free_ char *line = nl ? strndup(p, (size_t)(nl - p)) : NULL;
		int r;

		if (nl && !line)
			return -ENOMEM;
		r = add_line(log, usec, nl ? line : p);
		if (r < 0)
			return r;
		if (!nl || !nl[1])
			return 0;
		p = nl + 1;
	}
}

void kmsg_log_finish(struct kmsg_log *log)
{
	size_t i;
	json_t *ev;

	kmsg_oops_close(log);
	if (log->max_bytes)
		dmesg_keep_newest(log, log->max_bytes);
	json_array_foreach(log->history, i, ev)
		json_object_del(ev, "_line");
	log->backtrace = NULL;
	log->last_exit = NULL;
	log->pending_reason = NULL;
	log->dump_event = NULL;
}
