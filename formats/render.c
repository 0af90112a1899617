// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.txt and report.html of a staged bundle, rendered from the
 * report.json written there (not from the model in memory), so that a
 * reader who renders report.json again gets exactly summary.txt: `show`
 * checks a bundle's summary that way.
 */
#include "formats.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
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

static void html_of(FILE *f, const void *report)
{
	scx_html_render(f, report);
}

/* report.html from report.json at dest ("-": standard output), written beside and renamed into place. */
int scx_html_write(const char *dest, const json_t *report, bool force)
{
	if (!strcmp(dest, "-")) {
		scx_html_render(stdout, report);
		return fflush(stdout) == 0 ? 0 : -EIO;
	}
	/* lib/outfile.c: a regular file only, replaced only with force, 0600 when root writes it. */
	return scx_out_write(dest, force, scx_out_mode(geteuid() == 0), html_of, report);
}
