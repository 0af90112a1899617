/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the cmocka tests; include after <cmocka.h>. */
#pragma once

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Wait (up to 2 s) until pid runs bin: its /proc/PID/exe names bin, not its parent's executable. */
static inline void wait_exe(pid_t pid, const char *bin)
{
	for (int i = 0; i < 400; i++) {
		char path[64], link[PATH_MAX];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', !strcmp(link, bin)))
			return;
		usleep(5000);
	}
}

#ifdef SCX_REDACT_MAP_SCHEMA	/* after redact.h: the redacted copy of a C string */
static inline char *red(struct scx_redact *r, const char *in)
{
	char *out = scx_redact_text(r, in, strlen(in), NULL);

	assert_non_null(out);
	return out;
}

#define assert_redacts(r, in, want) do {			\
	char *_o = red(r, in);					\
	assert_string_equal(_o, want);				\
	free(_o);						\
} while (0)
#endif
