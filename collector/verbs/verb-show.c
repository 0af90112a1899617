// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report show`: options and help; the work is collector/show/show.c. */
#include <getopt.h>

#include "show.h"
#include "util.h"
#include "verbs.h"

void help_show(FILE *f)
{
	fprintf(f,
		"Usage: scx-report show [-f] [--json | --html FILE | --list | --member PATH] BUNDLE\n"
		"\n"
		"Verify BUNDLE against its manifest (paths, sizes, sha256 of every member,\n"
		"schemas) and print its summary, or with --json the whole report.\n"
		"The summary is rendered from report.json; control bytes are shown as \\xNN.\n"
		"BUNDLE '-' reads standard input (scx-report collect -o - | scx-report show -).\n"
		"Exit status: 0 valid, 1 invalid or unreadable (--list: a member is not ok),\n"
		"2 usage error.\n"
		"\n"
		"      --json         print report.json instead of the summary\n"
		"      --html FILE    write report.html, rendered from report.json by this\n"
		"                     version ('-': standard output)\n"
		"      --list         list the members with their size and the manifest's\n"
		"                     status for each (ok, size differs, checksum differs,\n"
		"                     not in manifest, duplicate, missing)\n"
		"      --member PATH  print one member (a path inside the top folder), only\n"
		"                     when its size and sha256 match the manifest; to a\n"
		"                     terminal control bytes are shown as \\xNN and a binary\n"
		"                     member is refused unless --force\n"
		"  -f, --force        replace an existing --html FILE (a regular file only);\n"
		"                     print a binary --member to a terminal\n"
		"  -h, --help         this help\n");
}

static const struct option show_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "html", required_argument, NULL, 'H' },
	{ "list", no_argument, NULL, 'l' },
	{ "member", required_argument, NULL, 'm' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

int verb_show(int argc, char **argv)
{
	struct scx_show_request req = { 0 };
	int c;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "fh", show_options)) != -1) {
		switch (c) {
		case 'j': req.json = true; break;
		case 'H': req.html = optarg; break;
		case 'l': req.list = true; break;
		case 'm': req.member = optarg; break;
		case 'f': req.force = true; break;
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
	if (req.json + !!req.html + req.list + !!req.member > 1) {
		scx_log_error("show: --json, --html, --list and --member go one at a time");
		return SCX_EXIT_USAGE;
	}
	return scx_show(argv[optind], &req);
}
