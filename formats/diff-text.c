// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text of `show --list` and of `scx-report diff` (see reader.h).  Every
 * string from a bundle goes through the terminal escaper (escape.h): member
 * paths, keys, values, notes, host names.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "escape.h"
#include "model.h"
#include "reader.h"
#include "units.h"
#include "util.h"

/* A bundle's string, escaped for a terminal ("?" when absent). */
static void put(FILE *f, const char *s)
{
	s = s ? s : "?";
	scx_escape_write(f, s, strlen(s), false);
}

void scx_list_render(FILE *f, const json_t *list)
{
	const json_t *m;
	size_t i;

	fprintf(f, "%-16s %10s  %s\n", "STATUS", "SIZE", "MEMBER");
	json_array_foreach(list, i, m) {
		const json_t *size = json_object_get(m, "size");

		char st[64];

		scx_escape_str(jstr(m, "status") ?: "?", st, sizeof(st));
		if (json_is_integer(size))
			fprintf(f, "%-16s %10" JSON_INTEGER_FORMAT "  ", st, json_integer_value(size));
		else
			fprintf(f, "%-16s %10s  ", st, "-");
		put(f, jstr(m, "path"));
		fputc('\n', f);
	}
}

static bool is_ns(const char *key)
{
	return key && strstr(key, "_ns") && !strstr(key, "events.") && !strstr(key, ".ratio");
}

/* A JSON scalar as text, "(none)" when absent; durations of a "_ns" key with a unit. */
static void value(FILE *f, const json_t *v, const char *key)
{
	char buf[32];

	if (json_is_number(v) && is_ns(key)) {
		format_ns(buf, sizeof(buf), json_number_value(v));
		fputs(buf, f);
	} else if (!v || json_is_null(v))
		fputs("(none)", f);
	else if (json_is_string(v))
		scx_escape_write(f, json_string_value(v), json_string_length(v), false);
	else if (json_is_integer(v))
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%.6g", json_real_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", f);
	else
		fputs("(object)", f);
}

static void who(FILE *f, const char *label, const char *path, const json_t *w)
{
	fprintf(f, "%s: ", label);
	put(f, path);
	fputs(" (host ", f);
	put(f, jstr(w, "host"));
	fputs(", collected ", f);
	put(f, jstr(w, "start"));
	fputs(")\n", f);
}

void scx_diff_render(FILE *f, const json_t *diff, const char *path_a, const char *path_b)
{
	const json_t *changes = json_object_get(diff, "changes"), *c;
	const char *section = NULL;
	size_t i;

	who(f, "A", path_a, json_object_get(diff, "a"));
	who(f, "B", path_b, json_object_get(diff, "b"));
	if (!json_is_true(json_object_get(diff, "same_host")))
		fputs("note: the bundles come from different hosts\n", f);
	if (!json_array_size(changes)) {
		fputs("\nNo changes.\n", f);
	} else {
		json_array_foreach(changes, i, c) {
			if (!section || strcmp(section, jstr(c, "section") ?: "")) {
				section = jstr(c, "section");
				fputs("\n== ", f);
				put(f, section);
				fputs(" ==\n", f);
			}
			put(f, jstr(c, "key"));
			fputs(": ", f);
			value(f, json_object_get(c, "a"), jstr(c, "key"));
			fputs(" -> ", f);
			value(f, json_object_get(c, "b"), jstr(c, "key"));
			if (jstr(c, "note")) {
				fputs("  (", f);
				put(f, jstr(c, "note"));
				fputc(')', f);
			}
			fputc('\n', f);
		}
		fprintf(f, "\n%zu change(s).\n", json_array_size(changes));
	}
	if (jstr(diff, "paired_note"))
	{
		fputs("\nPaired figures not compared: ", f);
		put(f, jstr(diff, "paired_note"));
		fputs(".\n", f);
	}
	if (json_array_size(json_object_get(diff, "paired"))) {
		fputs("\nPaired figures, custom/default per round (median), A's rounds against B's\n"
		      "(two-sided Mann-Whitney U; a change only when p < 0.05 and beyond the 1.6% bucket"
		      " error):\n", f);
		json_array_foreach(json_object_get(diff, "paired"), i, c) {
			char ra[32], rb[32], ch[32], pt[32], fig[64];

			scx_fmt_ratio(ra, sizeof(ra), json_number_value(jget(c, "ratio_a")));
			scx_fmt_ratio(rb, sizeof(rb), json_number_value(jget(c, "ratio_b")));
			scx_fmt_ratio(ch, sizeof(ch), json_is_number(jget(c, "change")) ?
				      json_number_value(jget(c, "change")) : NAN);
			scx_fmt_p(pt, sizeof(pt), json_number_value(jget(c, "p")));
			fprintf(f, "  %-24s %s -> %s: changed %s, %s, %s\n",
				scx_escape_str(scx_metric_words(jstr(c, "figure")) ?: "?", fig, sizeof(fig)), ra, rb,
				ch, pt,
				json_is_true(jget(c, "significant")) ? "significant" : "not significant");
		}
	}
}
