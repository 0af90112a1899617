// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report qos`: with a custom scheduler running, the QoS battery on it
 * and on the default scheduler (or --against another one), interleaved,
 * and a scorecard: text or --json on stdout, --html FILE a page, and with -o a bundle
 * (report.json with the probes and the "qos" section, qos.json,
 * summary.txt, report.html, manifest.json) to attach to a bug.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "collect.h"
#include "model.h"
#include "probe.h"
#include "qos.h"
#include "formats.h"
#include "qos-scorecard.h"
#include "runner.h"
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
		"  -o, --output FILE      also write a bundle with the scorecard (qos.json)\n"
		"  -f, --force            replace an existing FILE\n"
		"  -q, --quiet            no progress messages\n"
		"  -h, --help             this help\n"
		"\n"
		"Exit status: 0 done, 1 failure, 2 usage error, 3 scheduler not restored,\n"
		"4 the --fail-on condition was met.\n");
}

static void on_signal(int sig)
{
	scx_interrupted = sig;
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

/* The probes a scorecard needs: the scheduler and how to switch it, and context for a bug. */
static json_t *probe_report(const char *stage, int argc, char **argv)
{
	static const char *trusted[1];
	struct scx_options popts = { .sysroot = "", .duration_s = 1, .trusted_files = trusted,
				     .argc = argc, .argv = argv };
	char host[HOST_NAME_MAX + 1] = "", stamp[40];
	json_t *report = json_object(), *coll = json_object(), *cmd = json_array();

	gethostname(host, sizeof(host) - 1);
	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	format_utc(stamp, sizeof(stamp), now_real_ns(), false);
	json_object_set_new(report, "schema", json_string(SCX_REPORT_SCHEMA));
	json_object_set_new(report, "tool", json_pack("{s:s, s:s}", "name", "scx-report",
						      "version", SCX_REPORT_VERSION));
	json_object_set_new(coll, "start", json_string(stamp));
	json_object_set_new(coll, "command_line", cmd);
	json_object_set_new(coll, "uid", json_integer(geteuid()));
	json_object_set_new(coll, "root", json_boolean(geteuid() == 0));
	json_object_set_new(coll, "hostname", json_string(host));
	json_object_set_new(report, "collection", coll);
	json_object_set_new(report, "probes", json_object());
	scx_run_probes(scx_probes, &popts, stage, report);
	return report;
}

/* The bundle: written to a staging folder, then packed and renamed into place. */
static int write_bundle(const char *top, const char *output, bool force, json_t *report)
{
	char path[PATH_MAX];
	json_t *members = NULL, *manifest;
	int r;

	snprintf(path, sizeof(path), "%s/qos.json", top);
	r = json_dump_file(json_object_get(report, "qos"), path, SCX_JSON_OUT) ? -EIO : 0;
	snprintf(path, sizeof(path), "%s/report.json", top);
	if (r >= 0)
		r = json_dump_file(report, path, SCX_JSON_OUT) ? -EIO : 0;
	/* summary.txt and report.html from the saved report.json, as collect does (show checks them). */
	if (r >= 0)
		r = scx_render_staged(top);
	if (r >= 0)
		r = scx_manifest_members(top, &members);
	if (r < 0)
		return r;
	manifest = json_pack("{s:s, s:O, s:O, s:O, s:o}", "schema", SCX_MANIFEST_SCHEMA,
			     "tool", json_object_get(report, "tool"), "collection",
			     json_object_get(report, "collection"), "probes",
			     json_object_get(report, "probes"), "members", members);
	snprintf(path, sizeof(path), "%s/manifest.json", top);
	r = json_dump_file(manifest, path, SCX_JSON_OUT) ? -EIO : 0;
	json_decref(manifest);
	if (r < 0)
		return r;
	return scx_bundle_write(top, output, force, now_real_ns() / 1000000000ull);
}

struct qos_cli {
	struct scx_qos_opts o;
	const char *output, *fail_on;
	bool force, json;
	const char *html;
};

static int parse(int argc, char **argv, struct qos_cli *c, const char **only, size_t max_only)
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
		case 'o': c->output = optarg; break;
		case 'f': c->force = true; break;
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
		default:
			fprintf(stderr, "Try 'scx-report help qos'.\n");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		scx_log_error("qos: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (c->output && !strcmp(c->output, "-")) {
		scx_log_error("qos: -o -: the scorecard goes to standard output; give the bundle a file name");
		return -EINVAL;
	}
	if (c->json && c->html && !strcmp(c->html, "-")) {
		scx_log_error("qos: --json and --html - both print to stdout: choose one");
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
	static const char *only[32];
	struct qos_cli c = { .o = { .interrupted = &scx_interrupted } };
	char stage[PATH_MAX] = "", top[PATH_MAX] = "";
	const char *tmpdir = getenv("TMPDIR");
	struct sigaction sa = { .sa_handler = on_signal };
	json_t *report, *qos;
	struct stat st;
	int r, rc;

	r = parse(argc, argv, &c, only, ARRAY_SIZE(only) - 1);
	if (r <= 0)
		return r < 0 ? SCX_EXIT_USAGE : SCX_EXIT_OK;
	if (c.output && !c.force && lstat(c.output, &st) == 0) {
		scx_log_error("%s: exists; not replacing it without --force", c.output);
		return SCX_EXIT_FAIL;
	}
	if (c.output) {
		snprintf(stage, sizeof(stage), "%s/scx-report.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
		if (!mkdtemp(stage)) {
			scx_log_error("%s: cannot create a staging folder: %s", stage, strerror(errno));
			return SCX_EXIT_FAIL;
		}
		snprintf(top, sizeof(top), "%s/scx-report-qos", stage);
		if (mkdir(top, 0755) < 0) {
			scx_log_error("%s: %s", top, strerror(errno));
			rm_rf(stage);
			return SCX_EXIT_FAIL;
		}
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	c.o.progress = scx_progress_on();

	scx_log_info("qos: finding the scheduler...");
	report = probe_report(c.output ? top : NULL, argc, argv);
	if (jstr(report, "sched_ext.ops"))
		scx_log_info("qos: running the battery on %s (%u rounds x %.3g s per run)...",
			     jstr(report, "sched_ext.ops"), c.o.rounds, c.o.duration_ms / 1000.0);
	qos = scx_qos_run(report, &c.o);
	json_object_set_new(report, "qos", qos);

	if (c.json) {
		json_dumpf(qos, stdout, SCX_JSON_OUT);
		fputc('\n', stdout);
	} else if (!c.html || strcmp(c.html, "-")) {
		scx_qos_scorecard_text(stdout, qos);
	}
	rc = SCX_EXIT_OK;
	if (strcmp(jstr(qos, "status") ?: "", "done")) {
		scx_log_error("qos: %s: %s", jstr(qos, "status") ?: "?", jstr(qos, "reason") ?: "?");
		rc = SCX_EXIT_FAIL;
	} else if (scx_qos_gate(qos, c.fail_on)) {
		scx_log_info("qos: --fail-on %s: a row is worse", c.fail_on);
		rc = SCX_EXIT_QOS_GATE;
	}
	if (c.html) {
		int w = verb_write_html(c.html, report);

		if (w < 0) {
			scx_log_error("qos --html: cannot write %s: %s", c.html, strerror(-w));
			rc = SCX_EXIT_FAIL;
		}
	}
	if (c.output && !scx_interrupted) {
		r = write_bundle(top, c.output, c.force, report);
		if (r < 0) {
			scx_log_error("%s: cannot write the bundle: %s", c.output, strerror(-r));
			rc = SCX_EXIT_FAIL;
		} else {
			scx_log_info("wrote %s", c.output);
		}
	}
	if (json_is_integer(json_object_get(qos, "exit_code")))
		rc = (int)json_integer_value(json_object_get(qos, "exit_code"));
	if (stage[0])
		rm_rf(stage);
	json_decref(report);
	return rc;
}
