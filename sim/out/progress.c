/* The progress bar (progress.h). */
#include "sim/out/progress.h"

#include <stdio.h>
#include <string.h>

#define PROGRESS_WIDTH 30

void progress_start(struct progress *p, bool on, const char *one, const char *many, uint64_t resumed)
{
	*p = (struct progress){.on = on, .one = one, .many = many, .resumed = resumed,
	                       .start_us = g_get_monotonic_time()};
}

void progress_draw(struct progress *p, uint64_t done, uint64_t total, bool last)
{
	gint64 now = g_get_monotonic_time();
	char bar[PROGRESS_WIDTH + 1];

	if (!p->on || (!last && now - p->drawn_us < 100000))
		return;
	p->drawn_us = now;
	double secs = (double)(now - p->start_us) / 1e6;
	double rate = secs > 0 ? (double)(done - p->resumed) / secs : 0;
	int fill = total ? (int)((double)PROGRESS_WIDTH * (double)done / (double)total) : PROGRESS_WIDTH;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, ' ', (size_t)(PROGRESS_WIDTH - fill));
	bar[PROGRESS_WIDTH] = '\0';
	fprintf(stderr, "\r[%s] %llu/%llu %s  %.0f %s/s", bar, (unsigned long long)done,
	        (unsigned long long)total, total == 1 ? p->one : p->many, rate, p->many);
	if (!last && rate > 0)
		fprintf(stderr, "  %.0f s left", (double)(total - done) / rate);
	fputs(last ? "\033[K\n" : "\033[K", stderr);
	fflush(stderr);
}
