// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report collect`: options and help; the collection itself is collect/collect.c. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "collect.h"
#include "latency-api.h"
#include "redact-opts.h"
#include "util.h"
#include "validate.h"
#include "verbs.h"
#include "workload.h"

enum {
	OPT_NO_LATENCY = 0x100, OPT_NO_PAIRED, OPT_DURATION, OPT_SYSROOT, OPT_PID, OPT_CGROUP,
	OPT_TRUSTED, OPT_WORKLOAD, OPT_WORKLOAD_CMD, OPT_ROUNDS, OPT_CALIBRATE, OPT_NO_EARLY_STOP,
	OPT_ALLOW_RESTART, OPT_BOOTS, OPT_DUMP, OPT_LATENCY_SOURCE,
};

static const struct option collect_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-latency", no_argument, NULL, OPT_NO_LATENCY },
	{ "no-paired", no_argument, NULL, OPT_NO_PAIRED },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "latency-source", required_argument, NULL, OPT_LATENCY_SOURCE },
	{ "trusted", required_argument, NULL, OPT_TRUSTED },
	{ "workload", required_argument, NULL, OPT_WORKLOAD },
	{ "workload-cmd", no_argument, NULL, OPT_WORKLOAD_CMD },
	{ "rounds", required_argument, NULL, OPT_ROUNDS },
	{ "boots", required_argument, NULL, OPT_BOOTS },
	{ "calibrate", no_argument, NULL, OPT_CALIBRATE },
	{ "no-early-stop", no_argument, NULL, OPT_NO_EARLY_STOP },
	{ "allow-restart", no_argument, NULL, OPT_ALLOW_RESTART },
	{ "dump", no_argument, NULL, OPT_DUMP },
	/* Not in --help: replay a captured tree (tests). Documented in the man page. */
	{ "redact", no_argument, NULL, SCX_OPT_REDACT },
	{ "redact-word", required_argument, NULL, SCX_OPT_REDACT_WORD },
	{ "redact-map", required_argument, NULL, SCX_OPT_REDACT_MAP },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ 0 }
};

void help_collect(FILE *f)
{
	fprintf(f,
		"Usage: scx-report collect [OPTIONS] [--workload-cmd -- CMD [ARGS...]]\n"
		"\n"
		"Collect a bundle: sched_ext state and history, the active scheduler's\n"
		"identity, kernel and hardware context, latency histograms, and (with a\n"
		"custom scheduler active, as root) a paired run against the default scheduler.\n"
		"\n"
		"  -o, --output FILE      bundle path; '-' is standard output (the default when it\n"
		"                         is not a terminal; on a terminal the default is\n"
		"                         scx-report-HOST-TIME.tar.zst)\n"
		"  -f, --force            replace an existing FILE\n"
		"  -q, --quiet            no progress messages\n"
		"      --no-latency       do not sample scheduling latency\n"
		"      --no-paired        do not run the paired comparison\n"
		"      --duration S       seconds of latency sampling, and of each paired run (default 5)\n"
		"      --pid PID          latency of this process's threads only\n"
		"      --cgroup PATH      latency of this cgroup's tasks only\n"
		"      --latency-source S run-delay (the kernel's own account, the default where it\n"
		"                         keeps one) or clock (scx-report's own clock readings:\n"
		"                         about twice the cost, sees a preempting wakeup's microseconds)\n"
		"      --trusted FILE     also trust the scheduler builds listed in FILE\n"
		"      --boots N          read this boot and N-1 earlier ones (default 2; 1: this one)\n"
		"      --dump             add the running scheduler's debug dump (SysRq-D; it\n"
		"                         stays loaded; written to the trace buffer only)\n"
		"      --workload NAME    paired-run workload: wakeup, pipe or mixed (default wakeup)\n"
		"      --workload-cmd -- CMD ARGS...\n"
		"                         run this reproducer on both schedulers instead\n"
		"      --rounds N         paired runs per side (default 5)\n"
		"      --calibrate        add default-vs-default rounds to measure the noise floor\n"
		"      --no-early-stop    run every round even when a gross difference is clear early\n"
		"      --allow-restart    allow restarting a scheduler that was started by hand\n"
		"      --redact           replace host, domain, user names, IP and MAC addresses\n"
		"                         by tokens; the map is written beside the bundle (0600)\n"
		"      --redact-word WORD also replace WORD (implies --redact; repeatable)\n"
		"      --redact-map FILE  read and extend this map (consistent tokens across runs)\n"
		"  -h, --help             this help\n");
}

void scx_refuse_terminal(void)
{
	scx_log_error("refusing to write a bundle to a terminal: redirect it (scx-report > bug.tar.zst) "
		      "or name a file (scx-report collect -o FILE)");
}

static int parse_uint(const char *opt, const char *s, unsigned min, unsigned max, unsigned *ret)
{
	uint64_t v;

	if (verb_parse_uint("collect", opt, s, min, max, &v) < 0)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

/* "wakeup, pipe, mixed": the names of the built-in workloads' one table. */
static const char *workload_list(void)
{
	static char buf[128];
	size_t off = 0;

	for (size_t i = 0; scx_workload_name(i) && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "",
					scx_workload_name(i));
	return buf;
}

int verb_collect(int argc, char **argv)
{
	static const char *trusted[16];
	static struct scx_redact_opts redact;
	struct scx_options opts = {
		.latency = true, .paired = true, .duration_s = 5, .sysroot = "",
		.workload = "wakeup", .rounds = 5, .trusted_files = trusted,
		.argc = argc, .argv = argv, .redact = &redact,
	};
	bool want_cmd = false;
	unsigned u;
	int c;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "o:fqh", collect_options)) != -1) {
		switch (c) {
		case 'o': opts.output = optarg; break;
		case 'f': opts.force = true; break;
		case 'q': scx_log_quiet = 1; break;
		case 'h': help_collect(stdout); return SCX_EXIT_OK;
		case OPT_NO_LATENCY: opts.latency = false; break;
		case OPT_NO_PAIRED: opts.paired = false; break;
		case OPT_DURATION:
			if (parse_uint("--duration", optarg, 1, 3600, &opts.duration_s) < 0)
				return SCX_EXIT_USAGE;
			break;
		case OPT_SYSROOT: opts.sysroot = optarg; break;
		case OPT_PID:
			if (parse_uint("--pid", optarg, 1, 1u << 30, &u) < 0)
				return SCX_EXIT_USAGE;
			opts.filter_pid = (pid_t)u;
			break;
		case OPT_CGROUP: opts.filter_cgroup = optarg; break;
		case OPT_LATENCY_SOURCE:
			if (scx_latency_source_parse(optarg, &opts.latency_source) < 0) {
				scx_log_error("collect: --latency-source '%s': expected run-delay or clock",
					      optarg);
				return SCX_EXIT_USAGE;
			}
			break;
		case OPT_TRUSTED:
			if (opts.n_trusted_files == ARRAY_SIZE(trusted)) {
				scx_log_error("collect: --trusted: at most %zu files", ARRAY_SIZE(trusted));
				return SCX_EXIT_USAGE;
			}
			trusted[opts.n_trusted_files++] = optarg;
			break;
		case OPT_WORKLOAD:
			if (!scx_workload_known(optarg)) {
				scx_log_error("collect: --workload: unknown workload '%s' (%s)", optarg,
					      workload_list());
				return SCX_EXIT_USAGE;
			}
			opts.workload = optarg;
			break;
		case OPT_WORKLOAD_CMD: want_cmd = true; break;
		case OPT_ROUNDS:
			if (parse_uint("--rounds", optarg, 1, 100, &opts.rounds) < 0)
				return SCX_EXIT_USAGE;
			break;
		case OPT_BOOTS:
			if (parse_uint("--boots", optarg, 1, 100, &opts.boots) < 0)
				return SCX_EXIT_USAGE;
			break;
		case OPT_CALIBRATE: opts.calibrate = true; break;
		case OPT_NO_EARLY_STOP: opts.no_early_stop = true; break;
		case OPT_ALLOW_RESTART: opts.allow_restart = true; break;
		case OPT_DUMP: opts.dump = true; break;
		case SCX_OPT_REDACT:
		case SCX_OPT_REDACT_WORD:
		case SCX_OPT_REDACT_MAP:
			if (scx_redact_opts_parse(&redact, c, optarg) < 0)
				return SCX_EXIT_USAGE;
			break;
		default:
			fprintf(stderr, "Try 'scx-report help collect'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (want_cmd) {
		if (optind >= argc) {
			scx_log_error("collect: --workload-cmd needs a command after '--'");
			return SCX_EXIT_USAGE;
		}
		opts.workload_cmd = argv + optind;
	} else if (optind < argc) {
		scx_log_error("collect: unexpected argument '%s'", argv[optind]);
		return SCX_EXIT_USAGE;
	}
	/* Not a terminal and no -o: the bundle goes to standard output (scx-report > bug.tar.zst). */
	if (!opts.output && !isatty(STDOUT_FILENO))
		opts.output = "-";
	if (opts.output && !strcmp(opts.output, "-") && isatty(STDOUT_FILENO)) {
		scx_refuse_terminal();
		return SCX_EXIT_USAGE;
	}
	if (opts.sysroot && *opts.sysroot) {
		struct stat st;

		if (stat(opts.sysroot, &st) < 0 || !S_ISDIR(st.st_mode)) {
			scx_log_error("collect: --sysroot: '%s' is not a folder", opts.sysroot);
			return SCX_EXIT_USAGE;
		}
	}
	/* Nothing is collected for arguments that cannot be right. */
	if (scx_collect_validate(&opts) < 0)
		return SCX_EXIT_USAGE;
	return scx_collect(scx_probes, &opts);
}
