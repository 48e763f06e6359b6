package io.degen.metrics.dsa;

import io.degen.io.NdArray;

import java.util.SplittableRandom;

/**
 * Synthetic test systems for benchmarks and tests: trajectories of a random tanh RNN
 * h_{t+1} = tanh(W h_t + sigma xi_t), W_ij ~ N(0, gain^2 / units), xi_t ~ N(0, I), h_0 ~ N(0, I).
 * With gain around 1.5 the autonomous network is chaotic, so each network has its own dynamics.
 */
public final class RandomTanhRnn {
    private RandomTanhRnn() { }

    /** Trajectories (trials, time, units), deterministic given the seed. */
    public static NdArray trajectories(int units, int trials, int time, double gain, double noise, long seed) {
        if (units < 1 || trials < 1 || time < 1) {
            throw new IllegalArgumentException("units, trials and time must be >= 1, got " + units + ", " + trials + ", " + time);
        }
        if (!(gain >= 0) || !(noise >= 0)) throw new IllegalArgumentException("gain and noise must be >= 0, got " + gain + ", " + noise);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[units * units];
        double sd = gain / Math.sqrt(units);
        for (int i = 0; i < w.length; i++) w[i] = sd * gaussian(rnd);
        double[] out = new double[trials * time * units];
        double[] h = new double[units], pre = new double[units];
        for (int k = 0; k < trials; k++) {
            for (int i = 0; i < units; i++) h[i] = gaussian(rnd);
            for (int t = 0; t < time; t++) {
                System.arraycopy(h, 0, out, (k * time + t) * units, units);
                for (int i = 0; i < units; i++) {
                    double s = noise * gaussian(rnd);
                    int wi = i * units;
                    for (int j = 0; j < units; j++) s += w[wi + j] * h[j];
                    pre[i] = s;
                }
                for (int i = 0; i < units; i++) h[i] = Math.tanh(pre[i]);
            }
        }
        return NdArray.f64(out, trials, time, units);
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble(), u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
