// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boots probe: report.json's `boots`, one element per boot, newest first,
 * put together from what the earlier probes found (read through
 * ctx->report, never by calling them):
 *
 *   index 0      this boot, from the kmsg probe's `history`
 *   index -1...  earlier boots, from boots_journal (preferred) or kernlog
 *   pstore       records of the previous boot are added to boot -1 (a panic
 *                record means that boot did not end cleanly); archived ones
 *                (systemd-pstore) come last, index null
 *
 * It reads no system file itself.  Each element is a boot summary
 * (boot-log.h) plus `sources` [where each part came from].
 */
#include <string.h>

#include "boots.h"
#include "model.h"
#include "probes.h"

static json_t *json_string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

unsigned scx_boots_wanted(const struct scx_probe_opts *opts)
{
	return opts && opts->boots ? opts->boots : SCX_BOOTS_DEFAULT;
}

/* This boot from the kmsg history. */
static json_t *current_boot(const json_t *report)
{
	const json_t *history = json_object_get(report, "history");
	const char *ops = json_string_value(json_object_get(json_object_get(report, "sched_ext"), "ops"));
	json_t *boot = json_object(), *names = json_array(), *errors = json_array();
	json_t *oopses = json_array(), *last = json_object(), *ev;
	const char *running = NULL;
	size_t i;

	json_array_foreach(history, i, ev) {
		const char *kind = json_string_value(json_object_get(ev, "event"));
		const char *name = json_string_value(json_object_get(ev, "ops"));

		if (!kind)
			continue;
		if (!strcmp(kind, "enabled") && name) {
			if (!jarray_has_str(names, name))
				json_array_append_new(names, json_string(name));
			running = name;
		} else if (!strcmp(kind, "disabled") || !strcmp(kind, "error")) {
			running = NULL;
			if (!strcmp(kind, "error"))
				json_array_append(errors, ev);
		} else if (!strcmp(kind, "soft-lockup")) {
			json_array_append(errors, ev);
		} else if (!strcmp(kind, "oops")) {
			json_array_append(oopses, ev);
		}
	}
	json_object_set_new(boot, "index", json_integer(0));
	json_object_set_new(boot, "source", json_string("kmsg"));
	json_object_set_new(boot, "clean_shutdown", json_null());
	json_object_set_new(boot, "end_evidence", json_string("running"));
	json_object_set_new(boot, "schedulers", names);
	json_object_set_new(boot, "errors", errors);
	json_object_set_new(boot, "oopses", oopses);
	json_object_set_new(last, "scheduler", json_string_or_null(ops ? ops : running));
	json_object_set_new(boot, "last_state", last);
	return boot;
}

static json_t *find_index(const json_t *boots, json_int_t index)
{
	size_t i;
	json_t *b;

	json_array_foreach(boots, i, b)
		if (json_is_integer(json_object_get(b, "index")) &&
		    json_integer_value(json_object_get(b, "index")) == index)
			return b;
	return NULL;
}

/* Fold a pstore record of the previous boot into that boot's summary. */
static void add_pstore(json_t *boot, const json_t *rec)
{
	json_t *oopses = json_object_get(boot, "oopses"), *names = json_object_get(boot, "schedulers");
	json_t *last = json_object_get(boot, "last_state"), *ev;
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *file = json_string_value(json_object_get(rec, "file"));
	size_t i;

	json_array_foreach(json_object_get(rec, "oopses"), i, ev) {
		const char *name = json_string_value(json_object_get(ev, "ops"));
		json_t *copy = json_deep_copy(ev);

		json_object_set_new(copy, "source", json_string_or_null(file));
		json_array_append_new(oopses, copy);
		if (name && !jarray_has_str(names, name))
			json_array_append_new(names, json_string(name));
		if (name && json_is_null(json_object_get(last, "scheduler")))
			json_object_set_new(last, "scheduler", json_string(name));
	}
	json_array_foreach(json_object_get(rec, "errors"), i, ev)
		json_array_append(json_object_get(boot, "errors"), ev);
	if (kind && !strcmp(kind, "panic") && !json_is_false(json_object_get(boot, "clean_shutdown"))) {
		json_object_set_new(boot, "clean_shutdown", json_false());
		json_object_set_new(boot, "end_evidence", json_string("pstore holds a panic record"));
	}
	json_array_append_new(json_object_get(boot, "sources"), json_string_or_null(file));
}

static json_t *copy_boot(const json_t *b, const char *source)
{
	json_t *c = json_deep_copy(b), *sources = json_array();

	json_array_append_new(sources, json_string(source));
	json_object_set_new(c, "sources", sources);
	return c;
}

json_t *scx_boots_merge(const json_t *report, unsigned want)
{
	const json_t *jboots = json_object_get(json_object_get(report, "boots_journal"), "boots");
	const json_t *kboots = json_object_get(json_object_get(report, "kernlog"), "boots");
	const json_t *records = json_object_get(json_object_get(report, "pstore"), "records");
	json_t *boots = json_array(), *cur = current_boot(report), *rec, *b;
	size_t i;

	json_object_set_new(cur, "sources", json_pack("[s]", "kmsg"));
	json_array_append_new(boots, cur);
	for (json_int_t index = -1; index > -(json_int_t)want; index--) {
		const json_t *j = find_index(jboots, index), *k = find_index(kboots, index);

		if (j)
			b = copy_boot(j, "journal");
		else if (k)
			b = copy_boot(k, "kern.log");
		else
			b = NULL;
		if (b && j && k)
			json_array_append_new(json_object_get(b, "sources"), json_string("kern.log"));
		json_array_foreach(records, i, rec) {
			if (!json_is_integer(json_object_get(rec, "index")) ||
			    json_integer_value(json_object_get(rec, "index")) != index)
				continue;
			if (!b) {
				b = copy_boot(rec, "pstore");
				json_array_clear(json_object_get(b, "sources"));
				json_array_clear(json_object_get(b, "oopses"));
				json_array_clear(json_object_get(b, "errors"));
				json_object_del(b, "file");
				json_object_del(b, "kind");
				json_object_del(b, "part");
				json_object_del(b, "archived");
			}
			add_pstore(b, rec);
		}
		if (b)
			json_array_append_new(boots, b);
	}
	json_array_foreach(records, i, rec)
		if (json_is_null(json_object_get(rec, "index")))
			json_array_append_new(boots, copy_boot(rec, "pstore (archived)"));
	return boots;
}

int probe_boots(struct scx_probe_ctx *ctx)
{
	unsigned want = scx_boots_wanted(ctx->opts);
	json_t *boots = scx_boots_merge(ctx->report, want);
	size_t n = json_array_size(boots);

	snprintf(ctx->reason, sizeof(ctx->reason), "%zu boot%s of %u asked (--boots)", n,
		 n == 1 ? "" : "s", want);
	json_object_set_new(ctx->out, "boots", boots);
	return 0;
}
