// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler as the kernel sees it: a BPF struct_ops map whose kernel
 * value type is `struct bpf_struct_ops_sched_ext_ops` (sched_ext, 6.12).
 *
 * Interfaces: BPF_MAP_GET_NEXT_ID / BPF_PROG_GET_NEXT_ID (4.13),
 * BPF_LINK_GET_NEXT_ID (5.8), BPF_OBJ_GET_INFO_BY_FD; bpf_map_info's
 * btf_vmlinux_value_type_id (5.6) compared with the vmlinux BTF id of
 * bpf_struct_ops_sched_ext_ops (/sys/kernel/btf/vmlinux, libbpf).  The map's
 * value, read with a lookup of key 0 (5.6), holds the program ids in the
 * function pointer slots and ops.name.  Links of type struct_ops name their
 * map (bpf_link_info.struct_ops.map_id, 6.4).  run_cnt / run_time_ns are
 * non-zero only with kernel.bpf_stats_enabled.  Objects that vanish between
 * listing and opening (ENOENT) are skipped, as bpftool does.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <string.h>

#include "identity.h"

#define MAX_MAP_IDS_PER_PROG 64

struct ops_layout {
	__s32 value_type_id;	/* bpf_struct_ops_sched_ext_ops */
	__s32 ops_type_id;	/* sched_ext_ops */
	size_t data_off;	/* offset of .data (the sched_ext_ops) in the value */
	size_t name_off, name_len;
	size_t fptr_off[128];	/* function pointer members of sched_ext_ops */
	unsigned n_fptr;
};

static const struct btf_type *skip_mods(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

static int layout_load(const struct btf *btf, struct ops_layout *ret)
{
	struct ops_layout l = { 0 };
	const struct btf_type *vt, *ot;
	const struct btf_member *m;
	unsigned i;

	l.value_type_id = btf__find_by_name_kind(btf, "bpf_struct_ops_sched_ext_ops", BTF_KIND_STRUCT);
	l.ops_type_id = btf__find_by_name_kind(btf, "sched_ext_ops", BTF_KIND_STRUCT);
	if (l.value_type_id <= 0 || l.ops_type_id <= 0)
		return -EOPNOTSUPP;
	vt = btf__type_by_id(btf, (__u32)l.value_type_id);
	for (i = 0, m = btf_members(vt); i < btf_vlen(vt); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), "data"))
			l.data_off = btf_member_bit_offset(vt, i) / 8;
	ot = btf__type_by_id(btf, (__u32)l.ops_type_id);
	for (i = 0, m = btf_members(ot); i < btf_vlen(ot); i++, m++) {
		const struct btf_type *mt = skip_mods(btf, m->type);
		const char *name = btf__name_by_offset(btf, m->name_off);

		if (!mt)
			continue;
		if (btf_is_ptr(mt)) {
			const struct btf_type *pt = skip_mods(btf, mt->type);

			if (pt && btf_is_func_proto(pt) && l.n_fptr < ARRAY_SIZE(l.fptr_off))
				l.fptr_off[l.n_fptr++] = btf_member_bit_offset(ot, i) / 8;
		} else if (btf_is_array(mt) && name && !strcmp(name, "name")) {
			l.name_off = btf_member_bit_offset(ot, i) / 8;
			l.name_len = btf_array(mt)->nelems;
		}
	}
	*ret = l;
	return 0;
}

static bool add_id(uint32_t *ids, unsigned *n, uint32_t id)
{
	for (unsigned i = 0; i < *n; i++)
		if (ids[i] == id)
			return true;
	if (*n >= SCHED_MAX_IDS)
		return false;
	ids[(*n)++] = id;
	return true;
}

/* Program ids and ops.name from the map's value (the kernel puts ids in fptr slots). */
static void read_value(int fd, __u32 value_size, const struct ops_layout *l,
		       struct sched_bpf_ids *ids, char *ret_name, size_t name_len)
{
	_cleanup_free_ unsigned char *v = calloc(1, value_size);
	__u32 key = 0;

	if (!v || bpf_map_lookup_elem(fd, &key, v) < 0)
		return;
	for (unsigned i = 0; i < l->n_fptr; i++) {
		size_t off = l->data_off + l->fptr_off[i];
		__u64 id;

		if (off + sizeof(id) > value_size)
			continue;
		memcpy(&id, v + off, sizeof(id));
		if (id && id <= UINT32_MAX)
			add_id(ids->prog_ids, &ids->n_progs, (uint32_t)id);
	}
	if (l->name_len && ret_name && name_len && l->data_off + l->name_off + l->name_len <= value_size) {
		size_t n = strnlen((const char *)v + l->data_off + l->name_off, l->name_len);

		if (n >= name_len)
			n = name_len - 1;
		memcpy(ret_name, v + l->data_off + l->name_off, n);
		ret_name[n] = '\0';
	}
}

static void hex8(const unsigned char tag[8], char out[17])
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", tag[i]);
}

static json_t *prog_json(int fd, __u32 *ret_btf_id, __u32 *ret_attach_btf_id, __u32 *ret_type)
{
	__u32 map_ids[MAX_MAP_IDS_PER_PROG];
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	json_t *o, *maps;
	char tag[17];

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = ARRAY_SIZE(map_ids);
	info.map_ids = (__u64)(uintptr_t)map_ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return NULL;
	*ret_btf_id = info.btf_id;
	*ret_attach_btf_id = info.attach_btf_id;
	*ret_type = info.type;
	o = json_object();
	hex8(info.tag, tag);
	json_object_set_new(o, "id", json_integer(info.id));
	json_object_set_new(o, "name", json_string(info.name));
	json_object_set_new(o, "tag", json_string(tag));
	json_object_set_new(o, "type", json_integer(info.type));
	json_object_set_new(o, "load_time", json_real((double)info.load_time / 1e9));
	json_object_set_new(o, "uid", json_integer(info.created_by_uid));
	json_object_set_new(o, "xlated_len", json_integer(info.xlated_prog_len));
	json_object_set_new(o, "jited_len", json_integer(info.jited_prog_len));
	maps = json_array();
	for (__u32 i = 0; i < info.nr_map_ids && i < ARRAY_SIZE(map_ids); i++)
		json_array_append_new(maps, json_integer(map_ids[i]));
	json_object_set_new(o, "map_ids", maps);
	json_object_set_new(o, "btf_id", json_integer(info.btf_id));
	json_object_set_new(o, "run_cnt", json_integer((json_int_t)info.run_cnt));
	json_object_set_new(o, "run_time_ns", json_integer((json_int_t)info.run_time_ns));
	return o;
}

static int walk_maps(const struct ops_layout *l, struct sched_bpf_ids *ids, json_t *out,
		     __u32 *ret_btf_id, char *ret_name, size_t name_len)
{
	__u32 id = 0;
	int n = 0, err;

	while ((err = bpf_map_get_next_id(id, &id)) == 0) {
		struct bpf_map_info info;
		__u32 len = sizeof(info);
		_cleanup_close_ int fd = bpf_map_get_fd_by_id(id);

		if (fd < 0)
			continue;	/* gone since listing, or not ours to open */
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
			continue;
		if (info.type != BPF_MAP_TYPE_STRUCT_OPS ||
		    info.btf_vmlinux_value_type_id != (__u32)l->value_type_id)
			continue;
		add_id(ids->map_ids, &ids->n_maps, info.id);
		if (n++ == 0) {
			json_object_set_new(out, "struct_ops_map_id", json_integer(info.id));
			json_object_set_new(out, "struct_ops_map_name", json_string(info.name));
			json_object_set_new(out, "struct_ops_btf_id", json_integer(info.btf_id));
			*ret_btf_id = info.btf_id;
			read_value(fd, info.value_size, l, ids, ret_name, name_len);
		} else {
			/* Sub-schedulers (~7.1): listed, the first one is the root. */
			json_t *more = json_object_get(out, "other_struct_ops_maps");

			if (!more) {
				more = json_array();
				json_object_set_new(out, "other_struct_ops_maps", more);
			}
			json_array_append_new(more, json_pack("{s:i,s:s}", "id", (json_int_t)info.id,
							      "name", info.name));
			read_value(fd, info.value_size, l, ids, NULL, 0);
		}
	}
	if (err < 0 && err != -ENOENT && n == 0)
		return err;
	return n;
}

static void walk_progs(const struct ops_layout *l, __u32 map_btf_id, struct sched_bpf_ids *ids,
		       json_t *progs)
{
	bool by_value = ids->n_progs > 0;
	__u32 id = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		_cleanup_close_ int fd = -1;
		__u32 btf_id, attach_btf_id, type;
		bool member;
		json_t *o;

		/* With ids from the map value, only those; else match by BTF. */
		if (by_value) {
			bool want = false;

			for (unsigned i = 0; i < ids->n_progs; i++)
				want |= ids->prog_ids[i] == id;
			if (!want)
				continue;
		}
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		o = prog_json(fd, &btf_id, &attach_btf_id, &type);
		if (!o)
			continue;
		member = by_value || (type == BPF_PROG_TYPE_STRUCT_OPS &&
				      attach_btf_id == (__u32)l->ops_type_id &&
				      (!map_btf_id || btf_id == map_btf_id));
		if (member) {
			if (!by_value)
				add_id(ids->prog_ids, &ids->n_progs, id);
			json_array_append_new(progs, o);
		} else {
			json_decref(o);
		}
	}
}

static void walk_links(struct sched_bpf_ids *ids, json_t *links)
{
	__u32 id = 0;

	while (bpf_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info info;
		__u32 len = sizeof(info), map_id = 0;
		_cleanup_close_ int fd = bpf_link_get_fd_by_id(id);
		bool ours = false;

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
			continue;
		if (info.type != BPF_LINK_TYPE_STRUCT_OPS)
			continue;
		/* struct_ops.map_id is the union's first field (uapi 6.4; older headers lack it). */
		memcpy(&map_id, (const char *)&info + offsetof(struct bpf_link_info, raw_tracepoint),
		       sizeof(map_id));
		for (unsigned i = 0; i < ids->n_maps; i++)
			ours |= ids->map_ids[i] == map_id;
		if (!ours)
			continue;
		add_id(ids->link_ids, &ids->n_links, info.id);
		json_array_append_new(links, json_pack("{s:i,s:s,s:i}", "id", (json_int_t)info.id,
						       "type", "struct_ops", "map_id", (json_int_t)map_id));
	}
}

int sched_bpf_walk(struct sched_bpf_ids *ret_ids, json_t **ret_json, char *ret_ops_name,
		   size_t ops_name_len, char *ret_why, size_t why_len)
{
	struct sched_bpf_ids ids = { 0 };
	struct ops_layout l;
	struct btf *vmlinux;
	json_t *out, *progs, *links;
	__u32 map_btf_id = 0;
	int r, n;

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux) {
		r = -errno;
		snprintf(ret_why, why_len, "no vmlinux BTF (%s)", strerror(-r));
		return r < 0 ? r : -ENOENT;
	}
	r = layout_load(vmlinux, &l);
	btf__free(vmlinux);
	if (r < 0) {
		snprintf(ret_why, why_len, "the kernel's BTF has no bpf_struct_ops_sched_ext_ops");
		return r;
	}
	out = json_object();
	n = walk_maps(&l, &ids, out, &map_btf_id, ret_ops_name, ops_name_len);
	if (n < 0) {
		json_decref(out);
		snprintf(ret_why, why_len, "listing BPF maps failed: %s", strerror(-n));
		return n;
	}
	progs = json_array();
	links = json_array();
	if (n > 0) {
		walk_progs(&l, map_btf_id, &ids, progs);
		walk_links(&ids, links);
	}
	json_object_set_new(out, "programs", progs);
	json_object_set_new(out, "links", links);
	*ret_ids = ids;
	*ret_json = out;
	return n;
}
