// SPDX-License-Identifier: GPL-2.0-or-later
/* What every verb's option parsing shares: one number parser, one message. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "formats.h"

#include "outfile.h"
#include "util.h"
#include "verbs.h"

int verb_parse_uint(const char *verb, const char *opt, const char *s, uint64_t min, uint64_t max,
		    uint64_t *ret)
{
	int r = parse_uint_range(s, min, max, ret);

	if (r < 0)
		scx_log_error("%s: %s: '%s' is not a whole number from %" PRIu64 " to %" PRIu64,
			      verb, opt, s, min, max);
	return r;
}

/* "collect" from argv[0] "scx-report collect" (main.c names it so). */
static const char *verb_name(char *const argv[])
{
	const char *sp = strrchr(argv[0], ' ');

	return sp ? sp + 1 : argv[0];
}

int verb_getopt(int argc, char *const argv[], const char *shortopts, const struct option *longopts)
{
	char opts[64];
	int c;

	/* ':' first: a missing value comes back as ':', an unknown option as '?'. */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == ':') {
		scx_log_error("%s: option '%s' needs a value", verb_name(argv), argv[optind - 1]);
		return '?';
	}
	if (c == '?') {
		if (optopt && optopt < 128 && optopt != '?')
			scx_log_error("%s: unrecognized option '-%c'", verb_name(argv), optopt);
		else
			scx_log_error("%s: unrecognized option '%s'", verb_name(argv), argv[optind - 1]);
	}
	return c;
}

/* Levenshtein distance of two short words (at most 31 bytes each are compared). */
static unsigned distance(const char *a, const char *b)
{
	unsigned d[32][32];
	size_t la = strnlen(a, 31), lb = strnlen(b, 31);

	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			unsigned del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			/* a swap of two neighbours counts as one edit (shwo -> show) */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

const char *verb_did_you_mean(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	unsigned best_d = 3;

	for (size_t i = 0; i < n; i++) {
		unsigned d = distance(word, names[i]);

		/* at most 2 edits, and fewer than half the word's letters */
		if (d < best_d && d * 2 < strlen(names[i])) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}
