// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * environment probe: what around a sched_ext scheduler can starve it or keep
 * it from loading.
 *   - SCHED_FIFO, SCHED_RR and SCHED_DEADLINE tasks (every thread of
 *     /proc/PID/task/TID/stat: policy field 41, rt_priority 40, utime+stime,
 *     start time; Cpus_allowed_list of its status), kernel threads left out;
 *     a "hog" used at least half a CPU since it started (RT and deadline
 *     tasks run before any sched_ext task: they starve it until the
 *     watchdog ejects the scheduler);
 *   - RT throttling: /proc/sys/kernel/sched_rt_runtime_us and _period_us;
 *   - the ext deadline server per CPU (debugfs sched/ext_server/cpuN/runtime,
 *     7.x): a runtime of 0 is switched off;
 *   - /proc/sys/net/core/bpf_jit_enable (struct_ops needs the JIT).
 * All through probe-io, so --sysroot replays it.  report.json `environment`.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes.h"

#define MAX_TASKS 64
#define PF_KTHREAD 0x00200000u
#define HOG_SHARE 0.5
#define HOG_MIN_S 2.0

static json_t *sysctl_int(struct scx_probe_ctx *ctx, const char *path)
{
	_cleanup_free_ char *line = NULL;
	int64_t v;

	if (probe_read_line(ctx, path, &line) < 0 || safe_atoi64(strstrip(line), &v) < 0)
		return NULL;
	return json_integer(v);
}

static const char *policy_name(long p)
{
	return p == 1 ? "SCHED_FIFO" : p == 2 ? "SCHED_RR" : p == 6 ? "SCHED_DEADLINE" : NULL;
}

/* One /proc/PID/task/TID: appended to tasks when RT or deadline. */
static void one_task(struct scx_probe_ctx *ctx, const char *dir, double uptime, long hz,
		     json_t *tasks, json_t *hogs)
{
	char path[PATH_MAX], comm[64];
	_cleanup_free_ char *stat = NULL, *status = NULL;
	const char *open, *close, *p, *cpus;
	unsigned long long f[64] = { 0 };
	size_t len;
	int n = 3;
	json_t *t;
	double cpu_s, age;

	snprintf(path, sizeof(path), "%s/stat", dir);
	if (probe_read(ctx, path, 4096, &stat, &len, NULL) < 0)
		return;
	open = strchr(stat, '(');
	close = strrchr(stat, ')');
	if (!open || !close || close < open)
		return;
	snprintf(comm, sizeof(comm), "%.*s", (int)(close - open - 1), open + 1);
	/* fields from 3 (state) on; f[k] is field k */
	for (p = close + 2; *p && n < 64; n++) {
		f[n] = strtoull(p, NULL, 10);
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	if (n <= 41 || !policy_name((long)f[41]) || (f[9] & PF_KTHREAD))
		return;
	cpu_s = (double)(f[14] + f[15]) / (double)hz;
	age = uptime - (double)f[22] / (double)hz;
	snprintf(path, sizeof(path), "%s/status", dir);
	probe_read(ctx, path, 65536, &status, &len, NULL);
	cpus = status ? strstr(status, "Cpus_allowed_list:") : NULL;
	t = json_pack("{s:I, s:s, s:s, s:I, s:f}", "pid", (json_int_t)strtoll(strrchr(dir, '/') + 1, NULL, 10),
		      "comm", comm, "policy", policy_name((long)f[41]), "priority", (json_int_t)f[40],
		      "cpu_time_s", cpu_s);
	if (cpus) {
		cpus += strlen("Cpus_allowed_list:");
		cpus += strspn(cpus, " \t");
		json_object_set_new(t, "cpus", json_stringn(cpus, strcspn(cpus, "\n")));
	}
	if (age > 0) {
		json_object_set_new(t, "cpu_share", json_real(cpu_s / age));
		if (age >= HOG_MIN_S && cpu_s / age >= HOG_SHARE)
			json_array_append(hogs, t);
	}
	if (json_array_size(tasks) < MAX_TASKS)
		json_array_append(tasks, t);
	json_decref(t);
}

static void rt_tasks(struct scx_probe_ctx *ctx, json_t *rt)
{
	_cleanup_free_ char *up = NULL;
	char proc[PATH_MAX], dir[PATH_MAX];
	json_t *tasks = json_array(), *hogs = json_array();
	long hz = sysconf(_SC_CLK_TCK);
	struct dirent *de, *te;
	double uptime = 0;
	DIR *d, *td;

	if (probe_read_line(ctx, "/proc/uptime", &up) == 0)
		uptime = strtod(up, NULL);
	if (hz <= 0)
		hz = 100;
	if (probe_path(ctx, "/proc", proc, sizeof(proc)) == 0 && (d = opendir(proc))) {
		while ((de = readdir(d))) {
			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			snprintf(dir, sizeof(dir), "%s/%s/task", proc, de->d_name);
			td = opendir(dir);
			if (!td)
				continue;
			while ((te = readdir(td)))
				if (te->d_name[0] >= '1' && te->d_name[0] <= '9') {
					char rel[128];

					snprintf(rel, sizeof(rel), "/proc/%s/task/%s", de->d_name, te->d_name);
					one_task(ctx, rel, uptime, hz, tasks, hogs);
				}
			closedir(td);
		}
		closedir(d);
	}
	json_object_set_new(rt, "tasks", tasks);
	json_object_set_new(rt, "hogs", hogs);
}

/* CPUs whose ext deadline server is switched off (runtime 0), from debugfs. */
static json_t *ext_server_off(struct scx_probe_ctx *ctx)
{
	char dir[PATH_MAX];
	json_t *off = json_array();
	struct dirent *de;
	DIR *d;

	if (probe_path(ctx, "/sys/kernel/debug/sched/ext_server", dir, sizeof(dir)) < 0 ||
	    !(d = opendir(dir)))
		return off;
	while ((de = readdir(d))) {
		char rel[PATH_MAX];
		json_t *v;

		if (strncmp(de->d_name, "cpu", 3))
			continue;
		snprintf(rel, sizeof(rel), "/sys/kernel/debug/sched/ext_server/%s/runtime", de->d_name);
		v = sysctl_int(ctx, rel);
		if (v && json_integer_value(v) == 0)
			json_array_append_new(off, json_integer(strtol(de->d_name + 3, NULL, 10)));
		json_decref(v);
	}
	closedir(d);
	return off;
}

int probe_environment(struct scx_probe_ctx *ctx)
{
	json_t *env = json_object(), *rt = json_object(), *v;

	if ((v = sysctl_int(ctx, "/proc/sys/net/core/bpf_jit_enable")))
		json_object_set_new(env, "bpf_jit_enable", v);
	if ((v = sysctl_int(ctx, "/proc/sys/kernel/sched_rt_runtime_us")))
		json_object_set_new(rt, "runtime_us", v);
	if ((v = sysctl_int(ctx, "/proc/sys/kernel/sched_rt_period_us")))
		json_object_set_new(rt, "period_us", v);
	if (json_is_integer(json_object_get(rt, "runtime_us")))
		json_object_set_new(rt, "throttling",
				    json_boolean(json_integer_value(json_object_get(rt, "runtime_us")) >= 0));
	rt_tasks(ctx, rt);
	json_object_set_new(env, "rt", rt);
	json_object_set_new(env, "ext_server_off_cpus", ext_server_off(ctx));
	json_object_set_new(ctx->out, "environment", env);
	snprintf(ctx->reason, sizeof(ctx->reason), "%zu RT/deadline task(s), %zu hog(s)",
		 json_array_size(json_object_get(rt, "tasks")), json_array_size(json_object_get(rt, "hogs")));
	return 0;
}
