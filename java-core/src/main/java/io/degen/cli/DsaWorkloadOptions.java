package io.degen.cli;

import io.degen.bench.DsaWorkload;
import io.degen.metrics.dsa.DsaParams;

/** Reads the DSA workload options that bench dsa and bench sweep --what networks share. */
final class DsaWorkloadOptions {
    private DsaWorkloadOptions() { }

    static DsaWorkload parse(Args args) {
        int units = args.integer("units", 128, 1, 100_000);
        int trials = args.integer("trials", 64, 1, 1_000_000);
        int time = args.integer("time", 100, 2, 1_000_000);
        int nDelays = args.integer("n-delays", 5, 1, 100_000);
        int rank = args.integer("rank", 20, 1, 100_000);
        int threads = args.integer("threads", 2, 1, 4096);
        int seed = args.integer("seed", 0, 0, Integer.MAX_VALUE);
        String backend = args.string("backend", "java");
        DsaParams p = new DsaParams(nDelays, 1, rank, 0, DsaParams.Score.ANGULAR, seed, DsaParams.DEFAULT_RANDOM_STARTS);
        try {
            return new DsaWorkload(units, trials, time, p, threads, backend);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
