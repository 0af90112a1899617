// SPDX-License-Identifier: GPL-2.0-or-later
/* NULL-terminated string vectors (a scheduler's argv and environment). */
#include <stdlib.h>
#include <string.h>

#include "strv.h"

char **scx_strv_from_json(const json_t *a, size_t *ret_n)
{
	size_t n = json_array_size(a), i;
	char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (!s || !(v[i] = strdup(s))) {
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return NULL;
		}
	}
	if (ret_n)
		*ret_n = n;
	return v;
}

void scx_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char **scx_strv_copy(char *const *v)
{
	size_t n = 0;
	char **c;

	while (v && v[n])
		n++;
	c = calloc(n + 1, sizeof(*c));
	for (size_t i = 0; c && i < n; i++)
		if (!(c[i] = strdup(v[i]))) {
			scx_strv_free(c);
			return NULL;
		}
	return c;
}
