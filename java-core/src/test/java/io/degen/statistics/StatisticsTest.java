package io.degen.statistics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The estimators against values worked out by hand, and the distribution functions against known quantiles. */
class StatisticsTest {
    /** Four networks; pairs (01, 02, 03, 12, 13, 23) = (1, 2, 3, 4, 5, 6). */
    static final double[][] D = {{0, 1, 2, 3}, {1, 0, 4, 5}, {2, 4, 0, 6}, {3, 5, 6, 0}};

    @Test void pairwiseMeanLeaveOneOutAndJackknifeByHand() {
        assertEquals(3.5, NetworkStats.pairMean(D), 1e-15);
        // without network 0: pairs 12, 13, 23 = 4, 5, 6 -> 5; without 1: 2, 3, 6 -> 11/3; without 2: 1, 3, 5 -> 3; without 3: 1, 2, 4 -> 7/3
        double[] loo = NetworkStats.leaveOneOut(D);
        assertArrayEquals(new double[] {5, 11 / 3.0, 3, 7 / 3.0}, loo, 1e-14);
        double m = (5 + 11 / 3.0 + 3 + 7 / 3.0) / 4, ss = 0;
        for (double v : loo) ss += (v - m) * (v - m);
        assertEquals(Math.sqrt(0.75 * ss), NetworkStats.jackknifeSe(loo), 1e-14);
        assertArrayEquals(new double[] {2, 10 / 3.0, 4, 14 / 3.0}, NetworkStats.contributions(D), 1e-14);
        // the mean of the contributions is the pairwise mean
        assertEquals(3.5, NetworkStats.mean(NetworkStats.contributions(D)), 1e-14);
    }

    @Test void excessOverAPerNetworkValueLeavesOutTheSameNetworks() {
        double[] nulls = {1, 2, 3, 6};
        Estimate e = NetworkStats.pairwiseExcess(D, nulls, 3);
        assertEquals(3.5 - 3, e.value(), 1e-15);
        // leave-one-out: pairwise mean without k minus the mean of the other nulls: 5 - 11/3, 11/3 - 10/3, 3 - 3, 7/3 - 2
        double[] loo = {5 - 11 / 3.0, 11 / 3.0 - 10 / 3.0, 0, 7 / 3.0 - 2};
        assertEquals(NetworkStats.jackknifeSe(loo), e.se(), 1e-14);
        Estimate flat = NetworkStats.pairwiseExcess(D, new double[] {1, 1, 1, 1}, 3);
        assertEquals(NetworkStats.pairwiseSe(D), flat.se(), 1e-14, "a constant null shifts the estimate, not its SE");
        assertEquals(NetworkStats.pairwise(D, 3).lo() - 1, flat.lo(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> NetworkStats.pairwiseExcess(D, new double[] {1, 2}, 3));
    }

    @Test void bootstrapIsReproducibleAndBracketsTheEstimate() {
        Estimate a = NetworkStats.pairwise(D, 7), b = NetworkStats.pairwise(D, 7);
        assertEquals(a, b);
        double[][] big = new double[9][9];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 9; i++) for (int j = i + 1; j < 9; j++) big[i][j] = big[j][i] = r.nextDouble();
        assertNotEquals(NetworkStats.pairwise(big, 7), NetworkStats.pairwise(big, 8), "another seed, other replicates");
        assertTrue(a.lo() <= 3.5 && 3.5 <= a.hi(), a.toString());
        assertEquals(4, a.n());
        Estimate sd = NetworkStats.of(new double[] {1, 2, 3, 4, 10}, NetworkStats::populationSd, 1);
        assertEquals(NetworkStats.populationSd(new double[] {1, 2, 3, 4, 10}), sd.value(), 0.0);
        assertTrue(sd.se() > 0 && sd.lo() < sd.value() && sd.value() < sd.hi() + 1e-12, sd.toString());
        assertTrue(Double.isNaN(NetworkStats.pairwise(new double[][] {{0, 1}, {1, 0}}, 1).se()), "2 networks: no SE");
        assertThrows(IllegalArgumentException.class, () -> NetworkStats.pairwise(new double[][] {{0, Double.NaN}, {Double.NaN, 0}}, 1));
    }

    @Test void trendIsTheSlopeAndItsSeCombinesTheConditions() {
        Trend.Result two = Trend.of(new double[] {1, 3}, new double[] {0.3, 0.4}, new int[] {10, 10});
        assertEquals(2, two.slope(), 1e-15, "two conditions: the difference");
        assertEquals(0.5, two.se(), 1e-15);
        // Welch-Satterthwaite: (0.09 + 0.16)^2 / (0.09^2 / 9 + 0.16^2 / 9)
        assertEquals(0.0625 / ((0.0081 + 0.0256) / 9), two.df(), 1e-12);
        Trend.Result three = Trend.of(new double[] {1, 2, 3}, new double[] {0.1, 0.1, 0.1}, new int[] {5, 5, 5});
        assertEquals(1, three.slope(), 1e-15);
        assertEquals(Math.sqrt(0.25 * 0.01 + 0.25 * 0.01), three.se(), 1e-15, "w = (-1/2, 0, 1/2)");
        assertTrue(three.p() < 1e-3);
    }

    @Test void spreadTrendPermutesNetworksAndIgnoresLocation() {
        double[] base = {-1.5, -0.7, -0.2, 0.1, 0.4, 0.9, 1.3, -1.1, 0.6, -0.4, 1.8, -0.9};
        double[] wide = new double[base.length], shifted = new double[base.length];
        for (int i = 0; i < base.length; i++) { wide[i] = 10 + 3 * base[i]; shifted[i] = 100 + base[i]; }
        Trend.Result up = Trend.spread(new double[][] {base, wide}, NetworkStats::populationSd, 5);
        assertEquals(2 * NetworkStats.populationSd(base), up.slope(), 1e-12, "SD tripled: slope = 2 SD");
        assertTrue(up.p() < 0.01, "a tripled spread among 12 networks: p = " + up.p());
        assertTrue(up.lo() > 0 && up.lo() < up.slope() && up.slope() < up.hi(), up.toString());
        assertEquals("permutation", up.test());
        Trend.Result moved = Trend.spread(new double[][] {base, shifted}, NetworkStats::populationSd, 5);
        assertEquals(0, moved.slope(), 1e-12, "a shift of every loss is no change of spread");
        assertEquals(1.0, moved.p(), 1e-12, "identical deviations: every permutation is as extreme");
        assertThrows(IllegalArgumentException.class, () -> Trend.spread(new double[][] {base, {1, 2}}, NetworkStats::populationSd, 1));
        assertEquals(Trend.spread(new double[][] {base, wide}, NetworkStats::populationSd, 5), up, "reproducible from its seed");
    }

    @Test void holmAgainstAWorkedExample() {
        // p = 0.01, 0.04, 0.03, 0.005 -> sorted 0.005 (x4 = 0.02), 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> 0.06 monotone)
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005}), 1e-15);
        double[] withNaN = Holm.adjust(new double[] {0.2, Double.NaN, 0.9});
        assertEquals(0.4, withNaN[0], 1e-15);
        assertTrue(Double.isNaN(withNaN[1]));
        assertEquals(0.9, withNaN[2], 1e-15);
    }

    @Test void distributionsAgainstKnownQuantiles() {
        assertEquals(2.228138852, Distributions.tQuantile(0.975, 10), 1e-8);
        assertEquals(12.7062047, Distributions.tQuantile(0.975, 1), 1e-6);
        assertEquals(1.959963985, Distributions.tQuantile(0.975, 1e7), 1e-6);
        assertEquals(0.05, Distributions.tTwoSided(2.228138852, 10), 1e-9);
        assertEquals(0.5, Distributions.tCdf(0, 3), 1e-15);
        assertEquals(0.05, Distributions.chiSquareUpper(3.841458821, 1), 1e-9);
        assertEquals(0.05, Distributions.chiSquareUpper(7.814727903, 3), 1e-9);
        assertEquals(Math.log(24), Distributions.logGamma(5), 1e-12);
    }
}
