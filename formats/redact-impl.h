/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The redaction engine's insides, shared by its two files: redact.c (the
 * scan) and redact-map.c (the map file).  Not for any other file: redact.h
 * is the interface.
 */
#pragma once

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "redact.h"

enum kind { K_HOST, K_DOMAIN, K_NET4, K_IP6, K_MAC, K_USER, K_WORD, K_N };

static const char *const kind_key[K_N] = {
	[K_HOST] = "hostnames", [K_DOMAIN] = "domains", [K_NET4] = "ipv4_networks",
	[K_IP6] = "ipv6", [K_MAC] = "macs", [K_USER] = "users", [K_WORD] = "words",
};

struct scx_redact {
	json_t *map[K_N];
	/* The lengths of the originals of each kind (1..255), so a lookup is a hash lookup per length. */
	bool has_len[K_N][256];
};

static inline void note_len(struct scx_redact *r, enum kind k, size_t n)
{
	if (n > 0 && n < 256)
		r->has_len[k][n] = true;
}

static inline void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}
