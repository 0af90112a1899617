// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A cleaned copy of a bundle (`scx-report redact IN OUT`): IN is verified
 * like `show` does, its members are staged in a private folder, cleaned
 * (redact-stage.c), the report's summary, HTML and manifest rendered again
 * from the redacted report, and OUT written like `collect` writes (never
 * over an existing file without force; "-": standard output).
 */
#include "redact-stage.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "formats.h"
#include "outfile.h"
#include "util.h"

/* Each verified member of IN lands in the stage under its path. */
static int stage_member(const char *rel, const char *data, size_t len, void *userdata)
{
	char path[PATH_MAX];
	_cleanup_free_ char *dir = NULL;
	char *slash;
	int r;

	snprintf(path, sizeof(path), "%s/%s", (const char *)userdata, rel);
	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	*slash = '\0';
	r = mkdir_parents(dir, 0755);
	return r < 0 ? r : write_file_full(path, data, len, 0644);
}

static int restage(struct scx_redact *rd, const char *top, struct scx_bundle *b)
{
	json_t *dropped = NULL, *man, *members = NULL;
	char path[PATH_MAX];
	int r;

	r = scx_redact_stage(rd, top, &b->report, &dropped);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/report.json", top);
	if (json_dump_file(b->report, path, SCX_JSON_OUT) < 0)
		r = -EIO;
	if (r >= 0)
		r = scx_render_staged(top);
	if (r >= 0)
		r = scx_manifest_members(top, &members);
	if (r < 0) {
		json_decref(dropped);
		return r;
	}
	json_object_del(b->manifest, "members");
	man = scx_redact_json(rd, b->manifest);
	json_object_set_new(man, "members", members);
	json_object_set_new(man, "redaction", scx_redact_manifest_note(dropped));
	snprintf(path, sizeof(path), "%s/manifest.json", top);
	r = json_dump_file(man, path, SCX_JSON_OUT) < 0 ? -EIO : 0;
	json_decref(man);
	return r;
}

int scx_redact_bundle(const char *in, const char *out, bool force, struct scx_redact *rd)
{
	char stage[PATH_MAX], top[PATH_MAX], err[512];
	const char *tmpdir = getenv("TMPDIR");
	_cleanup_free_ char *newtop = NULL;
	struct scx_bundle b = { 0 };
	int r;

	snprintf(stage, sizeof(stage), "%s/scx-report.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(stage)) {
		r = -errno;
		scx_log_error("redact: %s: cannot create a staging folder: %s", stage, strerror(-r));
		return r;
	}
	snprintf(top, sizeof(top), "%s/in", stage);
	r = scx_bundle_read_each(in, stage_member, top, &b, err, sizeof(err));
	if (r < 0) {
		scx_log_error("redact: %s%s", scx_bundle_err_prefix(r), err);
		goto out;
	}
	scx_redact_add_hostname(rd, json_string_value(json_object_get(
		json_object_get(b.report, "collection"), "hostname")) ?: "");
	scx_redact_learn(rd, b.top, strlen(b.top));
	r = restage(rd, top, &b);
	if (r < 0) {
		scx_log_error("redact: %s: cannot clean the members: %s", top, strerror(-r));
		goto out;
	}
	/* The top folder is named after the host: it is renamed like any path. */
	newtop = scx_redact_text(rd, b.top, strlen(b.top), NULL);
	if (newtop && strchr(newtop, '/')) {
		free(newtop);
		newtop = NULL;
	}
	snprintf(err, sizeof(err), "%s/%s", stage, newtop ? newtop : "scx-report");
	if (rename(top, err) < 0) {
		r = -errno;
		scx_log_error("redact: %s: %s", err, strerror(errno));
		goto out;
	}
	if (!strcmp(out, "-")) {
		char sha[65];
		uint64_t bytes;

		/* '-' is standard output, as for collect -o - and show -. */
		r = scx_bundle_stream(err, STDOUT_FILENO, now_real_ns() / 1000000000ull, sha, &bytes);
		if (r < 0)
			scx_log_error("redact: standard output: cannot write the bundle: %s",
				      strerror(-r));
		goto out;
	}
	r = scx_bundle_write(err, out, force, now_real_ns() / 1000000000ull);
	if (r == -EEXIST || r == -EPERM)
		scx_log_error("redact: %s: %s", out, scx_out_strerror(r));
	else if (r < 0)
		scx_log_error("redact: %s: cannot write the bundle: %s", out, strerror(-r));
	else if (r == SCX_BUNDLE_NO_SIDECAR)
		scx_log_warn("redact: wrote %s, but not %s.sha256, ignoring", out, out);
out:
	scx_bundle_free(&b);
	rm_rf(stage);
	return r < 0 ? r : 0;
}
