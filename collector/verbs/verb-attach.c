// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report attach`: options and help (https only unless --insecure); the
 * verification and the sending are collector/upload/attach.c.
 */
#include <getopt.h>
#include <string.h>

#include "attach.h"
#include "util.h"
#include "verbs.h"

void help_attach(FILE *f)
{
	fprintf(f,
		"Usage: scx-report attach --bugzilla URL --bug ID [OPTIONS] BUNDLE\n"
		"       scx-report attach --url URL [--form NAME] [OPTIONS] BUNDLE\n"
		"\n"
		"Verify BUNDLE, then attach it to bug ID of the Bugzilla at URL (REST API),\n"
		"or upload it to URL with HTTP PUT (pre-signed object-store URLs, vendors'\n"
		"upload endpoints) or POST multipart. https only, certificates checked.\n"
		"The Bugzilla API key is read from the first line of --api-key-file or from\n"
		"$SCX_REPORT_BUGZILLA_API_KEY, never from the command line.\n"
		"\n"
		"      --bugzilla URL       the Bugzilla's base URL, e.g. https://bugzilla.example.org\n"
		"      --bug ID             the bug to attach to\n"
		"      --api-key-file FILE  read the API key from the first line of FILE\n"
		"      --bearer             send the key as 'Authorization: Bearer' (bugzilla.redhat.com)\n"
		"      --comment TEXT       add this comment with the attachment\n"
		"      --summary TEXT       the attachment's description\n"
		"      --private            mark the attachment private (Bugzilla is_private)\n"
		"      --url URL            upload with HTTP PUT to URL instead\n"
		"      --url-file FILE      the same, the URL read from the first line of FILE\n"
		"                           (a pre-signed URL is a secret: argv is world-readable)\n"
		"      --form NAME          with --url: POST multipart, the bundle in field NAME\n"
		"      --cacert FILE        trust the CAs in FILE (PEM) instead of the system's\n"
		"      --insecure           allow a plain http:// URL\n"
		"      --max-size BYTES     refuse a larger bundle before sending (default 64 MiB)\n"
		"      --dry-run            print what would be sent (not the key), send nothing\n"
		"  -h, --help               this help\n");
}

enum {
	OPT_BUGZILLA = 0x200, OPT_BUG, OPT_KEYFILE, OPT_BEARER, OPT_COMMENT, OPT_SUMMARY,
	OPT_PRIVATE, OPT_URL, OPT_URL_FILE, OPT_FORM, OPT_CACERT, OPT_INSECURE, OPT_MAX_SIZE, OPT_DRY_RUN,
};

static const struct option attach_options[] = {
	{ "bugzilla", required_argument, NULL, OPT_BUGZILLA },
	{ "bug", required_argument, NULL, OPT_BUG },
	{ "api-key-file", required_argument, NULL, OPT_KEYFILE },
	{ "bearer", no_argument, NULL, OPT_BEARER },
	{ "comment", required_argument, NULL, OPT_COMMENT },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "private", no_argument, NULL, OPT_PRIVATE },
	{ "url", required_argument, NULL, OPT_URL },
	{ "url-file", required_argument, NULL, OPT_URL_FILE },
	{ "form", required_argument, NULL, OPT_FORM },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

struct attach_args {
	struct scx_attach_request req;
	char *url_owned;	/* --url-file's first line */
};

static bool url_allowed(const char *opt, const char *url, bool insecure)
{
	if (startswith(url, "https://") || (insecure && startswith(url, "http://")))
		return true;
	if (startswith(url, "http://"))
		scx_log_error("attach: %s: '%s' is plain http: refused without --insecure", opt, url);
	else
		scx_log_error("attach: %s: '%s' is not an https:// URL", opt, url);
	return false;
}

/* 0: go on; -1: --help was printed; else the exit code. */
static int parse_args(int argc, char **argv, struct attach_args *a)
{
	uint64_t v;
	int c;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", attach_options)) != -1) {
		switch (c) {
		case OPT_BUGZILLA: a->req.bz.base_url = optarg; break;
		case OPT_BUG:
			if (safe_atou64(optarg, &v) < 0 || v == 0 || v > 0xffffffffu) {
				scx_log_error("attach: --bug: '%s' is not a bug number", optarg);
				return SCX_EXIT_USAGE;
			}
			a->req.bz.bug_id = (unsigned long)v;
			break;
		case OPT_KEYFILE: a->req.keyfile = optarg; break;
		case OPT_BEARER: a->req.bz.auth = SCX_BZ_AUTH_BEARER; break;
		case OPT_COMMENT: a->req.bz.comment = optarg; break;
		case OPT_SUMMARY: a->req.bz.summary = optarg; break;
		case OPT_PRIVATE: a->req.bz.is_private = true; break;
		case OPT_URL: a->req.url.url = optarg; break;
		case OPT_URL_FILE: {
			int r = scx_attach_read_line(optarg, &a->url_owned);

			if (r < 0 || !*a->url_owned) {
				scx_log_error("attach: --url-file %s: %s", optarg,
					      r < 0 ? strerror(-r) : "its first line is empty");
				return SCX_EXIT_USAGE;
			}
			a->req.url.url = a->url_owned;
			break;
		}
		case OPT_FORM: a->req.url.form_name = optarg; break;
		case OPT_CACERT: a->req.bz.ca_file = a->req.url.ca_file = optarg; break;
		case OPT_INSECURE: a->req.bz.insecure = a->req.url.insecure = true; break;
		case OPT_MAX_SIZE:
			if (safe_atou64(optarg, &v) < 0 || v == 0) {
				scx_log_error("attach: --max-size: '%s' is not a size in bytes", optarg);
				return SCX_EXIT_USAGE;
			}
			a->req.url.max_size = v;
			break;
		case OPT_DRY_RUN: a->req.dry_run = true; break;
		case 'h': help_attach(stdout); return -1;
		default:
			fprintf(stderr, "Try 'scx-report help attach'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		scx_log_error("attach: expected exactly one BUNDLE argument");
		return SCX_EXIT_USAGE;
	}
	a->req.bz.file_path = a->req.url.file_path = argv[optind];
	if (!!a->req.url.url == !!a->req.bz.base_url) {
		scx_log_error("attach: give either --bugzilla URL --bug ID, or --url URL");
		return SCX_EXIT_USAGE;
	}
	if (a->req.url.url)
		return url_allowed("--url", a->req.url.url, a->req.url.insecure) ? 0 : SCX_EXIT_USAGE;
	if (!a->req.bz.bug_id) {
		scx_log_error("attach: --bugzilla URL and --bug ID are both needed");
		return SCX_EXIT_USAGE;
	}
	return url_allowed("--bugzilla", a->req.bz.base_url, a->req.bz.insecure) ? 0 : SCX_EXIT_USAGE;
}

int verb_attach(int argc, char **argv)
{
	struct attach_args a = { .req = { .bz = { .auth = SCX_BZ_AUTH_KEY, .timeout_s = 300 },
					  .url = { .timeout_s = 300 } } };
	int rc = parse_args(argc, argv, &a);

	/* parse_args: 0 go on, -1 --help was printed, else the usage error's exit code. */
	if (rc == 0)
		rc = scx_attach(&a.req);
	else if (rc < 0)
		rc = SCX_EXIT_OK;
	free(a.url_owned);
	return rc;
}
