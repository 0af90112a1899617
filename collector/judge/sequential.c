// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sequential paired run's decision rule (sequential.h): two screening
 * looks that may stop early, and the alpha left for the full design.
 * Pure: numbers in, a decision out; the run table in JSON for the caller.
 */
#include "sequential.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "stats.h"

double scx_seq_trimmed_p(size_t m, size_t k)
{
	/* scx_mwu_min_p is 2/C(m+k,k): one arrangement per direction; here there are mk+1. */
	return fmin(1.0, ((double)m * (double)k + 1) * scx_mwu_min_p(m, k));
}

bool scx_seq_plan_for(unsigned rounds, double alpha, struct scx_seq_plan *ret)
{
	struct scx_seq_plan p = {
		.screen_rounds = SCX_SEQ_SCREEN_ROUNDS, .extended_rounds = SCX_SEQ_EXTENDED_ROUNDS,
		.alpha = alpha, .gross = SCX_SEQ_GROSS,
	};

	/*
	 * Each look spends the smallest p its rule can reach: look 1 stops only
	 * on complete separation, look 2 only on a separation with one run per
	 * side set aside.  What is left must still be reachable by the full
	 * design's own test, else there is no point in screening.
	 */
	p.alpha_screen = scx_mwu_min_p(p.screen_rounds, p.screen_rounds);
	p.alpha_extended = scx_seq_trimmed_p(p.extended_rounds, p.extended_rounds);
	p.alpha_final = alpha - p.alpha_screen - p.alpha_extended;
	if (rounds < SCX_SEQ_MIN_ROUNDS || p.alpha_final <= 0 ||
	    scx_mwu_min_p(rounds, rounds) >= p.alpha_final)
		return false;
	*ret = p;
	return true;
}

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Every value of `hi` but its lowest above every value of `lo` but its highest (strictly). */
static bool trimmed_above(const double *hi, size_t nh, const double *lo, size_t nl)
{
	double *h = malloc(nh * sizeof(*h)), *l = malloc(nl * sizeof(*l));
	bool above = false;

	if (h && l && nh >= 2 && nl >= 2) {
		memcpy(h, hi, nh * sizeof(*h));
		memcpy(l, lo, nl * sizeof(*l));
		qsort(h, nh, sizeof(*h), cmp_dbl);
		qsort(l, nl, sizeof(*l), cmp_dbl);
		above = h[1] > l[nl - 2];
	}
	free(h);
	free(l);
	return above;
}

int scx_seq_screen(const struct scx_seq_plan *plan, unsigned look, const double *a, size_t na,
		   const double *b, size_t nb, struct scx_seq_look *ret)
{
	struct scx_seq_look l = { .look = look, .p = 1, .ratio = NAN };
	unsigned need = look == 1 ? plan->screen_rounds : plan->extended_rounds;
	struct scx_mwu m;
	double ma, mb;
	int r;

	if ((look != 1 && look != 2) || !na || !nb)
		return -EINVAL;
	for (size_t i = 0; i < na || i < nb; i++)
		if ((i < na && !isfinite(a[i])) || (i < nb && !isfinite(b[i])))
			return -EINVAL;
	/* Look 2 needs no rank sums, only the order at its two boundaries. */
	if (look == 1 && (r = scx_mann_whitney(a, na, b, nb, &m)) < 0)
		return r;
	ma = scx_median(a, na);
	mb = scx_median(b, nb);
	l.ratio = mb > 0 ? ma / mb : NAN;
	l.gross = isfinite(l.ratio) && l.ratio > 0 && fmax(l.ratio, 1 / l.ratio) >= plan->gross;
	if (look == 1) {
		l.p = m.p;
		/* A tiny tolerance: the p of complete separation equals alpha_screen up to rounding. */
		l.separated = na >= need && nb >= need && m.p <= plan->alpha_screen * (1 + 1e-9);
	} else {
		l.separated = na >= need && nb >= need &&
			      (ma > mb ? trimmed_above(a, na, b, nb) : trimmed_above(b, nb, a, na));
		l.p = l.separated ? scx_seq_trimmed_p(na, nb) : 1;
		l.separated = l.separated && l.p <= plan->alpha_extended * (1 + 1e-9);
	}
	l.decisive = l.separated && l.gross;
	l.direction = !l.decisive ? 0 : ma > mb ? 1 : -1;
	l.extend = look == 1 && !l.decisive && l.gross && na >= need && nb >= need;
	*ret = l;
	return 0;
}

json_t *scx_seq_plan_json(const struct scx_seq_plan *plan)
{
	return json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:s}", "screen_rounds",
			 (json_int_t)plan->screen_rounds, "extended_rounds",
			 (json_int_t)plan->extended_rounds, "screen_max_duration_s",
			 (json_int_t)SCX_SEQ_SCREEN_MAX_S, "alpha", plan->alpha, "alpha_screen",
			 plan->alpha_screen, "alpha_extended", plan->alpha_extended, "alpha_final",
			 plan->alpha_final, "gross_ratio", plan->gross,
			 "rule", "stop after screen_rounds runs per side when every run of one side lies "
			 "beyond every run of the other (exact Mann-Whitney p <= alpha_screen) and the "
			 "ratio of medians is beyond gross_ratio either way; when the medians are that far "
			 "apart but the runs overlap, screen up to extended_rounds runs per side and stop "
			 "when they separate with each side's one run nearest the other set aside (exact "
			 "p <= alpha_extended) and the medians are still that far apart; otherwise run "
			 "the full design and test it at alpha_final (alpha_screen + alpha_extended + "
			 "alpha_final = alpha)");
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

json_t *scx_seq_screen_json(const struct scx_seq_plan *plan, unsigned look, const json_t *runs,
			    const char *a, const char *b)
{
	static const struct { const char *name, *path; } figs[] = {
		{ "probe_p99_ns", "probe.p99_ns" },
		{ "workload_p99_ns", "workload.latency.p99_ns" },
	};
	size_t cap = json_array_size(runs) + 1, na = 0, nb = 0, va, vb;
	double *x = malloc(cap * sizeof(*x)), *y = malloc(cap * sizeof(*y));
	struct scx_seq_look l;
	json_t *o = NULL;
	const char *why;
	size_t f;

	if (!x || !y)
		goto out;
	for (f = 0; f < sizeof(figs) / sizeof(figs[0]); f++) {
		na = side_values(runs, a, figs[f].path, x, cap, &va);
		nb = side_values(runs, b, figs[f].path, y, cap, &vb);
		if (na && nb && na == va && nb == vb)
			break;
	}
	if (f == sizeof(figs) / sizeof(figs[0]) || scx_seq_screen(plan, look, x, na, y, nb, &l) < 0) {
		o = json_pack("{s:i, s:b, s:i, s:b, s:s}", "look", (int)look, "decisive", 0,
			      "direction", 0, "extend", 0, "why",
			      "no figure measured in every screening run of both sides");
		goto out;
	}
	o = json_pack("{s:i, s:s, s:s, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:b, s:b, s:b, s:i, s:b}",
		      "look", (int)look, "figure", figs[f].name, "path", figs[f].path,
		      "n_a", (json_int_t)na, "n_b", (json_int_t)nb, "median_a", scx_median(x, na),
		      "median_b", scx_median(y, nb), "p", l.p,
		      "alpha_look", look == 1 ? plan->alpha_screen : plan->alpha_extended,
		      "gross_ratio", plan->gross, "separated", l.separated, "gross", l.gross,
		      "decisive", l.decisive, "direction", l.direction, "extend", l.extend);
	json_object_set_new(o, "a", json_string(a));
	json_object_set_new(o, "b", json_string(b));
	json_object_set_new(o, "ratio", isfinite(l.ratio) ? json_real(l.ratio) : json_null());
	if (l.decisive)
		why = look == 1 ? "every screening run of one side lies beyond every run of the other "
				  "and the medians differ by more than the gross ratio: decided early" :
				  "with each side's one run nearest the other set aside, every screening "
				  "run of one side lies beyond every run of the other and the medians "
				  "differ by more than the gross ratio: decided early at the second look";
	else if (l.extend)
		why = "the medians differ by more than the gross ratio but the screening runs overlap "
		      "(an outlier): more screening runs for the second, trimmed look";
	else if (!l.gross)
		why = "the medians of the screening runs differ by less than the gross ratio: the full "
		      "design runs";
	else
		why = look == 1 ? "the screening runs of the two sides overlap: the full design runs" :
				  "the screening runs overlap even with one run per side set aside: "
				  "the full design runs";
	json_object_set_new(o, "why", json_string(why));
out:
	free(x);
	free(y);
	return o;
}
