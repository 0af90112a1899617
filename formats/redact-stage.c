// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Redaction of a staged bundle tree (the folder that becomes the bundle's
 * top folder): learn names from every text member and the report first, so
 * the first member already gets the tokens the last one reveals; then clean
 * every member and its path, and drop the ones that are not text.
 * report.json, summary.txt, report.html and manifest.json are not touched:
 * the caller renders them again from the redacted report model.
 */
#include "redact-stage.h"

#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "util.h"

static bool rendered(const char *rel)
{
	return !strcmp(rel, "report.json") || !strcmp(rel, "summary.txt") ||
	       !strcmp(rel, "report.html") || !strcmp(rel, "manifest.json");
}

static int clean_member(struct scx_redact *r, const char *top, const char *rel, json_t *dropped)
{
	_cleanup_free_ char *buf = NULL, *out = NULL, *newrel = NULL;
	char path[PATH_MAX], newpath[PATH_MAX];
	size_t len, outlen;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	ret = read_file_full(path, SCX_BUNDLE_MAX_MEMBER, &buf, &len, NULL);
	if (ret < 0)
		return ret;
	if (!scx_redact_is_text(buf, len)) {
		/* The list names the dropped member by its redacted path: no host name leaks through it. */
		newrel = scx_redact_text(r, rel, strlen(rel), NULL);
		if (!newrel)
			return -ENOMEM;
		json_array_append_new(dropped, json_string(newrel));
		return unlink(path) < 0 ? -errno : 0;
	}
	out = scx_redact_text(r, buf, len, &outlen);
	newrel = scx_redact_text(r, rel, strlen(rel), NULL);
	if (!out || !newrel)
		return -ENOMEM;
	ret = write_file_full(path, out, outlen, 0644);
	if (ret < 0 || !strcmp(newrel, rel))
		return ret;
	/* Tokens are never paths (scx_redact_token_valid); this holds whatever the map said. */
	if (!scx_bundle_path_is_safe(newrel))
		return -EPERM;
	/* A path that names the host or a user moves to its redacted name. */
	snprintf(newpath, sizeof(newpath), "%s/%s", top, newrel);
	{
		_cleanup_free_ char *dir = strdup(newpath);
		char *slash = dir ? strrchr(dir, '/') : NULL;

		if (!slash)
			return -ENOMEM;
		*slash = '\0';
		ret = mkdir_parents(dir, 0755);
		if (ret < 0)
			return ret;
	}
	return rename(path, newpath) < 0 ? -errno : 0;
}

int scx_redact_stage(struct scx_redact *r, const char *top, json_t **report, json_t **ret_dropped)
{
	json_t *members = NULL, *m, *dropped, *red;
	size_t i;
	int ret;

	ret = scx_manifest_members(top, &members);
	if (ret < 0)
		return ret;
	scx_redact_learn_json(r, *report);
	json_array_foreach(members, i, m) {
		const char *rel = json_string_value(json_object_get(m, "path"));
		_cleanup_free_ char *buf = NULL;
		char path[PATH_MAX];
		size_t len;

		scx_redact_learn(r, rel, strlen(rel));
		if (rendered(rel))
			continue;
		snprintf(path, sizeof(path), "%s/%s", top, rel);
		if (read_file_full(path, SCX_BUNDLE_MAX_MEMBER, &buf, &len, NULL) >= 0 &&
		    scx_redact_is_text(buf, len))
			scx_redact_learn(r, buf, len);
	}
	dropped = json_array();
	json_array_foreach(members, i, m) {
		const char *rel = json_string_value(json_object_get(m, "path"));

		if (rendered(rel))
			continue;
		ret = clean_member(r, top, rel, dropped);
		if (ret < 0)
			goto fail;
	}
	red = scx_redact_json(r, *report);
	if (!red) {
		ret = -ENOMEM;
		goto fail;
	}
	json_decref(*report);
	*report = red;
	json_decref(members);
	*ret_dropped = dropped;
	return 0;
fail:
	json_decref(members);
	json_decref(dropped);
	return ret;
}

json_t *scx_redact_manifest_note(json_t *dropped)
{
	json_t *n = json_object();

	json_object_set_new(n, "method", json_string("scx-report redact (sos clean style tokens)"));
	json_object_set_new(n, "map", json_string("kept beside the bundle, never inside it"));
	json_object_set_new(n, "dropped", dropped);
	return n;
}
