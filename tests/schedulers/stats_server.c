// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small scx_stats server for the test schedulers' loader (--stats[=MODE], --stats-path PATH),
 * following the protocol of sched-ext/scx rust/scx_stats: a UNIX stream socket (default
 * /var/run/scx/root/stats), one JSON request per line ({"req":"stats_meta"} or
 * {"req":"stats","args":{"target":"top"}}), one reply per line {"errno":0,"args":{"resp":...}};
 * an unknown request gets errno 22 (EINVAL) and a message.  stats_meta describes one top
 * struct, TestStats, whose fields carry descriptions.
 *
 * For the VM suite's hostile cases MODE can also be: hang (reads requests, never answers),
 * flood (answers with an endless line), badjson (answers with a line that is not JSON).
 * The loader calls stats_server_poll() instead of sleeping, so no thread is needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "stats_server.h"

#define MAX_CLIENTS 8
#define FLOOD_MAX (64u << 20)

static int listen_fd = -1, mode;
static char sock_path[108];
static unsigned long long requests;
static double started;
static const char *sched_name = "test";
static struct client {
	int fd;
	char buf[4096];
	size_t len;
	size_t flooded;
} clients[MAX_CLIENTS];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void mkdirs(const char *path)
{
	char buf[108];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
}

int stats_server_start(const char *path, const char *mode_name, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (!mode_name || !strcmp(mode_name, "good"))
		mode = STATS_GOOD;
	else if (!strcmp(mode_name, "hang"))
		mode = STATS_HANG;
	else if (!strcmp(mode_name, "flood"))
		mode = STATS_FLOOD;
	else if (!strcmp(mode_name, "badjson"))
		mode = STATS_BADJSON;
	else
		return -EINVAL;
	sched_name = name;
	snprintf(sock_path, sizeof(sock_path), "%s", path ? path : "/var/run/scx/root/stats");
	mkdirs(sock_path);
	unlink(sock_path);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -errno;
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(listen_fd, 8) < 0) {
		int e = -errno;

		close(listen_fd);
		listen_fd = -1;
		return e;
	}
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	started = now_s();
	return 0;
}

static void drop(struct client *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = c->flooded = 0;
}

static void reply(struct client *c, const char *line)
{
	size_t n = strlen(line), off = 0;

	/* Short replies: a blocking loop on the non-blocking fd, bounded by a full buffer. */
	while (off < n) {
		ssize_t w = send(c->fd, line + off, n - off, MSG_NOSIGNAL);

		if (w <= 0) {
			drop(c);
			return;
		}
		off += (size_t)w;
	}
}

static void answer(struct client *c, const char *req)
{
	char out[2048];

	requests++;
	if (mode == STATS_HANG)
		return;
	if (mode == STATS_FLOOD) {
		c->flooded = 1;	/* stats_server_poll writes it */
		return;
	}
	if (mode == STATS_BADJSON) {
		reply(c, "{\"errno\":0,\"args\":{\"resp\": not json at all\n");
		return;
	}
	if (strstr(req, "\"req\":\"stats_meta\"")) {
		reply(c, "{\"errno\":0,\"args\":{\"resp\":{\"TestStats\":{\"name\":\"TestStats\",\"top\":\"true\","
			 "\"desc\":\"test scheduler statistics\",\"fields\":{"
			 "\"at_ms\":{\"datum\":\"u64\",\"desc\":\"milliseconds since the loader started\"},"
			 "\"requests\":{\"datum\":\"u64\",\"desc\":\"stats requests served so far\"},"
			 "\"sched\":{\"datum\":\"string\",\"desc\":\"scheduler name\"},"
			 "\"uptime_s\":{\"datum\":\"float\",\"desc\":\"seconds since the loader started\"}}}}}}\n");
	} else if (strstr(req, "\"req\":\"stats\"")) {
		double up = now_s() - started;

		snprintf(out, sizeof(out),
			 "{\"errno\":0,\"args\":{\"resp\":{\"at_ms\":%llu,\"requests\":%llu,\"sched\":\"%s\","
			 "\"uptime_s\":%.3f}}}\n", (unsigned long long)(up * 1000), requests, sched_name, up);
		reply(c, out);
	} else {
		reply(c, "{\"errno\":22,\"args\":{\"resp\":\"unknown command\"}}\n");
	}
}

static void flood(struct client *c)
{
	static char junk[65536];

	if (!junk[0])
		memset(junk, 'x', sizeof(junk));
	while (c->fd >= 0 && c->flooded < FLOOD_MAX) {
		ssize_t w = send(c->fd, junk, sizeof(junk), MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0) {
			if (errno != EAGAIN)
				drop(c);
			return;
		}
		c->flooded += (size_t)w;
	}
}

void stats_server_poll(int ms)
{
	struct pollfd p[MAX_CLIENTS + 1];
	int n = 0, map[MAX_CLIENTS + 1];

	if (listen_fd < 0) {
		poll(NULL, 0, ms);
		return;
	}
	p[n].fd = listen_fd;
	p[n].events = POLLIN;
	map[n++] = -1;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].fd < 0)
			continue;
		p[n].fd = clients[i].fd;
		p[n].events = POLLIN | (clients[i].flooded ? POLLOUT : 0);
		map[n++] = i;
	}
	if (poll(p, (nfds_t)n, ms) <= 0)
		return;
	for (int k = 1; k < n; k++) {
		struct client *c = &clients[map[k]];
		ssize_t r;
		char *nl;

		if (p[k].revents & POLLOUT)
			flood(c);
		if (c->fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, MSG_DONTWAIT);
		if (r <= 0) {
			if (r == 0 || errno != EAGAIN)
				drop(c);
			continue;
		}
		c->len += (size_t)r;
		c->buf[c->len] = '\0';
		while (c->fd >= 0 && (nl = strchr(c->buf, '\n'))) {
			*nl = '\0';
			answer(c, c->buf);
			if (c->fd < 0)
				break;
			c->len -= (size_t)(nl + 1 - c->buf);
			memmove(c->buf, nl + 1, c->len + 1);
		}
		if (c->fd >= 0 && c->len == sizeof(c->buf) - 1)
			drop(c);	/* a request line too long */
	}
	if (p[0].revents & POLLIN) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		for (int i = 0; fd >= 0 && i < MAX_CLIENTS; i++) {
			if (clients[i].fd < 0) {
				clients[i].fd = fd;
				fd = -1;
			}
		}
		if (fd >= 0)
			close(fd);	/* full */
	}
}

void stats_server_stop(void)
{
	if (listen_fd < 0)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			drop(&clients[i]);
	close(listen_fd);
	listen_fd = -1;
	unlink(sock_path);
}
