// SPDX-License-Identifier: GPL-2.0-or-later
/* Statistics of the paired run: see stats.h. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double *sorted_copy(const double *v, size_t n)
{
	double *s = malloc(n * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

static double percentile_sorted(const double *s, size_t n, double q)
{
	double pos, frac;
	size_t i;

	if (q <= 0)
		return s[0];
	if (q >= 1)
		return s[n - 1];
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	return i + 1 < n ? s[i] + frac * (s[i + 1] - s[i]) : s[i];
}

double scx_percentile(const double *v, size_t n, double q)
{
	double *s, r;

	if (!n || !(s = sorted_copy(v, n)))
		return NAN;
	r = percentile_sorted(s, n, q);
	free(s);
	return r;
}

double scx_median(const double *v, size_t n)
{
	return scx_percentile(v, n, 0.5);
}

/* ---- Mann-Whitney U ---------------------------------------------------- */

struct tagged {
	double v;
	int side;	/* 0: a, 1: b */
};

static int cmp_tagged(const void *x, const void *y)
{
	return cmp_double(&((const struct tagged *)x)->v, &((const struct tagged *)y)->v);
}

double scx_mwu_min_p(size_t na, size_t nb)
{
	double c = 1;

	/* C(na+nb, na), built up so it stays exact in a double for our sizes */
	for (size_t k = 1; k <= na; k++)
		c = c * (double)(nb + k) / (double)k;
	return fmin(1.0, 2.0 / c);
}

/*
 * The exact permutation distribution of the sum of doubled midranks of a
 * subset of size na: cnt[k][s] counts the subsets of the first i items of
 * size k and sum s, built item by item (k descending, in place).
 */
static int exact_p(const unsigned *r2, size_t n, size_t na, unsigned long w2, double *ret_p)
{
	unsigned long total_sum = 0, mean2, dobs;
	double *cnt, total = 0, tail = 0;
	size_t stride;

	for (size_t i = 0; i < n; i++)
		total_sum += r2[i];
	stride = total_sum + 1;
	cnt = calloc((na + 1) * stride, sizeof(*cnt));
	if (!cnt)
		return -ENOMEM;
	cnt[0] = 1;
	for (size_t i = 0; i < n; i++)
		for (size_t k = (i + 1 < na ? i + 1 : na); k >= 1; k--)
			for (unsigned long s = total_sum; s >= r2[i]; s--)
				cnt[k * stride + s] += cnt[(k - 1) * stride + s - r2[i]];
	mean2 = (unsigned long)na * (n + 1);	/* E[sum of doubled ranks] */
	dobs = w2 > mean2 ? w2 - mean2 : mean2 - w2;
	for (unsigned long s = 0; s <= total_sum; s++) {
		double c = cnt[na * stride + s];
		unsigned long d = s > mean2 ? s - mean2 : mean2 - s;

		total += c;
		if (d >= dobs)
			tail += c;
	}
	free(cnt);
	*ret_p = fmin(1.0, tail / total);
	return 0;
}

int scx_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct scx_mwu *ret)
{
	size_t n = na + nb, i, j;
	struct tagged *t;
	unsigned *r2;
	unsigned long w2 = 0;
	double tie_term = 0;
	struct scx_mwu m = { 0 };
	int r = 0;

	if (!na || !nb)
		return -EINVAL;
	for (i = 0; i < na; i++)
		if (!isfinite(a[i]))
			return -EINVAL;
	for (i = 0; i < nb; i++)
		if (!isfinite(b[i]))
			return -EINVAL;
	t = malloc(n * sizeof(*t));
	r2 = malloc(n * sizeof(*r2));
	if (!t || !r2) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < na; i++)
		t[i] = (struct tagged){ a[i], 0 };
	for (i = 0; i < nb; i++)
		t[na + i] = (struct tagged){ b[i], 1 };
	qsort(t, n, sizeof(*t), cmp_tagged);
	/* Doubled midranks: a tie group at 0-based positions i..j has rank (i+j+2)/2. */
	for (i = 0; i < n; i = j + 1) {
		double g;

		for (j = i; j + 1 < n && t[j + 1].v == t[i].v; j++)
			;
		for (size_t k = i; k <= j; k++) {
			r2[k] = (unsigned)(i + j + 2);
			if (t[k].side == 0)
				w2 += r2[k];
		}
		g = (double)(j - i + 1);
		if (j > i)
			m.ties = true;
		tie_term += g * g * g - g;
	}
	m.u_a = (double)w2 / 2.0 - (double)na * (double)(na + 1) / 2.0;
	if (na <= SCX_MWU_EXACT_MAX && nb <= SCX_MWU_EXACT_MAX) {
		r = exact_p(r2, n, na, w2, &m.p);
		m.exact = true;
	} else {
		double mu = (double)na * (double)nb / 2.0;
		double var = (double)na * (double)nb / 12.0 *
			     ((double)(n + 1) - tie_term / ((double)n * (double)(n - 1)));
		double z = var > 0 ? fmax(0.0, fabs(m.u_a - mu) - 0.5) / sqrt(var) : 0;

		m.p = var > 0 ? fmin(1.0, erfc(z / M_SQRT2)) : 1.0;
	}
	if (r >= 0)
		*ret = m;
out:
	free(t);
	free(r2);
	return r;
}

/* ---- Fisher's exact test ----------------------------------------------- */

static double log_choose(unsigned n, unsigned k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

int scx_fisher_exact(unsigned fail_a, unsigned n_a, unsigned fail_b, unsigned n_b, double *ret_p)
{
	unsigned fails = fail_a + fail_b, n = n_a + n_b, lo, hi;
	double p_obs, p = 0;

	if (fail_a > n_a || fail_b > n_b || !n)
		return -EINVAL;
	lo = fails > n_b ? fails - n_b : 0;
	hi = fails < n_a ? fails : n_a;
	p_obs = exp(log_choose(n_a, fail_a) + log_choose(n_b, fail_b) - log_choose(n, fails));
	for (unsigned x = lo; x <= hi; x++) {
		double px = exp(log_choose(n_a, x) + log_choose(n_b, fails - x) - log_choose(n, fails));

		if (px <= p_obs * (1 + 1e-7))
			p += px;
	}
	*ret_p = fmin(1.0, p);
	return 0;
}

/* ---- PRNG and bootstrap -------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void scx_rng_seed(struct scx_rng *rng, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t scx_rng_next(struct scx_rng *rng)
{
	uint64_t *s = rng->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t scx_rng_below(struct scx_rng *rng, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = scx_rng_next(rng);
	while (x >= limit);
	return x % n;
}

static double resampled_median(struct scx_rng *rng, const double *v, size_t n, double *buf)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = v[scx_rng_below(rng, n)];
	qsort(buf, n, sizeof(*buf), cmp_double);
	return percentile_sorted(buf, n, 0.5);
}

int scx_bootstrap_median_ratio(const double *a, size_t na, const double *b, size_t nb,
			       unsigned resamples, uint64_t seed, double level,
			       struct scx_ratio_ci *ret)
{
	double ma = scx_median(a, na), mb = scx_median(b, nb), *ratios, *buf;
	struct scx_rng rng;
	unsigned k = 0;

	if (!na || !nb || !resamples || !(level > 0 && level < 1))
		return -EINVAL;
	if (mb == 0)
		return -EDOM;
	ratios = malloc(resamples * sizeof(*ratios));
	buf = malloc((na > nb ? na : nb) * sizeof(*buf));
	if (!ratios || !buf) {
		free(ratios);
		free(buf);
		return -ENOMEM;
	}
	scx_rng_seed(&rng, seed);
	for (unsigned i = 0; i < resamples; i++) {
		double x = resampled_median(&rng, a, na, buf);
		double y = resampled_median(&rng, b, nb, buf);

		if (y != 0 && isfinite(x / y))
			ratios[k++] = x / y;
	}
	qsort(ratios, k, sizeof(*ratios), cmp_double);
	ret->ratio = ma / mb;
	ret->lo = k ? percentile_sorted(ratios, k, (1 - level) / 2) : NAN;
	ret->hi = k ? percentile_sorted(ratios, k, 1 - (1 - level) / 2) : NAN;
	ret->resamples = k;
	free(ratios);
	free(buf);
	return 0;
}
