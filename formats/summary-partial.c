// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a report lacks, and why: every probe that was skipped or failed is a
 * section a person would otherwise think was empty.  summary.txt lists them
 * under "Not in this report", report.html in a box under the verdict, and
 * collect says on stderr which ones only root could have collected.
 */
#include <stdbool.h>
#include <string.h>

#include "formats.h"
#include "html.h"

static const struct {
	const char *probe, *words;
} sections[] = {
	{ "latency", "scheduling latency" },
	{ "kmsg", "kernel log" },
	{ "scheduler", "scheduler identity" },
	{ "sched_ext", "sched_ext state" },
	{ "boots", "earlier boots" },
	{ "journal", "earlier boots from the journal" },
	{ "kernlog", "earlier boots from kern.log" },
	{ "pstore", "crash records (pstore)" },
	{ "spool", "captures of scx-report watch" },
	{ "kernel", "kernel" },
	{ "system", "system" },
};

/* A reason only root would not have met. */
static bool for_root(const char *reason)
{
	static const char *const marks[] = { "needs root", "not readable", "Permission denied",
					     "Operation not permitted", "dmesg_restrict" };

	for (size_t i = 0; reason && i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(reason, marks[i]))
			return true;
	return false;
}

/* The words of probe name, or the name itself ("capture" and unknown ones are kept out). */
static const char *words_of(const char *probe)
{
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(probe, sections[i].probe))
			return sections[i].words;
	return NULL;
}

void scx_report_missing(const json_t *r, scx_missing_fn fn, void *userdata)
{
	bool root = json_is_true(jget(r, "collection.root"));
	const char *k;
	json_t *v;

	json_object_foreach(jget(r, "probes"), k, v) {
		const char *st = jstr(v, "status"), *why = jstr(v, "reason"), *w = words_of(k);

		if (!w || !st || (strcmp(st, "skipped") && strcmp(st, "failed")))
			continue;
		fn(userdata, w, why ? why : st, !root && for_root(why));
	}
}

static void count_one(void *userdata, const char *words, const char *reason, bool root)
{
	(*(size_t *)userdata)++;
	(void)words, (void)reason, (void)root;
}

static size_t count_missing(const json_t *r)
{
	size_t n = 0;

	scx_report_missing(r, count_one, &n);
	return n;
}

struct root_list {
	char *buf;
	size_t len, n;
};

static void add_root(void *userdata, const char *words, const char *reason, bool root)
{
	struct root_list *l = userdata;
	size_t used = strlen(l->buf);

	if (!root || used + 2 >= l->len)
		return;
	snprintf(l->buf + used, l->len - used, "%s%s", l->n ? ", " : "", words);
	l->n++;
	(void)reason;
}

size_t scx_report_missing_for_root(const json_t *r, char *buf, size_t len)
{
	struct root_list l = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	scx_report_missing(r, add_root, &l);
	return l.n;
}

static void text_line(void *userdata, const char *words, const char *reason, bool root)
{
	fprintf(userdata, "- %s: %s%s\n", words, reason, root ? " (run as root for it)" : "");
}

void scx_summary_partial_line(FILE *f, const json_t *r)
{
	char list[512];

	if (scx_report_missing_for_root(r, list, sizeof(list)))
		fprintf(f, "Partial report: not collected as root, so without %s; run as root for a "
			"full report.\n", list);
}

void scx_summary_missing(FILE *f, const json_t *r)
{
	if (!count_missing(r))
		return;
	fprintf(f, "\n== Not in this report ==\n");
	scx_report_missing(r, text_line, f);
}

static void html_item(void *userdata, const char *words, const char *reason, bool root)
{
	FILE *f = userdata;

	fputs("<li><strong>", f);
	scx_xml_esc(f, words);
	fputs("</strong>: not collected: ", f);
	scx_xml_esc(f, reason);
	if (root)
		fputs(" <em>(run as root for it)</em>", f);
	fputs("</li>\n", f);
}

void html_section_missing(FILE *f, const json_t *r)
{
	char list[512];

	if (!count_missing(r))
		return;
	fputs("<section class=\"missing\" id=\"missing\" aria-label=\"Not in this report\">\n", f);
	if (scx_report_missing_for_root(r, list, sizeof(list))) {
		fputs("<p class=\"partial\"><strong>Partial report:</strong> not collected as root, so "
		      "without ", f);
		scx_xml_esc(f, list);
		fputs("; run as root for a full report.</p>\n", f);
	}
	fputs("<h2>Not in this report</h2>\n<ul>\n", f);
	scx_report_missing(r, html_item, f);
	fputs("</ul>\n</section>\n", f);
}
