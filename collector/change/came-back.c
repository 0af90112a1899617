// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who brought the scheduler back (see came-back.h).  Reads /proc/PID/{exe,
 * stat,status,cmdline,comm} of every process.  By hand, the holder is a
 * process running the pinned executable (same device and inode) as the
 * scheduler's owner: a name proves nothing, since any user can copy `sleep`
 * to "scx_rusty", nor does running the file as another user (it cannot load
 * a scheduler).  For a manager's scheduler a name only helps describe who.
 */
#include "came-back.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int proc_comm(pid_t pid, char *buf, size_t len)
{
	_cleanup_free_ char *s = NULL;
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	r = read_one_line(path, &s);
	if (r < 0)
		return r;
	snprintf(buf, len, "%s", s);
	return 0;
}

static pid_t proc_ppid(pid_t pid)
{
	_cleanup_free_ char *s = NULL;
	char path[64], *p;
	int ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file_full(path, 4096, &s, NULL, NULL) < 0 || !(p = strrchr(s, ')')))
		return -1;
	return sscanf(p + 1, " %*c %d", &ppid) == 1 ? (pid_t)ppid : -1;
}

/* "cmd arg arg, /exe" of a process, shortened. */
static void proc_words(pid_t pid, char *buf, size_t len)
{
	_cleanup_free_ char *cmd = NULL;
	char path[64], exe[PATH_MAX] = "";
	size_t n = 0;
	ssize_t l;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	l = readlink(path, exe, sizeof(exe) - 1);
	exe[l > 0 ? l : 0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if (read_file_full(path, 512, &cmd, &n, NULL) < 0 || !n) {
		if (proc_comm(pid, buf, len) < 0)
			snprintf(buf, len, "?");
	} else {
		for (size_t i = 0; i + 1 < n; i++)
			if (!cmd[i])
				cmd[i] = ' ';
		snprintf(buf, len, "%.200s", cmd);
	}
	if (exe[0] && len > strlen(buf) + 3)
		snprintf(buf + strlen(buf), len - strlen(buf), ", %s", exe);
}

/* The effective uid of pid (the second field of Uid: in /proc/PID/status), or -1. */
static long proc_euid(pid_t pid)
{
	_cleanup_free_ char *s = NULL;
	unsigned long ruid, euid;
	char path[64], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_file_full(path, 65536, &s, NULL, NULL) < 0 || !(p = strstr(s, "\nUid:")) ||
	    sscanf(p + 5, "%lu %lu", &ruid, &euid) != 2)
		return -1;
	return (long)euid;
}

bool scx_came_back_is_holder(const struct scx_switch *sw, pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	return sw->exe_pin.fd >= 0 && stat(path, &st) == 0 && st.st_dev == sw->exe_pin.dev &&
	       st.st_ino == sw->exe_pin.ino && proc_euid(pid) == (long)sw->uid;
}

static bool is_holder(const struct scx_switch *sw, pid_t pid, const char *name)
{
	char comm[64];

	if (sw->manager == SCX_MGR_MANUAL)
		return scx_came_back_is_holder(sw, pid);
	return proc_comm(pid, comm, sizeof(comm)) == 0 && !strncmp(comm, name, 15) && name[0];
}

pid_t scx_came_back_describe(const struct scx_switch *sw, char *buf, size_t len)
{
	const char *name = sw->argv && sw->argv[0] ? strrchr(sw->argv[0], '/') : NULL;
	char me[256], parent[256];
	pid_t found = -1, ppid;
	struct dirent *de;
	DIR *d;

	name = name ? name + 1 : sw->argv && sw->argv[0] ? sw->argv[0] : sw->ops;
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || pid == getpid() || pid == sw->pid)
			continue;
		if (is_holder(sw, (pid_t)pid, name)) {
			found = (pid_t)pid;
			break;
		}
	}
	if (d)
		closedir(d);
	if (found <= 0) {
		snprintf(buf, len, "an unknown process");
		return -ESRCH;
	}
	proc_words(found, me, sizeof(me));
	ppid = proc_ppid(found);
	if (ppid > 0) {
		proc_words(ppid, parent, sizeof(parent));
		snprintf(buf, len, "pid %d (%s), started by pid %d (%s)", (int)found, me, (int)ppid, parent);
	} else {
		snprintf(buf, len, "pid %d (%s)", (int)found, me);
	}
	return found;
}
