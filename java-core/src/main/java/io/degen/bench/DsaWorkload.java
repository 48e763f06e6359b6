package io.degen.bench;

import io.degen.statistics.NetworkStats;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything of a DSA benchmark but the number of networks, which a sweep varies: the shape of the
 * trajectories of random tanh RNNs h_{t+1} = tanh(W h_t + 0.1 xi_t), W ~ N(0, g^2 / units), with
 * gain g spread over [1.4, 1.6] and a distinct W per network; the DSA settings (seed included),
 * threads and engine.
 * {@code backend} is the engine of the HAVOK fits ({@code mkl}: LAPACK computes only the top-r
 * eigenpairs of each Gram matrix); the pairwise alignments run in plain Java either way.
 */
public record DsaWorkload(int units, int trials, int time, DsaParams params, int threads, String backend) {
    static final double NOISE = 0.1;

    public DsaWorkload {
        if (!Backends.NAMES.contains(backend)) {
            throw new IllegalArgumentException("--backend must be java, mkl, cuda or auto, got '" + backend + "'");
        }
    }

    /** Seconds of one run; generating the trajectories is timed apart. CPU seconds are -1 where unavailable. */
    record Timing(int networks, double generateSeconds, double fitSeconds, double matrixSeconds, double fitCpuSeconds,
                  double matrixCpuSeconds, double meanDistance, String backend) {
        long pairs() { return (long) networks * (networks - 1) / 2; }
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
        List<NdArray> data = trajectories(networks);
        long t1 = System.nanoTime(), c1 = ProcessCpu.nanos();
        System.err.printf("bench dsa: generated in %.2f s; fitting HAVOK (n_delays %d, rank %d) on %d threads%n",
                (t1 - t0) / 1e9, params.nDelays(), params.rank(), threads);
        List<Operator> ops = m.fitAll(data, threads);
        long t2 = System.nanoTime(), c2 = ProcessCpu.nanos();
        long pairs = (long) networks * (networks - 1) / 2;
        System.err.printf("bench dsa: fitted in %.2f s; comparing %d pairs%n", (t2 - t1) / 1e9, pairs);
        double[][] d = Pairwise.matrix(ops, m, threads);
        long t3 = System.nanoTime(), c3 = ProcessCpu.nanos();
        double matrix = (t3 - t2) / 1e9;
        System.err.printf("bench dsa: matrix in %.2f s (%.2f ms per pair wall, %d threads)%n", matrix, 1e3 * matrix / pairs, threads);
        boolean cpu = c1 >= 0;
        return new Timing(networks, (t1 - t0) / 1e9, (t2 - t1) / 1e9, matrix, cpu ? (c2 - c1) / 1e9 : -1, cpu ? (c3 - c2) / 1e9 : -1,
                NetworkStats.pairMean(d), engine);
    }

    /** Network i: gain 1.4 + 0.2 i / (networks - 1), weights and noise seeded by (seed, i). */
    List<NdArray> trajectories(int networks) throws Exception {
        long seed = params.seed();
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
