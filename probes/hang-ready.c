// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hang readiness: would a hard hang under a custom scheduler leave anything to read at the
 * next boot?  A hang leaves a trace only when a detector sees it (the hard-lockup NMI
 * watchdog, the soft-lockup watchdog), turns it into a panic (hardlockup_panic,
 * softlockup_panic) and something keeps the panic's log (pstore: ramoops or efi-pstore;
 * kdump: crashkernel= and a loaded capture kernel).  A persistent journal keeps what was
 * logged up to the hang.  When nothing would survive, `advice` says what to enable and how,
 * for the distribution family (Debian/Ubuntu, Fedora/RHEL, SUSE, Arch).
 *
 * Every read goes through probe-io, so --sysroot replays a captured tree.
 * report.json: hang_readiness {family, pstore, kdump, lockup, panic_on_warn, panic,
 * hung_task, journal, detects_hangs, panics_on_hang, would_survive_hard_hang, survivors,
 * advice [{what, how}]}.
 */
#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "probes.h"

/* An integer from a one-line file, into obj[key]; false when absent or not a number. */
static bool int_into(struct scx_probe_ctx *ctx, json_t *obj, const char *key, const char *abs,
		     int64_t *ret)
{
	_cleanup_free_ char *line = NULL;
	int64_t v;

	if (probe_read_line(ctx, abs, &line) < 0 || safe_atoi64(strstrip(line), &v) < 0)
		return false;
	json_object_set_new(obj, key, json_integer(v));
	if (ret)
		*ret = v;
	return true;
}

static bool is_dir(struct scx_probe_ctx *ctx, const char *abs)
{
	char path[PATH_MAX];
	struct stat st;

	return probe_path(ctx, abs, path, sizeof(path)) == 0 && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

static const char *family(struct scx_probe_ctx *ctx)
{
	static const struct { const char *id, *family; } ids[] = {
		{ "debian", "debian" }, { "ubuntu", "debian" },
		{ "fedora", "fedora" }, { "rhel", "fedora" }, { "centos", "fedora" },
		{ "suse", "suse" }, { "opensuse", "suse" }, { "sles", "suse" },
		{ "arch", "arch" },
	};
	_cleanup_free_ char *text = NULL, *id = NULL, *like = NULL;
	char words[512];

	if (probe_read(ctx, "/etc/os-release", 65536, &text, NULL, NULL) < 0 &&
	    probe_read(ctx, "/usr/lib/os-release", 65536, &text, NULL, NULL) < 0)
		return "other";
	scx_os_release_get(text, "ID", &id);
	scx_os_release_get(text, "ID_LIKE", &like);
	snprintf(words, sizeof(words), " %s %s ", id ? id : "", like ? like : "");
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		char w[40];

		snprintf(w, sizeof(w), " %s ", ids[i].id);
		if (strstr(words, w) || (!strcmp(ids[i].id, "suse") && strstr(words, "suse")))
			return ids[i].family;
	}
	return "other";
}

static json_t *pstore(struct scx_probe_ctx *ctx)
{
	_cleanup_free_ char *backend = NULL;
	json_t *p = json_object();

	if (probe_read_line(ctx, "/sys/module/pstore/parameters/backend", &backend) >= 0 &&
	    *strstrip(backend) && strcmp(backend, "(null)"))
		json_object_set_new(p, "backend", json_string(backend));
	json_object_set_new(p, "ramoops_loaded", json_boolean(is_dir(ctx, "/sys/module/ramoops")));
	json_object_set_new(p, "efi", json_boolean(is_dir(ctx, "/sys/firmware/efi")));
	int_into(ctx, p, "ramoops_mem_size", "/sys/module/ramoops/parameters/mem_size", NULL);
	return p;
}

static json_t *kdump(struct scx_probe_ctx *ctx)
{
	_cleanup_free_ char *cmdline = NULL;
	json_t *k = json_object();
	const char *c;

	if (probe_read_line(ctx, "/proc/cmdline", &cmdline) >= 0 &&
	    (c = strstr(cmdline, "crashkernel=")) && (c == cmdline || c[-1] == ' ')) {
		size_t n = strcspn(c + 12, " ");

		json_object_set_new(k, "crashkernel", json_stringn(c + 12, n));
	}
	int_into(ctx, k, "loaded", "/sys/kernel/kexec_crash_loaded", NULL);
	int_into(ctx, k, "crash_size", "/sys/kernel/kexec_crash_size", NULL);
	return k;
}

/* Storage= of journald.conf (the last one wins: the main file, then its drop-ins in order). */
static json_t *journal(struct scx_probe_ctx *ctx)
{
	json_t *j = json_object();
	_cleanup_free_ char *text = NULL;
	const char *storage = NULL, *s;
	char buf[32] = "", path[PATH_MAX];
	struct dirent **names = NULL;
	bool systemd = is_dir(ctx, "/run/systemd/system");
	int n;

	json_object_set_new(j, "systemd", json_boolean(systemd));
	json_object_set_new(j, "var_log_journal", json_boolean(is_dir(ctx, "/var/log/journal")));
	if (probe_read(ctx, "/etc/systemd/journald.conf", 65536, &text, NULL, NULL) >= 0 &&
	    (s = strstr(text, "\nStorage=")))
		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(s + 9, "\n "), s + 9);
	if (probe_path(ctx, "/etc/systemd/journald.conf.d", path, sizeof(path)) == 0 &&
	    (n = scandir(path, &names, NULL, alphasort)) > 0) {
		for (int i = 0; i < n; i++) {
			char abs[PATH_MAX];
			_cleanup_free_ char *t = NULL;

			snprintf(abs, sizeof(abs), "/etc/systemd/journald.conf.d/%s", names[i]->d_name);
			if (strstr(names[i]->d_name, ".conf") &&
			    probe_read(ctx, abs, 65536, &t, NULL, NULL) >= 0 && (s = strstr(t, "Storage=")) &&
			    (s == t || s[-1] == '\n'))
				snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(s + 8, "\n "), s + 8);
			free(names[i]);
		}
		free(names);
	}
	if (*buf)
		storage = buf;
	if (storage)
		json_object_set_new(j, "storage", json_string(storage));
	/* auto (the default) keeps it on disk only when /var/log/journal exists. */
	json_object_set_new(j, "persistent", json_boolean(
		systemd && (storage ? !strcmp(storage, "persistent") ||
					      (!strcmp(storage, "auto") && is_dir(ctx, "/var/log/journal"))
				    : is_dir(ctx, "/var/log/journal"))));
	return j;
}

static void advise(json_t *advice, const char *what, const char *how)
{
	json_array_append_new(advice, json_pack("{s:s,s:s}", "what", what, "how", how));
}

static const char *kdump_how(const char *fam)
{
	if (!strcmp(fam, "debian"))
		return "apt install kdump-tools (Ubuntu: linux-crashdump), reboot (it adds crashkernel= "
		       "through /etc/default/grub.d/kdump-tools.cfg), check with `kdump-config show`";
	if (!strcmp(fam, "fedora"))
		return "dnf install kexec-tools; kdumpctl reset-crashkernel --kernel=ALL; systemctl "
		       "enable kdump; reboot; check with `kdumpctl status`";
	if (!strcmp(fam, "suse"))
		return "zypper install kdump; yast kdump (or crashkernel= in /etc/default/grub and "
		       "grub2-mkconfig -o /boot/grub2/grub.cfg); systemctl enable kdump; reboot";
	if (!strcmp(fam, "arch"))
		return "pacman -S kexec-tools; add crashkernel=512M to the kernel command line in your "
		       "boot loader; a kdump service as the Arch wiki's Kdump page describes; reboot";
	return "install your distribution's kdump (kexec-tools), put crashkernel=512M on the kernel "
	       "command line, enable its service and reboot";
}

static void advice_for(json_t *h, const char *fam, bool detects, bool hard, bool panics, bool keeps,
		       bool efi, bool persistent, bool systemd)
{
	json_t *advice = json_array();

	if (!detects)
		advise(advice, "the lockup detectors",
		       "sysctl -w kernel.watchdog=1 kernel.soft_watchdog=1 kernel.nmi_watchdog=1 "
		       "(kept across boots in /etc/sysctl.d/90-hang.conf)");
	else if (!hard)
		advise(advice, "the hard-lockup detector (a CPU stuck with interrupts off)",
		       "sysctl -w kernel.nmi_watchdog=1 (needs a perf NMI counter, which most virtual "
		       "machines lack; or nmi_watchdog=1 on the kernel command line)");
	if (!panics)
		advise(advice, "a panic on a lockup, so pstore or kdump records it",
		       "sysctl -w kernel.hardlockup_panic=1 kernel.softlockup_panic=1 kernel.panic=10 "
		       "(in /etc/sysctl.d/90-hang.conf; kernel.panic=10 reboots 10 s after the panic)");
	if (!keeps) {
		advise(advice, "pstore (the panic's kernel log in firmware or reserved memory)",
		       efi ? "modprobe efi_pstore, and `echo efi_pstore > /etc/modules-load.d/pstore.conf`; "
			     "systemd-pstore.service then keeps the records in /var/lib/systemd/pstore"
			   : "ramoops in reserved memory: memmap=1M!0x7f000000 ramoops.mem_address=0x7f000000 "
			     "ramoops.mem_size=0x100000 ramoops.ecc=1 on the kernel command line (pick an "
			     "unused physical range of this machine)");
		advise(advice, "kdump (a capture kernel that saves the whole crash)", kdump_how(fam));
	}
	if (!persistent)
		advise(advice, "a persistent journal (what was logged up to the hang)",
		       systemd ? "mkdir -p /var/log/journal && systemd-tmpfiles --create --prefix "
				 "/var/log/journal && systemctl restart systemd-journald"
			       : "a syslog daemon writing kern.* to /var/log/kern.log");
	json_object_set_new(h, "advice", advice);
}

int probe_hang_ready(struct scx_probe_ctx *ctx)
{
	json_t *h = json_object(), *lock = json_object(), *hung = json_object(), *ps, *kd, *jr;
	json_t *surv = json_array();
	int64_t nmi = 0, soft = 0, wd = 1, hlp = 0, slp = 0;
	const char *fam = family(ctx);
	bool have_nmi, have_soft, detects, panics, pst, kdl, persistent;

	json_object_set_new(ctx->out, "hang_readiness", h);
	json_object_set_new(h, "family", json_string(fam));
	have_nmi = int_into(ctx, lock, "nmi_watchdog", "/proc/sys/kernel/nmi_watchdog", &nmi);
	have_soft = int_into(ctx, lock, "soft_watchdog", "/proc/sys/kernel/soft_watchdog", &soft);
	int_into(ctx, lock, "watchdog", "/proc/sys/kernel/watchdog", &wd);
	int_into(ctx, lock, "watchdog_thresh", "/proc/sys/kernel/watchdog_thresh", NULL);
	int_into(ctx, lock, "hardlockup_panic", "/proc/sys/kernel/hardlockup_panic", &hlp);
	int_into(ctx, lock, "softlockup_panic", "/proc/sys/kernel/softlockup_panic", &slp);
	json_object_set_new(h, "lockup", lock);
	int_into(ctx, h, "panic_on_warn", "/proc/sys/kernel/panic_on_warn", NULL);
	int_into(ctx, h, "panic", "/proc/sys/kernel/panic", NULL);
	int_into(ctx, hung, "timeout_secs", "/proc/sys/kernel/hung_task_timeout_secs", NULL);
	int_into(ctx, hung, "panic", "/proc/sys/kernel/hung_task_panic", NULL);
	int_into(ctx, hung, "warnings", "/proc/sys/kernel/hung_task_warnings", NULL);
	json_object_set_new(h, "hung_task", hung);
	ps = pstore(ctx);
	kd = kdump(ctx);
	jr = journal(ctx);
	json_object_set_new(h, "pstore", ps);
	json_object_set_new(h, "kdump", kd);
	json_object_set_new(h, "journal", jr);

	if (!have_nmi && !have_soft) {
		/* A capture without /proc/sys/kernel, or a kernel without the detectors: no verdict. */
		json_object_set_new(h, "known", json_false());
		json_decref(surv);
		snprintf(ctx->reason, sizeof(ctx->reason), "the lockup detector settings are not readable "
			 "(no /proc/sys/kernel/nmi_watchdog or soft_watchdog)");
		return 0;
	}
	json_object_set_new(h, "known", json_true());
	detects = wd != 0 && ((have_nmi && nmi) || (have_soft && soft));
	panics = detects && (hlp || slp);
	pst = json_object_get(ps, "backend") != NULL;
	kdl = json_integer_value(json_object_get(kd, "loaded")) == 1;
	persistent = json_is_true(json_object_get(jr, "persistent"));
	if (panics && pst)
		json_array_append_new(surv, json_sprintf("pstore (%s)", json_string_value(json_object_get(ps, "backend"))));
	if (panics && kdl)
		json_array_append_new(surv, json_string("kdump"));
	if (persistent)
		json_array_append_new(surv, json_string("the persistent journal (up to the hang)"));
	json_object_set_new(h, "detects_hangs", json_boolean(detects));
	json_object_set_new(h, "panics_on_hang", json_boolean(panics));
	json_object_set_new(h, "would_survive_hard_hang", json_boolean(panics && (pst || kdl)));
	json_object_set_new(h, "survivors", surv);
	advice_for(h, fam, detects, have_nmi && nmi, panics, pst || kdl, json_is_true(json_object_get(ps, "efi")),
		   persistent, json_is_true(json_object_get(jr, "systemd")));
	snprintf(ctx->reason, sizeof(ctx->reason), "%s",
		 panics && (pst || kdl) ? "a hard hang would leave its panic log"
					: "a hard hang would leave no log of itself");
	return 0;
}
