// SPDX-License-Identifier: GPL-2.0-or-later
/* The verdict: which side of the line a problem is on, with the evidence. */
#include "verdict.h"

#include <string.h>

#include "formats.h"

static json_t *verdict(const char *cls, const char *summary, json_t *evidence)
{
	json_t *v = json_object();

	json_object_set_new(v, "class", json_string(cls));
	json_object_set_new(v, "summary", json_string(summary));
	json_object_set_new(v, "evidence", evidence ? evidence : json_array());
	return v;
}

static const json_t *last_error(const json_t *report)
{
	const json_t *h, *found = NULL;
	size_t i;

	json_array_foreach(jget(report, "history"), i, h) {
		const char *ev = jstr(h, "event");

		if (ev && (!strcmp(ev, "error") || !strcmp(ev, "soft-lockup")))
			found = h;
	}
	return found;
}

json_t *scx_verdict(const json_t *report)
{
	const json_t *err = last_error(report);
	json_t *ev = json_array();
	char buf[512];

	if (!json_is_true(jget(report, "sched_ext.supported"))) {
		json_array_append_new(ev, json_string(jstr(report, "sched_ext.reason")
							       ? jstr(report, "sched_ext.reason")
							       : "no /sys/kernel/sched_ext"));
		return verdict("no-custom-scheduler",
			       "This kernel has no sched_ext, so no custom scheduler can be involved: "
			       "report the problem against the distribution kernel.", ev);
	}
	if (err) {
		snprintf(buf, sizeof(buf), "%s %s: %s%s%s", jstr(err, "time") ? jstr(err, "time") : "",
			 jstr(err, "ops") ? jstr(err, "ops") : "?", jstr(err, "reason") ? jstr(err, "reason") : "",
			 jstr(err, "error") ? ": " : "", jstr(err, "error") ? jstr(err, "error") : "");
		json_array_append_new(ev, json_string(buf));
		snprintf(buf, sizeof(buf),
			 "The custom scheduler %s failed in this boot (%s); the kernel fell back to "
			 "the default scheduler.", jstr(err, "ops") ? jstr(err, "ops") : "?",
			 jstr(err, "reason") ? jstr(err, "reason") : "error exit");
		return verdict("custom-scheduler-failure", buf, ev);
	}
	if (!jstr(report, "sched_ext.ops")) {
		snprintf(buf, sizeof(buf), "enable_seq %" JSON_INTEGER_FORMAT,
			 json_integer_value(jget(report, "sched_ext.enable_seq")));
		json_array_append_new(ev, json_string(buf));
		return verdict("no-custom-scheduler",
			       json_integer_value(jget(report, "sched_ext.enable_seq")) > 0
				       ? "No custom scheduler is running now (one ran earlier in this boot "
					 "and stopped without an error)."
				       : "No custom scheduler has run since boot: the default kernel "
					 "scheduler is in charge.", ev);
	}
	snprintf(buf, sizeof(buf), "A custom scheduler (%s) is running; without a paired run "
		 "there is no comparison with the default scheduler.", jstr(report, "sched_ext.ops"));
	json_array_append_new(ev, json_string(jstr(report, "paired.reason") ? jstr(report, "paired.reason")
									      : "no paired run"));
	return verdict("inconclusive", buf, ev);
}
