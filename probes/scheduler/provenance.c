// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the scheduler binary comes from.  The binary is read through
 * /proc/PID/exe (any kernel), so a file deleted or replaced since the start
 * is still the one hashed, and flagged.  sha256 and md5 of that content,
 * the ELF build-id (libelf, NT_GNU_BUILD_ID note), then the package that
 * owns the path and its verification:
 *   dpkg: dpkg-query -S, dpkg-query -W ${Version}, dpkg --verify, the md5
 *         from /var/lib/dpkg/info/PKG.md5sums compared with the running
 *         binary's, apt-cache policy for the origin;
 *   rpm:  rpm -qf (name, version, vendor, signature key), rpm -V.
 * Result: packaged-verified | packaged-modified | unpackaged | unknown, with
 * a reason.  The binary is never executed.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "digest.h"
#include "identity.h"

#define HELPER_TIMEOUT_MS 8000
#define HELPER_MAX (1u << 20)

int sched_elf_build_id(int fd, char *ret_hex, size_t len)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	int r = -ENOENT;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EOPNOTSUPP;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		return -EINVAL;
	if (elf_kind(elf) != ELF_K_ELF) {
		elf_end(elf);
		return -EINVAL;
	}
	while (r == -ENOENT && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			const unsigned char *desc = (const unsigned char *)data->d_buf + desc_off;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)data->d_buf + name_off, "GNU", 4))
				continue;
			if (nh.n_descsz * 2 + 1 > len)
				break;
			for (size_t i = 0; i < nh.n_descsz; i++)
				snprintf(ret_hex + 2 * i, 3, "%02x", desc[i]);
			r = 0;
			break;
		}
	}
	elf_end(elf);
	return r;
}

static int md5_hex_fd(int fd, char ret[33])
{
	unsigned char buf[65536];
	struct scx_md5 m;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -EIO;
	scx_md5_init(&m);
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			scx_md5_update(&m, buf, (size_t)n);
	if (n < 0)
		return -errno;
	scx_md5_hex(&m, ret);
	return 0;
}

static void set_prov(json_t *sched, const char *prov, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_prov(json_t *sched, const char *prov, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	json_object_set_new(sched, "provenance", json_string(prov));
	json_object_set_new(sched, "provenance_reason", json_string(why));
}

/* The same file under its usr-merged twin (/usr/bin/x <-> /bin/x), as dpkg may list either. */
static bool usrmerge_alt(const char *path, char *buf, size_t len)
{
	static const char *const dirs[] = { "/bin/", "/sbin/", "/lib/", "/lib64/" };

	if (startswith(path, "/usr/")) {
		for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
			if (startswith(path + 4, dirs[i]))
				return snprintf(buf, len, "%s", path + 4) < (int)len;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
			if (startswith(path, dirs[i]))
				return snprintf(buf, len, "/usr%s", path) < (int)len;
	}
	return false;
}

static int run_saved(struct scx_probe_ctx *ctx, const char *rel, const char *const argv[],
		     struct scx_cmd *c)
{
	int r = scx_spawn(argv, HELPER_TIMEOUT_MS, HELPER_MAX, true, c);

	if (r < 0)
		return r;
	sched_save_cmd(ctx, rel, argv, c);
	return 0;
}

static void dpkg_provenance(struct scx_probe_ctx *ctx, const char *path, const char *md5,
			    bool deleted, bool replaced, json_t *sched)
{
	_cleanup_free_ char *md5sums = NULL;
	struct scx_cmd c = { 0 };
	char pkg[256] = "", owned_path[PATH_MAX], alt[PATH_MAX], pkg_md5[33], origin[1024], abs[600];
	json_t *package, *files;
	bool have_md5 = false;

	snprintf(owned_path, sizeof(owned_path), "%s", path);
	{
		const char *argv[] = { "dpkg-query", "-S", path, NULL };

		if (run_saved(ctx, "dpkg-query-S.txt", argv, &c) == 0 && c.status == 0)
			sched_dpkg_parse_search(c.out, path, pkg, sizeof(pkg));
		scx_cmd_done(&c);
	}
	if (!pkg[0] && usrmerge_alt(path, alt, sizeof(alt))) {
		const char *argv[] = { "dpkg-query", "-S", alt, NULL };

		if (run_saved(ctx, "dpkg-query-S-usrmerge.txt", argv, &c) == 0 && c.status == 0 &&
		    sched_dpkg_parse_search(c.out, alt, pkg, sizeof(pkg)) == 0)
			snprintf(owned_path, sizeof(owned_path), "%s", alt);
		scx_cmd_done(&c);
	}
	if (!pkg[0]) {
		set_prov(sched, "unpackaged", "dpkg: no installed package owns %s", path);
		return;
	}
	package = json_object();
	json_object_set_new(package, "manager", json_string("dpkg"));
	{
		char name[256];

		snprintf(name, sizeof(name), "%s", pkg);
		if (strchr(name, ':'))
			*strchr(name, ':') = '\0';
		json_object_set_new(package, "name", json_string(name));
	}
	{
		const char *argv[] = { "dpkg-query", "-W", "-f", "${Version}", pkg, NULL };

		if (run_saved(ctx, "dpkg-query-version.txt", argv, &c) == 0 && c.status == 0 && c.len)
			json_object_set_new(package, "version", json_string(strstrip(c.out)));
		scx_cmd_done(&c);
	}
	files = json_array();
	{
		const char *argv[] = { "dpkg", "--verify", pkg, NULL };

		if (run_saved(ctx, "dpkg-verify.txt", argv, &c) == 0)
			sched_dpkg_parse_verify(c.out, files);
		scx_cmd_done(&c);
	}
	{
		json_t *mod = json_array(), *f;
		size_t i;

		json_array_foreach(files, i, f)
			json_array_append(mod, json_object_get(f, "path"));
		json_object_set_new(package, "modified_files", mod);
	}
	snprintf(abs, sizeof(abs), "/var/lib/dpkg/info/%s.md5sums", pkg);
	if (probe_read(ctx, abs, 8u << 20, &md5sums, NULL, NULL) < 0 && strchr(pkg, ':')) {
		snprintf(abs, sizeof(abs), "/var/lib/dpkg/info/%.*s.md5sums",
			 (int)(strchr(pkg, ':') - pkg), pkg);
		probe_read(ctx, abs, 8u << 20, &md5sums, NULL, NULL);
	}
	if (md5sums && sched_dpkg_md5_for(md5sums, owned_path, pkg_md5) == 0) {
		have_md5 = true;
		json_object_set_new(package, "file_md5", json_string(pkg_md5));
		json_object_set_new(package, "running_md5", json_string(md5));
	}
	if (scx_have_program("apt-cache")) {
		const char *argv[] = { "apt-cache", "policy", json_string_value(json_object_get(package, "name")), NULL };

		if (run_saved(ctx, "apt-cache-policy.txt", argv, &c) == 0 && c.status == 0 &&
		    sched_apt_parse_origin(c.out, origin, sizeof(origin)) == 0)
			json_object_set_new(package, "origin", json_string(origin));
		scx_cmd_done(&c);
	}

	if (have_md5 && md5[0] && strcmp(pkg_md5, md5)) {
		json_object_set_new(package, "verified", json_false());
		set_prov(sched, "packaged-modified",
			 "the running binary's md5 %s differs from %s's recorded md5 %s for %s%s", md5,
			 pkg, pkg_md5, owned_path,
			 replaced ? " (the file was replaced on disk after the scheduler started)" :
			 deleted ? " (the file was deleted after the scheduler started)" : "");
	} else if (sched_pkg_file_modified(files, owned_path) && !have_md5) {
		json_object_set_new(package, "verified", json_false());
		set_prov(sched, "packaged-modified", "dpkg --verify %s reports %s changed", pkg, owned_path);
	} else if (have_md5) {
		json_object_set_new(package, "verified", json_true());
		set_prov(sched, "packaged-verified", "the running binary's md5 matches %s's md5sums for %s%s",
			 pkg, owned_path, json_array_size(files) ? " (other files of the package changed)" : "");
	} else {
		json_object_set_new(package, "verified", json_false());
		set_prov(sched, "unknown", "%s owns %s but lists no md5sum for it", pkg, owned_path);
	}
	json_object_set_new(sched, "package", package);
	json_decref(files);
}

static void rpm_provenance(struct scx_probe_ctx *ctx, const char *path, bool deleted, bool replaced,
			   json_t *sched)
{
	struct scx_cmd c = { 0 };
	struct sched_rpm_info info;
	const char *qf[] = { "rpm", "-qf", "--qf", SCHED_RPM_QF, path, NULL };
	json_t *package, *files, *mod, *f;
	size_t i;
	bool found;

	if (run_saved(ctx, "rpm-qf.txt", qf, &c) < 0) {
		set_prov(sched, "unknown", "could not run rpm");
		return;
	}
	found = c.status == 0 && sched_rpm_parse_qf(c.out, &info) == 0;
	scx_cmd_done(&c);
	if (!found) {
		set_prov(sched, "unpackaged", "rpm: no installed package owns %s", path);
		return;
	}
	package = json_pack("{s:s,s:s,s:s}", "manager", "rpm", "name", info.name, "version", info.version);
	if (info.vendor[0])
		json_object_set_new(package, "vendor", json_string(info.vendor));
	if (info.signature[0])
		json_object_set_new(package, "signature", json_string(info.signature));
	files = json_array();
	{
		const char *argv[] = { "rpm", "-V", info.name, NULL };

		if (run_saved(ctx, "rpm-V.txt", argv, &c) == 0)
			sched_rpm_parse_verify(c.out, files);
		scx_cmd_done(&c);
	}
	mod = json_array();
	json_array_foreach(files, i, f)
		json_array_append(mod, json_object_get(f, "path"));
	json_object_set_new(package, "modified_files", mod);
	if (sched_pkg_file_modified(files, path)) {
		json_object_set_new(package, "verified", json_false());
		set_prov(sched, "packaged-modified", "rpm -V %s reports %s changed", info.name, path);
	} else if (deleted || replaced) {
		json_object_set_new(package, "verified", json_false());
		set_prov(sched, "unknown", "%s was %s after the scheduler started: rpm -V checks the "
			 "file on disk, not the running binary", path, deleted ? "deleted" : "replaced");
	} else {
		json_object_set_new(package, "verified", json_true());
		set_prov(sched, "packaged-verified", "rpm -V %s finds %s unchanged", info.name, path);
	}
	json_object_set_new(sched, "package", package);
	json_decref(files);
}

static bool has_package_db(const struct scx_probe_ctx *ctx)
{
	static const char *const dbs[] = { "/var/lib/dpkg/status", "/var/lib/rpm", "/usr/lib/sysimage/rpm" };
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(dbs); i++)
		if (probe_path(ctx, dbs[i], path, sizeof(path)) == 0 && access(path, F_OK) == 0)
			return true;
	return false;
}

int sched_provenance(struct scx_probe_ctx *ctx, pid_t pid, json_t *sched)
{
	char abs[64], link[PATH_MAX], target[PATH_MAX], sha[65], md5[33] = "", bid[129];
	json_t *exe = json_object();
	struct stat st_run, st_disk;
	_cleanup_close_ int fd = -1;
	bool deleted = false, replaced = false;
	uint64_t size = 0;
	ssize_t n;
	char *del;

	json_object_set_new(sched, "exe", exe);
	snprintf(abs, sizeof(abs), "/proc/%d/exe", (int)pid);
	if (probe_path(ctx, abs, link, sizeof(link)) < 0)
		return -EINVAL;
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		set_prov(sched, "unknown", "cannot read %s: %s", abs, strerror(errno));
		return 0;
	}
	target[n] = '\0';
	del = strstr(target, " (deleted)");
	if (del && del[10] == '\0') {
		*del = '\0';
		deleted = true;
	}
	json_object_set_new(exe, "path", json_string(target));
	fd = open(link, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st_run) < 0) {
		set_prov(sched, "unknown", "cannot open %s: %s", abs, strerror(errno));
		return 0;
	}
	if (!deleted) {
		char disk[PATH_MAX];

		if (probe_path(ctx, target, disk, sizeof(disk)) == 0 && stat(disk, &st_disk) == 0 &&
		    (st_disk.st_dev != st_run.st_dev || st_disk.st_ino != st_run.st_ino))
			replaced = true;
	}
	json_object_set_new(exe, "size", json_integer((json_int_t)st_run.st_size));
	json_object_set_new(exe, "mtime", json_integer((json_int_t)st_run.st_mtime));
	json_object_set_new(exe, "deleted", json_boolean(deleted));
	json_object_set_new(exe, "replaced", json_boolean(replaced));
	if (sha256_hex_file(link, sha, &size) == 0)
		json_object_set_new(sched, "sha256", json_string(sha));
	if (md5_hex_fd(fd, md5) < 0)
		md5[0] = '\0';
	if (sched_elf_build_id(fd, bid, sizeof(bid)) == 0)
		json_object_set_new(sched, "build_id", json_string(bid));

	if (!has_package_db(ctx)) {
		set_prov(sched, "unpackaged", "no package database on this system (no /var/lib/dpkg/status, "
			 "no rpm database): the binary cannot come from an installed package");
		return 0;
	}
	if (*probe_sysroot(ctx)) {
		set_prov(sched, "unknown", "package lookup skipped under --sysroot (needs the live package database)");
		return 0;
	}
	if (scx_have_program("dpkg-query")) {
		dpkg_provenance(ctx, target, md5, deleted, replaced, sched);
		/* A Debian system with rpm installed too: dpkg is authoritative unless it knows nothing. */
		const char *prov = json_string_value(json_object_get(sched, "provenance"));

		if (!prov || strcmp(prov, "unpackaged") || !scx_have_program("rpm"))
			return 0;
	}
	if (scx_have_program("rpm")) {
		rpm_provenance(ctx, target, deleted, replaced, sched);
		return 0;
	}
	if (!json_object_get(sched, "provenance"))
		set_prov(sched, "unknown", "no package manager (dpkg, rpm) on this system");
	return 0;
}
