/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scheduler identity probe (probes/scheduler.c) and its parts, one
 * concern per file: the BPF object walk (bpf-walk.c), the /proc fdinfo scan
 * (holders.c), the scx ops.name parser (ops-name.c), the binary's
 * provenance (provenance.c, pkg-parse.c), helper programs
 * (helper-output.c), the trusted lists (trusted.c) and the manager
 * (manager.c).  The parsers are pure functions over text so that the
 * unit tests feed them captured outputs.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe.h"
#include "spawn.h"

/* ---- ops-name.c: `<name>_<semver>[_g<sha>][_dirty]_<triple>` ---------- */

struct sched_name {
	char name[128];
	char version[64];	/* "" when the name is plain */
	char git_sha[48];
	bool dirty;
	char target[128];
	bool versioned;
};

/* Always succeeds for a non-empty name: a plain name stays plain. */
int sched_name_parse(const char *ops, struct sched_name *ret);

/* ---- bpf-walk.c: the kernel's BPF objects ------------------------------ */

#define SCHED_MAX_IDS 256

struct sched_bpf_ids {
	uint32_t map_ids[SCHED_MAX_IDS];	/* the sched_ext struct_ops map(s) */
	unsigned n_maps;
	uint32_t prog_ids[SCHED_MAX_IDS];	/* their struct_ops programs */
	unsigned n_progs;
	uint32_t link_ids[SCHED_MAX_IDS];	/* struct_ops links on those maps */
	unsigned n_links;
};

/*
 * Walk every BPF map, program and link; fill *ret_ids and *ret_json with the
 * sched_ext struct_ops map(s) and what belongs to them.  Needs root and a
 * kernel with BTF.  ret_ops_name gets the ops.name read from the map value
 * (may stay empty).
 */
int sched_bpf_walk(struct sched_bpf_ids *ret_ids, json_t **ret_json, char *ret_ops_name,
		   size_t ops_name_len, char *ret_why, size_t why_len);

/* ---- holders.c: who holds those objects -------------------------- */

/* One bpf fd's fdinfo: the ids and types it names (0 when absent). */
struct sched_fdinfo {
	uint32_t map_id, prog_id, link_id, btf_id;
	int map_type, prog_type;	/* -1 when absent */
	char link_type[32];
	char prog_tag[24];
};
void sched_fdinfo_parse(const char *text, struct sched_fdinfo *ret);

/*
 * Scan /proc/ * /fdinfo (under the sysroot) for fds holding the objects in
 * ids; with ids NULL (no BPF walk possible), holders of any struct_ops map
 * (map_type 26) or struct_ops link.  Returns the number of holders found and
 * sets *ret_holders to a JSON array of {pid, fds [{fd, map_id|prog_id|link_id}]},
 * *ret_unreadable to the number of processes whose fdinfo could not be read.
 */
int sched_procscan(const struct scx_probe_ctx *ctx, const struct sched_bpf_ids *ids,
		   json_t **ret_holders, unsigned *ret_unreadable);

/* ---- holders-iter.c: the same, asked of the kernel (a BPF task_file iterator) ---- */

/* The processes holding any of ids' objects (as sched_procscan); -errno when it cannot load. */
int sched_holders_iter(const struct sched_bpf_ids *ids, json_t **ret_holders);

/* pid, comm, cmdline, uid, start_time, cgroup, parents [{pid, comm}]. */
json_t *sched_process_info(const struct scx_probe_ctx *ctx, pid_t pid);
/* What a paired run needs to restart it: argv, env, cwd, uid, gid. */
json_t *sched_restart_info(const struct scx_probe_ctx *ctx, pid_t pid);

/* Parsers of /proc/PID files (pure). */
int sched_parse_stat(const char *text, pid_t *ret_ppid, uint64_t *ret_start_ticks,
		     char *ret_comm, size_t comm_len);
int sched_parse_status_ids(const char *text, const char *key, long *ret_first);
/* The unified-hierarchy path ("0::/x"), else the first line's path. */
int sched_parse_cgroup(const char *text, char *ret_path, size_t len);
/* NUL-separated strings into a JSON array of strings. */
json_t *sched_nul_list(const char *buf, size_t len);
/* Whether a NAME=value of the scheduler's environment keeps its value in the report. */
bool sched_env_value_kept(const char *entry);

/* ---- helper-output.c: helper programs (dpkg, rpm, systemctl, journalctl) --- */

/* Helper programs run through scx_spawn() (lib/spawn.h). */
/* Save "$ argv...\n" + output + "[exit N]" under the probe's folder. */
void sched_save_cmd(struct scx_probe_ctx *ctx, const char *rel, const char *const argv[],
		    const struct scx_cmd *c);

/* ---- provenance.c: the binary and its package --------------------- */

/*
 * Fill sched (the report's scheduler object) with exe, sha256, build_id,
 * package, provenance and provenance_reason for the process pid.
 */
int sched_provenance(struct scx_probe_ctx *ctx, pid_t pid, json_t *sched);

/* ELF build-id of an open file as hex (libelf), -ENOENT when it has none. */
int sched_elf_build_id(int fd, char *ret_hex, size_t len);

/* ---- pkg-parse.c: dpkg and rpm outputs (pure parsers) ------------------- */

/* `dpkg-query -S PATH`: the package owning PATH ("pkg" or "pkg:arch"). */
int sched_dpkg_parse_search(const char *out, const char *path, char *ret_pkg, size_t len);
/* `dpkg --verify PKG`: appends {path, flags} of each changed file to files. */
int sched_dpkg_parse_verify(const char *out, json_t *files);
/* PKG.md5sums: the md5 of path (with or without its leading '/'). */
int sched_dpkg_md5_for(const char *md5sums, const char *path, char ret_md5[33]);
/* `apt-cache policy PKG`: origin of the installed version. */
int sched_apt_parse_origin(const char *out, char *ret_origin, size_t len);
/* `rpm -qf --qf ...` in the format of SCHED_RPM_QF: name, version, vendor, key. */
#define SCHED_RPM_QF "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\t%{SIGPGP:pgpsig}\\t%{RSAHEADER:pgpsig}\\n"
struct sched_rpm_info {
	char name[128], version[128], vendor[128], signature[256];
};
int sched_rpm_parse_qf(const char *out, struct sched_rpm_info *ret);
/* `rpm -V PKG`: appends {path, flags} of each changed file to files. */
int sched_rpm_parse_verify(const char *out, json_t *files);
/* Is path among files with a changed digest (or missing)? */
bool sched_pkg_file_modified(const json_t *files, const char *path);

/* ---- trusted.c: trusted.d lists ----------------------------------- */

/*
 * Match sched's sha256 and bpf.programs[].tag against the trusted lists;
 * set sched.trusted (or null) and sched.trust_warning.  files_read gets the
 * list files that were read, errors any file that could not be used.
 */
int sched_trusted_match(struct scx_probe_ctx *ctx, json_t *sched, json_t *files_read,
			json_t *errors);
/* Match against one parsed list (for tests): 1 matched, 0 not, sets *ret_entry. */
int sched_trusted_match_list(const json_t *list, const char *sha256, const json_t *tags,
			     const json_t **ret_entry, bool *ret_name_known, const char *name);

/* ---- manager.c: what started it ----------------------------------- */

/* Fill manager, manager_evidence, unit, unit_props, loader for the process. */
int sched_manager_detect(struct scx_probe_ctx *ctx, const json_t *process, json_t *sched);
/*
 * With no scheduler running: find the scheduler unit's journal of this boot
 * (scx.service, scx_loader.service), keep it and attach any debug dump to the
 * matching error event of the history; sets *ret_history when amended.
 */
int sched_manager_after_exit(struct scx_probe_ctx *ctx, json_t *sched, json_t **ret_history);

/* Debug-dump blocks in journal text (pure): array of {mono_s, lines [..]}. */
json_t *sched_journal_dumps(const char *journal);
/* Attach dumps to the error events of history (a copy); NULL when none fit. */
json_t *sched_history_attach_dumps(const json_t *history, const json_t *dumps);
/* "[   12.345678] host ident[pid]: message": its time and message (manager.c). */
bool sched_journal_line(const char *line, size_t n, double *ret_s, const char **ret_msg,
			size_t *ret_len);

/* ---- unit-journal.c: the unit's journal through the kernel log parser ---- */
/* History events (exits, dumps, load failures) from journal text (pure). */
json_t *sched_journal_events(const char *journal);
/* history + those events (a copy, time order); NULL when they add nothing. */
json_t *sched_history_merge(const json_t *history, const json_t *events, const char *unit);
/* `systemctl show` key=value lines into an object. */
json_t *sched_parse_keyvalues(const char *text);
/*
 * The unit name from a cgroup path (".../scx.service" -> "scx.service"); under a
 * user manager it is user@UID.service, never a unit of that user's manager.
 */
int sched_unit_from_cgroup(const char *cgroup, char *ret_unit, size_t len);
