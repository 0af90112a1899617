/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A library loaded on first use, by soname, into a table of function
 * pointers: libcurl for `attach` (collector/upload/curl-load.c) and
 * libarchive for the bundle readers (formats/archive-load.c), so that
 * neither is mapped into a collection (docs/packaging.md).
 */
#pragma once

#include <stddef.h>

struct scx_dl_sym {
	const char *name;	/* the library's symbol */
	size_t off;		/* where its address goes in the table */
};

struct scx_dl_lib {
	const char *soname;	/* "libcurl.so.4" */
	const char *needed_to;	/* "upload" */
	const char *package;	/* "libcurl (Debian: libcurl4)" */
	const char *minimum;	/* "libcurl 7.56" */
	const struct scx_dl_sym *syms;
	size_t n_syms;
};

/*
 * Load lib (once: later calls return 0 at once) and fill table (size
 * bytes) only when every symbol is there.  0, or -ELIBACC (a needed
 * library cannot be used) and one line in err naming the library and the
 * package that has it.  *handle is the
 * caller's "loaded" state (NULL before).
 */
int scx_dl_load(const struct scx_dl_lib *lib, void **handle, void *table, size_t size, char *err,
		size_t errlen);
