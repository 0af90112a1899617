/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `scx-report show`: a bundle verified and shown (show.c). */
#pragma once

#include <stdbool.h>

/* What to show; at most one of json, html, list, member (none: the summary). */
struct scx_show_request {
	bool json;		/* report.json as ASCII JSON */
	const char *html;	/* write report.html here ("-": standard output) */
	bool list;		/* the members and the manifest's status of each */
	const char *member;	/* print this member, when it matches the manifest */
	bool force;		/* replace an existing --html file; a binary member to a terminal */
};

/* Show the bundle at path ("-": standard input); the exit code (lib/exit-codes.h). */
int scx_show(const char *path, const struct scx_show_request *req);
