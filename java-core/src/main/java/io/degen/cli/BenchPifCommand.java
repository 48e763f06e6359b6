package io.degen.cli;

import io.degen.metrics.weights.PifMetric;
import io.degen.util.Mat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * {@code degen bench pif [--n 128] [--pairs 5] [--restarts 4] [--seed 0] [--warmup 5] [--threads 1] [--max-iter 100] [--tol 0.005]}: times
 * d_PIF on random pairs A, B with entries N(0, 1/n), the workload of the SciPy peer script
 * ({@code shared/peers/scipy_pif.py}). {@code --warmup} extra pairs run first, untimed, so the
 * JIT has compiled the kernels; their time is reported as {@code warmup_s}. With
 * {@code --data DIR} the timed pairs are read from {@code DIR/A0.npy, DIR/B0.npy, ...} instead (to
 * compare against another tool on the very same matrices); {@code --n} is then taken from them. {@code --threads}
 * runs a pair's starts in parallel (default 1: single-threaded); {@code cpu_s_per_pair} is the
 * timing thread's CPU time, so it covers only that thread's share when threads > 1.
 */
public final class BenchPifCommand implements Command {
    @Override public String name() { return "bench pif"; }

    @Override public String help() {
        return "time d_PIF on random N(0,1/n) pairs: [--n 128] [--pairs 5] [--restarts 4] [--seed 0] [--warmup 5] [--threads 1] [--max-iter 100] [--tol 0.005]";
    }

    @Override
    public Object run(Args args) throws Exception {
        if (!args.positional().isEmpty()) throw new UsageException("bench pif takes no positional arguments, got '" + args.positional().get(0) + "'");
        int n = args.integer("n", 128, 1, 4096);
        int pairs = args.integer("pairs", 5, 1, 100000);
        int restarts = args.integer("restarts", 4, 1, 1000);
        int seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
        int warmup = args.integer("warmup", 5, 0, 1000);
        String data = args.string("data", null);
        int threads = args.integer("threads", 1, 1, 256);
        PifMetric.Options d = PifMetric.Options.defaults();
        int maxIter = args.integer("max-iter", d.maxIter(), 1, 100000);
        double tol = args.number("tol", d.tol(), 0, 1e6);
        args.finish();
        PifMetric metric = new PifMetric(d.withMaxIter(maxIter).withTol(tol).withRestarts(restarts).withSeed(seed).withThreads(threads));
        Mat[][] given = data == null ? null : loadPairs(Path.of(data), pairs);
        if (given != null) n = given[0][0].rows();
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
            Mat a = given != null ? given[k][0] : random(rng, n, sd), b = given != null ? given[k][1] : random(rng, n, sd);
            long c0 = cpuOk ? mx.getCurrentThreadCpuTime() : 0, t0 = System.nanoTime();
            sum += metric.distance(a, b);
            timeS += (System.nanoTime() - t0) / 1e9;
            if (cpuOk) cpuS += (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        if (data != null) out.put("data", data);
        out.put("pairs", pairs);
        out.put("restarts", restarts);
        out.put("threads", threads);
        out.put("max_iter", maxIter);
        out.put("tol", tol);
        out.put("s_per_pair", timeS / pairs);
        if (cpuOk) out.put("cpu_s_per_pair", cpuS / pairs);
        out.put("mean_distance", sum / pairs);
        out.put("warmup_pairs", warmup);
        out.put("warmup_s", warmupS);
        return out;
    }

    /** Pairs k = 0..pairs-1 from dir/A{k}.npy and dir/B{k}.npy, all square and the same size. */
    private static Mat[][] loadPairs(Path dir, int pairs) throws Exception {
        Mat[][] out = new Mat[pairs][2];
        for (int k = 0; k < pairs; k++) {
            for (int s = 0; s < 2; s++) {
                Path f = dir.resolve((s == 0 ? "A" : "B") + k + ".npy");
                Mat m = MetricPifCommand.load(f, s == 0 ? "A" + k : "B" + k);
                if (!m.isSquare() || (k + s > 0 && m.rows() != out[0][0].rows())) {
                    throw new UsageException("--data: " + f + " is " + m.rows() + " x " + m.cols() + "; every matrix must be square and the same size as "
                            + dir.resolve("A0.npy"));
                }
                out[k][s] = m;
            }
        }
        return out;
    }

    private static Mat random(Random rng, int n, double sd) {
        double[] d = new double[n * n];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian() * sd;
        return new Mat(n, n, d);
    }
}
