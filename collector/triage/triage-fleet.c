// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report triage BUNDLE... | DIR...`: a fleet's bundles in one table.
 * Each bundle is read only as far as its manifest and report.json; a bundle
 * that is refused is listed with the reason and the run goes on.  The rows
 * and their counts are collector/judge/triage.c's, the renderers formats'.
 */
#include "triage-fleet.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle-walk.h"
#include "model.h"
#include "outfile.h"
#include "reader.h"
#include "triage.h"
#include "util.h"

#define MAX_DEPTH SCX_TRIAGE_MAX_DEPTH
#define MAX_BUNDLES 1000000
#define MAX_WORKERS 8

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
	char err[512], via[64];
	struct stat st;
	int fd, r;

	/*
	 * The scan saw a regular file, but another user may swap a link or a FIFO
	 * in since: opened without following a link or waiting for a writer, checked
	 * to be a regular file, and read through that very descriptor.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, sizeof(err), "%s", fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return json_pack("{s:{s:s, s:s}}", "refused", "path", path, "reason", err);
	}
	snprintf(via, sizeof(via), "/proc/self/fd/%d", fd);
	r = scx_bundle_head(via, &man, &rep, err, sizeof(err));
	close(fd);
	if (r < 0) {
		size_t n = strlen(via);
		/* The row names the bundle: the reason need not repeat it. */
		const char *why = !strncmp(err, via, n) && !strncmp(err + n, ": ", 2) ? err + n + 2 : err;

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

static void html_of(FILE *f, const void *t)
{
	scx_triage_render_html(f, t);
}

int scx_triage_write_html(const char *path, const json_t *t, bool force)
{
	if (!strcmp(path, "-")) {
		scx_triage_render_html(stdout, t);
		return fflush(stdout) == 0 ? 0 : -EIO;
	}
	/* lib/outfile.c, as show --html: a regular file only, replaced only with force. */
	return scx_out_write(path, force, scx_out_mode(geteuid() == 0), html_of, t);
}

json_t *scx_triage_fleet(char *const *args, size_t n)
{
	json_t *paths = json_array(), *rows = json_array(), *refused = json_array(), *t;

	for (size_t a = 0; a < n; a++) {
		struct stat st;

		if (stat(args[a], &st) == 0 && S_ISDIR(st.st_mode)) {
			json_t *found = json_array();

			scan_dir(args[a], found, 0);
			json_array_extend(paths, found);
			json_decref(found);
		} else {
			json_array_append_new(paths, json_string(args[a]));
		}
	}
	read_all(paths, rows, refused);
	t = json_pack("{s:o, s:o, s:o, s:o}", "bundles", rows, "refused", refused, "counts",
		      scx_triage_counts(rows), "signatures", scx_triage_by_signature(rows));
	json_decref(paths);
	return t;
}
