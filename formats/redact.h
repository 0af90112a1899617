/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Redaction, the sos clean way: a pure text transform with one consistent
 * map.  Hostnames become host0..., domains obfuscateddomain0..., IPv4
 * addresses keep their /24 network membership inside 100.64.0.0/10, IPv6
 * addresses and MACs get fixed prefixes, user names obfuscateduser0...,
 * words the user names obfuscatedword0....  The same value gets the same
 * token in every member, and in later runs that load the same map file.
 *
 * Use: seed (add_hostname/add_user/add_word), learn() over every text
 * first (user names from home paths and USER=), then text()/json().
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SCX_REDACT_MAP_SCHEMA "scx-report-redact-map/1"

struct scx_redact;

struct scx_redact *scx_redact_new(void);
struct scx_redact *scx_redact_free(struct scx_redact *r);

/*
 * Load a map written by an earlier run (-ENOENT when there is none).  Refused
 * (-EPERM/-ELOOP, err says why) unless a regular file owned by root or the
 * caller and not group/other-writable; every token must have its kind's shape.
 */
int scx_redact_load_map(struct scx_redact *r, const char *path, char *err, size_t errlen);
/*
 * Whether tok has the exact shape of a token of kind (the index of its key in
 * the map file: hostnames, domains, ipv4_networks, ipv6, macs, users, words).
 */
bool scx_redact_token_valid(int kind, const char *tok);
/* Write the map (mode 0600, replaced atomically): keep it beside the bundle. */
int scx_redact_save_map(const struct scx_redact *r, const char *path);
/* The map as JSON: { "schema", "hostnames": {original: token}, ... }. */
json_t *scx_redact_map_json(const struct scx_redact *r);

/* A FQDN seeds both its first label and its domain. */
void scx_redact_add_hostname(struct scx_redact *r, const char *name);
void scx_redact_add_user(struct scx_redact *r, const char *name);
int scx_redact_add_word(struct scx_redact *r, const char *word);

/* Find user and host names a text reveals (home paths, USER=, HOSTNAME=). */
void scx_redact_learn(struct scx_redact *r, const char *text, size_t len);
/* learn() over every string of a JSON value. */
void scx_redact_learn_json(struct scx_redact *r, const json_t *j);

/* The redacted copy of text (NUL-terminated, *ret_len without the NUL). */
char *scx_redact_text(struct scx_redact *r, const char *text, size_t len, size_t *ret_len);
/* A redacted deep copy: every string value and object key. */
json_t *scx_redact_json(struct scx_redact *r, const json_t *j);

/*
 * Whether a member can be cleaned as text: no control bytes other than tab,
 * newline, carriage return and NUL (the separator of /proc cmdline and
 * environ files).  Anything else (gzip, BTF) is dropped, not shipped raw.
 */
bool scx_redact_is_text(const char *data, size_t len);
