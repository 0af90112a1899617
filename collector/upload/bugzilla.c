// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bugzilla attachment upload with libcurl.  The API key travels in the body
 * and the X-BUGZILLA-API-KEY header (stock Bugzilla 5.0/5.2 reads the first,
 * newer installations the second) or as a Bearer token; it is never put in
 * the URL, where proxies and logs would keep it.
 */
#include "bugzilla.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "curl-load.h"
#include "digest.h"
#include "util.h"

#define BZ_MAX_FILE (64u << 20)
#define BZ_MAX_REPLY (1u << 20)

static char *base64(const void *data, size_t len)
{
	size_t out = 4 * ((len + 2) / 3) + 1;
	char *b = malloc(out);

	if (!b)
		return NULL;
	scx_base64(data, len, b);
	return b;
}

char *scx_bz_body(const struct scx_bz_request *req, const void *data, size_t len)
{
	_cleanup_free_ char *b64 = base64(data, len);
	json_t *body, *ids;
	char *text;

	if (!b64)
		return NULL;
	body = json_object();
	ids = json_array();
	json_array_append_new(ids, json_integer((json_int_t)req->bug_id));
	json_object_set_new(body, "ids", ids);
	json_object_set_new(body, "data", json_string(b64));
	json_object_set_new(body, "file_name", json_string(req->file_name));
	json_object_set_new(body, "summary", json_string(req->summary));
	json_object_set_new(body, "content_type", json_string("application/zstd"));
	json_object_set_new(body, "is_patch", json_false());
	if (req->is_private)
		json_object_set_new(body, "is_private", json_true());
	if (req->comment)
		json_object_set_new(body, "comment", json_string(req->comment));
	if (req->auth == SCX_BZ_AUTH_KEY && req->api_key)
		json_object_set_new(body, "api_key", json_string(req->api_key));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return text;
}

struct reply {
	char *buf;
	size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct reply *r = userdata;
	size_t n = size * nmemb;
	char *nb;

	if (r->len + n > BZ_MAX_REPLY)
		return 0;
	nb = realloc(r->buf, r->len + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + r->len, ptr, n);
	r->buf = nb;
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
}

/* Make the server's message one printable line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20)
			*s = ' ';
}

static char *attachment_url(const struct scx_bz_request *req)
{
	char *url;

	if (asprintf(&url, "%s%srest/bug/%lu/attachment", req->base_url,
		     endswith(req->base_url, "/") ? "" : "/", req->bug_id) < 0)
		return NULL;
	return url;
}

int scx_bz_describe(const struct scx_bz_request *req, FILE *out, char *err, size_t errlen)
{
	_cleanup_free_ char *url = attachment_url(req);
	struct stat st;

	if (!url)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	if (stat(req->file_path, &st) < 0)
		return errmsg(err, errlen, -errno, "%s: %s", req->file_path, strerror(errno));
	if ((uint64_t)st.st_size > BZ_MAX_FILE)
		return errmsg(err, errlen, -EFBIG, "%s: larger than %u MiB", req->file_path,
			      BZ_MAX_FILE >> 20);
	fprintf(out, "POST %s\n", url);
	fprintf(out, "Content-Type: application/json\n");
	if (req->api_key)
		fprintf(out, "%s: (the API key, not shown)\n",
			req->auth == SCX_BZ_AUTH_BEARER ? "Authorization: Bearer" : "X-BUGZILLA-API-KEY");
	fprintf(out, "body: ids [%lu], file_name \"%s\", summary \"%s\", content_type "
		"\"application/zstd\", is_patch false%s%s%s%s, data: %lld bytes base64-encoded\n",
		req->bug_id, req->file_name, req->summary, req->is_private ? ", is_private true" : "",
		req->comment ? ", comment \"" : "", req->comment ? req->comment : "",
		req->comment ? "\"" : "", (long long)st.st_size);
	return 0;
}

int scx_bz_attach(const struct scx_bz_request *req, unsigned long *ret_attachment_id,
		  char *err, size_t errlen)
{
	_cleanup_free_ char *data = NULL, *body = NULL, *url = NULL, *hdr = NULL;
	struct curl_slist *headers = NULL;
	struct reply reply = { 0 };
	char curl_err[CURL_ERROR_SIZE] = "";
	json_t *j = NULL;
	size_t len;
	bool truncated;
	long status = 0;
	CURL *c;
	CURLcode cr;
	int r;

	r = read_file_full(req->file_path, BZ_MAX_FILE, &data, &len, &truncated);
	if (r < 0)
		return errmsg(err, errlen, r, "%s: %s", req->file_path, strerror(-r));
	if (truncated)
		return errmsg(err, errlen, -EFBIG, "%s: larger than %u MiB", req->file_path,
			    BZ_MAX_FILE >> 20);
	body = scx_bz_body(req, data, len);
	if (!body)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	url = attachment_url(req);
	if (!url)
		return errmsg(err, errlen, -ENOMEM, "out of memory");

	r = scx_curl_open(&c, err, errlen);
	if (r < 0)
		return r;
	headers = scx_curl.slist_append(headers, "Content-Type: application/json");
	headers = scx_curl.slist_append(headers, "Accept: application/json");
	if (req->api_key) {
		if (asprintf(&hdr, req->auth == SCX_BZ_AUTH_BEARER ? "Authorization: Bearer %s"
								    : "X-BUGZILLA-API-KEY: %s",
			     req->api_key) < 0) {
			scx_curl.easy_cleanup(c);
			scx_curl.slist_free_all(headers);
			return errmsg(err, errlen, -ENOMEM, "out of memory");
		}
		headers = scx_curl.slist_append(headers, hdr);
	}
	scx_curl.easy_setopt(c, CURLOPT_URL, url);
	scx_curl.easy_setopt(c, CURLOPT_POST, 1L);
	scx_curl.easy_setopt(c, CURLOPT_POSTFIELDS, body);
	scx_curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	scx_curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	scx_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	scx_curl.easy_setopt(c, CURLOPT_WRITEDATA, &reply);
	scx_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	scx_curl.easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s > 0 ? req->timeout_s : 300L);
	scx_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	scx_curl.easy_setopt(c, CURLOPT_USERAGENT, "scx-report/" SCX_REPORT_VERSION);
	/* https unless --insecure; never follow a redirect with the key. */
	scx_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, req->insecure ? "http,https" : "https");
	scx_curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	scx_curl.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	scx_curl.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_file)
		scx_curl.easy_setopt(c, CURLOPT_CAINFO, req->ca_file);

	cr = scx_curl.easy_perform(c);
	scx_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	scx_curl.easy_cleanup(c);
	scx_curl.slist_free_all(headers);
	if (cr != CURLE_OK) {
		r = errmsg(err, errlen, -EIO, "%s: %s", url, curl_err[0] ? curl_err : scx_curl.easy_strerror(cr));
		goto out;
	}
	j = reply.buf ? json_loads(reply.buf, 0, NULL) : NULL;
	if (status < 200 || status >= 300 || !j || json_is_true(json_object_get(j, "error"))) {
		json_int_t code = json_integer_value(json_object_get(j, "code"));
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", json_string_value(json_object_get(j, "message"))
						? json_string_value(json_object_get(j, "message"))
						: "no message");
		one_line(msg);
		if (code == 600)
			r = errmsg(err, errlen, -EFBIG,
				 "bug %lu: the bundle (%zu KiB) is larger than this Bugzilla accepts "
				 "(error 600: %s)", req->bug_id, (len + 1023) / 1024, msg);
		else
			r = errmsg(err, errlen, -EIO, "bug %lu: HTTP %ld, Bugzilla error %lld: %s",
				 req->bug_id, status, (long long)code, msg);
		goto out;
	}
	{
		json_t *ids = json_object_get(j, "ids"), *first = json_array_get(ids, 0);
		uint64_t id = 0;

		if (json_is_integer(first))
			id = (uint64_t)json_integer_value(first);
		else if (!json_is_string(first) || safe_atou64(json_string_value(first), &id) < 0) {
			r = errmsg(err, errlen, -EBADMSG, "bug %lu: reply has no attachment id",
				 req->bug_id);
			goto out;
		}
		*ret_attachment_id = (unsigned long)id;
		r = 0;
	}
out:
	json_decref(j);
	free(reply.buf);
	return r;
}
