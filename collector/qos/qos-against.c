// SPDX-License-Identifier: GPL-2.0-or-later
/* --against: another scheduler through the same manager (see qos-switch.h). */
#include "qos-switch.h"

#include <errno.h>
#include <stdio.h>

int scx_switch_prepare_other(const struct scx_switch *custom, const char *name,
			     struct scx_switch **ret, char *why, size_t whylen)
{
	snprintf(why, whylen, "--against %s: not supported yet", name);
	return -EOPNOTSUPP;
}
