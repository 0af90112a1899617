/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Upload a bundle to a URL: HTTP PUT of the file as the body (the shape of
 * pre-signed object-store URLs and of vendors' upload endpoints), or POST
 * multipart/form-data with the file in field form_name.  The sha256 travels
 * in two headers: "Content-Digest: sha-256=:BASE64:" (RFC 9530) and
 * "X-Checksum-Sha256: HEX" (what Artifactory and similar stores verify).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct scx_url_request {
	const char *url;
	const char *file_path;
	const char *file_name;	/* multipart file name */
	const char *form_name;	/* NULL: PUT */
	const char *ca_file;	/* NULL: the system's CAs */
	bool insecure;		/* allow http:// (and redirects to it) */
	uint64_t max_size;	/* refuse larger files before sending */
	long timeout_s;
};

/* The URL without its query and fragment (a pre-signed URL's query is a credential). */
void scx_url_public(const char *url, char *buf, size_t len);

/* What would be sent: method, URL (query elided), headers, size, sha256. */
int scx_url_describe(const struct scx_url_request *req, FILE *out, char *err, size_t errlen);

/*
 * Upload.  On success *ret_status is the HTTP status (2xx); on failure
 * -errno and one line in err (HTTP 413: the server's size limit).
 */
int scx_url_upload(const struct scx_url_request *req, long *ret_status, char *err, size_t errlen);
