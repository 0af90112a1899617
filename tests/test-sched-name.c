// SPDX-License-Identifier: GPL-2.0-or-later
/* The scx versioned ops.name parser (probes/scheduler/ops-name.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "identity.h"

static void test_versioned(void **state)
{
	struct sched_name n;

	(void)state;
	assert_int_equal(sched_name_parse("lavd_1.0.20_g85f140fd_x86_64_unknown_linux_gnu", &n), 0);
	assert_true(n.versioned);
	assert_string_equal(n.name, "lavd");
	assert_string_equal(n.version, "1.0.20");
	assert_string_equal(n.git_sha, "85f140fd");
	assert_false(n.dirty);
	assert_string_equal(n.target, "x86_64_unknown_linux_gnu");

	/* Distro builds carry no sha. */
	assert_int_equal(sched_name_parse("bpfland_1.1.0_x86_64_unknown_linux_gnu", &n), 0);
	assert_string_equal(n.name, "bpfland");
	assert_string_equal(n.version, "1.1.0");
	assert_string_equal(n.git_sha, "");
	assert_string_equal(n.target, "x86_64_unknown_linux_gnu");

	/* The VM test scheduler and the shared 7.2.13 capture. */
	assert_int_equal(sched_name_parse("fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu", &n), 0);
	assert_string_equal(n.name, "fifo");
	assert_string_equal(n.git_sha, "deadbeef");
	assert_int_equal(sched_name_parse("ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu", &n), 0);
	assert_string_equal(n.name, "ringo");
	assert_string_equal(n.version, "2.0.1");
}

static void test_dirty_and_underscores(void **state)
{
	struct sched_name n;

	(void)state;
	assert_int_equal(sched_name_parse("rusty_v2_1.0.3_g0123abc_dirty_aarch64_unknown_linux_gnu", &n), 0);
	assert_string_equal(n.name, "rusty_v2");
	assert_string_equal(n.version, "1.0.3");
	assert_string_equal(n.git_sha, "0123abc");
	assert_true(n.dirty);
	assert_string_equal(n.target, "aarch64_unknown_linux_gnu");

	/* Every separator sanitised to '_'. */
	assert_int_equal(sched_name_parse("cosmos_1_2_3_x86_64_unknown_linux_gnu", &n), 0);
	assert_string_equal(n.name, "cosmos");
	assert_string_equal(n.version, "1.2.3");
	assert_string_equal(n.target, "x86_64_unknown_linux_gnu");

	/* dirty without a sha */
	assert_int_equal(sched_name_parse("p2dq_1.0.0_dirty_x86_64_unknown_linux_gnu", &n), 0);
	assert_true(n.dirty);
	assert_string_equal(n.git_sha, "");
}

static void test_plain(void **state)
{
	static const char *const plain[] = {
		"fifo", "simple", "stall", "rusty_v2",
		"lavd_1.0.20",			/* no triple */
		"lavd_1.0.20_",			/* empty triple */
		"x_1.0_linux_gnu",		/* two-part version */
		"_1.0.0_x86_64_unknown",	/* no name */
		"tarpit",
	};
	struct sched_name n;

	(void)state;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(sched_name_parse(plain[i], &n), 0);
		assert_false(n.versioned);
		assert_string_equal(n.name, plain[i]);
		assert_string_equal(n.version, "");
	}
	assert_int_equal(sched_name_parse("", &n), -EINVAL);
	assert_int_equal(sched_name_parse(NULL, &n), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versioned),
		cmocka_unit_test(test_dirty_and_underscores),
		cmocka_unit_test(test_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
