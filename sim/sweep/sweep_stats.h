/*
 * The statistics of summary.csv (GSL): for the numbers of one sweep point,
 * n, mean, sample standard deviation, median and the 95% confidence
 * interval of the mean from Student's t distribution,
 *     mean -+ t(0.975, n - 1) * sd / sqrt(n);
 * for a category, the share of runs with one value and its 95% Wilson
 * score interval,
 *     (p + z^2/2n -+ z * sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n),
 * z = the 0.975 quantile of the normal law, which stays inside [0, 1] and
 * is honest for shares near 0 or 1 and small n, unlike p -+ z*sqrt(p(1-p)/n).
 * A statistic that does not exist (the mean of no value, the deviation or
 * interval of one value) is NaN, an empty CSV cell.
 */
#ifndef SIM_SWEEP_SWEEP_STATS_H
#define SIM_SWEEP_SWEEP_STATS_H

#include <stddef.h>
#include <stdint.h>

struct sweep_num_stats {
	uint64_t n;               /* values */
	double mean, sd, median;  /* NaN when n = 0 (sd: n < 2) */
	double ci_low, ci_high;   /* 95% Student t interval of the mean; NaN when n < 2 */
};

/* Reorders x[0..n) (the median is found by quickselect). */
void sweep_stats_numbers(double *x, size_t n, struct sweep_num_stats *out);

/* The share k/n and its 95% Wilson interval; all NaN when n = 0. */
void sweep_stats_share(uint64_t k, uint64_t n, double *share, double *lo, double *hi);

#endif
