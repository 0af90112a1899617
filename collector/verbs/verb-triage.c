// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report triage BUNDLE... | DIR...`: options and help; the fleet's
 * bundles are read by collector/triage/triage-fleet.c.
 */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "model.h"
#include "outfile.h"
#include "paths.h"
#include "reader.h"
#include "triage-fleet.h"
#include "util.h"
#include "verbs.h"

void help_triage(FILE *f)
{
	fprintf(f,
		"Usage: scx-report triage [--json | --html FILE [--force]] BUNDLE... | DIR...\n"
		"\n"
		"One row per bundle: host, collected at, kernel, scheduler, version,\n"
		"provenance, verdict and the key figure (the paired run's primary ratio, else\n"
		"the runq p99); then the number of bundles by scheduler version and verdict.\n"
		"A DIR is searched for *.tar.zst (%d levels deep). Only each bundle's\n"
		"manifest.json and report.json are read (both verified); a bundle that is\n"
		"refused is listed with the reason and the others are still read.\n"
		"Exit status: 0 every bundle read, 1 some refused or none found, 2 usage error.\n"
		"\n"
		"      --json       print the rows, the refused bundles and the counts as JSON\n"
		"      --html FILE  also write the table as a self-contained HTML page ('-': stdout)\n"
		"  -f, --force      replace FILE if it exists (a regular file only)\n"
		"  -h, --help       this help\n", SCX_TRIAGE_MAX_DEPTH);
}

static const struct option triage_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "html", required_argument, NULL, 'H' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

int verb_triage(int argc, char **argv)
{
	const char *html = NULL;
	json_t *t = NULL;
	size_t n_read, n_refused;
	bool json = false, force = false;
	int c, rc = SCX_EXIT_OK;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "hf", triage_options)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'H': html = optarg; break;
		case 'f': force = true; break;
		case 'h': help_triage(stdout); rc = -1; break;
		default:
			fprintf(stderr, "Try 'scx-report help triage'.\n");
			rc = SCX_EXIT_USAGE;
		}
	}
	if (rc == -1 || rc == SCX_EXIT_USAGE)
		goto out_early;
	if (optind >= argc || (json && html && !strcmp(html, "-"))) {
		scx_log_error(optind >= argc ? "triage: expected BUNDLE or DIR arguments"
					     : "triage: --json and --html - both want standard output");
		rc = SCX_EXIT_USAGE;
		goto out_early;
	}
	/* Before reading a fleet: an output that cannot be written says so at once. */
	if (html && strcmp(html, "-")) {
		int r = scx_out_check(html, force);

		if (r < 0) {
			scx_log_error("triage: %s: %s", html, scx_out_strerror(r));
			rc = SCX_EXIT_FAIL;
			goto out_early;
		}
	}
	/* A path that is not there is a mistake in the command, not a refused bundle. */
	for (int a = optind; a < argc; a++) {
		char why[PATH_MAX + 64];

		if (scx_path_check(argv[a], SCX_PATH_ANY, why, sizeof(why)) < 0) {
			scx_log_error("triage: %s", why);
			rc = SCX_EXIT_FAIL;
			goto out_early;
		}
	}
	t = scx_triage_fleet(argv + optind, (size_t)(argc - optind));
	if (json) {
		json_dumpf(t, stdout, SCX_JSON_OUT);
		fputc('\n', stdout);
	} else if (!html || strcmp(html, "-")) {
		scx_triage_render(stdout, t);
	}
	if (html) {
		int r = scx_triage_write_html(html, t, force);

		if (r < 0) {
			scx_log_error("triage: cannot write %s: %s", html, scx_out_strerror(r));
			rc = SCX_EXIT_FAIL;
		}
	}
	n_read = json_array_size(json_object_get(t, "bundles"));
	n_refused = json_array_size(json_object_get(t, "refused"));
	if (!n_read && !n_refused)
		scx_log_error("triage: no bundles (*.tar.zst) found");
	if (n_refused || !n_read)
		rc = SCX_EXIT_FAIL;
	if (fflush(stdout) != 0)
		rc = SCX_EXIT_FAIL;
out_early:
	json_decref(t);
	return rc == -1 ? SCX_EXIT_OK : rc;
}
