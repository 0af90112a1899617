// SPDX-License-Identifier: GPL-2.0-or-later
/* gzip data in memory, inflated with a bound (zlib). */
#include "gunzip.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

#include "util.h"

int gunzip_bounded(const void *in, size_t in_len, size_t max, char **ret_buf, size_t *ret_len,
		   bool *ret_truncated)
{
	z_stream z = { .next_in = (Bytef *)in, .avail_in = (uInt)in_len };
	_cleanup_free_ char *out = NULL;
	size_t cap = 0, len = 0;
	bool truncated = false;
	int zr;

	if (in_len > UINT_MAX || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -EINVAL;
	for (;;) {
		if (cap - len < 65536) {
			size_t ncap = cap ? cap * 2 : 262144;
			char *nb;

			if (cap >= max + 1) {
				truncated = true;
				break;
			}
			nb = realloc(out, ncap + 1);
			if (!nb) {
				inflateEnd(&z);
				return -ENOMEM;
			}
			out = nb;
			cap = ncap;
		}
		z.next_out = (Bytef *)out + len;
		z.avail_out = (uInt)(cap - len);
		zr = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr != Z_OK) {
			inflateEnd(&z);
			return -EBADMSG;
		}
	}
	inflateEnd(&z);
	if (len > max) {
		len = max;
		truncated = true;
	}
	out[len] = '\0';
	*ret_buf = TAKE_PTR(out);
	*ret_len = len;
	if (ret_truncated)
		*ret_truncated = truncated;
	return 0;
}
