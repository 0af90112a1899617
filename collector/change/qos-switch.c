// SPDX-License-Identifier: GPL-2.0-or-later
/* The QoS battery's two sides (see qos-switch.h). */
#include "qos-switch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int scx_qos_switch_prepare(struct scx_qos_switch *s, const json_t *report, const char *against,
			   bool allow_restart, char *why, size_t whylen)
{
	int r;

	memset(s, 0, sizeof(*s));
	r = scx_switch_prepare(report, allow_restart, &s->custom, why, whylen);
	if (r < 0)
		return r;
	if (against) {
		r = scx_switch_prepare_other(s->custom, against, &s->against, why, whylen);
		if (r < 0) {
			s->custom = scx_switch_free(s->custom);
			return r;
		}
	}
	return 0;
}

void scx_qos_switch_free(struct scx_qos_switch *s)
{
	s->custom = scx_switch_free(s->custom);
	s->against = scx_switch_free(s->against);
}

void scx_qos_switch_describe(const struct scx_qos_switch *s, char *buf, size_t len)
{
	char a[PATH_MAX + 128] = "";

	scx_switch_describe(s->custom, buf, len);
	if (s->against) {
		scx_switch_describe(s->against, a, sizeof(a));
		snprintf(buf + strlen(buf), len - strlen(buf), "; baseline: %s", a);
	}
}

int scx_qos_switch_to_baseline(struct scx_qos_switch *s, char *err, size_t errlen)
{
	int r;

	s->custom_stopped = true;
	r = scx_switch_stop(s->custom, err, errlen);
	if (r < 0 || !s->against)
		return r;
	s->against_running = true;
	return scx_switch_start(s->against, err, errlen);
}

int scx_qos_switch_to_custom(struct scx_qos_switch *s, char *err, size_t errlen)
{
	int r;

	if (s->against && s->against_running) {
		r = scx_switch_stop(s->against, err, errlen);
		if (r < 0)
			return r;
		s->against_running = false;
	}
	r = scx_switch_start(s->custom, err, errlen);
	if (r >= 0)
		s->custom_stopped = false;
	return r;
}

bool scx_qos_switch_baseline_ok(const struct scx_qos_switch *s, const struct scx_sysfs_state *st)
{
	if (!s->against)
		return !st->ops[0];
	return st->ops[0] && !strcmp(st->ops, s->against->ops);
}

int scx_qos_switch_restore(struct scx_qos_switch *s, char *err, size_t errlen)
{
	struct scx_sysfs_state st;
	int r;

	if (!s->custom_stopped && !s->against_running)
		return 0;
	scx_sysfs_read(&st);
	if (!strcmp(st.ops, s->custom->ops)) {
		s->custom_stopped = false;
		return 1;
	}
	r = scx_qos_switch_to_custom(s, err, errlen);
	if (r < 0)
		return r;
	scx_sysfs_read(&st);
	if (strcmp(st.ops, s->custom->ops))
		return errmsg(err, errlen, -EIO, "root/ops is %s, not %s", st.ops[0] ? st.ops : "absent",
			      s->custom->ops);
	return 1;
}
