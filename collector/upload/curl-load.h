/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libcurl, loaded when an upload needs it.  Only `attach` uses it, and its
 * library tree (TLS, SSH, LDAP, Kerberos, ...: about 30 shared objects on
 * Debian 12) costs every other run about 13 ms of start-up and makes each
 * probe's fork dearer (scripts/bench-snapshot.sh).  So it is not linked: it
 * is dlopen()ed by its soname on first use, and the calls go through this
 * table.  Packages name it as a recommended dependency (debian/control,
 * rpm/scx-report.spec).
 */
#ifndef SCX_CURL_LOAD_H
#define SCX_CURL_LOAD_H

#include <curl/curl.h>
#include <stddef.h>

struct scx_curl {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
	curl_mime *(*mime_init)(CURL *c);
	curl_mimepart *(*mime_addpart)(curl_mime *mime);
	CURLcode (*mime_name)(curl_mimepart *part, const char *name);
	CURLcode (*mime_filedata)(curl_mimepart *part, const char *path);
	CURLcode (*mime_filename)(curl_mimepart *part, const char *name);
	CURLcode (*mime_type)(curl_mimepart *part, const char *type);
	void (*mime_free)(curl_mime *mime);
};

/* Filled by scx_curl_load(); its members are NULL before. */
extern struct scx_curl scx_curl;

/*
 * Load libcurl (once; later calls return at once).  0, or a negative errno
 * and one line in err naming the library and the package that has it.
 */
int scx_curl_load(char *err, size_t errlen);
/* scx_curl_load(), then a new easy handle in *ret: 0, or -errno and one line in err. */
int scx_curl_open(CURL **ret, char *err, size_t errlen);

#endif
