/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the cmocka tests; include after <cmocka.h>. */
#pragma once

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* The file REL under the folder named by environment variable ENV (e.g. SCX_TEST_DATA); fails the test if unreadable. */
static inline char *read_test_file(const char *env, const char *rel, size_t *ret_len)
{
	char path[PATH_MAX];
	char *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", getenv(env), rel);
	if (read_file_full(path, 0, &buf, &len, NULL) < 0)
		fail_msg("%s: cannot read", path);
	if (ret_len)
		*ret_len = len;
	return buf;
}
