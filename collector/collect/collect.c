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

int scx_collect(const struct scx_probe *table, const struct scx_options *opts)
{
	char host[HOST_NAME_MAX + 1] = "", base[256], stage[PATH_MAX], top[PATH_MAX];
	char outbuf[PATH_MAX], stamp[40], sha[65] = "";
	uint64_t streamed = 0;
	int out_fd = -1;
	const char *output = opts->output;
	/* "-": the bundle goes to standard output, and every message to stderr. */
	bool stream = output && !strcmp(output, "-");
	FILE *say = stream ? stderr : stdout;
	uint64_t start_real = now_real_ns(), start_mono = now_mono_ns();
	json_t *report = NULL, *coll, *manifest = NULL, *members = NULL, *tool;
	char *tmpdir = getenv("TMPDIR");
	int r, rc = SCX_EXIT_FAIL;
	struct stat st;

	gethostname(host, sizeof(host) - 1);
	scx_bundle_basename(base, sizeof(base), host, start_real);
	if (!output) {
		snprintf(outbuf, sizeof(outbuf), "%s.tar.zst", base);
		output = outbuf;
	}
	if (!stream && !opts->force && lstat(output, &st) == 0) {
		scx_log_error("%s: exists; not replacing it without --force", output);
		return SCX_EXIT_FAIL;
	}
	if (!stream) {
		_cleanup_free_ char *d = strdup(output);
		char *slash = d ? strrchr(d, '/') : NULL;
		const char *dir = slash ? (slash == d ? "/" : (*slash = '\0', d)) : ".";

		if (access(dir, W_OK) < 0) {
			scx_log_error("%s: cannot write the bundle there: %s", dir, strerror(errno));
			return SCX_EXIT_FAIL;
		}
	}

	if (stream) {
		/*
		 * The stream gets a private descriptor and fd 1 becomes stderr, so
		 * nothing else (a probe, a helper program, the guardian, a scheduler
		 * the paired run restarts) can write into the bundle or hold the
		 * reader's pipe open after we exit.
		 */
		out_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		if (out_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
			scx_log_error("standard output: %s", strerror(errno));
			return SCX_EXIT_FAIL;
		}
	}

	snprintf(stage, sizeof(stage), "%s/scx-report.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(stage)) {
		scx_log_error("%s: cannot create a staging folder: %s", stage, strerror(errno));
		return SCX_EXIT_FAIL;
	}
	snprintf(top, sizeof(top), "%s/%s", stage, base);
	if (mkdir(top, 0755) < 0) {
		scx_log_error("%s: %s", top, strerror(errno));
		goto out;
	}
	install_signals();

	report = json_object();
	json_object_set_new(report, "schema", json_string(SCX_REPORT_SCHEMA));
	tool = json_object();
	json_object_set_new(tool, "name", json_string("scx-report"));
	json_object_set_new(tool, "version", json_string(SCX_REPORT_VERSION));
	json_object_set_new(report, "tool", tool);
	coll = json_object();
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

	r = write_json(top, "report.json", report);
	if (r >= 0)
		r = write_rendered(top, "summary.txt", report, scx_summary_render);
	if (r >= 0)
		r = write_rendered(top, "report.html", report, scx_html_render);
	if (r >= 0)
		r = scx_manifest_members(top, &members);
	if (r < 0) {
		scx_log_error("%s: cannot stage the report: %s", top, strerror(-r));
		goto out;
	}
	manifest = json_object();
	json_object_set_new(manifest, "schema", json_string(SCX_MANIFEST_SCHEMA));
	json_object_set(manifest, "tool", tool);
	json_object_set(manifest, "collection", coll);
	json_object_set(manifest, "probes", json_object_get(report, "probes"));
	json_object_set_new(manifest, "members", members);
	r = write_json(top, "manifest.json", manifest);
	if (r < 0) {
		scx_log_error("%s: cannot write manifest.json", top);
		goto out;
	}
	if (scx_interrupted)
		goto interrupted;

	/* The rename is the commit point: block the signals around it. */
	{
		sigset_t set, old;

		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, &old);
		if (stream) {
			/* A reader that went away must not kill us silently: EPIPE instead. */
			signal(SIGPIPE, SIG_IGN);
			r = scx_bundle_stream(top, out_fd, start_real / 1000000000ull, sha,
					      &streamed);
		} else {
			r = scx_bundle_write(top, output, opts->force, start_real / 1000000000ull);
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (r == -EEXIST) {
		scx_log_error("%s: exists; not replacing it without --force", output);
		goto out;
	}
	if (r < 0 && stream) {
		scx_log_error("standard output: cannot write the bundle: %s%s", strerror(-r),
			      r == -EPIPE ? " (the reader closed it); what it received is incomplete"
					  : "; what was written is incomplete");
		goto out;
	}
	if (r < 0) {
		scx_log_error("%s: cannot write the bundle: %s", output, strerror(-r));
		goto out;
	}
	if (stream)
		scx_log_info("wrote the bundle to standard output (%llu KiB), sha256 %s",
			     (unsigned long long)(streamed + 1023) / 1024, sha);
	else if (stat(output, &st) == 0)
		scx_log_info("wrote %s (%lld KiB) and %s.sha256", output,
			     (long long)(st.st_size + 1023) / 1024, output);
	{
		const char *cls = json_string_value(json_object_get(json_object_get(report, "verdict"), "class"));
		const char *sum = json_string_value(json_object_get(json_object_get(report, "verdict"), "summary"));

		if (cls)
			fprintf(say, "%s: %s\n", cls, sum ? sum : "");
		if (!stream)
			printf("%s\n", output);
	}
	rc = json_is_integer(json_object_get(json_object_get(report, "paired"), "exit_code"))
		     ? (int)json_integer_value(json_object_get(json_object_get(report, "paired"), "exit_code"))
		     : SCX_EXIT_OK;
	goto out;

interrupted:
	scx_log_error("interrupted by signal %d; no bundle written", (int)scx_interrupted);
	rc = SCX_EXIT_FAIL;
	/* A scheduler the paired run could not put back outranks the interruption. */
	if (report && json_integer_value(json_object_get(json_object_get(report, "paired"),
							 "exit_code")) == SCX_EXIT_NOT_RESTORED) {
		scx_log_error("the custom scheduler was NOT restored: see the messages above");
		rc = SCX_EXIT_NOT_RESTORED;
	}
out:
	if (out_fd >= 0)
		close(out_fd);
	rm_rf(stage);
	json_decref(manifest);
	json_decref(report);
	return rc;
}
