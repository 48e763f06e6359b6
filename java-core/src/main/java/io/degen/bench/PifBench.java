package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.metrics.Pairwise;
import io.degen.metrics.weights.PifMetric;
import io.degen.util.Mat;
import io.degen.util.MatrixFile;
import io.degen.util.Median;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times d_PIF on random pairs A, B with entries N(0, 1/n), the workload of the SciPy peer script
 * ({@code shared/peers/scipy_pif.py}), or on pairs read from {@code DIR/A0.npy, DIR/B0.npy, ...}
 * (to compare against another tool on the very same matrices; n is then taken from them). The
 * warm-up pairs run first, untimed, so the JIT has compiled the kernels; their time is reported as
 * {@code warmup_s}.
 *
 * <p>Threads run that many pairs at once, each pair on one thread, which is how the
 * weight-degeneracy matrix uses the cores ({@link Pairwise}); {@code s_per_pair} is then the wall
 * time of all timed pairs divided by their number (throughput), and {@code cpu_s_per_pair} the CPU
 * time of all threads per pair. Splitting one pair's starts over threads instead
 * ({@code metric pif --threads}) scaled only 1.15x on 2 cores (the barycenter start is shorter than
 * the randomised ones), so the benchmark parallelises over pairs.
 *
 * <p>Repeats time the same pairs again and report the median pass as {@code s_per_pair} (every
 * pass in {@code s_per_pair_passes}): on a shared machine one pass of a fraction of a second can
 * land in a burst of someone else's load. The largest change of any pair's distance between passes
 * is {@code max_pass_difference} (0 on the deterministic java engine, where anything else is an error).
 */
public final class PifBench {
    private PifBench() { }

    public static Map<String, Object> run(PifBenchOptions o) throws Exception {
        PifMetric.Options d = PifMetric.Options.defaults();
        try (Backend be = Backends.create(o.backend());
             PifMetric metric = new PifMetric(d.withMaxIter(o.maxIter()).withTol(o.tol()).withRestarts(o.restarts()).withSeed(o.seed()), be)) {
            return time(metric, be.name(), o);
        }
    }

    private static Map<String, Object> time(PifMetric metric, String backend, PifBenchOptions o) throws Exception {
        int n = o.n(), pairs = o.pairs(), warmup = o.warmup(), repeats = o.repeats(), threads = o.threads();
        Mat[][] given = o.data() == null ? null : loadPairs(Path.of(o.data()), pairs);
        if (given != null) n = given[0][0].rows();
        double sd = 1.0 / Math.sqrt(n);
        Random warmRng = new Random(o.seed() ^ 0x5DEECE66DL);
        List<Mat> warm = new ArrayList<>();
        for (int k = 0; k < 2 * warmup; k++) warm.add(random(warmRng, n, sd));
        Random rng = new Random(o.seed());
        List<Mat> items = new ArrayList<>();
        for (int k = 0; k < pairs; k++) {
            items.add(given != null ? given[k][0] : random(rng, n, sd));
            items.add(given != null ? given[k][1] : random(rng, n, sd));
        }
        long w0 = System.nanoTime();
        Pairwise.distances(warm, metric, consecutivePairs(warmup), threads);
        double warmupS = (System.nanoTime() - w0) / 1e9;
        double cpu0 = processCpuSeconds();
        long alloc0 = threads == 1 ? allocatedBytes() : -1;
        List<Double> passes = new ArrayList<>();
        double[] dist = null;
        double passDifference = 0;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            double[] d = Pairwise.distances(items, metric, consecutivePairs(pairs), threads);
            passes.add((System.nanoTime() - t0) / 1e9 / pairs);
            if (dist != null) for (int q = 0; q < d.length; q++) passDifference = Math.max(passDifference, Math.abs(d[q] - dist[q]));
            dist = d;
        }
        // The java engine is deterministic, so a difference there is a bug; a native engine may
        // round differently from call to call (MKL without its reproducibility mode), so it is reported.
        if (passDifference != 0 && backend.equals("java")) {
            throw new IllegalStateException("d_PIF gave different distances on a repeated pass (up to " + passDifference + ")");
        }
        double cpu1 = processCpuSeconds();
        long alloc1 = alloc0 >= 0 ? allocatedBytes() : -1;
        double sum = 0;
        for (double v : dist) sum += v;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        if (o.data() != null) out.put("data", o.data());
        out.put("pairs", pairs);
        out.put("restarts", o.restarts());
        out.put("threads", threads);
        out.put("backend", backend);
        out.put("max_iter", o.maxIter());
        out.put("tol", o.tol());
        out.put("s_per_pair", Median.of(passes));
        if (repeats > 1) {
            out.put("repeats", repeats);
            out.put("s_per_pair_passes", passes);
            out.put("max_pass_difference", passDifference);
        }
        if (cpu0 >= 0 && cpu1 >= 0) out.put("cpu_s_per_pair", (cpu1 - cpu0) / ((double) pairs * repeats));
        // Heap bytes the timed passes allocated per pair (1 thread: they run on this thread). A
        // vector boxed by C2 shows here first: it once grew the heap into fresh pages, and those
        // page faults made whole passes 2-3x slower.
        if (alloc0 >= 0 && alloc1 >= 0) out.put("allocated_bytes_per_pair", (alloc1 - alloc0) / ((double) pairs * repeats));
        out.put("mean_distance", sum / pairs);
        out.put("warmup_pairs", warmup);
        out.put("warmup_s", warmupS);
        out.put("machine", Machine.current().asMap());
        return out;
    }

    /** Pairs k = 0..pairs-1 from dir/A{k}.npy and dir/B{k}.npy, all square and the same size. */
    private static Mat[][] loadPairs(Path dir, int pairs) throws Exception {
        Mat[][] out = new Mat[pairs][2];
        for (int k = 0; k < pairs; k++) {
            for (int s = 0; s < 2; s++) {
                Path f = dir.resolve((s == 0 ? "A" : "B") + k + ".npy");
                Mat m = MatrixFile.read(f, s == 0 ? "A" + k : "B" + k);
                if (!m.isSquare() || (k + s > 0 && m.rows() != out[0][0].rows())) {
                    throw new IllegalArgumentException("--data: " + f + " is " + m.rows() + " x " + m.cols()
                            + "; every matrix must be square and the same size as " + dir.resolve("A0.npy"));
                }
                out[k][s] = m;
            }
        }
        return out;
    }

    /** Index pairs (0, 1), (2, 3), ...: pair k compares items 2k and 2k + 1. */
    private static List<int[]> consecutivePairs(int count) {
        List<int[]> p = new ArrayList<>();
        for (int k = 0; k < count; k++) p.add(new int[]{2 * k, 2 * k + 1});
        return p;
    }

    /** Heap bytes allocated so far by this thread, or -1 where the JVM does not count them. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) return -1;
        return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** CPU seconds of the whole JVM, or -1 where the platform does not report it. */
    private static double processCpuSeconds() {
        long t = ProcessCpu.nanos();
        return t < 0 ? -1 : t / 1e9;
    }

    private static Mat random(Random rng, int n, double sd) {
        double[] d = new double[n * n];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian() * sd;
        return new Mat(n, n, d);
    }
}
