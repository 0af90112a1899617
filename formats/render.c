// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.txt and report.html of a staged bundle, rendered from the
 * report.json written there (not from the model in memory), so that a
 * reader who renders report.json again gets exactly summary.txt: `show`
 * checks a bundle's summary that way.
 */
#include "formats.h"

#include <limits.h>
#include <stdio.h>

#include "util.h"

static int render_to(const char *top, const char *name, const json_t *report,
		     void (*fn)(FILE *f, const json_t *report))
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, name);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fn(f, report);
	return fclose(f) == 0 ? 0 : -EIO;
}

int scx_render_staged(const char *top)
{
	char path[PATH_MAX];
	json_t *saved;
	int r;

	snprintf(path, sizeof(path), "%s/report.json", top);
	saved = json_load_file(path, 0, NULL);
	if (!saved)
		return -EIO;
	r = render_to(top, "summary.txt", saved, scx_summary_render);
	if (r >= 0)
		r = render_to(top, "report.html", saved, scx_html_render);
	json_decref(saved);
	return r;
}
