// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fdinfo scan and the process description of the scheduler identity
 * probe, on fixture /proc trees (tests/data/proc-*, README-proc.md) and on
 * the real 7.2.13 capture in tests/data/sched_ext-7.2.13.
 */
#include <limits.h>
#include <linux/bpf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "identity.h"

static char sysroot[PATH_MAX];
static struct scx_probe_opts opts = { .sysroot = sysroot };

static struct scx_probe_ctx *ctx_for(const char *tree)
{
	static struct scx_probe_ctx ctx;
	const char *base = getenv("SCX_TEST_DATA");

	assert_non_null(base);
	snprintf(sysroot, sizeof(sysroot), "%s/%s", base, tree);
	memset(&ctx, 0, sizeof(ctx));
	ctx.name = "scheduler";
	ctx.opts = &opts;
	return &ctx;
}

static void test_fdinfo_parse(void **state)
{
	struct sched_fdinfo f;

	(void)state;
	sched_fdinfo_parse("pos:\t0\nmap_type:\t26\nmap_id:\t4\nfrozen:\t0\n", &f);
	assert_int_equal(f.map_type, 26);
	assert_int_equal(f.map_id, 4);
	assert_int_equal(f.prog_id, 0);
	sched_fdinfo_parse("prog_type:\t27\nprog_tag:\ta155558ab2830a85\nprog_id:\t6\n", &f);
	assert_int_equal(f.prog_type, 27);
	assert_int_equal(f.prog_id, 6);
	assert_string_equal(f.prog_tag, "a155558ab2830a85");
	assert_int_equal(f.map_type, -1);
	sched_fdinfo_parse("link_type:\tstruct_ops\nlink_id:\t8\nprog_id:\t0\nmap_id:\t21\n", &f);
	assert_string_equal(f.link_type, "struct_ops");
	assert_int_equal(f.link_id, 8);
	assert_int_equal(f.map_id, 21);
	/* A regular file's fdinfo names no BPF object. */
	sched_fdinfo_parse("pos:\t158\nflags:\t0100001\nmnt_id:\t31\nino:\t19\n", &f);
	assert_int_equal(f.map_id + f.prog_id + f.link_id, 0);
}

static void test_scan_heuristic(void **state)
{
	json_t *holders = NULL;
	unsigned unreadable = 99;
	int n;

	(void)state;
	/* Without BPF ids: holders of struct_ops maps only; pid 900's array map is not one. */
	n = sched_procscan(ctx_for("proc-manual"), NULL, &holders, &unreadable);
	assert_int_equal(n, 1);
	assert_int_equal(unreadable, 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(holders, 0), "pid")), 812);
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(json_object_get(json_array_get(holders, 0), "fds"), 0), "map_id")), 4);
	json_decref(holders);

	n = sched_procscan(ctx_for("proc-orphan"), NULL, &holders, NULL);
	assert_int_equal(n, 0);
	json_decref(holders);
}

static void test_scan_ids(void **state)
{
	struct sched_bpf_ids ids = { .map_ids = { 4 }, .n_maps = 1, .prog_ids = { 6, 7 }, .n_progs = 2 };
	json_t *holders = NULL, *fds;
	int n;

	(void)state;
	n = sched_procscan(ctx_for("proc-manual"), &ids, &holders, NULL);
	assert_int_equal(n, 1);
	fds = json_object_get(json_array_get(holders, 0), "fds");
	assert_int_equal(json_array_size(fds), 3);	/* map 4, progs 6 and 7; not array map 3 */
	json_decref(holders);

	/* Ids that nobody holds: nothing (registered without a process). */
	ids.map_ids[0] = 40;
	ids.prog_ids[0] = 60;
	ids.prog_ids[1] = 70;
	n = sched_procscan(ctx_for("proc-manual"), &ids, &holders, NULL);
	assert_int_equal(n, 0);
	json_decref(holders);

	/* The link: its fdinfo names prog_id 0 and map_id 21 too, it counts as the link. */
	struct sched_bpf_ids lids = { .map_ids = { 99 }, .n_maps = 1, .link_ids = { 8 }, .n_links = 1 };
	n = sched_procscan(ctx_for("proc-systemd"), &lids, &holders, NULL);
	assert_int_equal(n, 1);
	fds = json_object_get(json_array_get(holders, 0), "fds");
	assert_int_equal(json_array_size(fds), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(fds, 0), "link_id")), 8);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(fds, 0), "fd")), 9);
	json_decref(holders);
}

static void test_process_info(void **state)
{
	json_t *p = sched_process_info(ctx_for("proc-manual"), 812), *parents, *r;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(p, "comm")), "scx_fifo");
	assert_int_equal(json_integer_value(json_object_get(p, "uid")), 1000);
	assert_string_equal(json_string_value(json_object_get(p, "cgroup")),
			    "/user.slice/user-1000.slice/session-3.scope");
	assert_int_equal(json_array_size(json_object_get(p, "cmdline")), 3);
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "cmdline"), 1)), "--slice-us");
	parents = json_object_get(p, "parents");
	assert_int_equal(json_array_size(parents), 3);	/* bash, sshd, systemd */
	assert_string_equal(json_string_value(json_object_get(json_array_get(parents, 0), "comm")), "bash");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(parents, 1), "pid")), 650);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(parents, 2), "pid")), 1);
	/* 5000 ticks at USER_HZ (100 on every Linux ABI) = 50 s after boot. */
	assert_true(json_real_value(json_object_get(p, "start_time")) > 49.9);
	assert_true(json_real_value(json_object_get(p, "start_time")) < 50.1);
	json_decref(p);

	r = sched_restart_info(ctx_for("proc-manual"), 812);
	assert_int_equal(json_array_size(json_object_get(r, "argv")), 3);
	/* Values that shape a scheduler are kept; of the rest only the names. */
	assert_int_equal(json_array_size(json_object_get(r, "env")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "env"), 0)), "PATH=/usr/bin:/bin");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "env"), 1)), "SCX_DEBUG=1");
	assert_int_equal(json_array_size(json_object_get(r, "env_withheld")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "env_withheld"), 0)), "HOME");
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "env_withheld"), 1)), "GITHUB_TOKEN");
	{
		char *text = json_dumps(r, 0);

		assert_null(strstr(text, "ghp_s3cretvalue"));
		free(text);
	}
	assert_int_equal(json_integer_value(json_object_get(r, "uid")), 1000);
	assert_int_equal(json_integer_value(json_object_get(r, "gid")), 1000);
	json_decref(r);
}

/* The real capture: the loader pid 138 of ringo, whose tree has only fdinfo, cmdline.txt, sched. */
static void test_real_capture(void **state)
{
	static struct scx_probe_ctx ctx;
	const char *data = getenv("SCX_TEST_DATA");
	json_t *holders = NULL, *p;
	int n;

	(void)state;
	if (!data)
		skip();
	snprintf(sysroot, sizeof(sysroot), "%s/sched_ext-7.2.13/2-enabled", data);
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = &opts;
	n = sched_procscan(&ctx, NULL, &holders, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(holders, 0), "pid")), 138);
	json_decref(holders);

	p = sched_process_info(&ctx, 138);
	assert_string_equal(json_string_value(json_object_get(p, "comm")), "scx_ringo");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "cmdline"), 0)),
			    "/usr/local/bin/scx_ringo");
	assert_null(json_object_get(p, "uid"));
	json_decref(p);
}

static void test_parsers(void **state)
{
	char comm[64], cg[256];
	uint64_t start;
	pid_t ppid;
	long v;

	(void)state;
	/* A comm with spaces and parentheses: the last ')' ends it. */
	assert_int_equal(sched_parse_stat("42 (a (b) c) S 7 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1234 0 0",
					  &ppid, &start, comm, sizeof(comm)), 0);
	assert_string_equal(comm, "a (b) c");
	assert_int_equal(ppid, 7);
	assert_int_equal(start, 1234);
	assert_int_equal(sched_parse_stat("42 (x) S 7", &ppid, &start, comm, sizeof(comm)), -EINVAL);
	assert_int_equal(sched_parse_status_ids("Name:\tx\nUid:\t5\t5\t5\t5\n", "Uid", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(sched_parse_status_ids("Name:\tx\n", "Uid", &v), -ENOENT);
	/* cgroup v1 + v2 lines: the unified one wins. */
	assert_int_equal(sched_parse_cgroup("4:memory:/m\n0::/system.slice/scx.service\n", cg, sizeof(cg)), 0);
	assert_string_equal(cg, "/system.slice/scx.service");
	assert_int_equal(sched_parse_cgroup("4:memory:/m\n", cg, sizeof(cg)), 0);
	assert_string_equal(cg, "/m");
}

/* A BPF map of our own, and its id; -1 without the privilege. */
static int own_map(uint32_t *ret_id)
{
	struct bpf_map_info info;
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(unsigned long)&info;
	if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	*ret_id = info.id;
	return fd;
}

/* The only holder of a map of ours is us, at its fd: by the kernel's iterator and by /proc alike. */
static void check_holders(json_t *holders, int fd, uint32_t id)
{
	json_t *h = json_array_get(holders, 0), *f = json_array_get(json_object_get(h, "fds"), 0);

	assert_int_equal(json_array_size(holders), 1);
	assert_int_equal(json_integer_value(json_object_get(h, "pid")), getpid());
	assert_int_equal(json_array_size(json_object_get(h, "fds")), 1);
	assert_int_equal(json_integer_value(json_object_get(f, "fd")), fd);
	assert_int_equal(json_integer_value(json_object_get(f, "map_id")), id);
}

static void test_holders_live(void **state)
{
	struct scx_probe_ctx ctx = { .name = "scheduler" };
	struct sched_bpf_ids ids;
	json_t *holders = NULL;
	uint32_t id = 0;
	int fd = own_map(&id), r;

	(void)state;
	if (fd < 0)
		skip();		/* not root */
	memset(&ids, 0, sizeof(ids));
	ids.map_ids[ids.n_maps++] = id;
	r = sched_holders_iter(&ids, &holders);
	if (r >= 0) {
		check_holders(holders, fd, id);
		json_decref(holders);
	}
	setenv("SCX_HOLDERS_PROCFS", "1", 1);
	holders = NULL;
	assert_int_equal(sched_procscan(&ctx, &ids, &holders, NULL), 1);
	check_holders(holders, fd, id);
	json_decref(holders);
	unsetenv("SCX_HOLDERS_PROCFS");
	close(fd);
	assert_true(r >= 0);	/* the iterator loads wherever a map can be created as root (5.8+) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fdinfo_parse),
		cmocka_unit_test(test_scan_heuristic),
		cmocka_unit_test(test_scan_ids),
		cmocka_unit_test(test_process_info),
		cmocka_unit_test(test_real_capture),
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_holders_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
