// SPDX-License-Identifier: GPL-2.0-or-later
/* libarchive loaded on first read (archive-load.h). */
#define SCX_ARCHIVE_LOAD_SELF
#include "archive-load.h"

#include <errno.h>
#include <stdio.h>

#include "dl-load.h"
#include "util.h"

/* The soname of libarchive's ABI 13, the one archive.h describes. */
#define SCX_ARCHIVE_SONAME "libarchive.so.13"

struct scx_archive_api scx_archive_api;

static const struct scx_dl_sym symbols[] = {
#define SYM(member) { "archive_" #member, offsetof(struct scx_archive_api, member) }
	SYM(read_new),	     SYM(read_free),	  SYM(read_support_format_tar), SYM(read_open),
	SYM(read_next_header), SYM(read_data),	  SYM(error_string),		SYM(set_error),
	SYM(entry_filetype), SYM(entry_hardlink), SYM(entry_symlink),		SYM(entry_pathname),
	SYM(entry_pathname_utf8), SYM(entry_size),
#undef SYM
};

static const struct scx_dl_lib libarchive = {
	SCX_ARCHIVE_SONAME, "read bundles", "libarchive (Debian: libarchive13)", "libarchive 3.3",
	symbols, ARRAY_SIZE(symbols),
};

int scx_archive_reader(struct archive **ret, char *err, size_t errlen)
{
	static void *handle;
	int r = scx_dl_load(&libarchive, &handle, &scx_archive_api, sizeof(scx_archive_api), err,
			    errlen);

	if (r < 0)
		return r;
	*ret = scx_archive_api.read_new();
	return *ret ? 0 : errmsg(err, errlen, -ENOMEM, "out of memory");
}
