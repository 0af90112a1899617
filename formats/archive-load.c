// SPDX-License-Identifier: GPL-2.0-or-later
/* libarchive loaded on first read (archive-load.h). */
#define SCX_ARCHIVE_LOAD_SELF
#include "archive-load.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "util.h"

/* The soname of libarchive's ABI 13, the one archive.h describes. */
#define SCX_ARCHIVE_SONAME "libarchive.so.13"

struct scx_archive_api scx_archive_api;

static const struct {
	const char *name;
	size_t off;
} symbols[] = {
#define SYM(member) { "archive_" #member, offsetof(struct scx_archive_api, member) }
	SYM(read_new),	     SYM(read_free),	  SYM(read_support_format_tar), SYM(read_open),
	SYM(read_next_header), SYM(read_data),	  SYM(error_string),		SYM(set_error),
	SYM(entry_filetype), SYM(entry_hardlink), SYM(entry_symlink),		SYM(entry_pathname),
	SYM(entry_pathname_utf8), SYM(entry_size),
#undef SYM
};

static int load(char *err, size_t errlen)
{
	static void *handle;
	struct scx_archive_api t;
	void *h;

	if (handle)
		return 0;
	/* By soname: the same search the dynamic linker makes for a linked library. */
	h = dlopen(SCX_ARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return errmsg(err, errlen, -ENOENT,
			      "cannot load %s, needed to read bundles (%s): install libarchive (Debian: libarchive13)",
			      SCX_ARCHIVE_SONAME, dlerror());
	for (size_t i = 0; i < ARRAY_SIZE(symbols); i++) {
		void *f = dlsym(h, symbols[i].name);

		if (!f) {
			dlclose(h);
			return errmsg(err, errlen, -ENOENT, "%s has no %s: libarchive 3.3 or later is needed",
				      SCX_ARCHIVE_SONAME, symbols[i].name);
		}
		*(void **)((char *)&t + symbols[i].off) = f;
	}
	scx_archive_api = t;
	handle = h;
	return 0;
}

struct archive *scx_archive_reader(char *err, size_t errlen)
{
	struct archive *a;

	if (load(err, errlen) < 0)
		return NULL;
	a = scx_archive_api.read_new();
	if (!a)
		errmsg(err, errlen, -ENOMEM, "out of memory");
	return a;
}
