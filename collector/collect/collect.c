// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A collection (the `collect` verb, options in verbs/verb-collect.c): the one-way data flow
 *   probes -> report model (json) -> paired run -> verdict
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
#include "paired.h"
#include "runner.h"
#include "verbs.h"
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

static int write_rendered(const char *dir, const char *name, const json_t *report,
			  void (*render)(FILE *f, const json_t *report))
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	render(f, report);
	if (fclose(f) != 0)
		return -EIO;
	return 0;
}

/* Refuse early what would fail at the end: an existing bundle, a folder we cannot write. */
static int check_output(const char *output, bool force)
{
	_cleanup_free_ char *d = strdup(output);
	char *slash = d ? strrchr(d, '/') : NULL;
	const char *dir = slash ? (slash == d ? "/" : (*slash = '\0', d)) : ".";
	struct stat st;

	if (!force && lstat(output, &st) == 0) {
		scx_log_error("%s: exists; not replacing it without --force", output);
		return -EEXIST;
	}
	if (access(dir, W_OK) < 0) {
		scx_log_error("%s: cannot write the bundle there: %s", dir, strerror(errno));
		return -errno;
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

/* report.json, summary.txt, report.html and manifest.json into the staged folder. */
static int stage_report(const char *top, json_t *report)
{
	json_t *manifest, *members = NULL;
	int r;

	r = write_json(top, "report.json", report);
	if (r >= 0)
		r = write_rendered(top, "summary.txt", report, scx_summary_render);
	if (r >= 0)
		r = write_rendered(top, "report.html", report, scx_html_render);
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
	if (r == -EEXIST)
		scx_log_error("%s: exists; not replacing it without --force", output);
	else if (r < 0 && out_fd >= 0)
		scx_log_error("standard output: cannot write the bundle: %s%s", strerror(-r),
			      r == -EPIPE ? " (the reader closed it); what it received is incomplete"
					  : "; what was written is incomplete");
	else if (r < 0)
		scx_log_error("%s: cannot write the bundle: %s", output, strerror(-r));
	else if (out_fd >= 0)
		scx_log_info("wrote the bundle to standard output (%llu KiB), sha256 %s",
			     (unsigned long long)(streamed + 1023) / 1024, sha);
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

/* The paired run's exit code when it set one (3: not restored), else ok_code. */
static int paired_exit_code(const json_t *report, int ok_code)
{
	const json_t *code = jget(report, "paired.exit_code");

	return json_is_integer(code) ? (int)json_integer_value(code) : ok_code;
}

int scx_collect(const struct scx_probe *table, const struct scx_options *opts)
{
	char host[HOST_NAME_MAX + 1] = "", base[256], stage[PATH_MAX], top[PATH_MAX];
	char outbuf[PATH_MAX], stamp[40];
	const char *output = opts->output, *tmpdir = getenv("TMPDIR");
	/* "-": the bundle goes to standard output, and every message to stderr. */
	bool stream = output && !strcmp(output, "-");
	FILE *say = stream ? stderr : stdout;
	uint64_t start_real = now_real_ns(), start_mono = now_mono_ns();
	json_t *report = NULL, *coll;
	int rc = SCX_EXIT_FAIL, out_fd = -1;

	gethostname(host, sizeof(host) - 1);
	scx_bundle_basename(base, sizeof(base), host, start_real);
	if (!output) {
		snprintf(outbuf, sizeof(outbuf), "%s.tar.zst", base);
		output = outbuf;
	}
	if (!stream && check_output(output, opts->force) < 0)
		return SCX_EXIT_FAIL;
	if (stream && (out_fd = take_stdout()) < 0)
		return SCX_EXIT_FAIL;
	snprintf(stage, sizeof(stage), "%s/scx-report.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(stage)) {
		scx_log_error("%s: cannot create a staging folder: %s", stage, strerror(errno));
		if (out_fd >= 0)
			close(out_fd);
		return SCX_EXIT_FAIL;
	}
	snprintf(top, sizeof(top), "%s/%s", stage, base);
	if (mkdir(top, 0755) < 0) {
		scx_log_error("%s: %s", top, strerror(errno));
		goto out;
	}
	install_signals();
	report = new_report(base, host, start_real, opts);
	coll = json_object_get(report, "collection");

	scx_log_info("collecting (%s)...", stream ? "to standard output" : output);
	for (const struct scx_probe *p = table; p->name; p++) {
		const char *why;

		if ((p->needs & SCX_PROBE_TIMED) && scx_probe_gate(p, opts, &why))
			scx_log_info("%s: sampling for %u s", p->description, opts->duration_s);
	}
	scx_run_probes(table, opts, top, report);
	if (scx_interrupted)
		goto interrupted;
	json_object_set_new(report, "paired", scx_paired_run(report, opts));
	if (scx_interrupted)
		goto interrupted;
	json_object_set_new(report, "verdict", scx_verdict(report));

	format_utc(stamp, sizeof(stamp), now_real_ns(), false);
	json_object_set_new(coll, "end", json_string(stamp));
	json_object_set_new(coll, "duration_s",
			    json_real((double)((now_mono_ns() - start_mono) / 1000000) / 1000.0));
	if (stage_report(top, report) < 0)
		goto out;
	if (scx_interrupted)
		goto interrupted;
	if (commit_bundle(top, output, out_fd, opts->force, start_real) < 0)
		goto out;
	if (jstr(report, "verdict.class"))
		fprintf(say, "%s: %s\n", jstr(report, "verdict.class"),
			jstr_or(report, "verdict.summary", ""));
	if (!stream)
		printf("%s\n", output);
	rc = paired_exit_code(report, SCX_EXIT_OK);
	goto out;

interrupted:
	scx_log_error("interrupted by signal %d; no bundle written", (int)scx_interrupted);
	/* A scheduler the paired run could not put back outranks the interruption. */
	rc = paired_exit_code(report, SCX_EXIT_FAIL) == SCX_EXIT_NOT_RESTORED ? SCX_EXIT_NOT_RESTORED
									      : SCX_EXIT_FAIL;
	if (rc == SCX_EXIT_NOT_RESTORED)
		scx_log_error("the custom scheduler was NOT restored: see the messages above");
out:
	if (out_fd >= 0)
		close(out_fd);
	rm_rf(stage);
	json_decref(report);
	return rc;
}
