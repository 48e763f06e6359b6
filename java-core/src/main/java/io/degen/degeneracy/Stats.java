package io.degen.degeneracy;

import java.util.SplittableRandom;

/** The summary statistics of a population's per-network values. */
public final class Stats {
    private Stats() { }

    /** Population standard deviation (1/N), as the paper defines behavioural degeneracy. NaN for no values. */
    public static double populationSd(double[] x) {
        if (x.length == 0) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / x.length);
    }

    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return x.length == 0 ? Double.NaN : s / x.length;
    }

    /** Standard error of the mean (sample SD / sqrt(n)); NaN below 2 values. */
    public static double se(double[] x) {
        if (x.length < 2) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1) / x.length);
    }

    /** Bootstrap standard error of the population SD (500 resamples, seeded). */
    public static double bootstrapSeOfSd(double[] x, long seed) {
        if (x.length < 2) return Double.NaN;
        SplittableRandom r = new SplittableRandom(seed);
        double[] sds = new double[500], b = new double[x.length];
        for (int k = 0; k < sds.length; k++) {
            for (int i = 0; i < x.length; i++) b[i] = x[r.nextInt(x.length)];
            sds[k] = populationSd(b);
        }
        double m = mean(sds), s = 0;
        for (double v : sds) s += (v - m) * (v - m);
        return Math.sqrt(s / (sds.length - 1));
    }
}
