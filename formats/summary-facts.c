// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whether a bundle's summary.txt says what its report.json says.  summary.txt
 * is written by the version that collected; show renders report.json with
 * its own version, which may order counters differently, size columns
 * differently or print a figure in another unit.  So the two are compared on
 * their facts, not their bytes: the words of the verdict block (the lines
 * before the first section, "Measured:" and "Partial report:" aside, which this
 * version derives from numbers and probe statuses), of "Problems found" and of the sched_ext history,
 * as multisets (any order, any spacing).  Changing any of those words in
 * summary.txt (the verdict, who to report to, the scheduler, a problem) is a
 * difference; a reordered counter or a wider column is not.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

static bool fact_section(const char *heading, size_t len)
{
	static const char *const kept[] = { "== Problems found ==", "== sched_ext history" };

	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (len >= strlen(kept[i]) && !strncmp(heading, kept[i], strlen(kept[i])))
			return true;
	return false;
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fact words of text, sorted; NULL on no memory.  *ret_n words, kept in *ret_copy. */
static char **fact_words(const char *text, size_t len, size_t *ret_n, char **ret_copy)
{
	char *copy = strndup(text, len), **w = calloc(len / 2 + 2, sizeof(char *));
	bool keep = true;
	size_t n = 0;
	char *line, *save;

	if (!copy || !w) {
		free(copy);
		free(w);
		return NULL;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *wsave, *t;

		if (!strncmp(line, "== ", 3)) {
			keep = fact_section(line, strlen(line));
			continue;
		}
		if (!keep || !strncmp(line, "Measured:", 9) || !strncmp(line, "Partial report:", 15))
			continue;
		for (t = strtok_r(line, " \t", &wsave); t; t = strtok_r(NULL, " \t", &wsave))
			w[n++] = t;
	}
	qsort(w, n, sizeof(char *), cmp_word);
	*ret_n = n;
	*ret_copy = copy;
	return w;
}

bool scx_summary_same_facts(const char *a, size_t alen, const char *b, size_t blen)
{
	char *ca = NULL, *cb = NULL, **wa, **wb;
	size_t na = 0, nb = 0;
	bool same;

	if (memchr(a, 0, alen) || memchr(b, 0, blen))
		return false;
	wa = fact_words(a, alen, &na, &ca);
	wb = fact_words(b, blen, &nb, &cb);
	same = wa && wb && na == nb;
	for (size_t i = 0; same && i < na; i++)
		same = !strcmp(wa[i], wb[i]);
	free(wa);
	free(wb);
	free(ca);
	free(cb);
	return same;
}
