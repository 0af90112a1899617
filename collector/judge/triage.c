// SPDX-License-Identifier: GPL-2.0-or-later
/* The rows and counts of `scx-report triage` (see triage.h). */
#include "triage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "units.h"
#include "util.h"

static const char *first_str(const json_t *a, const char *pa, const json_t *b, const char *pb)
{
	return jstr(a, pa) ? jstr(a, pa) : jstr(b, pb);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The one figure that says most: the paired run's primary, else the runq p99. */
static json_t *key_figure(const json_t *r, char *text, size_t len)
{
	const json_t *ratio = jget(r, "paired.result.ratio"), *p = jget(r, "paired.result.p");
	const json_t *p99 = jget(r, "latency.runq.p99_ns");

	if (jstr(r, "paired.result.figure") && json_is_number(ratio)) {
		char rt[32], pt[32];

		scx_fmt_ratio(rt, sizeof(rt), json_number_value(ratio));
		scx_fmt_p(pt, sizeof(pt), json_is_number(p) ? json_number_value(p) : NAN);
		snprintf(text, len, "%s %s (%s)", scx_metric_words(jstr(r, "paired.result.figure")), rt,
			 pt);
		return json_pack("{s:s, s:f, s:o}", "figure", jstr(r, "paired.result.figure"), "ratio",
				 json_number_value(ratio), "p",
				 json_is_number(p) ? json_real(json_number_value(p)) : json_null());
	}
	if (json_is_number(p99)) {
		char v[32];

		format_ns(v, sizeof(v), json_number_value(p99));
		snprintf(text, len, "%s %s", scx_metric_words("latency.runq.p99_ns"), v);
		return json_pack("{s:s, s:f, s:n}", "figure", "latency.runq.p99_ns", "value",
				 json_number_value(p99), "p");
	}
	snprintf(text, len, "-");
	return json_null();
}

json_t *scx_triage_row(const char *path, const json_t *manifest, const json_t *r)
{
	const char *sched = jstr(r, "scheduler.name");
	char text[160];
	json_t *key;

	if (!sched)
		sched = jstr(r, "sched_ext.ops") ? jstr(r, "sched_ext.ops") : "none";
	key = key_figure(r, text, sizeof(text));
	return json_pack("{s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:o}", "path", path,
			 "host", str_or_null(first_str(r, "collection.hostname", manifest,
							"collection.hostname")),
			 "collected_at", str_or_null(first_str(r, "collection.start", manifest,
								"collection.start")),
			 "kernel", str_or_null(jstr(r, "host.kernel")), "scheduler", sched,
			 "version", str_or_null(jstr(r, "scheduler.version")),
			 "provenance", str_or_null(jstr(r, "scheduler.provenance")),
			 "verdict", str_or_null(jstr(r, "verdict.class")), "key_figure", text, "key", key);
}

json_t *scx_triage_row_signed(const char *path, const json_t *manifest, const json_t *r)
{
	json_t *row = scx_triage_row(path, manifest, r);

	json_object_set_new(row, "signature", str_or_null(jstr(r, "verdict.signature")));
	return row;
}

static const char *or_dash(const json_t *o, const char *k)
{
	return jstr(o, k) ? jstr(o, k) : "-";
}

static int cmp_count(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	json_int_t na = json_integer_value(json_object_get(a, "bundles"));
	json_int_t nb = json_integer_value(json_object_get(b, "bundles"));
	int c;

	if (na != nb)
		return na > nb ? -1 : 1;
	c = strcmp(or_dash(a, "scheduler"), or_dash(b, "scheduler"));
	if (!c)
		c = strcmp(or_dash(a, "version"), or_dash(b, "version"));
	return c ? c : strcmp(or_dash(a, "verdict"), or_dash(b, "verdict"));
}

json_t *scx_triage_counts(const json_t *rows)
{
	json_t *groups = json_object(), *row, *g, *out;
	json_t **v;
	const char *k;
	size_t i, n = 0;

	json_array_foreach(rows, i, row) {
		char key[512];

		/* \x1f cannot occur in a name we print: a safe separator. */
		snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", or_dash(row, "scheduler"),
			 or_dash(row, "version"), or_dash(row, "verdict"));
		g = json_object_get(groups, key);
		if (!g) {
			g = json_pack("{s:O, s:O, s:O, s:I}", "scheduler", json_object_get(row, "scheduler"),
				      "version", json_object_get(row, "version"), "verdict",
				      json_object_get(row, "verdict"), "bundles", (json_int_t)0);
			json_object_set_new(groups, key, g);
		}
		json_object_set_new(g, "bundles",
				    json_integer(json_integer_value(json_object_get(g, "bundles")) + 1));
	}
	v = calloc(json_object_size(groups) + 1, sizeof(*v));
	out = json_array();
	if (!v)
		goto out;
	json_object_foreach(groups, k, g)
		v[n++] = g;
	qsort(v, n, sizeof(*v), cmp_count);
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
out:
	json_decref(groups);
	return out;
}

json_t *scx_triage_by_signature(const json_t *rows)
{
	json_t *groups = json_object(), *row, *g, *out = json_array();
	const char *k;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *sig = or_dash(row, "signature");

		g = json_object_get(groups, sig);
		if (!g) {
			g = json_pack("{s:s, s:O, s:I}", "signature", sig, "verdict",
				      json_object_get(row, "verdict"), "bundles", (json_int_t)0);
			json_object_set_new(groups, sig, g);
		}
		json_object_set_new(g, "bundles",
				    json_integer(json_integer_value(json_object_get(g, "bundles")) + 1));
	}
	json_object_foreach(groups, k, g)
		json_array_append(out, g);
	json_decref(groups);
	/* most bundles first, then by signature: cmp_count's order on these keys */
	for (i = 1; i < json_array_size(out); i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(out, j - 1), *b = json_array_get(out, j);
			json_int_t na = json_integer_value(json_object_get(a, "bundles"));
			json_int_t nb = json_integer_value(json_object_get(b, "bundles"));

			if (na > nb || (na == nb && strcmp(or_dash(a, "signature"), or_dash(b, "signature")) <= 0))
				break;
			json_incref(a);
			json_array_set(out, j - 1, b);
			json_array_set_new(out, j, a);
		}
	return out;
}
