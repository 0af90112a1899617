// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The redaction map file (redact.h): what the engine learnt, written out
 * 0600 so a second bundle of the same machine gets the same tokens, and
 * read back only from a file no one else controls, with every token
 * checked to be of the shape the engine makes.
 */
#include "redact.h"
#include "redact-impl.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "outfile.h"
#include "util.h"

json_t *scx_redact_map_json(const struct scx_redact *r)
{
	json_t *m = json_object();

	json_object_set_new(m, "schema", json_string(SCX_REDACT_MAP_SCHEMA));
	for (int k = 0; k < K_N; k++)
		json_object_set(m, kind_key[k], r->map[k]);
	return m;
}

/*
 * A token a map may hold: exactly the shape make_token() writes for its
 * kind.  Nothing else can be a path ("/", "."), an identity mapping or an
 * empty replacement, so a planted map can neither move a member out of the
 * stage nor switch redaction off.
 */
bool scx_redact_token_valid(int kind, const char *tok)
{
	static const char *const prefix[K_N] = {
		[K_HOST] = "host", [K_DOMAIN] = "obfuscateddomain", [K_USER] = "obfuscateduser",
		[K_WORD] = "obfuscatedword", [K_IP6] = "fd53:7878::", [K_NET4] = "100.",
		[K_MAC] = "53:4f:53:",
	};
	const char *p;
	char buf[64];
	unsigned a, b, c, d;
	int n = -1;

	if (kind < 0 || kind >= K_N || !startswith(tok, prefix[kind]) || strlen(tok) >= sizeof(buf))
		return false;
	p = tok + strlen(prefix[kind]);
	switch (kind) {
	case K_NET4:
		if (sscanf(tok, "100.%u.%u%n", &a, &b, &n) != 2 || n != (int)strlen(tok))
			return false;
		snprintf(buf, sizeof(buf), "100.%u.%u", a, b);
		return a >= 64 && a < 128 && b < 256 && !strcmp(buf, tok);
	case K_MAC:
		if (sscanf(tok, "53:4f:53:%2x:%2x:%2x%n", &b, &c, &d, &n) != 3 || n != (int)strlen(tok))
			return false;
		snprintf(buf, sizeof(buf), "53:4f:53:%02x:%02x:%02x", b, c, d);
		return !strcmp(buf, tok);
	case K_IP6:
		if (!*p || strlen(p) > 16)
			return false;
		for (; *p; p++)
			if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
				return false;
		return true;
	default:
		if (!*p || strlen(p) > 12)
			return false;
		for (; *p; p++)
			if (!isdigit((unsigned char)*p))
				return false;
		return true;
	}
}

/*
 * The map is an input that decides names in the output, so it is read only
 * when root or the invoking user owns it and nobody else can write it, never
 * through a symbolic link, never from a FIFO or a device.
 */
static int open_map(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0)
		return errmsg(err, errlen, errno == ELOOP ? -ELOOP : -errno,
			      "%s: refused: %s", path,
			      errno == ELOOP ? "a symbolic link" : strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errmsg(err, errlen, -EPERM, "%s: refused: not a regular file", path);
	}
	if (st.st_uid != 0 && st.st_uid != getuid()) {
		close(fd);
		return errmsg(err, errlen, -EPERM,
			      "%s: refused: owned by uid %u, not by root or you (uid %u)", path,
			      (unsigned)st.st_uid, (unsigned)getuid());
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		return errmsg(err, errlen, -EPERM, "%s: refused: writable by group or others (mode %04o)",
			      path, (unsigned)(st.st_mode & 07777));
	}
	return fd;
}

int scx_redact_load_map(struct scx_redact *r, const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *m, *v;
	const char *key;
	int ret = 0, fd;

	fd = open_map(path, err, errlen);
	if (fd < 0)
		return fd;
	m = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
	close(fd);
	if (!m)
		return errmsg(err, errlen, -EBADMSG, "%s: line %d: %s", path, jerr.line, jerr.text);
	if (!json_is_string(json_object_get(m, "schema")) ||
	    strcmp(json_string_value(json_object_get(m, "schema")), SCX_REDACT_MAP_SCHEMA) != 0) {
		ret = errmsg(err, errlen, -EPROTONOSUPPORT, "%s: not a redaction map (schema %s)",
			     path, SCX_REDACT_MAP_SCHEMA);
		goto out;
	}
	for (int k = 0; k < K_N; k++) {
		json_t *o = json_object_get(m, kind_key[k]);

		if (!o)
			continue;
		if (!json_is_object(o)) {
			ret = errmsg(err, errlen, -EBADMSG, "%s: \"%s\" is not an object", path,
				     kind_key[k]);
			goto out;
		}
		json_object_foreach(o, key, v) {
			char ebuf[128];

			if (!json_is_string(v) || !*key) {
				ret = errmsg(err, errlen, -EBADMSG, "%s: \"%s\": bad entry", path,
					     kind_key[k]);
				goto out;
			}
			if (!scx_redact_token_valid(k, json_string_value(v)) ||
			    !strcasecmp(key, json_string_value(v))) {
				ret = errmsg(err, errlen, -EBADMSG,
					     "%s: \"%s\": \"%s\" is not a %s token", path,
					     kind_key[k], scx_escape_str(json_string_value(v), ebuf,
									 sizeof(ebuf)),
					     kind_key[k]);
				goto out;
			}
		}
		json_object_foreach(o, key, v) {
			char low[256];

			if (strlen(key) >= sizeof(low))
				continue;
			snprintf(low, sizeof(low), "%s", key);
			lower(low);
			json_object_set(r->map[k], low, v);
			note_len(r, k, strlen(low));
		}
	}
out:
	json_decref(m);
	return ret;
}

int scx_redact_save_map(const struct scx_redact *r, const char *path)
{
	_cleanup_free_ char *text = NULL;
	char tmp[PATH_MAX];
	json_t *m = scx_redact_map_json(r);
	int fd, ret = 0;

	text = json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(m);
	if (!text)
		return -ENOMEM;
	/* 0600 whatever the umask; replaces only a regular file, never a link or a device. */
	fd = scx_out_temp(path, tmp, sizeof(tmp), 0600);
	if (fd < 0)
		return fd;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    write(fd, "\n", 1) != 1 || fsync(fd) < 0)
		ret = errno ? -errno : -EIO;
	close(fd);
	if (ret == 0)
		ret = scx_out_commit(tmp, path, true);
	if (ret < 0)
		unlink(tmp);
	return ret;
}
