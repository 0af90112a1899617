/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libarchive, loaded when a bundle is read.  Reading is all scx-report
 * asks of it (show, diff, triage, redact, attach; bundles are written by
 * tar-write.c), and its library tree (xml2, ICU, libstdc++, crypto, lzma,
 * bz2, acl: 12 shared objects on Debian 12) cost every collection 4.5 ms
 * of start-up and sat mapped in a process running as root.  So it is not
 * linked: scx_archive_reader() dlopen()s it by soname on first use, and
 * the reader files (bundle-read.c, bundle-walk.c, bundle-source.c) call it
 * through this table under libarchive's own names.  Packages depend on it
 * by name (debian/control, rpm/scx-report.spec).
 */
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>

struct scx_archive_api {
	struct archive *(*read_new)(void);
	int (*read_free)(struct archive *a);
	int (*read_support_format_tar)(struct archive *a);
	int (*read_open)(struct archive *a, void *data, archive_open_callback *open,
			 archive_read_callback *read, archive_close_callback *close);
	int (*read_next_header)(struct archive *a, struct archive_entry **e);
	la_ssize_t (*read_data)(struct archive *a, void *buf, size_t len);
	const char *(*error_string)(struct archive *a);
	void (*set_error)(struct archive *a, int err, const char *fmt, ...);
	__LA_MODE_T (*entry_filetype)(struct archive_entry *e);
	const char *(*entry_hardlink)(struct archive_entry *e);
	const char *(*entry_symlink)(struct archive_entry *e);
	const char *(*entry_pathname)(struct archive_entry *e);
	const char *(*entry_pathname_utf8)(struct archive_entry *e);
	la_int64_t (*entry_size)(struct archive_entry *e);
};

/* Filled by the first scx_archive_reader(); NULL members before. */
extern struct scx_archive_api scx_archive_api;

/*
 * Load libarchive (once) and make a new reader in *ret: 0, or -ELIBACC
 * with one line in err naming the library and its package (no fault of
 * the bundle: callers say "invalid bundle" for anything else, see
 * scx_bundle_err_prefix()), or -ENOMEM.
 */
int scx_archive_reader(struct archive **ret, char *err, size_t errlen);

#ifndef SCX_ARCHIVE_LOAD_SELF
#define archive_read_free scx_archive_api.read_free
#define archive_read_support_format_tar scx_archive_api.read_support_format_tar
#define archive_read_open scx_archive_api.read_open
#define archive_read_next_header scx_archive_api.read_next_header
#define archive_read_data scx_archive_api.read_data
#define archive_error_string scx_archive_api.error_string
#define archive_set_error scx_archive_api.set_error
#define archive_entry_filetype scx_archive_api.entry_filetype
#define archive_entry_hardlink scx_archive_api.entry_hardlink
#define archive_entry_symlink scx_archive_api.entry_symlink
#define archive_entry_pathname scx_archive_api.entry_pathname
#define archive_entry_pathname_utf8 scx_archive_api.entry_pathname_utf8
#define archive_entry_size scx_archive_api.entry_size
#endif
