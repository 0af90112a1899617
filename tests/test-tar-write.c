// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * formats/tar-write.c: what it writes, read back by libarchive (with its
 * own zstd filter, not ours) and by GNU tar (`tar --zstd -x`): names that
 * fit ustar, that need its prefix, that only a pax header holds (long, and
 * long and not ASCII), bytes that are not ASCII, sizes on and off the 512-byte blocks, the empty file; and
 * the sink's error stops the writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tar-write.h"
#include "util.h"

struct member {
	char name[400];
	size_t len;
};

static struct member members[8];
static size_t n_members;

static int to_file(void *arg, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, arg) == len ? 0 : -EIO;
}

static void fill(char *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (i * 7 + seed) % 26);
}

/* Write the test archive to path; the names and sizes go to members[]. */
static void write_archive(const char *path)
{
	static const size_t sizes[] = { 5, 0, 512, 513, 70000, 1, 3, 9 };
	char names[8][400], *buf = malloc(70000);
	FILE *f = fopen(path, "w");
	struct scx_tar t;

	assert_non_null(f);
	assert_non_null(buf);
	snprintf(names[0], 400, "top/report.json");
	snprintf(names[1], 400, "top/empty");
	/* 130 characters: ustar's prefix and name */
	snprintf(names[2], 400, "top/%s/%s", "d123456789d123456789d123456789d123456789d123456789d123456789",
		 "f123456789f123456789f123456789f123456789f123456789f123456789f12");
	snprintf(names[3], 400, "top/%0*d", 120, 7);	/* one 120-character name: pax only */
	snprintf(names[4], 400, "top/kernel/proc/config.gz");
	snprintf(names[5], 400, "top/h\xc3\xb4te/caf\xc3\xa9");	/* not ASCII: bytes as they are */
	/* 300 characters over several folders: no ustar split fits */
	snprintf(names[6], 400, "top/%0*d/%0*d/%0*d", 90, 1, 90, 2, 90, 3);
	snprintf(names[7], 400, "top/\xe9t\xe9/%0*d", 150, 4);	/* Latin-1 bytes, long: pax, BINARY */
	assert_int_equal(scx_tar_open(&t, 1, to_file, f), 0);
	n_members = 0;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		fill(buf, sizes[i], (unsigned)i);
		assert_int_equal(scx_tar_add(&t, names[i], buf, sizes[i], 1700000000), 0);
		snprintf(members[n_members].name, sizeof(members[0].name), "%s", names[i]);
		members[n_members++].len = sizes[i];
	}
	assert_int_equal(scx_tar_close(&t), 0);
	scx_tar_free(&t);
	assert_int_equal(fclose(f), 0);
	free(buf);
}

static void test_libarchive_reads_it(void **state)
{
	char path[] = "/tmp/scx-test-tar.XXXXXX", *buf = malloc(70001), *want = malloc(70001);
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t i = 0;
	int fd = mkstemp(path), r;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_archive(path);
	archive_read_support_format_tar(a);
	archive_read_support_filter_zstd(a);
	assert_int_equal(archive_read_open_filename(a, path, 65536), ARCHIVE_OK);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		assert_true(i < n_members);
		assert_string_equal(archive_entry_pathname(e), members[i].name);
		assert_int_equal(archive_entry_size(e), members[i].len);
		assert_int_equal(archive_entry_filetype(e), AE_IFREG);
		assert_int_equal(archive_entry_perm(e), 0644);
		assert_int_equal(archive_entry_mtime(e), 1700000000);
		assert_string_equal(archive_entry_uname(e), "root");
		assert_int_equal(archive_read_data(a, buf, 70001), (la_ssize_t)members[i].len);
		fill(want, members[i].len, (unsigned)i);
		assert_memory_equal(buf, want, members[i].len);
		i++;
	}
	assert_int_equal(r, ARCHIVE_EOF);
	assert_int_equal(i, n_members);
	/* pax headers carried the two names ustar cannot hold: the format says so */
	assert_true(archive_format(a) == ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE ||
		    archive_format(a) == ARCHIVE_FORMAT_TAR_USTAR);
	archive_read_free(a);
	unlink(path);
	free(buf);
	free(want);
}

static void test_gnu_tar_reads_it(void **state)
{
	char dir[] = "/tmp/scx-test-tar-x.XXXXXX", cmd[600], path[600], *want = malloc(70001);

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/b.tar.zst", dir);
	write_archive(path);
	snprintf(cmd, sizeof(cmd), "cd '%s' && tar --zstd -xf b.tar.zst 2>&1", dir);
	assert_int_equal(system(cmd), 0);
	for (size_t i = 0; i < n_members; i++) {
		char file[900], *got = NULL;
		size_t len = 0;
		bool cut;

		snprintf(file, sizeof(file), "%s/%s", dir, members[i].name);
		assert_int_equal(read_file_full(file, 1 << 20, &got, &len, &cut), 0);
		assert_int_equal(len, members[i].len);
		fill(want, len, (unsigned)i);
		assert_memory_equal(got, want, len);
		free(got);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(want);
}

static int failing(void *arg, const void *buf, size_t len)
{
	(void)arg, (void)buf, (void)len;
	return -ENOSPC;
}

static void test_sink_error_stops_it(void **state)
{
	static char data[1 << 20];
	struct scx_tar t;

	(void)state;
	fill(data, sizeof(data), 3);
	assert_int_equal(scx_tar_open(&t, 1, failing, NULL), 0);
	/* zstd holds back what it can; a megabyte reaches the sink, or the close does */
	int r = scx_tar_add(&t, "x/data", data, sizeof(data), 0);

	if (r == 0)
		r = scx_tar_close(&t);
	assert_int_equal(r, -ENOSPC);
	assert_int_equal(scx_tar_add(&t, "x/more", "y", 1, 0), -ENOSPC);
	scx_tar_free(&t);
	assert_int_equal(scx_tar_open(&t, 1, failing, NULL), 0);
	assert_int_equal(scx_tar_add(&t, "", "y", 1, 0), -ENAMETOOLONG);
	scx_tar_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libarchive_reads_it),
		cmocka_unit_test(test_gnu_tar_reads_it),
		cmocka_unit_test(test_sink_error_stops_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
