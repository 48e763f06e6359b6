package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.metrics.Pairwise;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.Operator;
import io.degen.report.Charts;
import org.knowm.xchart.XYChart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DSA cost against the number of networks K: each value is a {@code bench dsa} run. The cost has
 * two parts with different growth, so they are reported apart: one operator fit per network (K)
 * and one alignment per pair (K(K-1)/2). Their per-unit constants, pooled over all points, give
 * the model f K + p K(K-1)/2 from which larger matrices are extrapolated.
 */
public final class DsaSweep implements Sweep {
    public static final List<String> COLUMNS = List.of("pairs", "seconds", "fit_seconds", "matrix_seconds", "fit_s_per_network", "ms_per_pair",
            "fit_cpu_seconds", "matrix_cpu_seconds", "cpu_ms_per_pair", "generate_seconds");
    /** Matrix sizes the JSON extrapolates to: 150 networks (quoted in performance.md) and a large study. */
    static final int[] PREDICT = {150, 500};
    static final int WARMUP_NETWORKS = 10;

    private final DsaWorkload workload;

    public DsaSweep(DsaWorkload workload) { this.workload = workload; }

    @Override public String x() { return "networks"; }

    @Override public String symbol() { return "K"; }

    @Override public String title() {
        return String.format(Locale.ROOT, "DSA matrix cost vs networks (%d units, %d trials x %d steps, %d delays, rank %d, %s)",
                workload.units(), workload.trials(), workload.time(), workload.params().nDelays(), workload.params().rank(),
                workload.backend());
    }

    @Override public String xTitle() { return "networks K"; }

    @Override public String yTitle() { return "seconds (wall on " + workload.threads() + " threads; CPU summed over threads)"; }

    /** Under load the pairs' code took several hundred pairs to be compiled (see {@link #warmUp}). */
    @Override public double defaultWarmupSeconds() { return 30; }

    @Override public List<String> plotted() { return List.of("fit_seconds", "matrix_seconds", "fit_cpu_seconds", "matrix_cpu_seconds"); }

    @Override public SweepTable measure(List<Integer> values, double warmupSeconds) throws Exception {
        warmUp(warmupSeconds);
        return SweepTable.measure(x(), COLUMNS, values, k -> {
            DsaWorkload.Timing t = workload.measure(k);
            double pairs = t.pairs();
            return new double[] {pairs, t.fitSeconds() + t.matrixSeconds(), t.fitSeconds(), t.matrixSeconds(), t.fitSeconds() / k,
                    1e3 * t.matrixSeconds() / pairs, t.fitCpuSeconds(), t.matrixCpuSeconds(),
                    t.matrixCpuSeconds() < 0 ? -1 : 1e3 * t.matrixCpuSeconds() / pairs, t.generateSeconds()};
        });
    }

    /**
     * Fits {@value #WARMUP_NETWORKS} networks once, then recomputes their pairwise matrix until
     * {@code seconds} have passed. A loop of whole small runs would spend its time on fits: with a
     * 20 s warm-up of K = 5 runs the K = 5 point still paid 49 ms CPU per pair against 16 ms at K = 50,
     * and 17 ms after a 90 s warm-up. The fits are compiled after a few networks.
     */
    private void warmUp(double seconds) throws Exception {
        if (seconds <= 0) return;
        long until = System.nanoTime() + (long) (seconds * 1e9);
        System.err.printf("bench sweep: warming up DSA on %d networks for %.1f s%n", WARMUP_NETWORKS, seconds);
        List<NdArray> data = workload.trajectories(WARMUP_NETWORKS);
        try (Backend be = Backends.create(workload.backend())) {  // the engine the sweep times
            DsaMetric m = new DsaMetric(workload.params(), be);
            List<Operator> ops = m.fitAll(data, workload.threads());
            do Pairwise.matrix(ops, m, workload.threads()); while (System.nanoTime() < until);
        }
    }

    /**
     * The model for each clock: {name, fit column, matrix column}. On a loaded machine the wall
     * clock also counts time spent waiting for a core; CPU time does not, but sums both threads.
     */
    private static final String[][] CLOCKS = {{"wall", "fit_seconds", "matrix_seconds"}, {"cpu", "fit_cpu_seconds", "matrix_cpu_seconds"}};

    /** Seconds per network fit and per pair, each pooled over the sweep (sum of times / sum of counts). */
    record Model(double fitSeconds, double pairSeconds) {
        /** Null when a time is missing (CPU time is -1 where the JVM does not report it) or every time read 0. */
        static Model of(SweepTable t, String fitColumn, String matrixColumn) {
            double[] fit = t.column(fitColumn), matrix = t.column(matrixColumn);
            for (int i = 0; i < fit.length; i++) if (!(fit[i] >= 0 && matrix[i] >= 0)) return null;
            if (sum(fit) + sum(matrix) == 0) return null;
            return new Model(sum(fit) / sum(t.column("networks")), sum(matrix) / sum(t.column("pairs")));
        }

        double seconds(double k) { return fitSeconds * k + pairSeconds * k * (k - 1) / 2; }

        /** K beyond which the pairs cost more than the fits: (K - 1) / 2 pairs per network cost as much as one fit. */
        double crossover() { return 1 + 2 * fitSeconds / pairSeconds; }

        String label(String clock) {
            return String.format(Locale.ROOT, "model (%s) %.3g K + %.3g K(K-1)/2", clock, fitSeconds, pairSeconds);
        }

        private static double sum(double[] v) {
            double s = 0;
            for (double x : v) s += x;
            return s;
        }
    }

    @Override public Map<String, Object> summary(SweepTable t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("units", workload.units());
        m.put("trials", workload.trials());
        m.put("time", workload.time());
        m.put("n_delays", workload.params().nDelays());
        m.put("rank", workload.params().rank());
        m.put("threads", workload.threads());
        m.put("seed", workload.params().seed());
        Map<String, Object> models = new LinkedHashMap<>();
        for (String[] c : CLOCKS) {
            Model model = Model.of(t, c[1], c[2]);
            if (model == null) continue;
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("fit_s_per_network", model.fitSeconds());
            mm.put("ms_per_pair", 1e3 * model.pairSeconds());
            // infinite when a clock read 0 s for every pair (CPU time ticks in 10 ms): JSON has no infinity
            mm.put("pairs_dominate_beyond_networks", Double.isFinite(model.crossover()) ? model.crossover() : null);
            PowerLaw inPairs = PowerLaw.fit(t.column("pairs"), t.column(c[2]));
            mm.put("matrix_exponent_in_pairs", inPairs.defined() ? inPairs.exponent() : null);
            Map<String, Object> predicted = new LinkedHashMap<>();
            for (int k : PREDICT) predicted.put(Integer.toString(k), model.seconds(k));
            mm.put("predicted_seconds", predicted);
            models.put(c[0], mm);
        }
        m.put("model", models);
        return m;
    }

    /** Each clock's model curve, continued to three times the largest K measured. */
    @Override public void decorate(XYChart chart, SweepTable t) {
        double[] k = t.column("networks");
        double lo = k[0], hi = 3 * k[k.length - 1];
        int n = 40;
        for (int c = 0; c < CLOCKS.length; c++) {
            Model model = Model.of(t, CLOCKS[c][1], CLOCKS[c][2]);
            if (model == null) continue;
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = lo * Math.pow(hi / lo, i / (n - 1.0));
                y[i] = model.seconds(x[i]);
            }
            SweepPlot.dashed(chart, model.label(CLOCKS[c][0]), x, y, Charts.colour(7 + c));
        }
    }
}
