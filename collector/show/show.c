// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report show`'s work (collector/verbs/verb-show.c parses its options):
 * a bundle verified against its manifest and shown as its summary (the one
 * rendered from report.json, or summary.txt when it states the same lines),
 * report.json, report.html, the member list or one member.  Every byte that
 * reaches a terminal is escaped: the bundle is hostile until proved not.
 */
#include "show.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "bundle-walk.h"
#include "escape.h"
#include "exit-codes.h"
#include "formats.h"
#include "model.h"
#include "outfile.h"
#include "reader.h"
#include "util.h"

static int show_list(const char *path)
{
	json_t *list = NULL, *m;
	char err[512];
	size_t i;
	int r = scx_bundle_list(path, &list, err, sizeof(err)), bad = 0;

	if (r < 0) {
		scx_log_error("show: %s%s", scx_bundle_err_prefix(r), err);
		return SCX_EXIT_FAIL;
	}
	scx_list_render(stdout, list);
	json_array_foreach(list, i, m) {
		const char *st = jstr(m, "status");

		bad += strcmp(st, "ok") != 0 && strcmp(st, "manifest") != 0;
	}
	json_decref(list);
	if (bad)
		scx_log_error("%s: %d member(s) do not match the manifest", path, bad);
	return fflush(stdout) == 0 && !bad ? SCX_EXIT_OK : SCX_EXIT_FAIL;
}

static int show_member(const char *path, const char *member, bool force)
{
	_cleanup_free_ char *data = NULL;
	char err[512];
	size_t len = 0;
	int r = scx_bundle_member(path, member, &data, &len, err, sizeof(err));

	if (r < 0) {
		scx_log_error("show --member: %s", err);
		return SCX_EXIT_FAIL;
	}
	if (!isatty(STDOUT_FILENO)) {
		/* A pipe or a file gets the verified bytes as they are. */
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
			return SCX_EXIT_FAIL;
		return SCX_EXIT_OK;
	}
	if (scx_escape_is_binary(data, len) && !force) {
		scx_log_error("show --member: %s is not text; not writing it to a terminal "
			      "(redirect to a file, or --force to see it escaped)",
			      scx_escape_str(member, err, sizeof(err)));
		return SCX_EXIT_FAIL;
	}
	/* To a terminal every control byte is shown as \xNN: no escape sequence reaches it. */
	if (scx_escape_write(stdout, data, len, true) < 0 || fflush(stdout) != 0)
		return SCX_EXIT_FAIL;
	return SCX_EXIT_OK;
}

/* report.json as ASCII JSON: no byte a terminal acts on (DEL too). */
static void print_json(const json_t *report)
{
	_cleanup_free_ char *text = json_dumps(report, SCX_JSON_OUT | JSON_ENSURE_ASCII);

	for (const char *p = text; p && *p; p++) {
		if (*p == 0x7f)
			fputs("\\u007f", stdout);
		else
			fputc(*p, stdout);
	}
	fputc('\n', stdout);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether two texts hold the same lines, in any order. */
static bool same_lines(const char *a, size_t alen, const char *b, size_t blen)
{
	_cleanup_free_ char *ca = NULL, *cb = NULL;
	_cleanup_free_ char **la = NULL, **lb = NULL;
	size_t na = 0, nb = 0;
	char *save, *t;

	if (alen != blen || memchr(a, 0, alen) || memchr(b, 0, blen))
		return false;
	ca = strndup(a, alen);
	cb = strndup(b, blen);
	la = calloc(alen + 1, sizeof(char *));
	lb = calloc(blen + 1, sizeof(char *));
	if (!ca || !cb || !la || !lb)
		return false;
	for (t = strtok_r(ca, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
		la[na++] = t;
	for (t = strtok_r(cb, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
		lb[nb++] = t;
	if (na != nb)
		return false;
	qsort(la, na, sizeof(char *), cmp_line);
	qsort(lb, nb, sizeof(char *), cmp_line);
	for (size_t i = 0; i < na; i++)
		if (strcmp(la[i], lb[i]) != 0)
			return false;
	return true;
}

/*
 * summary.txt when it holds the lines the summary of report.json (what was
 * verified) holds; the order may differ, since report.json's keys are sorted.
 * A summary.txt that says something else is noted and never shown: the
 * summary of report.json is.
 */
static void print_summary(const struct scx_bundle *b)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		scx_log_error("show: out of memory");
		return;
	}
	scx_summary_render(f, b->report);
	if (fclose(f) != 0) {
		scx_log_error("show: out of memory");
		return;
	}
	if (b->summary && same_lines(b->summary, b->summary_len, text, len)) {
		scx_escape_write(stdout, b->summary, b->summary_len, true);
		return;
	}
	/* Another version's spacing, counter order or units are no difference; other facts are. */
	if (b->summary && !scx_summary_same_facts(b->summary, b->summary_len, text, len))
		scx_log_warn("summary.txt in the bundle states other facts than its report.json "
			     "(verdict, scheduler, problems or history): showing the summary of "
			     "report.json");
	fflush(stderr);
	scx_escape_write(stdout, text, len, true);
}

int scx_show(const char *path, const struct scx_show_request *req)
{
	struct scx_bundle b;
	char err[512];
	int r;

	if (req->list)
		return show_list(path);
	if (req->member)
		return show_member(path, req->member, req->force);
	/* Refuse a --html target before reading the bundle, not after. */
	if (req->html && strcmp(req->html, "-") != 0 && (r = scx_out_check(req->html, req->force)) < 0) {
		scx_log_error("show --html: %s: %s", req->html, scx_out_strerror(r));
		return SCX_EXIT_FAIL;
	}
	r = scx_bundle_read(path, &b, err, sizeof(err));
	if (r < 0) {
		/* The reader names "-" as the path; say what it is. */
		if (!strcmp(path, "-") && !strncmp(err, "-: ", 3))
			scx_log_error("show: invalid bundle: standard input: %s", err + 3);
		else
			scx_log_error("show: %s%s", scx_bundle_err_prefix(r), err);
		return SCX_EXIT_FAIL;
	}
	if (req->html) {
		r = scx_html_write(req->html, b.report, req->force);
		if (r < 0)
			scx_log_error("show --html: cannot write %s: %s", req->html, scx_out_strerror(r));
		scx_bundle_free(&b);
		return r < 0 ? SCX_EXIT_FAIL : SCX_EXIT_OK;
	}
	if (req->json)
		print_json(b.report);
	else
		print_summary(&b);
	scx_bundle_free(&b);
	return fflush(stdout) == 0 ? SCX_EXIT_OK : SCX_EXIT_FAIL;
}
