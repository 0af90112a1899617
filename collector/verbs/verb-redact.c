// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report redact IN OUT`: options and help; the cleaned copy is made by
 * formats/redact-bundle.c.  The map goes beside OUT, 0600.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "redact-opts.h"
#include "redact-stage.h"
#include "util.h"
#include "verbs.h"

void help_redact(FILE *f)
{
	fprintf(f,
		"Usage: scx-report redact [OPTIONS] IN OUT\n"
		"\n"
		"Write OUT, a copy of bundle IN with host and domain names, IP and MAC\n"
		"addresses, user names and the given words replaced by stable tokens\n"
		"(host0, 100.64.0.1, obfuscateduser0...). Members that are not text are\n"
		"dropped and listed in the manifest. The map from tokens back to the\n"
		"originals is written beside OUT (mode 0600), never inside it. OUT '-' is\n"
		"standard output (not a terminal); the map then goes beside IN.\n"
		"\n"
		"      --redact-word WORD  also replace WORD (any case, anywhere); repeatable\n"
		"      --redact-map FILE   read and extend this map (default OUT.redact-map.json)\n"
		"  -f, --force             replace an existing OUT\n"
		"  -h, --help              this help\n");
}

static const struct option redact_options[] = {
	{ "redact-word", required_argument, NULL, SCX_OPT_REDACT_WORD },
	{ "redact-map", required_argument, NULL, SCX_OPT_REDACT_MAP },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

int verb_redact(int argc, char **argv)
{
	struct scx_redact_opts ro = { 0 };
	bool force = false;
	int c, rc;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "fh", redact_options)) != -1) {
		switch (c) {
		case 'f': force = true; break;
		case 'h': help_redact(stdout); return SCX_EXIT_OK;
		case SCX_OPT_REDACT_WORD:
		case SCX_OPT_REDACT_MAP:
			if (scx_redact_opts_parse(&ro, c, optarg) < 0)
				return SCX_EXIT_USAGE;
			break;
		default:
			fprintf(stderr, "Try 'scx-report help redact'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind != argc - 2) {
		scx_log_error("redact: expected IN and OUT bundle arguments");
		return SCX_EXIT_USAGE;
	}
	ro.enabled = true;
	/* OUT '-': the bundle goes to standard output (never a terminal), the map beside IN. */
	const char *map_beside = argv[optind + 1];

	if (!strcmp(argv[optind + 1], "-")) {
		if (isatty(STDOUT_FILENO)) {
			scx_refuse_terminal();
			return SCX_EXIT_USAGE;
		}
		if (!ro.map_path && !strcmp(argv[optind], "-")) {
			scx_log_error("redact: IN and OUT are both standard output and input: give "
				      "--redact-map FILE for the map");
			return SCX_EXIT_USAGE;
		}
		map_beside = argv[optind];
	}
	if (scx_redact_opts_begin(&ro) < 0 || scx_redact_opts_set_output(&ro, map_beside) < 0) {
		scx_redact_opts_free(&ro);
		return SCX_EXIT_FAIL;
	}
	if (scx_redact_bundle(argv[optind], argv[optind + 1], force, ro.engine) < 0)
		rc = SCX_EXIT_FAIL;
	else
		rc = SCX_EXIT_OK;
	if (rc == SCX_EXIT_OK && scx_redact_opts_end(&ro) < 0)
		rc = SCX_EXIT_FAIL;
	scx_redact_opts_free(&ro);
	if (rc == SCX_EXIT_OK && strcmp(argv[optind + 1], "-"))
		printf("%s\n", argv[optind + 1]);
	return rc;
}
