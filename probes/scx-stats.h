/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bounded client of scx_stats (sched-ext/scx rust/scx_stats, REFERENCE §13): the statistics
 * most scx schedulers serve on a UNIX stream socket, /var/run/scx/root/stats by default.
 *
 * The protocol: one JSON object per line each way.  Requests {"req":"stats_meta","args":{}}
 * and {"req":"stats","args":{"target":"top"}}; replies {"errno":0,"args":{"resp":VALUE}}, and
 * on an error errno != 0 with resp the server's message.  stats_meta's resp maps each stats
 * struct's name to {"name", "top"?: "true", "desc"?, "fields": {NAME: {"datum"|"array": KIND |
 * "dict": {"key","datum"}, "desc"?}}}, KIND being "i64", "u64", "float", "string" or
 * {"struct": NAME}.
 *
 * Every step has a deadline and every reply a size cap, so a server that hangs, floods or
 * answers garbage costs at most the timeout and the cap; the reason comes back in why.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

#define SCX_STATS_DEFAULT_PATH "/var/run/scx/root/stats"

struct scx_stats_limits {
	unsigned timeout_ms;		/* per request (connect, write, read) */
	size_t max_reply;		/* bytes of one reply line */
};

/* Connect to a UNIX stream socket at path without blocking past the deadline: fd or -errno. */
int scx_stats_connect(const char *path, const struct scx_stats_limits *lim, char *why, size_t whylen);
/*
 * Send one request line (req: "stats_meta" or "stats"; target NULL for none) on fd and read
 * one reply line.  0 and *ret_resp (args.resp of a reply with errno 0), or -errno with why:
 * -ETIMEDOUT (no whole reply in time), -EMSGSIZE (longer than max_reply), -EBADMSG (not JSON,
 * not the envelope), -EPROTO (the server's errno != 0), -ECONNRESET (closed), others.
 */
int scx_stats_request(int fd, const char *req, const char *target, const struct scx_stats_limits *lim,
		      json_t **ret_resp, char *why, size_t whylen);
/*
 * The fields of a stats_meta resp, top struct first: [{"struct", "field", "type", "desc"?}],
 * at most max.  The top struct's name in *ret_top (borrowed from meta) when it has one.
 */
json_t *scx_stats_fields(const json_t *meta, size_t max, const char **ret_top);
/* The scalar members of a stats resp (numbers, strings, booleans), at most max. */
json_t *scx_stats_scalars(const json_t *resp, size_t max);
/*
 * Listening UNIX stream sockets with a path among the inodes in /proc/PID/fd, from
 * net_unix (the text of /proc/PID/net/unix): paths appended to ret_paths.
 */
void scx_stats_unix_listeners(const char *net_unix, const unsigned long *inodes, size_t n_inodes,
			      json_t *ret_paths);
