package io.degen.statistics;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The effect of a knob across all levels of a sweep: the least-squares slope of the conditions'
 * estimates against the levels' ranks 0..k-1 (so a knob of any type works; with two conditions the
 * slope is their difference), with w_c = (x_c - mean x) / sum (x - mean x)^2 the weight of condition c.
 * Two tests, both with the network as the unit:
 * <ul>
 *   <li>{@link #of}, for pairwise means: conditions hold different networks, so their estimates are
 *       independent and SE^2 = sum_c w_c^2 SE_c^2 from the conditions' jackknife SEs; p and the 95%
 *       interval use Student's t with the Welch-Satterthwaite degrees of freedom
 *       df = (sum w^2 SE^2)^2 / sum (w^4 SE^4 / (n_c - 1)).</li>
 *   <li>{@link #spread}, for the spread of per-network values (sigma_OOD): a permutation test that
 *       moves networks between conditions, on Brown and Forsythe's spread statistic: each network's
 *       absolute deviation from its condition's median (a knob that only shifts the losses is not a
 *       change of spread). In a condition of odd size one deviation is 0 by construction (the median
 *       network's own); it is dropped (Hines and Hines), or small conditions could never reach a small
 *       p. The pooled deviations are dealt to the conditions at random and the slope of their means
 *       recomputed. OOD losses are skewed, and an SD's jackknife SE is then too small: a t test on it
 *       rejected 8.3% of null tables, the permutation test stays at its level.</li>
 * </ul>
 * The calibration tests measure both.
 */
public final class Trend {
    private Trend() { }

    /** Permutations per spread test of a verdict: the Monte Carlo SE of p = 0.005 is then 5e-4. */
    public static final int PERMUTATIONS = 20000;

    /**
     * The slope, its SE and 95% interval, the two-sided p, and how p was found: {@code welch-t} (with
     * its t statistic and degrees of freedom) or {@code permutation} (t and df NaN). {@code tested}
     * is the slope of the statistic the p-value is about: the slope itself for the t test, the slope
     * of the mean absolute deviations for the spread test (its sign can differ from the SD slope's).
     */
    public record Result(double slope, double se, double lo, double hi, double t, double df, double p, int conditions, String test,
                         double tested) { }

    public static Result of(double[] estimates, double[] ses, int[] n) {
        int k = estimates.length;
        if (k < 2 || ses.length != k || n.length != k) throw new IllegalArgumentException("a trend needs at least 2 conditions with an estimate, an SE and a size each");
        double[] w = weights(k);
        double slope = 0, var = 0, denom = 0;
        for (int c = 0; c < k; c++) {
            slope += w[c] * estimates[c];
            double term = w[c] * w[c] * ses[c] * ses[c];
            var += term;
            denom += term * term / Math.max(1, n[c] - 1);
        }
        double se = Math.sqrt(var);
        double df = denom > 0 ? var * var / denom : Double.NaN;
        double t = slope / se;
        double p = se > 0 ? Distributions.tTwoSided(t, df) : Double.NaN;
        double q = Double.isFinite(df) ? Distributions.tQuantile(0.975, df) : Double.NaN;
        return new Result(slope, se, slope - q * se, slope + q * se, t, df, p, k, "welch-t", slope);
    }

    /**
     * The slope of a spread statistic (e.g. {@link NetworkStats#populationSd}) of per-network values
     * across conditions, its permutation p, its SE from the conditions' jackknife SEs and a 95%
     * interval from a bootstrap of networks within each condition.
     */
    public static Result spread(double[][] groups, ToDoubleFunction<double[]> statistic, long seed) {
        return spread(groups, statistic, seed, PERMUTATIONS);
    }

    /** The same with {@code permutations} permutations (the calibration tests use fewer: they measure the level, not one p). */
    public static Result spread(double[][] groups, ToDoubleFunction<double[]> statistic, long seed, int permutations) {
        int k = groups.length;
        if (k < 2) throw new IllegalArgumentException("a trend needs at least 2 conditions");
        double[] w = weights(k);
        int total = 0;
        for (double[] g : groups) {
            if (g.length < 3) throw new IllegalArgumentException("a spread needs at least 3 networks per condition, got " + g.length);
            total += g.length;
        }
        double slope = 0, var = 0;
        for (int c = 0; c < k; c++) {
            Estimate e = NetworkStats.of(groups[c], statistic, seed + c);
            slope += w[c] * e.value();
            var += w[c] * w[c] * e.se() * e.se();
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] test = absoluteDeviationPermutation(groups, w, r, permutations);
        double[] reps = new double[NetworkStats.RESAMPLES];
        for (int b = 0; b < reps.length; b++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                double[] g = groups[c], sample = new double[g.length];
                for (int i = 0; i < g.length; i++) sample[i] = g[r.nextInt(g.length)];
                s += w[c] * statistic.applyAsDouble(sample);
            }
            reps[b] = s;
        }
        Arrays.sort(reps);
        return new Result(slope, Math.sqrt(var), NetworkStats.percentile(reps, 0.025), NetworkStats.percentile(reps, 0.975),
                Double.NaN, Double.NaN, test[1], k, "permutation", test[0]);
    }

    /**
     * The slope of the conditions' mean absolute deviation from their median (Brown and Forsythe's
     * spread statistic, one structural zero dropped per odd-sized condition) and its two-sided
     * permutation p: the deviations are pooled, dealt to the conditions at random with their sizes
     * kept, and the slope recomputed. Returns {slope, p}.
     */
    static double[] absoluteDeviationPermutation(double[][] groups, double[] w, SplittableRandom r, int permutations) {
        int total = 0;
        for (double[] g : groups) total += g.length - (g.length % 2);
        double[] pool = new double[total];
        int[] start = new int[groups.length + 1];
        for (int c = 0, at = 0; c < groups.length; c++) {
            double med = io.degen.util.Median.of(groups[c]);
            start[c] = at;
            boolean dropped = groups[c].length % 2 == 0;
            for (double v : groups[c]) {
                double dev = Math.abs(v - med);
                if (!dropped && v == med) { dropped = true; continue; } // the median network's own deviation: 0 by construction
                pool[at++] = dev;
            }
            start[c + 1] = at;
        }
        double observed = slopeOfMeans(pool, start, w), scale = 0;
        for (double v : pool) scale = Math.max(scale, v);
        double tolerance = 1e-10 * scale; // rounding must not make a tie look less extreme
        int extreme = 0;
        for (int b = 0; b < permutations; b++) {
            shuffle(pool, r);
            if (Math.abs(slopeOfMeans(pool, start, w)) >= Math.abs(observed) - tolerance) extreme++;
        }
        return new double[] {observed, (extreme + 1.0) / (permutations + 1.0)};
    }

    private static double slopeOfMeans(double[] pool, int[] start, double[] w) {
        double s = 0;
        for (int c = 0; c < w.length; c++) {
            double m = 0;
            for (int i = start[c]; i < start[c + 1]; i++) m += pool[i];
            s += w[c] * m / (start[c + 1] - start[c]);
        }
        return s;
    }

    /**
     * The smallest p the spread test can give to conditions of these sizes: 1 over the number of
     * distinct ways to deal the pooled deviations (odd sizes lose their structural zero first). With
     * 3 and 5 networks it is 1/15: such a cell can never be significant, whatever the effect.
     */
    public static double smallestSpreadP(int[] sizes) {
        double logWays = 0;
        int total = 0;
        for (int n : sizes) {
            int m = n - (n % 2);
            for (int i = 1; i <= m; i++) logWays -= Math.log(i);
            total += m;
        }
        for (int i = 1; i <= total; i++) logWays += Math.log(i);
        return Math.exp(-logWays);
    }

    /** The least-squares weights of ranks 0..k-1: the slope is sum_c w_c y_c. */
    static double[] weights(int k) {
        double xm = (k - 1) / 2.0, sxx = 0;
        for (int c = 0; c < k; c++) sxx += (c - xm) * (c - xm);
        double[] w = new double[k];
        for (int c = 0; c < k; c++) w[c] = (c - xm) / sxx;
        return w;
    }

    private static void shuffle(double[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
