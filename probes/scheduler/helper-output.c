// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helper programs of the identity probe (dpkg-query, dpkg, apt-cache, rpm,
 * systemctl, journalctl, busctl, rc-service) run through scx_spawn(); this
 * file keeps what they said in the bundle.  The scheduler binary itself is
 * never run.
 */
#include <string.h>

#include "identity.h"

void sched_save_cmd(struct scx_probe_ctx *ctx, const char *rel, const char *const argv[],
		    const struct scx_cmd *c)
{
	size_t cap = 64 + (c->out ? c->len : 0), off = 0;
	_cleanup_free_ char *buf = NULL;

	for (const char *const *a = argv; *a; a++)
		cap += strlen(*a) + 3;
	buf = malloc(cap);
	if (!buf)
		return;
	off += (size_t)snprintf(buf + off, cap - off, "$");
	for (const char *const *a = argv; *a; a++)
		off += (size_t)snprintf(buf + off, cap - off, " %s", *a);
	off += (size_t)snprintf(buf + off, cap - off, "\n");
	if (c->out && c->len) {
		memcpy(buf + off, c->out, c->len);
		off += c->len;
		if (c->out[c->len - 1] != '\n')
			buf[off++] = '\n';
	}
	off += (size_t)snprintf(buf + off, cap - off, "[exit %d%s]\n", c->status,
				c->truncated ? ", output truncated" : "");
	probe_save(ctx, rel, buf, off);
}
