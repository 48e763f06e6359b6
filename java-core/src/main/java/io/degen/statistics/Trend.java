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
 *       moves networks between conditions. Each network's value is centred on its condition's mean
 *       (a knob that only shifts the losses is not a change of spread) and scaled by sqrt(n_c/(n_c-1));
 *       the pooled residuals are dealt to the conditions at random and the slope recomputed. OOD
 *       losses are skewed, and an SD's jackknife SE is then too small: the t test rejected 8.3% of
 *       null tables, the permutation test stays at its level.</li>
 * </ul>
 * The calibration tests measure both.
 */
public final class Trend {
    private Trend() { }

    /** Permutations per spread test. */
    public static final int PERMUTATIONS = 4000;

    /**
     * The slope, its SE and 95% interval, the two-sided p, and how p was found: {@code welch-t} (with
     * its t statistic and degrees of freedom) or {@code permutation} (t and df NaN).
     */
    public record Result(double slope, double se, double lo, double hi, double t, double df, double p, int conditions, String test) { }

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
        return new Result(slope, se, slope - q * se, slope + q * se, t, df, p, k, "welch-t");
    }

    /**
     * The slope of a spread statistic (e.g. {@link NetworkStats#populationSd}) of per-network values
     * across conditions, its permutation p, its SE from the conditions' jackknife SEs and a 95%
     * interval from a bootstrap of networks within each condition.
     */
    public static Result spread(double[][] groups, ToDoubleFunction<double[]> statistic, long seed) {
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
        double p = absoluteDeviationPermutation(groups, w, r);
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
                Double.NaN, Double.NaN, p, k, "permutation");
    }

    /**
     * The two-sided permutation p of the slope of the conditions' mean absolute deviation from their
     * median (Brown and Forsythe's spread statistic): the deviations are pooled, dealt to the
     * conditions at random with their sizes kept, and the slope recomputed.
     */
    static double absoluteDeviationPermutation(double[][] groups, double[] w, SplittableRandom r) {
        int total = 0;
        for (double[] g : groups) total += g.length;
        double[] pool = new double[total];
        int[] start = new int[groups.length + 1];
        for (int c = 0, at = 0; c < groups.length; c++) {
            double med = median(groups[c]);
            start[c] = at;
            for (double v : groups[c]) pool[at++] = Math.abs(v - med);
            start[c + 1] = at;
        }
        double observed = slopeOfMeans(pool, start, w), scale = 0;
        for (double v : pool) scale = Math.max(scale, v);
        double tolerance = 1e-10 * scale; // rounding must not make a tie look less extreme
        int extreme = 0;
        for (int b = 0; b < PERMUTATIONS; b++) {
            shuffle(pool, r);
            if (Math.abs(slopeOfMeans(pool, start, w)) >= Math.abs(observed) - tolerance) extreme++;
        }
        return (extreme + 1.0) / (PERMUTATIONS + 1.0);
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

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
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
