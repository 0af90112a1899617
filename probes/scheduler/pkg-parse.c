// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsers of package manager outputs, pure functions over text so the unit
 * tests replay captured outputs (tests/data/pkg-output/):
 *   dpkg-query -S PATH       "pkg[:arch][, pkg2]: PATH" (diversion lines skipped)
 *   dpkg --verify PKG        "??5?????? c /etc/x"  (rpm -V style flags, 'c' conffile)
 *   PKG.md5sums              "<md5>  path/without/leading/slash"
 *   apt-cache policy PKG     version table, "***" marks the installed version
 *   rpm -qf --qf SCHED_RPM_QF  NAME \t VERSION-RELEASE \t VENDOR \t SIGPGP \t RSAHEADER
 *   rpm -V PKG               "S.5....T.  c /path", "missing   /path"
 */
#include <ctype.h>
#include <string.h>

#include "identity.h"

/* Iterate lines: copies each into buf (without '\n'); returns the next line or NULL. */
static const char *next_line(const char *p, char *buf, size_t len)
{
	const char *nl;
	size_t n;

	if (!p || !*p)
		return NULL;
	nl = strchr(p, '\n');
	n = nl ? (size_t)(nl - p) : strlen(p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return nl ? nl + 1 : p + strlen(p);
}

int sched_dpkg_parse_search(const char *out, const char *path, char *ret_pkg, size_t len)
{
	char line[4096];
	const char *p = out;

	while ((p = next_line(p, line, sizeof(line)))) {
		char *sep;

		if (startswith(line, "diversion by ") || startswith(line, "dpkg-query:"))
			continue;
		sep = strstr(line, ": /");
		if (!sep || strcmp(sep + 2, path) != 0)
			continue;
		*sep = '\0';
		/* "pkg1, pkg2: /path" (shared directories): take the first. */
		sep = strchr(line, ',');
		if (sep)
			*sep = '\0';
		snprintf(ret_pkg, len, "%s", strstrip(line));
		return ret_pkg[0] ? 0 : -ENOENT;
	}
	return -ENOENT;
}

/* Flags column then optional attribute letter then path, as dpkg and rpm both print. */
static int parse_verify_line(const char *line, json_t *files)
{
	const char *p = line, *flags_end;
	char flags[16];
	size_t n;

	if (!*line)
		return 0;
	flags_end = p;
	while (*flags_end && !isspace((unsigned char)*flags_end))
		flags_end++;
	n = (size_t)(flags_end - p);
	if (n == 0 || n >= sizeof(flags))
		return 0;
	memcpy(flags, p, n);
	flags[n] = '\0';
	p = flags_end;
	while (*p == ' ' || *p == '\t')
		p++;
	/* one attribute letter (c conffile, d doc, g ghost, l license, r readme) */
	if (*p && *p != '/' && isalpha((unsigned char)*p) && (p[1] == ' ' || p[1] == '\t')) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (*p != '/')
		return 0;
	json_array_append_new(files, json_pack("{s:s,s:s}", "path", p, "flags", flags));
	return 1;
}

static int parse_verify(const char *out, json_t *files)
{
	char line[4096];
	const char *p = out;
	int n = 0;

	while ((p = next_line(p, line, sizeof(line))))
		n += parse_verify_line(line, files);
	return n;
}

int sched_dpkg_parse_verify(const char *out, json_t *files)
{
	return parse_verify(out, files);
}

int sched_rpm_parse_verify(const char *out, json_t *files)
{
	return parse_verify(out, files);
}

int sched_dpkg_md5_for(const char *md5sums, const char *path, char ret_md5[33])
{
	char line[4096];
	const char *p = md5sums, *want = path;

	while (*want == '/')
		want++;
	while ((p = next_line(p, line, sizeof(line)))) {
		char *f = line;

		if (strlen(line) < 34)
			continue;
		f = line + 32;
		while (*f == ' ' || *f == '\t')
			f++;
		while (*f == '/')
			f++;
		if (strcmp(f, want))
			continue;
		for (int i = 0; i < 32; i++)
			if (!isxdigit((unsigned char)line[i]))
				return -EINVAL;
		memcpy(ret_md5, line, 32);
		ret_md5[32] = '\0';
		for (int i = 0; i < 32; i++)
			ret_md5[i] = (char)tolower((unsigned char)ret_md5[i]);
		return 0;
	}
	return -ENOENT;
}

int sched_apt_parse_origin(const char *out, char *ret_origin, size_t len)
{
	char line[4096];
	const char *p = out;
	bool in_installed = false;
	char origins[1024] = "";
	bool local_only = true, any = false;

	while ((p = next_line(p, line, sizeof(line)))) {
		char *s = line;

		if (startswith(s, " *** ")) {
			in_installed = true;
			continue;
		}
		/* A version line (5 spaces then the version) ends the installed block. */
		if (startswith(s, "     ") && !startswith(s, "      ")) {
			if (in_installed)
				break;
			continue;
		}
		if (!in_installed || !startswith(s, "        "))
			continue;
		s = strstrip(s);
		while (*s == ' ')
			s++;
		/* "500 http://deb.debian.org/debian bookworm/main amd64 Packages" */
		while (isdigit((unsigned char)*s))
			s++;
		while (*s == ' ')
			s++;
		any = true;
		if (!strcmp(s, "/var/lib/dpkg/status"))
			continue;
		local_only = false;
		if (strlen(origins) + strlen(s) + 3 < sizeof(origins)) {
			if (origins[0])
				strcat(origins, "; ");
			strcat(origins, s);
		}
	}
	if (!any)
		return -ENOENT;
	if (local_only)
		snprintf(ret_origin, len, "local (installed version is in no configured apt source)");
	else
		snprintf(ret_origin, len, "%s", origins);
	return 0;
}

int sched_rpm_parse_qf(const char *out, struct sched_rpm_info *ret)
{
	struct sched_rpm_info r;
	char line[4096], *fields[5];
	int n = 0;
	char *s, *tab;

	memset(&r, 0, sizeof(r));
	if (!next_line(out, line, sizeof(line)) || !strchr(line, '\t'))
		return -ENOENT;	/* "file ... is not owned by any package" */
	for (s = line; n < 5; n++) {
		fields[n] = s;
		tab = strchr(s, '\t');
		if (!tab) {
			n++;
			break;
		}
		*tab = '\0';
		s = tab + 1;
	}
	if (n < 2)
		return -EINVAL;
	snprintf(r.name, sizeof(r.name), "%s", fields[0]);
	snprintf(r.version, sizeof(r.version), "%s", fields[1]);
	if (n > 2 && strcmp(fields[2], "(none)"))
		snprintf(r.vendor, sizeof(r.vendor), "%s", fields[2]);
	for (int i = 3; i < n; i++)
		if (strcmp(fields[i], "(none)") && fields[i][0]) {
			snprintf(r.signature, sizeof(r.signature), "%s", fields[i]);
			break;
		}
	*ret = r;
	return 0;
}

bool sched_pkg_file_modified(const json_t *files, const char *path)
{
	const json_t *f;
	size_t i;

	json_array_foreach(files, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));
		const char *flags = json_string_value(json_object_get(f, "flags"));

		if (!p || !flags || strcmp(p, path))
			continue;
		/* '5' in the digest column (3rd), or the file is missing. */
		if (!strcmp(flags, "missing") || (strlen(flags) >= 3 && flags[2] == '5'))
			return true;
	}
	return false;
}
