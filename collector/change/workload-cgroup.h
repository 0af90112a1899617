/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QoS battery's cgroup check (workload-cgroup.c): hogs in two cgroups v2
 * with cpu.weight 100 and 300.  It lives in the wing that changes the system
 * because it makes cgroups and may enable the root's cpu controller; its
 * pure figures are scx_cgroup_figures() in workload-qos.h.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "workload-qos.h"

/* -EOPNOTSUPP with why when cgroup v2 or its cpu controller is unavailable. */
int scx_workload_cgroup(const struct scx_workload_opts *o, json_t **ret, char *why, size_t whylen);
