// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scx_loader_test: a stand-in for scx_loader (the sched-ext/scx-loader
 * project, Rust, which cannot be built here) for the VM tests' systemd guest.
 * It implements the documented D-Bus interface, and like scx_loader it runs
 * real schedulers as its children, with their arguments:
 *
 *   name org.scx.Loader, object /org/scx/Loader, interface org.scx.Loader
 *   StartScheduler(s name, u mode)          StartSchedulerWithArgs(s name, as args)
 *   SwitchScheduler(s name, u mode)         SwitchSchedulerWithArgs(s name, as args)
 *   StopScheduler()  RestartScheduler()  RestoreDefault()
 *   properties CurrentScheduler (s, "unknown" when none), SchedulerMode (u),
 *   CurrentSchedulerArgs (as), SupportedSchedulers (as), DefaultScheduler (s),
 *   DefaultMode (u)
 *
 * Modes map to no extra arguments here (scx_loader maps them per scheduler
 * from its config).  Config: default_sched = "..." and default_mode = "..."
 * from the first of /etc/scx_loader/config.toml, /etc/scx_loader.toml.
 * A scheduler that exits by itself is noticed on the next call (waitpid).
 * Built with sd-bus (libsystemd); installed as /usr/bin/scx_loader in the
 * systemd guest with scx_loader.service (Type=dbus) and a D-Bus policy.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

static const char *const supported[] = { "scx_simple", "scx_central", "scx_flatcg", "scx_userland",
					 "scx_fifo", "scx_slow", NULL };

static struct {
	pid_t child;
	char name[128];
	char **args;
	unsigned mode;
	char default_sched[128];
	unsigned default_mode;
} L;

static volatile sig_atomic_t quit;

static void on_term(int sig)
{
	(void)sig;
	quit = 1;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Forget a child that exited by itself. */
static void reap(void)
{
	if (L.child > 0 && waitpid(L.child, NULL, WNOHANG) == L.child) {
		fprintf(stderr, "scx_loader: %s (pid %d) exited\n", L.name, (int)L.child);
		L.child = 0;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void stop_child(void)
{
	reap();
	if (L.child <= 0)
		return;
	kill(L.child, SIGINT);
	for (int i = 0; i < 200 && waitpid(L.child, NULL, WNOHANG) != L.child; i++)
		sleep_ms(50);
	if (kill(L.child, 0) == 0) {
		kill(L.child, SIGKILL);
		for (int i = 0; i < 100 && waitpid(L.child, NULL, WNOHANG) != L.child; i++)
			sleep_ms(50);
	}
	fprintf(stderr, "scx_loader: stopped %s (pid %d)\n", L.name, (int)L.child);
	L.child = 0;
}

static bool is_supported(const char *name)
{
	for (size_t i = 0; supported[i]; i++)
		if (!strcmp(name, supported[i]))
			return true;
	return false;
}

/* Stop what runs, start name with args (owned by us from here). */
static int start(const char *name, char **args, unsigned mode, sd_bus_error *err)
{
	size_t n = 0;
	char **argv;
	pid_t pid;

	if (!is_supported(name)) {
		strv_free(args);
		return sd_bus_error_setf(err, "org.scx.Loader.Error.UnknownScheduler",
					 "scheduler %s is not supported", name);
	}
	stop_child();
	while (args && args[n])
		n++;
	argv = calloc(n + 2, sizeof(*argv));
	if (!argv) {
		strv_free(args);
		return -ENOMEM;
	}
	argv[0] = (char *)name;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = args[i];
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execvp(name, argv);
		fprintf(stderr, "scx_loader: cannot run %s: %s\n", name, strerror(errno));
		_exit(127);
	}
	free(argv);
	if (pid < 0) {
		strv_free(args);
		return sd_bus_error_set_errno(err, errno);
	}
	L.child = pid;
	snprintf(L.name, sizeof(L.name), "%s", name);
	strv_free(L.args);
	L.args = args;
	L.mode = mode;
	fprintf(stderr, "scx_loader: started %s (pid %d) with %zu argument(s)\n", name, (int)pid, n);
	return 0;
}

static int m_start(sd_bus_message *m, void *ud, sd_bus_error *err)
{
	const char *name;
	unsigned mode;
	int r;

	(void)ud;
	r = sd_bus_message_read(m, "su", &name, &mode);
	if (r < 0)
		return r;
	r = start(name, NULL, mode, err);
	return r < 0 ? r : sd_bus_reply_method_return(m, "");
}

static int m_start_args(sd_bus_message *m, void *ud, sd_bus_error *err)
{
	const char *name;
	char **args = NULL;
	int r;

	(void)ud;
	r = sd_bus_message_read(m, "s", &name);
	if (r >= 0)
		r = sd_bus_message_read_strv(m, &args);
	if (r < 0)
		return r;
	r = start(name, args, 0, err);
	return r < 0 ? r : sd_bus_reply_method_return(m, "");
}

static int m_stop(sd_bus_message *m, void *ud, sd_bus_error *err)
{
	(void)ud;
	(void)err;
	stop_child();
	return sd_bus_reply_method_return(m, "");
}

static char **strv_copy(char **v)
{
	size_t n = 0;
	char **c;

	while (v && v[n])
		n++;
	c = calloc(n + 1, sizeof(*c));
	for (size_t i = 0; c && i < n; i++)
		c[i] = strdup(v[i]);
	return c;
}

static int m_restart(sd_bus_message *m, void *ud, sd_bus_error *err)
{
	char name[128];
	int r;

	(void)ud;
	if (!L.name[0])
		return sd_bus_error_set(err, "org.scx.Loader.Error.NoScheduler", "no scheduler to restart");
	snprintf(name, sizeof(name), "%s", L.name);
	r = start(name, strv_copy(L.args), L.mode, err);
	return r < 0 ? r : sd_bus_reply_method_return(m, "");
}

static int m_restore(sd_bus_message *m, void *ud, sd_bus_error *err)
{
	int r;

	(void)ud;
	if (!L.default_sched[0])
		return sd_bus_error_set(err, "org.scx.Loader.Error.NoDefault", "no default_sched configured");
	r = start(L.default_sched, NULL, L.default_mode, err);
	return r < 0 ? r : sd_bus_reply_method_return(m, "");
}

static int p_current(sd_bus *b, const char *path, const char *iface, const char *prop,
		     sd_bus_message *reply, void *ud, sd_bus_error *err)
{
	(void)b, (void)path, (void)iface, (void)ud, (void)err;
	reap();
	if (!strcmp(prop, "CurrentScheduler"))
		return sd_bus_message_append(reply, "s", L.child > 0 ? L.name : "unknown");
	if (!strcmp(prop, "SchedulerMode"))
		return sd_bus_message_append(reply, "u", L.mode);
	if (!strcmp(prop, "CurrentSchedulerArgs")) {
		char *none[] = { NULL };

		return sd_bus_message_append_strv(reply, L.child > 0 && L.args ? L.args : none);
	}
	if (!strcmp(prop, "SupportedSchedulers"))
		return sd_bus_message_append_strv(reply, (char **)supported);
	if (!strcmp(prop, "DefaultScheduler"))
		return sd_bus_message_append(reply, "s", L.default_sched[0] ? L.default_sched : "unknown");
	return sd_bus_message_append(reply, "u", L.default_mode);
}

static const sd_bus_vtable vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("StartScheduler", "su", "", m_start, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("StartSchedulerWithArgs", "sas", "", m_start_args, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("SwitchScheduler", "su", "", m_start, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("SwitchSchedulerWithArgs", "sas", "", m_start_args, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("StopScheduler", "", "", m_stop, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RestartScheduler", "", "", m_restart, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD("RestoreDefault", "", "", m_restore, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_PROPERTY("CurrentScheduler", "s", p_current, 0, 0),
	SD_BUS_PROPERTY("SchedulerMode", "u", p_current, 0, 0),
	SD_BUS_PROPERTY("CurrentSchedulerArgs", "as", p_current, 0, 0),
	SD_BUS_PROPERTY("SupportedSchedulers", "as", p_current, 0, 0),
	SD_BUS_PROPERTY("DefaultScheduler", "s", p_current, 0, 0),
	SD_BUS_PROPERTY("DefaultMode", "u", p_current, 0, 0),
	SD_BUS_VTABLE_END
};

static unsigned mode_number(const char *s)
{
	static const char *const modes[] = { "Auto", "Gaming", "PowerSave", "LowLatency", "Server" };

	for (unsigned i = 0; i < 5; i++)
		if (!strcasecmp(s, modes[i]))
			return i;
	return 0;
}

/* default_sched = "name" and default_mode = "Mode" of the first config file found. */
static void read_config(void)
{
	static const char *const files[] = { "/etc/scx_loader/config.toml", "/etc/scx_loader.toml" };

	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "re");
		char line[256], val[128];

		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, " default_sched = \"%127[^\"]\"", val) == 1)
				snprintf(L.default_sched, sizeof(L.default_sched), "%s", val);
			else if (sscanf(line, " default_mode = \"%127[^\"]\"", val) == 1)
				L.default_mode = mode_number(val);
		}
		fclose(f);
		return;
	}
}

int main(void)
{
	sd_bus *bus = NULL;
	int r;

	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	read_config();
	r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_add_object_vtable(bus, NULL, "/org/scx/Loader", "org.scx.Loader", vtable, NULL);
	if (r >= 0)
		r = sd_bus_request_name(bus, "org.scx.Loader", 0);
	if (r < 0) {
		fprintf(stderr, "scx_loader: D-Bus: %s\n", strerror(-r));
		return 1;
	}
	fprintf(stderr, "scx_loader: on the system bus as org.scx.Loader (default %s)\n",
		L.default_sched[0] ? L.default_sched : "none");
	while (!quit) {
		r = sd_bus_process(bus, NULL);
		if (r < 0) {
			fprintf(stderr, "scx_loader: D-Bus: %s\n", strerror(-r));
			break;
		}
		if (r > 0)
			continue;
		reap();
		r = sd_bus_wait(bus, 500000);
		if (r < 0 && r != -EINTR)
			break;
	}
	stop_child();
	sd_bus_unref(bus);
	return 0;
}
