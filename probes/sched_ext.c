// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sched_ext probe: the state of the BPF scheduler class.
 *
 * Reads every file under /sys/kernel/sched_ext (6.12+: state, switch_all,
 * nr_rejected, hotplug_seq, enable_seq; root/ops while a scheduler is
 * loaded; root/events 6.15+; root/sub/sub-<cgroup id>/{ops,events} for
 * sub-schedulers ~7.1+) recursively, files this version does not know
 * included, and /sys/module/sched_ext/parameters (~6.19+).  root/ missing is
 * data (no scheduler loaded), not an error; event counters are parsed
 * generically since their set grows and is renamed across releases.
 *
 * Report key: sched_ext {supported, reason, state, switch_all, nr_rejected,
 * hotplug_seq, enable_seq, ops, events, sub_schedulers, files,
 * module_params}.  Bundle: sched_ext/sys/... mirrors what was read.
 */
#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "probes.h"

#define SCX_SYSFS "/sys/kernel/sched_ext"
#define SCX_PARAMS "/sys/module/sched_ext/parameters"
#define FILE_MAX (64u << 10)
#define FILES_MAX 1024u
#define BYTES_MAX (1u << 20)		/* all values together: keeps report.json small */
#define DEPTH_MAX 12

int scx_events_parse(const char *text, json_t **ret_events)
{
	_cleanup_free_ char *copy = strdup(text);
	json_t *events;
	char *save = NULL;

	if (!copy)
		return -ENOMEM;
	events = json_object();
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp, *name = strstrip(line + strspn(line, " \t")), *value;

		sp = strpbrk(name, " \t:");
		if (!sp)
			continue;
		*sp = '\0';
		/* "NAME VALUE" today; tolerate a "NAME: VALUE" form. */
		value = sp + 1 + strspn(sp + 1, " \t:");
		if (*name && *value)
			json_object_set_new(events, name, json_number_or_string(value));
	}
	*ret_events = events;
	return 0;
}

struct walk {
	json_t *files;		/* relative path -> raw value (null if unreadable) */
	json_t *unreadable;	/* relative path -> why */
	json_t *subs;		/* relative paths of sub-scheduler folders */
	unsigned budget;
	size_t bytes_left;
};

static void walk_tree(struct scx_probe_ctx *ctx, struct walk *w, const char *rel, int depth)
{
	char abs[PATH_MAX], dir[PATH_MAX];
	struct dirent **names = NULL;
	int n;

	if (depth > DEPTH_MAX)
		return;
	snprintf(abs, sizeof(abs), "%s%s%s", SCX_SYSFS, *rel ? "/" : "", rel);
	if (probe_path(ctx, abs, dir, sizeof(dir)) < 0)
		return;
	n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char child_rel[PATH_MAX], child_abs[PATH_MAX], full[PATH_MAX];
		struct stat st;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (snprintf(child_rel, sizeof(child_rel), "%s%s%s", rel, *rel ? "/" : "", name) >=
			    (int)sizeof(child_rel) ||
		    snprintf(child_abs, sizeof(child_abs), "%s/%s", SCX_SYSFS, child_rel) >=
			    (int)sizeof(child_abs) ||
		    probe_path(ctx, child_abs, full, sizeof(full)) < 0 || lstat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			const char *slash = strrchr(rel, '/');

			if (startswith(name, "sub-") && !strcmp(slash ? slash + 1 : rel, "sub"))
				json_array_append_new(w->subs, json_string(child_rel));
			walk_tree(ctx, w, child_rel, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			_cleanup_free_ char *buf = NULL;
			size_t len;
			bool truncated;
			int r;

			if (w->budget == 0 || w->bytes_left == 0) {
				ctx->truncated = true;
				continue;
			}
			w->budget--;
			r = probe_read(ctx, child_abs, w->bytes_left < FILE_MAX ? w->bytes_left : FILE_MAX,
				       &buf, &len, &truncated);
			if (r < 0) {
				json_object_set_new(w->files, child_rel, json_null());
				json_object_set_new(w->unreadable, child_rel, json_string(strerror(-r)));
				continue;
			}
			if (truncated)
				ctx->truncated = true;
			w->bytes_left -= len;
			probe_save(ctx, child_abs + 1, buf, len);
			json_object_set_new(w->files, child_rel, json_string(strstrip(buf)));
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static const char *file_value(const struct walk *w, const char *rel)
{
	return json_string_value(json_object_get(w->files, rel));
}

static json_t *events_of(const struct walk *w, const char *rel)
{
	const char *text = file_value(w, rel);
	json_t *events;

	if (!text || scx_events_parse(text, &events) < 0)
		return NULL;
	return events;
}

static json_t *sub_schedulers(const struct walk *w)
{
	json_t *subs = json_array(), *p;
	size_t i;

	json_array_foreach(w->subs, i, p) {
		const char *path = json_string_value(p), *base = strrchr(path, '/');
		char rel[PATH_MAX];
		json_t *s = json_object(), *ev;

		json_object_set_new(s, "id", json_number_or_string(base + 1 + strlen("sub-")));
		json_object_set_new(s, "path", json_string(path));
		snprintf(rel, sizeof(rel), "%s/ops", path);
		if (file_value(w, rel))
			json_object_set_new(s, "ops", json_string(file_value(w, rel)));
		snprintf(rel, sizeof(rel), "%s/events", path);
		if ((ev = events_of(w, rel)))
			json_object_set_new(s, "events", ev);
		json_array_append_new(subs, s);
	}
	return subs;
}

static json_t *module_params(struct scx_probe_ctx *ctx)
{
	struct dirent **names = NULL;
	char dir[PATH_MAX];
	json_t *params;
	int n;

	if (probe_path(ctx, SCX_PARAMS, dir, sizeof(dir)) < 0)
		return NULL;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return NULL;
	params = json_object();
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *value = NULL;
		char path[PATH_MAX];

		if (names[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", SCX_PARAMS, names[i]->d_name) <
			    (int)sizeof(path) &&
		    probe_read_line(ctx, path, &value) >= 0) {
			json_object_set_new(params, names[i]->d_name, json_number_or_string(value));
			probe_save(ctx, path + 1, value, strlen(value));
		}
		free(names[i]);
	}
	free(names);
	return params;
}

static const char *config_says(const json_t *report, const char *item)
{
	return json_string_value(json_object_get(
		json_object_get(json_object_get(report, "kernel"), "config"), item));
}

int probe_sched_ext(struct scx_probe_ctx *ctx)
{
	static const char *const numbers[] = { "switch_all", "nr_rejected", "hotplug_seq", "enable_seq" };
	struct walk w = { .budget = FILES_MAX, .bytes_left = BYTES_MAX };
	json_t *s = json_object(), *params, *events;
	char dir[PATH_MAX];
	struct stat st;
	int r;

	json_object_set_new(ctx->out, "sched_ext", s);
	r = probe_path(ctx, SCX_SYSFS, dir, sizeof(dir));
	if (r < 0)
		return probe_fail(ctx, r, "%s: %s", SCX_SYSFS, strerror(-r));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		const char *cfg = config_says(ctx->report, "SCHED_CLASS_EXT");
		const char *why = cfg && !strcmp(cfg, "n")
			? "CONFIG_SCHED_CLASS_EXT is not set in this kernel's config"
			: "no /sys/kernel/sched_ext";

		json_object_set_new(s, "supported", json_false());
		json_object_set_new(s, "reason", json_string(why));
		snprintf(ctx->reason, sizeof(ctx->reason), "%s", why);
		return 0;
	}

	w.files = json_object();
	w.unreadable = json_object();
	w.subs = json_array();
	walk_tree(ctx, &w, "", 0);

	json_object_set_new(s, "supported", json_true());
	if (file_value(&w, "state"))
		json_object_set_new(s, "state", json_string(file_value(&w, "state")));
	for (size_t i = 0; i < ARRAY_SIZE(numbers); i++)
		if (file_value(&w, numbers[i]))
			json_object_set_new(s, numbers[i], json_number_or_string(file_value(&w, numbers[i])));
	if (file_value(&w, "root/ops"))
		json_object_set_new(s, "ops", json_string(file_value(&w, "root/ops")));
	if ((events = events_of(&w, "root/events")))
		json_object_set_new(s, "events", events);
	json_object_set_new(s, "sub_schedulers", sub_schedulers(&w));
	json_object_set_new(s, "files", w.files);
	if (json_object_size(w.unreadable)) {
		json_object_set_new(s, "unreadable", w.unreadable);
		snprintf(ctx->reason, sizeof(ctx->reason), "%zu file(s) unreadable",
			 json_object_size(w.unreadable));
	} else {
		json_decref(w.unreadable);
	}
	json_decref(w.subs);
	if ((params = module_params(ctx)))
		json_object_set_new(s, "module_params", params);
	return 0;
}
