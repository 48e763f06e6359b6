package io.degen.metrics;

import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.task.TrialBatch;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Feature-learning measures of one trained network: the weight-change norm |W_T - W_0|_F (recurrent
 * matrix and all parameters) and the NTK kernel alignment KA(K_T, K_0) = tr(K_T K_0) / (|K_T|_F |K_0|_F)
 * with K = J J^T for the Jacobian J of probe outputs with respect to all parameters. Lower alignment
 * means the kernel rotated more: stronger feature learning.
 */
public final class FeatureLearning {
    private FeatureLearning() { }

    public static double weightChange(Map<String, io.degen.io.NdArray> fin, Map<String, io.degen.io.NdArray> init, String only) {
        double s = 0;
        for (var e : fin.entrySet()) {
            if (only != null && !e.getKey().equals(only)) continue;
            double[] a = e.getValue().data(), b = init.get(e.getKey()).data();
            for (int i = 0; i < a.length; i++) { double d = a[i] - b[i]; s += d * d; }
        }
        return Math.sqrt(s);
    }

    /** Probe output indices: every output of {@code points} evenly spaced time steps of each trial. */
    public static int[] probeIndices(TrialBatch tb, int points) {
        int p = Math.min(points, tb.time());
        int[] idx = new int[tb.batch() * p * tb.outputs()];
        int k = 0;
        for (int q = 0; q < p; q++) {
            int t = (int) Math.round((q + 1) * (tb.time() - 1) / (double) p);
            for (int b = 0; b < tb.batch(); b++) for (int o = 0; o < tb.outputs(); o++) idx[k++] = (t * tb.batch() + b) * tb.outputs() + o;
        }
        return idx;
    }

    public static double[] ntk(RnnModel m, TrialBatch probe, int[] idx) {
        try (Workspace ws = m.workspace()) {
            double[][] j = m.jacobian(ws, probe, idx);
            int n = j.length;
            double[] k = new double[n * n];
            for (int a = 0; a < n; a++) {
                for (int b = a; b < n; b++) {
                    double s = 0;
                    double[] x = j[a], y = j[b];
                    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
                    k[a * n + b] = s; k[b * n + a] = s;
                }
            }
            return k;
        }
    }

    public static double kernelAlignment(double[] kT, double[] k0) {
        double dot = 0, nt = 0, n0 = 0;
        for (int i = 0; i < kT.length; i++) { dot += kT[i] * k0[i]; nt += kT[i] * kT[i]; n0 += k0[i] * k0[i]; }
        return dot / Math.sqrt(nt * n0);
    }

    /** Fixed probe trials for the NTK, shared by all networks of an analysis. */
    public static TrialBatch probe(io.degen.task.Task task, int trials, long seed) {
        return task.batch(trials, new SplittableRandom(seed));
    }
}
