// SPDX-License-Identifier: GPL-2.0-or-later
/* What every verb's option parsing shares: one number parser, one message. */
#include <inttypes.h>

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
