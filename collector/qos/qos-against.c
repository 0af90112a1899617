// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --against NAME: the baseline is another scheduler, started through the
 * manager of the custom one (see qos-switch.h):
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
#include "qos-switch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static char **strv_copy(char *const *v)
{
	size_t n = 0;
	char **c;

	while (v && v[n])
		n++;
	c = calloc(n + 1, sizeof(*c));
	for (size_t i = 0; c && i < n; i++)
		if (!(c[i] = strdup(v[i]))) {
			strv_free(c);
			return NULL;
		}
	return c;
}

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
			strv_free(v);
			return NULL;
		}
		s += w;
	}
	return v;
}

int scx_switch_prepare_other(const struct scx_switch *custom, const char *name,
			     struct scx_switch **ret, char *why, size_t whylen)
{
	struct scx_switch *sw;

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
		sw->env = strv_copy(custom->env);
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
