/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test loader's scx_stats server (stats_server.c). */
#ifndef STATS_SERVER_H
#define STATS_SERVER_H

enum { STATS_GOOD, STATS_HANG, STATS_FLOOD, STATS_BADJSON };

/* Listen at path (NULL: /var/run/scx/root/stats) in mode "good", "hang", "flood" or "badjson". */
int stats_server_start(const char *path, const char *mode, const char *sched_name);
/* Serve for at most ms milliseconds (sleeps that long when not started). */
void stats_server_poll(int ms);
void stats_server_stop(void);

#endif
