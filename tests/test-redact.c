// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The redaction engine: each kind of value becomes its token, the same value
 * the same token everywhere, look-alikes (versions, times, file names) stay,
 * and a map written and loaded again gives the same tokens.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "redact.h"
#include "util.h"
#include "test-util.h"

static void test_kinds(void **state)
{
	struct scx_redact *r = scx_redact_new();

	scx_redact_add_hostname(r, "buildbox7.corp.example.com");
	scx_redact_add_user(r, "alice");
	assert_int_equal(scx_redact_add_word(r, "ProjectZebra"), 0);

	assert_redacts(r, "hostname buildbox7 up", "hostname host0 up");
	assert_redacts(r, "BUILDBOX7.corp.example.com.", "host0.obfuscateddomain0.");
	assert_redacts(r, "ci9.corp.example.com", "host1.obfuscateddomain0");
	assert_redacts(r, "ip=192.168.17.4 gw 192.168.17.1 dns 10.0.0.53",
		       "ip=100.64.0.4 gw 100.64.0.1 dns 100.64.1.53");
	assert_redacts(r, "eth0: 52:54:00:AB:cd:01 up", "eth0: 53:4f:53:00:00:00 up");
	assert_redacts(r, "inet6 fe80::5054:ff:feab:cd01/64", "inet6 fd53:7878::1/64");
	assert_redacts(r, "cwd /home/alice/src", "cwd /home/obfuscateduser0/src");
	assert_redacts(r, "the projectzebra-build run", "the obfuscatedword0-build run");
	/* The same values again: the same tokens. */
	assert_redacts(r, "192.168.17.200 buildbox7 alice",
		       "100.64.0.200 host0 obfuscateduser0");
	free(scx_redact_free(r));
}

static void test_lookalikes_stay(void **state)
{
	struct scx_redact *r = scx_redact_new();
	const char *same[] = {
		"kernel 7.2.13+deb14 version 1.2.3.4.5",
		"10:35:00 and 12:34:56:78",
		"127.0.0.1 ::1 0.0.0.0 00:00:00:00:00:00",
		"report.json libbpf.so.1 scx_rusty::main",
		"root:x:0:0:/root",
	};

	scx_redact_add_hostname(r, "alicebox");
	scx_redact_add_user(r, "alice");
	scx_redact_add_user(r, "root");
	for (size_t i = 0; i < ARRAY_SIZE(same); i++)
		assert_redacts(r, same[i], same[i]);
	/* A token inside a longer name is not the name. */
	assert_redacts(r, "malice alice_x alice", "malice alice_x obfuscateduser0");
	free(scx_redact_free(r));
}

static void test_learn(void **state)
{
	struct scx_redact *r = scx_redact_new();
	const char env[] = "PATH=/home/bob/bin:/usr/bin\0USER=carol\0HOSTNAME=lab3.example.org\0";

	scx_redact_learn(r, env, sizeof(env) - 1);
	assert_redacts(r, "bob carol lab3 x.example.org",
		       "obfuscateduser0 obfuscateduser1 host0 host1.obfuscateddomain0");
	free(scx_redact_free(r));
}

static void test_nul_separated(void **state)
{
	struct scx_redact *r = scx_redact_new();
	const char in[] = "scx_fifo\0--host\0buildbox7\0";
	size_t n;
	char *out;

	scx_redact_add_hostname(r, "buildbox7");
	out = scx_redact_text(r, in, sizeof(in) - 1, &n);
	assert_int_equal(n, sizeof("scx_fifo\0--host\0host0\0") - 1);
	assert_memory_equal(out, "scx_fifo\0--host\0host0\0", n);
	free(out);
	assert_true(scx_redact_is_text(in, sizeof(in) - 1));
	assert_false(scx_redact_is_text("\x1f\x8b\x08\x00", 4));
	free(scx_redact_free(r));
}

static void test_json(void **state)
{
	struct scx_redact *r = scx_redact_new();
	json_t *in = json_pack("{s:s, s:[s, i], s:{s:s}}", "hostname", "buildbox7", "argv",
			       "/home/alice/scx", 3, "verdict", "class", "inconclusive");
	json_t *out;

	scx_redact_add_hostname(r, "buildbox7");
	scx_redact_learn_json(r, in);
	out = scx_redact_json(r, in);
	assert_string_equal(json_string_value(json_object_get(out, "hostname")), "host0");
	assert_string_equal(json_string_value(json_array_get(json_object_get(out, "argv"), 0)),
			    "/home/obfuscateduser0/scx");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(out, "argv"), 1)), 3);
	assert_true(json_equal(json_object_get(out, "verdict"), json_object_get(in, "verdict")));
	json_decref(in);
	json_decref(out);
	free(scx_redact_free(r));
}

static void test_map_round_trip(void **state)
{
	char dir[] = "/tmp/scx-test-redact.XXXXXX", path[PATH_MAX], err[256];
	struct scx_redact *r = scx_redact_new(), *again = scx_redact_new();
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/map.json", dir);
	scx_redact_add_hostname(r, "buildbox7");
	scx_redact_add_user(r, "alice");
	free(red(r, "10.1.2.3 10.9.9.9"));
	assert_int_equal(scx_redact_save_map(r, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(scx_redact_load_map(again, path, err, sizeof(err)), 0);
	/* A new value after the loaded ones gets the next token, not a reused one. */
	assert_redacts(again, "alice@buildbox7 10.9.9.1 10.7.7.7",
		       "obfuscateduser0@host0 100.64.1.1 100.64.2.7");
	assert_int_equal(scx_redact_load_map(again, "/nonexistent/map.json", err, sizeof(err)),
			 -ENOENT);
	assert_int_equal(write_file_full(path, "{\"schema\":\"x\"}", 14, 0600), 0);
	assert_int_equal(scx_redact_load_map(again, path, err, sizeof(err)), -EPROTONOSUPPORT);
	rm_rf(dir);
	free(scx_redact_free(r));
	free(scx_redact_free(again));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_lookalikes_stay),
		cmocka_unit_test(test_learn),
		cmocka_unit_test(test_nul_separated),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_map_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
