package io.degen.verdict;

import io.degen.statistics.Trend;

/**
 * The change of a statistic per step of the sweep (the least-squares slope over the levels' ranks;
 * with two conditions, their difference), its SE, 95% interval, two-sided p and the test that gave
 * it ({@code welch-t} or {@code permutation}).
 */
public record Effect(double slope, double se, double lo, double hi, double p, String test) {
    static Effect of(Trend.Result r) { return new Effect(r.slope(), r.se(), r.lo(), r.hi(), r.p(), r.test()); }
}
