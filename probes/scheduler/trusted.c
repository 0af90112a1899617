// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Trusted scheduler builds: JSON lists (NAME.json) that a distribution ships
 * in /usr/share/scx-report/trusted.d/ and an administrator adds in
 * /etc/scx-report/trusted.d/ (a file there masks the one of the same
 * name in /usr/share), plus `collect --trusted FILE`.  Each maps binary
 * sha256 and/or BPF program tags to a scheduler name, version and package.
 * Format: docs/trusted-format.md.  No kernel interface: the tags compared
 * are bpf_prog_info.tag from the BPF walk (4.13).
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"

#define TRUSTED_MAX_FILES 64
#define TRUSTED_MAX_SIZE (4u << 20)

static bool array_has_string(const json_t *a, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && !strcasecmp(json_string_value(v), s))
			return true;
	return false;
}

int sched_trusted_match_list(const json_t *list, const char *sha256, const json_t *tags,
			     const json_t **ret_entry, bool *ret_name_known, const char *name)
{
	const json_t *builds = json_object_get(list, "builds"), *b;
	size_t i;

	json_array_foreach(builds, i, b) {
		const char *bname = json_string_value(json_object_get(b, "name"));
		const json_t *btags = json_object_get(b, "bpf_prog_tags");
		bool all_tags = json_array_size(tags) > 0 && json_array_size(btags) > 0;
		const json_t *t;
		size_t k;

		if (name && bname && !strcmp(name, bname) && ret_name_known)
			*ret_name_known = true;
		if (sha256 && array_has_string(json_object_get(b, "sha256"), sha256)) {
			*ret_entry = b;
			return 1;
		}
		json_array_foreach(tags, k, t)
			all_tags &= json_is_string(t) && array_has_string(btags, json_string_value(t));
		if (all_tags) {
			*ret_entry = b;
			return 2;
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Absolute (system) paths of the *.json files of dir, sorted; masked ones left out. */
static unsigned list_dir(const struct scx_probe_ctx *ctx, const char *dir, char **out, unsigned n,
			 unsigned max, const char *mask_dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	unsigned start = n;
	DIR *d;

	if (probe_path(ctx, dir, path, sizeof(path)) < 0 || !(d = opendir(path)))
		return n;
	while ((de = readdir(d)) && n < max) {
		char sys[PATH_MAX], masked[PATH_MAX], mpath[PATH_MAX];

		if (de->d_name[0] == '.' || !endswith(de->d_name, ".json"))
			continue;
		if (mask_dir) {
			snprintf(masked, sizeof(masked), "%s/%s", mask_dir, de->d_name);
			if (probe_path(ctx, masked, mpath, sizeof(mpath)) == 0 && access(mpath, F_OK) == 0)
				continue;
		}
		snprintf(sys, sizeof(sys), "%s/%s", dir, de->d_name);
		out[n] = strdup(sys);
		if (out[n])
			n++;
	}
	closedir(d);
	qsort(out + start, n - start, sizeof(char *), cmp_str);
	return n;
}

static json_t *load_list(const char *path, const char *shown, json_t *errors)
{
	_cleanup_free_ char *buf = NULL;
	json_error_t err;
	json_t *list;
	bool trunc = false;
	int r;

	r = read_file_full(path, TRUSTED_MAX_SIZE, &buf, NULL, &trunc);
	if (r < 0 || trunc) {
		json_object_set_new(errors, shown, json_string(r < 0 ? strerror(-r) : "larger than 4 MiB"));
		return NULL;
	}
	list = json_loads(buf, 0, &err);
	if (!list) {
		char why[256];

		snprintf(why, sizeof(why), "not JSON (line %d: %s)", err.line, err.text);
		json_object_set_new(errors, shown, json_string(why));
		return NULL;
	}
	if (json_integer_value(json_object_get(list, "scx_report_trusted")) != 1 ||
	    !json_is_array(json_object_get(list, "builds"))) {
		json_object_set_new(errors, shown,
				    json_string("not a trusted list (needs \"scx_report_trusted\": 1 and a \"builds\" array)"));
		json_decref(list);
		return NULL;
	}
	return list;
}

int sched_trusted_match(struct scx_probe_ctx *ctx, json_t *sched, json_t *files_read, json_t *errors)
{
	char *files[TRUSTED_MAX_FILES];
	unsigned n = 0, i;
	const char *sha = json_string_value(json_object_get(sched, "sha256"));
	const char *name = json_string_value(json_object_get(sched, "name"));
	json_t *tags = json_array(), *p, *trusted = NULL;
	bool name_known = false;
	size_t k;

	json_array_foreach(json_object_get(json_object_get(sched, "bpf"), "programs"), k, p)
		if (json_is_string(json_object_get(p, "tag")))
			json_array_append(tags, json_object_get(p, "tag"));

	n = list_dir(ctx, "/usr/share/scx-report/trusted.d", files, n, TRUSTED_MAX_FILES,
		     "/etc/scx-report/trusted.d");
	n = list_dir(ctx, "/etc/scx-report/trusted.d", files, n, TRUSTED_MAX_FILES, NULL);
	for (i = 0; i < n; i++) {
		char full[PATH_MAX];
		const json_t *entry;
		json_t *list;
		int m;

		if (probe_path(ctx, files[i], full, sizeof(full)) < 0)
			continue;
		json_array_append_new(files_read, json_string(files[i]));
		if (trusted || !(list = load_list(full, files[i], errors)))
			continue;
		m = sched_trusted_match_list(list, sha, tags, &entry, &name_known, name);
		if (m > 0) {
			trusted = json_pack("{s:s,s:s}", "file", files[i], "by", m == 1 ? "sha256" : "bpf_prog_tags");
			json_object_set(trusted, "name", json_object_get(entry, "name"));
			json_object_set(trusted, "version", json_object_get(entry, "version"));
			json_object_set(trusted, "package", json_object_get(entry, "package"));
			if (json_object_get(list, "vendor"))
				json_object_set(trusted, "vendor", json_object_get(list, "vendor"));
			probe_copy(ctx, files[i], NULL, TRUSTED_MAX_SIZE);
		}
		json_decref(list);
	}
	/* --trusted FILE: the user's own paths, not under the sysroot. */
	for (i = 0; ctx->opts && i < ctx->opts->n_trusted_files; i++) {
		const char *f = ctx->opts->trusted_files[i];
		const json_t *entry;
		json_t *list;
		int m;

		json_array_append_new(files_read, json_string(f));
		if (trusted || !(list = load_list(f, f, errors)))
			continue;
		m = sched_trusted_match_list(list, sha, tags, &entry, &name_known, name);
		if (m > 0) {
			_cleanup_free_ char *buf = NULL;
			size_t len;
			const char *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
			char rel[PATH_MAX];

			trusted = json_pack("{s:s,s:s}", "file", f, "by", m == 1 ? "sha256" : "bpf_prog_tags");
			json_object_set(trusted, "name", json_object_get(entry, "name"));
			json_object_set(trusted, "version", json_object_get(entry, "version"));
			json_object_set(trusted, "package", json_object_get(entry, "package"));
			if (json_object_get(list, "vendor"))
				json_object_set(trusted, "vendor", json_object_get(list, "vendor"));
			snprintf(rel, sizeof(rel), "trusted-option/%s", base);
			if (read_file_full(f, TRUSTED_MAX_SIZE, &buf, &len, NULL) >= 0)
				probe_save(ctx, rel, buf, len);
		}
		json_decref(list);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	json_decref(tags);

	json_object_set_new(sched, "trusted", trusted ? trusted : json_null());
	if (!trusted && name_known) {
		char why[512];

		snprintf(why, sizeof(why),
			 "'%s' is a scheduler the trusted lists know, but neither its binary's sha256 %s "
			 "nor its BPF program tags match any listed build", name, sha ? sha : "(unknown)");
		json_object_set_new(sched, "trust_warning", json_string(why));
	}
	return trusted ? 1 : 0;
}
