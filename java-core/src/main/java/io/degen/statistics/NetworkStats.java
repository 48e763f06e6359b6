package io.degen.statistics;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Estimates of one condition with the network as the statistical unit. Pairs of networks share
 * networks, so a pairwise mean's uncertainty comes from leaving out or resampling whole networks,
 * never from treating the n(n-1)/2 pairs as independent.
 * <ul>
 *   <li>SE: the leave-one-network-out jackknife, SE^2 = (n-1)/n sum_k (theta_(k) - mean theta_(.))^2;</li>
 *   <li>interval: the 2.5% and 97.5% percentiles of {@link #RESAMPLES} bootstrap replicates, each
 *       resampling n networks with replacement (pairs of two copies of one network are dropped).</li>
 * </ul>
 * Fewer than 3 networks give NaN for both. docs/statistics.md gives the formulas and their biases.
 */
public final class NetworkStats {
    /** Bootstrap replicates per interval. */
    public static final int RESAMPLES = 2000;

    private NetworkStats() { }

    /** Mean of the strict upper triangle of a symmetric matrix: the condition's pairwise degeneracy. */
    public static double pairMean(double[][] d) {
        int n = square(d);
        if (n < 2) return Double.NaN;
        double s = 0;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) s += d[i][j];
        return s / (n * (n - 1) / 2.0);
    }

    /** Each network's mean distance to the other networks (its row mean off the diagonal): the points behind a pairwise mean. */
    public static double[] contributions(double[][] d) {
        int n = square(d);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) if (j != i) s += d[i][j];
            c[i] = n > 1 ? s / (n - 1) : Double.NaN;
        }
        return c;
    }

    /** The pairwise mean without network k, for every k. */
    public static double[] leaveOneOut(double[][] d) {
        int n = square(d);
        double total = 0;
        double[] row = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (j != i) row[i] += d[i][j];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) total += d[i][j];
        double[] out = new double[n];
        double pairs = (n - 1) * (n - 2) / 2.0;
        for (int k = 0; k < n; k++) out[k] = (total - row[k]) / pairs;
        return out;
    }

    /** The jackknife standard error from the leave-one-out values. */
    public static double jackknifeSe(double[] loo) {
        int n = loo.length;
        if (n < 3) return Double.NaN;
        double m = 0;
        for (double v : loo) m += v;
        m /= n;
        double s = 0;
        for (double v : loo) s += (v - m) * (v - m);
        return Math.sqrt((n - 1.0) / n * s);
    }

    /** The leave-one-network-out jackknife SE of a pairwise mean; NaN below 3 networks. */
    public static double pairwiseSe(double[][] d) {
        return square(d) < 3 ? Double.NaN : jackknifeSe(leaveOneOut(d));
    }

    /** The pairwise mean of a distance matrix with its jackknife SE and bootstrap interval. */
    public static Estimate pairwise(double[][] d, long seed) { return pairwiseExcess(d, null, seed); }

    /**
     * The pairwise mean minus the mean of a per-network value (e.g. the between-network DSA distance
     * minus the same-network null), with jackknife SE and bootstrap interval over networks: both terms
     * leave out, or resample, the same networks. {@code x} null: the pairwise mean alone.
     */
    public static Estimate pairwiseExcess(double[][] d, double[] x, long seed) {
        int n = square(d);
        finite(d);
        if (x != null && x.length != n) throw new IllegalArgumentException(x.length + " per-network values for " + n + " networks");
        double v = pairMean(d) - (x == null ? 0 : mean(x));
        if (n < 3) return new Estimate(v, Double.NaN, Double.NaN, Double.NaN, n);
        double[] loo = leaveOneOut(d);
        if (x != null) {
            double sum = 0;
            for (double xi : x) sum += xi;
            for (int k = 0; k < n; k++) loo[k] -= (sum - x[k]) / (n - 1);
        }
        double se = jackknifeSe(loo);
        SplittableRandom r = new SplittableRandom(seed);
        double[] reps = new double[RESAMPLES];
        int[] pick = new int[n];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) pick[i] = r.nextInt(n);
            double s = 0;
            long c = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
                if (pick[i] == pick[j]) continue; // a network paired with its own copy: no such pair exists
                s += d[pick[i]][pick[j]];
                c++;
            }
            double off = 0;
            if (x != null) { for (int i = 0; i < n; i++) off += x[pick[i]]; off /= n; }
            reps[b] = c == 0 ? v : s / c - off;
        }
        return interval(v, se, reps, n);
    }

    /** A statistic of per-network values (e.g. the population SD of OOD losses) with its jackknife SE and bootstrap interval. */
    public static Estimate of(double[] x, ToDoubleFunction<double[]> statistic, long seed) {
        int n = x.length;
        for (int i = 0; i < n; i++) if (!Double.isFinite(x[i])) throw new IllegalArgumentException("value " + i + " is not finite: " + x[i]);
        double v = statistic.applyAsDouble(x);
        if (n < 3) return new Estimate(v, Double.NaN, Double.NaN, Double.NaN, n);
        double[] loo = new double[n], rest = new double[n - 1];
        for (int k = 0; k < n; k++) {
            for (int i = 0, j = 0; i < n; i++) if (i != k) rest[j++] = x[i];
            loo[k] = statistic.applyAsDouble(rest);
        }
        double se = jackknifeSe(loo);
        SplittableRandom r = new SplittableRandom(seed);
        double[] reps = new double[RESAMPLES], sample = new double[n];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) sample[i] = x[r.nextInt(n)];
            reps[b] = statistic.applyAsDouble(sample);
        }
        return interval(v, se, reps, n);
    }

    /** Population standard deviation (1/N): the paper's behavioural degeneracy. */
    public static double populationSd(double[] x) {
        if (x.length == 0) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / x.length);
    }

    /** The standard error of a mean over networks (sample SD / sqrt(n)); NaN below 2 values. */
    public static double meanSe(double[] x) {
        if (x.length < 2) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1) / x.length);
    }

    public static double mean(double[] x) {
        if (x.length == 0) return Double.NaN;
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    private static Estimate interval(double v, double se, double[] reps, int n) {
        Arrays.sort(reps);
        return new Estimate(v, se, percentile(reps, 0.025), percentile(reps, 0.975), n);
    }

    /** Linear interpolation between order statistics of sorted values. */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static int square(double[][] d) {
        for (double[] row : d) if (row.length != d.length) throw new IllegalArgumentException("a distance matrix must be square, got a row of " + row.length + " in " + d.length);
        return d.length;
    }

    private static void finite(double[][] d) {
        for (int i = 0; i < d.length; i++) for (int j = 0; j < d.length; j++) {
            if (i != j && !Double.isFinite(d[i][j])) throw new IllegalArgumentException("distance (" + i + ", " + j + ") is not finite: " + d[i][j]);
        }
    }
}
