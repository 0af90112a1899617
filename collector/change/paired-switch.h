/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Switching between the custom scheduler and the default one, through the
 * manager that runs it (found by the identity probe, report.json
 * "scheduler"): scx_loader over D-Bus (busctl), a systemd unit, OpenRC's
 * rc-service, or, only with --allow-restart, by hand: SIGINT to the pinned
 * process, and later the very file it ran (restart-safety.h) run again with
 * its saved argv, environment, cwd, uid and gid, detached.
 * Nothing else on the system is touched.
 */
#pragma once

#include <jansson.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <stdint.h>
#include <sys/types.h>

#include "restart-safety.h"
#include "scx-state.h"	/* struct scx_sysfs_state, in lib/ */

enum scx_manager {
	SCX_MGR_UNKNOWN,
	SCX_MGR_SYSTEMD,
	SCX_MGR_LOADER,
	SCX_MGR_OPENRC,
	SCX_MGR_MANUAL,
};

struct scx_switch {
	enum scx_manager manager;
	char ops[256];			/* root/ops of the custom scheduler */
	char unit[256];			/* systemd */
	/* systemd: NAME=VALUE set with `systemctl set-environment` for its start only (qos --against) */
	char env_override[320];
	char loader_sched[128];		/* scx_loader: CurrentScheduler */
	unsigned loader_mode;		/* scx_loader: SchedulerMode */
	char **loader_args;		/* scx_loader: CurrentSchedulerArgs (NULL-terminated) */
	size_t n_loader_args;
	/* by hand */
	pid_t pid;			/* the running scheduler process */
	int pidfd;			/* ... pinned (-1 when none) */
	struct scx_exe_pin exe_pin;	/* its executable, run again by descriptor */
	char exe[PATH_MAX];		/* /proc/PID/exe at preparation ("" if deleted) */
	char sha256[65];		/* the identity probe's hash of it */
	bool exe_replaced;		/* another file took its path during the run */
	bool manager_unknown;		/* by hand although no shell was found among its parents */
	char **argv, **env;		/* NULL-terminated */
	char cwd[PATH_MAX];
	uid_t uid;
	gid_t gid;
	char out_path[PATH_MAX];	/* its stdout when that was a regular file, else "" */
	unsigned start_timeout_ms, stop_timeout_ms;
	/* By hand: what the process had, given back to the restarted one (not scx-report's own). */
	char cgroup[PATH_MAX];		/* its cgroup v2 path ("0::/..."), "" when unknown */
	struct rlimit limits[RLIM_NLIMITS];
	bool have_limits;
	int umask;			/* -1 when unknown */
	cpu_set_t affinity;
	bool have_affinity;
};

const char *scx_manager_name(enum scx_manager m);

/*
 * From the report's "scheduler" section and the live system: how to stop and
 * start the running scheduler.  -EOPNOTSUPP with why (a sentence that says
 * what the user can do) when it cannot or may not be done.
 */
int scx_switch_prepare(const json_t *report, bool allow_restart, struct scx_switch **ret,
		       char *why, size_t whylen);
struct scx_switch *scx_switch_free(struct scx_switch *sw);

/* A one-line description of how it is switched, for the report. */
void scx_switch_describe(const struct scx_switch *sw, char *buf, size_t len);

/* Stop the custom scheduler; returns once root/ops is gone.  -errno and err. */
int scx_switch_stop(struct scx_switch *sw, char *err, size_t errlen);
/*
 * Start it again; returns once root/ops names it again.  -errno and err.
 * With ops "" (a scheduler not seen yet, qos --against): once any scheduler
 * is loaded, whose root/ops then fills ops.
 */
int scx_switch_start(struct scx_switch *sw, char *err, size_t errlen);
/* `systemctl unset-environment NAME`: what a start with env_override leaves behind. */
void scx_switch_unset_env(const char *name, unsigned timeout_ms);
/* The variable env_override sets (NAME of NAME=VALUE) into buf: "" when there is none. */
void scx_switch_env_name(const struct scx_switch *sw, char *buf, size_t len);
