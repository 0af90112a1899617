// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stop and start the custom scheduler through its manager (see
 * paired-switch.h).  Reads /sys/kernel/sched_ext/{state,enable_seq,root/ops}
 * (Linux 6.12+) to know when a switch has happened: managers only know their
 * own child, the kernel knows what is loaded.
 */
#include "paired-switch.h"
#include "spawn.h"
#include "strv.h"
#include "switch-manual.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "reap.h"
#include "util.h"

const char *scx_manager_name(enum scx_manager m)
{
	switch (m) {
	case SCX_MGR_SYSTEMD: return "systemd";
	case SCX_MGR_LOADER: return "scx_loader";
	case SCX_MGR_OPENRC: return "openrc";
	case SCX_MGR_MANUAL: return "manual";
	default: return "unknown";
	}
}

struct scx_switch *scx_switch_free(struct scx_switch *sw)
{
	if (!sw)
		return NULL;
	scx_strv_free(sw->loader_args);
	scx_strv_free(sw->argv);
	scx_strv_free(sw->env);
	if (sw->pidfd >= 0)
		close(sw->pidfd);
	scx_exe_pin_close(&sw->exe_pin);
	free(sw);
	return NULL;
}

void scx_switch_describe(const struct scx_switch *sw, char *buf, size_t len)
{
	switch (sw->manager) {
	case SCX_MGR_SYSTEMD:
		snprintf(buf, len, "systemctl stop/start %s%s%s", sw->unit,
			 sw->env_override[0] ? " with " : "", sw->env_override);
		break;
	case SCX_MGR_LOADER:
		snprintf(buf, len, "scx_loader over D-Bus: StopScheduler, then %s %s",
			 sw->n_loader_args ? "StartSchedulerWithArgs" : "StartScheduler", sw->loader_sched);
		break;
	case SCX_MGR_OPENRC:
		snprintf(buf, len, "rc-service scx stop/start");
		break;
	case SCX_MGR_MANUAL:
		snprintf(buf, len, "%sSIGINT to pid %d, then the same file %s (sha256 %.16s…) run again "
			 "as uid %u in %s", sw->manager_unknown ? "by hand (manager unknown): " : "",
			 (int)sw->pid, sw->exe[0] ? sw->exe : "(deleted)", sw->sha256,
			 (unsigned)sw->uid, sw->cwd);
		break;
	default:
		snprintf(buf, len, "unknown");
	}
}

int scx_switch_prepare(const json_t *report, bool allow_restart, struct scx_switch **ret,
		       char *why, size_t whylen)
{
	const json_t *s = json_object_get(report, "scheduler");
	const char *mgr = json_string_value(json_object_get(s, "manager"));
	struct scx_sysfs_state now;
	struct scx_switch *sw;
	int r = 0;

	/* What the report says first (testable anywhere), then the live system. */
	snprintf(now.ops, sizeof(now.ops), "%s", jstr(report, "sched_ext.ops") ?: "?");
	if (json_is_true(json_object_get(s, "registered_without_process"))) {
		snprintf(why, whylen, "the scheduler %s is registered without a process holding it, so "
			 "there is nothing to start it again from; start it through scx.service, scx_loader "
			 "or by hand and run scx-report again (with --allow-restart when by hand)", now.ops);
		return -EOPNOTSUPP;
	}
	sw = calloc(1, sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	snprintf(sw->ops, sizeof(sw->ops), "%s", now.ops);
	sw->pidfd = -1;
	sw->exe_pin.fd = -1;
	sw->start_timeout_ms = 30000;
	sw->stop_timeout_ms = 20000;
	if (mgr && !strcmp(mgr, "systemd") && json_string_value(json_object_get(s, "unit"))) {
		sw->manager = SCX_MGR_SYSTEMD;
		snprintf(sw->unit, sizeof(sw->unit), "%s", json_string_value(json_object_get(s, "unit")));
	} else if (mgr && !strcmp(mgr, "scx_loader")) {
		const char *cur = jstr(s, "loader.CurrentScheduler");

		if (!cur || !*cur || !strcmp(cur, "unknown")) {
			snprintf(why, whylen, "scx_loader does not say which scheduler it runs "
				 "(CurrentScheduler unknown), so scx-report cannot start it again; "
				 "check `scxctl get` and run scx-report again");
			r = -EOPNOTSUPP;
			goto out;
		}
		sw->manager = SCX_MGR_LOADER;
		snprintf(sw->loader_sched, sizeof(sw->loader_sched), "%s", cur);
		sw->loader_mode = (unsigned)json_integer_value(jget(s, "loader.SchedulerMode"));
		sw->loader_args = scx_strv_from_json(jget(s, "loader.CurrentSchedulerArgs")
						 ? jget(s, "loader.CurrentSchedulerArgs") : json_array(),
						 &sw->n_loader_args);
		if (!sw->loader_args)
			r = -ENOMEM;
	} else if (mgr && !strcmp(mgr, "openrc")) {
		sw->manager = SCX_MGR_OPENRC;
	} else if (mgr && (!strcmp(mgr, "manual") || (!strcmp(mgr, "unknown") && allow_restart &&
		   json_array_size(jget(s, "restart.argv")) && json_array_size(jget(s, "pids"))))) {
		/* Manager unknown: with --allow-restart, like by hand when argv, exe and uid are known. */
		if (!allow_restart) {
			snprintf(why, whylen, "the scheduler %s was started by hand (pid %" JSON_INTEGER_FORMAT
				 "): switching means stopping that process and running its command line "
				 "again, which scx-report does only with --allow-restart", now.ops,
				 json_integer_value(json_array_get(json_object_get(s, "pids"), 0)));
			r = -EOPNOTSUPP;
			goto out;
		}
		sw->manager = SCX_MGR_MANUAL;
		sw->manager_unknown = !strcmp(mgr, "unknown");
		r = scx_manual_prepare(sw, s, why, whylen);
	} else {
		snprintf(why, whylen, "scx-report could not tell what runs the scheduler %s (manager %s), "
			 "so it could not put it back after switching; run it through scx.service, "
			 "scx_loader or by hand (with --allow-restart) and run scx-report again",
			 now.ops, mgr ? mgr : "not found");
		r = -EOPNOTSUPP;
	}
	if (r >= 0) {
		scx_sysfs_read(&now);
		if (strcmp(now.ops, sw->ops)) {
			snprintf(why, whylen, "the scheduler changed since the probes ran (root/ops now %s)",
				 now.ops[0] ? now.ops : "absent");
			r = -EOPNOTSUPP;
		}
	}
out:
	if (r < 0) {
		scx_switch_free(sw);
		return r;
	}
	*ret = sw;
	return 0;
}

/* ---- running the managers' tools ------------------------------------------ */

/* A manager's tool (systemctl, busctl, rc-service); on failure the end of its output into err. */
static int run_tool(char *const argv[], unsigned timeout_ms, char *err, size_t errlen)
{
	struct scx_cmd c;
	const char *tail;
	int r;

	r = scx_spawn((const char *const *)argv, timeout_ms, 64u << 10, true, &c);
	if (r < 0)
		return errmsg(err, errlen, r, "cannot run %s: %s", argv[0], strerror(-r));
	if (c.status == 0) {
		scx_cmd_done(&c);
		return 0;
	}
	if (c.status == 124) {
		r = errmsg(err, errlen, -ETIMEDOUT, "%s %s: no answer in %u s", argv[0],
			   argv[1] ? argv[1] : "", timeout_ms / 1000);
	} else {
		strstrip(c.out);
		tail = c.len > 400 ? c.out + c.len - 400 : c.out;
		r = errmsg(err, errlen, -EIO, "%s %s failed (%s %d): %s", argv[0],
			   argv[1] ? argv[1] : "", c.status < 0 ? "killed by a signal" : "exit",
			   c.status, tail);
	}
	scx_cmd_done(&c);
	return r;
}

/*
 * Wait until sched_ext is disabled with no root/ops (want NULL), or enabled
 * with root/ops naming want ("": any) and enable_seq past seq0: the kernel
 * counts the enable a moment after root/ops appears, and a run must not
 * start before.  Event-driven (scx-state.h); watch_pidfd >= 0: a restarted
 * process that dies will never get there (-ESRCH).
 */
static int wait_ops(const char *want, int64_t seq0, unsigned timeout_ms, int watch_pidfd)
{
	struct scx_want w = { .loaded = want != NULL, .ops = want, .settled = true, .seq_after = seq0 };
	struct scx_wait_opts o = { .uevent_fd = -1, .pidfd = want ? watch_pidfd : -1 };
	static bool said;
	struct scx_wait_stats st;
	int r;

	r = scx_state_wait(&w, now_mono_ns() + (uint64_t)timeout_ms * 1000000ull, &o, NULL, &st);
	if (st.polled && !said) {
		said = true;
		scx_log_info("switch: no kernel uevents (no netlink socket, or SCX_REPORT_NO_UEVENTS): "
			     "reading sched_ext's sysfs every 50 ms instead");
	}
	return r;
}

void scx_switch_env_name(const struct scx_switch *sw, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(sw->env_override, "="), sw->env_override);
}

void scx_switch_unset_env(const char *name, unsigned timeout_ms)
{
	char *unset[] = { "systemctl", "unset-environment", (char *)name, NULL };

	(void)run_tool(unset, timeout_ms, NULL, 0);
}

int scx_switch_stop(struct scx_switch *sw, char *err, size_t errlen)
{
	char *systemd[] = { "systemctl", "stop", sw->unit, NULL };
	char *loader[] = { "busctl", "call", "--", "org.scx.Loader", "/org/scx/Loader", "org.scx.Loader",
			   "StopScheduler", NULL };
	char *openrc[] = { "rc-service", "scx", "stop", NULL };
	int r = 0;

	switch (sw->manager) {
	case SCX_MGR_SYSTEMD: r = run_tool(systemd, sw->stop_timeout_ms, err, errlen); break;
	case SCX_MGR_LOADER: r = run_tool(loader, sw->stop_timeout_ms, err, errlen); break;
	case SCX_MGR_OPENRC: r = run_tool(openrc, sw->stop_timeout_ms, err, errlen); break;
	case SCX_MGR_MANUAL:
		/* Through the pidfd: never a process that took over the pid. */
		r = sw->pidfd >= 0 ? scx_pidfd_signal(sw->pidfd, SIGINT) : -ESRCH;
		if (r < 0) {
			snprintf(err, errlen, "SIGINT to pid %d: %s", (int)sw->pid, strerror(-r));
			return r;
		}
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (r < 0)
		return r;
	r = wait_ops(NULL, 0, sw->stop_timeout_ms, 0);
	if (r < 0)
		snprintf(err, errlen, "%s is still loaded %u s after stopping it", sw->ops,
			 sw->stop_timeout_ms / 1000);
	/* By hand: also let the process finish its exit (it prints its exit info). */
	if (sw->manager == SCX_MGR_MANUAL && sw->pidfd >= 0)
		(void)scx_pidfd_wait_exit(sw->pidfd, 5000);
	return r;
}

int scx_switch_start(struct scx_switch *sw, char *err, size_t errlen)
{
	char *systemd_reset[] = { "systemctl", "reset-failed", sw->unit, NULL };
	char *systemd[] = { "systemctl", "start", sw->unit, NULL };
	char *openrc[] = { "rc-service", "scx", "start", NULL };
	char mode[16], count[16];
	struct scx_sysfs_state st0;
	_cleanup_close_ int watch = -1;
	int r = 0;

	scx_sysfs_read(&st0);

	switch (sw->manager) {
	case SCX_MGR_SYSTEMD:
		/* Our own stop/start cycles must not trip the unit's StartLimitBurst. */
		(void)run_tool(systemd_reset, sw->start_timeout_ms, err, errlen);
		if (sw->env_override[0]) {
			char *set[] = { "systemctl", "set-environment", sw->env_override, NULL };
			char name[320];
			sigset_t block, old;

			scx_switch_env_name(sw, name, sizeof(name));
			/*
			 * PID 1's environment holds the override from set to unset: a
			 * SIGINT, SIGTERM or SIGHUP in between waits for the unset, so
			 * no later start of any unit inherits it.
			 */
			sigemptyset(&block);
			sigaddset(&block, SIGINT);
			sigaddset(&block, SIGTERM);
			sigaddset(&block, SIGHUP);
			sigprocmask(SIG_BLOCK, &block, &old);
			r = run_tool(set, sw->start_timeout_ms, err, errlen);
			if (r >= 0)
				r = run_tool(systemd, sw->start_timeout_ms, err, errlen);
			/* The service has its environment now: leave the manager's as it was. */
			scx_switch_unset_env(name, sw->start_timeout_ms);
			sigprocmask(SIG_SETMASK, &old, NULL);
			break;
		}
		r = run_tool(systemd, sw->start_timeout_ms, err, errlen);
		break;
	case SCX_MGR_LOADER: {
		/* "--": scheduler arguments such as -m or --performance are not busctl's options. */
		char *argv[16 + 64] = { "busctl", "call", "--", "org.scx.Loader", "/org/scx/Loader",
					"org.scx.Loader" };
		size_t n = 6;

		if (sw->n_loader_args) {
			argv[n++] = "StartSchedulerWithArgs";
			argv[n++] = "sas";
			argv[n++] = sw->loader_sched;
			snprintf(count, sizeof(count), "%zu", sw->n_loader_args < 64 ? sw->n_loader_args : 64);
			argv[n++] = count;
			for (size_t i = 0; i < sw->n_loader_args && i < 64; i++)
				argv[n++] = sw->loader_args[i];
		} else {
			argv[n++] = "StartScheduler";
			argv[n++] = "su";
			argv[n++] = sw->loader_sched;
			snprintf(mode, sizeof(mode), "%u", sw->loader_mode);
			argv[n++] = mode;
		}
		argv[n] = NULL;
		r = run_tool(argv, sw->start_timeout_ms, err, errlen);
		break;
	}
	case SCX_MGR_OPENRC: r = run_tool(openrc, sw->start_timeout_ms, err, errlen); break;
	case SCX_MGR_MANUAL: r = scx_manual_start(sw, err, errlen); break;
	default: return -EOPNOTSUPP;
	}
	if (r < 0)
		return r;
	if (sw->manager == SCX_MGR_MANUAL && sw->pidfd < 0 && sw->pid > 0)
		watch = scx_pidfd_open(sw->pid);	/* not pinned: as good as kill(pid, 0) was */
	r = wait_ops(sw->ops, st0.enable_seq, sw->start_timeout_ms,
		     sw->manager != SCX_MGR_MANUAL ? -1 : watch >= 0 ? watch : sw->pidfd);
	if (r >= 0 && !sw->ops[0]) {
		struct scx_sysfs_state st;

		scx_sysfs_read(&st);
		snprintf(sw->ops, sizeof(sw->ops), "%s", st.ops);
	}
	if (r == -ESRCH)
		snprintf(err, errlen, "%s exited before %s was loaded again%s%s", sw->argv[0], sw->ops,
			 sw->out_path[0] ? "; its output is in " : "", sw->out_path);
	else if (r < 0) {
		struct scx_sysfs_state st;

		scx_sysfs_read(&st);
		snprintf(err, errlen, "%s is not loaded %u s after starting it (state %s, root/ops %s)",
			 sw->ops, sw->start_timeout_ms / 1000, st.state, st.ops[0] ? st.ops : "none");
	}
	return r;
}
