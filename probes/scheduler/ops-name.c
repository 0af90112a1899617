// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scx versioned ops.name: schedulers built from the sched-ext/scx tree
 * append `_<semver>[_g<sha>][_dirty]_<target triple>` to their name, every
 * non-alphanumeric character turned into `_`:
 *   lavd_1.0.20_g85f140fd_x86_64_unknown_linux_gnu
 *   bpfland_1.1.0_x86_64_unknown_linux_gnu
 * The version keeps its dots in practice (`_1.0.20_`); a name where they
 * became `_` too is accepted.  The name itself may contain `_` (e.g.
 * "rusty_v2"), so we look for the first `_<digits>.<digits>.<digits>_` that is followed by an optional
 * `_g<hex>`, an optional `_dirty` and a non-empty triple.  Anything else is
 * a plain name and stays plain.  Interface: /sys/kernel/sched_ext/root/ops
 * (6.12) or the ops.name in the struct_ops map value.
 */
#include <ctype.h>
#include <string.h>

#include "identity.h"

static size_t span_digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

static size_t span_xdigits(const char *s)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]))
		n++;
	return n;
}

static void copy_n(char *dst, size_t dlen, const char *src, size_t n)
{
	if (n >= dlen)
		n = dlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Try to parse the version tail starting at s (just after the name's '_'). */
static bool parse_tail(const char *s, struct sched_name *r)
{
	const char *p = s, *ver = s;
	size_t n;
	int part;

	for (part = 0; part < 3; part++) {
		n = span_digits(p);
		if (!n)
			return false;
		p += n;
		/* scx keeps the dots (lavd_1.0.20_...); a fully sanitised name has '_' */
		if (*p != (part < 2 ? '.' : '_') && *p != '_')
			return false;
		p++;
	}
	copy_n(r->version, sizeof(r->version), ver, (size_t)(p - 1 - ver));
	for (char *c = r->version; *c; c++)
		if (*c == '_')
			*c = '.';
	/* _g<sha> (at least 7 hex digits, as git abbreviates) */
	if (*p == 'g' && (n = span_xdigits(p + 1)) >= 7 && p[1 + n] == '_') {
		copy_n(r->git_sha, sizeof(r->git_sha), p + 1, n);
		p += 1 + n + 1;
	}
	if (startswith(p, "dirty_")) {
		r->dirty = true;
		p += 6;
	}
	/* The triple: at least arch_vendor (two components). */
	if (!*p || !strchr(p, '_'))
		return false;
	copy_n(r->target, sizeof(r->target), p, strlen(p));
	return true;
}

int sched_name_parse(const char *ops, struct sched_name *ret)
{
	struct sched_name r;
	const char *u;

	if (!ops || !*ops)
		return -EINVAL;
	for (u = strchr(ops, '_'); u; u = strchr(u + 1, '_')) {
		memset(&r, 0, sizeof(r));
		if (u == ops || !isdigit((unsigned char)u[1]))
			continue;
		if (parse_tail(u + 1, &r)) {
			copy_n(r.name, sizeof(r.name), ops, (size_t)(u - ops));
			r.versioned = true;
			*ret = r;
			return 0;
		}
	}
	memset(&r, 0, sizeof(r));
	copy_n(r.name, sizeof(r.name), ops, strlen(ops));
	*ret = r;
	return 0;
}
