// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Probe "latency": how long tasks wait to run under whatever scheduler is
 * active, sampled for opts->duration_s by bpf/latency.bpf.c.
 *
 * Kernel interfaces: /sys/kernel/btf/vmlinux (5.4, CONFIG_DEBUG_INFO_BTF);
 * tracepoints sched_wakeup, sched_wakeup_new, sched_switch as tp_btf with
 * task storage (5.11) or raw_tp (fallback); BPF_ENABLE_STATS (5.8) for our
 * own cost.  Scheduler-independent: the same programs work under sched_ext.
 *
 * report.json "latency": status, duration_s, runq / preempt / slice (count,
 * p50/p90/p99/p999/max/mean in ns, by_class, per_cpu, log2_buckets), counts,
 * overhead, filter, buckets.  Bundle: latency/latency.json, the same with
 * the sparse K = 5 buckets of every histogram.
 */
#include <string.h>
#include <limits.h>
#include <time.h>

#include "latency-api.h"
#include "probes.h"
#include "model.h"

static json_t *unmeasured(const char *status, const char *reason)
{
	return json_pack("{ss ss}", "status", status, "reason", reason);
}

/* The fine buckets stay in latency/latency.json; report.json keeps log2_buckets. */
static void strip_buckets(json_t *lat)
{
	static const char *const kinds[] = { "runq", "preempt", "slice" };

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		json_t *k = json_object_get(lat, kinds[i]), *v;
		const char *key;
		size_t j;

		if (!k)
			continue;
		json_object_del(k, "buckets");
		json_object_foreach(json_object_get(k, "by_class"), key, v)
			json_object_del(v, "buckets");
		json_array_foreach(json_object_get(k, "per_cpu"), j, v)
			json_object_del(v, "buckets");
	}
}

int probe_latency(struct scx_probe_ctx *ctx)
{
	const struct scx_probe_opts *o = ctx->opts;
	struct scx_latency_opts lo = {
		.pid = o->filter_pid, .cgroup = o->filter_cgroup, .stats = true,
		.source = o->latency_source,
	};
	struct scx_latency *l = NULL;
	char err[256], btf[PATH_MAX];
	uint64_t end;
	_cleanup_free_ char *text = NULL;
	const char *status;
	json_t *full, *rep;
	int r;

	if (probe_path(ctx, "/sys/kernel/btf/vmlinux", btf, sizeof(btf)) >= 0 &&
	    access(btf, R_OK) < 0) {
		json_object_set_new(ctx->out, "latency",
				    unmeasured("skipped", "the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)"));
		return probe_fail(ctx, -EOPNOTSUPP, "the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)");
	}
	r = scx_latency_open(&lo, &l, err, sizeof(err));
	if (r < 0) {
		json_object_set_new(ctx->out, "latency",
				    unmeasured(probe_errno_skips(r) ? "skipped" : "failed", err));
		return probe_fail(ctx, r, "%s", err);
	}

	end = now_mono_ns() + (uint64_t)o->duration_s * 1000000000ull;
	sleep_until_ns(end, &scx_interrupted);

	/* One read of the maps: the report gets it without the fine buckets. */
	full = scx_latency_snapshot_full(l);
	scx_latency_close(l);
	if (!full)
		return probe_fail(ctx, -ENOMEM, "cannot build the latency section");
	text = json_dumps(full, SCX_JSON_OUT);
	if (text)
		probe_save(ctx, "latency.json", text, strlen(text));
	rep = json_deep_copy(full);
	json_decref(full);
	if (!rep)
		return probe_fail(ctx, -ENOMEM, "cannot build the latency section");
	strip_buckets(rep);
	json_object_set_new(ctx->out, "latency", rep);
	status = json_string_value(json_object_get(rep, "status"));
	if (!status || strcmp(status, "ok")) {
		const char *why = json_string_value(json_object_get(rep, "reason"));

		return probe_fail(ctx, -EIO, "%s", why ? why : "no result");
	}
	return 0;
}

bool probe_latency_enabled(const struct scx_probe_opts *opts, const char **why)
{
	if (!opts->latency) {
		*why = "not requested (--no-latency)";
		return false;
	}
	return true;
}
