/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NULL-terminated string vectors, for the switch (paired-switch.c), its
 * by-hand side (switch-manual.c) and qos --against (qos-against.c).
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

/* A copy of a JSON array of strings; NULL when one is not a string or on ENOMEM. */
char **scx_strv_from_json(const json_t *a, size_t *ret_n);
void scx_strv_free(char **v);
/* A copy of v (NULL: an empty vector); NULL on ENOMEM. */
char **scx_strv_copy(char *const *v);
