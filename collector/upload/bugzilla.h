/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attach a file to a Bugzilla bug over its REST API (Bugzilla 5.0+):
 * POST {base}/rest/bug/{id}/attachment with a JSON body.
 */
#pragma once

#include <stddef.h>

enum scx_bz_auth {
	SCX_BZ_AUTH_KEY,	/* api_key in the body and X-BUGZILLA-API-KEY (stock 5.0/5.2 and newer) */
	SCX_BZ_AUTH_BEARER,	/* Authorization: Bearer (bugzilla.redhat.com) */
};

struct scx_bz_request {
	const char *base_url;	/* https://bugzilla.example.org */
	unsigned long bug_id;
	const char *api_key;
	enum scx_bz_auth auth;
	const char *file_path;	/* the bundle */
	const char *file_name;	/* as shown in the bug */
	const char *summary;	/* attachment description */
	const char *comment;	/* may be NULL */
	long timeout_s;
};

/*
 * Upload; on success *ret_attachment_id is the new attachment's id.  On
 * failure returns -errno and err holds one line: the HTTP status and the
 * server's message (code 600: attachment too large).
 */
int scx_bz_attach(const struct scx_bz_request *req, unsigned long *ret_attachment_id,
		  char *err, size_t errlen);

/* The JSON body (exposed for tests): caller frees. */
char *scx_bz_body(const struct scx_bz_request *req, const void *data, size_t len);
