// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The redaction engine (see redact.h).  One left-to-right scan per text;
 * at each position the matchers are tried in a fixed order: words (any
 * substring), then, at the start of a token only, MAC, IPv4, IPv6, a name
 * in a known domain, a known hostname, a known user.  Everything the scan
 * does not match is copied as it is.
 *
 * The map holds one JSON object per kind (original -> token), so a lookup
 * is a hash lookup and the map file is the same objects written out
 * (redact-map.c reads and writes it).
 */
#include "redact.h"
#include "redact-impl.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "outfile.h"
#include "util.h"

struct scx_redact *scx_redact_new(void)
{
	struct scx_redact *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	for (int k = 0; k < K_N; k++)
		r->map[k] = json_object();
	return r;
}

struct scx_redact *scx_redact_free(struct scx_redact *r)
{
	if (!r)
		return NULL;
	for (int k = 0; k < K_N; k++)
		json_decref(r->map[k]);
	free(r);
	return NULL;
}

/* ---- tokens -------------------------------------------------------------- */

static void make_token(enum kind k, size_t n, char *buf, size_t len)
{
	switch (k) {
	case K_HOST: snprintf(buf, len, "host%zu", n); break;
	case K_DOMAIN: snprintf(buf, len, "obfuscateddomain%zu", n); break;
	/* 100.64.0.0/10 (shared address space, RFC 6598): one /24 per network seen. */
	case K_NET4: snprintf(buf, len, "100.%zu.%zu", 64 + (n >> 8) % 64, n & 0xff); break;
	case K_IP6: snprintf(buf, len, "fd53:7878::%zx", n + 1); break;
	case K_MAC: snprintf(buf, len, "53:4f:53:%02zx:%02zx:%02zx", (n >> 16) & 0xff,
			     (n >> 8) & 0xff, n & 0xff); break;
	case K_USER: snprintf(buf, len, "obfuscateduser%zu", n); break;
	case K_WORD: default: snprintf(buf, len, "obfuscatedword%zu", n); break;
	}
}

/* The token for an original (normalised by the caller), made on first sight. */
static const char *token_of(struct scx_redact *r, enum kind k, const char *orig)
{
	json_t *t = json_object_get(r->map[k], orig);
	char buf[64];

	if (t)
		return json_string_value(t);
	make_token(k, json_object_size(r->map[k]), buf, sizeof(buf));
	json_object_set_new(r->map[k], orig, json_string(buf));
	note_len(r, k, strlen(orig));
	return json_string_value(json_object_get(r->map[k], orig));
}

static void add_name(struct scx_redact *r, enum kind k, const char *s, size_t n)
{
	char buf[256];

	if (n == 0 || n >= sizeof(buf))
		return;
	memcpy(buf, s, n);
	buf[n] = '\0';
	lower(buf);
	(void)token_of(r, k, buf);
}

void scx_redact_add_hostname(struct scx_redact *r, const char *name)
{
	const char *dot = strchr(name, '.');

	if (!*name || !strcasecmp(name, "localhost") || !strncasecmp(name, "localhost.", 10))
		return;
	add_name(r, K_HOST, name, dot ? (size_t)(dot - name) : strlen(name));
	/* Only a domain of two labels or more: "json" alone would eat file names. */
	if (dot && strchr(dot + 1, '.'))
		add_name(r, K_DOMAIN, dot + 1, strlen(dot + 1));
}

static bool user_is_system(const char *s, size_t n)
{
	return n < 2 || (n == 4 && !strncmp(s, "root", 4)) || (n == 6 && !strncmp(s, "nobody", 6));
}

void scx_redact_add_user(struct scx_redact *r, const char *name)
{
	if (!user_is_system(name, strlen(name)))
		add_name(r, K_USER, name, strlen(name));
}

int scx_redact_add_word(struct scx_redact *r, const char *word)
{
	if (strlen(word) < 2)
		return -EINVAL;
	add_name(r, K_WORD, word, strlen(word));
	return 0;
}

/* ---- learning ------------------------------------------------------------ */

static bool is_tok(unsigned char c) { return isalnum(c) || c == '_'; }
static bool is_namech(unsigned char c) { return isalnum(c) || c == '_' || c == '-' || c == '.'; }

static size_t name_len(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && is_namech((unsigned char)*p))
		p++;
	return (size_t)(p - s);
}

void scx_redact_learn(struct scx_redact *r, const char *text, size_t len)
{
	static const struct { const char *key; enum kind k; } vars[] = {
		{ "USER=", K_USER }, { "LOGNAME=", K_USER }, { "SUDO_USER=", K_USER },
		{ "HOSTNAME=", K_HOST },
	};
	const char *end = text + len;

	for (const char *p = text; p < end; p++) {
		size_t n;

		/* "machine-id", "machine_id", "MACHINE_ID=": the 32 hex digits after it. */
		if (end - p > 10 && !strncasecmp(p, "machine", 7) && (p[7] == '-' || p[7] == '_') &&
		    !strncasecmp(p + 8, "id", 2)) {
			const char *h = p + 10;

			while (h < end && h - p < 16 && strchr("=:\" \t'", *h))
				h++;
			n = 0;
			while (h + n < end && n < 33 && isxdigit((unsigned char)h[n]))
				n++;
			if (n == 32)
				add_name(r, K_WORD, h, 32);
		}
		if (end - p > 6 && !memcmp(p, "/home/", 6)) {
			n = name_len(p + 6, end);
			if (!user_is_system(p + 6, n))
				add_name(r, K_USER, p + 6, n);
			continue;
		}
		if (p > text && is_tok((unsigned char)p[-1]))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
			size_t kl = strlen(vars[i].key);
			char buf[256];

			if ((size_t)(end - p) <= kl || memcmp(p, vars[i].key, kl) != 0)
				continue;
			n = name_len(p + kl, end);
			if (vars[i].k == K_USER) {
				if (!user_is_system(p + kl, n))
					add_name(r, K_USER, p + kl, n);
			} else if (n && n < sizeof(buf)) {
				memcpy(buf, p + kl, n);
				buf[n] = '\0';
				scx_redact_add_hostname(r, buf);
			}
		}
	}
}

void scx_redact_learn_json(struct scx_redact *r, const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_string(j)) {
		scx_redact_learn(r, json_string_value(j), json_string_length(j));
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			scx_redact_learn_json(r, v);
	} else if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v) {
			scx_redact_learn(r, key, strlen(key));
			scx_redact_learn_json(r, v);
		}
	}
}

/* ---- matchers: each returns the bytes consumed (0: no match) ------------- */

struct scan {
	struct scx_redact *r;
	const char *s, *end;	/* s: the current position */
	const char *low;	/* the text lowercased: low + (s - text) is s lowercased */
	const char *text;
	const char *dom_none_from, *dom_run_end;	/* no domain at label starts >= from in this run */
	FILE *out;
};

static const char *low_at(const struct scan *sc, const char *p)
{
	return sc->low + (p - sc->text);
}

/*
 * The longest original of kind k at s: one hash lookup per length the kind
 * has (at most 255), so the cost per position does not grow with the number
 * of names.  Unless anywhere, the next byte must end a token: for users a
 * byte that is not [A-Za-z0-9_], for host names one that is not [A-Za-z0-9]
 * ("myhost_backup" holds the host name myhost).
 */
static size_t match_literal(struct scan *sc, enum kind k, bool anywhere, const char **ret_tok)
{
	size_t avail = (size_t)(sc->end - sc->s);

	for (size_t n = avail < 255 ? avail : 255; n > 0; n--) {
		json_t *v;

		if (!sc->r->has_len[k][n])
			continue;
		if (!anywhere && sc->s + n < sc->end &&
		    (k == K_HOST ? isalnum((unsigned char)sc->s[n]) : is_tok((unsigned char)sc->s[n])))
			continue;
		v = json_object_getn(sc->r->map[k], low_at(sc, sc->s), n);
		if (v) {
			*ret_tok = json_string_value(v);
			return n;
		}
	}
	*ret_tok = NULL;
	return 0;
}

/* A MAC as 12 hex digits at s (Cisco's "aabb.cc11.2233" when dotted): its key "aa:bb:...", or false. */
static bool mac_digits(const char *s, const char *end, bool dotted, char key[18], size_t *ret_n)
{
	size_t n = dotted ? 14 : 12, d = 0;

	if ((size_t)(end - s) < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (dotted && (i == 4 || i == 9)) {
			if (s[i] != '.')
				return false;
			continue;
		}
		if (!isxdigit((unsigned char)s[i]))
			return false;
		key[d / 2 * 3 + d % 2] = (char)tolower((unsigned char)s[i]);
		if (d % 2 && d < 11)
			key[d / 2 * 3 + 2] = ':';
		d++;
	}
	key[17] = '\0';
	if (s + n < end && (isalnum((unsigned char)s[n]) || (dotted && s[n] == '.')))
		return false;
	*ret_n = n;
	return true;
}

/* "aabb.cc11.2233" and the interface name "enx001122334455" (a MAC in a name). */
static size_t match_mac_other(struct scan *sc)
{
	char key[18], hex[13];
	const char *tok;
	size_t n;

	if (mac_digits(sc->s, sc->end, true, key, &n) &&
	    strcmp(key, "00:00:00:00:00:00") && strcmp(key, "ff:ff:ff:ff:ff:ff")) {
		fputs(token_of(sc->r, K_MAC, key), sc->out);
		return n;
	}
	if (sc->end - sc->s >= 15 && !strncmp(low_at(sc, sc->s), "enx", 3) &&
	    mac_digits(sc->s + 3, sc->end, false, key, &n)) {
		tok = token_of(sc->r, K_MAC, key);
		n = 0;
		for (const char *t = tok; *t && n < 12; t++)
			if (*t != ':')
				hex[n++] = *t;
		hex[n] = '\0';
		fprintf(sc->out, "enx%s", hex);
		return 15;
	}
	return 0;
}

static size_t match_mac(struct scan *sc)
{
	const char *s = sc->s;
	char key[18];
	char sep;

	if (sc->end - s < 17 || (s[2] != ':' && s[2] != '-'))
		return 0;
	sep = s[2];
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != sep : !isxdigit((unsigned char)s[i]))
			return 0;
		key[i] = i % 3 == 2 ? ':' : (char)tolower((unsigned char)s[i]);
	}
	key[17] = '\0';
	if (s + 17 < sc->end && (is_tok((unsigned char)s[17]) || s[17] == sep))
		return 0;
	if (!strcmp(key, "00:00:00:00:00:00") || !strcmp(key, "ff:ff:ff:ff:ff:ff"))
		return 0;
	fputs(token_of(sc->r, K_MAC, key), sc->out);
	return 17;
}

static size_t match_ipv4(struct scan *sc)
{
	const char *p = sc->s;
	unsigned o[4];
	char net[16];

	if (sc->end - sc->s < 7)
		return 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, nd = 0;

		while (p < sc->end && isdigit((unsigned char)*p) && nd < 4) {
			v = v * 10 + (unsigned)(*p++ - '0');
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 255)
			return 0;
		o[i] = v;
		if (i < 3) {
			if (p >= sc->end || *p != '.')
				return 0;
			p++;
		}
	}
	if (p < sc->end && (is_tok((unsigned char)*p) ||
			    (*p == '.' && p + 1 < sc->end && isdigit((unsigned char)p[1]))))
		return 0;
	/* Loopback, "any" and broadcast say nothing about the user. */
	if (o[0] == 127 || o[0] == 0 || o[0] == 255)
		return 0;
	snprintf(net, sizeof(net), "%u.%u.%u", o[0], o[1], o[2]);
	fprintf(sc->out, "%s.%u", token_of(sc->r, K_NET4, net), o[3]);
	return (size_t)(p - sc->s);
}

static size_t match_ipv6(struct scan *sc)
{
	const char *p = sc->s;
	char buf[64], canon[INET6_ADDRSTRLEN];
	unsigned char addr[16];
	int colons = 0;
	size_t n;

	/* Dots too: "::ffff:192.168.7.20" is one address, not an IPv6 head and three octets. */
	while (p < sc->end && (isxdigit((unsigned char)*p) || *p == ':' || *p == '.') &&
	       p - sc->s < 45)
		colons += *p++ == ':';
	n = (size_t)(p - sc->s);
	if (colons < 2 || n < 3 || (p < sc->end && is_tok((unsigned char)*p)))
		return 0;
	memcpy(buf, sc->s, n);
	buf[n] = '\0';
	/* "fe80::1:" or "fe80::1." in a sentence: the colon or dot ends it, not the address. */
	while (n > 2 && (buf[n - 1] == '.' || (buf[n - 1] == ':' && buf[n - 2] != ':')))
		buf[--n] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1 && strchr(buf, '.')) {
		/* "fe80::1.5" is no address, but "fe80::1" before the dot may be. */
		n = (size_t)(strchr(buf, '.') - buf);
		buf[n] = '\0';
	}
	if (inet_pton(AF_INET6, buf, addr) != 1 || !inet_ntop(AF_INET6, addr, canon, sizeof(canon)))
		return 0;
	if (!strcmp(canon, "::") || !strcmp(canon, "::1"))
		return 0;
	fputs(token_of(sc->r, K_IP6, canon), sc->out);
	return n;
}

/* A known domain from label start k of the run: its length, or 0. */
static size_t domain_at(struct scan *sc, size_t k, size_t run, const char **ret_tok)
{
	for (size_t dl = run - k; dl > 0; dl--) {
		json_t *v;

		/* "example.com-2026..." in a file name still ends the domain. */
		if (dl > 255 || !sc->r->has_len[K_DOMAIN][dl] ||
		    (k + dl < run && is_tok((unsigned char)sc->s[k + dl])))
			continue;
		v = json_object_getn(sc->r->map[K_DOMAIN], low_at(sc, sc->s + k), dl);
		if (v) {
			*ret_tok = json_string_value(v);
			return dl;
		}
	}
	return 0;
}

/*
 * "name.example.com" when example.com is a known domain: hostN.obfuscateddomainM.
 * A run where no label start holds a domain is remembered, so the later
 * positions of the same run do not look again (linear in the text).
 */
static size_t match_in_domain(struct scan *sc)
{
	size_t run = 0, avail = (size_t)(sc->end - sc->s), dl;
	const char *tok;

	if (json_object_size(sc->r->map[K_DOMAIN]) == 0)
		return 0;
	while (run < avail && run < 512 && (isalnum((unsigned char)sc->s[run]) || sc->s[run] == '-' ||
					    sc->s[run] == '.' || sc->s[run] == '_'))
		run++;
	for (size_t k = 0; k < run; k++) {
		if (k > 0 && sc->s[k - 1] != '.')
			continue;
		/* Looked at already from an earlier start of this run, and nothing was there. */
		if (k > 0 && sc->dom_run_end == sc->s + run && sc->s + k >= sc->dom_none_from)
			break;
		dl = domain_at(sc, k, run, &tok);
		if (!dl)
			continue;
		if (k > 0) {
			char host[256];

			if (k - 1 >= sizeof(host))
				continue;
			memcpy(host, low_at(sc, sc->s), k - 1);
			host[k - 1] = '\0';
			fprintf(sc->out, "%s.", token_of(sc->r, K_HOST, host));
		}
		fputs(tok, sc->out);
		return k + dl;
	}
	sc->dom_none_from = sc->s + 1;
	sc->dom_run_end = sc->s + run;
	return 0;
}

/*
 * "scheme://user:password@host": the user becomes its token and the password
 * goes.  At "://" only; userinfo is what comes before the first '@' and
 * before any '/', '?', '#' or space.
 */
static size_t match_userinfo(struct scan *sc)
{
	const char *p = sc->s + 3, *colon = NULL;
	char user[256];
	size_t n;

	if (sc->end - sc->s < 5 || memcmp(sc->s, "://", 3) != 0)
		return 0;
	while (p < sc->end && p - sc->s < 300 && *p != '@' && !strchr("/?# \t\n\"'<>", *p)) {
		if (*p == ':' && !colon)
			colon = p;
		p++;
	}
	if (p >= sc->end || *p != '@' || p == sc->s + 3)
		return 0;
	n = (size_t)((colon ? colon : p) - (sc->s + 3));
	if (n >= sizeof(user))
		return 0;
	memcpy(user, low_at(sc, sc->s + 3), n);
	user[n] = '\0';
	fputs("://", sc->out);
	if (n)
		fputs(token_of(sc->r, K_USER, user), sc->out);
	if (colon)
		fputs(":obfuscatedpassword", sc->out);
	fputc('@', sc->out);
	return (size_t)(p + 1 - sc->s);
}

static size_t match_at(struct scan *sc)
{
	bool start = sc->s == sc->end || sc->s[-1] == '\0' || !is_tok((unsigned char)sc->s[-1]);
	const char *tok;
	size_t n;

	if ((n = match_literal(sc, K_WORD, true, &tok)))
		goto literal;
	if (sc->s[0] == ':' && (n = match_userinfo(sc)))
		return n;
	/* A host name ends at '_' too: "myhost_backup" starts with the host name. */
	if (!start && !(sc->s[-1] == '_' && isalnum((unsigned char)sc->s[0])))
		return 0;
	if (!start) {
		if ((n = match_literal(sc, K_HOST, false, &tok)))
			goto literal;
		return 0;
	}
	if ((n = match_mac(sc)) || (n = match_mac_other(sc)))
		return n;
	if (sc->s[-1] != '.' && (n = match_ipv4(sc)))
		return n;
	if (sc->s[-1] != ':' && (n = match_ipv6(sc)))
		return n;
	if ((n = match_in_domain(sc)))
		return n;
	if ((n = match_literal(sc, K_HOST, false, &tok)) ||
	    (n = match_literal(sc, K_USER, false, &tok)))
		goto literal;
	return 0;
literal:
	fputs(tok, sc->out);
	return n;
}

char *scx_redact_text(struct scx_redact *r, const char *text, size_t len, size_t *ret_len)
{
	/* A leading NUL gives every match_at() a s[-1] to look at. */
	_cleanup_free_ char *padded = malloc(len + 1), *low = malloc(len + 1);
	struct scan sc = { .r = r };
	char *out = NULL;
	size_t outlen = 0;

	if (!padded || !low)
		return NULL;
	padded[0] = '\0';
	memcpy(padded + 1, text, len);
	for (size_t i = 0; i <= len; i++)
		low[i] = (char)tolower((unsigned char)padded[i]);
	sc.s = padded + 1;
	sc.end = padded + 1 + len;
	sc.text = padded;
	sc.low = low;
	sc.out = open_memstream(&out, &outlen);
	if (!sc.out)
		return NULL;
	while (sc.s < sc.end) {
		size_t n = match_at(&sc);

		if (n) {
			sc.s += n;
			continue;
		}
		/* Copy up to the next place a match could start. */
		fputc(*sc.s++, sc.out);
	}
	if (fclose(sc.out) != 0) {
		free(out);
		return NULL;
	}
	if (ret_len)
		*ret_len = outlen;
	return out;
}

json_t *scx_redact_json(struct scx_redact *r, const json_t *j)
{
	const char *key;
	json_t *v, *c;
	size_t i, n;

	if (json_is_string(j)) {
		_cleanup_free_ char *s = scx_redact_text(r, json_string_value(j), json_string_length(j), &n);

		return s ? json_stringn(s, n) : NULL;
	}
	if (json_is_array(j)) {
		c = json_array();
		json_array_foreach(j, i, v)
			json_array_append_new(c, scx_redact_json(r, v));
		return c;
	}
	if (json_is_object(j)) {
		c = json_object();
		json_object_foreach((json_t *)j, key, v) {
			_cleanup_free_ char *k = scx_redact_text(r, key, strlen(key), NULL);

			if (k)
				json_object_set_new(c, k, scx_redact_json(r, v));
		}
		return c;
	}
	return json_copy((json_t *)j);
}

bool scx_redact_is_text(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\0') || c == 0x7f)
			return false;
	}
	return true;
}
