// SPDX-License-Identifier: GPL-2.0-or-later
#include "units.h"
#include "util.h"
#include "digest.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int scx_log_quiet;
volatile sig_atomic_t scx_interrupted;

static void vlog(const char *level, const char *fmt, va_list ap)
{
	fputs("scx-report: ", stderr);
	if (level)
		fputs(level, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void scx_log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}

void scx_log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void scx_log_info(const char *fmt, ...)
{
	va_list ap;

	if (scx_log_quiet)
		return;
	va_start(ap, fmt);
	vlog(NULL, fmt, ap);
	va_end(ap);
}

#define READ_HARD_LIMIT (64u << 20)

int read_file_full(const char *path, size_t max, char **ret_buf, size_t *ret_len,
		   bool *ret_truncated)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	bool truncated = false;

	if (max == 0 || max > READ_HARD_LIMIT)
		max = READ_HARD_LIMIT;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == max) {
			char c;

			n = read(fd, &c, 1);
			if (n > 0)
				truncated = true;
			break;
		}
		if (cap - len < 4097) {
			size_t ncap = cap ? cap * 2 : 8192;
			char *nb;

			if (ncap > max + 1)
				ncap = max + 1;
			if (ncap <= cap)
				ncap = cap + 1;
			nb = realloc(buf, ncap);
			if (!nb)
				return -ENOMEM;
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, (cap - 1 - len) < (max - len) ? (cap - 1 - len) : (max - len));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && len > 0)
				break;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf)
			return -ENOMEM;
	}
	buf[len] = '\0';
	*ret_buf = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	if (ret_truncated)
		*ret_truncated = truncated;
	return 0;
}

int read_one_line(const char *path, char **ret_line)
{
	char *buf;
	int r;

	r = read_file_full(path, 4096, &buf, NULL, NULL);
	if (r < 0)
		return r;
	strstrip(buf);
	*ret_line = buf;
	return 0;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file_full(const char *path, const void *data, size_t len, mode_t mode)
{
	_cleanup_close_ int fd = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	return write_all(fd, data, len);
}

int mkdir_parents(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int rm_rf_at(int parent, const char *name)
{
	struct stat st;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode)) {
		int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *d;
		struct dirent *de;

		if (fd < 0)
			return -errno;
		d = fdopendir(fd);
		if (!d) {
			close(fd);
			return -errno;
		}
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			rm_rf_at(dirfd(d), de->d_name);
		}
		closedir(d);
		if (unlinkat(parent, name, AT_REMOVEDIR) < 0)
			return -errno;
		return 0;
	}
	if (unlinkat(parent, name, 0) < 0)
		return -errno;
	return 0;
}

int rm_rf(const char *path)
{
	return rm_rf_at(AT_FDCWD, path);
}

int errmsg(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

char *strstrip(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

bool startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* Parse a whole number with strto*: trailing blanks allowed, nothing else. */
static int parse_whole(const char *s, bool is_signed, uint64_t *ret_u, int64_t *ret_i)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || (!is_signed && *s == '-'))
		return -EINVAL;
	errno = 0;
	if (is_signed)
		*ret_i = strtoll(s, &end, 0);
	else
		*ret_u = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int safe_atou64(const char *s, uint64_t *ret)
{
	uint64_t v;
	int r = parse_whole(s, false, &v, NULL);

	if (r == 0)
		*ret = v;
	return r;
}

int safe_atoi64(const char *s, int64_t *ret)
{
	int64_t v;
	int r = parse_whole(s, true, NULL, &v);

	if (r == 0)
		*ret = v;
	return r;
}

int cpulist_count(const char *list)
{
	const char *p = list;
	int count = 0;

	while (*p && *p != '\n') {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p)
			return -EINVAL;
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				return -EINVAL;
			p = end;
		}
		if (b - a >= 65536u)
			return -ERANGE;
		count += (int)(b - a + 1);
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return count;
}

int parse_uint_range(const char *s, uint64_t min, uint64_t max, uint64_t *ret)
{
	uint64_t v;
	int r = safe_atou64(s, &v);

	if (r < 0)
		return r;
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t now_mono_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t now_real_ns(void) { return clock_ns(CLOCK_REALTIME); }

/*
 * One sleep to the end, woken by the signal that sets *stop: the signals are
 * blocked while *stop is looked at and ppoll unblocks them atomically, so a
 * signal that comes between the look and the sleep still ends the sleep
 * (no 50 ms steps).  Threads that must not take the signal block it (the
 * workloads do).
 */
int sleep_until_ns(uint64_t end_ns, volatile sig_atomic_t *stop)
{
	sigset_t all, old;
	int r = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (;;) {
		uint64_t now = now_mono_ns(), left;
		struct timespec ts;

		if (stop && *stop) {
			r = -EINTR;
			break;
		}
		if (now >= end_ns)
			break;
		left = end_ns - now;
		ts = (struct timespec){ .tv_sec = (time_t)(left / 1000000000ull),
					.tv_nsec = (long)(left % 1000000000ull) };
		(void)ppoll(NULL, 0, &ts, &old);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

void format_utc(char *buf, size_t len, uint64_t real_ns, bool msec)
{
	time_t t = (time_t)(real_ns / 1000000000ull);
	struct tm tm;
	char base[32];

	gmtime_r(&t, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	if (msec)
		snprintf(buf, len, "%s.%03uZ", base, (unsigned)((real_ns / 1000000ull) % 1000));
	else
		snprintf(buf, len, "%sZ", base);
}

int sha256_hex_buf(const void *data, size_t len, char ret_hex[65])
{
	struct scx_sha256 s;

	scx_sha256_init(&s);
	scx_sha256_update(&s, data, len);
	scx_sha256_hex(&s, ret_hex);
	return 0;
}

int sha256_hex_file(const char *path, char ret_hex[65], uint64_t *ret_size)
{
	_cleanup_close_ int fd = -1;
	unsigned char buf[65536];
	struct scx_sha256 s;
	uint64_t total = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	scx_sha256_init(&s);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		scx_sha256_update(&s, buf, (size_t)n);
		total += (uint64_t)n;
	}
	scx_sha256_hex(&s, ret_hex);
	if (ret_size)
		*ret_size = total;
	return 0;
}

void format_ns(char *buf, size_t len, double ns)
{
	scx_fmt_duration(buf, len, ns);
}
