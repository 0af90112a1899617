/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The redaction options `collect --redact` and `redact` share. */
#pragma once

#include <limits.h>
#include <stdbool.h>

#include <jansson.h>

#include "redact.h"

enum { SCX_OPT_REDACT = 0x400, SCX_OPT_REDACT_WORD, SCX_OPT_REDACT_MAP };

struct scx_redact_opts {
	bool enabled;
	const char *words[32];
	unsigned n_words;
	const char *map_path;		/* --redact-map, or NULL */
	char map_default[PATH_MAX];	/* BUNDLE.redact-map.json */
	struct scx_redact *engine;
};

/* One option from getopt (c, optarg); logs and returns -EINVAL on a bad value. */
int scx_redact_opts_parse(struct scx_redact_opts *ro, int c, const char *arg);
/* Make the engine: --redact-map loaded, words and the user's names added. */
int scx_redact_opts_begin(struct scx_redact_opts *ro);
/* The bundle's path: the map goes to BUNDLE.redact-map.json (loaded if there) unless --redact-map. */
int scx_redact_opts_set_output(struct scx_redact_opts *ro, const char *bundle);
/*
 * Clean a staged tree and its report (redact-stage.c); *ret_note is the
 * manifest's "redaction" object.
 */
int scx_redact_opts_apply(struct scx_redact_opts *ro, const char *top, json_t **report,
			  json_t **ret_note);
/* Write the map (0600) beside the bundle, and say where. */
int scx_redact_opts_end(struct scx_redact_opts *ro);
void scx_redact_opts_free(struct scx_redact_opts *ro);
