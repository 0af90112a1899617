// SPDX-License-Identifier: GPL-2.0-or-later
/* Progress on a terminal line (progress.h). */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

static bool drawn;

bool scx_progress_on(void)
{
	return !scx_log_quiet && isatty(STDERR_FILENO);
}

void scx_progress_fmt_left(char *buf, unsigned long len, uint64_t left_ns)
{
	uint64_t s = (left_ns + 999999999ull) / 1000000000ull;

	if (s < 60)
		snprintf(buf, len, "~%llu s", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "~%llu min %llu s", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "~%llu h %llu min", (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
}

void scx_progress_show(uint64_t left_ns, const char *fmt, ...)
{
	char left[48];
	va_list ap;

	if (!scx_progress_on())
		return;
	fputs("\rscx-report: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (left_ns != UINT64_MAX) {
		scx_progress_fmt_left(left, sizeof(left), left_ns);
		fprintf(stderr, ", %s left", left);
	}
	/* erase what a longer previous line left behind */
	fputs("\033[K", stderr);
	fflush(stderr);
	drawn = true;
}

void scx_progress_end(void)
{
	if (!drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	drawn = false;
}
