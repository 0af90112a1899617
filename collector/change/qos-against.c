// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --against NAME: the baseline is another scheduler, started through the
 * manager of the custom one (see guarded-switch.h):
 *   systemd      the same unit with SCX_SCHEDULER_OVERRIDE=NAME, set through
 *                `systemctl set-environment` for that start only (the
 *                override upstream's scx.service reads);
 *   scx_loader   StartScheduler NAME in auto mode (0);
 *   by hand      NAME as a command line (split at spaces, no shell), run
 *                detached with the custom scheduler's environment, cwd and
 *                user (--allow-restart is needed for the custom one anyway);
 *   OpenRC       not supported: its service has no override.
 * Its ops name is learned from root/ops at its first start.
 */
#include "guarded-switch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "restart-safety.h"
#include "strv.h"

/* "a b  c" -> {"a", "b", "c", NULL}. */
static char **split_words(const char *s)
{
	size_t n = 0, len = strlen(s);
	char **v = calloc(len / 2 + 2, sizeof(*v));

	if (!v)
		return NULL;
	while (*s) {
		size_t w;

		s += strspn(s, " \t");
		w = strcspn(s, " \t");
		if (!w)
			break;
		if (!(v[n++] = strndup(s, w))) {
			scx_strv_free(v);
			return NULL;
		}
		s += w;
	}
	return v;
}

/*
 * The command the user named, found once now: as given when it has a '/', else
 * beside the custom scheduler's binary, else in its PATH.  Then pinned and
 * hashed like the custom one, so a restart runs exactly that file (never a
 * later PATH search), and refused as root when another user could change it.
 */
static int pin_command(struct scx_switch *sw, const struct scx_switch *custom, char *why,
		       size_t whylen)
{
	const char *name = sw->argv[0], *path_env = NULL;
	char found[PATH_MAX] = "", what[PATH_MAX + 64], got[65];
	struct stat st;
	int r;

	for (size_t i = 0; custom->env && custom->env[i]; i++)
		if (!strncmp(custom->env[i], "PATH=", 5))
			path_env = custom->env[i] + 5;
	if (strchr(name, '/')) {
		if (name[0] == '/')
			snprintf(found, sizeof(found), "%s", name);
		else
			snprintf(found, sizeof(found), "%s/%s", custom->cwd, name);
	} else {
		char dirs[PATH_MAX * 2], *save = NULL, *d;
		const char *slash = strrchr(custom->exe, '/');

		snprintf(dirs, sizeof(dirs), "%.*s:%s", slash ? (int)(slash - custom->exe) : 0,
			 custom->exe, path_env ? path_env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
		for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			char c[PATH_MAX];

			snprintf(c, sizeof(c), "%s/%s", d, name);
			if (d[0] == '/' && access(c, X_OK) == 0) {
				snprintf(found, sizeof(found), "%s", c);
				break;
			}
		}
	}
	if (!found[0] || access(found, X_OK) < 0) {
		snprintf(why, whylen, "--against: no executable '%s' beside %s or in its PATH", name,
			 custom->exe[0] ? custom->exe : "the custom scheduler");
		return -EOPNOTSUPP;
	}
	r = scx_exe_pin_path(found, &sw->exe_pin);
	if (r < 0) {
		snprintf(why, whylen, "--against: cannot open %s: %s", found, strerror(-r));
		return -EOPNOTSUPP;
	}
	if (fstat(sw->exe_pin.fd, &st) == 0 && sw->uid == 0 &&
	    (scx_exe_runs_other_file(found, (char *const[]){ (char *)found, NULL }, "/", what,
				     sizeof(what)) == 1 ||
	     scx_exe_is_script(sw->exe_pin.fd, found, what, sizeof(what)) == 1 ||
	     scx_exe_writable_by_others(found, &st, what, sizeof(what)) == 1)) {
		snprintf(why, whylen, "--against: refusing to run %s as root: %s; install it where only "
			 "root can write", found, what);
		return -EOPNOTSUPP;
	}
	/* Its hash now: a restart runs these bytes or nothing. */
	r = scx_exe_pin_verify(&sw->exe_pin, "", got);
	if (r != -EBADMSG) {
		snprintf(why, whylen, "--against: cannot read %s: %s", found, strerror(r < 0 ? -r : EIO));
		return -EOPNOTSUPP;
	}
	snprintf(sw->sha256, sizeof(sw->sha256), "%s", got);
	snprintf(sw->exe, sizeof(sw->exe), "%s", found);
	return 0;
}

int scx_switch_prepare_other(const struct scx_switch *custom, const char *name,
			     struct scx_switch **ret, char *why, size_t whylen)
{
	struct scx_switch *sw;
	int r;

	if (!*name || strchr(name, '\n')) {
		snprintf(why, whylen, "--against: '%s' is not a scheduler name", name);
		return -EOPNOTSUPP;
	}
	if (custom->manager == SCX_MGR_OPENRC) {
		snprintf(why, whylen, "--against %s: OpenRC's scx service has no override to start "
			 "another scheduler; compare with the default scheduler, or run both by hand "
			 "with --allow-restart", name);
		return -EOPNOTSUPP;
	}
	sw = calloc(1, sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	sw->pidfd = -1;
	sw->exe_pin.fd = -1;
	sw->manager = custom->manager;
	sw->start_timeout_ms = custom->start_timeout_ms;
	sw->stop_timeout_ms = custom->stop_timeout_ms;
	switch (custom->manager) {
	case SCX_MGR_SYSTEMD:
		snprintf(sw->unit, sizeof(sw->unit), "%s", custom->unit);
		snprintf(sw->env_override, sizeof(sw->env_override), "SCX_SCHEDULER_OVERRIDE=%s", name);
		break;
	case SCX_MGR_LOADER:
		snprintf(sw->loader_sched, sizeof(sw->loader_sched), "%s", name);
		sw->loader_args = calloc(1, sizeof(char *));
		if (!sw->loader_args)
			goto nomem;
		break;
	case SCX_MGR_MANUAL:
		sw->argv = split_words(name);
		sw->env = scx_strv_copy(custom->env);
		if (!sw->argv || !sw->env)
			goto nomem;
		if (!sw->argv[0]) {
			snprintf(why, whylen, "--against: '%s' is not a command", name);
			scx_switch_free(sw);
			return -EOPNOTSUPP;
		}
		snprintf(sw->cwd, sizeof(sw->cwd), "%s", custom->cwd);
		sw->uid = custom->uid;
		sw->gid = custom->gid;
		r = pin_command(sw, custom, why, whylen);
		if (r < 0) {
			scx_switch_free(sw);
			return r;
		}
		break;
	default:
		snprintf(why, whylen, "--against %s: the custom scheduler's manager is unknown", name);
		scx_switch_free(sw);
		return -EOPNOTSUPP;
	}
	*ret = sw;
	return 0;
nomem:
	scx_switch_free(sw);
	return -ENOMEM;
}
