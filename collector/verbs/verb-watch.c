// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report watch`: options and help; the watcher is collector/watch/,
 * the spool format probes/spool.h (`scx-report list` is verb-list.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"
#include "util.h"
#include "verbs.h"
#include "watch.h"

enum { OPT_SPOOL = 0x100, OPT_MAX_COUNT, OPT_MAX_MIB, OPT_EXIT_AFTER, OPT_SETTLE };

static const struct option watch_options[] = {
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "max-count", required_argument, NULL, OPT_MAX_COUNT },
	{ "max-mib", required_argument, NULL, OPT_MAX_MIB },
	{ "exit-after", required_argument, NULL, OPT_EXIT_AFTER },
	{ "settle-ms", required_argument, NULL, OPT_SETTLE },
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
