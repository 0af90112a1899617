#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make-proc-trees.sh: (re)build the /proc fixture trees of tests/test-sched-procscan.c and
# tests/test-sched-manager.c. See README-proc.md for where each file's format comes from.
set -eu
cd "$(dirname "$0")"

# stat line in the kernel's format: PID (COMM) STATE PPID ... field 22 = start time in ticks.
stat_line() { # PID COMM PPID START_TICKS
	echo "$1 ($2) S $3 $1 $1 0 -1 4194560 1200 0 3 0 15 9 0 0 20 0 1 0 $4 9469952 1002 18446744073709551615 1 1 0 0 0 0 0 4096 17024 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0"
}
proc() { # ROOT PID COMM PPID START UID CGROUP ARGV...
	root=$1 pid=$2 comm=$3 ppid=$4 start=$5 uid=$6 cg=$7
	shift 7
	d=$root/proc/$pid
	mkdir -p "$d/fdinfo"
	stat_line "$pid" "$comm" "$ppid" "$start" >"$d/stat"
	echo "$comm" >"$d/comm"
	printf 'Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%s\nPid:\t%s\nPPid:\t%s\nUid:\t%s\t%s\t%s\t%s\nGid:\t%s\t%s\t%s\t%s\n' \
		"$comm" "$pid" "$pid" "$ppid" "$uid" "$uid" "$uid" "$uid" "$uid" "$uid" "$uid" "$uid" >"$d/status"
	printf '0::%s\n' "$cg" >"$d/cgroup"
	: >"$d/cmdline"
	for a in "$@"; do printf '%s\0' "$a" >>"$d/cmdline"; done
	printf 'PATH=/usr/bin:/bin\0HOME=/root\0GITHUB_TOKEN=ghp_s3cretvalue\0SCX_DEBUG=1\0' >"$d/environ"
	printf 'pos:\t0\nflags:\t0100002\nmnt_id:\t24\nino:\t17\n' >"$d/fdinfo/0"
}
# fdinfo of a struct_ops map, a program and a plain array map, as 7.2 prints them (the shared
# fixture sched_ext-7.2.13/2-enabled/proc/138/fdinfo).
ops_map() { printf 'pos:\t0\nflags:\t02000002\nmnt_id:\t19\nino:\t1051\nmap_type:\t26\nkey_size:\t4\nvalue_size:\t1168\nmax_entries:\t1\nmap_flags:\t0x0\nmap_extra:\t0x0\nmemlock:\t6288\nmap_id:\t%s\nfrozen:\t0\n' "$1"; }
array_map() { printf 'pos:\t0\nflags:\t02000002\nmnt_id:\t19\nino:\t1051\nmap_type:\t2\nkey_size:\t4\nvalue_size:\t1168\nmax_entries:\t1\nmap_flags:\t0x400\nmap_extra:\t0x0\nmemlock:\t8192\nmap_id:\t%s\nfrozen:\t0\n' "$1"; }
prog() { printf 'pos:\t0\nflags:\t02000002\nmnt_id:\t19\nino:\t1051\nprog_type:\t27\nprog_jited:\t1\nprog_tag:\t%s\nmemlock:\t4096\nprog_id:\t%s\nrun_time_ns:\t0\nrun_cnt:\t0\nrecursion_misses:\t0\nverified_insns:\t6\n' "$2" "$1"; }
link() { printf 'pos:\t0\nflags:\t02000000\nmnt_id:\t19\nino:\t1051\nlink_type:\tstruct_ops\nlink_id:\t%s\nprog_tag:\t0000000000000000\nprog_id:\t0\nmap_id:\t%s\n' "$1" "$2"; }

# proc-manual: scx_fifo (pid 812, uid 1000) started from bash (700) in a login session.
R=proc-manual
rm -rf "$R"
proc $R 1 systemd 0 2 0 /init.scope /sbin/init
proc $R 650 sshd 1 900 0 /system.slice/ssh.service "sshd: u [priv]"
proc $R 700 bash 650 1000 1000 /user.slice/user-1000.slice/session-3.scope -bash
proc $R 812 scx_fifo 700 5000 1000 /user.slice/user-1000.slice/session-3.scope /home/u/scx_fifo --slice-us 5000
array_map 3 >$R/proc/812/fdinfo/4
ops_map 4 >$R/proc/812/fdinfo/5
prog 6 a155558ab2830a85 >$R/proc/812/fdinfo/6
prog 7 06299416f310798c >$R/proc/812/fdinfo/7
# an unrelated process with an ordinary BPF map
proc $R 900 bpf-user 1 7000 0 /system.slice/other.service /usr/sbin/bpf-user
array_map 11 >$R/proc/900/fdinfo/3
printf '726.56 1068.76\n' >$R/proc/uptime

# proc-systemd: scx_lavd (pid 812, root) run by scx.service, holding a struct_ops link (6.4+).
R=proc-systemd
rm -rf "$R"
proc $R 1 systemd 0 2 0 /init.scope /sbin/init
proc $R 812 scx_lavd 1 5000 0 /system.slice/scx.service /usr/bin/scx_lavd --performance
ops_map 21 >$R/proc/812/fdinfo/5
prog 22 1111111111111111 >$R/proc/812/fdinfo/6
link 8 21 >$R/proc/812/fdinfo/9

# proc-orphan: nobody holds a struct_ops map (scheduler left registered by bpftool).
R=proc-orphan
rm -rf "$R"
proc $R 1 init 0 2 0 / /sbin/init
proc $R 900 bpf-user 1 7000 0 / /usr/sbin/bpf-user
array_map 11 >$R/proc/900/fdinfo/3

# proc-wrapper: scx_simple (pid 812, root) started by a wrapper script without .sh (650, comm
# keep-simple: the script's name; exe the shell that runs it), under init, in no unit.
R=proc-wrapper
rm -rf "$R"
proc $R 1 init 0 2 0 / /sbin/init
proc $R 650 keep-simple 1 900 0 / /bin/sh /usr/local/bin/keep-simple
ln -s /usr/bin/dash $R/proc/650/exe
proc $R 812 scx_simple 650 5000 0 / /usr/local/bin/scx_simple
ops_map 31 >$R/proc/812/fdinfo/5
prog 32 2222222222222222 >$R/proc/812/fdinfo/6
