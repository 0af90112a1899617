// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe runner.  Each probe runs in a forked child in its own process
 * group: the child inherits the report so far (read-only), runs collect(),
 * and sends back {status, reason, truncated, data} as JSON through a pipe.
 * The parent waits at most the probe's timeout, then kills the whole group.
 * Probes run one after another, so later probes see earlier results and
 * the machine is never loaded by the collector itself.
 */
#include "runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#define PROBE_OUTPUT_MAX (32u << 20)

static json_t *status_obj(const char *status, const char *reason, uint64_t dur_ns, bool truncated)
{
	json_t *o = json_object();

	json_object_set_new(o, "status", json_string(status));
	if (reason && *reason)
		json_object_set_new(o, "reason", json_string(reason));
	json_object_set_new(o, "duration_ms", json_real((double)(dur_ns / 1000) / 1000.0));
	json_object_set_new(o, "truncated", json_boolean(truncated));
	return o;
}

static bool is_skip_errno(int r)
{
	return r == -ENOENT || r == -EOPNOTSUPP || r == -EPERM || r == -EACCES || r == -ENOSYS;
}

/* What of the user's options probes see (probe.h). */
static struct scx_probe_opts probe_opts(const struct scx_options *o)
{
	return (struct scx_probe_opts){
		.sysroot = o->sysroot ? o->sysroot : "",
		.duration_s = o->duration_s,
		.latency = o->latency,
		.filter_pid = o->filter_pid,
		.filter_cgroup = o->filter_cgroup,
		.trusted_files = o->trusted_files,
		.n_trusted_files = o->n_trusted_files,
	};
}

static void child_main(const struct scx_probe *probe, const struct scx_options *opts,
		       const char *stage_dir, json_t *report, int fd)
{
	struct scx_probe_opts popts = probe_opts(opts);
	struct scx_probe_ctx ctx = {
		.name = probe->name,
		.sysroot = popts.sysroot,
		.stage_dir = stage_dir,
		.report = report,
		.opts = &popts,
		.out = json_object(),
	};
	json_t *msg = json_object();
	const char *status;
	char *text;
	size_t len, off = 0;
	int r;

	r = probe->collect(&ctx);
	if (r >= 0)
		status = "ok";
	else if (is_skip_errno(r))
		status = "skipped";
	else
		status = "failed";
	if (r < 0 && !ctx.reason[0])
		snprintf(ctx.reason, sizeof(ctx.reason), "%s", strerror(-r));
	json_object_set_new(msg, "status", json_string(status));
	json_object_set_new(msg, "reason", json_string(ctx.reason));
	json_object_set_new(msg, "truncated", json_boolean(ctx.truncated));
	json_object_set_new(msg, "data", ctx.out);
	text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		_exit(3);
	len = strlen(text);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(4);
		}
		off += (size_t)n;
	}
	_exit(0);
}

bool scx_probe_gate(const struct scx_probe *probe, const struct scx_options *opts,
		    const char **why)
{
	struct scx_probe_opts popts = probe_opts(opts);
	bool live = !*popts.sysroot;

	*why = NULL;
	if (probe->enabled && !probe->enabled(&popts, why))
		return false;
	if ((probe->needs & SCX_NEED_LIVE) && !live) {
		*why = "reads the live kernel; not available with --sysroot";
		return false;
	}
	if ((probe->needs & SCX_NEED_ROOT) && live && geteuid() != 0) {
		*why = "needs root";
		return false;
	}
	return true;
}

void scx_run_probe(const struct scx_probe *probe, const struct scx_options *opts,
		   const char *stage_dir, json_t *report)
{
	json_t *probes = json_object_get(report, "probes");
	uint64_t start = now_mono_ns(), timeout_ns;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	const char *why;
	bool timed_out = false, overflow = false, interrupted = false;
	int pfd[2], wstatus = 0;
	pid_t pid;

	if (!probes) {
		probes = json_object();
		json_object_set_new(report, "probes", probes);
	}
	if (!scx_probe_gate(probe, opts, &why)) {
		json_object_set_new(probes, probe->name, status_obj("skipped", why, 0, false));
		return;
	}

	timeout_ns = (uint64_t)(probe->timeout_ms ? probe->timeout_ms : 10000) * 1000000ull;
	if (probe->needs & SCX_PROBE_TIMED)
		timeout_ns += (uint64_t)opts->duration_s * 1000000000ull;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		json_object_set_new(probes, probe->name,
				    status_obj("failed", "cannot create a pipe", 0, false));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		json_object_set_new(probes, probe->name,
				    status_obj("failed", "cannot fork", 0, false));
		return;
	}
	if (pid == 0) {
		close(pfd[0]);
		setpgid(0, 0);
		/* A crashing probe dies here; it never runs its parent's handlers. */
		static const int dfl[] = { SIGPIPE, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
					   SIGINT, SIGTERM, SIGHUP };
		for (size_t i = 0; i < ARRAY_SIZE(dfl); i++)
			signal(dfl[i], SIG_DFL);
		child_main(probe, opts, stage_dir, report, pfd[1]);
	}
	setpgid(pid, pid);
	close(pfd[1]);

	for (;;) {
		uint64_t now = now_mono_ns();
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		int left_ms, n;

		if (now - start >= timeout_ns || scx_interrupted) {
			timed_out = !scx_interrupted;
			interrupted = scx_interrupted;
			break;
		}
		left_ms = (int)((timeout_ns - (now - start)) / 1000000ull) + 1;
		n = poll(&p, 1, left_ms);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			continue;
		if (cap - len < 65536) {
			size_t ncap = cap ? cap * 2 : 131072;
			char *nb;

			if (ncap > PROBE_OUTPUT_MAX + 1) {
				overflow = true;
				break;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				overflow = true;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t rd = read(pfd[0], buf + len, cap - len - 1);
		if (rd < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		if (rd == 0)
			break;
		len += (size_t)rd;
	}
	close(pfd[0]);
	if (timed_out || overflow || interrupted)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	/* Whatever the probe started (dpkg, systemctl) goes with it. */
	kill(-pid, SIGKILL);

	uint64_t dur = now_mono_ns() - start;
	if (interrupted) {
		json_object_set_new(probes, probe->name,
				    status_obj("failed", "interrupted", dur, false));
	} else if (timed_out) {
		char why_buf[96];

		snprintf(why_buf, sizeof(why_buf), "timed out after %.1f s",
			 (double)timeout_ns / 1e9);
		json_object_set_new(probes, probe->name, status_obj("failed", why_buf, dur, false));
	} else if (overflow) {
		json_object_set_new(probes, probe->name,
				    status_obj("failed", "output too large", dur, true));
	} else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || len == 0) {
		char why_buf[96];

		if (WIFSIGNALED(wstatus))
			snprintf(why_buf, sizeof(why_buf), "crashed (signal %d, %s)",
				 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		else
			snprintf(why_buf, sizeof(why_buf), "exited without a result (status %d)",
				 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
		json_object_set_new(probes, probe->name, status_obj("failed", why_buf, dur, false));
	} else {
		json_error_t err;
		json_t *msg;

		buf[len] = '\0';
		msg = json_loads(buf, 0, &err);
		if (!msg || !json_is_object(json_object_get(msg, "data"))) {
			json_object_set_new(probes, probe->name,
					    status_obj("failed", "unreadable result", dur, false));
		} else {
			json_object_update_recursive(report, json_object_get(msg, "data"));
			json_object_set_new(probes, probe->name,
				status_obj(json_string_value(json_object_get(msg, "status")),
					   json_string_value(json_object_get(msg, "reason")), dur,
					   json_is_true(json_object_get(msg, "truncated"))));
		}
		json_decref(msg);
	}
	free(buf);
}

void scx_run_probes(const struct scx_probe *table, const struct scx_options *opts,
		    const char *stage_dir, json_t *report)
{
	for (const struct scx_probe *p = table; p->name; p++)
		scx_run_probe(p, opts, stage_dir, report);
}
