// SPDX-License-Identifier: GPL-2.0-or-later
/* The scx_stats client (scx-stats.h): sockets, deadlines, the reply envelope, the metadata. */
#include "scx-stats.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

static int remaining_ms(uint64_t deadline)
{
	uint64_t now = now_mono_ns();

	return now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
}

static int wait_fd(int fd, short ev, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };

	for (;;) {
		int ms = remaining_ms(deadline), r;

		if (!ms)
			return -ETIMEDOUT;
		r = poll(&p, 1, ms);
		if (r > 0)
			return 0;
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int scx_stats_connect(const char *path, const struct scx_stats_limits *lim, char *why, size_t whylen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t deadline = now_mono_ns() + (uint64_t)lim->timeout_ms * 1000000ull;
	int fd, err;
	socklen_t elen = sizeof(err);

	if (strlen(path) >= sizeof(sa.sun_path))
		return errmsg(why, whylen, -ENAMETOOLONG, "%s: path too long for a UNIX socket", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errmsg(why, whylen, -errno, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno == EAGAIN) {
		/* A UNIX listener whose backlog is full: nobody accepts. */
		close(fd);
		return errmsg(why, whylen, -ETIMEDOUT, "%s: the server accepts no connection (backlog full)", path);
	}
	if (errno != EINPROGRESS) {
		err = -errno;
		close(fd);
		return errmsg(why, whylen, err, "%s: cannot connect: %s", path, strerror(-err));
	}
	err = wait_fd(fd, POLLOUT, deadline);
	if (err == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err)
		err = -err;
	if (err < 0) {
		close(fd);
		return errmsg(why, whylen, err, "%s: cannot connect: %s", path, strerror(-err));
	}
	return fd;
}

static int write_all_by(int fd, const char *s, size_t n, uint64_t deadline)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w > 0) {
			s += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return -errno;
		if (wait_fd(fd, POLLOUT, deadline) < 0)
			return -ETIMEDOUT;
	}
	return 0;
}

/* One line (without its '\n') within the deadline and the cap. */
static int read_line_by(int fd, size_t max, uint64_t deadline, char **ret, size_t *ret_len)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		char *nl;
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap > max) {
				free(buf);
				return -EMSGSIZE;
			}
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n == 0) {
			free(buf);
			return -ECONNRESET;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN) {
				r = -errno;
				free(buf);
				return r;
			}
			r = wait_fd(fd, POLLIN, deadline);
			if (r < 0) {
				free(buf);
				return r;
			}
			continue;
		}
		nl = memchr(buf + len, '\n', (size_t)n);
		len += (size_t)n;
		if (nl) {
			len = (size_t)(nl - buf);
			if (len > max) {
				free(buf);
				return -EMSGSIZE;
			}
			buf[len] = '\0';
			*ret = buf;
			*ret_len = len;
			return 0;
		}
		if (len > max) {
			free(buf);
			return -EMSGSIZE;
		}
	}
}

int scx_stats_request(int fd, const char *req, const char *target, const struct scx_stats_limits *lim,
		      json_t **ret_resp, char *why, size_t whylen)
{
	uint64_t deadline = now_mono_ns() + (uint64_t)lim->timeout_ms * 1000000ull;
	_cleanup_free_ char *line = NULL, *reply = NULL;
	json_t *msg, *args, *resp, *eno;
	json_error_t jerr;
	size_t len = 0;
	int r;

	*ret_resp = NULL;
	msg = target ? json_pack("{s:s,s:{s:s}}", "req", req, "args", "target", target)
		     : json_pack("{s:s,s:{}}", "req", req, "args");
	line = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	if (!line)
		return errmsg(why, whylen, -ENOMEM, "%s: out of memory", req);
	{
		size_t n = strlen(line);
		char *l2 = realloc(line, n + 2);

		if (!l2)
			return errmsg(why, whylen, -ENOMEM, "%s: out of memory", req);
		line = l2;
		line[n] = '\n';
		line[n + 1] = '\0';
	}
	r = write_all_by(fd, line, strlen(line), deadline);
	if (r < 0)
		return errmsg(why, whylen, r, "%s: cannot send the request: %s", req,
			      r == -ETIMEDOUT ? "the server reads nothing" : strerror(-r));
	r = read_line_by(fd, lim->max_reply, deadline, &reply, &len);
	if (r == -ETIMEDOUT)
		return errmsg(why, whylen, r, "%s: no whole reply within %u ms", req, lim->timeout_ms);
	if (r == -EMSGSIZE)
		return errmsg(why, whylen, r, "%s: reply longer than %zu bytes, not kept", req, lim->max_reply);
	if (r == -ECONNRESET)
		return errmsg(why, whylen, r, "%s: the server closed the connection without a reply", req);
	if (r < 0)
		return errmsg(why, whylen, r, "%s: %s", req, strerror(-r));
	msg = json_loadb(reply, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!msg)
		return errmsg(why, whylen, -EBADMSG, "%s: the reply is not JSON (%s, column %d)", req,
			      jerr.text, jerr.column);
	eno = json_object_get(msg, "errno");
	args = json_object_get(msg, "args");
	resp = json_object_get(args, "resp");
	if (!json_is_object(msg) || !json_is_integer(eno) || !json_is_object(args)) {
		json_decref(msg);
		return errmsg(why, whylen, -EBADMSG, "%s: the reply is not {\"errno\":N,\"args\":{\"resp\":...}}", req);
	}
	if (json_integer_value(eno) != 0) {
		char *text = resp ? json_dumps(resp, JSON_ENCODE_ANY) : NULL;

		r = errmsg(why, whylen, -EPROTO, "%s: the server answered errno %" JSON_INTEGER_FORMAT ": %.160s",
			   req, json_integer_value(eno), text ? text : "");
		free(text);
		json_decref(msg);
		return r;
	}
	*ret_resp = json_incref(resp ? resp : json_null());
	json_decref(msg);
	return 0;
}

/* "u64", "[u64]", "{string:Name}" from a field's {"datum"|"array"|"dict"} (StatsData). */
static void kind_text(const json_t *k, char *buf, size_t len)
{
	if (json_is_string(k))
		snprintf(buf, len, "%s", json_string_value(k));
	else if (json_is_string(json_object_get(k, "struct")))
		snprintf(buf, len, "%s", json_string_value(json_object_get(k, "struct")));
	else
		snprintf(buf, len, "?");
}

static void type_text(const json_t *f, char *buf, size_t len)
{
	char a[64], b[64];
	const json_t *d;

	if ((d = json_object_get(f, "datum"))) {
		kind_text(d, buf, len);
	} else if ((d = json_object_get(f, "array"))) {
		kind_text(d, a, sizeof(a));
		snprintf(buf, len, "[%s]", a);
	} else if ((d = json_object_get(f, "dict"))) {
		kind_text(json_object_get(d, "key"), a, sizeof(a));
		kind_text(json_object_get(d, "datum"), b, sizeof(b));
		snprintf(buf, len, "{%s:%s}", a, b);
	} else {
		snprintf(buf, len, "?");
	}
}

static void add_struct(json_t *out, const char *sname, const json_t *m, size_t max)
{
	const char *fname;
	json_t *f;

	json_object_foreach((json_t *)json_object_get(m, "fields"), fname, f) {
		char type[160];
		json_t *row;

		if (json_array_size(out) >= max)
			return;
		type_text(f, type, sizeof(type));
		row = json_pack("{s:s,s:s,s:s}", "struct", sname, "field", fname, "type", type);
		if (json_is_string(json_object_get(f, "desc")))
			json_object_set(row, "desc", json_object_get(f, "desc"));
		json_array_append_new(out, row);
	}
}

json_t *scx_stats_fields(const json_t *meta, size_t max, const char **ret_top)
{
	json_t *out = json_array(), *m;
	const char *name, *top = NULL;

	json_object_foreach((json_t *)meta, name, m)
		if (!top && json_is_object(m) && json_object_get(m, "top"))
			top = name;
	if (top)
		add_struct(out, top, json_object_get(meta, top), max);
	json_object_foreach((json_t *)meta, name, m)
		if (json_is_object(m) && (!top || strcmp(name, top)))
			add_struct(out, name, m, max);
	if (ret_top)
		*ret_top = top;
	return out;
}

json_t *scx_stats_scalars(const json_t *resp, size_t max)
{
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach((json_t *)resp, k, v) {
		if (json_object_size(out) >= max)
			break;
		if (json_is_number(v) || json_is_boolean(v) ||
		    (json_is_string(v) && json_string_length(v) <= 256))
			json_object_set(out, k, v);
	}
	return out;
}

void scx_stats_unix_listeners(const char *net_unix, const unsigned long *inodes, size_t n_inodes,
			      json_t *ret_paths)
{
	const char *line = net_unix;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char buf[512], path[256] = "";
		unsigned long refc, proto, flags, type, st, ino;
		int n;

		snprintf(buf, sizeof(buf), "%.*s", (int)(nl ? (size_t)(nl - line) : strlen(line)), line);
		line = nl ? nl + 1 : NULL;
		/* "Num: RefCount Protocol Flags Type St Inode Path" */
		n = sscanf(buf, "%*[0-9a-fA-F]: %lx %lx %lx %lx %lx %lu %255s", &refc, &proto, &flags,
			   &type, &st, &ino, path);
		if (n < 7 || path[0] != '/')
			continue;
		if (type != 1 || !(flags & 0x10000))	/* SOCK_STREAM, __SO_ACCEPTCON */
			continue;
		for (size_t i = 0; i < n_inodes; i++) {
			if (inodes[i] == ino) {
				json_array_append_new(ret_paths, json_string(path));
				break;
			}
		}
	}
}
