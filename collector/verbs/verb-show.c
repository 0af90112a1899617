// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report show`: verify a bundle against its manifest, print its summary. */
#include <getopt.h>
#include <string.h>

#include "bundle.h"
#include "util.h"
#include "verbs.h"
#include "model.h"

void help_show(FILE *f)
{
	fprintf(f,
		"Usage: scx-report show [--json] BUNDLE\n"
		"\n"
		"Verify BUNDLE against its manifest (paths, sizes, sha256 of every member,\n"
		"schemas) and print its summary, or with --json the whole report.\n"
		"BUNDLE '-' reads standard input (scx-report collect -o - | scx-report show -).\n"
		"Exit status: 0 valid, 1 invalid or unreadable, 2 usage error.\n"
		"\n"
		"      --json    print report.json instead of the summary\n"
		"  -h, --help    this help\n");
}

static const struct option show_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

int verb_show(int argc, char **argv)
{
	struct scx_bundle b;
	char err[512];
	bool json = false;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", show_options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': help_show(stdout); return SCX_EXIT_OK;
		default:
			fprintf(stderr, "Try 'scx-report help show'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		scx_log_error("show: expected exactly one BUNDLE argument");
		return SCX_EXIT_USAGE;
	}
	r = scx_bundle_read(argv[optind], &b, err, sizeof(err));
	if (r < 0) {
		/* The reader names "-" as the path; say what it is. */
		if (!strcmp(argv[optind], "-") && !strncmp(err, "-: ", 3))
			scx_log_error("invalid bundle: standard input: %s", err + 3);
		else
			scx_log_error("invalid bundle: %s", err);
		return SCX_EXIT_FAIL;
	}
	if (json) {
		json_dumpf(b.report, stdout, SCX_JSON_OUT);
		fputc('\n', stdout);
	} else if (b.summary) {
		fputs(b.summary, stdout);
	} else {
		printf("(this bundle has no summary.txt)\n");
	}
	scx_bundle_free(&b);
	return fflush(stdout) == 0 ? SCX_EXIT_OK : SCX_EXIT_FAIL;
}
