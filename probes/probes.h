/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The collect functions of the probes in probes/table.c (one file each). */
#pragma once

#include "probe.h"
