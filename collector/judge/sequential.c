// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sequential paired run's decision rule (sequential.h): a screening
 * look that may stop early, and the alpha left for the full design.
 * Pure: numbers in, a decision out; the run table in JSON for the caller.
 */
#include "sequential.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "stats.h"

bool scx_seq_plan_for(unsigned rounds, double alpha, struct scx_seq_plan *ret)
{
	struct scx_seq_plan p = {
		.screen_rounds = SCX_SEQ_SCREEN_ROUNDS, .alpha = alpha, .gross = SCX_SEQ_GROSS,
	};

	/*
	 * The screen spends the smallest p its size can reach (2/70 at 4 vs 4):
	 * it stops only on complete separation, and leaves the most for the
	 * full design.  That remainder must still be reachable by the full
	 * design's own test, else there is no point in screening.
	 */
	p.alpha_screen = scx_mwu_min_p(p.screen_rounds, p.screen_rounds);
	p.alpha_final = alpha - p.alpha_screen;
	if (rounds < SCX_SEQ_MIN_ROUNDS || p.alpha_final <= 0 ||
	    scx_mwu_min_p(rounds, rounds) >= p.alpha_final)
		return false;
	*ret = p;
	return true;
}

int scx_seq_screen(const struct scx_seq_plan *plan, const double *a, size_t na, const double *b,
		   size_t nb, struct scx_seq_look *ret)
{
	struct scx_seq_look l = { .p = 1, .ratio = NAN };
	struct scx_mwu m;
	double ma, mb;
	int r;

	r = scx_mann_whitney(a, na, b, nb, &m);
	if (r < 0)
		return r;
	ma = scx_median(a, na);
	mb = scx_median(b, nb);
	l.p = m.p;
	l.ratio = mb > 0 ? ma / mb : NAN;
	/* A tiny tolerance: the p of complete separation equals alpha_screen up to rounding. */
	l.separated = na >= plan->screen_rounds && nb >= plan->screen_rounds &&
		      m.p <= plan->alpha_screen * (1 + 1e-9);
	l.gross = isfinite(l.ratio) && l.ratio > 0 && fmax(l.ratio, 1 / l.ratio) >= plan->gross;
	l.decisive = l.separated && l.gross;
	l.direction = !l.decisive ? 0 : ma > mb ? 1 : -1;
	*ret = l;
	return 0;
}

json_t *scx_seq_plan_json(const struct scx_seq_plan *plan)
{
	return json_pack("{s:I, s:I, s:f, s:f, s:f, s:f, s:s}", "screen_rounds",
			 (json_int_t)plan->screen_rounds, "screen_max_duration_s",
			 (json_int_t)SCX_SEQ_SCREEN_MAX_S, "alpha", plan->alpha, "alpha_screen",
			 plan->alpha_screen, "alpha_final", plan->alpha_final, "gross_ratio", plan->gross,
			 "rule", "stop after the screening runs when the exact Mann-Whitney p <= "
			 "alpha_screen (complete separation) and the ratio of medians is beyond "
			 "gross_ratio either way; otherwise run the full design and test it at "
			 "alpha_final (alpha_screen + alpha_final = alpha)");
}

/* Values at `path` of the valid runs of one side; returns how many (all valid ones must have it). */
static size_t side_values(const json_t *runs, const char *side, const char *path, double *buf,
			  size_t max, size_t *ret_valid)
{
	const json_t *run;
	size_t i, n = 0, valid = 0;

	json_array_foreach(runs, i, run) {
		const json_t *v = jget(run, path);

		if (!json_is_true(json_object_get(run, "valid")) || strcmp(jstr(run, "side") ?: "", side))
			continue;
		valid++;
		if (n < max && json_is_number(v) && isfinite(json_number_value(v)))
			buf[n++] = json_number_value(v);
	}
	*ret_valid = valid;
	return n;
}

json_t *scx_seq_screen_json(const struct scx_seq_plan *plan, const json_t *runs, const char *a,
			    const char *b)
{
	static const struct { const char *name, *path; } figs[] = {
		{ "probe_p99_ns", "probe.p99_ns" },
		{ "workload_p99_ns", "workload.latency.p99_ns" },
	};
	size_t cap = json_array_size(runs) + 1, na = 0, nb = 0, va, vb;
	double *x = malloc(cap * sizeof(*x)), *y = malloc(cap * sizeof(*y));
	struct scx_seq_look l;
	json_t *o = NULL;
	size_t f;

	if (!x || !y)
		goto out;
	for (f = 0; f < sizeof(figs) / sizeof(figs[0]); f++) {
		na = side_values(runs, a, figs[f].path, x, cap, &va);
		nb = side_values(runs, b, figs[f].path, y, cap, &vb);
		if (na && nb && na == va && nb == vb)
			break;
	}
	if (f == sizeof(figs) / sizeof(figs[0]) || scx_seq_screen(plan, x, na, y, nb, &l) < 0) {
		o = json_pack("{s:b, s:i, s:s}", "decisive", 0, "direction", 0, "why",
			      "no figure measured in every screening run of both sides");
		goto out;
	}
	o = json_pack("{s:s, s:s, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:b, s:b, s:b, s:i}",
		      "figure", figs[f].name, "path", figs[f].path, "n_a", (json_int_t)na,
		      "n_b", (json_int_t)nb, "median_a", scx_median(x, na), "median_b", scx_median(y, nb),
		      "p", l.p, "alpha_screen", plan->alpha_screen, "gross_ratio", plan->gross,
		      "separated", l.separated, "gross", l.gross, "decisive", l.decisive,
		      "direction", l.direction);
	json_object_set_new(o, "a", json_string(a));
	json_object_set_new(o, "b", json_string(b));
	json_object_set_new(o, "ratio", isfinite(l.ratio) ? json_real(l.ratio) : json_null());
	json_object_set_new(o, "why", json_string(
		l.decisive ? "every screening run of one side lies beyond every run of the other and "
			     "the medians differ by more than the gross ratio: decided early" :
		!l.separated ? "the screening runs of the two sides overlap: the full design runs" :
			       "the screening runs separate, but by less than the gross ratio: the "
			       "full design runs"));
out:
	free(x);
	free(y);
	return o;
}
