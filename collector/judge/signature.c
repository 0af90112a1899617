// SPDX-License-Identifier: GPL-2.0-or-later
/* Failure signatures (see signature.h). */
#include "signature.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "util.h"

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

void scx_signature_normalize(char *s)
{
	char *o = s;
	const char *p = s;

	while (*p) {
		const char *q = p;

		/* COMM[PID]: a task, whatever its name and pid */
		if (!isspace((unsigned char)*p) && (q = strchr(p, '[')) && q > p &&
		    !memchr(p, ' ', (size_t)(q - p)) && isdigit((unsigned char)q[1])) {
			const char *e = q + 1;

			while (isdigit((unsigned char)*e))
				e++;
			if (*e == ']' && (p == s || isspace((unsigned char)p[-1]) || p[-1] == '(')) {
				o += sprintf(o, "TASK");
				p = e + 1;
				continue;
			}
		}
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
			p += 2;
			while (isxdigit((unsigned char)*p))
				p++;
			*o++ = 'X';
			continue;
		}
		if (isdigit((unsigned char)*p) && (p == s || !word_char(p[-1]) || p[-1] == '#')) {
			while (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1])))
				p++;
			/* a unit glued to the number goes with it: 32.264s, 500ms, 12us */
			if ((p[0] == 's' && !word_char(p[1])) ||
			    ((p[0] == 'm' || p[0] == 'u' || p[0] == 'n') && p[1] == 's' && !word_char(p[2])))
				p += p[0] == 's' ? 1 : 2;
			*o++ = 'N';
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	/* collapse runs of blanks, trim */
	for (p = s, o = s; *p; p++)
		if (!isspace((unsigned char)*p) || (o > s && !isspace((unsigned char)o[-1])))
			*o++ = isspace((unsigned char)*p) ? ' ' : *p;
	while (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

void scx_ops_split(const char *ops, char *name, size_t name_len, char *version, size_t ver_len)
{
	const char *p;

	snprintf(name, name_len, "%s", ops ? ops : "");
	version[0] = '\0';
	if (!ops)
		return;
	/* NAME_MAJOR.MINOR.PATCH[_gSHA][_dirty]_TRIPLE: the first _<digits>.<digits> */
	for (p = ops; (p = strchr(p, '_')); p++) {
		const char *v = p + 1, *e = v;

		while (isdigit((unsigned char)*e) || *e == '.')
			e++;
		if (e > v && isdigit((unsigned char)*v) && memchr(v, '.', (size_t)(e - v)) &&
		    (*e == '_' || !*e)) {
			snprintf(name, name_len, "%.*s", (int)(p - ops), ops);
			snprintf(version, ver_len, "%.*s", (int)(e - v), v);
			return;
		}
	}
}

static void who(const json_t *ev, char *buf, size_t len)
{
	char name[128], ver[64];

	scx_ops_split(jstr(ev, "ops"), name, sizeof(name), ver, sizeof(ver));
	if (!name[0])
		snprintf(name, sizeof(name), "an unnamed scheduler");
	snprintf(buf, len, "%s%s%s", name, ver[0] ? " " : "", ver);
}

/* The oops's kind, from its header line, in syzbot's words. */
static const char *oops_kind(const char *h, const char *lockup)
{
	if (lockup && !strcmp(lockup, "soft-lockup"))
		return "soft lockup";
	if (lockup && !strcmp(lockup, "hard-lockup"))
		return "hard lockup";
	if (lockup && !strcmp(lockup, "rcu-stall"))
		return "INFO: rcu detected stall";
	if (lockup && !strcmp(lockup, "hung-task"))
		return "INFO: task hung";
	h += strspn(h, "=- ");	/* lockdep's ===== line joined to its header */
	if (strstr(h, "circular locking dependency"))
		return "possible deadlock";
	if (startswith(h, "WARNING"))
		return "WARNING";
	if (startswith(h, "kernel BUG"))
		return "kernel BUG";
	if (strstr(h, "NULL pointer"))
		return "BUG: kernel NULL pointer dereference";
	if (strstr(h, "page fault"))
		return "BUG: unable to handle page fault";
	if (startswith(h, "general protection"))
		return "general protection fault";
	return "BUG";
}

bool scx_signature_event(const json_t *ev, char *buf, size_t len)
{
	const char *kind = jstr(ev, "event"), *reason = jstr(ev, "reason"), *err = jstr(ev, "error");
	char w[200], msg[512];

	if (!kind)
		return false;
	if (!strcmp(kind, "oops")) {
		const char *fn = jstr(ev, "function");
		const json_t *frames = json_object_get(ev, "frames");

		if (!fn || !*fn)
			fn = json_string_value(json_array_get(frames, 0));
		/* a compiler's suffix (.llvm.N, .isra.N, .cold) differs between builds */
		snprintf(buf, len, "%s in %.*s", oops_kind(err ? err : "", jstr(ev, "lockup")),
			 fn && *fn ? (int)strcspn(fn, ".") : 21, fn && *fn ? fn : "an unknown function");
		return true;
	}
	who(ev, w, sizeof(w));
	if (!strcmp(kind, "soft-lockup")) {
		snprintf(buf, len, "soft lockup in %s", w);
		return true;
	}
	if (!strcmp(kind, "load-failure")) {
		/* from libbpf's own words on, without the logger's prefix */
		snprintf(msg, sizeof(msg), "%s", err && strstr(err, "libbpf: ") ? strstr(err, "libbpf: ") : err ? err : "");
		scx_signature_normalize(msg);
		snprintf(buf, len, "load failure of %s: %s", w, msg);
		return true;
	}
	if (strcmp(kind, "error"))
		return false;
	if (reason && strstr(reason, "stall")) {
		snprintf(buf, len, "runnable task stall in %s", w);
		return true;
	}
	snprintf(msg, sizeof(msg), "%s", err ? err : "");
	scx_signature_normalize(msg);
	snprintf(buf, len, "%s in %s%s%s", reason && *reason ? reason : "error exit", w,
		 msg[0] ? ": " : "", msg);
	return true;
}

const json_t *scx_known_issue(const json_t *known, const char *sig)
{
	const json_t *k;
	size_t i;

	json_array_foreach(known, i, k) {
		const char *pat = jstr(k, "signature");

		if (pat && sig && fnmatch(pat, sig, 0) == 0)
			return k;
	}
	return NULL;
}
