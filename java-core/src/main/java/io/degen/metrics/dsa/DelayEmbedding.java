package io.degen.metrics.dsa;

import io.degen.io.NdArray;

import java.util.Arrays;

/**
 * Hankel (delay) embedding of trajectories X of shape (trials, time, units), laid out as the DSA
 * package lays it out. With D = n_delays, s = delay_interval and R = T - (D-1) s rows per trial,
 * row t of trial k (t = 0..R-1) is
 * <pre>  [ x_k[t + (D-1)s], x_k[t + (D-2)s], ..., x_k[t + s], x_k[t] ]</pre>
 * (most recent sample first, each block {@code units} wide). Rows of all trials are stacked trial
 * after trial, so the matrix is (trials * R) x (D * units). The order of the blocks inside a row
 * permutes columns only, which leaves the singular values and left singular vectors (and thus the
 * HAVOK operator) unchanged. Regression pairs (t, t+1) are formed within a trial only; see
 * {@link #pairRows}.
 */
public final class DelayEmbedding {
    private DelayEmbedding() { }

    /** The embedded matrix: row-major, {@code trials * rowsPerTrial} rows, {@code cols} columns. */
    public record Hankel(double[] data, int trials, int rowsPerTrial, int cols, int units, int nDelays, int delayInterval) {
        public int rows() { return trials * rowsPerTrial; }

        public double get(int row, int col) { return data[row * cols + col]; }
    }

    /**
     * Checks and normalises trajectories: rank 3 (trials, time, units) is kept, rank 2 (time, units)
     * becomes one trial. Rejects other ranks, empty arrays and non-finite values, naming {@code what}.
     */
    public static NdArray asTrials(NdArray x, String what) {
        if (x == null) throw new IllegalArgumentException(what + " is missing");
        int[] s = x.shape();
        NdArray out;
        if (s.length == 3) out = x;
        else if (s.length == 2) out = new NdArray(new int[] {1, s[0], s[1]}, x.data(), x.dtype());
        else {
            throw new IllegalArgumentException(what + " must have shape (trials, time, units) or (time, units), got shape "
                    + Arrays.toString(s));
        }
        int[] t = out.shape();
        if (x.size() == 0 || t[0] == 0 || t[1] == 0 || t[2] == 0) {
            throw new IllegalArgumentException(what + " is empty: shape " + Arrays.toString(s) + " (trials, time, units must all be >= 1)");
        }
        double[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                int units = t[2], time = t[1];
                int k = i / (time * units), tt = (i / units) % time, u = i % units;
                throw new IllegalArgumentException(what + " contains " + d[i] + " at [trial " + k + ", time " + tt + ", unit " + u + "]");
            }
        }
        return out;
    }

    /** Rows per trial after embedding: T - (n_delays - 1) * delay_interval (may be <= 0). */
    public static long rowsPerTrial(int time, int nDelays, int delayInterval) {
        return (long) time - (long) (nDelays - 1) * delayInterval;
    }

    /**
     * The shape of the embedding of X, checked (X as by {@link #asTrials}, n_delays and the
     * interval, at least 2 rows per trial, a size that fits an array), without building it.
     */
    public record Shape(int trials, int time, int units, int rowsPerTrial, int cols, int nDelays, int delayInterval) {
        public int rows() { return trials * rowsPerTrial; }
    }

    /**
     * Checks X and the embedding settings. Fails, naming the arguments, when the window
     * (n_delays - 1) * delay_interval leaves fewer than 2 rows per trial (no regression pair).
     */
    public static Shape shape(NdArray x, int nDelays, int delayInterval, String what) {
        if (nDelays < 1) throw new IllegalArgumentException("n_delays must be >= 1, got " + nDelays);
        if (delayInterval < 1) throw new IllegalArgumentException("delay_interval must be >= 1, got " + delayInterval);
        NdArray xt = asTrials(x, what);
        int trials = xt.dim(0), time = xt.dim(1), units = xt.dim(2);
        long rows = rowsPerTrial(time, nDelays, delayInterval);
        if (rows < 2) {
            throw new IllegalArgumentException(what + " has " + time + " time steps, too few for n_delays " + nDelays
                    + " and delay_interval " + delayInterval + ": need at least (n_delays - 1) * delay_interval + 2 = "
                    + ((long) (nDelays - 1) * delayInterval + 2));
        }
        long cols = (long) nDelays * units;
        long total = rows * trials * cols;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the Hankel matrix of " + what + " would hold " + total
                    + " values (trials * rows * n_delays * units); reduce n_delays or the data");
        }
        return new Shape(trials, time, units, (int) rows, (int) cols, nDelays, delayInterval);
    }

    /** Builds the embedding of X; the checks and failures are those of {@link #shape}. */
    public static Hankel embed(NdArray x, int nDelays, int delayInterval, String what) {
        Shape sh = shape(x, nDelays, delayInterval, what);
        int trials = sh.trials(), time = sh.time(), units = sh.units(), r = sh.rowsPerTrial(), c = sh.cols();
        double[] src = x.data(), h = new double[sh.rows() * c];
        for (int k = 0; k < trials; k++) {
            int trialBase = k * time * units;
            for (int t = 0; t < r; t++) {
                int dst = (k * r + t) * c;
                for (int d = 0; d < nDelays; d++) {
                    int step = t + (nDelays - 1 - d) * delayInterval;
                    System.arraycopy(src, trialBase + step * units, h, dst + d * units, units);
                }
            }
        }
        return new Hankel(h, trials, r, c, units, nDelays, delayInterval);
    }

    /**
     * Indices of the regression pairs: {@code [0]} holds the rows t and {@code [1]} the rows t + 1,
     * for t = 0..R-2 in every trial, so no pair crosses a trial boundary.
     */
    public static int[][] pairRows(int trials, int rowsPerTrial) {
        int per = rowsPerTrial - 1, n = trials * per;
        int[] from = new int[n], to = new int[n];
        for (int k = 0, q = 0; k < trials; k++) {
            for (int t = 0; t < per; t++, q++) {
                from[q] = k * rowsPerTrial + t;
                to[q] = from[q] + 1;
            }
        }
        return new int[][] {from, to};
    }
}
