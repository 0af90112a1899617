// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report attach`: verify a bundle, then attach it to a Bugzilla bug. */
#include <getopt.h>
#include <libgen.h>
#include <string.h>

#include "bugzilla.h"
#include "bundle.h"
#include "util.h"
#include "verbs.h"

void help_attach(FILE *f)
{
	fprintf(f,
		"Usage: scx-report attach --bugzilla URL --bug ID [OPTIONS] BUNDLE\n"
		"\n"
		"Verify BUNDLE, then attach it to bug ID of the Bugzilla at URL (REST API).\n"
		"The API key is read from --api-key-file or $SCX_REPORT_BUGZILLA_API_KEY,\n"
		"never from the command line.\n"
		"\n"
		"      --bugzilla URL       the Bugzilla's base URL, e.g. https://bugzilla.example.org\n"
		"      --bug ID             the bug to attach to\n"
		"      --api-key-file FILE  read the API key from FILE\n"
		"      --bearer             send the key as 'Authorization: Bearer' (bugzilla.redhat.com)\n"
		"      --comment TEXT       add this comment with the attachment\n"
		"      --summary TEXT       the attachment's description\n"
		"  -h, --help               this help\n");
}

enum { OPT_BUGZILLA = 0x200, OPT_BUG, OPT_KEYFILE, OPT_BEARER, OPT_COMMENT, OPT_SUMMARY };

static const struct option attach_options[] = {
	{ "bugzilla", required_argument, NULL, OPT_BUGZILLA },
	{ "bug", required_argument, NULL, OPT_BUG },
	{ "api-key-file", required_argument, NULL, OPT_KEYFILE },
	{ "bearer", no_argument, NULL, OPT_BEARER },
	{ "comment", required_argument, NULL, OPT_COMMENT },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

int verb_attach(int argc, char **argv)
{
	struct scx_bz_request req = { .auth = SCX_BZ_AUTH_KEY, .timeout_s = 300 };
	_cleanup_free_ char *key = NULL, *namebuf = NULL, *summary = NULL;
	const char *keyfile = NULL;
	struct scx_bundle b;
	unsigned long id;
	char err[512];
	uint64_t bug;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", attach_options, NULL)) != -1) {
		switch (c) {
		case OPT_BUGZILLA: req.base_url = optarg; break;
		case OPT_BUG:
			if (safe_atou64(optarg, &bug) < 0 || bug == 0 || bug > 0xffffffffu) {
				scx_log_error("attach: --bug: '%s' is not a bug number", optarg);
				return SCX_EXIT_USAGE;
			}
			req.bug_id = (unsigned long)bug;
			break;
		case OPT_KEYFILE: keyfile = optarg; break;
		case OPT_BEARER: req.auth = SCX_BZ_AUTH_BEARER; break;
		case OPT_COMMENT: req.comment = optarg; break;
		case OPT_SUMMARY: req.summary = optarg; break;
		case 'h': help_attach(stdout); return SCX_EXIT_OK;
		default:
			fprintf(stderr, "Try 'scx-report help attach'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		scx_log_error("attach: expected exactly one BUNDLE argument");
		return SCX_EXIT_USAGE;
	}
	if (!req.base_url || !req.bug_id) {
		scx_log_error("attach: --bugzilla URL and --bug ID are both needed");
		return SCX_EXIT_USAGE;
	}
	if (!startswith(req.base_url, "https://") && !startswith(req.base_url, "http://")) {
		scx_log_error("attach: --bugzilla: '%s' is not an http(s) URL", req.base_url);
		return SCX_EXIT_USAGE;
	}
	req.file_path = argv[optind];

	if (keyfile) {
		r = read_one_line(keyfile, &key);
		if (r < 0) {
			scx_log_error("attach: --api-key-file %s: %s", keyfile, strerror(-r));
			return SCX_EXIT_FAIL;
		}
	} else if (getenv("SCX_REPORT_BUGZILLA_API_KEY")) {
		key = strdup(getenv("SCX_REPORT_BUGZILLA_API_KEY"));
	}
	if (!key || !*key) {
		scx_log_error("attach: no API key (--api-key-file FILE or $SCX_REPORT_BUGZILLA_API_KEY)");
		return SCX_EXIT_USAGE;
	}
	req.api_key = key;

	/* Never send something a support engineer's `show` would refuse. */
	r = scx_bundle_read(req.file_path, &b, err, sizeof(err));
	if (r < 0) {
		scx_log_error("attach: invalid bundle: %s", err);
		return SCX_EXIT_FAIL;
	}
	namebuf = strdup(req.file_path);
	req.file_name = namebuf ? basename(namebuf) : "scx-report.tar.zst";
	if (!req.summary) {
		const char *cls = json_string_value(json_object_get(json_object_get(b.report, "verdict"), "class"));

		if (asprintf(&summary, "scx-report bundle%s%s", cls ? ": " : "", cls ? cls : "") > 0)
			req.summary = summary;
		else
			req.summary = "scx-report bundle";
	}
	scx_bundle_free(&b);

	r = scx_bz_attach(&req, &id, err, sizeof(err));
	if (r < 0) {
		scx_log_error("attach: %s", err);
		return SCX_EXIT_FAIL;
	}
	printf("attached %s to bug %lu as attachment %lu\n", req.file_name, req.bug_id, id);
	return SCX_EXIT_OK;
}
