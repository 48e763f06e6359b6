package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.metrics.Pairwise;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.dsa.Operator;
import io.degen.metrics.dsa.RandomTanhRnn;
import io.degen.util.Pools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code degen bench dsa [--networks 50] [--units 128] [--trials 64] [--time 100] [--n-delays 5]
 * [--rank 20] [--threads 2] [--seed 0] [--backend java]}: times DSA on trajectories of random tanh RNNs
 * h_{t+1} = tanh(W h_t + 0.1 xi_t), W ~ N(0, g^2 / units), with gain g spread over [1.4, 1.6]
 * and a distinct W per network. Reports the fit time, the pairwise-matrix time and their sum.
 * {@code --backend} is the engine of the HAVOK fits ({@code mkl}: LAPACK computes only the top-r
 * eigenpairs of each Gram matrix); the pairwise alignments run in plain Java either way.
 */
public final class BenchDsaCommand implements Command {
    static final double NOISE = 0.1;

    @Override public String name() { return "bench dsa"; }

    @Override public String help() {
        return "time DSA on random tanh RNNs: --networks 50 --units 128 --trials 64 --time 100 --n-delays 5 --rank 20 "
                + "--threads 2 --seed 0 --backend java";
    }

    @Override public Object run(Args args) throws Exception {
        int networks = args.integer("networks", 50, 2, 100_000);
        Workload w = Workload.parse(args);
        args.finish();
        Timing t = w.measure(networks);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", t.fitSeconds() + t.matrixSeconds());
        out.put("fit_seconds", t.fitSeconds());
        out.put("matrix_seconds", t.matrixSeconds());
        out.put("generate_seconds", t.generateSeconds());
        out.put("pairs", t.pairs());
        out.put("ms_per_pair", 1e3 * t.matrixSeconds() / t.pairs());
        out.put("threads", w.threads());
        out.put("backend", t.backend());
        // process CPU time: on a shared machine wall time overstates the cost; -1 where unavailable
        out.put("fit_cpu_seconds", t.fitCpuSeconds());
        out.put("matrix_cpu_seconds", t.matrixCpuSeconds());
        out.put("cpu_ms_per_pair", t.matrixCpuSeconds() < 0 ? -1 : 1e3 * t.matrixCpuSeconds() / t.pairs());
        out.put("mean_distance", t.meanDistance());
        return out;
    }

    /** Seconds of one run; generating the trajectories is timed apart. CPU seconds are -1 where unavailable. */
    record Timing(int networks, double generateSeconds, double fitSeconds, double matrixSeconds, double fitCpuSeconds,
                  double matrixCpuSeconds, double meanDistance, String backend) {
        long pairs() { return (long) networks * (networks - 1) / 2; }
    }

    /** Everything but the number of networks: trajectory shape, DSA settings (seed included), threads and engine. */
    record Workload(int units, int trials, int time, DsaParams params, int threads, String backend) {
        static Workload parse(Args args) {
            int units = args.integer("units", 128, 1, 100_000);
            int trials = args.integer("trials", 64, 1, 1_000_000);
            int time = args.integer("time", 100, 2, 1_000_000);
            int nDelays = args.integer("n-delays", 5, 1, 100_000);
            int rank = args.integer("rank", 20, 1, 100_000);
            int threads = args.integer("threads", 2, 1, 4096);
            int seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
            String backend = args.string("backend", "java");
            if (!Backends.NAMES.contains(backend)) {
                throw new UsageException("--backend must be java, mkl, cuda or auto, got '" + backend + "'");
            }
            DsaParams p = new DsaParams(nDelays, 1, rank, 0, DsaParams.Score.ANGULAR, seed, DsaParams.DEFAULT_RANDOM_STARTS);
            return new Workload(units, trials, time, p, threads, backend);
        }

        /** Generates the networks' trajectories, fits every operator, then computes the pairwise matrix. */
        Timing measure(int networks) throws Exception {
            try (Backend be = Backends.create(backend)) {
                return measure(networks, new DsaMetric(params, be), be.name());
            }
        }

        private Timing measure(int networks, DsaMetric m, String engine) throws Exception {
            System.err.printf("bench dsa: generating %d networks (%d trials x %d steps x %d units)%n", networks, trials, time, units);
            long t0 = System.nanoTime();
            List<NdArray> data = generate(networks, units, trials, time, params.seed(), threads);
            long t1 = System.nanoTime(), c1 = cpuNanos();
            System.err.printf("bench dsa: generated in %.2f s; fitting HAVOK (n_delays %d, rank %d) on %d threads%n",
                    (t1 - t0) / 1e9, params.nDelays(), params.rank(), threads);
            List<Operator> ops = m.fitAll(data, threads);
            long t2 = System.nanoTime(), c2 = cpuNanos();
            long pairs = (long) networks * (networks - 1) / 2;
            System.err.printf("bench dsa: fitted in %.2f s; comparing %d pairs%n", (t2 - t1) / 1e9, pairs);
            double[][] d = Pairwise.matrix(ops, m, threads);
            long t3 = System.nanoTime(), c3 = cpuNanos();
            double matrix = (t3 - t2) / 1e9;
            System.err.printf("bench dsa: matrix in %.2f s (%.2f ms per pair wall, %d threads)%n", matrix, 1e3 * matrix / pairs, threads);
            boolean cpu = c1 >= 0;
            return new Timing(networks, (t1 - t0) / 1e9, (t2 - t1) / 1e9, matrix, cpu ? (c2 - c1) / 1e9 : -1, cpu ? (c3 - c2) / 1e9 : -1,
                    Pairwise.meanOffDiagonal(d), engine);
        }
    }

    /** CPU time of this process in nanoseconds, or -1. */
    static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    /** Network i: gain 1.4 + 0.2 i / (networks - 1), weights and noise seeded by (seed, i). */
    static List<NdArray> generate(int networks, int units, int trials, int time, long seed, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, networks)), r -> {
            Thread th = new Thread(r, "bench-dsa-gen");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<NdArray>> fs = new ArrayList<>();
            for (int i = 0; i < networks; i++) {
                final int k = i;
                double gain = 1.4 + 0.2 * k / Math.max(1, networks - 1);
                fs.add(pool.submit(() -> RandomTanhRnn.trajectories(units, trials, time, gain, NOISE, seed * 1_000_003L + k)));
            }
            List<NdArray> out = new ArrayList<>();
            for (Future<NdArray> f : fs) out.add(f.get());
            return out;
        } finally {
            Pools.stopAndWait(pool);
        }
    }
}
