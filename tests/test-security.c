// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Issue 19's attacks, each reproduced against the code that now refuses it
 * (docs/security.md lists them; tests/check-security.sh runs the command-line
 * ones as root):
 *   case 1  redaction map tokens that are paths or identities
 *   case 2  a "#!" or ld.so scheduler: the pin would cover the interpreter
 *   case 3  report.html: every string leaf of every fixture bundle's report
 *           mutated with <script>, quotes, & and control bytes (property test)
 *   case 4  a process named like the scheduler is not its holder
 *   case 5  an ACL giving another user write
 *   case 6  diff text with terminal control bytes
 *   case 7  outputs that are not regular files
 *   case 8  helpers searched in the caller's PATH and run with its environment
 *   case 9  redaction gaps, and its cost with many learned names
 *   case 11 a scheduler under user@UID.service is not a system unit
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>

#include "bundle.h"
#include "came-back.h"
#include "escape.h"
#include "formats.h"
#include "identity.h"
#include "outfile.h"
#include "paired-switch.h"
#include "reader.h"
#include "redact.h"
#include "restart-safety.h"
#include "spawn.h"
#include "svg.h"
#include "util.h"
#include "test-util.h"

/* ---- case 3: the HTML property test --------------------------------------------------- */

/* Each fragment appears in the output only if the byte around it went out unescaped. */
#define PAYLOAD "X<script>alert(1)</script>Y\"Z'W&V\x01\x1b[2J\x7f"
static const char *const unescaped[] = { "<script", "Y\"Z", "Z'W", "W&V", "\x01", "\x1b", "\x7f" };

static char *render_html(const json_t *report)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	scx_html_render(f, report);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_clean_html(const char *html, const char *what)
{
	if (!strstr(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"))
		fail_msg("%s: the page has no Content-Security-Policy", what);
	for (size_t i = 0; i < ARRAY_SIZE(unescaped); i++)
		if (strstr(html, unescaped[i]))
			fail_msg("%s: \"%s\" reached the page unescaped", what,
				 i < 4 ? unescaped[i] : "(control byte)");
}

/* Every string leaf (and object key) in turn: points at it, so the caller can swap it. */
struct leaf_walk {
	json_t *root;
	size_t n;
	const char *name;
};

static void mutate_each(struct leaf_walk *w, json_t *j, const char *path);

static void try_leaf(struct leaf_walk *w, const char *path)
{
	char *html = render_html(w->root);
	char what[512];

	snprintf(what, sizeof(what), "%s: %s", w->name, path);
	assert_clean_html(html, what);
	free(html);
	w->n++;
}

static void mutate_each(struct leaf_walk *w, json_t *j, const char *path)
{
	char sub[400];
	const char *key;
	json_t *v, *tmp;
	size_t i;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (json_is_string(v)) {
				json_t *old = json_incref(v);

				json_array_set_new(j, i, json_string(PAYLOAD));
				try_leaf(w, sub);
				json_array_set_new(j, i, old);
			} else {
				mutate_each(w, v, sub);
			}
		}
	} else if (json_is_object(j)) {
		/* The keys first: the object changes while we go. */
		json_t *keys = json_array();

		json_object_foreach(j, key, v)
			json_array_append_new(keys, json_string(key));
		json_array_foreach(keys, i, tmp) {
			const char *k = json_string_value(tmp);
			char mk[512];

			v = json_object_get(j, k);
			snprintf(sub, sizeof(sub), "%s.%s", path, k);
			if (json_is_string(v)) {
				json_t *old = json_incref(v);

				json_object_set_new(j, k, json_string(PAYLOAD));
				try_leaf(w, sub);
				json_object_set_new(j, k, old);
			} else {
				mutate_each(w, v, sub);
			}
			/* The key too, beside the original: tables of probes and counters print keys. */
			snprintf(mk, sizeof(mk), "%s" PAYLOAD, k);
			json_object_set(j, mk, v);
			try_leaf(w, sub);
			json_object_del(j, mk);
		}
		json_decref(keys);
	}
}

static void test_html_property(void **state)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t bundles = 0, total = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/bundles", getenv("SCX_TEST_DATA"));
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[PATH_MAX * 2], err[512];
		struct scx_bundle b;
		struct leaf_walk w = { 0 };
		char *html;

		if (!endswith(de->d_name, ".tar.zst"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (scx_bundle_read(path, &b, err, sizeof(err)) < 0)
			fail_msg("%s", err);
		w.root = json_deep_copy(b.report);
		w.name = de->d_name;
		html = render_html(w.root);
		assert_clean_html(html, de->d_name);
		free(html);
		mutate_each(&w, w.root, "");
		/* All at once too: branches that need several strings together. */
		json_decref(w.root);
		scx_bundle_free(&b);
		assert_true(w.n > 50);
		total += w.n;
		bundles++;
	}
	closedir(d);
	assert_true(bundles >= 8);
	print_message("html property: %zu fixture bundles, %zu renders, nothing unescaped\n", bundles,
		      total);
}

/* The qos scorecard page and the triage page get the same policy. */
static void test_html_other_pages(void **state)
{
	json_t *qos = json_pack("{s:{s:s, s:s, s:s, s:[{s:s, s:s, s:s}]}}", "qos", "status", "ok",
				"custom", PAYLOAD, "baseline", PAYLOAD, "results", "workload", PAYLOAD,
				"label", PAYLOAD, "verdict", PAYLOAD);
	json_t *tri = json_pack("{s:[{s:s, s:s, s:s}], s:[]}", "bundles", "scheduler", PAYLOAD,
				"version", PAYLOAD, "verdict", PAYLOAD, "refused");
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	char *html = render_html(qos);
	assert_clean_html(html, "qos scorecard");
	free(html);
	f = open_memstream(&buf, &len);
	scx_triage_render_html(f, tri);
	fclose(f);
	assert_clean_html(buf, "triage page");
	free(buf);
	json_decref(qos);
	json_decref(tri);
}

/* ---- case 6: diff text ------------------------------------------------------------------ */

static void test_diff_text_escaped(void **state)
{
	json_t *diff = json_pack("{s:{s:s, s:s}, s:{s:s}, s:[{s:s, s:s, s:s, s:s, s:s}], s:s}",
				 "a", "host", "\x1b]0;title\x07", "start", "x", "b", "host", "y",
				 "changes", "section", "sched\x1b[2J", "key", "scheduler.version\xc2\x9b",
				 "a", "1.0", "b", "2.0\x1b]52;c;cm0K\x07", "note", "\x1b[H",
				 "paired_note", "\x1b[31m");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(diff);
	scx_diff_render(f, diff, "/tmp/a\x1b[2J", "b");
	fclose(f);
	assert_null(memchr(buf, 0x1b, len));
	assert_null(memchr(buf, 0x07, len));
	assert_null(memchr(buf, 0x9b, len));
	assert_non_null(strstr(buf, "2.0\\x1b]52;c;cm0K\\x07"));
	free(buf);
	json_decref(diff);
	assert_true(scx_escape_is_binary("\x7f" "ELF\0", 5));
	assert_true(scx_escape_is_binary("caf\xe9", 4));
	assert_false(scx_escape_is_binary("text \x1b[2J\n", 10));
}

/* ---- case 1: map tokens ------------------------------------------------------------------ */

static void test_map_tokens(void **state)
{
	/* kinds: hostnames, domains, ipv4_networks, ipv6, macs, users, words */
	assert_true(scx_redact_token_valid(0, "host12"));
	assert_true(scx_redact_token_valid(1, "obfuscateddomain0"));
	assert_true(scx_redact_token_valid(2, "100.64.3"));
	assert_true(scx_redact_token_valid(3, "fd53:7878::1a"));
	assert_true(scx_redact_token_valid(4, "53:4f:53:00:01:ff"));
	assert_true(scx_redact_token_valid(5, "obfuscateduser3"));
	assert_true(scx_redact_token_valid(6, "obfuscatedword9"));
	assert_false(scx_redact_token_valid(0, "../../../../tmp/x/planted"));
	assert_false(scx_redact_token_valid(0, "host0/../x"));
	assert_false(scx_redact_token_valid(0, "host"));
	assert_false(scx_redact_token_valid(0, ""));
	assert_false(scx_redact_token_valid(6, "dmesg"));
	assert_false(scx_redact_token_valid(2, "100.64.3.1/.."));
	assert_false(scx_redact_token_valid(2, "100.1.1"));
	assert_false(scx_redact_token_valid(4, "53:4f:53:00:01:ff/"));
	assert_false(scx_redact_token_valid(3, "fd53:7878::/x"));
	assert_false(scx_redact_token_valid(5, "obfuscateduser0\n"));
}

/* ---- case 2, 5: restart safety ---------------------------------------------------------- */

static void test_script_scheduler(void **state)
{
	char dir[] = "/tmp/scx-sec-XXXXXX", script[PATH_MAX], what[PATH_MAX + 200];
	char *argv_py[] = { "/usr/bin/python3", "scx_py", "--slice", NULL };
	char *argv_ld[] = { "/lib64/ld-linux-x86-64.so.2", "/usr/bin/scx_rusty", NULL };
	char *argv_bin[] = { "/usr/bin/scx_rusty", "-v", NULL };
	struct scx_exe_pin pin;

	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof(script), "%s/scx_py", dir);
	assert_int_equal(write_file_full(script, "#!/usr/bin/python3\nprint(1)\n", 28, 0755), 0);
	/* The interpreter runs it (relative to its saved cwd): exe is python3. */
	assert_int_equal(scx_exe_runs_other_file("/usr/bin/python3.13", argv_py, dir, what,
						 sizeof(what)), 1);
	assert_non_null(strstr(what, "interpreter"));
	assert_int_equal(scx_exe_runs_other_file("/lib64/ld-linux-x86-64.so.2", argv_ld, "/", what,
						 sizeof(what)), 1);
	/* An unknown interpreter name: the "#!" file among its arguments gives it away. */
	assert_int_equal(scx_exe_runs_other_file("/opt/x/myinterp", argv_py, dir, what,
						 sizeof(what)), 1);
	assert_non_null(strstr(what, script));
	assert_int_equal(scx_exe_runs_other_file("/usr/bin/scx_rusty", argv_bin, "/", what,
						 sizeof(what)), 0);
	/* qos --against SCRIPT: the pinned file itself is a script. */
	assert_int_equal(scx_exe_pin_path(script, &pin), 0);
	assert_int_equal(scx_exe_is_script(pin.fd, script, what, sizeof(what)), 1);
	scx_exe_pin_close(&pin);
	assert_int_equal(scx_exe_pin_path("/bin/true", &pin), 0);
	assert_int_equal(scx_exe_is_script(pin.fd, "/bin/true", what, sizeof(what)), 0);
	scx_exe_pin_close(&pin);
	rm_rf(dir);
}

static void test_acl_writable(void **state)
{
	/* version 2; user::rwx, user:1000:rwx, group::r-x, mask::rwx, other::r-x */
	static const unsigned char acl[] = {
		2, 0, 0, 0,
		0x01, 0, 7, 0, 0xff, 0xff, 0xff, 0xff,
		0x02, 0, 7, 0, 0xe8, 0x03, 0, 0,
		0x04, 0, 5, 0, 0xff, 0xff, 0xff, 0xff,
		0x10, 0, 7, 0, 0xff, 0xff, 0xff, 0xff,
		0x20, 0, 5, 0, 0xff, 0xff, 0xff, 0xff,
	};
	char dir[] = "/tmp/scx-sec-XXXXXX", bin[PATH_MAX], what[PATH_MAX + 200];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(bin, sizeof(bin), "%s/scx_acl", dir);
	assert_int_equal(write_file_full(bin, "\x7f" "ELF", 4, 0755), 0);
	assert_int_equal(chmod(bin, 0755), 0);
	assert_int_equal(scx_acl_writable_by_others(bin, what, sizeof(what)), 0);
	if (setxattr(bin, "system.posix_acl_access", acl, sizeof(acl), 0) < 0) {
		rm_rf(dir);
		skip();	/* a filesystem without POSIX ACLs */
	}
	assert_int_equal(scx_acl_writable_by_others(bin, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "user 1000"));
	if (getuid() == 0 && stat(bin, &st) == 0 && st.st_uid == 0) {
		/* -rwxrwxr-x+ root root: the mode alone passed before; the ACL is seen now. */
		assert_int_equal(scx_exe_writable_by_others(bin, &st, what, sizeof(what)), 1);
		assert_non_null(strstr(what, "ACL"));
	}
	assert_int_equal(scx_fs_unbindable("/", what, sizeof(what)), 0);
	rm_rf(dir);
}

/* ---- case 4: came back ------------------------------------------------------------------- */

static pid_t run_as(const char *bin, uid_t uid)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (uid && setuid(uid) < 0)
			_exit(126);
		execl(bin, "scx_rusty", "60", (char *)NULL);
		_exit(127);
	}
	wait_exe(pid, bin);
	return pid;
}

static void stop(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static void test_came_back_by_inode_and_owner(void **state)
{
	char dir[] = "/tmp/scx-sec-XXXXXX", sched[PATH_MAX], fake[PATH_MAX];
	struct scx_switch sw = { .manager = SCX_MGR_MANUAL, .uid = getuid() };
	_cleanup_free_ char *data = NULL;
	size_t len;
	pid_t p;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(read_file_full("/bin/sleep", 0, &data, &len, NULL), 0);
	snprintf(sched, sizeof(sched), "%s/scx_rusty", dir);
	assert_int_equal(write_file_full(sched, data, len, 0755), 0);
	assert_int_equal(chmod(sched, 0755), 0);
	/* The attacker's copy of sleep, named like the scheduler. */
	snprintf(fake, sizeof(fake), "%s/fake", dir);
	assert_int_equal(mkdir(fake, 0755), 0);
	snprintf(fake, sizeof(fake), "%s/fake/scx_rusty", dir);
	assert_int_equal(write_file_full(fake, data, len, 0755), 0);
	assert_int_equal(chmod(fake, 0755), 0);
	assert_int_equal(scx_exe_pin_path(sched, &sw.exe_pin), 0);

	p = run_as(fake, getuid());
	assert_false(scx_came_back_is_holder(&sw, p));
	stop(p);
	p = run_as(sched, getuid());
	assert_true(scx_came_back_is_holder(&sw, p));
	stop(p);
	if (getuid() == 0) {
		/* The very file, run by another user: it cannot load a scheduler, it is no holder. */
		p = run_as(sched, 65534);
		assert_false(scx_came_back_is_holder(&sw, p));
		stop(p);
	}
	scx_exe_pin_close(&sw.exe_pin);
	rm_rf(dir);
}

/* ---- case 7: outputs ----------------------------------------------------------------------- */

static void test_outfile(void **state)
{
	char dir[] = "/tmp/scx-sec-XXXXXX", p[PATH_MAX], tmp[PATH_MAX];
	struct stat st;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/dev", dir);
	if (getuid() == 0) {
		assert_int_equal(mknod(p, S_IFCHR | 0666, makedev(1, 7)), 0);	/* like /dev/full */
		assert_int_equal(scx_out_check(p, true), -EPERM);
	}
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("/dev/null", p), 0);
	assert_int_equal(scx_out_check(p, true), -EPERM);
	snprintf(p, sizeof(p), "%s/out", dir);
	assert_int_equal(scx_out_check(p, false), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(scx_out_check(p, true), -EPERM);
	unlink(p);
	assert_int_equal(write_file_full(p, "x", 1, 0644), 0);
	assert_int_equal(scx_out_check(p, false), -EEXIST);
	assert_int_equal(scx_out_check(p, true), 0);
	fd = scx_out_temp(p, tmp, sizeof(tmp), 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(scx_out_commit(tmp, p, false), -EEXIST);
	assert_int_equal(scx_out_commit(tmp, p, true), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Swapped for a link between the check and the commit: refused at the commit. */
	unlink(p);
	assert_int_equal(symlink("/dev/null", p), 0);
	fd = scx_out_temp(p, tmp, sizeof(tmp), 0600);
	close(fd);
	assert_int_equal(scx_out_commit(tmp, p, true), -EPERM);
	unlink(tmp);
	rm_rf(dir);
}

/* ---- case 8: helpers ------------------------------------------------------------------------- */

static void test_helper_path_and_env(void **state)
{
	char dir[] = "/tmp/scx-sec-XXXXXX", evil[PATH_MAX], cwd[PATH_MAX];
	const char *env_argv[] = { "env", NULL };
	const char *uname_argv[] = { "uname", NULL };
	struct scx_cmd c;

	assert_non_null(mkdtemp(dir));
	snprintf(evil, sizeof(evil), "%s/uname", dir);
	assert_int_equal(write_file_full(evil, "#!/bin/sh\necho pwned\n", 21, 0755), 0);
	assert_int_equal(chmod(evil, 0755), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	setenv("PATH", ":.:/usr/bin:/bin", 1);
	setenv("LD_PRELOAD", "/tmp/evil.so.never", 1);
	setenv("SYSTEMD_EDITOR", "evil", 1);
	assert_false(scx_have_program("scx-no-such-helper"));
	assert_int_equal(scx_spawn(uname_argv, 10000, 4096, false, &c), 0);
	assert_int_equal(c.status, 0);
	assert_null(strstr(c.out, "pwned"));
	scx_cmd_done(&c);
	assert_int_equal(scx_spawn(env_argv, 10000, 65536, false, &c), 0);
	assert_non_null(strstr(c.out, "PATH=" SCX_HELPER_PATH "\n"));
	assert_null(strstr(c.out, "LD_PRELOAD"));
	assert_null(strstr(c.out, "SYSTEMD_EDITOR"));
	scx_cmd_done(&c);
	unsetenv("LD_PRELOAD");
	unsetenv("SYSTEMD_EDITOR");
	setenv("PATH", "/usr/bin:/bin", 1);
	assert_int_equal(chdir(cwd), 0);
	rm_rf(dir);
}

/* ---- case 9: redaction gaps and cost ----------------------------------------------------- */

static void test_redaction_gaps(void **state)
{
	struct scx_redact *r = scx_redact_new();
	const char mid[] = "MACHINE_ID=0123456789abcdef0123456789abcdef\n";

	scx_redact_add_hostname(r, "myhost.corp.example.com");
	scx_redact_learn(r, mid, sizeof(mid) - 1);
	/* '_' ends a host name, both ways. */
	assert_redacts(r, "/var/backups/myhost_backup.tar", "/var/backups/host0_backup.tar");
	assert_redacts(r, "nightly_myhost", "nightly_host0");
	/* An IPv4-mapped IPv6 address is one address: no octet stays. */
	assert_redacts(r, "from ::ffff:192.168.7.20 port", "from fd53:7878::1 port");
	/* Credentials in a URL. */
	assert_redacts(r, "https://bob:s3cret@git.example.org/x",
		       "https://obfuscateduser0:obfuscatedpassword@git.example.org/x");
	/* MACs in Cisco's dotted form and in interface names. */
	assert_redacts(r, "mac aabb.cc11.2233 on enxaabbcc112233",
		       "mac 53:4f:53:00:00:00 on enx534f53000000");
	/* The machine id, wherever it appears later. */
	assert_redacts(r, "boot of 0123456789abcdef0123456789abcdef", "boot of obfuscatedword0");
	/* Names in the learned domain. */
	assert_redacts(r, "ci9.corp.example.com", "host1.obfuscateddomain0");
	free(scx_redact_free(r));
}

/* 4,000 learned names over a 128 KiB member: before, 11.3 s (each name tried at every byte). */
static void test_redaction_cost(void **state)
{
	struct scx_redact *r = scx_redact_new();
	size_t len = 128 * 1024, n = 0;
	char *text = malloc(len + 1), name[32], *out;
	uint64_t t0;

	for (int i = 0; i < 4000; i++) {
		snprintf(name, sizeof(name), "user%04dx", i);
		scx_redact_add_user(r, name);
	}
	while (n + 40 < len)
		n += (size_t)snprintf(text + n, len - n, "pid %zu user%04zux at 10.1.%zu.7 ok\n", n,
				      n % 4000, n % 200);
	t0 = now_mono_ns();
	out = scx_redact_text(r, text, n, NULL);
	assert_non_null(out);
	assert_null(strstr(out, " user"));
	print_message("redaction: 4000 names, %zu bytes: %.3f s \n", n,
		      (double)(now_mono_ns() - t0) / 1e9);
	free(out);
	free(text);
	free(scx_redact_free(r));
}

/* ---- case 11: user managers ------------------------------------------------------------------ */

static void test_user_manager_unit(void **state)
{
	char unit[256];

	assert_int_equal(sched_unit_from_cgroup("/user.slice/user-1000.slice/user@1000.service/"
						"app.slice/x.service", unit, sizeof(unit)), 0);
	assert_string_equal(unit, "user@1000.service");
	assert_int_equal(sched_unit_from_cgroup("/system.slice/scx.service", unit, sizeof(unit)), 0);
	assert_string_equal(unit, "scx.service");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_tokens),
		cmocka_unit_test(test_script_scheduler),
		cmocka_unit_test(test_html_property),
		cmocka_unit_test(test_html_other_pages),
		cmocka_unit_test(test_came_back_by_inode_and_owner),
		cmocka_unit_test(test_acl_writable),
		cmocka_unit_test(test_diff_text_escaped),
		cmocka_unit_test(test_outfile),
		cmocka_unit_test(test_helper_path_and_env),
		cmocka_unit_test(test_user_manager_unit),
		cmocka_unit_test(test_redaction_gaps),
		cmocka_unit_test(test_redaction_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
