// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who holds the scheduler's BPF objects, asked of the kernel: the
 * task_file iterator of bpf/holders.bpf.c lists every BPF map, program and
 * link fd of every process in one read, in a few milliseconds where the
 * /proc walk (holders.c) takes a second per 10,000 processes.
 *
 * Kernel interfaces: BPF iterators of type task_file (5.8), BTF and CO-RE.
 * Root only (CAP_BPF + CAP_PERFMON to load, and to see every process).
 * Any failure to load or attach returns -errno and the caller walks /proc.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "holders.h"
#include "identity.h"
#include "holders.skel.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool id_listed(const uint32_t *ids, unsigned n, uint32_t id)
{
	for (unsigned i = 0; id && i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* The holder entry of pid in holders, created at the end when new (records come per process). */
static json_t *holder_of(json_t *holders, unsigned pid)
{
	json_t *last = json_array_get(holders, json_array_size(holders) ? json_array_size(holders) - 1 : 0);
	json_t *h;

	if (last && json_integer_value(json_object_get(last, "pid")) == (json_int_t)pid)
		return json_object_get(last, "fds");
	h = json_pack("{s:I, s:[]}", "pid", (json_int_t)pid, "fds");
	json_array_append_new(holders, h);
	return json_object_get(h, "fds");
}

static void add_record(json_t *holders, const struct sched_bpf_ids *ids, const struct holder_rec *r)
{
	static const char *const key[] = { [HOLDER_MAP] = "map_id", [HOLDER_PROG] = "prog_id",
					   [HOLDER_LINK] = "link_id" };
	bool hit = (r->kind == HOLDER_MAP && id_listed(ids->map_ids, ids->n_maps, r->id)) ||
		   (r->kind == HOLDER_PROG && id_listed(ids->prog_ids, ids->n_progs, r->id)) ||
		   (r->kind == HOLDER_LINK && id_listed(ids->link_ids, ids->n_links, r->id));

	if (hit)
		json_array_append_new(holder_of(holders, r->pid),
				      json_pack("{s:I, s:I}", "fd", (json_int_t)r->fd, key[r->kind],
						(json_int_t)r->id));
}

int sched_holders_iter(const struct sched_bpf_ids *ids, json_t **ret_holders)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	struct holders_bpf *skel = holders_bpf__open_and_load();
	struct bpf_link *link = NULL;
	json_t *holders = NULL;
	struct holder_rec recs[256];
	int it = -1, r;
	ssize_t n;

	if (!skel) {
		r = -errno;
		goto out;
	}
	link = bpf_program__attach_iter(skel->progs.holders, NULL);
	if (!link) {
		r = -errno;
		goto out;
	}
	it = bpf_iter_create(bpf_link__fd(link));
	if (it < 0) {
		r = -errno;
		goto out;
	}
	holders = json_array();
	/* Whole records only: the iterator never splits one across reads. */
	while ((n = read(it, recs, sizeof(recs))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(recs[0]); i++)
			if (recs[i].kind >= HOLDER_MAP && recs[i].kind <= HOLDER_LINK)
				add_record(holders, ids, &recs[i]);
	if (n < 0) {
		r = -errno;
		goto out;
	}
	*ret_holders = holders;
	holders = NULL;
	r = 0;
out:
	json_decref(holders);
	if (it >= 0)
		close(it);
	bpf_link__destroy(link);
	holders_bpf__destroy(skel);
	libbpf_set_print(old);
	return r;
}
