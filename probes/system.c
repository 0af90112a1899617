// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * system probe: the machine a scheduler runs on.
 *
 * Reads /proc/cpuinfo (first processor only), /sys/devices/system/cpu/
 * {online,possible,present,isolated,nohz_full} (nohz_full 3.10+),
 * smt/active (4.19+), cpuN/topology/{physical_package_id,die_id,core_id},
 * cpuN/cpu_capacity (arm64 & co.), cpuN/cpufreq/{scaling_driver,
 * scaling_governor}, /sys/devices/cpu_core and cpu_atom (Intel hybrid PMUs,
 * 5.13+), /sys/devices/system/node/online, /proc/cmdline (isolcpus=,
 * nohz_full=), /proc/loadavg, /proc/pressure/cpu (PSI, 4.20+) and, only
 * while a BPF scheduler is enabled, ext.enabled in /proc/PID/task/TID/sched
 * (6.12+) to count the tasks it runs.
 *
 * Report key: system {cpu, numa, cpufreq, isolcpus, nohz_full, loadavg,
 * pressure_cpu, tasks_on_ext, tasks_scanned}.  Also the host's name for the
 * collection (scx_host_name), read before any probe runs.
 */
#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes.h"

#define CPUS_MAX 8192u
#define TASKS_MAX 65536u
#define TASK_SCAN_BUDGET_NS (150ull * 1000000ull)	/* of the 0.5 s a snapshot may take */

json_t *scx_pressure_parse(const char *text)
{
	json_t *out = json_object();
	_cleanup_free_ char *copy = strdup(text);
	char *save = NULL;

	for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' '), *tok, *save2 = NULL;
		json_t *kind;

		if (!sp)
			continue;
		*sp = '\0';
		kind = json_object();
		for (tok = strtok_r(sp + 1, " ", &save2); tok; tok = strtok_r(NULL, " ", &save2)) {
			char *eq = strchr(tok, '='), *end;

			if (!eq)
				continue;
			*eq = '\0';
			if (!strcmp(tok, "total")) {
				json_object_set_new(kind, tok, json_number_or_string(eq + 1));
			} else {
				double v = strtod(eq + 1, &end);

				json_object_set_new(kind, tok, end != eq + 1 ? json_real(v)
									 : json_string(eq + 1));
			}
		}
		json_object_set_new(out, line, kind);
	}
	return out;
}

bool scx_task_on_ext(const char *sched_text)
{
	const char *p = strstr(sched_text, "\next.enabled");

	if (!p)
		return false;
	p += strlen("\next.enabled");
	p += strspn(p, " \t:");
	return *p == '1';
}

static char *read_line(struct scx_probe_ctx *ctx, const char *path)
{
	char *line = NULL;

	if (probe_read_line(ctx, path, &line) < 0)
		return NULL;
	return line;
}

static void set_line(struct scx_probe_ctx *ctx, json_t *obj, const char *key, const char *path)
{
	_cleanup_free_ char *v = read_line(ctx, path);

	if (v)
		json_object_set_new(obj, key, json_string(v));
}

static void cpu_identity(struct scx_probe_ctx *ctx, json_t *cpu)
{
	static const struct { const char *field, *key; } keys[] = {
		{ "model name", "model" }, { "vendor_id", "vendor" },
		{ "Model", "model" }, { "CPU implementer", "vendor" },	/* arm64 */
		{ "cpu", "model" }, { "uarch", "model" },		/* ppc64, riscv */
	};
	_cleanup_free_ char *text = NULL;
	char *save = NULL;
	size_t len;

	/* The first processor's block is enough: 16 KiB holds it on any arch. */
	if (probe_read(ctx, "/proc/cpuinfo", 16384, &text, &len, NULL) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = '\0';
		strstrip(line);
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strcmp(line, keys[i].field) && !json_object_get(cpu, keys[i].key))
				json_object_set_new(cpu, keys[i].key,
						    json_string(strstrip(colon + 1 + strspn(colon + 1, " \t"))));
	}
}

static void count_into(json_t *counts, const char *key)
{
	json_t *v = json_object_get(counts, key);

	json_object_set_new(counts, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

/* Per-CPU walk: topology, capacities, cpufreq. */
static void cpu_topology(struct scx_probe_ctx *ctx, json_t *cpu, json_t *sys)
{
	json_t *cores = json_object(), *packages = json_object(), *capacity = json_object();
	json_t *governors = json_object(), *cpufreq = json_object();
	struct dirent **names = NULL;
	char dir[PATH_MAX];
	int n, walked = 0;

	if (probe_path(ctx, "/sys/devices/system/cpu", dir, sizeof(dir)) < 0)
		goto out;
	n = scandir(dir, &names, NULL, versionsort);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[PATH_MAX], key[96];
		_cleanup_free_ char *pkg = NULL, *die = NULL, *core = NULL, *cap = NULL;
		_cleanup_free_ char *gov = NULL, *online = NULL;

		if (strncmp(name, "cpu", 3) || !name[3] || strspn(name + 3, "0123456789") != strlen(name + 3) ||
		    walked >= (int)CPUS_MAX)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/online", name);
		online = read_line(ctx, path);
		if (online && !strcmp(online, "0"))
			continue;	/* offline CPUs keep stale topology */
		walked++;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology/physical_package_id", name);
		pkg = read_line(ctx, path);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology/die_id", name);
		die = read_line(ctx, path);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology/core_id", name);
		core = read_line(ctx, path);
		if (pkg && core) {
			snprintf(key, sizeof(key), "%s/%s/%s", pkg, die ? die : "0", core);
			count_into(cores, key);
			count_into(packages, pkg);
		}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/cpu_capacity", name);
		if ((cap = read_line(ctx, path)))
			count_into(capacity, cap);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/cpufreq/scaling_governor", name);
		if ((gov = read_line(ctx, path)))
			count_into(governors, gov);
		if (!json_object_get(cpufreq, "driver")) {
			snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/cpufreq/scaling_driver", name);
			set_line(ctx, cpufreq, "driver", path);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);

	if (json_object_size(cores)) {
		size_t ncores = json_object_size(cores);
		int tpc = 0;
		const char *k;
		json_t *v;

		json_object_foreach(cores, k, v)
			if (json_integer_value(v) > tpc)
				tpc = (int)json_integer_value(v);
		json_object_set_new(cpu, "cores", json_integer((json_int_t)ncores));
		json_object_set_new(cpu, "packages", json_integer((json_int_t)json_object_size(packages)));
		json_object_set_new(cpu, "threads_per_core", json_integer(tpc));
	}
	{
		_cleanup_free_ char *smt = read_line(ctx, "/sys/devices/system/cpu/smt/active");

		if (smt)
			json_object_set_new(cpu, "smt", json_boolean(!strcmp(smt, "1")));
		else if (json_object_get(cpu, "threads_per_core"))
			json_object_set_new(cpu, "smt", json_boolean(
				json_integer_value(json_object_get(cpu, "threads_per_core")) > 1));
	}
	{
		json_t *hybrid = json_object(), *types = json_object();
		static const char *const pmus[] = { "cpu_core", "cpu_atom", "cpu_lowpower" };

		for (size_t i = 0; i < ARRAY_SIZE(pmus); i++) {
			char path[PATH_MAX];

			snprintf(path, sizeof(path), "/sys/devices/%s/cpus", pmus[i]);
			set_line(ctx, types, pmus[i], path);
		}
		if (json_object_size(types))
			json_object_set(hybrid, "types", types);
		if (json_object_size(capacity) > 1)
			json_object_set(hybrid, "capacity", capacity);
		if (json_object_size(hybrid))
			json_object_set(cpu, "hybrid", hybrid);
		json_decref(types);
		json_decref(hybrid);
	}
	if (json_object_size(governors))
		json_object_set(cpufreq, "governors", governors);
	if (json_object_size(cpufreq))
		json_object_set(sys, "cpufreq", cpufreq);
out:
	json_decref(cores);
	json_decref(packages);
	json_decref(capacity);
	json_decref(governors);
	json_decref(cpufreq);
}

/* "isolcpus=domain,managed_irq,2-3" from the command line (last one wins, as in the kernel). */
static char *cmdline_param(const char *cmdline, const char *name)
{
	size_t n = strlen(name);
	char *found = NULL;

	for (const char *p = cmdline; p && *p;) {
		p += strspn(p, " ");
		if (!strncmp(p, "--", 2) && (p[2] == ' ' || !p[2]))
			break;	/* what follows is init's */
		if (!strncmp(p, name, n) && p[n] == '=') {
			free(found);
			found = strndup(p + n + 1, strcspn(p + n + 1, " "));
		}
		p = strchr(p, ' ');
	}
	return found;
}

static void isolation(struct scx_probe_ctx *ctx, json_t *sys)
{
	static const struct { const char *key, *param, *sysfs; } items[] = {
		{ "isolcpus", "isolcpus", "/sys/devices/system/cpu/isolated" },
		{ "nohz_full", "nohz_full", "/sys/devices/system/cpu/nohz_full" },
	};
	_cleanup_free_ char *cmdline = read_line(ctx, "/proc/cmdline");

	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		_cleanup_free_ char *param = cmdline ? cmdline_param(cmdline, items[i].param) : NULL;
		json_t *o = json_object();

		if (param)
			json_object_set_new(o, "cmdline", json_string(param));
		set_line(ctx, o, "sysfs", items[i].sysfs);
		json_object_set_new(sys, items[i].key, o);
	}
}

static bool scheduler_enabled(const json_t *report)
{
	const char *state = json_string_value(
		json_object_get(json_object_get(report, "sched_ext"), "state"));

	return state && !strcmp(state, "enabled");
}

/* Count the threads the BPF scheduler runs now, within a time budget. */
static void tasks_on_ext(struct scx_probe_ctx *ctx, json_t *sys)
{
	uint64_t start = now_mono_ns();
	unsigned scanned = 0, on_ext = 0;
	bool cut = false;
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *proc;

	if (probe_path(ctx, "/proc", dir, sizeof(dir)) < 0 || !(proc = opendir(dir)))
		return;
	while (!cut && (de = readdir(proc))) {
		char tdir[PATH_MAX], abs[PATH_MAX];
		struct dirent *te;
		DIR *tasks;

		if (!de->d_name[0] || strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		snprintf(abs, sizeof(abs), "/proc/%s/task", de->d_name);
		if (probe_path(ctx, abs, tdir, sizeof(tdir)) < 0 || !(tasks = opendir(tdir)))
			continue;
		while ((te = readdir(tasks))) {
			_cleanup_free_ char *text = NULL;
			char path[PATH_MAX];
			size_t len;

			if (!te->d_name[0] || strspn(te->d_name, "0123456789") != strlen(te->d_name))
				continue;
			if (scanned >= TASKS_MAX || now_mono_ns() - start > TASK_SCAN_BUDGET_NS) {
				cut = true;
				break;
			}
			snprintf(path, sizeof(path), "/proc/%s/task/%s/sched", de->d_name, te->d_name);
			if (probe_read(ctx, path, 8192, &text, &len, NULL) < 0)
				continue;	/* exited, or not ours to read */
			scanned++;
			on_ext += scx_task_on_ext(text);
		}
		closedir(tasks);
	}
	closedir(proc);
	json_object_set_new(sys, "tasks_on_ext", json_integer(on_ext));
	json_object_set_new(sys, "tasks_scanned", json_integer(scanned));
	if (cut) {
		json_object_set_new(sys, "tasks_scan_truncated", json_true());
		ctx->truncated = true;
	}
}

int probe_system(struct scx_probe_ctx *ctx)
{
	json_t *sys = json_object(), *cpu = json_object(), *numa = json_object();
	_cleanup_free_ char *pressure = NULL, *nodes = NULL;
	static const char *const lists[] = { "online", "possible", "present" };
	size_t len;

	json_object_set_new(ctx->out, "system", sys);
	cpu_identity(ctx, cpu);
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		char path[PATH_MAX], key[32];
		_cleanup_free_ char *v = NULL;
		int count;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", lists[i]);
		if (!(v = read_line(ctx, path)))
			continue;
		json_object_set_new(cpu, lists[i], json_string(v));
		count = cpulist_count(v);
		snprintf(key, sizeof(key), "%s_count", lists[i]);
		if (count >= 0 && strcmp(lists[i], "present"))
			json_object_set_new(cpu, key, json_integer(count));
	}
	cpu_topology(ctx, cpu, sys);
	json_object_set_new(sys, "cpu", cpu);

	if ((nodes = read_line(ctx, "/sys/devices/system/node/online"))) {
		json_object_set_new(numa, "online", json_string(nodes));
		if (cpulist_count(nodes) >= 0)
			json_object_set_new(numa, "nodes", json_integer(cpulist_count(nodes)));
	}
	json_object_set_new(sys, "numa", numa);

	isolation(ctx, sys);
	set_line(ctx, sys, "loadavg", "/proc/loadavg");
	if (probe_read(ctx, "/proc/pressure/cpu", 4096, &pressure, &len, NULL) >= 0)
		json_object_set_new(sys, "pressure_cpu", scx_pressure_parse(pressure));

	if (scheduler_enabled(ctx->report))
		tasks_on_ext(ctx, sys);

	if (!json_object_size(cpu) && !json_object_get(sys, "loadavg"))
		return probe_fail(ctx, -ENOENT, "no /proc/cpuinfo or /sys/devices/system/cpu");
	return 0;
}

void scx_host_name(const char *sysroot, char *buf, size_t len)
{
	_cleanup_free_ char *line = NULL;
	char path[PATH_MAX];

	if (sysroot && *sysroot &&
	    scx_sysroot_path(sysroot, "/proc/sys/kernel/hostname", path, sizeof(path)) >= 0 &&
	    read_one_line(path, &line) >= 0 && *line) {
		snprintf(buf, len, "%s", line);
		return;
	}
	gethostname(buf, len - 1);
}
