/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Inflate gzip data (in, in_len) into a NUL-terminated buffer of at most max
 * bytes; *ret_truncated (may be NULL) says whether more was there.  -EINVAL
 * or -EBADMSG on data that is not gzip, -ENOMEM.
 */
int gunzip_bounded(const void *in, size_t in_len, size_t max, char **ret_buf, size_t *ret_len,
		   bool *ret_truncated);
