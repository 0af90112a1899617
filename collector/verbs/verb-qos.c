// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report qos`: options and help.  With a custom scheduler running, the
 * QoS battery on it and on the default scheduler (or --against another
 * one), interleaved, and a scorecard: text or --json on stdout, --html FILE a
 * page, and with -o a bundle (report.json with the probes and the "qos" section,
 * qos.json, summary.txt, report.html, manifest.json) to attach to a bug.
 * The run is the collection pipeline's (collect/collect.c) with the battery
 * as its experiment, so --redact, -o - and .sha256 are collect's.
 */
#include <getopt.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "qos.h"
#include "redact-opts.h"
#include "util.h"
#include "progress.h"
#include "verbs.h"

enum {
	OPT_SUITE = 0x100, OPT_ONLY, OPT_ROUNDS, OPT_DURATION, OPT_JSON, OPT_HTML, OPT_FAIL_ON,
	OPT_AGAINST, OPT_ALLOW_RESTART, OPT_CALIBRATE, OPT_NO_CALIBRATE,
};

static const struct option qos_options[] = {
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "rounds", required_argument, NULL, OPT_ROUNDS },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "allow-restart", no_argument, NULL, OPT_ALLOW_RESTART },
	{ "calibrate", no_argument, NULL, OPT_CALIBRATE },
	{ "no-calibrate", no_argument, NULL, OPT_NO_CALIBRATE },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "redact", no_argument, NULL, SCX_OPT_REDACT },
	{ "redact-word", required_argument, NULL, SCX_OPT_REDACT_WORD },
	{ "redact-map", required_argument, NULL, SCX_OPT_REDACT_MAP },
	{ 0 }
};

void help_qos(FILE *f)
{
	fprintf(f,
		"Usage: scx-report qos [OPTIONS]\n"
		"\n"
		"With a custom sched_ext scheduler running (as root), run a battery of\n"
		"workloads on it and on the default scheduler, interleaved, and print a\n"
		"scorecard: per workload figure the medians over runs, the ratio\n"
		"custom/baseline with its 95%% bootstrap interval, the Mann-Whitney p and\n"
		"better / worse / same / inconclusive. The custom scheduler is put back\n"
		"afterwards, also if scx-report is killed. See docs/qos.md.\n"
		"\n"
		"      --suite NAME       quick (5 rounds x 1 s, ~2 min on 2 CPUs) or full\n"
		"                         (8 rounds x 3 s, ~10 min); default quick\n"
		"      --only NAME        only this workload (repeat, or NAME,NAME): wakeup,\n"
		"                         mixed, pipe, fork, messaging, cpu, nice, cgroup\n"
		"      --rounds N         rounds per side instead of the suite's (2 to 100)\n"
		"      --duration S       seconds per run instead of the suite's (0.2 to 600)\n"
		"      --no-calibrate     no baseline-vs-baseline runs (no noise floor)\n"
		"      --calibrate        with them (the suites' default)\n"
		"      --against NAME     compare with scheduler NAME started through the same\n"
		"                         manager instead of the default scheduler\n"
		"      --allow-restart    allow restarting a scheduler that was started by hand\n"
		"      --json             print the qos section as JSON instead of the table\n"
		"      --html FILE        also write the scorecard as an HTML page to FILE\n"
		"                         ('-': standard output, instead of the table)\n"
		"      --fail-on WHAT     exit 4 when a row is worse (regression), or also\n"
		"                         when a significant difference leans worse inside\n"
		"                         the noise floor (any-worse)\n"
		"  -o, --output FILE      also write a bundle with the scorecard (qos.json);\n"
		"                         '-' is standard output (the scorecard then goes to stderr)\n"
		"  -f, --force            replace an existing FILE\n"
		"      --redact           replace host, domain, user names, IP and MAC addresses\n"
		"                         in the bundle by tokens; the map is written beside it (0600)\n"
		"      --redact-word WORD also replace WORD (implies --redact; repeatable)\n"
		"      --redact-map FILE  read and extend this map (consistent tokens across runs)\n"
		"  -q, --quiet            no progress messages\n"
		"  -h, --help             this help\n"
		"\n"
		"Exit status: 0 done, 1 failure, 2 usage error, 3 scheduler not restored,\n"
		"4 the --fail-on condition was met.\n");
}

static int add_only(const char **only, size_t *n, size_t max, char *arg)
{
	char *save = NULL;

	for (char *t = strtok_r(arg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!scx_qos_workload_find(t)) {
			scx_log_error("qos: --only: unknown workload '%s' (wakeup, mixed, pipe, fork, "
				      "messaging, cpu, nice, cgroup)", t);
			return -EINVAL;
		}
		if (*n == max)
			return -E2BIG;
		only[(*n)++] = t;
	}
	return 0;
}

static int parse(int argc, char **argv, struct scx_options *opts, struct scx_qos_request *c,
		 const char **only, size_t max_only)
{
	size_t n_only = 0;
	int calibrate = -1, ch;
	uint64_t u;
	double d;
	char *end;

	c->o.suite = scx_qos_suite_find("quick");
	optind = 1;
	while ((ch = verb_getopt(argc, argv, "o:fqh", qos_options)) != -1) {
		switch (ch) {
		case 'h': help_qos(stdout); return 0;
		case 'o': opts->output = optarg; break;
		case 'f': opts->force = true; break;
		case 'q': scx_log_quiet = 1; break;
		case OPT_SUITE:
			if (!(c->o.suite = scx_qos_suite_find(optarg))) {
				scx_log_error("qos: --suite: unknown suite '%s' (quick, full)", optarg);
				return -EINVAL;
			}
			break;
		case OPT_ONLY:
			if (add_only(only, &n_only, max_only, optarg) < 0)
				return -EINVAL;
			c->o.only = only;
			break;
		case OPT_ROUNDS:
			if (safe_atou64(optarg, &u) < 0 || u < 2 || u > 100) {
				scx_log_error("qos: --rounds: '%s' is not a whole number from 2 to 100", optarg);
				return -EINVAL;
			}
			c->o.rounds = (unsigned)u;
			break;
		case OPT_DURATION:
			d = strtod(optarg, &end);
			if (end == optarg || *end || !(d >= 0.2 && d <= 600)) {
				scx_log_error("qos: --duration: '%s' is not a number of seconds from 0.2 to 600",
					      optarg);
				return -EINVAL;
			}
			c->o.duration_ms = (unsigned)lround(d * 1000);
			break;
		case OPT_JSON: c->json = true; break;
		case OPT_HTML: c->html = optarg; break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "regression") && strcmp(optarg, "any-worse")) {
				scx_log_error("qos: --fail-on: '%s' is neither regression nor any-worse", optarg);
				return -EINVAL;
			}
			c->fail_on = optarg;
			break;
		case OPT_AGAINST: c->o.against = optarg; break;
		case OPT_ALLOW_RESTART: c->o.allow_restart = true; break;
		case OPT_CALIBRATE: calibrate = 1; break;
		case OPT_NO_CALIBRATE: calibrate = 0; break;
		case SCX_OPT_REDACT:
		case SCX_OPT_REDACT_WORD:
		case SCX_OPT_REDACT_MAP:
			if (scx_redact_opts_parse(opts->redact, ch, optarg) < 0)
				return -EINVAL;
			break;
		default:
			fprintf(stderr, "Try 'scx-report help qos'.\n");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		scx_log_error("qos: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (opts->output && !strcmp(opts->output, "-") && isatty(STDOUT_FILENO)) {
		scx_refuse_terminal();
		return -EINVAL;
	}
	if (c->json && c->html && !strcmp(c->html, "-")) {
		scx_log_error("qos: --json and --html - both print to stdout: choose one");
		return -EINVAL;
	}
	if (c->html && !strcmp(c->html, "-") && opts->output && !strcmp(opts->output, "-")) {
		scx_log_error("qos: --html - and -o - both write to standard output: choose one");
		return -EINVAL;
	}
	only[n_only] = NULL;
	if (!c->o.rounds)
		c->o.rounds = c->o.suite->rounds;
	if (!c->o.duration_ms)
		c->o.duration_ms = c->o.suite->duration_ms;
	c->o.calibrate = calibrate < 0 ? c->o.suite->calibrate : calibrate;
	return 1;
}

int verb_qos(int argc, char **argv)
{
	static const char *only[32], *trusted[1];
	static struct scx_redact_opts redact;
	/* The probes a scorecard needs: the scheduler and how to switch it, and context for a bug. */
	struct scx_options opts = { .sysroot = "", .duration_s = 1, .trusted_files = trusted,
				    .bundle_if_asked = true, .redact = &redact,
				    .argc = argc, .argv = argv };
	struct scx_qos_request c = { .o = { .interrupted = &scx_interrupted } };
	int r;

	r = parse(argc, argv, &opts, &c, only, ARRAY_SIZE(only) - 1);
	if (r <= 0)
		return r < 0 ? SCX_EXIT_USAGE : SCX_EXIT_OK;
	c.o.progress = scx_progress_on();
	c.force = opts.force;
	return scx_collect_qos(scx_probes, &opts, &c);
}
