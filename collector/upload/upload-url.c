// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bundle upload by HTTP PUT or POST multipart with libcurl (see
 * upload-url.h).  https only unless the user said --insecure, redirects
 * followed only to https, certificates always checked, the size checked
 * before a byte is sent.
 */
#include "upload-url.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "curl-load.h"
#include "digest.h"
#include "util.h"

#define REPLY_MAX 4096

void scx_url_public(const char *url, char *buf, size_t len)
{
	size_t n = strcspn(url, "?#");

	snprintf(buf, len, "%.*s%s", (int)n, url, url[n] ? "?..." : "");
}

struct digest {
	char hex[65];
	char b64[45];
	uint64_t size;
};

static int file_digest(const char *path, struct digest *d)
{
	unsigned char raw[32];
	int r = sha256_hex_file(path, d->hex, &d->size);

	if (r < 0)
		return r;
	for (int i = 0; i < 32; i++)
		sscanf(d->hex + 2 * i, "%2hhx", &raw[i]);
	scx_base64(raw, 32, d->b64);
	return 0;
}

static int check_request(const struct scx_url_request *req, struct digest *d, char *err,
			 size_t errlen)
{
	struct stat st;
	int r;

	if (!startswith(req->url, "https://") && !(req->insecure && startswith(req->url, "http://")))
		return errmsg(err, errlen, -EPROTONOSUPPORT,
			      "%s: not an https:// URL (plain http only with --insecure)", req->url);
	if (stat(req->file_path, &st) < 0)
		return errmsg(err, errlen, -errno, "%s: %s", req->file_path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return errmsg(err, errlen, -EINVAL, "%s: not a regular file", req->file_path);
	if (req->max_size && (uint64_t)st.st_size > req->max_size)
		return errmsg(err, errlen, -EFBIG, "%s: %llu bytes, over the limit of %llu (--max-size); "
			      "nothing was sent", req->file_path, (unsigned long long)st.st_size,
			      (unsigned long long)req->max_size);
	r = file_digest(req->file_path, d);
	if (r < 0)
		return errmsg(err, errlen, r, "%s: %s", req->file_path, strerror(-r));
	return 0;
}

int scx_url_describe(const struct scx_url_request *req, FILE *out, char *err, size_t errlen)
{
	struct digest d;
	char pub[1024];
	int r = check_request(req, &d, err, errlen);

	if (r < 0)
		return r;
	scx_url_public(req->url, pub, sizeof(pub));
	fprintf(out, "%s %s\n", req->form_name ? "POST" : "PUT", pub);
	if (req->form_name)
		fprintf(out, "Content-Type: multipart/form-data (field \"%s\", file \"%s\", "
			"application/zstd)\n", req->form_name, req->file_name);
	else
		fprintf(out, "Content-Type: application/zstd\n");
	fprintf(out, "Content-Length: %llu (the file)\n", (unsigned long long)d.size);
	fprintf(out, "Content-Digest: sha-256=:%s:\n", d.b64);
	fprintf(out, "X-Checksum-Sha256: %s\n", d.hex);
	return 0;
}

struct reply {
	char buf[REPLY_MAX];
	size_t len;
};

static size_t on_reply(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct reply *rp = userdata;
	size_t n = size * nmemb, room = sizeof(rp->buf) - 1 - rp->len;

	memcpy(rp->buf + rp->len, ptr, n < room ? n : room);
	rp->len += n < room ? n : room;
	rp->buf[rp->len] = '\0';
	return n;	/* the rest is read and dropped */
}

static void set_common(CURL *c, const struct scx_url_request *req, struct reply *rp,
		       char *curl_err)
{
	const char *protos = req->insecure ? "http,https" : "https";

	scx_curl.easy_setopt(c, CURLOPT_URL, req->url);
	scx_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos);
	scx_curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	scx_curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	/* Redirects never leave TLS, whatever --insecure allowed for the first URL. */
	scx_curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	scx_curl.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	scx_curl.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_file)
		scx_curl.easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
	scx_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_reply);
	scx_curl.easy_setopt(c, CURLOPT_WRITEDATA, rp);
	scx_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	scx_curl.easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s > 0 ? req->timeout_s : 300L);
	scx_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	scx_curl.easy_setopt(c, CURLOPT_USERAGENT, "scx-report/" SCX_REPORT_VERSION);
}

static int status_error(long status, const struct scx_url_request *req, const struct digest *d,
			const struct reply *rp, char *err, size_t errlen)
{
	char pub[1024], msg[160];
	size_t i;

	scx_url_public(req->url, pub, sizeof(pub));
	if (status == 413)
		return errmsg(err, errlen, -EFBIG,
			      "%s: the server refused the bundle as too large (HTTP 413, %llu KiB)",
			      pub, (unsigned long long)(d->size + 1023) / 1024);
	/* The server's first words, one printable line. */
	for (i = 0; i < rp->len && i < sizeof(msg) - 1; i++)
		msg[i] = (rp->buf[i] < 0x20 || rp->buf[i] == 0x7f) ? ' ' : rp->buf[i];
	msg[i] = '\0';
	return errmsg(err, errlen, -EIO, "%s: HTTP %ld%s%s", pub, status, *strstrip(msg) ? ": " : "",
		      strstrip(msg));
}

int scx_url_upload(const struct scx_url_request *req, long *ret_status, char *err, size_t errlen)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *h1 = NULL, *h2 = NULL;
	char curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	curl_mime *mime = NULL;
	struct reply rp = { .len = 0 };
	struct digest d;
	long status = 0;
	CURLcode cr;
	CURL *c;
	int r;

	r = check_request(req, &d, err, errlen);
	if (r < 0)
		return r;
	if (asprintf(&h1, "Content-Digest: sha-256=:%s:", d.b64) < 0 ||
	    asprintf(&h2, "X-Checksum-Sha256: %s", d.hex) < 0)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	r = scx_curl_open(&c, err, errlen);
	if (r < 0)
		return r;
	set_common(c, req, &rp, curl_err);
	headers = scx_curl.slist_append(headers, h1);
	headers = scx_curl.slist_append(headers, h2);
	headers = scx_curl.slist_append(headers, "Expect:");
	if (req->form_name) {
		curl_mimepart *part;

		mime = scx_curl.mime_init(c);
		part = scx_curl.mime_addpart(mime);
		scx_curl.mime_name(part, req->form_name);
		scx_curl.mime_filedata(part, req->file_path);
		scx_curl.mime_filename(part, req->file_name);
		scx_curl.mime_type(part, "application/zstd");
		scx_curl.easy_setopt(c, CURLOPT_MIMEPOST, mime);
	} else {
		f = fopen(req->file_path, "re");
		if (!f) {
			r = errmsg(err, errlen, -errno, "%s: %s", req->file_path, strerror(errno));
			goto out;
		}
		headers = scx_curl.slist_append(headers, "Content-Type: application/zstd");
		scx_curl.easy_setopt(c, CURLOPT_UPLOAD, 1L);
		scx_curl.easy_setopt(c, CURLOPT_READDATA, f);
		scx_curl.easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)d.size);
	}
	scx_curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	cr = scx_curl.easy_perform(c);
	scx_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	/* A server that refuses early (413) may close while the body is still going out. */
	if (cr != CURLE_OK && status < 400) {
		char pub[1024];

		scx_url_public(req->url, pub, sizeof(pub));
		if (cr == CURLE_UNSUPPORTED_PROTOCOL)
			r = errmsg(err, errlen, -EPROTONOSUPPORT,
				   "%s: redirected to a URL that is not https: not followed, nothing sent there",
				   pub);
		else
			r = errmsg(err, errlen, -EIO, "%s: %s", pub,
				   curl_err[0] ? curl_err : scx_curl.easy_strerror(cr));
		goto out;
	}
	if (status < 200 || status >= 300) {
		r = status_error(status, req, &d, &rp, err, errlen);
		goto out;
	}
	*ret_status = status;
	r = 0;
out:
	scx_curl.mime_free(mime);
	scx_curl.slist_free_all(headers);
	scx_curl.easy_cleanup(c);
	return r;
}
