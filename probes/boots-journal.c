// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * boots_journal probe: the kernel log of earlier boots as journald kept it.
 *
 * journald keeps earlier boots only with persistent storage (/var/log/journal,
 * or Storage=persistent).  Reads, through scx_spawn (bounded in bytes and time):
 *   journalctl --list-boots -o json                  which boots the journal has
 *   journalctl -b ID -k -o export                    that boot's kernel lines
 *   journalctl -b ID -n 200 -o export                its last entries, any source:
 *                                                    the shutdown record, if any
 * for the previous boots only (this boot is the kmsg probe's), the newest
 * --boots N - 1 of them.
 *
 * Under --sysroot the same outputs are read from files (a capture made by
 * tests/data/boots-journal/README.md's recipe): DIR/journalctl/list-boots.json,
 * DIR/journalctl/ID-kernel.export and DIR/journalctl/ID-tail.export.
 *
 * Bundle: journal/list-boots.json, bootN-kernel.txt (dmesg form),
 * boot-N-tail.txt.  report.json: `boots_journal` {source, persistent,
 * listed, read, boots [boot summaries, boot-log.h]}.
 */
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "boot-log.h"
#include "boots.h"
#include "journal-export.h"
#include "probes.h"
#include "spawn.h"

#define JOURNAL_KERNEL_MAX (16u << 20)	/* one boot's kernel lines, export form */
#define JOURNAL_TAIL_MAX (1u << 20)
#define JOURNAL_RAW_MAX (1u << 20)	/* dmesg form kept in the bundle per boot */
#define JOURNAL_TIMEOUT_MS 20000

/* Output of one journalctl command, or its stand-in file under a sysroot. */
static int journal_read(struct scx_probe_ctx *ctx, const char *replay, const char *const argv[],
			size_t max, char **ret_out, size_t *ret_len)
{
	struct scx_cmd c = { 0 };
	char rel[PATH_MAX];
	bool truncated = false;
	int r;

	if (*probe_sysroot(ctx)) {
		snprintf(rel, sizeof(rel), "/journalctl/%s", replay);
		r = probe_read(ctx, rel, max, ret_out, ret_len, &truncated);
		if (truncated)
			ctx->truncated = true;
		return r;
	}
	r = scx_spawn(argv, JOURNAL_TIMEOUT_MS, max, false, &c);
	if (r < 0)
		return r;
	if (c.status != 0 && !c.len) {
		scx_cmd_done(&c);
		return c.status == 124 ? -ETIMEDOUT : -EIO;
	}
	if (c.truncated || c.status == 124)
		ctx->truncated = true;
	*ret_out = c.out ? c.out : strdup("");
	*ret_len = c.len;
	c.out = NULL;
	scx_cmd_done(&c);
	return *ret_out ? 0 : -ENOMEM;
}

struct tail_feed {
	struct boot_log *b;
	char *text;
	size_t len, cap;
};

static int feed_kernel(const struct journal_entry *e, void *userdata)
{
	struct boot_log *b = userdata;

	boot_log_note(b, e->mono_us, e->real_us, e->message);
	return boot_log_kernel(b, e->mono_us, e->message);
}

static int feed_tail(const struct journal_entry *e, void *userdata)
{
	struct tail_feed *t = userdata;
	_cleanup_free_ char *line = NULL;
	int n;

	n = asprintf(&line, "[%5" PRIu64 ".%06" PRIu64 "] %s: %s\n", e->mono_us / 1000000,
		     e->mono_us % 1000000, e->identifier ? e->identifier : "?", e->message);
	if (n < 0)
		return -ENOMEM;
	/* The identifier counts: "systemd-shutdown" is one. */
	boot_log_note(t->b, e->mono_us, e->real_us, line + strcspn(line, "]") + 2);
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t ncap = (t->cap + (size_t)n) * 2;
		char *nb = realloc(t->text, ncap);

		if (!nb)
			return -ENOMEM;
		t->text = nb;
		t->cap = ncap;
	}
	memcpy(t->text + t->len, line, (size_t)n + 1);
	t->len += (size_t)n;
	return 0;
}

/* One earlier boot: its kernel lines, then its last entries. */
static int read_boot(struct scx_probe_ctx *ctx, const char *boot_id, int index, json_t **ret)
{
	const char *kargv[] = { "journalctl", "-b", boot_id, "-k", "-o", "export", "--no-pager", NULL };
	const char *targv[] = { "journalctl", "-b", boot_id, "-n", "200", "-o", "export",
				"--no-pager", NULL };
	_cleanup_free_ char *kout = NULL, *tout = NULL;
	struct tail_feed tail = { 0 };
	char replay[128], rel[64];
	struct boot_log b;
	size_t klen = 0, tlen = 0;
	json_t *boot;
	int r;

	boot_log_init(&b, JOURNAL_RAW_MAX);
	snprintf(replay, sizeof(replay), "%s-kernel.export", boot_id);
	r = journal_read(ctx, replay, kargv, JOURNAL_KERNEL_MAX, &kout, &klen);
	if (r >= 0)
		r = journal_export_parse(kout, klen, feed_kernel, &b);
	if (r < 0)
		goto out;
	snprintf(replay, sizeof(replay), "%s-tail.export", boot_id);
	tail.b = &b;
	r = journal_read(ctx, replay, targv, JOURNAL_TAIL_MAX, &tout, &tlen);
	if (r >= 0)
		r = journal_export_parse(tout, tlen, feed_tail, &tail);
	if (r < 0)
		goto out;
	boot = boot_log_summary(&b, index, "journal", true);
	json_object_set_new(boot, "boot_id", json_string(boot_id));
	snprintf(rel, sizeof(rel), "boot%d-kernel.txt", index);
	probe_save(ctx, rel, b.kmsg.dmesg ? b.kmsg.dmesg : "", b.kmsg.dmesg_len);
	snprintf(rel, sizeof(rel), "boot%d-tail.txt", index);
	probe_save(ctx, rel, tail.text ? tail.text : "", tail.len);
	if (b.kmsg.truncated)
		ctx->truncated = true;
	*ret = boot;
	r = 0;
out:
	free(tail.text);
	boot_log_done(&b);
	return r;
}

static bool persistent_journal(struct scx_probe_ctx *ctx)
{
	char path[PATH_MAX];
	struct stat st;

	return probe_path(ctx, "/var/log/journal", path, sizeof(path)) == 0 &&
	       stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool probe_boots_journal_enabled(const struct scx_probe_opts *opts, const char **why)
{
	if (scx_boots_wanted(opts) < 2) {
		*why = "not requested (--boots 1)";
		return false;
	}
	if (*opts->sysroot)
		return true;
	if (!scx_have_program("journalctl")) {
		*why = "no journalctl (not a systemd system)";
		return false;
	}
	/* journald keeps its files in these two folders (persistent, volatile). */
	if (probe_dir_has(opts, "/var/log/journal", "") || probe_dir_has(opts, "/run/log/journal", ""))
		return true;
	*why = "journalctl lists no boot (no journal files)";
	return false;
}

int probe_boots_journal(struct scx_probe_ctx *ctx)
{
	const char *largv[] = { "journalctl", "--list-boots", "-o", "json", "--no-pager", NULL };
	unsigned want = scx_boots_wanted(ctx->opts);
	_cleanup_free_ char *list_text = NULL;
	json_t *info, *list, *boots, *b;
	json_error_t jerr;
	size_t len = 0, i, read = 0;
	int r;

	if (want < 2)
		return probe_fail(ctx, -EOPNOTSUPP, "not requested (--boots %u)", want);
	if (!*probe_sysroot(ctx) && !scx_have_program("journalctl"))
		return probe_fail(ctx, -ENOENT, "no journalctl (not a systemd system)");
	r = journal_read(ctx, "list-boots.json", largv, 1u << 20, &list_text, &len);
	if (r == -ENOENT && *probe_sysroot(ctx))
		return probe_fail(ctx, r, "the capture has no journalctl/list-boots.json");
	if (r < 0)
		return probe_fail(ctx, r, "journalctl --list-boots: %s", strerror(-r));
	probe_save(ctx, "list-boots.json", list_text, len);
	if (!len || strspn(list_text, " \t\n") == len)
		return probe_fail(ctx, -ENOENT, "journalctl lists no boot (no journal files)");
	list = json_loadb(list_text, len, 0, &jerr);
	if (!json_is_array(list)) {
		json_decref(list);
		return probe_fail(ctx, -EBADMSG, "journalctl --list-boots -o json: not a JSON array (%s)",
				  jerr.text);
	}

	info = json_object();
	boots = json_array();
	json_object_set_new(info, "source", json_string("journalctl"));
	json_object_set_new(info, "persistent", json_boolean(persistent_journal(ctx)));
	json_object_set_new(info, "listed", json_integer((json_int_t)json_array_size(list)));
	json_array_foreach(list, i, b) {
		json_int_t index = json_integer_value(json_object_get(b, "index"));
		const char *id = json_string_value(json_object_get(b, "boot_id"));
		json_t *boot = NULL;

		/* Newest first; index 0 is this boot (the kmsg probe's). */
		if (index >= 0 || index <= -(json_int_t)want || !id || strlen(id) > 64)
			continue;
		r = read_boot(ctx, id, (int)index, &boot);
		if (r < 0) {
			snprintf(ctx->reason, sizeof(ctx->reason), "boot %d (%s): %s", (int)index, id,
				 strerror(-r));
			continue;
		}
		json_array_append_new(boots, boot);
		read++;
	}
	json_decref(list);
	json_object_set_new(info, "read", json_integer((json_int_t)read));
	json_object_set_new(info, "boots", boots);
	if (!read && !ctx->reason[0])
		snprintf(ctx->reason, sizeof(ctx->reason), "the journal holds no earlier boot%s",
			 json_is_true(json_object_get(info, "persistent")) ? "" :
			 " (no /var/log/journal: journald keeps only this boot)");
	json_object_set_new(ctx->out, "boots_journal", info);
	return 0;
}
