// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What started the scheduler, and the evidence:
 *   systemd     the process's cgroup (/proc/PID/cgroup, cgroup v2 "0::", 4.5)
 *               names a .service; `systemctl show`, /etc/default/scx, and the
 *               unit's journal of this boot (journalctl -o short-monotonic,
 *               bounded to 2000 lines), cut at its last start;
 *   scx_loader  scx_loader.service or an scx_loader parent: D-Bus properties
 *               of org.scx.Loader through busctl, and its config files;
 *   openrc      a supervise-daemon/start-stop-daemon parent or
 *               /run/openrc/started/scx: /etc/init.d/scx, /etc/conf.d/scx,
 *               `rc-service scx status`;
 *   manual      a shell, terminal or login session among the parents (by
 *               comm, or by /proc/PPID/exe and cmdline: a wrapper script's
 *               comm is its own name, the shell running it is its exe);
 *   none        (scheduler.c) registered with no process; unknown otherwise.
 * The scheduler's stderr (in its unit's journal) carries the kernel's debug
 * dump after an error exit: the dump blocks are attached to the history.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "identity.h"

#define TIMEOUT_MS 8000
#define JOURNAL_LINES "2000"

static const char *const shells[] = {
	"sh", "bash", "dash", "ash", "zsh", "fish", "ksh", "mksh", "tcsh", "csh", "busybox",
	"tmux", "tmux: server", "screen", "SCREEN", "sshd", "login", "su", "sudo", "doas",
	"gnome-terminal-", "konsole", "xterm", "alacritty", "kitty", "foot", "wezterm-gui",
};

int sched_unit_from_cgroup(const char *cgroup, char *ret_unit, size_t len)
{
	const char *p = cgroup, *best = NULL;
	size_t best_len = 0;

	while (p && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if ((n > 8 && !strncmp(p + n - 8, ".service", 8)) || (n > 6 && !strncmp(p + n - 6, ".scope", 6))) {
			best = p;
			best_len = n;
		}
		/*
		 * Below user@UID.service, units belong to that user's manager, not to
		 * PID 1: the unit is user@UID.service (never systemd's to stop/start).
		 */
		if (n > 13 && !strncmp(p, "user@", 5) && !strncmp(p + n - 8, ".service", 8))
			break;
		p = slash ? slash + 1 : NULL;
	}
	if (!best || best_len >= len)
		return -ENOENT;
	memcpy(ret_unit, best, best_len);
	ret_unit[best_len] = '\0';
	return 0;
}

json_t *sched_parse_keyvalues(const char *text)
{
	json_t *o = json_object();
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n'), *eq = strchr(line, '=');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (eq && (size_t)(eq - line) < n && eq > line) {
			char key[128];
			size_t kl = (size_t)(eq - line);

			if (kl < sizeof(key)) {
				memcpy(key, line, kl);
				key[kl] = '\0';
				json_object_set_new(o, key, json_stringn(eq + 1, n - kl - 1));
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return o;
}

/* "[   12.345678] host ident[pid]: message": the time and the message. */
bool sched_journal_line(const char *line, size_t n, double *ret_s, const char **ret_msg,
			size_t *ret_len)
{
	const char *end = memchr(line, ']', n), *colon;
	char num[32];
	size_t k;

	if (n < 3 || line[0] != '[' || !end || (size_t)(end - line) >= sizeof(num))
		return false;
	k = (size_t)(end - line - 1);
	memcpy(num, line + 1, k);
	num[k] = '\0';
	*ret_s = strtod(num, NULL);
	colon = end;
	while ((size_t)(colon - line) + 1 < n && !(colon[0] == ':' && colon[1] == ' '))
		colon++;
	if ((size_t)(colon - line) + 1 >= n) {
		/* "ident[pid]:" with an empty message */
		*ret_msg = line + n;
		*ret_len = 0;
		return true;
	}
	*ret_msg = colon + 2;
	*ret_len = n - (size_t)(colon + 2 - line);
	return true;
}

json_t *sched_journal_dumps(const char *journal)
{
	json_t *dumps = json_array(), *cur = NULL;
	const char *line = journal;
	int seps = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n'), *msg;
		size_t n = nl ? (size_t)(nl - line) : strlen(line), mlen;
		double t;

		if (!sched_journal_line(line, n, &t, &msg, &mlen))
			goto next;
		if (mlen >= 10 && memmem(msg, mlen, "DEBUG DUMP", 10)) {
			cur = json_pack("{s:f,s:[]}", "mono_s", t, "lines");
			json_array_append_new(dumps, cur);
			seps = 0;
		}
		if (cur) {
			json_t *lines = json_object_get(cur, "lines");

			json_array_append_new(lines, json_stringn(msg, mlen));
			if (mlen >= 8 && !strncmp(msg, "========", 8) && ++seps == 2)
				cur = NULL;
			else if (json_array_size(lines) >= 4000)
				cur = NULL;
		}
next:
		line = nl ? nl + 1 : NULL;
	}
	return dumps;
}

static double event_time(const json_t *h)
{
	static const char *const keys[] = { "time_s", "mono_s", "uptime_s", "time" };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const json_t *v = json_object_get(h, keys[i]);

		if (json_is_number(v))
			return json_number_value(v);
		if (json_is_string(v)) {
			const char *s = json_string_value(v);
			char *end;
			double d;

			while (*s == '[' || *s == ' ')
				s++;
			d = strtod(s, &end);
			if (end != s)
				return d;
		}
	}
	return NAN;
}

json_t *sched_history_attach_dumps(const json_t *history, const json_t *dumps)
{
	json_t *copy, *h, *d;
	size_t i, j, attached = 0;

	if (!json_is_array(history) || !json_array_size(dumps))
		return NULL;
	copy = json_deep_copy(history);
	/* Each dump to the last error event at or before it (2 s of clock skew allowed). */
	json_array_foreach(dumps, j, d) {
		double dt = json_number_value(json_object_get(d, "mono_s"));
		json_t *best = NULL, *last_err = NULL;

		json_array_foreach(copy, i, h) {
			const char *ev = json_string_value(json_object_get(h, "event"));
			double t = event_time(h);

			if (!ev || strcmp(ev, "error"))
				continue;
			last_err = h;
			if (!isnan(t) && t <= dt + 2.0)
				best = h;
		}
		/* No usable times: in order, the last error gets the last dump. */
		if (!best && last_err && isnan(event_time(last_err)))
			best = last_err;
		if (best) {
			json_object_set(best, "dump", json_object_get(d, "lines"));
			attached++;
		}
	}
	if (!attached) {
		json_decref(copy);
		return NULL;
	}
	return copy;
}

static int run_save(struct scx_probe_ctx *ctx, const char *rel, const char *const argv[],
		    struct scx_cmd *c)
{
	int r;

	if (*probe_sysroot(ctx)) {
		/* Replay: the helper's output as a file, SYSROOT/helpers/<bundle name>. */
		char abs[PATH_MAX];

		snprintf(abs, sizeof(abs), "/helpers/%s", rel);
		r = probe_read(ctx, abs, 4u << 20, &c->out, &c->len, &c->truncated);
		if (r < 0)
			return r;
		c->status = 0;
		sched_save_cmd(ctx, rel, argv, c);
		return 0;
	}
	r = scx_spawn(argv, TIMEOUT_MS, 4u << 20, false, c);

	if (r == 0)
		sched_save_cmd(ctx, rel, argv, c);
	return r;
}

/* Keep the unit's journal of this boot; returns it (caller frees) or NULL. */
static char *unit_journal(struct scx_probe_ctx *ctx, const char *unit)
{
	const char *argv[] = { "journalctl", "-u", unit, "-b", "-o", "short-monotonic", "--no-pager",
			       "-n", JOURNAL_LINES, NULL };
	struct scx_cmd c = { 0 };
	char rel[300];

	snprintf(rel, sizeof(rel), "journal-%s.txt", unit);
	if (run_save(ctx, rel, argv, &c) < 0)
		return NULL;
	return c.out;
}

static void attach_dumps(struct scx_probe_ctx *ctx, const char *unit, const char *journal,
			 json_t **ret_history)
{
	json_t *dumps = sched_journal_dumps(journal), *amended, *events, *merged;

	/* What the journal holds that the kernel log lacks (unit-journal.c). */
	events = sched_journal_events(journal);
	merged = sched_history_merge(*ret_history ? *ret_history
						  : json_object_get(ctx->report, "history"), events, unit);
	json_decref(events);
	if (merged) {
		json_decref(*ret_history);
		*ret_history = merged;
	}
	amended = sched_history_attach_dumps(*ret_history ? *ret_history
							  : json_object_get(ctx->report, "history"), dumps);
	if (amended) {
		json_t *h;
		size_t i;

		json_array_foreach(amended, i, h)
			if (json_object_get(h, "dump") && !json_object_get(h, "dump_source"))
				json_object_set_new(h, "dump_source", json_sprintf("journal of %s", unit));
		if (*ret_history)
			json_decref(*ret_history);
		*ret_history = amended;
	}
	json_decref(dumps);
}

/* The lines of the journal at or after the unit's last start, kept apart. */
static void save_since_start(struct scx_probe_ctx *ctx, const char *journal, const json_t *props)
{
	const char *mono = json_string_value(json_object_get(props, "ActiveEnterTimestampMonotonic"));
	const char *line = journal;
	double start;
	char *buf;
	size_t off = 0;

	if (!mono || !journal || (start = strtod(mono, NULL) / 1e6) <= 0)
		return;
	buf = malloc(strlen(journal) + 1);
	if (!buf)
		return;
	while (line && *line) {
		const char *nl = strchr(line, '\n'), *msg;
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line), mlen;
		double t;

		if (sched_journal_line(line, n, &t, &msg, &mlen) && t + 0.001 >= start) {
			memcpy(buf + off, line, n);
			off += n;
		}
		line = nl ? nl + 1 : NULL;
	}
	probe_save(ctx, "journal-since-start.txt", buf, off);
	free(buf);
}

static void systemd_evidence(struct scx_probe_ctx *ctx, const char *unit, json_t *sched,
			     json_t *evidence, json_t **ret_history)
{
	const char *argv[] = { "systemctl", "show", unit, "-p",
			       "FragmentPath,ActiveState,SubState,Result,ExecStart,Environment,"
			       "EnvironmentFiles,MainPID,ActiveEnterTimestamp,ActiveEnterTimestampMonotonic,"
			       "NRestarts,ExecMainStatus", NULL };
	struct scx_cmd c = { 0 };
	_cleanup_free_ char *journal = NULL;

	if (run_save(ctx, "systemctl-show.txt", argv, &c) == 0 && c.status == 0) {
		json_t *props = sched_parse_keyvalues(c.out);

		json_object_set_new(sched, "unit_props", props);
		if (json_string_value(json_object_get(props, "FragmentPath")))
			json_array_append_new(evidence, json_sprintf("unit file %s",
				json_string_value(json_object_get(props, "FragmentPath"))));
	} else {
		json_array_append_new(evidence, json_string("systemctl show failed or is missing"));
	}
	scx_cmd_done(&c);
	if (probe_copy(ctx, "/etc/default/scx", NULL, 65536) == 0)
		json_array_append_new(evidence, json_string("/etc/default/scx present (copied)"));
	journal = unit_journal(ctx, unit);
	if (journal) {
		save_since_start(ctx, journal, json_object_get(sched, "unit_props"));
		attach_dumps(ctx, unit, journal, ret_history);
	}
}

static int busctl_prop(struct scx_probe_ctx *ctx, const char *prop, json_t *loader)
{
	const char *argv[] = { "busctl", "--system", "get-property", "org.scx.Loader",
			       "/org/scx/Loader", "org.scx.Loader", prop, NULL };
	struct scx_cmd c = { 0 };
	char rel[96];
	char *s;

	snprintf(rel, sizeof(rel), "busctl-%s.txt", prop);
	if (run_save(ctx, rel, argv, &c) < 0 || c.status != 0) {
		scx_cmd_done(&c);
		return -ENOENT;
	}
	s = strstrip(c.out);
	/* busctl prints the D-Bus signature then the value: s "x" | u 0 | as 2 "a" "b" */
	if (startswith(s, "s ")) {
		size_t n = strlen(s + 2);

		if (n >= 2 && s[2] == '"' && s[1 + n] == '"')
			json_object_set_new(loader, prop, json_stringn(s + 3, n - 2));
	} else if (startswith(s, "u ")) {
		json_object_set_new(loader, prop, json_integer(strtoll(s + 2, NULL, 10)));
	} else if (startswith(s, "as ")) {
		json_t *a = json_array();
		char *p = strchr(s + 3, '"');

		while (p) {
			char *q = strchr(p + 1, '"');

			if (!q)
				break;
			json_array_append_new(a, json_stringn(p + 1, (size_t)(q - p - 1)));
			p = strchr(q + 1, '"');
		}
		json_object_set_new(loader, prop, a);
	} else {
		json_object_set_new(loader, prop, json_string(s));
	}
	scx_cmd_done(&c);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

static bool name_in(const char *name, const char *const *names, size_t n)
{
	for (size_t k = 0; name && *name && k < n; k++)
		if (!strcmp(name, names[k]))
			return true;
	return false;
}

/*
 * Is one of the parents one of names?  Its comm, and also what it runs: a
 * script's comm is the script's own name, the program running it (a shell) is
 * its exe and its cmdline's first word.  who (wholen bytes) says which.
 */
static bool parent_is(const json_t *process, const char *const *names, size_t n, char *who,
		      size_t wholen)
{
	const json_t *p;
	size_t i;

	json_array_foreach(json_object_get(process, "parents"), i, p) {
		const char *comm = json_string_value(json_object_get(p, "comm"));
		const char *exe = json_string_value(json_object_get(p, "exe"));
		const char *arg0 = json_string_value(json_array_get(json_object_get(p, "cmdline"), 0));
		char exe_base[256];

		if (name_in(comm, names, n) ||
		    /* A shell script's comm is its file name. */
		    (comm && names == shells && endswith(comm, ".sh"))) {
			snprintf(who, wholen, "%s", comm);
			return true;
		}
		snprintf(exe_base, sizeof(exe_base), "%s", base_name(exe) ? base_name(exe) : "");
		if (endswith(exe_base, " (deleted)"))
			exe_base[strlen(exe_base) - strlen(" (deleted)")] = '\0';
		if (name_in(exe_base, names, n) || name_in(base_name(arg0), names, n)) {
			snprintf(who, wholen, "%s (pid %" JSON_INTEGER_FORMAT ", run by %s)",
				 comm ? comm : "?", json_integer_value(json_object_get(p, "pid")),
				 name_in(exe_base, names, n) ? exe : arg0);
			return true;
		}
	}
	return false;
}

int sched_manager_detect(struct scx_probe_ctx *ctx, const json_t *process, json_t *sched)
{
	static const char *const loaders[] = { "scx_loader" };
	static const char *const openrc[] = { "supervise-daemon", "start-stop-daemon", "openrc-run" };
	const char *cgroup = json_string_value(json_object_get(process, "cgroup"));
	char who[PATH_MAX + 128];
	json_t *evidence = json_array(), *history = NULL;
	bool live = !*probe_sysroot(ctx);
	char unit[256] = "", path[PATH_MAX];
	const char *manager = "unknown";

	if (cgroup && sched_unit_from_cgroup(cgroup, unit, sizeof(unit)) == 0)
		json_array_append_new(evidence, json_sprintf("cgroup %s", cgroup));
	if (!strcmp(unit, "scx_loader.service") || parent_is(process, loaders, 1, who, sizeof(who))) {
		json_t *loader = json_object();
		static const char *const props[] = { "CurrentScheduler", "SchedulerMode",
						     "CurrentSchedulerArgs", "DefaultScheduler", "DefaultMode" };
		static const char *const confs[] = { "/etc/scx_loader/config.toml", "/etc/scx_loader.toml",
						     "/usr/share/scx_loader/config.toml", "/usr/share/scx_loader.toml" };

		manager = "scx_loader";
		json_array_append_new(evidence, json_string(unit[0] ? "runs in scx_loader.service"
							     : "an scx_loader process is its parent"));
		for (size_t i = 0; live && i < ARRAY_SIZE(props); i++)
			busctl_prop(ctx, props[i], loader);
		if (json_object_size(loader))
			json_array_append_new(evidence, json_string("org.scx.Loader answered on the system bus"));
		json_object_set_new(sched, "loader", loader);
		for (size_t i = 0; i < ARRAY_SIZE(confs); i++)
			if (probe_copy(ctx, confs[i], NULL, 65536) == 0)
				json_array_append_new(evidence, json_sprintf("config %s (copied)", confs[i]));
		if (unit[0] && (!live || scx_have_program("systemctl")))
			systemd_evidence(ctx, unit, sched, evidence, &history);
	} else if (endswith(unit, ".service") && !startswith(unit, "user@") &&
		   !startswith(unit, "getty@") && !startswith(unit, "serial-getty@") &&
		   strcmp(unit, "sshd.service") && strcmp(unit, "ssh.service")) {
		manager = "systemd";
		json_array_append_new(evidence, json_sprintf("runs in the cgroup of %s", unit));
		if (!live || scx_have_program("systemctl"))
			systemd_evidence(ctx, unit, sched, evidence, &history);
		else
			json_array_append_new(evidence, json_string("no systemctl to ask"));
	} else if (parent_is(process, openrc, ARRAY_SIZE(openrc), who, sizeof(who)) ||
		   (probe_path(ctx, "/run/openrc/started/scx", path, sizeof(path)) == 0 &&
		    access(path, F_OK) == 0)) {
		manager = "openrc";
		json_array_append_new(evidence, json_string("OpenRC service scx (supervisor parent or "
							    "/run/openrc/started/scx)"));
		probe_copy(ctx, "/etc/init.d/scx", NULL, 65536);
		if (probe_copy(ctx, "/etc/conf.d/scx", NULL, 65536) == 0)
			json_array_append_new(evidence, json_string("/etc/conf.d/scx present (copied)"));
		if (live && scx_have_program("rc-service")) {
			const char *argv[] = { "rc-service", "scx", "status", NULL };
			struct scx_cmd c = { 0 };

			if (run_save(ctx, "rc-service-status.txt", argv, &c) == 0)
				json_array_append_new(evidence, json_sprintf("rc-service scx status: exit %d", c.status));
			scx_cmd_done(&c);
		}
	} else if (parent_is(process, shells, ARRAY_SIZE(shells), who, sizeof(who))) {
		manager = "manual";
		json_array_append_new(evidence, json_sprintf("started from %s (a shell or terminal among "
							     "its parents)", who));
		if (endswith(unit, ".scope"))
			json_array_append_new(evidence, json_sprintf("in login session %s", unit));
	} else if (endswith(unit, ".scope")) {
		manager = "manual";
		json_array_append_new(evidence, json_sprintf("in %s, a login session or transient scope", unit));
	}
	json_object_set_new(sched, "manager", json_string(manager));
	json_object_set_new(sched, "manager_evidence", evidence);
	if (unit[0] && (!strcmp(manager, "systemd") || !strcmp(manager, "scx_loader")))
		json_object_set_new(sched, "unit", json_string(unit));
	if (history)
		json_object_set_new(ctx->out, "history", history);
	return 0;
}

int sched_manager_after_exit(struct scx_probe_ctx *ctx, json_t *sched, json_t **ret_history)
{
	static const char *const units[] = { "scx.service", "scx_loader.service" };
	json_t *history = NULL;

	if (!*probe_sysroot(ctx) &&
	    (!scx_have_program("systemctl") || !scx_have_program("journalctl")))
		return -EOPNOTSUPP;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		const char *argv[] = { "systemctl", "show", units[i], "-p", "LoadState,ActiveState,Result,"
				       "ExecMainStatus,NRestarts,FragmentPath", NULL };
		struct scx_cmd c = { 0 };
		_cleanup_free_ char *journal = NULL;
		json_t *props;
		char rel[96];

		snprintf(rel, sizeof(rel), "systemctl-show-%s.txt", units[i]);
		if (run_save(ctx, rel, argv, &c) < 0 || c.status != 0) {
			scx_cmd_done(&c);
			continue;
		}
		props = sched_parse_keyvalues(c.out);
		scx_cmd_done(&c);
		if (strcmp(json_string_value(json_object_get(props, "LoadState")) ?: "", "loaded")) {
			json_decref(props);
			continue;
		}
		journal = unit_journal(ctx, units[i]);
		if (journal) {
			json_t *before = history;

			attach_dumps(ctx, units[i], journal, &history);
			if (history != before) {
				json_object_set_new(sched, "unit", json_string(units[i]));
				json_object_set(sched, "unit_props", props);
			}
		}
		json_decref(props);
	}
	*ret_history = history;
	return history ? 1 : 0;
}
