package io.degen.cli;

import io.degen.bench.TrainBench;
import io.degen.bench.TrainBenchOptions;
import io.degen.config.RunConfig;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code degen bench train}: milliseconds per Adam step of one network (median of repeats after
 * warm-up), timed by {@link TrainBench}.
 */
public final class BenchTrainCommand implements Command {
    @Override public String name() { return "bench train"; }

    @Override public String help() { return "time one training step: --task flipflop --channels 3 --hidden 128 --batch 64 --time 100 --steps 100 --threads 1 [--ensemble K: K networks in lockstep, default --threads] [--sequential] [--repeats 5] [--backend B]"; }

    @Override public Set<String> flags() {
        Set<String> f = new HashSet<>(RunOptions.FLAGS);
        f.add("sequential");
        return f;
    }

    @Override public Object run(Args a) throws Exception {
        int steps = a.integer("steps", 100, 1, 1_000_000);
        int threads = a.integer("threads", 1, 1, 1024);
        int ensemble = a.integer("ensemble", threads, 1, 100_000);
        int repeats = a.integer("repeats", 5, 1, 1000);
        String backendName = a.string("backend", null);
        boolean lockstep = !a.flag("sequential");
        RunConfig run = RunOptions.run(a, 0);
        a.finish();
        TrainBenchOptions o;
        try {
            o = new TrainBenchOptions(run, steps, repeats, threads, ensemble, lockstep, backendName);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return TrainBench.run(o);
    }
}
