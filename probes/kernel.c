// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel probe: which kernel, built how, tainted by what.
 *
 * Reads /proc/sys/kernel/osrelease (the release, as `uname -r`; read from
 * procfs so that --sysroot replays it), /proc/sys/kernel/arch (6.1+; uname()
 * on a live system before that), /proc/version, /proc/cmdline,
 * /etc/os-release (or /usr/lib/os-release), the build configuration from
 * /boot/config-<release> then /proc/config.gz (CONFIG_IKCONFIG_PROC),
 * /sys/kernel/btf/vmlinux (5.4+), /proc/sys/kernel/tainted and
 * /sys/module/<module>/taint (3.15+).
 *
 * Report keys: host {kernel, version, arch, os, os_id, os_version_id} and
 * kernel {cmdline, config_source, config, btf, taint}.
 */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "gunzip.h"
#include "probes.h"

#define CONFIG_MAX (4u << 20)		/* a kernel config is ~250 KiB */
#define CONFIG_GZ_MAX (1u << 20)
#define MODULES_MAX 4096

/* ---- kernel config --------------------------------------------------- */

bool scx_kconfig_wanted(const char *item)
{
	static const char *const exact[] = {
		"SCHED_CLASS_EXT", "KALLSYMS_ALL", "FUNCTION_TRACER", "SCHED_DEBUG", "SCHEDSTATS",
	};
	static const char *const prefix[] = { "BPF", "DEBUG_INFO_BTF", "PREEMPT", "HZ", "NO_HZ" };

	for (size_t i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcmp(item, exact[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(prefix); i++)
		if (startswith(item, prefix[i]))
			return true;
	return false;
}

/* Add one "CONFIG_X=v" / "# CONFIG_X is not set" line to items if wanted. */
static void kconfig_line(char *line, json_t *items)
{
	char *name, *value, *end;

	if (startswith(line, "# CONFIG_") && endswith(line, " is not set")) {
		name = line + strlen("# CONFIG_");
		line[strlen(line) - strlen(" is not set")] = '\0';
		if (scx_kconfig_wanted(name) && !strchr(name, ' '))
			json_object_set_new(items, name, json_string("n"));
		return;
	}
	if (!startswith(line, "CONFIG_") || !(value = strchr(line, '=')))
		return;
	*value++ = '\0';
	name = line + strlen("CONFIG_");
	if (!scx_kconfig_wanted(name))
		return;
	end = value + strlen(value);
	if (end - value >= 2 && value[0] == '"' && end[-1] == '"') {
		end[-1] = '\0';
		value++;
	}
	json_object_set_new(items, name, json_string(value));
}

int scx_kconfig_parse(const char *text, size_t len, json_t **ret_items)
{
	_cleanup_free_ char *copy = strndup(text, len);
	json_t *items;
	char *save = NULL;

	if (!copy)
		return -ENOMEM;
	items = json_object();
	if (!items)
		return -ENOMEM;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		kconfig_line(strstrip(line + strspn(line, " \t")), items);
	*ret_items = items;
	return 0;
}

static int collect_config(struct scx_probe_ctx *ctx, const char *release, json_t *kernel)
{
	_cleanup_free_ char *raw = NULL, *text = NULL;
	char path[PATH_MAX] = "";
	size_t raw_len, len;
	bool truncated = false;
	json_t *items;
	int r = -ENOENT;

	if (release) {
		snprintf(path, sizeof(path), "/boot/config-%s", release);
		r = probe_read(ctx, path, CONFIG_MAX, &raw, &raw_len, &truncated);
		if (r >= 0) {
			text = TAKE_PTR(raw);
			len = raw_len;
		}
	}
	if (r < 0) {
		snprintf(path, sizeof(path), "/proc/config.gz");
		r = probe_read(ctx, path, CONFIG_GZ_MAX, &raw, &raw_len, NULL);
		if (r < 0)
			return r;
		r = gunzip_bounded(raw, raw_len, CONFIG_MAX, &text, &len, &truncated);
		if (r < 0)
			return r;
	}
	if (truncated)
		ctx->truncated = true;
	r = scx_kconfig_parse(text, len, &items);
	if (r < 0)
		return r;
	json_object_set_new(kernel, "config_source", json_string(path));
	json_object_set_new(kernel, "config", items);
	/* Keep the compressed form when that is what the kernel offers. */
	if (raw)
		probe_save(ctx, path + 1, raw, raw_len);
	else
		probe_save(ctx, path + 1, text, len);
	return 0;
}

/* ---- taint ------------------------------------------------------------ */

static const struct {
	char letter;
	const char *name;
} taint_bits[] = {
	{ 'P', "proprietary module was loaded" },
	{ 'F', "module was force loaded" },
	{ 'S', "kernel running on an out of specification system" },
	{ 'R', "module was force unloaded" },
	{ 'M', "processor reported a Machine Check Exception (MCE)" },
	{ 'B', "bad page referenced or some unexpected page flags" },
	{ 'U', "taint requested by userspace application" },
	{ 'D', "kernel died recently, i.e. there was an OOPS or BUG" },
	{ 'A', "an ACPI table was overridden by user" },
	{ 'W', "kernel issued warning" },
	{ 'C', "staging driver was loaded" },
	{ 'I', "workaround for bug in platform firmware applied" },
	{ 'O', "externally-built (\"out-of-tree\") module was loaded" },
	{ 'E', "unsigned module was loaded" },
	{ 'L', "soft lockup occurred" },
	{ 'K', "kernel has been live patched" },
	{ 'X', "auxiliary taint, defined for and used by distros" },
	{ 'T', "kernel was built with the struct randomization plugin" },
	{ 'N', "an in-kernel test has been run" },
	{ 'J', "userspace used a mutating debug operation in fwctl" },
};

json_t *scx_taint_decode(uint64_t value, char *ret_letters, size_t letters_len)
{
	json_t *flags = json_array();
	size_t n = 0;

	for (unsigned bit = 0; bit < 64; bit++) {
		json_t *f;
		char letter[2] = "?";
		char unknown[32];
		const char *name;

		if (!(value & (1ull << bit)))
			continue;
		if (bit < ARRAY_SIZE(taint_bits)) {
			letter[0] = taint_bits[bit].letter;
			name = taint_bits[bit].name;
		} else {
			snprintf(unknown, sizeof(unknown), "unknown taint bit %u", bit);
			name = unknown;
		}
		if (n + 1 < letters_len)
			ret_letters[n++] = letter[0];
		f = json_object();
		json_object_set_new(f, "bit", json_integer(bit));
		json_object_set_new(f, "letter", json_string(letter));
		json_object_set_new(f, "name", json_string(name));
		json_array_append_new(flags, f);
	}
	if (letters_len)
		ret_letters[n] = '\0';
	return flags;
}

static void collect_module_taint(struct scx_probe_ctx *ctx, json_t *taint)
{
	json_t *modules = json_array();
	_cleanup_free_ char *listing = NULL;
	size_t listing_len = 0;
	struct dirent **names = NULL;
	char dir[PATH_MAX];
	int n;

	json_object_set_new(taint, "modules", modules);
	if (probe_path(ctx, "/sys/module", dir, sizeof(dir)) < 0)
		return;
	/* alphasort: a stable order whatever the filesystem's. */
	n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *value = NULL, *line = NULL;
		const char *name = names[i]->d_name;
		char path[PATH_MAX];
		json_t *m;

		if (name[0] == '.' || i >= MODULES_MAX ||
		    snprintf(path, sizeof(path), "/sys/module/%s/taint", name) >= (int)sizeof(path) ||
		    probe_read_line(ctx, path, &value) < 0 || !*value)
			continue;
		m = json_object();
		json_object_set_new(m, "name", json_string(name));
		json_object_set_new(m, "taint", json_string(value));
		json_array_append_new(modules, m);
		if (asprintf(&line, "%s%s %s\n", listing ? listing : "", name, value) >= 0) {
			free(listing);
			listing = TAKE_PTR(line);
			listing_len = strlen(listing);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (listing)
		probe_save(ctx, "module-taint.txt", listing, listing_len);
}

static void collect_taint(struct scx_probe_ctx *ctx, json_t *kernel)
{
	_cleanup_free_ char *line = NULL;
	char letters[72];
	uint64_t value;
	json_t *taint;

	if (probe_read_line(ctx, "/proc/sys/kernel/tainted", &line) < 0 ||
	    safe_atou64(line, &value) < 0)
		return;
	probe_save(ctx, "proc/sys/kernel/tainted", line, strlen(line));
	taint = json_object();
	json_object_set_new(taint, "value", json_integer((json_int_t)value));
	json_object_set_new(taint, "flags", scx_taint_decode(value, letters, sizeof(letters)));
	json_object_set_new(taint, "letters", json_string(letters));
	collect_module_taint(ctx, taint);
	json_object_set_new(kernel, "taint", taint);
}

/* ---- os-release, identity --------------------------------------------- */

int scx_os_release_get(const char *text, const char *key, char **ret_value)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *v, *eol;
		char *out;
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, klen) || p[klen] != '=')
			continue;
		v = p + klen + 1;
		eol = strchrnul(v, '\n');
		n = (size_t)(eol - v);
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
			n--;
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		out = malloc(n + 1);
		if (!out)
			return -ENOMEM;
		/* Shell-style backslash escapes inside quotes. */
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			if (v[i] == '\\' && i + 1 < n)
				i++;
			out[o++] = v[i];
		}
		out[o] = '\0';
		*ret_value = out;
		return 0;
	}
	return -ENOENT;
}

static void collect_os(struct scx_probe_ctx *ctx, json_t *host)
{
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };
	static const struct { const char *key, *field; } fields[] = {
		{ "PRETTY_NAME", "os" }, { "ID", "os_id" }, { "VERSION_ID", "os_version_id" },
	};
	_cleanup_free_ char *text = NULL;
	size_t len;

	for (size_t i = 0; i < ARRAY_SIZE(files) && !text; i++)
		if (probe_read(ctx, files[i], 65536, &text, &len, NULL) >= 0)
			probe_save(ctx, "os-release", text, len);
	if (!text)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		_cleanup_free_ char *v = NULL;

		if (scx_os_release_get(text, fields[i].key, &v) >= 0)
			json_object_set_new(host, fields[i].field, json_string(v));
	}
}

/* Read a one-line /proc file into obj[key] and keep a raw copy. */
static char *read_value(struct scx_probe_ctx *ctx, const char *path, json_t *obj, const char *key)
{
	char *line = NULL;

	if (probe_read_line(ctx, path, &line) < 0)
		return NULL;
	json_object_set_new(obj, key, json_string(line));
	probe_save(ctx, path + 1, line, strlen(line));
	return line;
}

int probe_kernel(struct scx_probe_ctx *ctx)
{
	json_t *host = json_object(), *kernel = json_object();
	_cleanup_free_ char *release = NULL, *arch = NULL, *version = NULL, *cmdline = NULL;
	bool live = !*probe_sysroot(ctx);
	char path[PATH_MAX];
	struct utsname u;
	struct stat st;
	int r;

	json_object_set_new(ctx->out, "host", host);
	json_object_set_new(ctx->out, "kernel", kernel);

	release = read_value(ctx, "/proc/sys/kernel/osrelease", host, "kernel");
	if (!release && live && uname(&u) == 0) {
		release = strdup(u.release);
		json_object_set_new(host, "kernel", json_string(u.release));
	}
	version = read_value(ctx, "/proc/version", host, "version");
	arch = read_value(ctx, "/proc/sys/kernel/arch", host, "arch");
	if (!arch && live && uname(&u) == 0)
		json_object_set_new(host, "arch", json_string(u.machine));
	collect_os(ctx, host);

	cmdline = read_value(ctx, "/proc/cmdline", kernel, "cmdline");

	r = collect_config(ctx, release, kernel);
	if (r < 0)
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "no kernel config (/boot/config-%s, /proc/config.gz): %s",
			 release ? release : "?", strerror(-r));

	if (probe_path(ctx, "/sys/kernel/btf/vmlinux", path, sizeof(path)) >= 0)
		json_object_set_new(kernel, "btf", json_boolean(stat(path, &st) == 0));

	collect_taint(ctx, kernel);

	if (!release && !version && !cmdline)
		return probe_fail(ctx, -ENOENT, "no /proc/sys/kernel/osrelease or /proc/version");
	return 0;
}
