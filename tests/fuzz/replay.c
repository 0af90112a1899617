// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs the fuzz target once on each file named on the command line: the
 * seed corpus (and any crash a long run found) replayed in the ordinary
 * build, without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		int r = read_file_full(argv[i], 64u << 20, &buf, &len, NULL);

		if (r < 0) {
			fprintf(stderr, "%s: cannot read: %d\n", argv[i], r);
			return 1;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		printf("ok %s (%zu bytes)\n", argv[i], len);
	}
	return argc > 1 ? 0 : 1;
}
