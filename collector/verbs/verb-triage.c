// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report triage BUNDLE... | DIR...`: a fleet's bundles in one table.
 * Each bundle is read only as far as its manifest and report.json; a bundle
 * that is refused is listed with the reason and the run goes on.
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle-walk.h"
#include "paths.h"
#include "model.h"
#include "reader.h"
#include "triage.h"
#include "util.h"
#include "verbs.h"

#define MAX_DEPTH 8
#define MAX_BUNDLES 1000000
#define MAX_WORKERS 8

void help_triage(FILE *f)
{
	fprintf(f,
		"Usage: scx-report triage [--json | --html FILE] BUNDLE... | DIR...\n"
		"\n"
		"One row per bundle: host, collected at, kernel, scheduler, version,\n"
		"provenance, verdict and the key figure (the paired run's primary ratio, else\n"
		"the runq p99); then the number of bundles by scheduler version and verdict.\n"
		"A DIR is searched for *.tar.zst (%d levels deep). Only each bundle's\n"
		"manifest.json and report.json are read (both verified); a bundle that is\n"
		"refused is listed with the reason and the others are still read.\n"
		"Exit status: 0 every bundle read, 1 some refused or none found, 2 usage error.\n"
		"\n"
		"      --json       print the rows, the refused bundles and the counts as JSON\n"
		"      --html FILE  also write the table as a self-contained HTML page ('-': stdout)\n"
		"  -h, --help       this help\n", MAX_DEPTH);
}

static const struct option triage_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "html", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/* Every *.tar.zst below dir, in name order. */
static void scan_dir(const char *dir, json_t *paths, int depth)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char p[PATH_MAX];
		struct stat st;

		if (ents[i]->d_name[0] == '.' || json_array_size(paths) >= MAX_BUNDLES)
			goto next;
		snprintf(p, sizeof(p), "%s/%s", dir, ents[i]->d_name);
		if (lstat(p, &st) < 0)
			goto next;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
			scan_dir(p, paths, depth + 1);
		else if (S_ISREG(st.st_mode) && endswith(ents[i]->d_name, ".tar.zst"))
			json_array_append_new(paths, json_string(p));
next:
		free(ents[i]);
	}
	free(ents);
}

/* One bundle's row, or its refusal: {"row": ...} | {"refused": {path, reason}}. */
static json_t *read_one(const char *path)
{
	json_t *man = NULL, *rep = NULL, *row;
	char err[512];

	if (scx_bundle_head(path, &man, &rep, err, sizeof(err)) < 0) {
		size_t n = strlen(path);
		/* The row names the bundle: the reason need not repeat it. */
		const char *why = !strncmp(err, path, n) && !strncmp(err + n, ": ", 2) ? err + n + 2 : err;

		return json_pack("{s:{s:s, s:s}}", "refused", "path", path, "reason", why);
	}
	row = scx_triage_row_signed(path, man, rep);
	json_decref(man);
	json_decref(rep);
	return json_pack("{s:o}", "row", row);
}

/*
 * Parsing report.json is most of the cost: the bundles are shared among one
 * worker process per CPU, each writing one JSON line per bundle into its own
 * unlinked temporary file; the parent puts the lines back in path order.
 * Without workers (one CPU, fork failing) the parent reads them itself.
 */
static void read_all(const json_t *paths, json_t *rows, json_t *refused)
{
	size_t n = json_array_size(paths), i;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nw = cpus < 1 ? 1 : cpus > MAX_WORKERS ? MAX_WORKERS : (size_t)cpus;
	json_t **out = calloc(n ? n : 1, sizeof(*out));
	FILE *tmp[MAX_WORKERS] = { 0 };
	pid_t pid[MAX_WORKERS] = { 0 };

	if (!out)
		return;
	if (n < 16)
		nw = 1;
	fflush(stdout);
	for (size_t w = 0; nw > 1 && w < nw; w++) {
		tmp[w] = tmpfile();
		pid[w] = tmp[w] ? fork() : -1;
		if (pid[w] == 0) {
			for (i = w; i < n; i += nw) {
				json_t *o = read_one(json_string_value(json_array_get(paths, i)));

				json_object_set_new(o, "i", json_integer((json_int_t)i));
				json_dumpf(o, tmp[w], JSON_COMPACT);
				fputc('\n', tmp[w]);
				json_decref(o);
			}
			_exit(fflush(tmp[w]) == 0 ? 0 : 1);
		}
	}
	for (size_t w = 0; nw > 1 && w < nw; w++) {
		char *line = NULL;
		size_t cap = 0;

		if (pid[w] > 0)
			waitpid(pid[w], NULL, 0);
		if (!tmp[w])
			continue;
		rewind(tmp[w]);
		while (getline(&line, &cap, tmp[w]) > 0) {
			json_t *o = json_loads(line, 0, NULL);
			json_int_t k = json_integer_value(json_object_get(o, "i"));

			if (o && k >= 0 && (size_t)k < n && !out[k])
				out[k] = o;
			else
				json_decref(o);
		}
		free(line);
		fclose(tmp[w]);
	}
	/* Whatever no worker delivered (no workers, a worker that died) is read here. */
	for (i = 0; i < n; i++) {
		if (!out[i])
			out[i] = read_one(json_string_value(json_array_get(paths, i)));
		if (json_object_get(out[i], "row"))
			json_array_append(rows, json_object_get(out[i], "row"));
		else if (json_object_get(out[i], "refused"))
			json_array_append(refused, json_object_get(out[i], "refused"));
		json_decref(out[i]);
	}
	free(out);
}

static int write_html(const char *path, const json_t *t)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	int r;

	if (!f)
		return -errno;
	scx_triage_render_html(f, t);
	r = ferror(f) ? -EIO : 0;
	if (f != stdout && fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

int verb_triage(int argc, char **argv)
{
	const char *html = NULL;
	json_t *paths = json_array(), *rows = json_array(), *refused = json_array(), *t;
	bool json = false;
	int c, rc = SCX_EXIT_OK;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", triage_options)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'H': html = optarg; break;
		case 'h': help_triage(stdout); rc = -1; break;
		default:
			fprintf(stderr, "Try 'scx-report help triage'.\n");
			rc = SCX_EXIT_USAGE;
		}
	}
	if (rc == -1 || rc == SCX_EXIT_USAGE)
		goto out_early;
	if (optind >= argc || (json && html && !strcmp(html, "-"))) {
		scx_log_error(optind >= argc ? "triage: expected BUNDLE or DIR arguments"
					     : "triage: --json and --html - both want standard output");
		rc = SCX_EXIT_USAGE;
		goto out_early;
	}
	/* A path that is not there is a mistake in the command, not a refused bundle. */
	for (int a = optind; a < argc; a++) {
		char why[PATH_MAX + 64];

		if (scx_path_check(argv[a], SCX_PATH_ANY, why, sizeof(why)) < 0) {
			scx_log_error("triage: %s", why);
			rc = SCX_EXIT_FAIL;
			goto out_early;
		}
	}
	for (int a = optind; a < argc; a++) {
		struct stat st;

		if (stat(argv[a], &st) == 0 && S_ISDIR(st.st_mode)) {
			json_t *found = json_array();

			scan_dir(argv[a], found, 0);
			json_array_extend(paths, found);
			json_decref(found);
		} else {
			json_array_append_new(paths, json_string(argv[a]));
		}
	}
	read_all(paths, rows, refused);
	t = json_pack("{s:O, s:O, s:o, s:o}", "bundles", rows, "refused", refused, "counts",
		      scx_triage_counts(rows), "signatures", scx_triage_by_signature(rows));
	if (json) {
		json_dumpf(t, stdout, SCX_JSON_OUT);
		fputc('\n', stdout);
	} else if (!html || strcmp(html, "-")) {
		scx_triage_render(stdout, t);
	}
	if (html) {
		int r = write_html(html, t);

		if (r < 0) {
			scx_log_error("triage: cannot write %s: %s", html, strerror(-r));
			rc = SCX_EXIT_FAIL;
		}
	}
	json_decref(t);
	if (!json_array_size(paths))
		scx_log_error("triage: no bundles (*.tar.zst) found");
	if (json_array_size(refused) || !json_array_size(paths))
		rc = SCX_EXIT_FAIL;
	if (fflush(stdout) != 0)
		rc = SCX_EXIT_FAIL;
out_early:
	json_decref(paths);
	json_decref(rows);
	json_decref(refused);
	return rc == -1 ? SCX_EXIT_OK : rc;
}
