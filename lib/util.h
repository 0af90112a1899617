/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers every part of scx-report uses: cleanup attributes in the
 * systemd style, logging for the command layer, and bounded file reads.
 *
 * Conventions: functions return >= 0 on success and -errno on failure;
 * output parameters are named ret_* and written only on success; library-like
 * code (probes, formats) never prints, the command layer logs once.
 */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Hand a cleanup-owned pointer over to the caller. */
#define TAKE_PTR(p) ({ __typeof__(p) _tp = (p); (p) = NULL; _tp; })
#define TAKE_FD(fd) ({ int _tf = (fd); (fd) = -1; _tf; })

/* Command-layer messages: "scx-report: <message>" on stderr. */
void scx_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void scx_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void scx_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int scx_log_quiet;

/*
 * Read a whole file into a NUL-terminated buffer, at most max bytes (0: no
 * limit beyond 64 MiB).  *ret_truncated (may be NULL) says whether more was
 * there.  Works on sysfs/procfs files whose size reads as 0 or 4096.
 */
int read_file_full(const char *path, size_t max, char **ret_buf, size_t *ret_len,
                   bool *ret_truncated);
/* Read a one-value file (sysfs style): trailing whitespace stripped. */
int read_one_line(const char *path, char **ret_line);
int write_file_full(const char *path, const void *data, size_t len, mode_t mode);
/* All of len bytes to fd (EINTR retried): 0, or -errno (-EIO for a write of 0). */
int write_all(int fd, const void *data, size_t len);
/* mkdir -p, mode for every created component. */
int mkdir_parents(const char *path, mode_t mode);
/* rm -rf without following symlinks; ENOENT is not an error. */
int rm_rf(const char *path);

/*
 * For library-like code that reports a one-line reason to its caller:
 * format into err (errlen bytes) and return code (a -errno).
 */
int errmsg(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

char *strstrip(char *s);
bool startswith(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);
int safe_atou64(const char *s, uint64_t *ret);
int safe_atoi64(const char *s, int64_t *ret);
/* A whole number from min to max: -EINVAL when not a number, -ERANGE outside. */
int parse_uint_range(const char *s, uint64_t min, uint64_t max, uint64_t *ret);
/* Number of CPUs in a kernel cpu list ("0-3,8,10-11\n" -> 7); -EINVAL, -ERANGE. */
int cpulist_count(const char *list);

/* Monotonic and wall clocks in nanoseconds. */
uint64_t now_mono_ns(void);
uint64_t now_real_ns(void);
/* "2026-11-25T23:18:04Z" (or with .mmm when msec is true) into buf. */
void format_utc(char *buf, size_t len, uint64_t real_ns, bool msec);
/* A duration in nanoseconds for people (scx_fmt_duration): 850 ns, 12.3 µs, 4.50 ms; NaN "-". */
void format_ns(char *buf, size_t len, double ns);

/* sha256 of a buffer or a file as 64 lowercase hex digits plus NUL. */
int sha256_hex_buf(const void *data, size_t len, char ret_hex[65]);
int sha256_hex_file(const char *path, char ret_hex[65], uint64_t *ret_size);

#include <signal.h>
/* Set by the collector's SIGINT/SIGTERM/SIGHUP handler; long loops check it. */
extern volatile sig_atomic_t scx_interrupted;

/*
 * The one interruptible sleep: until the monotonic clock reaches end_ns, in
 * one ppoll(2), ending early when a signal handler of this thread sets
 * *stop (may be NULL).  0 at end_ns, -EINTR when stopped.
 */
int sleep_until_ns(uint64_t end_ns, volatile sig_atomic_t *stop);
