package io.degen.util;

import java.util.Arrays;
import java.util.List;

/** The median of a sample (mean of the middle two for an even count; NaN when empty). */
public final class Median {
    private Median() { }

    public static double of(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double[] a = xs.clone();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    public static double of(List<Double> xs) { return of(xs.stream().mapToDouble(Double::doubleValue).toArray()); }
}
