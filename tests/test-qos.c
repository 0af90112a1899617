// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QoS scorecard on synthetic run tables: the row verdicts by the paired
 * run's rules (p, too few runs, bucket error, noise floor, tolerance,
 * direction), the counts, the --fail-on gates, and the text rendering.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util.h"

#include "model.h"
#include "qos.h"
#include "qos-scorecard.h"
#include "guarded-switch.h"

static void test_classify(void **state)
{
	const char *why;

	/* 5 vs 5, fully separated: p = 0.0079, min_p = 0.0079. */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 1.5, NAN, 5, 0, &why), "worse");
	assert_string_equal(scx_qos_classify(SCX_QOS_HIGHER, 0.0079, 0.0079, 1.5, NAN, 5, 0, &why), "better");
	assert_string_equal(scx_qos_classify(SCX_QOS_HIGHER, 0.0079, 0.0079, 0.5, NAN, 5, 0, &why), "worse");
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 0.5, NAN, 5, 0, &why), "better");
	/* Not significant. */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.31, 0.0079, 1.5, NAN, 5, 0, &why), "same");
	/* 3 vs 3 can never reach p < 0.05. */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.1, 0.1, 3, NAN, 5, 0, &why), "inconclusive");
	assert_string_equal(why, "too few runs for p < 0.05");
	/* Significant, but within the bucket error (1.6%). */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 1.01, NAN, 5, 0, &why), "same");
	/* Significant, beyond the bucket error, within a 20% noise floor: inconclusive. */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 1.15, 0.2, 5, 0, &why),
			    "inconclusive");
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 1 / 1.15, 0.2, 5, 0, &why),
			    "inconclusive");
	/* ... and beyond it. */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 1.3, 0.2, 5, 0, &why), "worse");
	/* Medians within the figure's tolerance: same, whatever p says. */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 2, NAN, 0.004, 0.02, &why), "same");
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, 2, NAN, 0.2, 0.02, &why), "worse");
	/* No ratio (a zero median, a missing side). */
	assert_string_equal(scx_qos_classify(SCX_QOS_LOWER, 0.0079, 0.0079, NAN, NAN, 5, 0, &why),
			    "inconclusive");
	assert_string_equal(scx_qos_classify(SCX_QOS_INFO, 0.0079, 0.0079, 2, NAN, 5, 0, &why), "info");
}

/* A run of workload wl on side with figures built from v. */
static json_t *run(const char *side, const char *wl, double p99, double per_s, double jain)
{
	return json_pack("{s:s, s:s, s:b, s:{s:{s:f}, s:{s:f}, s:{s:f}}}", "side", side, "workload",
			 wl, "valid", 1, "figures", "latency", "p99_ns", p99, "throughput", "per_s",
			 per_s, "fairness", "jain_index", jain);
}

/* 5 rounds: custom p99 twice the baseline's, throughput equal-ish, cpu fairness equal. */
static json_t *synthetic(double custom_factor, bool calibrate)
{
	json_t *qos = json_pack("{s:s, s:s, s:s, s:I, s:f, s:b, s:[s, s]}", "status", "done",
				"ops", "slow", "baseline", "default", "rounds", (json_int_t)5,
				"duration_s", 1.0, "calibrate", calibrate, "workloads", "mixed", "cpu");
	json_t *runs = json_array();

	for (int i = 0; i < 5; i++) {
		json_array_append_new(runs, run("custom", "mixed", custom_factor * (1000 + 10 * i),
						1000 + (i % 2 ? 7 : -7) * i, 0.99));
		json_array_append_new(runs, run("baseline", "mixed", 1000 + 10 * i + 5, 1000 + 5 * i, 0.99));
		if (calibrate)
			json_array_append_new(runs, run("calibration", "mixed", 1000 + 10 * i + 3,
							1000 - 5 * i, 0.99));
		json_array_append_new(runs, run("custom", "cpu", 0, 5000 + i, 0.95 + 0.001 * i));
		json_array_append_new(runs, run("baseline", "cpu", 0, 5000 - i, 0.96 + 0.001 * i));
	}
	/* A dropped run never counts. */
	json_array_append_new(runs, json_pack("{s:s, s:s, s:b, s:{s:{s:f}}}", "side", "custom",
					      "workload", "mixed", "valid", 0, "figures", "latency",
					      "p99_ns", 1.0));
	json_object_set_new(qos, "runs", runs);
	json_object_set_new(qos, "figures", scx_qos_figures_json(json_object_get(qos, "workloads")));
	return qos;
}

static const json_t *find_row(const json_t *qos, const char *wl, const char *fig)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(qos, "rows"), i, r)
		if (!strcmp(jstr(r, "workload"), wl) && !strcmp(jstr(r, "figure"), fig))
			return r;
	return NULL;
}

static void test_analyze(void **state)
{
	json_t *qos = synthetic(2.0, true);
	const json_t *r;

	scx_qos_analyze(qos);
	r = find_row(qos, "mixed", "p99_ns");
	assert_non_null(r);
	assert_string_equal(jstr(r, "verdict"), "worse");
	assert_int_equal(json_integer_value(json_object_get(r, "n_custom")), 5);	/* not the dropped one */
	assert_int_equal(json_integer_value(json_object_get(r, "n_calibration")), 5);
	assert_float_equal(json_real_value(json_object_get(r, "custom")), 2 * 1020, 1e-9);
	assert_float_equal(json_real_value(json_object_get(r, "baseline")), 1025, 1e-9);
	assert_float_equal(json_real_value(json_object_get(r, "p")), 0.0079, 0.0001);
	assert_true(json_real_value(json_object_get(r, "ci95_low")) > 1.9);
	assert_true(json_real_value(json_object_get(r, "noise_floor")) < 0.01);
	assert_string_equal(jstr(r, "leans"), "worse");
	/* Throughput within a percent: not significant or within the bucket error. */
	r = find_row(qos, "mixed", "per_s");
	assert_string_equal(jstr(r, "verdict"), "same");
	/* Jain 0.952 vs 0.962: inside the 0.01 tolerance. */
	r = find_row(qos, "cpu", "jain");
	assert_string_equal(jstr(r, "verdict"), "same");
	/* cpu throughput 5002 vs 4998 is significant (p = 0.0079) but within the bucket error. */
	r = find_row(qos, "cpu", "per_s");
	assert_string_equal(jstr(r, "verdict"), "same");
	/* cpu has no calibration runs: no noise floor, the threshold is the bucket error. */
	assert_true(json_is_null(json_object_get(r, "noise_floor")));
	assert_int_equal(json_integer_value(jget(qos, "counts.worse")), 1);
	assert_true(scx_qos_gate(qos, "regression"));
	assert_true(scx_qos_gate(qos, "any-worse"));
	assert_false(scx_qos_gate(qos, NULL));
	json_decref(qos);
}

static void test_gates(void **state)
{
	json_t *same = synthetic(1.0, true), *better = synthetic(0.5, true);
	json_t *lean = json_pack("{s:[{s:s, s:s}]}", "rows", "verdict", "inconclusive", "leans", "worse");

	scx_qos_analyze(same);
	scx_qos_analyze(better);
	assert_false(scx_qos_gate(same, "regression"));
	assert_string_equal(jstr(find_row(better, "mixed", "p99_ns"), "verdict"), "better");
	assert_false(scx_qos_gate(better, "regression"));
	assert_false(scx_qos_gate(better, "any-worse"));
	/* Leaning worse inside the noise floor: only any-worse fails. */
	assert_false(scx_qos_gate(lean, "regression"));
	assert_true(scx_qos_gate(lean, "any-worse"));
	json_decref(same);
	json_decref(better);
	json_decref(lean);
}

static void test_text(void **state)
{
	json_t *qos = synthetic(2.0, true);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	scx_qos_analyze(qos);
	json_object_set_new(qos, "skipped", json_pack("[{s:s, s:s}]", "workload", "cgroup",
						      "reason", "no cgroup v2 hierarchy on /sys/fs/cgroup"));
	scx_qos_scorecard_text(f, qos);
	fclose(f);
	assert_non_null(strstr(buf, "QoS scorecard: slow vs the default scheduler"));
	assert_non_null(strstr(buf, "1 ms tick lateness p99 under CPU hogs"));
	assert_non_null(strstr(buf, "2.04 us"));		/* custom median 2040 ns */
	assert_non_null(strstr(buf, "0.0079"));
	assert_non_null(strstr(buf, "1.01k/s"));		/* mixed baseline throughput median 1010 */
	assert_non_null(strstr(buf, "Rows: 1 worse, 0 better"));
	assert_non_null(strstr(buf, "Skipped cgroup: no cgroup v2"));
	free(buf);
	json_decref(qos);
}

static void test_html(void **state)
{
	json_t *qos = synthetic(2.0, true);
	char *buf = NULL, *row, *end;
	size_t len = 0, dots = 0;
	FILE *f = open_memstream(&buf, &len);

	scx_qos_analyze(qos);
	json_object_set_new(qos, "ops", json_string("a<b"));
	scx_qos_scorecard_html(f, qos);
	fclose(f);
	assert_non_null(strstr(buf, "a&lt;b vs the default scheduler"));
	assert_null(strstr(buf, "a<b"));
	/* The tick row: one dot per valid run, 5 per side (the invalid run is not drawn). */
	row = strstr(buf, "1 ms tick lateness p99");
	assert_non_null(row);
	end = strstr(row, "</tr>");
	for (char *p = row; (p = strstr(p, "<circle")) && p < end; p++)
		dots++;
	assert_int_equal(dots, 15);
	assert_non_null(strstr(row, ": 2000</title>"));	/* custom, first round */
	free(buf);
	json_decref(qos);
}

static void test_battery_table(void **state)
{
	static const char *const names[] = { "wakeup", "mixed", "pipe", "fork", "messaging", "cpu",
					     "nice", "cgroup" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct scx_qos_workload *w = scx_qos_workload_find(names[i]);

		assert_non_null(w);
		assert_non_null(w->figures[0].name);
	}
	assert_null(scx_qos_workload_find("nope"));
	assert_int_equal(scx_qos_suite_find("quick")->rounds, 5);
	assert_null(scx_qos_suite_find("medium"));
}

static void test_against(void **state)
{
	char *env[] = { "PATH=/usr/bin", NULL };
	struct scx_switch custom = { .manager = SCX_MGR_SYSTEMD, .unit = "scx.service", .ops = "fifo",
				     .env = env, .cwd = "/root", .uid = 0, .start_timeout_ms = 30000 };
	struct scx_switch *o = NULL;
	char why[256] = "";

	assert_int_equal(scx_switch_prepare_other(&custom, "scx_slow", &o, why, sizeof(why)), 0);
	assert_string_equal(o->unit, "scx.service");
	assert_string_equal(o->env_override, "SCX_SCHEDULER_OVERRIDE=scx_slow");
	assert_string_equal(o->ops, "");	/* learned at its first start */
	o = scx_switch_free(o);

	/* By hand: the named command is found now, pinned and hashed (restart safety). */
	custom.manager = SCX_MGR_MANUAL;
	custom.uid = getuid();
	{
		char dir[] = "/tmp/scx-qos-against.XXXXXX", bin[PATH_MAX], cmd[PATH_MAX + 8];
		char path_env[PATH_MAX + 8];
		char *env2[] = { path_env, NULL };

		assert_non_null(mkdtemp(dir));
		snprintf(bin, sizeof(bin), "%s/scx_simple", dir);
		/* A binary (a script's interpreter is not pinned with it: refused as root). */
		{
			char *data = NULL;
			size_t len = 0;

			assert_int_equal(read_file_full("/bin/true", 0, &data, &len, NULL), 0);
			assert_int_equal(write_file_full(bin, data, len, 0755), 0);
			free(data);
		}
		assert_int_equal(chmod(bin, 0755), 0);

		snprintf(cmd, sizeof(cmd), " %s  -v ", bin);
		assert_int_equal(scx_switch_prepare_other(&custom, cmd, &o, why, sizeof(why)), 0);
		assert_string_equal(o->argv[0], bin);
		assert_string_equal(o->argv[1], "-v");
		assert_null(o->argv[2]);
		assert_string_equal(o->env[0], "PATH=/usr/bin");
		assert_string_equal(o->cwd, "/root");
		assert_string_equal(o->exe, bin);
		assert_true(o->exe_pin.fd >= 0);
		assert_int_equal(strlen(o->sha256), 64);
		o = scx_switch_free(o);

		/* A bare name: from the scheduler's PATH. */
		snprintf(path_env, sizeof(path_env), "PATH=/nonexistent:%s", dir);
		custom.env = env2;
		assert_int_equal(scx_switch_prepare_other(&custom, "scx_simple", &o, why, sizeof(why)), 0);
		assert_string_equal(o->exe, bin);
		o = scx_switch_free(o);
		assert_int_equal(scx_switch_prepare_other(&custom, "scx_absent", &o, why, sizeof(why)),
				 -EOPNOTSUPP);
		assert_non_null(strstr(why, "no executable 'scx_absent'"));

		/* As root, a folder everyone may write is refused. */
		if (getuid() == 0) {
			custom.uid = 0;
			assert_int_equal(chmod(dir, 0777), 0);
			assert_int_equal(scx_switch_prepare_other(&custom, bin, &o, why, sizeof(why)),
					 -EOPNOTSUPP);
			assert_non_null(strstr(why, "refusing to run"));
		}
		custom.env = env;
		unlink(bin);
		rmdir(dir);
	}
	assert_int_equal(scx_switch_prepare_other(&custom, "   ", &o, why, sizeof(why)), -EOPNOTSUPP);

	custom.manager = SCX_MGR_LOADER;
	assert_int_equal(scx_switch_prepare_other(&custom, "scx_lavd", &o, why, sizeof(why)), 0);
	assert_string_equal(o->loader_sched, "scx_lavd");
	o = scx_switch_free(o);

	custom.manager = SCX_MGR_OPENRC;
	assert_int_equal(scx_switch_prepare_other(&custom, "scx_lavd", &o, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "OpenRC"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_analyze),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_battery_table),
		cmocka_unit_test(test_against),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
