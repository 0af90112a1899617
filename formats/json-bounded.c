// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jansson's allocator, counted (see json-bounded.h).  jansson has one
 * process-wide allocator, set before anything is parsed: every block
 * carries its size, and a limit is enforced only while a bounded parse
 * runs.  (jansson has no per-call memory limit of its own.)
 */
#include "json-bounded.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define HDR 16	/* keeps malloc's alignment */

static size_t used, limit;	/* limit 0: none */

static void *counted_malloc(size_t n)
{
	size_t now = __atomic_load_n(&used, __ATOMIC_RELAXED);
	unsigned char *p;

	if (limit && now + n > limit)
		return NULL;
	p = malloc(n + HDR);
	if (!p)
		return NULL;
	*(size_t *)p = n;
	__atomic_add_fetch(&used, n, __ATOMIC_RELAXED);
	return p + HDR;
}

static void counted_free(void *ptr)
{
	unsigned char *p = ptr;

	if (!p)
		return;
	p -= HDR;
	__atomic_sub_fetch(&used, *(size_t *)p, __ATOMIC_RELAXED);
	free(p);
}

/* Before main(): no json_t may exist that the counted free did not allocate. */
__attribute__((constructor)) static void install_counted_alloc(void)
{
	json_set_alloc_funcs(counted_malloc, counted_free);
}

int scx_json_loadb_bounded(const char *text, size_t len, size_t budget, json_t **ret,
			   json_error_t *jerr)
{
	json_t *j;
	bool over;

	limit = __atomic_load_n(&used, __ATOMIC_RELAXED) + budget;
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES, jerr);
	over = !j && __atomic_load_n(&used, __ATOMIC_RELAXED) + 4096 > limit;
	limit = 0;
	if (!j) {
		/* Out of budget shows as jansson's "out of memory" at some offset. */
		if (over || json_error_code(jerr) == json_error_out_of_memory)
			return -E2BIG;
		return -EBADMSG;
	}
	*ret = j;
	return 0;
}
