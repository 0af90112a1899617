// SPDX-License-Identifier: GPL-2.0-or-later
/* libcurl loaded on first use (curl-load.h). */
#include "curl-load.h"

#include <errno.h>
#include <stdio.h>

#include "dl-load.h"
#include "util.h"

/* The soname of libcurl's ABI 4, the one curl/curl.h describes. */
#define SCX_CURL_SONAME "libcurl.so.4"

struct scx_curl scx_curl;

static const struct scx_dl_sym symbols[] = {
#define SYM(member) { "curl_" #member, offsetof(struct scx_curl, member) }
	SYM(easy_init),	    SYM(easy_setopt),	 SYM(easy_perform),  SYM(easy_getinfo),
	SYM(easy_cleanup),  SYM(easy_strerror),	 SYM(slist_append),  SYM(slist_free_all),
	SYM(mime_init),	    SYM(mime_addpart),	 SYM(mime_name),     SYM(mime_filedata),
	SYM(mime_filename), SYM(mime_type),	 SYM(mime_free),
#undef SYM
};

static const struct scx_dl_lib libcurl = {
	SCX_CURL_SONAME, "upload", "libcurl (Debian: libcurl4)", "libcurl 7.56",
	symbols, ARRAY_SIZE(symbols),
};

int scx_curl_load(char *err, size_t errlen)
{
	static void *handle;

	return scx_dl_load(&libcurl, &handle, &scx_curl, sizeof(scx_curl), err, errlen);
}

int scx_curl_open(CURL **ret, char *err, size_t errlen)
{
	int r = scx_curl_load(err, errlen);

	if (r < 0)
		return r;
	*ret = scx_curl.easy_init();
	return *ret ? 0 : errmsg(err, errlen, -ENOMEM, "cannot initialise libcurl");
}
