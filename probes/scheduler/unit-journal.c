// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler unit's journal (`journalctl -u UNIT -o short-monotonic`)
 * read for what the kernel log may no longer hold: the scheduler's stderr
 * goes through the same parser as the kernel log (kmsg-parse.h), so its
 * debug dump (`triggered exit kind N`), its `EXIT:` line, a TRUNCATED dump
 * and BPF load or verifier failures become history events.  They are merged
 * into the kmsg probe's history: an exit the kernel log also shows only
 * lends it what the journal adds (exit kind, scope, TRUNCATED, RT tasks on
 * the CPUs); an exit or a load failure the kernel log lacks (its ring
 * buffer wrapped, or nothing reached it) is added with its source named.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "kmsg-parse.h"

#define MATCH_S 5.0	/* a kernel exit and the journal's account of it */

json_t *sched_journal_events(const char *journal)
{
	struct kmsg_log log;
	const char *line = journal;
	json_t *events;

	kmsg_log_init(&log, 4096);
	/* The unit's program names the scheduler until its log does: scx_NAME[pid] */
	{
		const char *e = strchr(journal, ']'), *id, *end;

		id = e ? strchr(e + 2, ' ') : NULL;
		end = id ? strpbrk(id + 1, "[: ") : NULL;
		if (id && end && startswith(id + 1, "scx_") && end > id + 5)
			log.current_ops = strndup(id + 5, (size_t)(end - id - 5));
	}
	while (line && *line) {
		const char *nl = strchr(line, '\n'), *msg;
		size_t n = nl ? (size_t)(nl - line) : strlen(line), mlen;
		double t;

		if (sched_journal_line(line, n, &t, &msg, &mlen)) {
			char *m = strndup(msg, mlen);

			if (m && t >= 0)
				kmsg_log_add(&log, (uint64_t)llround(t * 1e6), m);
			free(m);
		}
		line = nl ? nl + 1 : NULL;
	}
	kmsg_log_finish(&log);
	events = json_incref(log.history);
	kmsg_log_done(&log);
	return events;
}

static double uptime(const json_t *ev)
{
	const json_t *v = json_object_get(ev, "uptime_s");

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static bool is_exit(const json_t *ev)
{
	const char *k = json_string_value(json_object_get(ev, "event"));

	return k && (!strcmp(k, "error") || !strcmp(k, "disabled"));
}

/* The kernel's exit event this journal exit describes, if any. */
static json_t *matching_exit(json_t *history, const json_t *jev)
{
	json_t *h, *best = NULL;
	size_t i;

	json_array_foreach(history, i, h) {
		if (!is_exit(h) || json_object_get(h, "source"))
			continue;
		if (fabs(uptime(h) - uptime(jev)) <= MATCH_S)
			best = h;
	}
	return best;
}

static int by_time(const void *a, const void *b)
{
	double x = uptime(*(json_t *const *)a), y = uptime(*(json_t *const *)b);

	return x < y ? -1 : x > y;
}

json_t *sched_history_merge(const json_t *history, const json_t *events, const char *unit)
{
	static const char *const lend[] = { "exit_kind", "scope", "dump_truncated", "rt_curr",
					    "exit_line", "triggered_by" };
	json_t *out = json_is_array(history) ? json_deep_copy(history) : json_array(), *ev, **v;
	size_t i, n, added = 0;

	json_array_foreach(events, i, ev) {
		const char *k = json_string_value(json_object_get(ev, "event"));
		json_t *m, *copy;

		if (!k)
			continue;
		if (is_exit(ev) && (m = matching_exit(out, ev))) {
			for (size_t j = 0; j < ARRAY_SIZE(lend); j++)
				if (json_object_get(ev, lend[j]) && !json_object_get(m, lend[j]))
					json_object_set(m, lend[j], json_object_get(ev, lend[j]));
			added++;
			continue;
		}
		if (!is_exit(ev) && strcmp(k, "load-failure"))
			continue;
		copy = json_deep_copy(ev);
		json_object_set_new(copy, "source", json_sprintf("journal of %s", unit));
		json_array_append_new(out, copy);
		added++;
	}
	if (!added) {
		json_decref(out);
		return NULL;
	}
	/* Back in time order (stable: equal times keep their order). */
	n = json_array_size(out);
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return out;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(out, i));
	for (i = 1; i < n; i++)	/* insertion sort: stable, and the arrays are short */
		for (size_t j = i; j > 0 && by_time(&v[j - 1], &v[j]) > 0; j--) {
			json_t *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	json_array_clear(out);
	for (i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	return out;
}
