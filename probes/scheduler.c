// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probe `scheduler`: who is scheduling.  From the kernel outward:
 *   1. /sys/kernel/sched_ext/root/ops (6.12) and the BPF walk (bpf-walk.c:
 *      the struct_ops map of type sched_ext_ops, its programs and links);
 *   2. the processes holding them (a BPF task_file iterator, 5.8,
 *      holders-iter.c; else /proc/ * /fd and fdinfo, holders.c);
 *   3. ops.name parsed (ops-name.c);
 *   4. the binary behind the process: hashes, build-id, package and
 *      verification (provenance.c), trusted lists (trusted.c);
 *   5. what started it (manager.c), and the unit journal's debug dump
 *      attached to the history that the kmsg probe built.
 * Degrades: without root, no BPF walk and only our own processes; under
 * --sysroot, no BPF walk, no helper programs; each skipped part is listed
 * in scheduler.skipped.  The scheduler binary is never executed.
 */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "probes.h"
#include "identity.h"

static void skipped(json_t *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void skipped(json_t *list, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_array_append_new(list, json_string(buf));
}

static void set_name(json_t *s, const char *ops)
{
	struct sched_name n;

	if (sched_name_parse(ops, &n) < 0)
		return;
	json_object_set_new(s, "ops", json_string(ops));
	json_object_set_new(s, "name", json_string(n.name));
	if (!n.versioned)
		return;
	json_object_set_new(s, "version", json_string(n.version));
	if (n.git_sha[0])
		json_object_set_new(s, "git_sha", json_string(n.git_sha));
	json_object_set_new(s, "dirty", json_boolean(n.dirty));
	json_object_set_new(s, "target", json_string(n.target));
}

/* The holder to describe: the one holding the struct_ops map or its link, else the first. */
static pid_t main_holder(const json_t *holders)
{
	const json_t *h, *fd;
	size_t i, k;

	json_array_foreach(holders, i, h)
		json_array_foreach(json_object_get(h, "fds"), k, fd)
			if (json_object_get(fd, "map_id") || json_object_get(fd, "link_id"))
				return (pid_t)json_integer_value(json_object_get(h, "pid"));
	h = json_array_get(holders, 0);
	return h ? (pid_t)json_integer_value(json_object_get(h, "pid")) : 0;
}

static void save_holder(struct scx_probe_ctx *ctx, const json_t *holders)
{
	static const char *const files[] = { "cmdline", "status", "stat", "cgroup", "comm", "sched" };
	const json_t *h, *fd;
	size_t i, k;

	json_array_foreach(holders, i, h) {
		json_int_t pid = json_integer_value(json_object_get(h, "pid"));
		char abs[96];

		if (i >= 8)
			break;
		json_array_foreach(json_object_get(h, "fds"), k, fd) {
			snprintf(abs, sizeof(abs), "/proc/%" JSON_INTEGER_FORMAT "/fdinfo/%" JSON_INTEGER_FORMAT,
				 pid, json_integer_value(json_object_get(fd, "fd")));
			probe_copy(ctx, abs, NULL, 16384);
		}
		for (k = 0; k < ARRAY_SIZE(files); k++) {
			snprintf(abs, sizeof(abs), "/proc/%" JSON_INTEGER_FORMAT "/%s", pid, files[k]);
			probe_copy(ctx, abs, NULL, 65536);
		}
	}
}

/* Takes s and skip; unit_journals: look for an earlier scheduler's debug dump there. */
static int no_scheduler(struct scx_probe_ctx *ctx, json_t *s, json_t *skip, bool unit_journals)
{
	json_t *history = NULL;

	json_object_set_new(s, "active", json_false());
	if (unit_journals && sched_manager_after_exit(ctx, s, &history) < 0)
		skipped(skip, "scheduler unit journals not read (%s)",
			*probe_sysroot(ctx) ? "--sysroot" : "no systemctl/journalctl");
	if (history)
		json_object_set_new(ctx->out, "history", history);
	if (json_array_size(skip))
		json_object_set_new(s, "skipped", json_incref(skip));
	json_object_set_new(ctx->out, "scheduler", s);
	snprintf(ctx->reason, sizeof(ctx->reason), "no scheduler is registered%s",
		 history ? "; debug dump from the unit journal added to the history" : "");
	json_decref(skip);
	return 0;
}

/* Manager and provenance when no process holds the scheduler. */
static void no_holder(json_t *s, bool surely_none, bool could_see_all)
{
	if (surely_none) {
		json_object_set_new(s, "manager", json_string("none"));
		json_object_set_new(s, "manager_evidence",
				    json_pack("[s]", "no process holds the scheduler's struct_ops map, "
						     "programs or link: registered and left (e.g. bpftool "
						     "struct_ops register, or its loader was killed)"));
		json_object_set_new(s, "provenance", json_string("unknown"));
		json_object_set_new(s, "provenance_reason",
				    json_string("no process, so no binary to hash; see bpf.programs tags"));
	} else {
		json_object_set_new(s, "manager", json_string("unknown"));
		json_object_set_new(s, "provenance", json_string("unknown"));
		json_object_set_new(s, "provenance_reason",
				    json_string(could_see_all ? "no process found holding the scheduler"
							      : "no process found among ours (needs root)"));
	}
}

/* scheduler.trusted and the lists read (trusted.c). */
static void trusted(struct scx_probe_ctx *ctx, json_t *s)
{
	json_t *files = json_array(), *errors = json_object();

	sched_trusted_match(ctx, s, files, errors);
	json_object_set_new(s, "trusted_lists", files);
	if (json_object_size(errors))
		json_object_set_new(s, "trusted_list_errors", errors);
	else
		json_decref(errors);
}

static int scheduler_collect(struct scx_probe_ctx *ctx)
{
	_cleanup_free_ char *ops = NULL;
	json_t *s = json_object(), *skip = json_array(), *bpf = NULL, *holders = NULL, *pids, *h;
	struct sched_bpf_ids ids = { 0 };
	bool live = !*probe_sysroot(ctx), root = geteuid() == 0, walked = false, scan_complete = false;
	char ops_from_map[160] = "", why[256] = "";
	unsigned unreadable = 0;
	pid_t pid = 0;
	size_t i;
	int r;

	if (probe_read_line(ctx, "/sys/kernel/sched_ext/root/ops", &ops) < 0 || !ops[0]) {
		free(ops);
		ops = NULL;
	}
	/*
	 * Nothing can be registered without sched_ext, or while it says
	 * "disabled" (registering a sched_ext_ops map enables it): then no BPF
	 * load at all (the vmlinux BTF alone costs ~100 ms), and no unit
	 * journals when no scheduler was ever enabled this boot.
	 */
	if (live && !ops) {
		_cleanup_free_ char *state = NULL, *seq = NULL;

		if (probe_read_line(ctx, "/sys/kernel/sched_ext/state", &state) < 0)
			return no_scheduler(ctx, s, skip, false);
		if (!strcmp(state, "disabled"))
			return no_scheduler(ctx, s, skip,
					    probe_read_line(ctx, "/sys/kernel/sched_ext/enable_seq", &seq) < 0 ||
					    strcmp(seq, "0"));
	}

	if (!live) {
		skipped(skip, "BPF object walk: reads the live kernel, not available with --sysroot");
	} else if (!root) {
		skipped(skip, "BPF object walk: needs root");
	} else {
		r = sched_bpf_walk(&ids, &bpf, ops_from_map, sizeof(ops_from_map), why, sizeof(why));
		if (r < 0)
			skipped(skip, "BPF object walk: %s", why);
		else
			walked = true;
	}
	if (!ops && ops_from_map[0])
		ops = strdup(ops_from_map);
	if (!ops && !ids.n_maps) {
		json_decref(bpf);
		return no_scheduler(ctx, s, skip, true);
	}

	json_object_set_new(s, "active", json_true());
	if (ops)
		set_name(s, ops);
	if (bpf)
		json_object_set_new(s, "bpf", bpf);

	r = sched_procscan(ctx, walked ? &ids : NULL, &holders, &unreadable);
	if (r < 0) {
		skipped(skip, "/proc fdinfo scan: %s", strerror(-r));
		holders = json_array();
	} else {
		scan_complete = unreadable == 0;
		if (unreadable)
			skipped(skip, "/proc fdinfo scan: %u process(es) not readable%s", unreadable,
				root ? "" : " (needs root)");
		if (!walked)
			skipped(skip, "holders matched as struct_ops map holders, not checked to be sched_ext (no BPF walk)");
	}
	pids = json_array();
	json_array_foreach(holders, i, h)
		json_array_append(pids, json_object_get(h, "pid"));
	json_object_set_new(s, "pids", pids);
	json_object_set_new(s, "holders", holders);
	save_holder(ctx, holders);

	pid = main_holder(holders);
	json_object_set_new(s, "registered_without_process",
			    json_boolean(!pid && scan_complete && walked));
	if (pid) {
		json_t *process = sched_process_info(ctx, pid);

		json_object_set_new(s, "process", process);
		json_object_set_new(s, "restart", sched_restart_info(ctx, pid));
		sched_provenance(ctx, pid, s);
		sched_manager_detect(ctx, process, s);
	} else {
		no_holder(s, scan_complete && walked, root || !live);
	}
	trusted(ctx, s);
	json_object_set_new(s, "signed",
		json_pack("{s:b,s:s}", "known", 0, "why",
			  "the kernel records no per-program signature state: bpf_prog_info has no "
			  "such field (signed BPF loading exists since 6.18, unsigned programs still "
			  "load); trust rests on the package verification and the BPF program tags"));
	if (json_array_size(skip))
		json_object_set_new(s, "skipped", json_incref(skip));
	json_object_set_new(ctx->out, "scheduler", s);
	if (json_array_size(skip))
		snprintf(ctx->reason, sizeof(ctx->reason), "partial: %s",
			 json_string_value(json_array_get(skip, 0)));
	json_decref(skip);
	return 0;
}

int probe_scheduler(struct scx_probe_ctx *ctx)
{
	return scheduler_collect(ctx);
}
