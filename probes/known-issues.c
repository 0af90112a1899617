// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * known_issues probe: the failure signatures with a known fix
 * (docs/known-issues.md), from /usr/share/scx-report/known-issues.d/NAME.conf
 * (shipped) and /etc/scx-report/known-issues.d/NAME.conf (the administrator's;
 * a file there masks the shipped one of the same name), read through
 * probe-io like trusted.d.  A file holds stanzas separated by blank lines,
 * `key: value` lines, `#` comments; `signature` (an fnmatch pattern) is
 * required, the rest (fixed_in, commit, kind, source, note) is kept as it is.
 * report.json `known_issues` [entries, with `file`].
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "probes.h"

#define KNOWN_FILE_MAX (256u << 10)

static void parse_file(const char *name, const char *text, json_t *out, json_t *bad)
{
	json_t *cur = NULL;
	const char *line = text;
	unsigned no = 0;

	for (; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strcspn(line, "\n");
		_cleanup_free_ char *l = strndup(line, n);
		char *colon, *key;

		no++;
		if (!l || !*line)
			break;
		key = strstrip(l);
		key += strspn(key, " \t");
		if (!*key || *key == '#') {
			if (!*key && cur) {
				json_array_append_new(out, cur);
				cur = NULL;
			}
			continue;
		}
		colon = strchr(key, ':');
		if (!colon) {
			json_array_append_new(bad, json_sprintf("%s:%u: not a `key: value` line", name, no));
			continue;
		}
		*colon = '\0';
		if (!cur)
			cur = json_pack("{s:s}", "file", name);
		colon++;
		colon += strspn(colon, " \t");
		key += strspn(key, " \t");
		json_object_set_new(cur, strstrip(key), json_string(strstrip(colon)));
	}
	if (cur)
		json_array_append_new(out, cur);
}

static void read_dir(struct scx_probe_ctx *ctx, const char *abs, const char *mask, json_t *out,
		     json_t *bad)
{
	char dir[PATH_MAX], m[PATH_MAX], rel[PATH_MAX];
	struct dirent **names = NULL;
	int n;

	if (probe_path(ctx, abs, dir, sizeof(dir)) < 0)
		return;
	n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *f = names[i]->d_name;
		_cleanup_free_ char *text = NULL;
		size_t len;

		if (endswith(f, ".conf") && f[0] != '.') {
			snprintf(m, sizeof(m), "%s/%s", mask ? mask : "", f);
			if (mask && probe_path(ctx, m, rel, sizeof(rel)) == 0 && access(rel, F_OK) == 0)
				goto next;
			snprintf(rel, sizeof(rel), "%s/%s", abs, f);
			if (probe_read(ctx, rel, KNOWN_FILE_MAX, &text, &len, NULL) == 0) {
				size_t before = json_array_size(out);

				parse_file(rel, text, out, bad);
				for (size_t k = before; k < json_array_size(out); k++)
					if (!json_object_get(json_array_get(out, k), "signature"))
						json_array_append_new(bad, json_sprintf("%s: an entry without signature", rel));
			}
		}
next:
		free(names[i]);
	}
	free(names);
}

int probe_known_issues(struct scx_probe_ctx *ctx)
{
	json_t *out = json_array(), *bad = json_array();

	read_dir(ctx, "/usr/share/scx-report/known-issues.d", "/etc/scx-report/known-issues.d", out, bad);
	read_dir(ctx, "/etc/scx-report/known-issues.d", NULL, out, bad);
	json_object_set_new(ctx->out, "known_issues", out);
	snprintf(ctx->reason, sizeof(ctx->reason), "%zu entries%s%s", json_array_size(out),
		 json_array_size(bad) ? "; " : "", json_array_size(bad) ? json_string_value(json_array_get(bad, 0)) : "");
	json_decref(bad);
	return 0;
}
