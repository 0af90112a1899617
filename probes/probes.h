/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The collect functions of the probes in probes/table.c (one file each). */
#pragma once

#include "probe.h"

/* kernel.c */
int probe_kernel(struct scx_probe_ctx *ctx);
bool scx_kconfig_wanted(const char *item);
int scx_kconfig_parse(const char *text, size_t len, json_t **ret_items);
json_t *scx_taint_decode(uint64_t value, char *ret_letters, size_t letters_len);
int scx_os_release_get(const char *text, const char *key, char **ret_value);
/* sched_ext.c */
int probe_sched_ext(struct scx_probe_ctx *ctx);
int scx_events_parse(const char *text, json_t **ret_events);
/* kmsg.c (parser: kmsg-parse.h) */
int probe_kmsg(struct scx_probe_ctx *ctx);
/* system.c */
int probe_system(struct scx_probe_ctx *ctx);
/* The host's name: under a sysroot the captured one, if the capture has it (else gethostname). */
void scx_host_name(const char *sysroot, char *buf, size_t len);
/* environment.c: RT/deadline tasks, RT throttling, ext server, BPF JIT */
int probe_environment(struct scx_probe_ctx *ctx);
/* known-issues.c: known-issues.d entries */
int probe_known_issues(struct scx_probe_ctx *ctx);
json_t *scx_pressure_parse(const char *text);
bool scx_task_on_ext(const char *sched_text);

/* scheduler.c (parts: scheduler/identity.h) */
int probe_scheduler(struct scx_probe_ctx *ctx);

/* latency.c (API and histogram math: latency-api.h) */
int probe_latency(struct scx_probe_ctx *ctx);
bool probe_latency_enabled(const struct scx_probe_opts *opts, const char **why);

/* stats.c (client: scx-stats.h) */
int probe_stats(struct scx_probe_ctx *ctx);
int probe_stats_end(struct scx_probe_ctx *ctx);
bool probe_stats_end_applies(const json_t *report, const char **why);
/* hang-ready.c */
int probe_hang_ready(struct scx_probe_ctx *ctx);
/* sched-output.c */
int probe_sched_output(struct scx_probe_ctx *ctx);
bool probe_sched_output_applies(const json_t *report, const char **why);
