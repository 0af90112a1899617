// SPDX-License-Identifier: GPL-2.0-or-later
/* scx-report: the verb table and global options. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "verbs.h"

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *f);
	const char *summary;
};

static const struct verb verbs[] = {
	{ "attach", verb_attach, help_attach, "attach a bundle to a Bugzilla bug or upload it to a URL" },
	{ "collect", verb_collect, help_collect, "collect a report bundle of this system" },
	{ "diff", verb_diff, help_diff, "what changed between two bundles" },
	{ "latency", verb_latency, help_latency, "print scheduling latency histograms" },
	{ "list", verb_list, help_list, "list the captures of scx-report watch" },
	{ "qos", verb_qos, help_qos, "score the custom scheduler against the default one" },
	{ "redact", verb_redact, help_redact, "write a copy of a bundle with identifying values replaced" },
	{ "show", verb_show, help_show, "verify a bundle and print its summary" },
	{ "triage", verb_triage, help_triage, "many bundles in one table, counted by version and verdict" },
	{ "watch", verb_watch, help_watch, "capture sched_ext ejections as they happen (a service)" },
	{ 0 }
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: scx-report [COLLECT OPTIONS] > bug.tar.zst\n"
		"       scx-report [--help] [--version] VERB [OPTIONS]\n"
		"\n"
		"Collect and read sched_ext bug-report bundles: which scheduler is running,\n"
		"its identity and provenance, the sched_ext state and history, scheduling\n"
		"latency, and whether a problem is the custom scheduler's or the system's.\n"
		"\n"
		"Verbs:\n");
	for (const struct verb *v = verbs; v->name; v++)
		fprintf(f, "  %-10s %s\n", v->name, v->summary);
	fprintf(f, "  %-10s %s\n", "help VERB", "show the options of a verb");
	fprintf(f,
		"\n"
		"With no verb, scx-report collects a bundle and writes it to standard output,\n"
		"which must not be a terminal; messages go to standard error.\n"
		"\n"
		"Exit status:\n"
		"  0  success (collect: bundle written; show: bundle valid)\n"
		"  1  failure (no bundle written, or bundle invalid)\n"
		"  2  usage error, or a bundle that would go to a terminal\n"
		"  3  the paired run (or qos) could not put the custom scheduler back\n"
		"  4  qos: the --fail-on condition was met\n"
		"diff follows diff(1): 0 no changes, 1 the bundles differ, 2 usage error or a\n"
		"bundle that is invalid or unreadable.  triage: 0 every bundle read, 1 some\n"
		"refused or none found.\n"
		"See scx-report(1).\n");
}

static const struct verb *find_verb(const char *name)
{
	for (const struct verb *v = verbs; v->name; v++)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

/* "unknown verb 'shwo' (did you mean 'show'?)", one line, exit 2. */
static int unknown_verb(const char *prefix, const char *name)
{
	const char *names[ARRAY_SIZE(verbs) + 1];
	const char *best;
	size_t n = 0;

	for (const struct verb *v = verbs; v->name; v++)
		names[n++] = v->name;
	names[n++] = "help";
	best = verb_did_you_mean(name, names, n);
	if (best)
		scx_log_error("%sunknown verb '%s' (did you mean '%s'? 'scx-report --help' lists them)",
			      prefix, name, best);
	else
		scx_log_error("%sunknown verb '%s' (try 'scx-report --help')", prefix, name);
	return SCX_EXIT_USAGE;
}

int verb_help(int argc, char **argv)
{
	const struct verb *v;

	if (argc < 2) {
		usage(stdout);
		return SCX_EXIT_OK;
	}
	v = find_verb(argv[1]);
	if (!v)
		return unknown_verb("help: ", argv[1]);
	v->help(stdout);
	return SCX_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct verb *v;

	/*
	 * No verb means collect, to standard output: `scx-report > bug.tar.zst`,
	 * as a bug template says it.  Options before any verb are collect's.
	 */
	if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "--help") && strcmp(argv[1], "-h") &&
			 strcmp(argv[1], "--version") && strcmp(argv[1], "-V"))) {
		char name[] = "scx-report collect";
		char **cargv = calloc((size_t)argc + 1, sizeof(*cargv));

		if (isatty(STDOUT_FILENO)) {
			scx_refuse_terminal();
			free(cargv);
			return SCX_EXIT_USAGE;
		}
		if (!cargv)
			return SCX_EXIT_FAIL;
		cargv[0] = name;
		for (int i = 1; i < argc; i++)
			cargv[i] = argv[i];
		int rc = verb_collect(argc, cargv);

		free(cargv);
		return rc;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout), SCX_EXIT_OK;
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("scx-report %s\n", SCX_REPORT_VERSION);
		return SCX_EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return verb_help(argc - 1, argv + 1);
	v = find_verb(argv[1]);
	if (!v)
		return unknown_verb("", argv[1]);
	/* getopt names argv[0] in its messages, and the manifest records it. */
	char name[64];
	snprintf(name, sizeof(name), "scx-report %s", v->name);
	argv[1] = name;
	return v->run(argc - 1, argv + 1);
}
