// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report diff A B`: what changed between two bundles. */
#include <getopt.h>
#include <string.h>

#include "bundle.h"
#include "diff.h"
#include "model.h"
#include "reader.h"
#include "util.h"
#include "verbs.h"

/* diff(1)'s exit codes: the same, different, trouble. */
enum { DIFF_SAME = 0, DIFF_CHANGED = 1, DIFF_TROUBLE = 2 };

void help_diff(FILE *f)
{
	fprintf(f,
		"Usage: scx-report diff [--json] BUNDLE_A BUNDLE_B\n"
		"\n"
		"Verify both bundles and print what changed from A to B: kernel, scheduler\n"
		"(name, version, ops, sha256, build-id, provenance, manager, package), the\n"
		"sched_ext state and event counters, the latency percentiles (beyond the 1.6%%\n"
		"bucket error), the verdict, and the paired run's figures. A paired figure\n"
		"counts as changed only when the runs of both bundles say so: A's runs of a\n"
		"side against B's runs of the same side, two-sided Mann-Whitney U, p < 0.05,\n"
		"medians further apart than the bucket error.\n"
		"Exit status (as diff(1)): 0 no changes, 1 changes, 2 usage error or a\n"
		"bundle that is invalid or unreadable.\n"
		"\n"
		"      --json    print the comparison as JSON (schema scx-report-diff/1)\n"
		"  -h, --help    this help\n");
}

static const struct option diff_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

static int load(const char *path, struct scx_bundle *b)
{
	char err[512];
	int r = scx_bundle_read(path, b, err, sizeof(err));

	if (r < 0)
		scx_log_error("diff: %s%s", scx_bundle_err_prefix(r), err);
	return r;
}

int verb_diff(int argc, char **argv)
{
	struct scx_bundle a = { 0 }, b = { 0 };
	bool json = false;
	json_t *d;
	int c, rc;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", diff_options)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': help_diff(stdout); return SCX_EXIT_OK;
		default:
			fprintf(stderr, "Try 'scx-report help diff'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind != argc - 2) {
		scx_log_error("diff: expected two BUNDLE arguments");
		return SCX_EXIT_USAGE;
	}
	if (load(argv[optind], &a) < 0)
		return DIFF_TROUBLE;
	if (load(argv[optind + 1], &b) < 0) {
		scx_bundle_free(&a);
		return DIFF_TROUBLE;
	}
	d = scx_diff_reports(a.report, b.report);
	if (!d) {
		scx_log_error("diff: out of memory");
		rc = DIFF_TROUBLE;
		goto out;
	}
	if (json) {
		json_dumpf(d, stdout, SCX_JSON_OUT);
		fputc('\n', stdout);
	} else {
		scx_diff_render(stdout, d, argv[optind], argv[optind + 1]);
	}
	rc = json_array_size(json_object_get(d, "changes")) ? DIFF_CHANGED : DIFF_SAME;
	json_decref(d);
	if (fflush(stdout) != 0)
		rc = DIFF_TROUBLE;
out:
	scx_bundle_free(&a);
	scx_bundle_free(&b);
	return rc;
}
