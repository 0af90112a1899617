// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report show`: verify a bundle against its manifest, print its summary. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "bundle-walk.h"
#include "escape.h"
#include "formats.h"
#include "outfile.h"
#include "reader.h"
#include "util.h"
#include "verbs.h"
#include "model.h"

void help_show(FILE *f)
{
	fprintf(f,
		"Usage: scx-report show [-f] [--json | --html FILE | --list | --member PATH] BUNDLE\n"
		"\n"
		"Verify BUNDLE against its manifest (paths, sizes, sha256 of every member,\n"
		"schemas) and print its summary, or with --json the whole report.\n"
		"The summary is rendered from report.json; control bytes are shown as \\xNN.\n"
		"BUNDLE '-' reads standard input (scx-report collect -o - | scx-report show -).\n"
		"Exit status: 0 valid, 1 invalid or unreadable (--list: a member is not ok),\n"
		"2 usage error.\n"
		"\n"
		"      --json         print report.json instead of the summary\n"
		"      --html FILE    write report.html, rendered from report.json by this\n"
		"                     version ('-': standard output)\n"
		"      --list         list the members with their size and the manifest's\n"
		"                     status for each (ok, size differs, checksum differs,\n"
		"                     not in manifest, duplicate, missing)\n"
		"      --member PATH  print one member (a path inside the top folder), only\n"
		"                     when its size and sha256 match the manifest; to a\n"
		"                     terminal control bytes are shown as \\xNN and a binary\n"
		"                     member is refused unless --force\n"
		"  -f, --force        replace an existing --html FILE (a regular file only);\n"
		"                     print a binary --member to a terminal\n"
		"  -h, --help         this help\n");
}

static const struct option show_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "html", required_argument, NULL, 'H' },
	{ "list", no_argument, NULL, 'l' },
	{ "member", required_argument, NULL, 'm' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

static int show_list(const char *path)
{
	json_t *list = NULL, *m;
	char err[512];
	size_t i;
	int r = scx_bundle_list(path, &list, err, sizeof(err)), bad = 0;

	if (r < 0) {
		scx_log_error("show: invalid bundle: %s", err);
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

int verb_show(int argc, char **argv)
{
	struct scx_bundle b;
	char err[512];
	const char *html = NULL, *member = NULL;
	bool json = false, list = false, force = false;
	int c, r;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "fh", show_options)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'H': html = optarg; break;
		case 'l': list = true; break;
		case 'm': member = optarg; break;
		case 'f': force = true; break;
		case 'h': help_show(stdout); return SCX_EXIT_OK;
		default:
			fprintf(stderr, "Try 'scx-report help show'.\n");
			return SCX_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		scx_log_error("show: expected exactly one BUNDLE argument");
		return SCX_EXIT_USAGE;
	}
	if (json + !!html + list + !!member > 1) {
		scx_log_error("show: --json, --html, --list and --member go one at a time");
		return SCX_EXIT_USAGE;
	}
	if (list)
		return show_list(argv[optind]);
	if (member)
		return show_member(argv[optind], member, force);
	/* Refuse a --html target before reading the bundle, not after. */
	if (html && strcmp(html, "-") != 0 && (r = scx_out_check(html, force)) < 0) {
		scx_log_error("show --html: %s: %s", html, scx_out_strerror(r));
		return SCX_EXIT_FAIL;
	}
	r = scx_bundle_read(argv[optind], &b, err, sizeof(err));
	if (r < 0) {
		/* The reader names "-" as the path; say what it is. */
		if (!strcmp(argv[optind], "-") && !strncmp(err, "-: ", 3))
			scx_log_error("show: invalid bundle: standard input: %s", err + 3);
		else
			scx_log_error("show: invalid bundle: %s", err);
		return SCX_EXIT_FAIL;
	}
	if (html) {
		r = scx_html_write(html, b.report, force);
		if (r < 0)
			scx_log_error("show --html: cannot write %s: %s", html, scx_out_strerror(r));
		scx_bundle_free(&b);
		return r < 0 ? SCX_EXIT_FAIL : SCX_EXIT_OK;
	}
	if (json)
		print_json(b.report);
	else
		print_summary(&b);
	scx_bundle_free(&b);
	return fflush(stdout) == 0 ? SCX_EXIT_OK : SCX_EXIT_FAIL;
}
