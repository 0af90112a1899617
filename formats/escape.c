// SPDX-License-Identifier: GPL-2.0-or-later
/* Terminal-safe text (see escape.h). */
#include "escape.h"

#include <stdint.h>
#include <string.h>

/* Length of a well-formed UTF-8 sequence at s that is not a C1 control, else 0. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and the C1 controls. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/* Calls put(bytes, n, userdata) for each piece of the escaped text. */
static int escape(const char *text, size_t len, bool keep_lines,
		  int (*put)(const char *p, size_t n, void *ud), void *ud)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(s + i, len - i);
		char hex[5];

		if (n == 1 && (s[i] == 0x7f || (s[i] < 0x20 && !(keep_lines && (s[i] == '\n' || s[i] == '\t')))))
			n = 0;
		if (n) {
			if (put(text + i, n, ud) < 0)
				return -1;
			i += n;
			continue;
		}
		snprintf(hex, sizeof(hex), "\\x%02x", s[i]);
		if (put(hex, 4, ud) < 0)
			return -1;
		i++;
	}
	return 0;
}

static int put_file(const char *p, size_t n, void *ud)
{
	return fwrite(p, 1, n, ud) == n ? 0 : -1;
}

int scx_escape_write(FILE *f, const char *text, size_t len, bool keep_lines)
{
	return escape(text, len, keep_lines, put_file, f);
}

struct sbuf {
	char *buf;
	size_t len, used;
};

static int put_buf(const char *p, size_t n, void *ud)
{
	struct sbuf *b = ud;

	if (b->used + n >= b->len)
		return -1;	/* cut at a whole piece, never inside an escape */
	memcpy(b->buf + b->used, p, n);
	b->used += n;
	return 0;
}

const char *scx_escape_str(const char *s, char *buf, size_t buflen)
{
	struct sbuf b = { buf, buflen, 0 };

	if (!buflen)
		return "";
	(void)escape(s, strlen(s), false, put_buf, &b);
	buf[b.used] = '\0';
	return buf;
}

static int put_probe(const char *p, size_t n, void *ud)
{
	bool *binary = ud;

	/* Only an escape is a 4-byte piece starting "\x"; \x80-\xff: a byte that is not UTF-8. */
	if (n == 4 && p[0] == '\\' && p[1] == 'x' && p[2] >= '8')
		*binary = true;
	return *binary ? -1 : 0;
}

bool scx_escape_is_binary(const char *text, size_t len)
{
	bool binary = false;

	if (memchr(text, '\0', len))
		return true;
	(void)escape(text, len, true, put_probe, &binary);
	return binary;
}
