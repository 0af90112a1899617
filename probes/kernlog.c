// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernlog probe: the kernel log of earlier boots as rsyslog kept it, for
 * systems without a persistent journal.
 *
 * Reads /var/log/kern.log and its rotations (kern.log.1, kern.log.2.gz, ...
 * up to .9, gzip'd or not), oldest first, the newest 64 MiB in all.  A line
 * is `TIMESTAMP HOST kernel: [ SECONDS] TEXT` (RFC 3339 timestamps, Debian's
 * default, or the traditional `Mmm dd hh:mm:ss`; the `[ SECONDS]` only with
 * printk.time).  A boot starts at the kernel's `Linux version` line.
 *
 * What it cannot tell: whether a boot ended cleanly.  rsyslog stops before
 * the kernel's last lines, so a boot whose segment has no shutdown record
 * has clean_shutdown null, not false.
 *
 * Bundle: kernlog/kern.log (the newest 1 MiB read).  report.json: `kernlog`
 * {files [{path, bytes, compressed}], boots [boot summaries, oldest first,
 * index 0 the segment of this boot when /proc/stat's btime says so]}.
 */
#include <limits.h>
#include <string.h>
#include <time.h>

#include "boot-log.h"
#include "boots.h"
#include "gunzip.h"
#include "probes.h"

#define KERNLOG_MAX (64u << 20)
#define KERNLOG_RAW_MAX (1u << 20)
#define KERNLOG_ROTATIONS 9

/* RFC 3339 "2026-12-02T08:43:42.123456+00:00" at the start of a line, in us. */
static uint64_t parse_rfc3339(const char *s)
{
	struct tm tm = { 0 };
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	uint64_t us = 0, scale = 100000;
	int64_t off = 0;
	time_t t;

	if (!p)
		return 0;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			us += (uint64_t)(*p - '0') * scale;
	if ((*p == '+' || *p == '-') && strlen(p) >= 6 && p[3] == ':') {
		off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 + ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
		if (*p == '-')
			off = -off;
	}
	t = timegm(&tm);
	if (t < 0)
		return 0;
	return (uint64_t)(t - off) * 1000000 + us;
}

/* "[   12.345678] text" -> usec and text; false when there is no stamp. */
static bool parse_stamp(const char *s, uint64_t *ret_usec, const char **ret_text)
{
	unsigned long long sec, frac;
	int n = 0;

	if (sscanf(s, "[ %llu.%llu]%n", &sec, &frac, &n) != 2 || !n)
		return false;
	*ret_usec = (uint64_t)sec * 1000000 + frac;
	s += n;
	*ret_text = s + (*s == ' ');
	return true;
}

struct kernlog_parse {
	json_t *boots;
	struct boot_log b;
	bool open;
};

static void close_boot(struct kernlog_parse *k)
{
	if (!k->open)
		return;
	json_array_append_new(k->boots, boot_log_summary(&k->b, 0, "kern.log", false));
	boot_log_done(&k->b);
	k->open = false;
}

json_t *scx_kernlog_parse(const char *text, size_t len)
{
	struct kernlog_parse k = { .boots = json_array() };
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		_cleanup_free_ char *line = strndup(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
		const char *msg, *body;
		uint64_t usec = 0;

		p = nl ? nl + 1 : end;
		if (!line)
			break;
		msg = strstr(line, " kernel: ");
		if (!msg)
			continue;
		msg += strlen(" kernel: ");
		if (!parse_stamp(msg, &usec, &body))
			body = msg;
		if (startswith(body, "Linux version "))
			close_boot(&k);
		if (!k.open) {
			boot_log_init(&k.b, KERNLOG_RAW_MAX);
			k.open = true;
		}
		boot_log_note(&k.b, usec, parse_rfc3339(line), body);
		if (boot_log_kernel(&k.b, usec, body) < 0)
			break;
	}
	close_boot(&k);
	return k.boots;
}

/* kern.log.9[.gz] ... kern.log.1, kern.log: append each to *buf. */
static int read_one(struct scx_probe_ctx *ctx, const char *abs, char **buf, size_t *len,
		    json_t *files)
{
	_cleanup_free_ char *raw = NULL, *text = NULL;
	size_t raw_len = 0, text_len;
	bool truncated = false, gz = endswith(abs, ".gz");
	json_t *f;
	char *nb;
	int r;

	r = probe_read(ctx, abs, KERNLOG_MAX, &raw, &raw_len, &truncated);
	if (r < 0)
		return r;
	if (gz) {
		r = gunzip_bounded(raw, raw_len, KERNLOG_MAX, &text, &text_len, &truncated);
		if (r < 0)
			return r;
	} else {
		text = TAKE_PTR(raw);
		text_len = raw_len;
	}
	f = json_object();
	json_object_set_new(f, "path", json_string(abs));
	json_object_set_new(f, "bytes", json_integer((json_int_t)text_len));
	json_object_set_new(f, "compressed", json_boolean(gz));
	json_array_append_new(files, f);
	if (truncated)
		ctx->truncated = true;
	/* Keep the newest KERNLOG_MAX bytes of everything. */
	if (*len + text_len > KERNLOG_MAX) {
		size_t drop = *len + text_len - KERNLOG_MAX;

		if (drop >= *len) {
			free(*buf);
			*buf = NULL;
			*len = 0;
		} else {
			memmove(*buf, *buf + drop, *len - drop);
			*len -= drop;
		}
		ctx->truncated = true;
	}
	nb = realloc(*buf, *len + text_len + 1);
	if (!nb)
		return -ENOMEM;
	memcpy(nb + *len, text, text_len);
	*len += text_len;
	nb[*len] = '\0';
	*buf = nb;
	return 0;
}

/* The index of the last segment: 0 unless it started well before this boot. */
static int last_segment_index(struct scx_probe_ctx *ctx, const json_t *last)
{
	_cleanup_free_ char *stat = NULL;
	const char *start = json_string_value(json_object_get(last, "start")), *bt;
	unsigned long long btime;
	struct tm tm = { 0 };
	size_t len;

	if (!start || probe_read(ctx, "/proc/stat", 1u << 20, &stat, &len, NULL) < 0 ||
	    !(bt = strstr(stat, "\nbtime ")) || sscanf(bt, "\nbtime %llu", &btime) != 1 ||
	    !strptime(start, "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	return timegm(&tm) + 120 < (time_t)btime ? -1 : 0;
}

bool probe_kernlog_enabled(const struct scx_probe_opts *opts, const char **why)
{
	if (scx_boots_wanted(opts) < 2) {
		*why = "not requested (--boots 1)";
		return false;
	}
	if (probe_dir_has(opts, "/var/log", "kern.log"))
		return true;
	*why = "no /var/log/kern.log (no rsyslog, or it keeps no kernel log)";
	return false;
}

int probe_kernlog(struct scx_probe_ctx *ctx)
{
	unsigned want = scx_boots_wanted(ctx->opts);
	_cleanup_free_ char *buf = NULL;
	json_t *info, *files = json_array(), *boots, *b;
	size_t len = 0, n, i;
	int r, last_index;

	if (want < 2) {
		json_decref(files);
		return probe_fail(ctx, -EOPNOTSUPP, "not requested (--boots %u)", want);
	}
	for (int rot = KERNLOG_ROTATIONS; rot >= 0; rot--) {
		char abs[64];

		if (rot == 0)
			snprintf(abs, sizeof(abs), "/var/log/kern.log");
		else
			snprintf(abs, sizeof(abs), "/var/log/kern.log.%d", rot);
		r = read_one(ctx, abs, &buf, &len, files);
		if (r == -ENOENT && rot > 0) {
			snprintf(abs + strlen(abs), sizeof(abs) - strlen(abs), ".gz");
			r = read_one(ctx, abs, &buf, &len, files);
		}
		if (r < 0 && r != -ENOENT) {
			json_decref(files);
			return probe_fail(ctx, r, "%s: %s", abs, strerror(-r));
		}
	}
	if (!json_array_size(files)) {
		json_decref(files);
		return probe_fail(ctx, -ENOENT, "no /var/log/kern.log (no rsyslog, or it keeps no kernel log)");
	}
	probe_save(ctx, "kern.log", len > KERNLOG_RAW_MAX ? buf + len - KERNLOG_RAW_MAX : buf,
		   len > KERNLOG_RAW_MAX ? KERNLOG_RAW_MAX : len);
	boots = scx_kernlog_parse(buf ? buf : "", len);
	n = json_array_size(boots);
	last_index = n ? last_segment_index(ctx, json_array_get(boots, n - 1)) : 0;
	json_array_foreach(boots, i, b)
		json_object_set_new(b, "index", json_integer(last_index - (json_int_t)(n - 1 - i)));
	/* Only the boots asked for (--boots): the oldest segments go. */
	while (json_array_size(boots) &&
	       json_integer_value(json_object_get(json_array_get(boots, 0), "index")) <=
		       -(json_int_t)want)
		json_array_remove(boots, 0);
	info = json_object();
	json_object_set_new(info, "files", files);
	json_object_set_new(info, "boots", boots);
	json_object_set_new(ctx->out, "kernlog", info);
	return 0;
}
