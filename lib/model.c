// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading the report model: dotted paths into the jansson tree. */
#include "model.h"

#include <string.h>

json_t *jget(const json_t *obj, const char *path)
{
	char key[128];
	const char *p = path;

	while (obj && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		p = dot ? dot + 1 : p + n;
	}
	return (json_t *)obj;
}

const char *jstr(const json_t *obj, const char *path)
{
	return json_string_value(jget(obj, path));
}

const char *jstr_or(const json_t *obj, const char *path, const char *fallback)
{
	const char *s = jstr(obj, path);

	return s ? s : fallback;
}

bool jarray_has_str(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}
