// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report watch` and `scx-report list`: options and help; the watcher
 * is collector/watch/, the spool format probes/spool.h.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "spool.h"
#include "util.h"
#include "verbs.h"
#include "watch.h"

enum { OPT_SPOOL = 0x100, OPT_MAX_COUNT, OPT_MAX_MIB, OPT_EXIT_AFTER, OPT_SETTLE, OPT_JSON };

static const struct option watch_options[] = {
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "max-count", required_argument, NULL, OPT_MAX_COUNT },
	{ "max-mib", required_argument, NULL, OPT_MAX_MIB },
	{ "exit-after", required_argument, NULL, OPT_EXIT_AFTER },
	{ "settle-ms", required_argument, NULL, OPT_SETTLE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

void help_watch(FILE *f)
{
	fprintf(f,
		"Usage: scx-report watch [--spool DIR] [--max-count N] [--max-mib N]\n"
		"\n"
		"Wait for sched_ext ejections (kernel uevents; no polling) and write a snapshot\n"
		"bundle with the kernel's debug dump into the spool for each. Runs until SIGTERM;\n"
		"meant to run as a service (scx-report-watch.service). Needs root.\n"
		"\n"
		"      --spool DIR        where captures go (default " SCX_SPOOL_DIR ", made 0700)\n"
		"      --max-count N      captures kept, newest first (default 10)\n"
		"      --max-mib N        MiB of captures kept (default 64)\n"
		"      --exit-after N     exit after N captures (tests)\n"
		"      --settle-ms MS     wait after an ejection for the scheduler's last output\n"
		"                         (default 2000)\n"
		"  -h, --help             this help\n");
}

void help_list(FILE *f)
{
	fprintf(f,
		"Usage: scx-report list [--spool DIR] [--json]\n"
		"\n"
		"List the captures of scx-report watch, oldest first: time, boot, scheduler, size.\n"
		"\n"
		"      --spool DIR        the spool (default " SCX_SPOOL_DIR ")\n"
		"      --json             one JSON array\n"
		"  -h, --help             this help\n");
}

static int parse_u64(const char *verb, const char *opt, const char *s, uint64_t min, uint64_t max,
		     uint64_t *ret)
{
	if (safe_atou64(s, ret) < 0 || *ret < min || *ret > max) {
		scx_log_error("%s: %s: '%s' is not a whole number from %" PRIu64 " to %" PRIu64, verb,
			      opt, s, min, max);
		return -EINVAL;
	}
	return 0;
}

int verb_watch(int argc, char **argv)
{
	struct scx_watch_opts o = { .spool = SCX_SPOOL_DIR, .max_count = 10, .max_bytes = 64ull << 20,
				    .settle_ms = 2000 };
	uint64_t v;
	int c;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", watch_options)) != -1) {
		switch (c) {
		case 'h': help_watch(stdout); return SCX_EXIT_OK;
		case OPT_SPOOL: o.spool = optarg; break;
		case OPT_MAX_COUNT:
			if (parse_u64("watch", "--max-count", optarg, 1, 10000, &v) < 0)
				return SCX_EXIT_USAGE;
			o.max_count = (unsigned)v;
			break;
		case OPT_MAX_MIB:
			if (parse_u64("watch", "--max-mib", optarg, 1, 1 << 20, &v) < 0)
				return SCX_EXIT_USAGE;
			o.max_bytes = v << 20;
			break;
		case OPT_EXIT_AFTER:
			if (parse_u64("watch", "--exit-after", optarg, 1, 1000000, &v) < 0)
				return SCX_EXIT_USAGE;
			o.max_captures = (unsigned)v;
			break;
		case OPT_SETTLE:
			if (parse_u64("watch", "--settle-ms", optarg, 0, 60000, &v) < 0)
				return SCX_EXIT_USAGE;
			o.settle_ms = (unsigned)v;
			break;
		default:
			help_watch(stderr);
			return SCX_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		scx_log_error("watch: unexpected argument '%s'", argv[optind]);
		return SCX_EXIT_USAGE;
	}
	/* Refuse at once what could only wait forever. */
	if (geteuid() != 0) {
		scx_log_error("watch: needs root (kernel uevents, tracefs and the spool %s); run it as "
			      "root or enable scx-report-watch.service", o.spool);
		return SCX_EXIT_FAIL;
	}
	if (access("/sys/kernel/sched_ext", F_OK) < 0 && errno == ENOENT) {
		scx_log_error("watch: this kernel has no sched_ext (no /sys/kernel/sched_ext): "
			      "there is nothing to watch");
		return SCX_EXIT_FAIL;
	}
	return scx_watch_run(&o) < 0 ? SCX_EXIT_FAIL : SCX_EXIT_OK;
}

int verb_list(int argc, char **argv)
{
	const char *spool = SCX_SPOOL_DIR;
	struct scx_spool_entry *v = NULL;
	bool json = false, spool_given = false;
	size_t n = 0;
	int c, r;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", watch_options)) != -1) {
		switch (c) {
		case 'h': help_list(stdout); return SCX_EXIT_OK;
		case OPT_SPOOL: spool = optarg; spool_given = true; break;
		case OPT_JSON: json = true; break;
		default:
			help_list(stderr);
			return SCX_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		scx_log_error("list: unexpected argument '%s'", argv[optind]);
		return SCX_EXIT_USAGE;
	}
	r = scx_spool_list(spool, &v, &n);
	/* The default spool is missing until watch first runs; a folder given by hand must be there. */
	if (r == -ENOENT && spool_given) {
		char why[PATH_MAX + 64];

		scx_path_problem(why, sizeof(why), spool, r, SCX_PATH_DIR);
		scx_log_error("list: --spool %s", why);
		return SCX_EXIT_FAIL;
	} else if (r == -ENOENT) {
		n = 0;
	} else if (r < 0) {
		scx_log_error("list: %s: %s", spool, strerror(-r));
		return SCX_EXIT_FAIL;
	}
	if (json) {
		json_t *a = json_array();
		char *s;

		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:I}", "file", v[i].name,
							   "time", v[i].time, "boot_id", v[i].boot_id,
							   "ops", v[i].ops, "bytes", (json_int_t)v[i].bytes));
		s = json_dumps(a, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(a);
	} else if (!n) {
		printf("no captures in %s\n", spool);
	} else {
		char boot[33] = "";

		scx_boot_id("", boot);
		printf("%-16s  %-8s  %-28s  %8s  %s\n", "TIME", "BOOT", "SCHEDULER", "KIB", "FILE");
		for (size_t i = 0; i < n; i++)
			printf("%-16s  %-8s  %-28s  %8" PRIu64 "  %s/%s\n", v[i].time,
			       !strcmp(v[i].boot_id, boot) ? "this" : v[i].boot_id + 24, v[i].ops,
			       (v[i].bytes + 1023) / 1024, spool, v[i].name);
	}
	free(v);
	return SCX_EXIT_OK;
}
