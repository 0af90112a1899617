// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict's look at earlier boots (report.json `boots`, built by the
 * boots probe): support cases arrive after the reboot, when nothing is
 * loaded any more.  Before the verdict says "no custom scheduler, report it
 * to the distribution", it asks whether an earlier boot
 *
 *   - ended without a shutdown record (reset, hang, panic) while a custom
 *     scheduler was still enabled, or
 *   - carried an oops or WARN whose `Sched_ext:` line names a scheduler
 *     (kernel log of that boot, or a pstore record),
 *
 * and if so the class is custom-scheduler-suspected: it names the scheduler,
 * the boot and the evidence, and says what to do.  A clean earlier boot that
 * ran a scheduler, or an unclean one with no scheduler left enabled, changes
 * nothing.  Pure: JSON in, JSON out.
 */
#include "verdict.h"

#include <string.h>

#include "model.h"

#define ev_add(ev, ...) do { char _b[768]; snprintf(_b, sizeof(_b), __VA_ARGS__); \
	json_array_append_new(ev, json_string(_b)); } while (0)

static const char *or_dash(const char *s)
{
	return s && *s ? s : "?";
}

static void boot_name(const json_t *boot, char *buf, size_t len)
{
	const json_t *idx = json_object_get(boot, "index");

	if (json_is_integer(idx))
		snprintf(buf, len, "boot %" JSON_INTEGER_FORMAT, json_integer_value(idx));
	else
		snprintf(buf, len, "an earlier boot");
}

/* Evidence lines for one boot; returns the scheduler it blames, or NULL. */
static const char *boot_evidence(const json_t *boot, json_t *ev)
{
	const char *running = jstr(boot, "last_state.scheduler"), *blamed = NULL;
	const json_t *oops, *src;
	char name[64], sources[256] = "";
	size_t i;

	boot_name(boot, name, sizeof(name));
	json_array_foreach(json_object_get(boot, "sources"), i, src)
		snprintf(sources + strlen(sources), sizeof(sources) - strlen(sources), "%s%s",
			 i ? ", " : "", or_dash(json_string_value(src)));
	if (json_is_false(json_object_get(boot, "clean_shutdown")) && running) {
		ev_add(ev, "%s (%s to %s, from %s) ended without a clean shutdown (%s) while the custom "
		       "scheduler %s was enabled", name, or_dash(jstr(boot, "start")),
		       or_dash(jstr(boot, "end")), sources, or_dash(jstr(boot, "end_evidence")), running);
		if (jstr(boot, "last_state.line"))
			ev_add(ev, "%s last said: %s", name, jstr(boot, "last_state.line"));
		blamed = running;
	}
	json_array_foreach(json_object_get(boot, "oopses"), i, oops) {
		const char *ops = jstr(oops, "ops");

		if (!ops)
			continue;
		ev_add(ev, "%s at %ss: %s (Sched_ext: %s (%s))%s%s", name, or_dash(jstr(oops, "time")),
		       or_dash(jstr(oops, "error")), ops, or_dash(jstr(oops, "reason")),
		       jstr(oops, "source") ? " in " : "", jstr(oops, "source") ? jstr(oops, "source") : "");
		if (!blamed)
			blamed = ops;
	}
	return blamed;
}

json_t *scx_verdict_earlier_boots(const json_t *report)
{
	const json_t *boot;
	const char *blamed = NULL;
	char first[64] = "", buf[1024], to[512];
	json_t *ev = json_array(), *v;
	size_t i;

	json_array_foreach(jget(report, "boots"), i, boot) {
		const char *b;

		if (json_integer_value(json_object_get(boot, "index")) == 0 &&
		    json_is_integer(json_object_get(boot, "index")))
			continue;	/* this boot: the rest of the verdict's business */
		b = boot_evidence(boot, ev);
		if (b && !blamed) {
			blamed = b;
			boot_name(boot, first, sizeof(first));
		}
	}
	if (!blamed) {
		json_decref(ev);
		return NULL;
	}
	snprintf(buf, sizeof(buf), "No custom scheduler is running now, but %s ended abnormally or "
		 "crashed with the custom scheduler %s in it: the failure may be the scheduler's. Start %s "
		 "again and reproduce the problem, then run scx-report while it runs (its paired run "
		 "compares it with the default scheduler); report against the distribution only if the "
		 "problem also happens without it.", first, blamed, blamed);
	snprintf(to, sizeof(to), "the scheduler's author or its package (%s), with this bundle; the "
		 "distribution only if the problem also happens with the default scheduler", blamed);
	v = json_object();
	json_object_set_new(v, "class", json_string("custom-scheduler-suspected"));
	json_object_set_new(v, "summary", json_string(buf));
	json_object_set_new(v, "evidence", ev);
	json_object_set_new(v, "report_to", json_string(to));
	json_object_set_new(v, "scheduler", json_string(blamed));
	json_object_set_new(v, "boot", json_string(first));
	return v;
}
