// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of journalctl's export format (journal-export.h), as written by
 * systemd 219+ (`journalctl -o export`).  Values are copied into a buffer
 * owned by one entry at a time, so the callback sees NUL-terminated strings.
 */
#include "journal-export.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct field_set {
	char *message, *identifier, *transport, *boot_id;
	uint64_t mono, source_mono, real;
	bool have_source_mono;
};

static void fields_clear(struct field_set *f)
{
	free(f->message);
	free(f->identifier);
	free(f->transport);
	free(f->boot_id);
	memset(f, 0, sizeof(*f));
}

static void set_field(struct field_set *f, const char *key, size_t key_len, const char *val,
		      size_t val_len)
{
	char **slot = NULL;
	uint64_t *num = NULL;
	char tmp[32];

#define KEY_IS(k) (key_len == strlen(k) && !memcmp(key, k, key_len))
	if (KEY_IS("MESSAGE"))
		slot = &f->message;
	else if (KEY_IS("SYSLOG_IDENTIFIER"))
		slot = &f->identifier;
	else if (KEY_IS("_TRANSPORT"))
		slot = &f->transport;
	else if (KEY_IS("_BOOT_ID"))
		slot = &f->boot_id;
	else if (KEY_IS("__MONOTONIC_TIMESTAMP"))
		num = &f->mono;
	else if (KEY_IS("__REALTIME_TIMESTAMP"))
		num = &f->real;
	else if (KEY_IS("_SOURCE_MONOTONIC_TIMESTAMP")) {
		num = &f->source_mono;
		f->have_source_mono = true;
	}
#undef KEY_IS
	if (slot) {
		free(*slot);
		*slot = strndup(val, val_len);
	} else if (num && val_len < sizeof(tmp)) {
		memcpy(tmp, val, val_len);
		tmp[val_len] = '\0';
		if (safe_atou64(tmp, num) < 0)
			*num = 0;
	}
}

static int emit(struct field_set *f, int (*fn)(const struct journal_entry *, void *), void *ud,
		int *count)
{
	struct journal_entry e;
	int r = 0;

	if (f->message) {
		e = (struct journal_entry){
			.message = f->message, .identifier = f->identifier,
			.transport = f->transport, .boot_id = f->boot_id,
			.mono_us = f->have_source_mono ? f->source_mono : f->mono,
			.real_us = f->real,
		};
		(*count)++;
		r = fn(&e, ud);
	}
	fields_clear(f);
	return r;
}

int journal_export_parse(const char *buf, size_t len,
			 int (*fn)(const struct journal_entry *e, void *userdata), void *userdata)
{
	const char *p = buf, *end = buf + len;
	struct field_set f = { 0 };
	int count = 0, r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;

		if (!nl)
			nl = end;
		if (nl == p) {			/* empty line: end of an entry */
			r = emit(&f, fn, userdata, &count);
			if (r < 0)
				goto out;
			p = nl + 1;
			continue;
		}
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq) {
			set_field(&f, p, (size_t)(eq - p), eq + 1, (size_t)(nl - eq - 1));
			p = nl + 1;
			continue;
		}
		/* KEY\n then a little-endian 64-bit size, the data and a newline. */
		if (nl == end || (size_t)(end - nl - 1) < 8) {
			r = -EBADMSG;
			goto out;
		}
		{
			const unsigned char *s = (const unsigned char *)nl + 1;
			uint64_t n = 0;

			for (int i = 7; i >= 0; i--)
				n = (n << 8) | s[i];
			if (n > (uint64_t)(end - nl - 9)) {
				r = -EBADMSG;
				goto out;
			}
			set_field(&f, p, (size_t)(nl - p), nl + 9, (size_t)n);
			p = nl + 9 + n;
			if (p < end && *p == '\n')
				p++;
		}
	}
	r = emit(&f, fn, userdata, &count);
out:
	fields_clear(&f);
	return r < 0 ? r : count;
}
