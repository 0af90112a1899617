/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One file per verb (systemd-analyze style); main.c dispatches. */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "exit-codes.h"

/*
 * A whole number from min to max for option opt of verb; logs
 * "VERB: OPT: 'S' is not a whole number from MIN to MAX" and returns -errno.
 */
int verb_parse_uint(const char *verb, const char *opt, const char *s, uint64_t min, uint64_t max,
		    uint64_t *ret);

/*
 * getopt_long with one voice: "scx-report: VERB: unrecognized option '--x'" and
 * "scx-report: VERB: option '--pid' needs a value" (VERB from argv[0]), '?' then.
 */
struct option;
int verb_getopt(int argc, char *const argv[], const char *shortopts, const struct option *longopts);
/* The name among names[n] word is most likely a typing slip of, or NULL. */
const char *verb_did_you_mean(const char *word, const char *const *names, size_t n);

int verb_collect(int argc, char **argv);
int verb_show(int argc, char **argv);
int verb_latency(int argc, char **argv);
int verb_attach(int argc, char **argv);
int verb_qos(int argc, char **argv);
int verb_diff(int argc, char **argv);
int verb_redact(int argc, char **argv);
int verb_triage(int argc, char **argv);
int verb_help(int argc, char **argv);
int verb_watch(int argc, char **argv);
int verb_list(int argc, char **argv);

void help_collect(FILE *f);

/* The one line for a bundle that would go to a terminal (as zstd and tar refuse). */
void scx_refuse_terminal(void);
void help_show(FILE *f);
void help_latency(FILE *f);
void help_attach(FILE *f);
void help_qos(FILE *f);
void help_diff(FILE *f);
void help_redact(FILE *f);
void help_watch(FILE *f);
void help_list(FILE *f);
void help_triage(FILE *f);
