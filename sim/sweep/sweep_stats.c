/*
 * summary.csv's statistics, from GSL: gsl_stats_* for the moments,
 * gsl_sort for the quantiles, gsl_cdf_tdist_Pinv and gsl_cdf_ugaussian_Pinv
 * for the intervals' quantiles.
 */
#include "sim/sweep/sweep_stats.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

double sweep_stats_quantile(const double *sorted, size_t n, unsigned percent)
{
	/* k = ceil(n p): the smallest k with k/n >= p, in integers so that
	 * 10 % of 10 values is exactly the first, not the second */
	size_t k = (n * percent + 99) / 100;
	return sorted[k > 0 ? k - 1 : 0];
}

bool sweep_stats_heavy_tail(const struct sweep_num_stats *st)
{
	return st->n > 0 && st->p90 > 0 && st->max > 10 * st->p90;
}

void sweep_stats_numbers(double *x, size_t n, struct sweep_num_stats *out)
{
	out->n = n;
	out->mean = out->sd = out->median = out->ci_low = out->ci_high = NAN;
	out->p10 = out->p50 = out->p90 = out->max = NAN;
	if (n == 0)
		return;
	out->mean = gsl_stats_mean(x, 1, n);
	if (n >= 2)
		out->sd = gsl_stats_sd_m(x, 1, n, out->mean);
	gsl_sort(x, 1, n);
	out->p10 = sweep_stats_quantile(x, n, 10);
	out->p50 = out->median = sweep_stats_quantile(x, n, 50);
	out->p90 = sweep_stats_quantile(x, n, 90);
	out->max = x[n - 1];
	if (n < 2)
		return;
	double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * out->sd / sqrt((double)n);
	out->ci_low = out->mean - half;
	out->ci_high = out->mean + half;
}

void sweep_stats_share(uint64_t k, uint64_t n, double *share, double *lo, double *hi)
{
	*share = *lo = *hi = NAN;
	if (n == 0)
		return;
	double z = gsl_cdf_ugaussian_Pinv(0.975);
	double nn = (double)n, p = (double)k / nn, z2 = z * z;
	double center = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	*share = p;
	*lo = fmax(0, center - half);
	*hi = fmin(1, center + half);
}
