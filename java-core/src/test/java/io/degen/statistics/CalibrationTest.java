package io.degen.statistics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Calibration on synthetic populations with a known structure (no training): networks are points in
 * R^10 with spread sigma_c around a random location per condition (a location shift is not an
 * effect), distances Euclidean, the condition's degeneracy their pairwise mean; behaviour is per-
 * network OOD losses with SD sigma_c around a random mean per condition (normal, or a shifted exponential:
 * skewed as OOD losses are). Pairwise means go through the Welch t test on jackknife SEs, spreads through
 * the permutation test (see {@link Trend}). Without an effect the
 * trend test's false-positive rate at alpha = 0.05 must lie in [0.02, 0.08]; with an effect its
 * power is reported. Rates are printed into the build log.
 */
class CalibrationTest {
    static final int TABLES = 1000;
    static final double ALPHA = 0.05;

    /** The fraction of tables whose trend test rejects at ALPHA. */
    static double rejectionRate(boolean pairwise, int k, int n, double rise, long seed) { return rejectionRate(pairwise, k, n, rise, seed, false); }

    /** {@code skewed}: behaviour values from a shifted exponential (same SD, long right tail, as OOD losses have). */
    static double rejectionRate(boolean pairwise, int k, int n, double rise, long seed, boolean skewed) {
        int[] sizes = new int[k];
        java.util.Arrays.fill(sizes, n);
        return rejectionRate(pairwise, sizes, rise, seed, skewed);
    }

    /** Conditions of the given sizes (the quick stores mix 3, 4 and 5 converged networks). */
    static double rejectionRate(boolean pairwise, int[] sizes, double rise, long seed, boolean skewed) {
        int k = sizes.length;
        SplittableRandom r = new SplittableRandom(seed);
        int rejected = 0;
        for (int t = 0; t < TABLES; t++) {
            double[] est = new double[k], se = new double[k];
            double[][] groups = new double[k][];
            int[] ns = new int[k];
            for (int c = 0; c < k; c++) {
                double sigma = 1 + rise * c / Math.max(1, k - 1);
                int n = sizes[c];
                ns[c] = n;
                if (pairwise) {
                    double[][] pts = new double[n][10];
                    double[] centre = new double[10];
                    for (int j = 0; j < 10; j++) centre[j] = 5 * gaussian(r);
                    for (int i = 0; i < n; i++) for (int j = 0; j < 10; j++) pts[i][j] = centre[j] + sigma * gaussian(r);
                    double[][] d = new double[n][n];
                    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
                        double s = 0;
                        for (int q = 0; q < 10; q++) { double e = pts[i][q] - pts[j][q]; s += e * e; }
                        d[i][j] = d[j][i] = Math.sqrt(s);
                    }
                    est[c] = NetworkStats.pairMean(d);
                    se[c] = NetworkStats.jackknifeSe(NetworkStats.leaveOneOut(d));
                } else {
                    double mu = 10 * r.nextDouble();
                    double[] x = new double[n];
                    for (int i = 0; i < n; i++) x[i] = mu + sigma * (skewed ? -Math.log(1 - r.nextDouble()) - 1 : gaussian(r));
                    groups[c] = x;
                }
            }
            Trend.Result result = pairwise ? Trend.of(est, se, ns) : Trend.spread(groups, NetworkStats::populationSd, r.nextLong(), 2000);
            if (result.p() < ALPHA) rejected++;
        }
        return rejected / (double) TABLES;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static void report(String what, double rate) {
        System.out.printf(java.util.Locale.ROOT, "calibration: %-48s %.3f (%d tables)%n", what, rate, TABLES);
    }

    @Test void noEffectFalsePositivesAtSixteenNetworks() {
        for (boolean pairwise : new boolean[] {true, false}) {
            for (int k : new int[] {2, 4}) {
                double fpr = rejectionRate(pairwise, k, 16, 0, 11 + k + (pairwise ? 100 : 0));
                report((pairwise ? "pairwise mean" : "population SD") + ", no effect, k = " + k + ", n = 16: false positives", fpr);
                assertTrue(fpr >= 0.02 && fpr <= 0.08, "false-positive rate " + fpr + " outside [0.02, 0.08]");
            }
        }
    }

    @Test void noEffectFalsePositivesWithSkewedLosses() {
        for (int k : new int[] {2, 4}) {
            double fpr = rejectionRate(false, k, 16, 0, 41 + k, true);
            report("population SD, skewed losses, no effect, k = " + k + ", n = 16: false positives", fpr);
            assertTrue(fpr >= 0.02 && fpr <= 0.08, "false-positive rate " + fpr + " outside [0.02, 0.08]");
        }
    }

    @Test void noEffectFalsePositivesAtFiveNetworks() {
        for (boolean pairwise : new boolean[] {true, false}) {
            double fpr = rejectionRate(pairwise, 2, 5, 0, 31 + (pairwise ? 100 : 0));
            report((pairwise ? "pairwise mean" : "population SD") + ", no effect, k = 2, n = 5: false positives", fpr);
            assertTrue(fpr <= 0.10, "false-positive rate " + fpr + " at n = 5");
        }
    }

    /**
     * Small and unequal conditions, as the quick stores have: the spread test keeps its level and can
     * still see a large effect (before the median network's zero deviation was dropped, 5 vs 5 found a
     * fourfold spread 8% of the time). 3 vs 5 cannot reach p < 0.05 at all: the verdict says so.
     */
    @Test void smallAndUnequalConditions() {
        for (int[] sizes : new int[][] {{3, 5}, {4, 5}, {5, 5}, {15, 16}}) {
            String name = sizes[0] + " vs " + sizes[1];
            double fpr = rejectionRate(false, sizes, 0, 91 + sizes[0] * 7 + sizes[1], false);
            report("population SD, no effect, " + name + " networks: false positives", fpr);
            assertTrue(fpr <= 0.08, "false-positive rate " + fpr + " at " + name);
            if (sizes[0] >= 15) assertTrue(fpr >= 0.02, "false-positive rate " + fpr + " at " + name);
        }
        double four = rejectionRate(false, new int[] {5, 5}, 3.0, 97, false);
        report("population SD, spread x4, 5 vs 5 networks: power", four);
        assertTrue(four > 0.2, "power " + four + " to see a fourfold spread among 5 + 5 networks");
        // 3 vs 5: 2 + 4 deviations after the structural zeros, 15 ways to deal them: p can never be below 1/15
        assertEquals(1 / 15.0, Trend.smallestSpreadP(new int[] {3, 5}), 1e-12);
        assertTrue(Trend.smallestSpreadP(new int[] {5, 5}) < 0.05 && Trend.smallestSpreadP(new int[] {16, 16}) < 1e-6);
        double mixed = rejectionRate(false, new int[] {4, 5}, 3.0, 98, false);
        report("population SD, spread x4, 4 vs 5 networks: power", mixed);
        assertTrue(mixed > 0.1, "power " + mixed + " to see a fourfold spread among 4 + 5 networks");
    }

    /**
     * Power with a planted effect. A pairwise mean over 120 pairs detects a 25% rise in spread most of
     * the time; an SD of 16 values (itself uncertain by about 18%) rarely does, and the Brown-Forsythe
     * permutation test, which stays at its level on skewed losses, pays for that in power: behaviour
     * needs larger effects or more networks, which is what the reproduction's n.s. cells say.
     */
    @Test void powerWithAPlantedEffect() {
        for (int k : new int[] {2, 4}) {
            double power = rejectionRate(true, k, 16, 0.25, 51 + k);
            report("pairwise mean, spread +25%, k = " + k + ", n = 16: power", power);
            assertTrue(power > 0.5, "power " + power);
        }
        double small = rejectionRate(false, 2, 16, 0.25, 61);
        report("population SD, spread +25%, k = 2, n = 16: power", small);
        double large = rejectionRate(false, 2, 16, 1.0, 71);
        report("population SD, spread +100%, k = 2, n = 16: power", large);
        assertTrue(large > 0.4, "power " + large + " to see a doubled spread among 16 networks");
        assertTrue(small < large, "power must grow with the effect: " + small + " at +25%, " + large + " at +100%");
        double power50 = rejectionRate(false, 2, 50, 0.25, 81);
        report("population SD, spread +25%, k = 2, n = 50: power", power50);
    }
}
