// SPDX-License-Identifier: GPL-2.0-or-later
/* Libraries loaded on first use (dl-load.h). */
#include "dl-load.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int scx_dl_load(const struct scx_dl_lib *lib, void **handle, void *table, size_t size, char *err,
		size_t errlen)
{
	_cleanup_free_ void *t = NULL;
	void *h;

	if (*handle)
		return 0;
	t = calloc(1, size);
	if (!t)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	/* By soname: the same search the dynamic linker makes for a linked library. */
	h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return errmsg(err, errlen, -ELIBACC, "cannot load %s, needed to %s (%s): install %s",
			      lib->soname, lib->needed_to, dlerror(), lib->package);
	for (size_t i = 0; i < lib->n_syms; i++) {
		void *f = dlsym(h, lib->syms[i].name);

		if (!f) {
			dlclose(h);
			return errmsg(err, errlen, -ELIBACC, "%s has no %s: %s or later is needed",
				      lib->soname, lib->syms[i].name, lib->minimum);
		}
		*(void **)((char *)t + lib->syms[i].off) = f;
	}
	memcpy(table, t, size);
	*handle = h;
	return 0;
}
