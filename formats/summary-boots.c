// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.txt: the earlier boots (report `boots`, index != 0), one block
 * each: how it ended, the schedulers in it, errors and oopses, and what was
 * still running when its log ends; then the watch captures included.
 */
#include <string.h>

#include "formats.h"
#include "model.h"

static const char *or_q(const char *s)
{
	return s ? s : "?";
}

static void one_boot(FILE *f, const json_t *b)
{
	const json_t *idx = json_object_get(b, "index"), *clean = json_object_get(b, "clean_shutdown");
	const json_t *v, *src;
	size_t i;

	if (json_is_integer(idx))
		fprintf(f, "boot %" JSON_INTEGER_FORMAT, json_integer_value(idx));
	else
		fprintf(f, "earlier boot (archived pstore record)");
	fprintf(f, "  %s .. %s  from", or_q(jstr(b, "start")), or_q(jstr(b, "end")));
	json_array_foreach(json_object_get(b, "sources"), i, src)
		fprintf(f, "%s%s", i ? ", " : " ", or_q(json_string_value(src)));
	fprintf(f, "\n  end:        %s (%s)\n",
		json_is_true(clean) ? "clean shutdown" : json_is_false(clean) ? "NOT clean" : "unknown",
		or_q(jstr(b, "end_evidence")));
	fprintf(f, "  schedulers: ");
	if (!json_array_size(json_object_get(b, "schedulers")))
		fprintf(f, "none");
	json_array_foreach(json_object_get(b, "schedulers"), i, v)
		fprintf(f, "%s%s", i ? ", " : "", or_q(json_string_value(v)));
	fprintf(f, "\n  at the end: %s\n", jstr(b, "last_state.scheduler")
		? jstr(b, "last_state.scheduler") : "no custom scheduler enabled");
	json_array_foreach(json_object_get(b, "errors"), i, v)
		fprintf(f, "  error:      %ss %s (%s)%s%s\n", or_q(jstr(v, "time")), or_q(jstr(v, "ops")),
			or_q(jstr(v, "reason")), jstr(v, "error") ? ": " : "",
			jstr(v, "error") ? jstr(v, "error") : "");
	json_array_foreach(json_object_get(b, "oopses"), i, v)
		fprintf(f, "  oops:       %ss %s Sched_ext: %s (%s)%s%s\n", or_q(jstr(v, "time")),
			or_q(jstr(v, "error")), or_q(jstr(v, "ops")), or_q(jstr(v, "reason")),
			jstr(v, "source") ? " in " : "", jstr(v, "source") ? jstr(v, "source") : "");
}

void scx_summary_boots(FILE *f, const json_t *r)
{
	const json_t *boots = jget(r, "boots"), *b, *inc = jget(r, "spool.included");
	size_t i, n = 0;

	json_array_foreach(boots, i, b)
		if (!json_is_integer(json_object_get(b, "index")) ||
		    json_integer_value(json_object_get(b, "index")) != 0)
			n++;
	if (!json_is_array(boots))
		return;
	fprintf(f, "\n== earlier boots ==\n");
	if (!n)
		fprintf(f, "none kept (see the journal, kernlog and pstore probes for why)\n");
	json_array_foreach(boots, i, b)
		if (!json_is_integer(json_object_get(b, "index")) ||
		    json_integer_value(json_object_get(b, "index")) != 0)
			one_boot(f, b);
	/* The lines that made the verdict blame an earlier boot. */
	if (jstr(r, "verdict.class") && !strcmp(jstr(r, "verdict.class"), "custom-scheduler-suspected"))
		json_array_foreach(jget(r, "verdict.evidence"), i, b)
			fprintf(f, "evidence: %s\n", or_q(json_string_value(b)));
	json_array_foreach(inc, i, b)
		fprintf(f, "watch capture (%s boot): spool/%s, %s stopped at %s\n", or_q(jstr(b, "boot")),
			or_q(jstr(b, "file")), or_q(jstr(b, "ops")), or_q(jstr(b, "time")));
}
