/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `scx-report attach`: a verified bundle to a Bugzilla bug or a URL (attach.c). */
#pragma once

#include <stdbool.h>

#include "bugzilla.h"
#include "upload-url.h"

struct scx_attach_request {
	struct scx_bz_request bz;	/* bz.base_url set: to Bugzilla */
	struct scx_url_request url;	/* url.url set: PUT or POST multipart */
	const char *keyfile;		/* --api-key-file, else $SCX_REPORT_BUGZILLA_API_KEY */
	bool dry_run;			/* print what would be sent (not the key), send nothing */
};

/*
 * The first line of the file at path, stripped (a key or a URL: a trailing
 * comment or a second line never travels); -errno.
 */
int scx_attach_read_line(const char *path, char **ret);

/* Verify the bundle at bz.file_path (= url.file_path), then send it; the exit code. */
int scx_attach(struct scx_attach_request *a);
