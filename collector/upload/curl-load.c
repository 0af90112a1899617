// SPDX-License-Identifier: GPL-2.0-or-later
/* libcurl loaded on first use (curl-load.h). */
#include "curl-load.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "util.h"

/* The soname of libcurl's ABI 4, the one curl/curl.h describes. */
#define SCX_CURL_SONAME "libcurl.so.4"

struct scx_curl scx_curl;

static const struct {
	const char *name;
	size_t off;
} symbols[] = {
#define SYM(member) { "curl_" #member, offsetof(struct scx_curl, member) }
	SYM(easy_init),	    SYM(easy_setopt),	 SYM(easy_perform),  SYM(easy_getinfo),
	SYM(easy_cleanup),  SYM(easy_strerror),	 SYM(slist_append),  SYM(slist_free_all),
	SYM(mime_init),	    SYM(mime_addpart),	 SYM(mime_name),     SYM(mime_filedata),
	SYM(mime_filename), SYM(mime_type),	 SYM(mime_free),
#undef SYM
};

int scx_curl_load(char *err, size_t errlen)
{
	static void *handle;
	struct scx_curl t;
	void *h;

	if (handle)
		return 0;
	/* By soname: the same search the dynamic linker makes for a linked library. */
	h = dlopen(SCX_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return errmsg(err, errlen, -ENOENT,
			      "cannot load %s, needed to upload (%s): install libcurl (Debian: libcurl4)",
			      SCX_CURL_SONAME, dlerror());
	for (size_t i = 0; i < ARRAY_SIZE(symbols); i++) {
		void *f = dlsym(h, symbols[i].name);

		if (!f) {
			dlclose(h);
			return errmsg(err, errlen, -ENOENT, "%s has no %s: libcurl 7.56 or later is needed",
				      SCX_CURL_SONAME, symbols[i].name);
		}
		*(void **)((char *)&t + symbols[i].off) = f;
	}
	scx_curl = t;
	handle = h;
	return 0;
}

int scx_curl_open(CURL **ret, char *err, size_t errlen)
{
	int r = scx_curl_load(err, errlen);

	if (r < 0)
		return r;
	*ret = scx_curl.easy_init();
	return *ret ? 0 : errmsg(err, errlen, -ENOMEM, "cannot initialise libcurl");
}
