// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report attach`: verify a bundle, then attach it to a Bugzilla bug or
 * upload it to a URL (PUT, or POST multipart).  https only unless
 * --insecure; the API key from a file's first line or the environment,
 * never from the command line, never printed (--dry-run shows the rest).
 */
#include <getopt.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>

#include "bugzilla.h"
#include "bundle.h"
#include "upload-url.h"
#include "util.h"
#include "verbs.h"

#define DEFAULT_MAX_SIZE (64ull << 20)

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
	struct scx_bz_request bz;
	struct scx_url_request url;
	const char *keyfile;
	char *url_owned;	/* --url-file's first line */
	bool dry_run;
};

/* The key is the file's first line: a trailing comment or a second key never travels. */
static int read_key(const char *path, char **ret)
{
	_cleanup_free_ char *buf = NULL;
	int r = read_file_full(path, 4096, &buf, NULL, NULL);

	if (r < 0)
		return r;
	buf[strcspn(buf, "\r\n")] = '\0';
	strstrip(buf);
	*ret = TAKE_PTR(buf);
	return 0;
}

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

/* 0: go on; else the exit code. */
static int parse_args(int argc, char **argv, struct attach_args *a)
{
	uint64_t v;
	int c;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", attach_options)) != -1) {
		switch (c) {
		case OPT_BUGZILLA: a->bz.base_url = optarg; break;
		case OPT_BUG:
			if (safe_atou64(optarg, &v) < 0 || v == 0 || v > 0xffffffffu) {
				scx_log_error("attach: --bug: '%s' is not a bug number", optarg);
				return SCX_EXIT_USAGE;
			}
			a->bz.bug_id = (unsigned long)v;
			break;
		case OPT_KEYFILE: a->keyfile = optarg; break;
		case OPT_BEARER: a->bz.auth = SCX_BZ_AUTH_BEARER; break;
		case OPT_COMMENT: a->bz.comment = optarg; break;
		case OPT_SUMMARY: a->bz.summary = optarg; break;
		case OPT_PRIVATE: a->bz.is_private = true; break;
		case OPT_URL: a->url.url = optarg; break;
		case OPT_URL_FILE: {
			int r = read_key(optarg, &a->url_owned);

			if (r < 0 || !*a->url_owned) {
				scx_log_error("attach: --url-file %s: %s", optarg,
					      r < 0 ? strerror(-r) : "its first line is empty");
				return SCX_EXIT_USAGE;
			}
			a->url.url = a->url_owned;
			break;
		}
		case OPT_FORM: a->url.form_name = optarg; break;
		case OPT_CACERT: a->bz.ca_file = a->url.ca_file = optarg; break;
		case OPT_INSECURE: a->bz.insecure = a->url.insecure = true; break;
		case OPT_MAX_SIZE:
			if (safe_atou64(optarg, &v) < 0 || v == 0) {
				scx_log_error("attach: --max-size: '%s' is not a size in bytes", optarg);
				return SCX_EXIT_USAGE;
			}
			a->url.max_size = v;
			break;
		case OPT_DRY_RUN: a->dry_run = true; break;
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
	a->bz.file_path = a->url.file_path = argv[optind];
	if (!!a->url.url == !!a->bz.base_url) {
		scx_log_error("attach: give either --bugzilla URL --bug ID, or --url URL");
		return SCX_EXIT_USAGE;
	}
	if (a->url.url)
		return url_allowed("--url", a->url.url, a->url.insecure) ? 0 : SCX_EXIT_USAGE;
	if (!a->bz.bug_id) {
		scx_log_error("attach: --bugzilla URL and --bug ID are both needed");
		return SCX_EXIT_USAGE;
	}
	return url_allowed("--bugzilla", a->bz.base_url, a->bz.insecure) ? 0 : SCX_EXIT_USAGE;
}

static int to_bugzilla(struct attach_args *a, const char *cls, const char *sig)
{
	_cleanup_free_ char *key = NULL, *summary = NULL;
	unsigned long id;
	char err[512];
	int r;

	if (a->keyfile) {
		r = read_key(a->keyfile, &key);
		if (r < 0) {
			scx_log_error("attach: --api-key-file %s: %s", a->keyfile, strerror(-r));
			return SCX_EXIT_FAIL;
		}
	} else if (getenv("SCX_REPORT_BUGZILLA_API_KEY")) {
		key = strdup(getenv("SCX_REPORT_BUGZILLA_API_KEY"));
		if (key)
			key[strcspn(key, "\r\n")] = '\0';
	}
	if ((!key || !*key) && !a->dry_run) {
		scx_log_error("attach: no API key (--api-key-file FILE or $SCX_REPORT_BUGZILLA_API_KEY)");
		return SCX_EXIT_USAGE;
	}
	a->bz.api_key = key && *key ? key : NULL;
	if (!a->bz.summary) {
		/* The failure's signature is the title a bug tracker groups by. */
		if (asprintf(&summary, "scx-report bundle%s%s%s%s", cls ? ": " : "", cls ? cls : "",
			     sig ? ": " : "", sig ? sig : "") > 0)
			a->bz.summary = summary;
		else
			a->bz.summary = "scx-report bundle";
	}
	if (a->dry_run) {
		r = scx_bz_describe(&a->bz, stdout, err, sizeof(err));
		if (r >= 0)
			printf("dry run: nothing was sent\n");
		/* What the real run would stop at, the dry run says too. */
		if (r >= 0 && !a->bz.api_key) {
			scx_log_error("attach: no API key (--api-key-file FILE or "
				      "$SCX_REPORT_BUGZILLA_API_KEY): the real run would stop here");
			return SCX_EXIT_USAGE;
		}
	} else {
		r = scx_bz_attach(&a->bz, &id, err, sizeof(err));
		if (r >= 0)
			printf("attached %s to bug %lu as attachment %lu%s\n", a->bz.file_name,
			       a->bz.bug_id, id, a->bz.is_private ? " (private)" : "");
	}
	if (r < 0) {
		scx_log_error("attach: %s", err);
		return SCX_EXIT_FAIL;
	}
	return SCX_EXIT_OK;
}

static int to_url(struct attach_args *a)
{
	char err[512], pub[1024], hex[65];
	struct stat st;
	long status;
	int r;

	if (!a->url.max_size)
		a->url.max_size = DEFAULT_MAX_SIZE;
	if (a->dry_run) {
		r = scx_url_describe(&a->url, stdout, err, sizeof(err));
		if (r >= 0)
			printf("dry run: nothing was sent\n");
	} else {
		r = scx_url_upload(&a->url, &status, err, sizeof(err));
	}
	if (r < 0) {
		scx_log_error("attach: %s", err);
		return SCX_EXIT_FAIL;
	}
	if (a->dry_run)
		return SCX_EXIT_OK;
	scx_url_public(a->url.url, pub, sizeof(pub));
	if (stat(a->url.file_path, &st) < 0 || sha256_hex_file(a->url.file_path, hex, NULL) < 0)
		snprintf(hex, sizeof(hex), "?");
	printf("uploaded %s (%lld KiB, sha256 %s) to %s (HTTP %ld)\n", a->url.file_name,
	       (long long)(st.st_size + 1023) / 1024, hex, pub, status);
	return SCX_EXIT_OK;
}

static int attach(int argc, char **argv, struct attach_args *args)
{
	struct attach_args a = *args;
	_cleanup_free_ char *namebuf = NULL, *cls = NULL, *sig = NULL;
	struct scx_bundle b;
	char err[512];
	int r;

	r = parse_args(argc, argv, &a);
	args->url_owned = a.url_owned;
	if (r != 0)
		return r < 0 ? SCX_EXIT_OK : r;

	/* Never send something a support engineer's `show` would refuse. */
	r = scx_bundle_read(a.bz.file_path, &b, err, sizeof(err));
	if (r < 0) {
		scx_log_error("attach: invalid bundle: %s", err);
		return SCX_EXIT_FAIL;
	}
	if (json_string_value(json_object_get(json_object_get(b.report, "verdict"), "class")))
		cls = strdup(json_string_value(json_object_get(json_object_get(b.report, "verdict"), "class")));
	if (json_string_value(json_object_get(json_object_get(b.report, "verdict"), "signature")))
		sig = strdup(json_string_value(json_object_get(json_object_get(b.report, "verdict"), "signature")));
	scx_bundle_free(&b);
	namebuf = strdup(a.bz.file_path);
	a.bz.file_name = a.url.file_name = namebuf ? basename(namebuf) : "scx-report.tar.zst";
	return a.url.url ? to_url(&a) : to_bugzilla(&a, cls, sig);
}

int verb_attach(int argc, char **argv)
{
	struct attach_args a = { .bz = { .auth = SCX_BZ_AUTH_KEY, .timeout_s = 300 },
				 .url = { .timeout_s = 300 } };
	int rc = attach(argc, argv, &a);

	free(a.url_owned);
	return rc;
}
