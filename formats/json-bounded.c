// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jansson's allocator, counted (see json-bounded.h).  jansson has one
 * process-wide allocator, set before anything is parsed.  Blocks are plain
 * malloc blocks (json_dumps() strings may be given to free() by callers),
 * their cost read back with malloc_usable_size(); a limit is enforced only
 * while a bounded parse runs, relative to what was in use when it began.
 * (jansson has no per-call memory limit of its own.)
 */
#include "json-bounded.h"

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* malloc's own header, about 16 bytes a block. */
#define COST(usable) ((usable) + 16)

static size_t used, limit;	/* limit 0: none */
static bool refused;

static void *counted_malloc(size_t n)
{
	void *p;

	if (limit && __atomic_load_n(&used, __ATOMIC_RELAXED) + COST(n) > limit) {
		refused = true;
		return NULL;
	}
	p = malloc(n);
	if (p)
		__atomic_add_fetch(&used, COST(malloc_usable_size(p)), __ATOMIC_RELAXED);
	return p;
}

static void counted_free(void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&used, COST(malloc_usable_size(p)), __ATOMIC_RELAXED);
	free(p);
}

/* Before main(), so that every json_t is counted from the start. */
__attribute__((constructor)) static void install_counted_alloc(void)
{
	json_set_alloc_funcs(counted_malloc, counted_free);
}

int scx_json_loadb_bounded(const char *text, size_t len, size_t budget, json_t **ret,
			   json_error_t *jerr)
{
	json_t *j;
	bool over;

	refused = false;
	limit = __atomic_load_n(&used, __ATOMIC_RELAXED) + budget;
	/* A NUL in a string is kept: C strings stop at it, printing escapes it. */
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, jerr);
	over = refused;
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
