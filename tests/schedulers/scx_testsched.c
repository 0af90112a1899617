// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scx_testsched: the loader of the VM test schedulers, behaving like an scx scheduler binary.
 *
 * It stays in the foreground holding the scheduler's BPF object (map and program fds) and its
 * struct_ops link, prints a start line with its name and version, detaches on SIGINT/SIGTERM,
 * and when the scheduler stops prints the exit kind, reason, message and the kernel's debug
 * dump, which ops.exit copied into the global `uei` (see scx_test.h). It exits 1 on an error
 * exit (kind >= SCX_EXIT_ERROR), 0 otherwise.
 *
 * build.sh links it once per scheduler with the BPF object embedded (scx_fifo, scx_stall, ...),
 * like the single-binary scx schedulers; the plain scx_testsched takes an object path instead.
 *
 * Written for Debian 12's libbpf 1.1, which predates struct_ops links: the map is created with
 * BPF_F_LINK and, after bpf_map__attach_struct_ops() filled in its value, a real struct_ops link
 * is created with bpf_link_create() (kernel >= 6.4), so the process holds a bpf_link fd like the
 * scx schedulers built with newer libbpf. --legacy-attach (or a kernel without struct_ops links)
 * registers through the map update alone, with no link fd, as libbpf 1.1 does by itself.
 * --register-only does that and exits, leaving the scheduler registered with no process holding
 * it, as `bpftool struct_ops register` does (bpftool cannot load these objects: it does not make
 * the "_sleepable" programs sleepable).
 * .bss is mmapped here because only skeletons get it shared with the kernel in that version.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "scx_test.h"
#include "stats_server.h"

#ifndef SCX_TEST_VERSION
#define SCX_TEST_VERSION "0.1.0"
#endif
#define SCX_TEST_TRIPLE "x86_64-unknown-linux-gnu"
#define SCX_EXIT_ERROR 1024
/* Linux 6.4 uapi, missing from Debian 12's headers. */
#define SCX_TEST_BPF_F_LINK (1U << 13)
#define SCX_TEST_BPF_STRUCT_OPS 44

/* Set by build.sh through an .incbin stub; absent in the generic scx_testsched. */
extern const char scx_test_obj_start[] __attribute__((weak));
extern const char scx_test_obj_end[] __attribute__((weak));

static const char *prog_name = "scx_testsched";
static const char *stats_mode, *stats_path;
static int verbose, legacy_attach, register_only;
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static const char *exit_kind_name(int kind)
{
	switch (kind) {
	case 0: return "NONE";
	case 1: return "DONE";
	case 64: return "UNREG";
	case 65: return "UNREG_BPF";
	case 66: return "UNREG_KERN";
	case 67: return "SYSRQ";
	case 68: return "PARENT";
	case 1024: return "ERROR";
	case 1025: return "ERROR_BPF";
	case 1026: return "ERROR_STALL";
	default: return "UNKNOWN";
	}
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [-v] [--legacy-attach|--register-only] [--stats[=good|hang|flood|badjson]]\n"
		"       [--stats-path PATH] [--version] [--help]%s\n",
		prog_name,
		scx_test_obj_start ? "" : " OBJECT.bpf.o");
}

/* Offset of the global `uei` inside the .bss map, from the object's BTF. */
static int find_uei_offset(struct bpf_object *obj)
{
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;
	int id, i;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC);
	if (id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), "uei") == 0)
			return (int)vs->offset;
	}
	return -ENOENT;
}

static struct bpf_map *find_map(struct bpf_object *obj, enum bpf_map_type type, const char *suffix)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t n = strlen(name), s = suffix ? strlen(suffix) : 0;

		if (bpf_map__type(map) != type)
			continue;
		if (!suffix || (n >= s && strcmp(name + n - s, suffix) == 0))
			return map;
	}
	return NULL;
}

/* See BPF_STRUCT_OPS_SLEEPABLE in scx_test.bpf.h. */
static void mark_sleepable(struct bpf_object *obj)
{
	static const char suffix[] = "_sleepable";
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		size_t n = strlen(name);

		if (n > sizeof(suffix) - 1 && !strcmp(name + n - (sizeof(suffix) - 1), suffix))
			bpf_program__set_flags(prog, bpf_program__flags(prog) | BPF_F_SLEEPABLE);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void report_exit(const volatile struct scx_test_uei *uei)
{
	printf("%s: EXIT: kind=%d (%s) exit_code=%lld cpu=%d reason='%s'\n", prog_name, uei->kind,
	       exit_kind_name(uei->kind), uei->exit_code, uei->exit_cpu, (const char *)uei->reason);
	if (uei->msg[0])
		printf("%s: EXIT: msg='%s'\n", prog_name, (const char *)uei->msg);
	if (uei->dump[0]) {
		/* The kernel's dump, as scx's UEI_REPORT prints it. */
		fprintf(stderr, "DEBUG DUMP\n");
		fprintf(stderr, "================================================================================\n\n");
		fputs((const char *)uei->dump, stderr);
		if (uei->dump[strlen((const char *)uei->dump) - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "\n================================================================================\n\n");
	}
	fflush(stdout);
	fflush(stderr);
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct bpf_object *obj = NULL;
	struct bpf_map *ops_map, *bss_map;
	struct bpf_link *link = NULL;
	int link_fd = -1;
	const volatile struct scx_test_uei *uei;
	const char *obj_path = NULL, *slash;
	void *bss = MAP_FAILED;
	size_t bss_len = 0;
	int uei_off, err, i, ret = 1;
	struct sigaction sa;
	double t0;

	slash = strrchr(argv[0], '/');
	prog_name = slash ? slash + 1 : argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			printf("%s %s %s\n", prog_name, SCX_TEST_VERSION, SCX_TEST_TRIPLE);
			return 0;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = 1;
		} else if (!strcmp(argv[i], "--legacy-attach")) {
			legacy_attach = 1;
		} else if (!strcmp(argv[i], "--register-only")) {
			/* Like `bpftool struct_ops register`: no link, and leave it registered. */
			legacy_attach = register_only = 1;
		} else if (!strcmp(argv[i], "--stats") || !strncmp(argv[i], "--stats=", 8)) {
			/* An scx_stats server (stats_server.c); the mode is for hostile tests. */
			stats_mode = argv[i][7] == '=' ? argv[i] + 8 : "good";
		} else if (!strcmp(argv[i], "--stats-path") && i + 1 < argc) {
			stats_path = argv[++i];
		} else if (argv[i][0] != '-' && !obj_path && !scx_test_obj_start) {
			obj_path = argv[i];
		} else {
			fprintf(stderr, "%s: unknown argument '%s'\n", prog_name, argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!scx_test_obj_start && !obj_path) {
		usage(stderr);
		return 2;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_print);
	printf("%s %s %s\n", prog_name, SCX_TEST_VERSION, SCX_TEST_TRIPLE);

	t0 = now_s();
	if (obj_path) {
		obj = bpf_object__open_file(obj_path, &open_opts);
	} else {
		open_opts.object_name = prog_name;
		obj = bpf_object__open_mem(scx_test_obj_start,
					   (size_t)(scx_test_obj_end - scx_test_obj_start), &open_opts);
	}
	if (!obj) {
		fprintf(stderr, "%s: cannot open BPF object %s: %s\n", prog_name,
			obj_path ? obj_path : "(embedded)", strerror(errno));
		return 1;
	}
	ops_map = find_map(obj, BPF_MAP_TYPE_STRUCT_OPS, NULL);
	if (!ops_map) {
		fprintf(stderr, "%s: no struct_ops map in the BPF object\n", prog_name);
		goto out;
	}
	mark_sleepable(obj);
	if (!legacy_attach)
		bpf_map__set_map_flags(ops_map, bpf_map__map_flags(ops_map) | SCX_TEST_BPF_F_LINK);
	err = bpf_object__load(obj);
	if (err && !legacy_attach) {
		/* A kernel without struct_ops links (< 6.4): register the legacy way. */
		fprintf(stderr, "%s: loading with BPF_F_LINK failed (%s), retrying without a link\n",
			prog_name, strerror(-err));
		bpf_object__close(obj);
		legacy_attach = 1;
		obj = obj_path ? bpf_object__open_file(obj_path, &open_opts)
			       : bpf_object__open_mem(scx_test_obj_start,
						      (size_t)(scx_test_obj_end - scx_test_obj_start),
						      &open_opts);
		if (!obj || !(ops_map = find_map(obj, BPF_MAP_TYPE_STRUCT_OPS, NULL))) {
			fprintf(stderr, "%s: cannot reopen the BPF object\n", prog_name);
			return 1;
		}
		mark_sleepable(obj);
		err = bpf_object__load(obj);
	}
	if (err) {
		fprintf(stderr, "%s: loading the BPF object failed: %s\n", prog_name, strerror(-err));
		goto out;
	}

	bss_map = find_map(obj, BPF_MAP_TYPE_ARRAY, ".bss");
	uei_off = find_uei_offset(obj);
	if (!bss_map || uei_off < 0) {
		fprintf(stderr, "%s: no `uei` global in .bss\n", prog_name);
		goto out;
	}
	bss_len = bpf_map__value_size(bss_map);
	bss_len = (bss_len + (size_t)getpagesize() - 1) & ~((size_t)getpagesize() - 1);
	bss = mmap(NULL, bss_len, PROT_READ, MAP_SHARED, bpf_map__fd(bss_map), 0);
	if (bss == MAP_FAILED) {
		fprintf(stderr, "%s: cannot mmap %s: %s\n", prog_name, bpf_map__name(bss_map),
			strerror(errno));
		goto out;
	}
	uei = (const volatile struct scx_test_uei *)((const char *)bss + uei_off);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* With BPF_F_LINK this only writes the map value; the link below registers. */
	link = bpf_map__attach_struct_ops(ops_map);
	if (!link) {
		err = -errno;
		fprintf(stderr, "%s: attaching struct_ops map %s failed: %s\n", prog_name,
			bpf_map__name(ops_map), strerror(-err));
		goto out;
	}
	if (!legacy_attach) {
		link_fd = bpf_link_create(bpf_map__fd(ops_map), 0, SCX_TEST_BPF_STRUCT_OPS, NULL);
		if (link_fd < 0) {
			fprintf(stderr, "%s: creating the struct_ops link for %s failed: %s\n",
				prog_name, bpf_map__name(ops_map), strerror(-link_fd));
			goto out;
		}
	}
	if (register_only) {
		/* The registration outlives every fd: only SysRq-S, an error exit or
		 * `bpftool struct_ops unregister` ends it. */
		bpf_link__disconnect(link);
		printf("%s: scheduler registered: struct_ops %s left registered with no process\n",
		       prog_name, bpf_map__name(ops_map));
		ret = 0;
		goto out;
	}
	printf("%s: scheduler started: struct_ops %s attached %s in %.3fs (pid %d)\n", prog_name,
	       bpf_map__name(ops_map), legacy_attach ? "without a link" : "with a link",
	       now_s() - t0, (int)getpid());

	if (stats_mode) {
		err = stats_server_start(stats_path, stats_mode, prog_name);
		if (err)
			fprintf(stderr, "%s: cannot serve stats (%s): %s\n", prog_name, stats_mode, strerror(-err));
		else
			printf("%s: serving scx_stats (%s) at %s\n", prog_name, stats_mode,
			       stats_path ? stats_path : "/var/run/scx/root/stats");
	}
	while (!stop_signal && uei->kind == 0)
		stats_server_poll(100);
	stats_server_stop();

	if (stop_signal)
		printf("%s: got signal %d, detaching\n", prog_name, (int)stop_signal);
	/* Detach in every case: another scheduler cannot load while our link exists. */
	if (link_fd >= 0)
		close(link_fd);
	link_fd = -1;
	bpf_link__destroy(link);
	link = NULL;
	for (i = 0; i < 50 && uei->kind == 0; i++)
		sleep_ms(20);

	report_exit(uei);
	ret = uei->kind >= SCX_EXIT_ERROR ? 1 : 0;
out:
	if (link_fd >= 0)
		close(link_fd);
	if (link)
		bpf_link__destroy(link);
	if (bss != MAP_FAILED)
		munmap(bss, bss_len);
	bpf_object__close(obj);
	return ret;
}
