// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report latency`: sample scheduling latency for a while and print the
 * histograms, like runqlat but log-linear (32 buckets per power of two,
 * <= 1.6%), with preemption delays and slices beside wakeup delays.
 * --json prints what latency/latency.json of a bundle holds.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "latency-api.h"
#include "summary-latency.h"
#include "util.h"
#include "progress.h"
#include "validate.h"
#include "verbs.h"
#include "model.h"

enum { OPT_DURATION = 0x100, OPT_JSON, OPT_PID, OPT_CGROUP, OPT_RESOLUTION, OPT_SOURCE };

static const struct option latency_options[] = {
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "resolution", required_argument, NULL, OPT_RESOLUTION },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

void help_latency(FILE *f)
{
	fprintf(f,
		"Usage: scx-report latency [--duration S] [--json] [--pid PID] [--cgroup PATH]\n"
		"                          [--resolution K] [--source run-delay|clock]\n"
		"\n"
		"Sample scheduling latency with BPF (needs root) and print, for wakeup-to-run,\n"
		"preempted-to-run and time-on-CPU, the percentiles and a histogram. Works under\n"
		"any scheduler, sched_ext or not. Ctrl-C ends the sample early.\n"
		"\n"
		"      --duration S       seconds to sample (default 5)\n"
		"      --json             print the JSON of latency/latency.json instead\n"
		"      --pid PID          only the threads of process PID (as they are woken)\n"
		"      --cgroup PATH      only tasks in this cgroup v2 (or below it); PATH\n"
		"                         a folder of the cgroup2 mount, or a path inside\n"
		"                         the hierarchy as /proc/PID/cgroup shows it\n"
		"      --resolution K     histogram rows: 2^K per power of two, 0 to 5 (default 0:\n"
		"                         one row per power of two, as runqlat; 5: all 32)\n"
		"      --source SRC       run-delay: the kernel's own account of each wait\n"
		"                         (run_delay, as /proc/PID/schedstat), one BPF program;\n"
		"                         clock: scx-report's own clock readings at wakeup and\n"
		"                         switch, about twice the cost, and it also sees the\n"
		"                         microseconds between a wakeup that preempts and the\n"
		"                         switch (default: run-delay where the kernel keeps it)\n"
		"  -h, --help             this help\n");
}

static void on_signal(int sig)
{
	scx_interrupted = sig;
}

int verb_latency(int argc, char **argv)
{
	struct scx_latency_opts lo = { .stats = true };
	struct scx_latency *l = NULL;
	uint64_t duration = 5, resolution = SCX_LATENCY_DEFAULT_K, v, end;
	bool json = false;
	char err[256];
	json_t *snap;
	int c, r;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", latency_options)) != -1) {
		switch (c) {
		case 'h': help_latency(stdout); return SCX_EXIT_OK;
		case OPT_DURATION:
			if (verb_parse_uint("latency", "--duration", optarg, 1, 3600, &duration) < 0)
				return SCX_EXIT_USAGE;
			break;
		case OPT_JSON: json = true; break;
		case OPT_PID:
			if (verb_parse_uint("latency", "--pid", optarg, 1, 1u << 30, &v) < 0)
				return SCX_EXIT_USAGE;
			lo.pid = (pid_t)v;
			break;
		case OPT_CGROUP: lo.cgroup = optarg; break;
		case OPT_RESOLUTION:
			if (verb_parse_uint("latency", "--resolution", optarg, 0, LAT_K, &resolution) < 0)
				return SCX_EXIT_USAGE;
			break;
		case OPT_SOURCE:
			if (scx_latency_source_parse(optarg, &lo.source) < 0) {
				scx_log_error("latency: --source '%s': expected run-delay or clock",
					      optarg);
				return SCX_EXIT_USAGE;
			}
			break;
		default:
			fprintf(stderr, "Try 'scx-report help latency'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		scx_log_error("latency: unexpected argument '%s'", argv[optind]);
		return SCX_EXIT_USAGE;
	}

	if (scx_validate_latency_filters("latency", lo.pid, lo.cgroup) < 0)
		return SCX_EXIT_USAGE;
	r = scx_latency_open(&lo, &l, err, sizeof(err));
	if (r < 0) {
		scx_log_error("latency: %s%s", err,
			      (r == -EPERM || r == -EACCES) && geteuid() ? " (run as root)" : "");
		return SCX_EXIT_FAIL;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* On a terminal the time left counts down; elsewhere one line says what happens. */
	if (!scx_progress_on())
		scx_log_info("sampling scheduling latency for %" PRIu64 " s (Ctrl-C to stop early)",
			     duration);
	end = now_mono_ns() + duration * 1000000000ull;
	for (uint64_t now = now_mono_ns(); now < end && !scx_interrupted; now = now_mono_ns()) {
		scx_progress_show(end - now, "latency: sampling for %" PRIu64 " s (Ctrl-C to stop early)",
				  duration);
		sleep_until_ns(now + 1000000000ull < end ? now + 1000000000ull : end, &scx_interrupted);
	}
	scx_progress_end();
	snap = scx_latency_snapshot_full(l);
	scx_latency_close(l);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (!snap) {
		scx_log_error("latency: cannot read the histograms");
		return SCX_EXIT_FAIL;
	}
	if (json)
		json_dumpf(snap, stdout, SCX_JSON_OUT);
	else
		scx_latency_text(stdout, snap, (unsigned)resolution);
	if (!json && resolution < LAT_K)
		printf("\nRows: %u per power of two (--resolution %d shows all %d).\n",
		       1u << resolution, LAT_K, 1 << LAT_K);
	if (json)
		putchar('\n');
	r = strcmp(json_string_value(json_object_get(snap, "status")) ?: "", "ok") ? SCX_EXIT_FAIL
										     : SCX_EXIT_OK;
	json_decref(snap);
	return r;
}
