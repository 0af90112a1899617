// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The debug dump's shape (kernel/sched/ext.c scx_dump_state), e.g.
 *
 *   NAME: root                                  (7.x: the scheduler, then its place)
 *   Debug dump triggered by SysRq-D              (SysRq-D), or
 *   comm[pid] triggered exit kind 1026 on CPU 1: (an error exit), then the reason
 *   Backtrace: / indented frames
 *   CPU states / ---------- / "CPU 1   : nr_run=..." and its tasks " *R comm[pid] ..."
 *   Event counters / -------------- / "   SCX_EV_NAME:   value"
 *   ~~~~ TRUNCATED ~~~~                          (cut at exit_dump_len)
 *
 * Only the lines a reader needs are taken apart; the text stays in the bundle.
 */
#include "dump-parse.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BACKTRACE_MAX 64

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* "   SCX_EV_NAME:   123" */
static bool event_line(const char *s, size_t n, json_t *events)
{
	char name[96], *end;
	const char *p = s, *e = s + n, *colon;
	long long v;

	while (p < e && *p == ' ')
		p++;
	if ((size_t)(e - p) < 8 || strncmp(p, "SCX_EV_", 7))
		return false;
	colon = memchr(p, ':', (size_t)(e - p));
	if (!colon || (size_t)(colon - p) >= sizeof(name))
		return false;
	memcpy(name, p, (size_t)(colon - p));
	name[colon - p] = '\0';
	{
		char num[32];
		size_t k = 0;

		for (p = colon + 1; p < e && *p == ' '; p++)
			;
		while (p < e && k < sizeof(num) - 1)
			num[k++] = *p++;
		num[k] = '\0';
		v = strtoll(num, &end, 10);
		if (end == num)
			return false;
	}
	json_object_set_new(events, name, json_integer(v));
	return true;
}

/* " *R comm[pid] ..." or "  R comm[pid] ...": a task line under a CPU. */
static bool task_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '*')
		i++;
	if (i + 2 >= n || !strchr("RSDTtXZIWP", s[i]) || s[i + 1] != ' ')
		return false;
	return memchr(s + i, '[', n - i) && memchr(s + i, ']', n - i);
}

json_t *scx_dump_parse(const char *text, size_t len)
{
	json_t *d = json_object(), *events = json_object(), *bt = json_array();
	const char *p = text, *end = text + len;
	enum { TOP, BACKTRACE, CPUS, EVENTS } part = TOP;
	long lines = 0, cpus = 0, tasks = 0;
	bool want_reason = false, truncated = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *m;

		lines++;
		if (n >= sizeof(SCX_DUMP_TRUNCATED) - 1 &&
		    memmem(p, n, SCX_DUMP_TRUNCATED, sizeof(SCX_DUMP_TRUNCATED) - 1))
			truncated = true;
		if (want_reason && !blank(p, n)) {
			const char *s = p;
			size_t k = n;

			while (k && *s == ' ')
				s++, k--;
			json_object_set_new(d, "reason", json_stringn(s, k));
			want_reason = false;
		} else if (lines == 1 && n > 6 && !memcmp(p + n - 6, ": root", 6)) {
			json_object_set_new(d, "ops", json_stringn(p, n - 6));
		} else if ((m = memmem(p, n, "Debug dump triggered by ", 24))) {
			json_object_set_new(d, "trigger", json_string("sysrq"));
			json_object_set_new(d, "triggered_by", json_stringn(m + 24, (size_t)(p + n - m - 24)));
		} else if ((m = memmem(p, n, " triggered exit kind ", 21))) {
			json_object_set_new(d, "trigger", json_string("exit"));
			json_object_set_new(d, "triggered_by", json_stringn(p, (size_t)(m - p)));
			json_object_set_new(d, "exit_kind", json_integer(strtol(m + 21, NULL, 10)));
			want_reason = true;
		} else if (n >= 10 && !strncmp(p, "Backtrace:", 10)) {
			part = BACKTRACE;
		} else if (n >= 10 && !strncmp(p, "CPU states", 10)) {
			part = CPUS;
		} else if (n >= 14 && !strncmp(p, "Event counters", 14)) {
			part = EVENTS;
		} else if (part == BACKTRACE && n > 2 && p[0] == ' ' && !blank(p, n)) {
			const char *s = p;
			size_t k = n;

			while (k && *s == ' ')
				s++, k--;
			if (json_array_size(bt) < BACKTRACE_MAX)
				json_array_append_new(bt, json_stringn(s, k));
		} else if (part == CPUS && n > 4 && !strncmp(p, "CPU ", 4) && memchr(p, ':', n)) {
			cpus++;
		} else if (part == CPUS && task_line(p, n)) {
			tasks++;
		} else if (part == EVENTS) {
			event_line(p, n, events);
		}
		p = nl ? nl + 1 : end;
	}
	json_object_set_new(d, "lines", json_integer(lines));
	if (cpus)
		json_object_set_new(d, "cpus", json_integer(cpus));
	if (cpus || tasks)
		json_object_set_new(d, "tasks", json_integer(tasks));
	if (json_array_size(bt))
		json_object_set_new(d, "backtrace", bt);
	else
		json_decref(bt);
	if (json_object_size(events))
		json_object_set_new(d, "events", events);
	else
		json_decref(events);
	json_object_set_new(d, "truncated", json_boolean(truncated));
	return d;
}
