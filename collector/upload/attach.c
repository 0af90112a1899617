// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report attach`'s work (collector/verbs/verb-attach.c parses its
 * options): verify the bundle, then attach it to a Bugzilla bug
 * (bugzilla.c) or upload it to a URL (upload-url.c), and say what was done.
 * The API key from a file's first line or the environment, never printed.
 */
#include "attach.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "exit-codes.h"
#include "util.h"

#define DEFAULT_MAX_SIZE (64ull << 20)

int scx_attach_read_line(const char *path, char **ret)
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

static int to_bugzilla(struct scx_attach_request *a, const char *cls, const char *sig)
{
	_cleanup_free_ char *key = NULL, *summary = NULL;
	unsigned long id;
	char err[512];
	int r;

	if (a->keyfile) {
		r = scx_attach_read_line(a->keyfile, &key);
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

static int to_url(struct scx_attach_request *a)
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

int scx_attach(struct scx_attach_request *a)
{
	_cleanup_free_ char *namebuf = NULL, *cls = NULL, *sig = NULL;
	struct scx_bundle b;
	char err[512];
	int r;

	/* Never send something a support engineer's `show` would refuse. */
	r = scx_bundle_read(a->bz.file_path, &b, err, sizeof(err));
	if (r < 0) {
		scx_log_error("attach: %s%s", scx_bundle_err_prefix(r), err);
		return SCX_EXIT_FAIL;
	}
	if (json_string_value(json_object_get(json_object_get(b.report, "verdict"), "class")))
		cls = strdup(json_string_value(json_object_get(json_object_get(b.report, "verdict"), "class")));
	if (json_string_value(json_object_get(json_object_get(b.report, "verdict"), "signature")))
		sig = strdup(json_string_value(json_object_get(json_object_get(b.report, "verdict"), "signature")));
	scx_bundle_free(&b);
	namebuf = strdup(a->bz.file_path);
	a->bz.file_name = a->url.file_name = namebuf ? basename(namebuf) : "scx-report.tar.zst";
	return a->url.url ? to_url(a) : to_bugzilla(a, cls, sig);
}

