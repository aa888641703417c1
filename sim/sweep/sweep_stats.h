/*
 * The statistics of summary.csv (GSL): for the numbers of one sweep point,
 * n, mean, sample standard deviation, the 95% confidence interval of the
 * mean from Student's t distribution,
 *     mean -+ t(0.975, n - 1) * sd / sqrt(n),
 * and quantiles that are observed values: the p-quantile is R's type 1,
 * the inverse of the empirical CDF,
 *     Q(p) = x_(k), k = ceil(n p) (k = 1 when p = 0), x_(1) <= ... <= x_(n),
 * so the median (p = 0.5) is the lower median x_(ceil(n/2)): with stepped
 * data (a connect time of 0.04 or 1.04 s) it is a value some run had,
 * never the 0.54 s that averaging the two middle values would invent.
 * For a category, the share of runs with one value and its 95% Wilson
 * score interval,
 *     (p + z^2/2n -+ z * sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n),
 * z = the 0.975 quantile of the normal law, which stays inside [0, 1] and
 * is honest for shares near 0 or 1 and small n, unlike p -+ z*sqrt(p(1-p)/n).
 * A statistic that does not exist (the mean of no value, the deviation or
 * interval of one value) is NaN, an empty CSV cell.
 */
#ifndef SIM_SWEEP_SWEEP_STATS_H
#define SIM_SWEEP_SWEEP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sweep_num_stats {
	uint64_t n;               /* values */
	double mean, sd, median;  /* NaN when n = 0 (sd: n < 2); median = p50 */
	double ci_low, ci_high;   /* 95% Student t interval of the mean; NaN when n < 2 */
	double p10, p50, p90;     /* type-1 quantiles (observed values); NaN when n = 0 */
	double max;               /* NaN when n = 0 */
};

/* Sorts x[0..n) (the quantiles are read from the sorted values). */
void sweep_stats_numbers(double *x, size_t n, struct sweep_num_stats *out);

/* The type-1 quantile of the sorted x[0..n), n >= 1, at percent/100:
 * x[ceil(n * percent / 100) - 1] (x[0] at 0), in integer arithmetic. */
double sweep_stats_quantile(const double *sorted, size_t n, unsigned percent);

/* A heavy tail: the largest value exceeds 10 times a positive p90, so a
 * few runs make the mean and its interval (a count that is 0 in 90 % of
 * the runs is a rare event, not a tail: not flagged). */
bool sweep_stats_heavy_tail(const struct sweep_num_stats *st);

/* The share k/n and its 95% Wilson interval; all NaN when n = 0. */
void sweep_stats_share(uint64_t k, uint64_t n, double *share, double *lo, double *hi);

#endif
