// SPDX-License-Identifier: GPL-2.0-or-later
/* The guarded switch (see guarded-switch.h): every switch told to the guardian first. */
#include "guarded-switch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int scx_guarded_prepare(struct scx_guarded_switch *s, const json_t *report, const char *against,
			bool allow_restart, char *why, size_t whylen)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->guardian.pid = -1;
	s->guardian.fd = -1;
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

int scx_guarded_begin(struct scx_guarded_switch *s)
{
	return scx_guardian_start(s->custom, &s->guardian);
}

void scx_guarded_free(struct scx_guarded_switch *s)
{
	if (s->guardian.pid > 0)
		scx_guardian_done(&s->guardian);
	s->custom = scx_switch_free(s->custom);
	s->against = scx_switch_free(s->against);
}

void scx_guarded_describe(const struct scx_guarded_switch *s, char *buf, size_t len)
{
	char a[PATH_MAX + 128] = "";

	scx_switch_describe(s->custom, buf, len);
	if (s->against) {
		scx_switch_describe(s->against, a, sizeof(a));
		snprintf(buf + strlen(buf), len - strlen(buf), "; baseline: %s", a);
	}
}

int scx_guarded_to_baseline(struct scx_guarded_switch *s, char *err, size_t errlen)
{
	uint64_t t0 = now_mono_ns();
	int r;

	/* From here on the guardian puts it back if we die. */
	scx_guardian_arm(&s->guardian);
	s->custom_stopped = true;
	r = scx_switch_stop(s->custom, err, errlen);
	if (r >= 0 && s->against) {
		char name[128] = "";

		s->against_running = true;
		/* systemd: the override sits in PID 1's environment during this start (paired-switch.c). */
		if (s->against->manager == SCX_MGR_SYSTEMD) {
			scx_switch_env_name(s->against, name, sizeof(name));
			if (name[0])
				scx_guardian_env(&s->guardian, name);
		}
		r = scx_switch_start(s->against, err, errlen);
		if (name[0])
			scx_guardian_env(&s->guardian, NULL);
		/* The guardian must stop an --against scheduler before it restores ours. */
		scx_guardian_baseline(&s->guardian, s->against->manager == SCX_MGR_MANUAL
						    ? s->against->pid : 0);
	}
	s->switch_ns += now_mono_ns() - t0;
	s->switches++;
	return r;
}

int scx_guarded_to_custom(struct scx_guarded_switch *s, char *err, size_t errlen)
{
	uint64_t t0 = now_mono_ns();
	int r;

	if (s->against && s->against_running) {
		r = scx_switch_stop(s->against, err, errlen);
		if (r < 0)
			return r;
		s->against_running = false;
		scx_guardian_baseline_stopped(&s->guardian);
	}
	scx_guardian_starting(&s->guardian);
	r = scx_switch_start(s->custom, err, errlen);
	s->switch_ns += now_mono_ns() - t0;
	s->switches++;
	if (r >= 0) {
		s->custom_stopped = false;
		scx_guardian_running(&s->guardian);
	}
	return r;
}

void scx_guarded_leave(struct scx_guarded_switch *s)
{
	s->left_default = true;
	scx_guardian_leave(&s->guardian);
}

void scx_guarded_came_back(struct scx_guarded_switch *s)
{
	s->custom_stopped = false;
	scx_guardian_running(&s->guardian);
}

bool scx_guarded_baseline_ok(const struct scx_guarded_switch *s, const struct scx_sysfs_state *st)
{
	if (!s->against)
		return !st->ops[0];
	return st->ops[0] && !strcmp(st->ops, s->against->ops);
}

int scx_guarded_restore(struct scx_guarded_switch *s, struct scx_sysfs_state *ret_st, char *err,
			size_t errlen)
{
	struct scx_sysfs_state st;
	int r;

	scx_sysfs_read(&st);
	if (ret_st)
		*ret_st = st;
	if (!s->custom_stopped && !s->against_running)
		return 0;
	if (!strcmp(st.ops, s->custom->ops)) {
		scx_guarded_came_back(s);
		return 1;
	}
	r = scx_guarded_to_custom(s, err, errlen);
	scx_sysfs_read(&st);
	if (ret_st)
		*ret_st = st;
	if (r < 0)
		return r;
	if (strcmp(st.ops, s->custom->ops))
		return errmsg(err, errlen, -EIO, "root/ops is %s, not %s", st.ops[0] ? st.ops : "absent",
			      s->custom->ops);
	return 1;
}
