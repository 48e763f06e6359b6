package io.degen.cli;

import io.degen.bench.PifBench;
import io.degen.bench.PifBenchOptions;
import io.degen.metrics.weights.PifMetric;

/**
 * {@code degen bench pif [--n 128] [--pairs 5] [--restarts 4] [--seed 0] [--warmup 40] [--repeats 1] [--threads 1] [--max-iter 100] [--tol 0.005] [--backend java]}: times
 * d_PIF on random N(0, 1/n) pairs, or with {@code --data DIR} on the pairs {@code DIR/A0.npy,
 * DIR/B0.npy, ...} ({@code --n} is then taken from them); {@code --threads} pairs run at once.
 * What is timed and why: {@link PifBench}.
 */
public final class BenchPifCommand implements Command {
    @Override public String name() { return "bench pif"; }

    @Override public String help() {
        return "time d_PIF on random N(0,1/n) pairs: [--n 128] [--pairs 5] [--restarts 4] [--seed 0] [--warmup 40] [--repeats 1] [--threads 1] [--max-iter 100] [--tol 0.005] [--backend java]";
    }

    @Override
    public Object run(Args args) throws Exception {
        if (!args.positional().isEmpty()) throw new UsageException("bench pif takes no positional arguments, got '" + args.positional().get(0) + "'");
        int n = args.integer("n", 128, 1, 4096);
        int pairs = args.integer("pairs", 5, 1, 100000);
        int restarts = args.integer("restarts", 4, 1, 1000);
        int seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
        int warmup = args.integer("warmup", 40, 0, 1000);
        int repeats = args.integer("repeats", 1, 1, 1000);
        String data = args.string("data", null);
        int threads = args.integer("threads", 1, 1, 256);
        PifMetric.Options d = PifMetric.Options.defaults();
        int maxIter = args.integer("max-iter", d.maxIter(), 1, 100000);
        double tol = args.number("tol", d.tol(), 0, 1e6);
        String backendName = args.string("backend", "java");
        args.finish();
        try {
            return PifBench.run(new PifBenchOptions(n, pairs, restarts, seed, warmup, repeats, data, threads, maxIter, tol, backendName));
        } catch (IllegalArgumentException e) {
            // a --data file that is not a matrix of the right size is the user's mistake
            throw new UsageException(e.getMessage());
        }
    }
}
