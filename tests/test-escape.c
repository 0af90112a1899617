// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Terminal-safe text: C0 (but newline and tab), DEL, C1 in UTF-8 and raw,
 * and bytes that are not UTF-8 come out as \xNN; other UTF-8 stays as it is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"

static char *esc(const char *in, size_t len, bool keep_lines)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	assert_int_equal(scx_escape_write(f, in, len, keep_lines), 0);
	fclose(f);
	return out;
}

static void test_write(void **state)
{
	static const char in[] = "a\x1b]52;c;eA==\x07 \x1b[2J\t\n\x7f \xc2\x9b" "31m \x9b \xff "
				 "\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x90\xa7 \xed\xa0\x80 \x00z";
	char *out = esc(in, sizeof(in) - 1, true);

	assert_string_equal(out, "a\\x1b]52;c;eA==\\x07 \\x1b[2J\t\n\\x7f \\xc2\\x9b31m \\x9b \\xff "
				 "\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x90\xa7 \\xed\\xa0\\x80 \\x00z");
	free(out);
	out = esc("one\ntwo\tthree", 13, false);
	assert_string_equal(out, "one\\x0atwo\\x09three");
	free(out);
}

static void test_str_cut_whole(void **state)
{
	char buf[8];

	assert_string_equal(scx_escape_str("ab\x1b" "cdef", buf, sizeof(buf)), "ab\\x1bc");
	/* Never cut inside an escape: "\x1" would be a different text. */
	assert_string_equal(scx_escape_str("abcd\x1b", buf, sizeof(buf)), "abcd");
	assert_string_equal(scx_escape_str("", buf, sizeof(buf)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_str_cut_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
