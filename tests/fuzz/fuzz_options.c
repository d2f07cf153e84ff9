// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the option parser, with argv made of the input's NUL-separated strings. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	char *argv[64] = { "gfntop" }, err[256];
	int argc = 1;
	struct options o;
	FILE *devnull = fopen("/dev/null", "w");

	if (size >= sizeof(buf) || !devnull) {
		if (devnull)
			fclose(devnull);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; p < buf + size && argc < 63; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	options_parse(argc, argv, &o, err, sizeof(err), devnull);
	fclose(devnull);
	return 0;
}
