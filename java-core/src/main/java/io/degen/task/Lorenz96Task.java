package io.degen.task;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Lorenz-96 next-step prediction (paper appendix E): dx_i/dt = (x_{i+1} - x_{i-2}) x_{i-1} - x_i + F,
 * integrated with RK4 at {@code dt}, observed every {@code stride} steps. Input at step s is the
 * state / {@code SCALE}, the target the next observed state / SCALE. Each trial starts on the
 * attractor after a burn-in from a random perturbation of the fixed point x = F. OOD: trial length doubled.
 */
public final class Lorenz96Task extends LengthDoublingTask {
    static final double SCALE = 4.0;
    private final int dim, stride, burnIn;
    private final double forcing, dt;

    public static final List<TaskOption> OPTIONS = List.of(
            TaskOption.integer("dim", 5, 4, 256, "dimension of the system"),
            time(100, "trial length (steps)"),
            TaskOption.number("forcing", 8.0, 0, 100, "forcing F"),
            TaskOption.number("dt", 0.01, 1e-5, 0.1, "RK4 step"),
            TaskOption.integer("stride", 5, 1, 1000, "RK4 steps per observed step"),
            TaskOption.integer("burn-in", 500, 0, 1000000, "RK4 steps before a trial starts"));

    public Lorenz96Task(Map<String, ?> opts) { this(new TaskOptions("lorenz96", OPTIONS, opts)); }

    private Lorenz96Task(TaskOptions o) {
        super("lorenz96", 1e-2, o);
        dim = o.integer("dim");
        forcing = o.number("forcing");
        dt = o.number("dt");
        stride = o.integer("stride");
        burnIn = o.integer("burn-in");
    }

    @Override public int inputSize() { return dim; }
    @Override public int outputSize() { return dim; }

    @Override protected TrialBatch make(int b, int t, SplittableRandom rng) {
        TrialBatch tb = TrialBatch.zeros(b, t, dim, dim);
        java.util.Arrays.fill(tb.mask(), 1.0);
        double[] x = new double[dim];
        for (int i = 0; i < b; i++) {
            for (int d = 0; d < dim; d++) x[d] = forcing + 0.01 * PathIntegrationTask.gaussian(rng);
            for (int s = 0; s < burnIn; s++) rk4(x);
            for (int s = 0; s < t; s++) {
                for (int d = 0; d < dim; d++) tb.input()[tb.inIndex(i, s, d)] = x[d] / SCALE;
                for (int k = 0; k < stride; k++) rk4(x);
                for (int d = 0; d < dim; d++) tb.target()[tb.outIndex(i, s, d)] = x[d] / SCALE;
            }
        }
        return tb;
    }

    private void deriv(double[] x, double[] out) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            out[i] = (x[(i + 1) % n] - x[(i - 2 + n) % n]) * x[(i - 1 + n) % n] - x[i] + forcing;
        }
    }

    private void rk4(double[] x) {
        int n = x.length;
        double[] k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n], y = new double[n];
        deriv(x, k1);
        for (int i = 0; i < n; i++) y[i] = x[i] + 0.5 * dt * k1[i];
        deriv(y, k2);
        for (int i = 0; i < n; i++) y[i] = x[i] + 0.5 * dt * k2[i];
        deriv(y, k3);
        for (int i = 0; i < n; i++) y[i] = x[i] + dt * k3[i];
        deriv(y, k4);
        for (int i = 0; i < n; i++) x[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
}
