package io.degen.cli;

import io.degen.metrics.weights.PifMetric;
import io.degen.util.Mat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * {@code degen bench pif [--n 128] [--pairs 5] [--restarts 4] [--seed 0] [--warmup 2] [--threads 1]}: times
 * d_PIF on random pairs A, B with entries N(0, 1/n), the workload of the SciPy peer script
 * ({@code shared/peers/scipy_pif.py}). {@code --warmup} extra pairs run first, untimed, so the
 * JIT has compiled the kernels; their time is reported as {@code warmup_s}. {@code --threads}
 * runs a pair's starts in parallel (default 1: single-threaded); {@code cpu_s_per_pair} is the
 * timing thread's CPU time, so it covers only that thread's share when threads > 1.
 */
public final class BenchPifCommand implements Command {
    @Override public String name() { return "bench pif"; }

    @Override public String help() {
        return "time d_PIF on random N(0,1/n) pairs: [--n 128] [--pairs 5] [--restarts 4] [--seed 0] [--warmup 2] [--threads 1]";
    }

    @Override
    public Object run(Args args) {
        if (!args.positional().isEmpty()) throw new UsageException("bench pif takes no positional arguments, got '" + args.positional().get(0) + "'");
        int n = args.integer("n", 128, 1, 4096);
        int pairs = args.integer("pairs", 5, 1, 100000);
        int restarts = args.integer("restarts", 4, 1, 1000);
        int seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
        int warmup = args.integer("warmup", 2, 0, 1000);
        int threads = args.integer("threads", 1, 1, 256);
        args.finish();
        PifMetric metric = new PifMetric(PifMetric.Options.defaults().withRestarts(restarts).withSeed(seed).withThreads(threads));
        Random rng = new Random(seed);
        double sd = 1.0 / Math.sqrt(n);
        Random warmRng = new Random(seed ^ 0x5DEECE66DL);
        long w0 = System.nanoTime();
        for (int k = 0; k < warmup; k++) metric.distance(random(warmRng, n, sd), random(warmRng, n, sd));
        double warmupS = (System.nanoTime() - w0) / 1e9;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuOk = mx.isCurrentThreadCpuTimeSupported();
        double sum = 0, timeS = 0, cpuS = 0;
        for (int k = 0; k < pairs; k++) {
            Mat a = random(rng, n, sd), b = random(rng, n, sd);
            long c0 = cpuOk ? mx.getCurrentThreadCpuTime() : 0, t0 = System.nanoTime();
            sum += metric.distance(a, b);
            timeS += (System.nanoTime() - t0) / 1e9;
            if (cpuOk) cpuS += (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        out.put("pairs", pairs);
        out.put("restarts", restarts);
        out.put("threads", threads);
        out.put("s_per_pair", timeS / pairs);
        if (cpuOk) out.put("cpu_s_per_pair", cpuS / pairs);
        out.put("mean_distance", sum / pairs);
        out.put("warmup_pairs", warmup);
        out.put("warmup_s", warmupS);
        return out;
    }

    private static Mat random(Random rng, int n, double sd) {
        double[] d = new double[n * n];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian() * sd;
        return new Mat(n, n, d);
    }
}
