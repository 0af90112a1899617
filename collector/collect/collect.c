// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The collection pipeline (`collect`, `qos`, `watch`): the one-way data flow
 *   staging -> probes -> report model (json) -> experiment (paired run or
 *   QoS battery, collect.h) -> judgement (verdict)
 *          -> formats (report.json, summary.txt, report.html, manifest.json)
 *          -> bundle (tar.zst, renamed into place, .sha256 beside it).
 * Everything is staged in a private temporary folder that is removed at
 * the end, whatever happens.
 */
#include "collect.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "formats.h"
#include "live-dump.h"
#include "outfile.h"
#include "paths.h"
#include "probes.h"
#include "redact-opts.h"
#include "runner.h"
#include "exit-codes.h"
#include "verdict.h"

void scx_bundle_basename(char *buf, size_t len, const char *host, uint64_t real_ns)
{
	time_t t = (time_t)(real_ns / 1000000000ull);
	char stamp[32], safe_host[65];
	struct tm tm;
	size_t i;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; host[i] && i < sizeof(safe_host) - 1; i++)
		safe_host[i] = (host[i] == '/' || (unsigned char)host[i] < 0x20) ? '_' : host[i];
	safe_host[i] = '\0';
	snprintf(buf, len, "scx-report-%s-%s", i ? safe_host : "localhost", stamp);
}

static void on_signal(int sig)
{
	scx_interrupted = sig;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static json_t *command_line(const struct scx_options *opts)
{
	json_t *a = json_array();

	for (int i = 0; i < opts->argc; i++)
		json_array_append_new(a, json_string(opts->argv[i]));
	return a;
}

static int write_json(const char *dir, const char *name, const json_t *j)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return json_dump_file(j, path, SCX_JSON_OUT) == 0
		       ? 0 : -EIO;
}

/* Refuse early what would fail at the end: an existing bundle, a folder we cannot write. */
static int check_output(const char *output, bool force)
{
	_cleanup_free_ char *d = strdup(output);
	char *slash = d ? strrchr(d, '/') : NULL;
	const char *dir = slash ? (slash == d ? "/" : (*slash = '\0', d)) : ".";
	int r = scx_out_check(output, force);

	if (r < 0) {
		scx_log_error("%s: %s", output, scx_out_strerror(r));
		return r;
	}
	if (access(dir, W_OK) < 0) {
		int e = errno;
		char why[PATH_MAX + 64];

		scx_path_problem(why, sizeof(why), dir, e, SCX_PATH_WRITABLE_DIR);
		scx_log_error("cannot write the bundle: %s", why);
		return -e;
	}
	return 0;
}

/* The report model before any probe: schema, tool, collection. */
static json_t *new_report(const char *base, const char *host, uint64_t start_real,
			  const struct scx_options *opts)
{
	json_t *report = json_object(), *tool = json_object(), *coll = json_object();
	char stamp[40];

	json_object_set_new(report, "schema", json_string(SCX_REPORT_SCHEMA));
	json_object_set_new(tool, "name", json_string("scx-report"));
	json_object_set_new(tool, "version", json_string(SCX_REPORT_VERSION));
	json_object_set_new(report, "tool", tool);
	format_utc(stamp, sizeof(stamp), start_real, false);
	json_object_set_new(coll, "id", json_string(base));
	json_object_set_new(coll, "start", json_string(stamp));
	json_object_set_new(coll, "command_line", command_line(opts));
	json_object_set_new(coll, "uid", json_integer(geteuid()));
	json_object_set_new(coll, "root", json_boolean(geteuid() == 0));
	json_object_set_new(coll, "hostname", json_string(host));
	if (opts->sysroot && *opts->sysroot)
		json_object_set_new(coll, "sysroot", json_string(opts->sysroot));
	json_object_set_new(report, "collection", coll);
	json_object_set_new(report, "probes", json_object());
	return report;
}

/*
 * report.json, then summary.txt and report.html rendered from it as written
 * (so `show` can check one against the other), the experiment's own member
 * and manifest.json into the staged folder.  redaction: the manifest's "redaction" object, or NULL.
 */
static int stage_report(const char *top, json_t *report, json_t *redaction,
			const struct scx_experiment *ex)
{
	json_t *manifest, *members = NULL;
	int r;

	r = write_json(top, "report.json", report);
	if (r >= 0 && ex->stage)
		r = ex->stage(top, report);
	if (r >= 0)
		r = scx_render_staged(top);
	if (r >= 0)
		r = scx_manifest_members(top, &members);
	if (r < 0) {
		scx_log_error("%s: cannot stage the report: %s", top, strerror(-r));
		return r;
	}
	manifest = json_object();
	json_object_set_new(manifest, "schema", json_string(SCX_MANIFEST_SCHEMA));
	json_object_set(manifest, "tool", json_object_get(report, "tool"));
	json_object_set(manifest, "collection", json_object_get(report, "collection"));
	json_object_set(manifest, "probes", json_object_get(report, "probes"));
	json_object_set_new(manifest, "members", members);
	if (redaction)
		json_object_set(manifest, "redaction", redaction);
	r = write_json(top, "manifest.json", manifest);
	json_decref(manifest);
	if (r < 0)
		scx_log_error("%s: cannot write manifest.json", top);
	return r;
}

/*
 * Pack and rename into place, or stream to out_fd (>= 0): the commit point,
 * with the signals blocked around it.
 */
static int commit_bundle(const char *top, const char *output, int out_fd, bool force,
			 uint64_t start_real)
{
	uint64_t streamed = 0;
	char sha[65] = "";
	sigset_t set, old;
	struct stat st;
	int r;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (out_fd >= 0) {
		/* A reader that went away must not kill us silently: EPIPE instead. */
		signal(SIGPIPE, SIG_IGN);
		r = scx_bundle_stream(top, out_fd, start_real / 1000000000ull, sha, &streamed);
	} else {
		r = scx_bundle_write(top, output, force, start_real / 1000000000ull);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if ((r == -EEXIST || r == -EPERM) && out_fd < 0)
		scx_log_error("%s: %s", output, scx_out_strerror(r));
	else if (r < 0 && out_fd >= 0)
		scx_log_error("standard output: cannot write the bundle: %s%s", strerror(-r),
			      r == -EPIPE ? " (the reader closed it); what it received is incomplete"
					  : "; what was written is incomplete");
	else if (r < 0)
		scx_log_error("%s: cannot write the bundle: %s", output, strerror(-r));
	else if (out_fd >= 0)
		scx_log_info("wrote the bundle to standard output (%llu KiB), sha256 %s",
			     (unsigned long long)(streamed + 1023) / 1024, sha);
	else if (r == SCX_BUNDLE_NO_SIDECAR)
		scx_log_warn("wrote %s, but %s.sha256 could not be written, ignoring", output, output);
	else if (stat(output, &st) == 0)
		scx_log_info("wrote %s (%lld KiB) and %s.sha256", output,
			     (long long)(st.st_size + 1023) / 1024, output);
	return r;
}

/*
 * The stream gets a private descriptor and fd 1 becomes stderr, so nothing
 * else (a probe, a helper program, the guardian, a scheduler the paired run
 * restarts) can write into the bundle or hold the reader's pipe open after
 * we exit.  Returns that descriptor or -errno.
 */
static int take_stdout(void)
{
	int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);

	if (fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		int e = -errno;

		scx_log_error("standard output: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return e;
	}
	return fd;
}

/* The experiment's exit code when its section set one (3: not restored), else ok_code. */
static int section_exit_code(const json_t *report, const struct scx_experiment *ex, int ok_code)
{
	const json_t *code = json_object_get(json_object_get(report, ex->section), "exit_code");

	return json_is_integer(code) ? (int)json_integer_value(code) : ok_code;
}

/*
 * --redact: the engine, knowing the host; the bundle's name made from the
 * host's token, and the map's place beside the bundle.  0 without --redact.
 */
static int redact_begin(const struct scx_options *opts, const char *host, char *base,
			size_t baselen, char *outbuf, size_t outlen, const char **output)
{
	struct scx_redact_opts *ro = opts->redact;
	_cleanup_free_ char *red = NULL;
	bool stream = *output && !strcmp(*output, "-");

	/* No bundle asked for (qos without -o): nothing to redact. */
	if (!ro || !ro->enabled || (!*output && opts->bundle_if_asked))
		return 0;
	if (scx_redact_opts_begin(ro) < 0)
		return -EINVAL;
	scx_redact_add_hostname(ro->engine, host);
	red = scx_redact_text(ro->engine, base, strlen(base), NULL);
	if (red)
		snprintf(base, baselen, "%s", red);
	if (!*output) {
		snprintf(outbuf, outlen, "%s.tar.zst", base);
		*output = outbuf;
	}
	return scx_redact_opts_set_output(ro, stream ? base : *output);
}

/* Where the bundle goes: -o, else the default name (or none: qos without -o). */
static int choose_output(const struct scx_options *opts, const char *host, char *base,
			 size_t baselen, char *outbuf, size_t outlen, const char **output)
{
	bool stream = *output && !strcmp(*output, "-");

	if (redact_begin(opts, host, base, baselen, outbuf, outlen, output) < 0)
		return -EINVAL;
	if (!*output && !opts->bundle_if_asked) {
		snprintf(outbuf, outlen, "%s.tar.zst", base);
		*output = outbuf;
	}
	if (*output && !stream && check_output(*output, opts->force) < 0)
		return -EEXIST;
	return 0;
}

/* A staging folder under $TMPDIR with the bundle's top folder in it. */
static int make_stage(char *stage, size_t stagelen, char *top, size_t toplen, const char *base)
{
	const char *tmpdir = getenv("TMPDIR");

	snprintf(stage, stagelen, "%s/scx-report.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(stage)) {
		scx_log_error("%s: cannot create a staging folder: %s", stage, strerror(errno));
		stage[0] = '\0';
		return -errno;
	}
	snprintf(top, toplen, "%s/%s", stage, base);
	if (mkdir(top, 0755) < 0) {
		scx_log_error("%s: %s", top, strerror(errno));
		return -errno;
	}
	return 0;
}

int scx_collect_run(const struct scx_probe *table, const struct scx_options *opts,
		    const struct scx_experiment *ex)
{
	bool redact = opts->redact && opts->redact->enabled;
	json_t *redaction = NULL;
	char host[HOST_NAME_MAX + 1] = "", base[256], stage[PATH_MAX] = "", top[PATH_MAX];
	char outbuf[PATH_MAX], stamp[40];
	const char *output = opts->output;
	/* "-": the bundle goes to standard output, and every message to stderr. */
	bool stream = output && !strcmp(output, "-");
	FILE *say = stream ? stderr : stdout;
	uint64_t start_real = now_real_ns(), start_mono = now_mono_ns();
	json_t *report = NULL, *coll;
	int presented = 0;
	int rc = SCX_EXIT_FAIL, out_fd = -1;

	scx_host_name(opts->sysroot, host, sizeof(host));
	scx_bundle_basename(base, sizeof(base), host, start_real);
	if (choose_output(opts, host, base, sizeof(base), outbuf, sizeof(outbuf), &output) < 0)
		goto out;
	if (stream && (out_fd = take_stdout()) < 0)
		goto out;
	if (make_stage(stage, sizeof(stage), top, sizeof(top), base) < 0)
		goto out;
	install_signals();
	report = new_report(base, host, start_real, opts);
	coll = json_object_get(report, "collection");

	if (ex->starting)
		scx_log_info("%s", ex->starting);
	else
		scx_log_info("collecting (%s)...", stream ? "to standard output" : output);
	for (const struct scx_probe *p = table; p->name; p++) {
		const char *why;

		if ((p->needs & SCX_PROBE_TIMED) && scx_probe_gate(p, opts, &why))
			scx_log_info("%s: sampling for %u s", p->description, opts->duration_s);
	}
	scx_run_probes(table, opts, top, report);
	if (scx_interrupted)
		goto interrupted;
	if (opts->dump) {
		json_object_set_new(report, "live_dump", scx_live_dump(top, opts->sysroot));
		if (!json_is_true(jget(report, "live_dump.taken")))
			scx_log_warn("--dump: %s", jstr_or(report, "live_dump.reason", "not taken"));
	}
	/* A partial report must not look complete: say what only root could have collected. */
	{
		char missing[512];

		if (scx_report_missing_for_root(report, missing, sizeof(missing)))
			scx_log_warn("not root: %s skipped; run as root for a full report", missing);
	}
	json_object_set_new(report, ex->section, ex->run(report, opts, ex->arg));
	presented = ex->present ? ex->present(say, report, ex->arg) : 0;
	if (scx_interrupted)
		goto interrupted;
	if (ex->verdict)
		json_object_set_new(report, "verdict", scx_verdict(report));
	rc = ex->exit_code ? ex->exit_code(report, ex->arg) : SCX_EXIT_OK;
	if (presented < 0 && rc == SCX_EXIT_OK)
		rc = SCX_EXIT_FAIL;
	rc = section_exit_code(report, ex, rc);
	if (!output)
		goto out;

	format_utc(stamp, sizeof(stamp), now_real_ns(), false);
	json_object_set_new(coll, "end", json_string(stamp));
	json_object_set_new(coll, "duration_s",
			    json_real((double)((now_mono_ns() - start_mono) / 1000000) / 1000.0));
	if (redact && scx_redact_opts_apply(opts->redact, top, &report, &redaction) < 0) {
		scx_log_error("%s: cannot redact the staged report", top);
		goto failed;
	}
	if (stage_report(top, report, redaction, ex) < 0)
		goto failed;
	if (scx_interrupted)
		goto interrupted;
	if (commit_bundle(top, output, out_fd, opts->force, start_real) < 0)
		goto failed;
	if (redact && scx_redact_opts_end(opts->redact) < 0)
		scx_log_warn("the bundle is redacted, but without its map the tokens cannot be mapped back");
	if (ex->done)
		ex->done(say, report, output);
	goto out;

failed:
	/* No bundle: a failure, unless the scheduler was not put back (3), which outranks it. */
	rc = section_exit_code(report, ex, SCX_EXIT_FAIL);
	goto out;
interrupted:
	scx_log_error("interrupted by signal %d; no bundle written", (int)scx_interrupted);
	/* A scheduler the experiment could not put back outranks the interruption. */
	rc = section_exit_code(report, ex, SCX_EXIT_FAIL) == SCX_EXIT_NOT_RESTORED
		     ? SCX_EXIT_NOT_RESTORED : SCX_EXIT_FAIL;
	if (rc == SCX_EXIT_NOT_RESTORED)
		scx_log_error("the custom scheduler was NOT restored: see the messages above");
out:
	if (out_fd >= 0)
		close(out_fd);
	if (stage[0])
		rm_rf(stage);
	json_decref(report);
	json_decref(redaction);
	if (opts->redact)
		scx_redact_opts_free(opts->redact);
	return rc;
}

int scx_collect(const struct scx_probe *table, const struct scx_options *opts)
{
	return scx_collect_run(table, opts, &scx_experiment_paired);
}

int scx_collect_qos(const struct scx_probe *table, const struct scx_options *opts,
		    const struct scx_qos_request *q)
{
	struct scx_experiment ex = scx_experiment_qos;

	ex.arg = q;
	return scx_collect_run(table, opts, &ex);
}
